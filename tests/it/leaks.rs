//! No error body echoes what the client sent or what the server knows.

use axum::body::Body;

use crate::{app, json_request, request, send};

const SECRETS: [&str; 3] = ["hunter2-SECRET", "4111111111111111", "sk_live_ABCDEF"];

#[tokio::test]
async fn bad_requests_never_echo_input_or_internals() {
    let mut bodies = Vec::new();
    for secret in SECRETS {
        let cases = [
            json_request(
                "POST",
                "/seminars",
                "en",
                format!(
                    r#"{{"name":"{secret}","capacity":"{secret}","count":1,"time":"{secret}"}}"#
                ),
            ),
            json_request(
                "POST",
                "/seminars",
                "ko",
                format!(r#"{{"{secret}": 1, "name": ["{secret}"]}}"#),
            ),
            json_request("POST", "/seminars", "en", format!(r#"{{"name":"{secret}"#)),
            json_request(
                "POST",
                "/seminars",
                "en",
                format!(
                    r#"{{"name":"{}","capacity":1,"count":1,"time":"10:00"}}"#,
                    secret.repeat(20)
                ),
            ),
            request("GET", &format!("/items/{secret}?limit={secret}"), "en")
                .body(Body::empty())
                .unwrap(),
            request("GET", &format!("/{secret}"), "en")
                .body(Body::empty())
                .unwrap(),
            request("POST", "/seminars", "en")
                .header("content-type", secret)
                .body(Body::from(secret))
                .unwrap(),
        ];
        for req in cases {
            let reply = send(&app(), req).await;
            assert!(reply.status.is_client_error(), "{}", reply.text);
            bodies.push(reply.text);
        }
    }
    for path in ["/panic", "/items/2/join"] {
        bodies.push(
            send(
                &app(),
                request("GET", path, "en").body(Body::empty()).unwrap(),
            )
            .await
            .text,
        );
        bodies.push(
            send(
                &app(),
                request("POST", path, "en").body(Body::empty()).unwrap(),
            )
            .await
            .text,
        );
    }
    for body in &bodies {
        for needle in SECRETS.iter().chain(&[
            "panic",
            "UNIQUE",
            ".rs",
            "serde",
            "invalid type",
            "expected",
            "line 1",
        ]) {
            assert!(!body.contains(needle), "{needle:?} leaked: {body}");
        }
    }
}
