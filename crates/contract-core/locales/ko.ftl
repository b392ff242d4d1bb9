# contract 기본 메시지, 한국어.

## Top-level codes.
malformed_body = 요청을 읽을 수 없습니다. 앱을 업데이트해 주세요.
bad_request = 요청이 올바르지 않습니다.
validation_failed = 표시된 항목을 확인해 주세요.
unauthenticated = 다시 로그인해 주세요.
forbidden = 이 작업을 할 권한이 없습니다.
not_found = 요청한 항목을 찾을 수 없습니다.
method_not_allowed = 여기서는 할 수 없는 작업입니다.
conflict = 기존 데이터와 충돌합니다.
precondition_failed = 불러온 뒤에 변경되었습니다. 새로고침 후 다시 시도해 주세요.
precondition_required = 변경하려는 버전(If-Match)이 필요합니다.
idempotency_key_in_flight = 이 요청은 아직 처리 중입니다. 잠시 후 다시 시도해 주세요.
idempotency_key_reused = 이 키는 다른 요청에 이미 사용되었습니다.
payload_too_large = 요청이 너무 큽니다.
uri_too_long = 요청 주소가 너무 깁니다.
headers_too_large = 요청 헤더가 너무 많습니다.
unsupported_media_type = 요청을 읽을 수 없습니다. 앱을 업데이트해 주세요.
rate_limited = 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.
internal = 서버에 문제가 발생했습니다.
service_unavailable = 서비스가 혼잡합니다. 잠시 후 다시 시도해 주세요.
timeout = 요청 시간이 초과되었습니다. 다시 시도해 주세요.

## Field codes.
required = 필수 항목입니다
null_not_allowed = 비워 둘 수 없습니다
blank = 비워 둘 수 없습니다
too_short = { $min }자 이상 입력하세요
too_long = { $max }자 이하로 입력하세요
not_integer = 정수를 입력하세요
not_number = 숫자를 입력하세요
not_boolean = 예 또는 아니요를 선택하세요
not_string = 텍스트를 입력하세요
not_object = 형식이 올바르지 않습니다
not_array = 목록이어야 합니다
invalid_time = HH:MM(24시간)으로 입력하세요
invalid_date = 올바른 날짜를 입력하세요
invalid_format = 형식이 올바르지 않습니다
invalid_email = 올바른 이메일을 입력하세요
too_small = { $bound ->
    [exclusive] { $min } 초과
    [none] 너무 작습니다
   *[inclusive] 최소 { $min }
}
too_large = { $bound ->
    [exclusive] { $max } 미만
    [none] 너무 큽니다
   *[inclusive] 최대 { $max }
}
too_few_items = { $min }개 이상 추가하세요
too_many_items = 최대 { $max }개까지 가능합니다
not_one_of = 목록에서 선택하세요
unknown_field = 알 수 없는 항목입니다
already_exists = 이미 사용 중입니다
invalid_cursor = 이 목록의 커서가 아닙니다
invalid_value = 값이 올바르지 않습니다

## What a code without a message in any catalog gets.
contract-fallback-top = 요청을 처리할 수 없습니다.
contract-fallback-field = 값이 올바르지 않습니다
