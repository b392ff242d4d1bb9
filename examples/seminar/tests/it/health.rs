//! `/healthz` and `/readyz`: open to anyone; `/readyz` is 503 when the
//! database is gone.

use serde_json::json;

use crate::support::{TestApp, assert_error};

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
