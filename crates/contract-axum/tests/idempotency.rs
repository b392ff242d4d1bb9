//! Idempotent retries through a real router under `ErrorLayer`, on the
//! memory store: a replay, a reused key, a key in flight, a failure that
//! releases its key, scopes, a malformed key; and the spec.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::extract::{Request, State};
use contract_axum::idempotency::{IdempotencyKeys, MemoryStore};
use contract_axum::{ApiRouter, Created, ErrorLayer, Json, SpecBuilder, post};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::Notify;
use tower::ServiceExt;

#[derive(
    Clone, serde::Serialize, serde::Deserialize, validator::Validate, schemars::JsonSchema,
)]
struct Order {
    item: String,
}

#[derive(Clone, Default)]
struct Shop {
    made: Arc<AtomicU32>,
    gate: Arc<Notify>,
}

async fn order(
    State(shop): State<Shop>,
    Json(o): Json<Order>,
) -> Result<Created<Json<Value>>, contract_axum::Error> {
    if o.item == "slow" {
        shop.gate.notified().await;
    }
    if o.item == "none" {
        return Err(contract_axum::Error::new(
            StatusCode::CONFLICT,
            contract_axum::ErrorCode::CONFLICT,
        ));
    }
    let n = shop.made.fetch_add(1, Ordering::SeqCst) + 1;
    Ok(Created(Json(json!({"order": n, "item": o.item}))))
}

fn app(shop: Shop) -> (axum::Router, Value) {
    let (router, spec) = ApiRouter::new(SpecBuilder::new("Shop", "1"))
        .route("/orders", post(order).idempotent())
        .into_parts();
    let router = router
        .with_state(shop)
        .layer(axum::Extension(IdempotencyKeys::new(MemoryStore::new())))
        .layer(ErrorLayer::new());
    (router, spec.build())
}

async fn send(
    app: &axum::Router,
    key: Option<&str>,
    token: &str,
    item: &str,
) -> (u16, http::HeaderMap, Value) {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/orders")
        .header("content-type", "application/json")
        .header("authorization", token);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let body = Body::from(json!({"item": item}).to_string());
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    (
        parts.status.as_u16(),
        parts.headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_retry_replays_the_first_answer() {
    let shop = Shop::default();
    let (app, _) = app(shop.clone());
    let first = send(&app, Some("\"k-1\""), "a", "tea").await;
    assert_eq!(
        (first.0, &first.2),
        (201, &json!({"order": 1, "item": "tea"}))
    );
    let again = send(&app, Some("\"k-1\""), "a", "tea").await;
    assert_eq!((again.0, &again.2), (201, &first.2));
    assert_eq!(again.1["idempotent-replayed"], "true");
    assert_eq!(again.1["content-type"], "application/json");
    assert_eq!(shop.made.load(Ordering::SeqCst), 1, "made once");
    // Another body with the key: refused; another caller's key: its own.
    let other = send(&app, Some("\"k-1\""), "a", "coffee").await;
    assert_eq!(
        (other.0, other.2["code"].as_str()),
        (422, Some("idempotency_key_reused"))
    );
    let theirs = send(&app, Some("\"k-1\""), "b", "tea").await;
    assert_eq!((theirs.0, &theirs.2["order"]), (201, &json!(2)));
    // Without a key, nothing is kept.
    assert_eq!(send(&app, None, "a", "tea").await.2["order"], 3);
    assert_eq!(send(&app, None, "a", "tea").await.2["order"], 4);
}

#[tokio::test]
async fn a_failure_releases_its_key_and_a_running_one_is_in_flight() {
    let shop = Shop::default();
    let (app, _) = app(shop.clone());
    let failed = send(&app, Some("k-2"), "a", "none").await;
    assert_eq!(failed.0, 409);
    assert_eq!(failed.2["code"], "conflict");
    // The same key runs again (still failing), not replayed.
    assert!(
        send(&app, Some("k-2"), "a", "none")
            .await
            .1
            .get("idempotent-replayed")
            .is_none()
    );

    let slow = tokio::spawn({
        let app = app.clone();
        async move { send(&app, Some("k-3"), "a", "slow").await }
    });
    tokio::task::yield_now().await;
    let mut busy = send(&app, Some("k-3"), "a", "slow").await;
    for _ in 0..50 {
        if busy.0 == 409 {
            break;
        }
        tokio::task::yield_now().await;
        busy = send(&app, Some("k-3"), "a", "slow").await;
    }
    assert_eq!(
        (busy.0, busy.2["code"].as_str()),
        (409, Some("idempotency_key_in_flight"))
    );
    assert_eq!(busy.1["retry-after"], "1");
    shop.gate.notify_one();
    let done = slow.await.unwrap();
    assert_eq!(done.0, 201);
    assert_eq!(send(&app, Some("k-3"), "a", "slow").await.2, done.2);
}

#[tokio::test]
async fn a_malformed_key_is_named() {
    let (app, _) = app(Shop::default());
    let long = "x".repeat(256);
    for (key, code) in [
        ("", "blank"),
        (long.as_str(), "too_long"),
        (" k", "invalid_format"),
    ] {
        let (status, _, body) = send(&app, Some(key), "a", "tea").await;
        assert_eq!(status, 422, "{key}");
        assert_eq!(body["fields"][0]["field"], "Idempotency-Key");
        assert_eq!(body["fields"][0]["code"], code);
    }
}

#[test]
fn the_spec_documents_the_key_and_its_answers() {
    let (_, spec) = app(Shop::default());
    let op = &spec["paths"]["/orders"]["post"];
    let header = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .unwrap();
    assert_eq!(
        (header["in"].as_str(), header["required"].as_bool()),
        (Some("header"), Some(false))
    );
    assert_eq!(header["schema"]["maxLength"], 255);
    assert_eq!(
        op["responses"]["409"]["x-error-codes"],
        json!(["idempotency_key_in_flight"])
    );
    let unprocessable = op["responses"]["422"]["x-error-codes"].as_array().unwrap();
    assert!(unprocessable.contains(&json!("idempotency_key_reused")));
    assert!(op["responses"]["201"]["headers"]["Idempotent-Replayed"].is_object());
}
