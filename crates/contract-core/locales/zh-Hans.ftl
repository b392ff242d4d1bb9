# contract 内置消息，简体中文。

## Top-level codes.
malformed_body = 无法读取请求，请更新应用后重试。
bad_request = 请求无效。
validation_failed = 请检查标出的内容。
unauthenticated = 请重新登录。
forbidden = 你没有权限执行此操作。
not_found = 找不到你要的内容。
method_not_allowed = 此处不支持该操作。
conflict = 与现有数据冲突。
precondition_failed = 加载后已被修改，请刷新后重试。
precondition_required = 此修改需要提供所改的版本（If-Match）。
idempotency_key_in_flight = 此请求仍在处理中，请稍后重试。
idempotency_key_reused = 此密钥已用于另一个请求。
payload_too_large = 提交的内容过大。
uri_too_long = 请求地址过长。
headers_too_large = 请求头过多。
unsupported_media_type = 无法读取请求，请更新应用后重试。
rate_limited = 请求过于频繁，请稍后再试。
internal = 服务器出了点问题。
service_unavailable = 服务繁忙，请稍后再试。
timeout = 请求超时，请重试。

## Field codes.
required = 请填写此项
null_not_allowed = 不能为空
blank = 不能为空
too_short = 至少 { $min } 个字符
too_long = 最多 { $max } 个字符
not_integer = 请输入整数
not_number = 请输入数字
not_boolean = 请选择是或否
not_string = 请输入文字
not_object = 格式不正确
not_array = 格式不正确
invalid_time = 请按 HH:MM 格式填写（24小时制）
invalid_date = 请输入有效的日期
invalid_format = 格式不正确
invalid_email = 请输入有效的邮箱
too_small = { $bound ->
    [exclusive] 必须大于 { $min }
    [none] 数值过小
   *[inclusive] 不能小于 { $min }
}
too_large = { $bound ->
    [exclusive] 必须小于 { $max }
    [none] 数值过大
   *[inclusive] 不能大于 { $max }
}
too_few_items = 至少 { $min } 项
too_many_items = 最多 { $max } 项
not_one_of = 请从选项中选择
unknown_field = 无法识别此项
already_exists = 已被使用
invalid_cursor = 不是此列表的游标
invalid_value = 值无效

## What a code without a message in any catalog gets.
contract-fallback-top = 无法完成请求。
contract-fallback-field = 值无效
