//! The three-line level: axum's own extractors under `ErrorLayer`. The
//! rejection's text is kept for the developer, and a field it names is
//! named in the envelope.

use axum::Router;
use axum::routing::post;
use http::StatusCode;
use serde::Deserialize;

use crate::{fields, json_request, send};

#[derive(Deserialize)]
#[allow(dead_code, reason = "only deserialized")]
struct Todo {
    text: String,
    done: bool,
    tags: Vec<String>,
    owner: Owner,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "only deserialized")]
struct Owner {
    id: u32,
}

fn app() -> Router {
    Router::new()
        .route(
            "/todos",
            post(|axum::Json(_): axum::Json<Todo>| async { StatusCode::CREATED }),
        )
        .layer(contract_axum::ErrorLayer::new().debug(true))
}

/// A body, and the status, code and (field, code) pairs it answers.
type Case = (
    &'static str,
    StatusCode,
    &'static str,
    &'static [(&'static str, &'static str)],
);

#[tokio::test]
async fn axums_rejections_keep_their_diagnosis_and_name_the_field() {
    let cases: [Case; 7] = [
        (
            r#"{}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &[("text", "required")],
        ),
        (
            r#"{"text": 1, "done": false, "tags": [], "owner": {"id": 1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &[("text", "not_string")],
        ),
        (
            r#"{"text": "a", "done": true, "tags": [1], "owner": {"id": 1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &[("tags[0]", "not_string")],
        ),
        (
            r#"{"text": "a", "done": true, "tags": [], "owner": {}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &[("owner.id", "required")],
        ),
        (
            r#"{"text": "a", "done": true, "tags": [], "owner": {"id": -1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &[("owner.id", "too_small")],
        ),
        // The body as a whole is not the value it takes, or not JSON:
        // `malformed_body`, as contract's `Json` answers.
        (r#"[]"#, StatusCode::BAD_REQUEST, "malformed_body", &[]),
        (
            r#"{"text": "a""#,
            StatusCode::BAD_REQUEST,
            "malformed_body",
            &[],
        ),
    ];
    for (body, status, code, want) in cases {
        let reply = send(&app(), json_request("POST", "/todos", "ko", body)).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
        let json = reply.json();
        assert_eq!(json["code"], code, "{body}");
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(f, c)| ((*f).into(), (*c).into()))
            .collect();
        assert_eq!(fields(&json), want, "{body}");
        // axum's own words reach the developer (here through `debug`; the
        // log line at WARN says the same).
        let debug = json["debug"].as_str().unwrap();
        assert!(debug.contains("Failed to "), "{body}: {debug}");
        if let Some(first) = json["fields"].as_array().unwrap().first() {
            assert!(!first["message"].as_str().unwrap().is_empty());
        }
    }
    // A bound only the type's range sets shows no number.
    let reply = send(
        &app(),
        json_request(
            "POST",
            "/todos",
            "en",
            r#"{"text": "a", "done": true, "tags": [], "owner": {"id": -1}}"#,
        ),
    )
    .await;
    assert_eq!(reply.json()["fields"][0]["message"], "Too small");
}

/// contract's extractors on a router without the layer: the answer says
/// what is missing, in one line, instead of an empty body.
#[tokio::test]
async fn without_the_layer_the_answer_names_the_fix() {
    #[derive(Deserialize, validator::Validate, schemars::JsonSchema)]
    #[allow(dead_code, reason = "only deserialized")]
    struct Note {
        text: String,
    }
    let app = Router::new().route(
        "/notes",
        post(|contract_axum::Json(_): contract_axum::Json<Note>| async { StatusCode::CREATED }),
    );
    let reply = send(&app, json_request("POST", "/notes", "en", "{}")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.text.lines().count(), 1, "{}", reply.text);
    assert!(
        reply.text.contains("no contract_axum::ErrorLayer")
            && reply.text.contains(".layer(ErrorLayer::new())"),
        "{}",
        reply.text
    );
}
