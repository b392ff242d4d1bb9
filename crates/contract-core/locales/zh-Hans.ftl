# contract 内置消息，简体中文。

## Top-level codes.
malformed_body = 请求内容不是有效的 JSON。
bad_request = 请求无效。
validation_failed = 请检查标出的字段。
unauthenticated = 请重新登录。
forbidden = 你没有权限执行此操作。
not_found = 找不到你要的内容。
method_not_allowed = 此处不支持该操作。
conflict = 与现有数据冲突。
payload_too_large = 请求太大。
uri_too_long = 请求地址太长。
headers_too_large = 请求头太多。
unsupported_media_type = 请以 JSON 格式发送请求内容。
rate_limited = 请求过于频繁，请稍后再试。
internal = 服务器出了点问题。
service_unavailable = 服务繁忙，请稍后再试。
timeout = 请求超时。

## Field codes.
required = 必填
null_not_allowed = 请填写此项
blank = 不能为空
too_short = 至少 { $min } 个字符
too_long = 最多 { $max } 个字符
not_integer = 请输入整数
not_number = 请输入数字
not_boolean = 请选择是或否
not_string = 请输入文字
not_object = 格式不正确
not_array = 必须是列表
invalid_time = 请用 HH:MM（24小时制）
invalid_date = 日期无效
invalid_format = 格式不正确
invalid_email = 请输入有效的邮箱
too_small = 不能小于 { $min }
too_large = 不能大于 { $max }
too_few_items = 至少 { $min } 项
too_many_items = 最多 { $max } 项
not_one_of = 请从允许的值中选择
unknown_field = 未知字段
already_exists = 已被使用
invalid_value = 值无效

## What a code without a message in any catalog gets.
contract-fallback-top = 无法完成请求。
contract-fallback-field = 值无效
