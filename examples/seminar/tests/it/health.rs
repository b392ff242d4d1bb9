//! `/healthz` and `/readyz`: open to anyone; `/readyz` is 503 when the
//! database is gone. And the authentication cache's staleness, both ways.

use std::time::Duration;

use axum::body::Body;
use http::Request;
use http_body_util::BodyExt;
use seminar::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{SECRET, TestApp, assert_error, signup_participant};

#[tokio::test]
async fn healthz_and_readyz_answer_ok_without_a_token() {
    let app = TestApp::new().await;
    for path in ["/healthz", "/readyz"] {
        let reply = app.get(path).await;
        reply.expect(200);
        assert_eq!(reply.json, json!({"status": "ok"}), "{path}");
    }
}

#[tokio::test]
async fn readyz_is_service_unavailable_without_the_database() {
    let app = TestApp::new().await;
    app.db.close().await;
    let reply = app.get("/readyz").await;
    assert_error(&reply, 503, "service_unavailable");
    // Liveness does not depend on the database.
    app.get("/healthz").await.expect(200);
}

/// `GET /api/v1/user/me/` with `token` on `router`: the status.
async fn me_status(router: &axum::Router, token: &str) -> u16 {
    let req = Request::get("/api/v1/user/me/")
        .header("authorization", format!("JWT {token}"))
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let _: Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes())
        .unwrap_or(Value::Null);
    status
}

#[tokio::test]
async fn a_user_deleted_behind_the_servers_back_is_refused_once_the_cache_entry_expires() {
    let test = TestApp::new().await;
    let (id, token) = signup_participant(&test, "gone").await;
    let ttl = Duration::from_millis(300);
    let cached = app(AppState::new(test.db.clone(), SECRET).auth_cache_ttl(ttl));
    let uncached = app(AppState::new(test.db.clone(), SECRET).auth_cache_ttl(Duration::ZERO));
    assert_eq!(me_status(&cached, &token).await, 200);
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(test.db.pool())
        .await
        .unwrap();
    // Without the cache: refused at once. With it: the documented staleness,
    // then refused.
    assert_eq!(me_status(&uncached, &token).await, 401);
    // Within the TTL the token passes authentication; the handler then finds
    // no user.
    assert_eq!(me_status(&cached, &token).await, 404);
    tokio::time::sleep(ttl + Duration::from_millis(50)).await;
    assert_eq!(me_status(&cached, &token).await, 401);
}

/// The counter line of `http_responses_total` for these labels, if any.
fn count(metrics: &str, operation: &str, status: &str, code: &str) -> Option<u64> {
    let labels = format!("{{operation=\"{operation}\",status=\"{status}\",code=\"{code}\"}}");
    metrics
        .lines()
        .find(|l| l.starts_with("http_responses_total") && l.contains(&labels))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
}

#[tokio::test]
async fn metrics_count_responses_by_operation_status_and_code() {
    let app = TestApp::new().await;
    let path = "GET /api/v1/seminar/{seminar_id}/";
    let before = |m: &str| count(m, path, "401", "unauthenticated").unwrap_or(0);
    let first = app.get("/metrics").await;
    first.expect(200);
    let start = before(first.json.as_str().unwrap_or_default());
    for _ in 0..3 {
        assert_error(
            &app.get("/api/v1/seminar/12/").await,
            401,
            "unauthenticated",
        );
    }
    app.get("/healthz").await.expect(200);
    let reply = app.get("/metrics").await;
    reply.expect(200);
    let text = reply.json.as_str().expect("Prometheus text");
    // The route template, never the raw path; the envelope's code.
    assert_eq!(
        count(text, path, "401", "unauthenticated"),
        Some(start + 3),
        "{text}"
    );
    assert!(count(text, "GET /healthz", "200", "").is_some(), "{text}");
    assert!(!text.contains("/seminar/12/"), "raw paths stay out: {text}");
    assert!(
        text.contains(
            "http_request_duration_seconds_bucket{operation=\"GET /api/v1/seminar/{seminar_id}/\""
        ),
        "{text}"
    );
}
