//! contract's test kit over the seminar API: the committed spec
//! (`openapi/seminar.json`) is what the code generates, every failure the
//! spec implies answers the documented envelope in all eight shipped locales
//! (snapshotted under `tests/envelopes/`), the seminar's own conflicts
//! answer their codes, conditional writes, idempotent joins and pages
//! behave as documented, and the client-team report (`openapi/seminar.md`)
//! is current. `CONTRACT_UPDATE=1` rewrites the spec and the report.

use axum::Router;
use axum::body::Body;
use contract_test::{Kit, Profile};
use http::Request;
use http_body_util::BodyExt;
use seminar::db::Db;
use seminar::jobs::{JobSettings, Jobs};
use seminar::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const SECRET: &str = "a test secret that is long enough for HS256";

/// POSTs `body` as `token`'s user; the reply's JSON.
async fn post(router: &Router, path: &str, token: Option<&str>, body: Value) -> Value {
    let mut req = Request::post(path).header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("JWT {t}"));
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

async fn signup(router: &Router, name: &str, role: &str) -> String {
    let user = post(
        router,
        "/api/v1/signup/",
        None,
        json!({"email": format!("{name}@example.com"), "username": name, "password": "password-1234", "role": role}),
    )
    .await;
    user["token"].as_str().expect("a token").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kit_guards_the_seminar_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!(
        "sqlite:{}",
        dir.path().join("seminar.db").display()
    ))
    .await
    .unwrap();
    // A job worker on the same database, for the import.
    let url = format!("sqlite:{}", dir.path().join("seminar.db").display());
    let jobs = Jobs::open(&db, &url, JobSettings::default()).await.unwrap();
    let worker = jobs.clone();
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let stop = async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        worker.work("kit", false, stop).await.unwrap();
    });
    let router = app(AppState::new(db, SECRET).with_jobs(jobs));
    // A full seminar, run by `ian`, which `pia` joined and `pat` cannot.
    let ian = signup(&router, "ian", "instructor").await;
    let pia = signup(&router, "pia", "participant").await;
    let pat = signup(&router, "pat", "participant").await;
    let seminar = post(
        &router,
        "/api/v1/seminar/",
        Some(&ian),
        json!({"name": "Rust", "capacity": 1, "count": 3, "time": "18:30"}),
    )
    .await;
    let join = format!("/api/v1/seminar/{}/user/", seminar["id"]);
    post(&router, &join, Some(&pia), json!({"role": "participant"})).await;
    // A second seminar, with room, for the edge checks.
    let ivy = signup(&router, "ivy", "instructor").await;
    let pam = signup(&router, "pam", "participant").await;
    let go = post(
        &router,
        "/api/v1/seminar/",
        Some(&ivy),
        json!({"name": "Go", "capacity": 5, "count": 2, "time": "10:00"}),
    )
    .await;
    let go_path = format!("/api/v1/seminar/{}/", go["id"]);

    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi");
    let jwt = |t: &str| format!("JWT {t}");
    Kit::new(router, seminar::openapi())
        .golden(format!("{root}/seminar.json"))
        .report(format!("{root}/seminar.md"))
        // What Apple's generator and the 3.0-only generators read.
        .profile(Profile::Swift, format!("{root}/seminar.swift.json"))
        .profile(Profile::OpenApi30, format!("{root}/seminar.3.0.json"))
        .snapshots(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/envelopes"))
        .locales(["en", "ko", "ja", "zh-Hans", "es", "pt-BR", "de", "fr"])
        .body_limit(64 * 1024)
        .case("signup_email_taken", "POST", "/api/v1/signup/", Some(json!({"email": "ian@example.com", "username": "ian2", "password": "password-1234", "role": "participant"})), "email_taken")
        .case("login_wrong_password", "POST", "/api/v1/login/", Some(json!({"email": "ian@example.com", "password": "wrong-password"})), "invalid_credentials")
        .auth("authorization", &jwt(&pat))
        .case("join_full", "POST", &join, Some(json!({"role": "participant"})), "seminar_full")
        .auth("authorization", &jwt(&ivy))
        .conditional(&go_path, "PUT", &go_path, json!({"count": 4}))
        .pages("/api/v1/seminar/?limit=1", "id")
        // One import that succeeds, one that fails on its rows.
        .accepted("POST", "/api/v1/seminar/import/", "text/csv", "name,capacity,count,time\nKit,3,2,08:00\n")
        .accepted("POST", "/api/v1/seminar/import/", "text/csv", "name,capacity,count,time\nKit,0,2,25:00\n")
        .auth("authorization", &jwt(&pam))
        .idempotent("POST", &format!("{go_path}user/"), json!({"role": "participant"}), json!({"role": "instructor"}))
        .auth("authorization", &jwt(&ian))
        .case("create_second", "POST", "/api/v1/seminar/", Some(json!({"name": "Two", "capacity": 1, "count": 1, "time": "09:00"})), "already_in_charge")
        .case("get_unknown_seminar", "GET", "/api/v1/seminar/999/", None, "not_found")
        .run()
        .await
        .assert_clean();
    let _ = stop.send(true);
}
