# セミナー API のメッセージ、日本語。
email_taken = このメールアドレスは登録済みです。
username_taken = このユーザー名はすでに使われています。
already_participant = 参加者プロフィールは登録済みです。
instructor_required = 講師のみ操作できます。
role_required = この役割のプロフィールがありません。
participant_not_accepted = 参加者としての承認が必要です。
already_joined = このセミナーには参加済みです。
dropped_cannot_rejoin = 参加を取り消したセミナーには再参加できません。
seminar_full = このセミナーは満員です。
already_in_charge = すでに担当のセミナーがあります。
not_seminar_instructor = このセミナーの講師のみ操作できます。
instructor_cannot_drop = 講師は担当セミナーの参加を取り消せません。
capacity_below_participants = 定員を現在の参加者数より少なくすることはできません。
invalid_credentials = メールアドレスまたはパスワードが正しくありません。
