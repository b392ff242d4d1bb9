# セミナー API のメッセージ、日本語。
email_taken = このメールアドレスは登録済みです。
username_taken = このユーザー名は使われています。
already_participant = すでに参加者として登録済みです。
instructor_required = 講師のみ操作できます。
role_required = この役割のプロフィールがありません。
participant_not_accepted = 参加者としての承認が必要です。
already_joined = このセミナーには参加済みです。
dropped_cannot_rejoin = やめたセミナーには再参加できません。
seminar_full = このセミナーは満員です。
already_in_charge = すでに担当のセミナーがあります。
not_seminar_instructor = このセミナーの講師のみ操作できます。
instructor_cannot_drop = 講師はセミナーをやめられません。
capacity_below_participants = 定員が今の参加者数より少ないです。
invalid_credentials = メールアドレスかパスワードが違います。
