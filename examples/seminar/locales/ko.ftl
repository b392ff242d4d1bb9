# 세미나 API 메시지, 한국어.
email_taken = 이미 가입된 이메일입니다.
username_taken = 이미 사용 중인 사용자 이름입니다.
already_participant = 이미 참여자 프로필이 있습니다.
instructor_required = 강사만 할 수 있습니다.
role_required = 해당 역할의 프로필이 없습니다.
participant_not_accepted = 참여자 승인이 필요합니다.
already_joined = 이미 참여한 세미나입니다.
dropped_cannot_rejoin = 참여를 취소한 세미나에는 다시 참여할 수 없습니다.
seminar_full = 세미나 정원이 찼습니다.
already_in_charge = 이미 담당 중인 세미나가 있습니다.
not_seminar_instructor = 이 세미나의 강사만 할 수 있습니다.
instructor_cannot_drop = 강사는 담당 세미나의 참여를 취소할 수 없습니다.
capacity_below_participants = 정원은 현재 참여자 수보다 적게 설정할 수 없습니다.
invalid_credentials = 이메일 또는 비밀번호가 올바르지 않습니다.
