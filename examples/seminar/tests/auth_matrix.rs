//! The auth matrix, enumerated from the spec: every operation that requires
//! a token is called with no token, a malformed token, and the token of a
//! user that does not exist (401 `unauthenticated` each), and, where the
//! spec restricts it, with the wrong role or on another user's resource
//! (403 with the operation's code). A new protected operation missing from
//! the table below fails the test.

use axum::Router;
use axum::body::Body;
use http::Request;
use http_body_util::BodyExt;
use seminar::db::Db;
use seminar::{AppState, app, openapi};
use serde_json::{Value, json};
use tower::ServiceExt;

const SECRET: &str = "auth-matrix-secret-0123456789-0123456789-ab";

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    // A string is sent as it is, as CSV; anything else as JSON.
    let (media, body) = match body {
        Value::String(csv) => ("text/csv", csv),
        json => ("application/json", json.to_string()),
    };
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", media);
    if let Some(t) = token {
        req = req.header("authorization", format!("JWT {t}"));
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn signup(app: &Router, name: &str, role: &str) -> (i64, String) {
    let body = json!({"email": format!("{name}@example.com"), "username": name, "password": "password123", "role": role});
    let (status, v) = call(app, "POST", "/api/v1/signup/", None, body).await;
    assert_eq!(status, 201, "{v}");
    (
        v["id"].as_i64().unwrap(),
        v["token"].as_str().unwrap().to_owned(),
    )
}

fn forged(sub: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({ "sub": sub.to_string(), "iat": now, "exp": now + 3600 });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn every_protected_operation_refuses_the_wrong_caller() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite:{}", dir.path().join("m.db").display()))
        .await
        .unwrap();
    let app = app(AppState::new(db.clone(), SECRET));

    // The cast: an instructor running a seminar, another instructor, a
    // participant who joined it.
    let (owner_id, owner) = signup(&app, "owner", "instructor").await;
    let (_, other_instructor) = signup(&app, "other", "instructor").await;
    let (_, participant) = signup(&app, "participant", "participant").await;
    let (status, s) = call(
        &app,
        "POST",
        "/api/v1/seminar/",
        Some(&owner),
        json!({"name": "Rust", "capacity": 5, "count": 2, "time": "10:00"}),
    )
    .await;
    assert_eq!(status, 201);
    let sid = s["id"].as_i64().unwrap();
    let (status, _) = call(
        &app,
        "POST",
        &format!("/api/v1/seminar/{sid}/user/"),
        Some(&participant),
        json!({"role": "participant"}),
    )
    .await;
    assert_eq!(status, 201);
    let unknown_user = forged(owner_id + 1000);
    // The owner's import, as queued (this app runs no worker).
    let csv = "name,capacity,count,time\nRust,5,2,10:00\n";
    db.create_operation(
        "01JDX3T6K9Q4S2M8V7W5Y0Z1AB",
        owner_id,
        "import",
        csv,
        1,
        "01JDX3T6K9Q4S2M8V7W5Y0Z1AC",
    )
    .await
    .unwrap();
    let operation = "/api/v1/operations/01JDX3T6K9Q4S2M8V7W5Y0Z1AB/";

    // (method, spec path) -> concrete path, a valid body, and the wrong
    // callers with the status and code the spec demands.
    type Wrong<'a> = Vec<(&'a str, u16, &'a str)>;
    let table: Vec<(&str, &str, String, Value, Wrong)> = vec![
        (
            "post",
            "/api/v1/user/participant/",
            "/api/v1/user/participant/".into(),
            json!({}),
            vec![(participant.as_str(), 400, "already_participant")],
        ),
        (
            "get",
            "/api/v1/user/{user_id}/",
            "/api/v1/user/me/".into(),
            json!(null),
            vec![],
        ),
        (
            "put",
            "/api/v1/user/{user_id}/",
            format!("/api/v1/user/{owner_id}/"),
            json!({}),
            vec![(participant.as_str(), 403, "forbidden")],
        ),
        (
            "post",
            "/api/v1/seminar/",
            "/api/v1/seminar/".into(),
            json!({"name": "X", "capacity": 1, "count": 1, "time": "09:00"}),
            vec![(participant.as_str(), 403, "instructor_required")],
        ),
        (
            "get",
            "/api/v1/seminar/",
            "/api/v1/seminar/".into(),
            json!(null),
            vec![],
        ),
        (
            "get",
            "/api/v1/seminar/{seminar_id}/",
            format!("/api/v1/seminar/{sid}/"),
            json!(null),
            vec![],
        ),
        (
            "put",
            "/api/v1/seminar/{seminar_id}/",
            format!("/api/v1/seminar/{sid}/"),
            json!({"count": 3}),
            vec![
                (other_instructor.as_str(), 403, "not_seminar_instructor"),
                (participant.as_str(), 403, "not_seminar_instructor"),
            ],
        ),
        (
            "post",
            "/api/v1/seminar/{seminar_id}/user/",
            format!("/api/v1/seminar/{sid}/user/"),
            json!({"role": "instructor"}),
            vec![(participant.as_str(), 403, "role_required")],
        ),
        (
            "delete",
            "/api/v1/seminar/{seminar_id}/user/",
            format!("/api/v1/seminar/{sid}/user/"),
            json!(null),
            vec![(owner.as_str(), 403, "instructor_cannot_drop")],
        ),
        (
            "post",
            "/api/v1/seminar/import/",
            "/api/v1/seminar/import/".into(),
            json!("name,capacity,count,time\nGo,5,2,11:00\n"),
            vec![(participant.as_str(), 403, "instructor_required")],
        ),
        // Another user's operation is not theirs to see: `404`, as if
        // there were none.
        (
            "get",
            "/api/v1/operations/{operation_id}/",
            operation.into(),
            json!(null),
            vec![
                (other_instructor.as_str(), 404, "not_found"),
                (participant.as_str(), 404, "not_found"),
            ],
        ),
        (
            "delete",
            "/api/v1/operations/{operation_id}/",
            operation.into(),
            json!(null),
            vec![
                (other_instructor.as_str(), 404, "not_found"),
                (participant.as_str(), 404, "not_found"),
            ],
        ),
    ];

    let spec = openapi();
    let mut protected = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                protected.push((method.clone(), path.clone()));
            }
        }
    }
    protected.sort();
    let mut listed: Vec<(String, String)> = table
        .iter()
        .map(|(m, p, ..)| (m.to_string(), p.to_string()))
        .collect();
    listed.sort();
    assert_eq!(
        protected, listed,
        "every protected operation is in the matrix, and only those"
    );

    let mut cells = 0;
    for (method, _, path, body, wrong) in &table {
        let method = method.to_uppercase();
        for (who, token) in [
            ("no token", None),
            ("malformed", Some("abc.def")),
            ("unknown user", Some(unknown_user.as_str())),
        ] {
            let (status, v) = call(&app, &method, path, token, body.clone()).await;
            assert_eq!(
                (status, v["code"].as_str()),
                (401, Some("unauthenticated")),
                "{method} {path} with {who}: {v}"
            );
            cells += 1;
        }
        for (token, want_status, want_code) in wrong {
            let (status, v) = call(&app, &method, path, Some(token), body.clone()).await;
            assert_eq!(
                (status, v["code"].as_str()),
                (*want_status, Some(*want_code)),
                "{method} {path}: {v}"
            );
            cells += 1;
        }
    }
    eprintln!(
        "auth matrix: {} protected operations, {cells} cells",
        table.len()
    );
}
