//! The seminar in every locale it ships: the four-field envelope of
//! `POST /seminar/` (snapshotted per locale) and its own codes, with the
//! headers caches need.

use serde_json::json;

use crate::support::{TestApp, assert_error, signup_instructor};

const SHIPPED: [&str; 8] = ["en", "ko", "ja", "zh-Hans", "es", "pt-BR", "de", "fr"];

#[tokio::test]
async fn four_bad_fields_in_every_shipped_locale() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    let body = json!({"name": "  ", "capacity": "ten", "count": "two", "time": "25:00"});
    for lang in SHIPPED {
        let r = app
            .post("/api/v1/seminar/", body.clone())
            .with_token(&token)
            .header("accept-language", lang)
            .header("x-request-id", "req-1")
            .await;
        assert_error(&r, 400, "validation_failed");
        assert_eq!(r.headers["content-language"], lang);
        assert_eq!(r.headers["vary"], "accept, accept-language");
        insta::assert_json_snapshot!(format!("four_fields_in_{lang}"), r.json);
    }
}

#[tokio::test]
async fn the_seminars_own_codes_in_a_phones_language() {
    let app = TestApp::new().await;
    let wrong = json!({"email": "nobody@example.com", "password": "wrong-password"});
    let cases = [
        (
            "ja-JP,ja;q=0.9,en;q=0.8",
            "ja",
            "メールアドレスまたはパスワードが正しくありません。",
        ),
        ("zh-CN", "zh-Hans", "邮箱或密码错误。"),
        ("pt", "pt-BR", "E-mail ou senha incorretos."),
        ("de-CH, fr;q=0.5", "de", "E-Mail oder Passwort ist falsch."),
        ("nl", "en", "Incorrect email or password."),
    ];
    for (header, tag, message) in cases {
        let r = app
            .post("/api/v1/login/", wrong.clone())
            .header("accept-language", header)
            .await;
        assert_error(&r, 401, "invalid_credentials");
        assert_eq!(r.headers["content-language"], tag, "{header}");
        assert_eq!(r.json["message"], message, "{header}");
    }
}
