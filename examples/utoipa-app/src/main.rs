//! Serves the todo API on `TODO_ADDR` (default `127.0.0.1:8080`), with its
//! spec at `/openapi.json`; `utoipa-app export-openapi` prints the spec.

use axum::Json;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let (router, api) = utoipa_app::app();
    let json = serde_json::to_string_pretty(&api).expect("the spec serializes") + "\n";
    if std::env::args().nth(1).as_deref() == Some("export-openapi") {
        print!("{json}");
        return;
    }
    let spec: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let router = router.route("/openapi.json", get(move || async move { Json(spec) }));
    let addr = std::env::var("TODO_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("the address is free");
    println!("serving the todo API on http://{addr}");
    axum::serve(listener, router).await.expect("serves");
}
