//! The todo service over its real router: every answer the tests provoke
//! is checked against the committed spec (`openapi/utoipa-app.json`), which
//! must be what the app generates.

use axum::Router;
use axum::body::Body;
use contract_axum::conformance::Conformance;
use contract_test::Kit;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use utoipa_app::API_KEY_HEADER;

fn generated() -> Value {
    serde_json::to_value(utoipa_app::app().1).expect("the spec serializes")
}

/// contract's test kit: the committed spec is current and breaks nothing,
/// every failure the spec implies answers the documented envelope in each
/// locale (snapshotted), and the client-team report is current.
#[tokio::test]
async fn the_kit_guards_spec_and_envelopes() {
    let (router, spec) = utoipa_app::app();
    let spec = serde_json::to_value(spec).expect("the spec serializes");
    let openapi = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi");
    // A todo to conflict with.
    let app = App {
        router: router.clone(),
        check: Conformance::new(&spec),
    };
    let (s, _) = app
        .send(
            "POST",
            "/api/v1/todo",
            true,
            Some(r#"{"value": "Buy milk"}"#),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    Kit::new(router, spec)
        .golden(format!("{openapi}/utoipa-app.json"))
        .report(format!("{openapi}/utoipa-app.md"))
        .snapshots(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/envelopes"))
        .locales(["en", "ko"])
        .auth(API_KEY_HEADER, "utoipa-rocks")
        .case(
            "create_duplicate",
            "POST",
            "/api/v1/todo",
            Some(json!({"value": "Buy milk"})),
            "todo_exists",
        )
        .case(
            "create_empty",
            "POST",
            "/api/v1/todo",
            Some(json!({"value": ""})),
            "validation_failed",
        )
        .case(
            "read_missing",
            "GET",
            "/api/v1/todo/99",
            None,
            "todo_not_found",
        )
        .case(
            "done_missing",
            "PUT",
            "/api/v1/todo/99",
            None,
            "todo_not_found",
        )
        .run()
        .await
        .assert_clean();
}

struct App {
    router: Router,
    check: Conformance,
}

impl App {
    fn new() -> Self {
        let check = Conformance::new(&generated());
        let router = utoipa_app::app().0.layer(check.layer());
        Self { router, check }
    }

    /// Sends a request; returns the status and the JSON body (or null).
    async fn send(
        &self,
        method: &str,
        uri: &str,
        key: bool,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        self.raw(method, uri, key, body.map(|b| ("application/json", b)))
            .await
    }

    async fn raw(
        &self,
        method: &str,
        uri: &str,
        key: bool,
        body: Option<(&str, &str)>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if key {
            req = req.header(API_KEY_HEADER, "utoipa-rocks");
        }
        let req = match body {
            Some((media, text)) => req
                .header(header::CONTENT_TYPE, media)
                .body(Body::from(text.to_owned())),
            None => req.body(Body::empty()),
        }
        .expect("a valid request");
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let id = res.headers().get("x-request-id").cloned();
        let bytes = res.into_body().collect().await.expect("a body").to_bytes();
        let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if status.is_client_error() || status.is_server_error() {
            let keys: Vec<&str> = json
                .as_object()
                .expect("an envelope")
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, ["code", "message", "fields", "request_id"], "{json}");
            assert_eq!(
                Some(json["request_id"].as_str().unwrap()),
                id.as_ref().map(|v| v.to_str().unwrap())
            );
        }
        (status, json)
    }

    /// Sends and expects an error envelope with `code`.
    async fn fails(
        &self,
        method: &str,
        uri: &str,
        key: bool,
        body: Option<&str>,
        status: u16,
        code: &str,
    ) {
        let (s, json) = self.send(method, uri, key, body).await;
        assert_eq!(
            (s.as_u16(), json["code"].as_str()),
            (status, Some(code)),
            "{method} {uri}: {json}"
        );
    }
}

#[tokio::test]
async fn every_answer_is_the_one_the_spec_documents() {
    let app = App::new();
    let todos = "/api/v1/todo";

    let (s, list) = app.send("GET", todos, false, None).await;
    assert_eq!((s, list), (StatusCode::OK, json!([])));

    let (s, todo) = app
        .send("POST", todos, true, Some(r#"{"value": "Buy milk"}"#))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(
        todo,
        json!({"id": 1, "value": "Buy milk", "done": false, "note": null})
    );

    app.fails(
        "POST",
        todos,
        true,
        Some(r#"{"value": "Buy milk"}"#),
        409,
        "todo_exists",
    )
    .await;
    app.fails(
        "POST",
        todos,
        false,
        Some(r#"{"value": "Bake"}"#),
        401,
        "unauthenticated",
    )
    .await;
    app.fails(
        "POST",
        todos,
        true,
        Some(r#"{"value": "#),
        400,
        "malformed_body",
    )
    .await;
    // The `#[validate]` rules the spec states are the ones enforced.
    let (s, json) = app
        .send("POST", todos, true, Some(r#"{"value": "", "note": null}"#))
        .await;
    assert_eq!(s.as_u16(), 422, "{json}");
    assert_eq!(json["fields"][0]["field"], "value", "{json}");
    let long = format!(r#"{{"value": "{}"}}"#, "x".repeat(101));
    let (s, json) = app.send("POST", todos, true, Some(&long)).await;
    assert_eq!(
        (s.as_u16(), &json["fields"][0]["field"]),
        (422, &json!("value"))
    );
    app.fails(
        "POST",
        todos,
        true,
        Some(r#"{"value": 5}"#),
        422,
        "validation_failed",
    )
    .await;
    let (s, json) = app
        .raw("POST", todos, true, Some(("text/plain", "Bake")))
        .await;
    assert_eq!(
        (s.as_u16(), json["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );

    let (s, one) = app.send("GET", "/api/v1/todo/1", false, None).await;
    assert_eq!(
        (s, one["value"].as_str()),
        (StatusCode::OK, Some("Buy milk"))
    );
    app.fails("GET", "/api/v1/todo/9", false, None, 404, "todo_not_found")
        .await;
    app.fails(
        "GET",
        "/api/v1/todo/abc",
        false,
        None,
        422,
        "validation_failed",
    )
    .await;
    app.fails(
        "GET",
        "/api/v1/todo?done=maybe",
        false,
        None,
        422,
        "validation_failed",
    )
    .await;

    let (s, done) = app.send("PUT", "/api/v1/todo/1", true, None).await;
    assert_eq!((s, done["done"].as_bool()), (StatusCode::OK, Some(true)));
    app.fails("PUT", "/api/v1/todo/9", true, None, 404, "todo_not_found")
        .await;
    app.fails("PUT", "/api/v1/todo/1", false, None, 401, "unauthenticated")
        .await;
    let (s, open) = app
        .send("GET", "/api/v1/todo?done=false", false, None)
        .await;
    assert_eq!((s, open), (StatusCode::OK, json!([])));

    app.fails(
        "DELETE",
        "/api/v1/todo/1",
        false,
        None,
        401,
        "unauthenticated",
    )
    .await;
    let (s, _) = app.send("DELETE", "/api/v1/todo/1", true, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    app.fails(
        "DELETE",
        "/api/v1/todo/1",
        true,
        None,
        404,
        "todo_not_found",
    )
    .await;

    // Outside every operation: still the envelope.
    app.fails("GET", "/api/v1/nothing", false, None, 404, "not_found")
        .await;
    app.fails(
        "PATCH",
        "/api/v1/todo/1",
        false,
        None,
        405,
        "method_not_allowed",
    )
    .await;

    app.check.assert_clean();
    assert!(app.check.recorded() >= 14, "the envelopes were recorded");
}
