# 研讨会 API 消息，简体中文。
email_taken = 该邮箱已注册。
username_taken = 该用户名已被占用。
already_participant = 你已经有参与者资料了。
instructor_required = 仅讲师可执行此操作。
role_required = 你没有该角色的资料。
participant_not_accepted = 你的参与者资料尚未通过审核。
already_joined = 你已经加入了这个研讨会。
dropped_cannot_rejoin = 已退出的研讨会不能再加入。
seminar_full = 这个研讨会已满员。
already_in_charge = 你已经在负责一个研讨会。
not_seminar_instructor = 仅本研讨会的讲师可执行此操作。
instructor_cannot_drop = 讲师不能退出自己负责的研讨会。
capacity_below_participants = 名额不能少于当前参与人数。
invalid_credentials = 邮箱或密码错误。
