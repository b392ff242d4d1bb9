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
