# contract の組み込みメッセージ、日本語。

## Top-level codes.
malformed_body = リクエストを読み取れませんでした。アプリを更新してください。
bad_request = リクエストが正しくありません。
validation_failed = 入力内容を確認してください。
unauthenticated = もう一度ログインしてください。
forbidden = この操作を行う権限がありません。
not_found = 見つかりませんでした。
method_not_allowed = この操作はできません。
conflict = 既存のデータと競合しています。
precondition_failed = 読み込み後に変更されました。再読み込みしてください。
precondition_required = 変更するバージョン（If-Match）が必要です。
idempotency_key_in_flight = このリクエストはまだ処理中です。少し待ってお試しください。
idempotency_key_reused = このキーは別のリクエストに使われています。
payload_too_large = リクエストが大きすぎます。
uri_too_long = リクエストのアドレスが長すぎます。
headers_too_large = リクエストのヘッダーが多すぎます。
unsupported_media_type = リクエストを読み取れませんでした。アプリを更新してください。
rate_limited = リクエストが多すぎます。しばらくしてからお試しください。
internal = サーバーで問題が発生しました。
service_unavailable = ただいま混み合っています。しばらくしてからお試しください。
timeout = タイムアウトしました。もう一度お試しください。

## Field codes.
required = 必須項目です
null_not_allowed = 入力してください
blank = 入力してください
too_short = { $min }文字以上にしてください
too_long = { $max }文字以内にしてください
not_integer = 整数を入力してください
not_number = 数値を入力してください
not_boolean = はい・いいえを選んでください
not_string = 文字で入力してください
not_object = 形式が正しくありません
not_array = 形式が正しくありません
invalid_time = 24時間のHH:MMで入力してください
invalid_date = 正しい日付を入力してください
invalid_format = 形式が正しくありません
invalid_email = メールアドレスが正しくありません
too_small = { $bound ->
    [exclusive] { $min }を超える値
    [none] 小さすぎます
   *[inclusive] { $min }以上
}
too_large = { $bound ->
    [exclusive] { $max }未満の値
    [none] 大きすぎます
   *[inclusive] { $max }以下
}
too_few_items = { $min }個以上にしてください
too_many_items = { $max }個以下にしてください
not_one_of = 選択肢から選んでください
unknown_field = 不明な項目です
already_exists = すでに使われています
invalid_cursor = この一覧のカーソルではありません
invalid_value = 値が正しくありません

## What a code without a message in any catalog gets.
contract-fallback-top = リクエストを処理できませんでした。
contract-fallback-field = 値が正しくありません
