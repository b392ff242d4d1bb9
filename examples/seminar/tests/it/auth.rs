//! Authentication (`Authorization: JWT <token>` or `Bearer <token>`), and
//! what every response shares: the envelope, request ids, unknown routes,
//! the served OpenAPI document.

use http::Method;
use serde_json::{Value, json};

use crate::support::{
    SECRET, TestApp, assert_error, me, now_secs, sign, signup_body, signup_instructor,
    signup_participant, token_for,
};

/// Every protected operation, with a body that would otherwise be fine.
fn protected(seminar: i64, user: i64) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/api/v1/user/me/".into(), None),
        (Method::GET, format!("/api/v1/user/{user}/"), None),
        (Method::PUT, "/api/v1/user/me/".into(), Some(json!({}))),
        (
            Method::POST,
            "/api/v1/user/participant/".into(),
            Some(json!({})),
        ),
        (
            Method::POST,
            "/api/v1/seminar/".into(),
            Some(json!({"name": "S", "capacity": 1, "count": 1, "time": "10:00"})),
        ),
        (Method::GET, "/api/v1/seminar/".into(), None),
        (Method::GET, format!("/api/v1/seminar/{seminar}/"), None),
        (
            Method::PUT,
            format!("/api/v1/seminar/{seminar}/"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/seminar/{seminar}/user/"),
            Some(json!({"role": "participant"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/seminar/{seminar}/user/"),
            None,
        ),
    ]
}

/// Sends `(method, path, body)` with an optional `Authorization` value.
async fn call(
    app: &TestApp,
    (method, path, body): &(Method, String, Option<Value>),
    authorization: Option<&str>,
) -> crate::support::Reply {
    let mut req = app.request(method.clone(), path);
    if let Some(b) = body {
        req = req.json(b.clone());
    }
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    req.await
}

#[tokio::test]
async fn every_protected_endpoint_needs_a_token() {
    let app = TestApp::new().await;
    let (user, i) = signup_instructor(&app, "ian").await;
    let seminar = crate::support::create_seminar(&app, &i, "Rust", 5).await;
    for op in protected(seminar, user) {
        let r = call(&app, &op, None).await;
        assert_error(&r, 401, "unauthenticated");
        assert!(r.json["fields"].as_array().unwrap().is_empty());
        let r = call(&app, &op, Some("JWT not-a-token")).await;
        assert_error(&r, 401, "unauthenticated");
    }
    // With a token, each of them answers 2xx (the instructor drops nothing
    // of his own: a 403, which is not a 401 either).
    let (_, p) = signup_participant(&app, "ann").await;
    for op in protected(seminar, user) {
        let token = if op.0 == Method::PUT && op.1.starts_with("/api/v1/seminar/") {
            i.clone()
        } else {
            p.clone()
        };
        let r = call(&app, &op, Some(&format!("JWT {token}"))).await;
        let expected = match (&op.0, op.1.as_str()) {
            (&Method::POST, "/api/v1/user/participant/") => 400, // already a participant
            (&Method::POST, "/api/v1/seminar/") => 403,          // not an instructor
            (&Method::POST, _) => 201,
            _ => 200,
        };
        assert_eq!(r.status, expected, "{} {}: {:#}", op.0, op.1, r.json);
    }
}

#[tokio::test]
async fn authentication_comes_before_validation_and_lookups() {
    let app = TestApp::new().await;
    for (method, path, body) in [
        (Method::GET, "/api/v1/user/abc/", None),
        (Method::GET, "/api/v1/user/999/", None),
        (
            Method::PUT,
            "/api/v1/user/me/",
            Some(json!({"password": "x"})),
        ),
        (
            Method::PUT,
            "/api/v1/seminar/abc/",
            Some(json!({"capacity": 0})),
        ),
        (
            Method::POST,
            "/api/v1/seminar/999/user/",
            Some(json!({"role": "x"})),
        ),
        (Method::DELETE, "/api/v1/seminar/999/user/", None),
        (Method::POST, "/api/v1/seminar/", Some(json!({}))),
    ] {
        let r = call(&app, &(method, path.to_owned(), body), None).await;
        assert_error(&r, 401, "unauthenticated");
    }
}

#[tokio::test]
async fn authorization_schemes() {
    let app = TestApp::new().await;
    let (id, token) = signup_participant(&app, "ann").await;
    for header in [
        format!("JWT {token}"),
        format!("Bearer {token}"),
        format!("jwt {token}"),
        format!("bearer {token}"),
    ] {
        let r = app
            .get("/api/v1/user/me/")
            .header("authorization", &header)
            .await;
        r.expect(200);
        assert_eq!(r.json["id"], id, "{header}");
    }
    for header in [
        format!("Token {token}"),
        format!("Basic {token}"),
        token.clone(),
        "JWT".to_owned(),
        "JWT ".to_owned(),
        "Bearer".to_owned(),
        format!("JWT {token}x"),
        format!("JWT {}", &token[..token.len() - 2]),
        "JWT a.b.c".to_owned(),
        String::new(),
    ] {
        let r = app
            .get("/api/v1/user/me/")
            .header("authorization", &header)
            .await;
        assert_error(&r, 401, "unauthenticated");
    }
}

#[tokio::test]
async fn forged_expired_and_orphan_tokens() {
    let app = TestApp::new().await;
    let (id, _) = signup_participant(&app, "ann").await;
    let now = now_secs();
    let good = json!({"sub": id.to_string(), "iat": now, "exp": now + 600});
    // The test mints valid tokens like the server's.
    me(&app, &sign(&good, SECRET)).await;
    me(&app, &token_for(id)).await;

    let other_secret = sign(&good, "another-secret-another-secret-another");
    let expired = sign(
        &json!({"sub": id.to_string(), "iat": now - 8 * 86400, "exp": now - 86400}),
        SECRET,
    );
    let just_expired = sign(
        &json!({"sub": id.to_string(), "iat": now - 600, "exp": now - 2}),
        SECRET,
    );
    let no_exp = sign(&json!({"sub": id.to_string(), "iat": now}), SECRET);
    let no_sub = sign(&json!({"iat": now, "exp": now + 600}), SECRET);
    let bad_sub = sign(&json!({"sub": "ann", "iat": now, "exp": now + 600}), SECRET);
    let orphan = token_for(id + 1000);
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &good,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("sign");
    // `alg: none`, unsigned.
    let unsigned = {
        let good = sign(&good, SECRET);
        let payload = good.split('.').nth(1).unwrap().to_owned();
        // {"alg":"none","typ":"JWT"}
        format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.")
    };
    for (what, token) in [
        ("another secret", other_secret),
        ("expired", expired),
        ("just expired", just_expired),
        ("no exp", no_exp),
        ("no sub", no_sub),
        ("sub not an id", bad_sub),
        ("no such user", orphan),
        ("HS512", hs512),
        ("alg none", unsigned),
    ] {
        let r = app.get("/api/v1/user/me/").with_token(&token).await;
        assert_eq!(r.status, 401, "{what}: {:#}", r.json);
        assert_error(&r, 401, "unauthenticated");
        let r = app.get("/api/v1/seminar/").with_token(&token).await;
        assert_error(&r, 401, "unauthenticated");
    }
}

#[tokio::test]
async fn tokens_last_seven_days() {
    let app = TestApp::new().await;
    let r = app
        .post("/api/v1/signup/", signup_body("ann", "participant"))
        .await;
    r.expect(201);
    let token = r.json["token"].as_str().unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data = jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()),
        &validation,
    )
    .expect("a token signed with the app's secret");
    let claims = data.claims;
    assert_eq!(claims["sub"], r.json["id"].to_string());
    let exp = claims["exp"].as_u64().expect("exp");
    let week = 7 * 24 * 3600;
    let now = now_secs();
    assert!(exp.abs_diff(now + week) < 120, "exp {exp}, now {now}");
}

#[tokio::test]
async fn signup_and_login_need_no_token() {
    let app = TestApp::new().await;
    // A bad Authorization header is not even looked at.
    let r = app
        .post("/api/v1/signup/", signup_body("ann", "participant"))
        .header("authorization", "JWT garbage")
        .await;
    r.expect(201);
    let r = app
        .post(
            "/api/v1/login/",
            json!({"email": "ann@example.com", "password": crate::support::PASSWORD}),
        )
        .header("authorization", "JWT garbage")
        .await;
    r.expect(200);
}

#[tokio::test]
async fn request_ids_are_echoed() {
    let app = TestApp::new().await;
    let r = app
        .get("/api/v1/user/me/")
        .header("x-request-id", "client-id-123")
        .await;
    assert_error(&r, 401, "unauthenticated");
    assert_eq!(r.json["request_id"], "client-id-123");
    // A new id for each request otherwise.
    let a = app.get("/api/v1/user/me/").await;
    let b = app.get("/api/v1/user/me/").await;
    assert_ne!(a.json["request_id"], b.json["request_id"]);
    // Successful replies carry one too.
    let (_, token) = signup_participant(&app, "ann").await;
    let r = app.get("/api/v1/user/me/").with_token(&token).await;
    r.expect(200);
    assert!(r.headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let app = TestApp::new().await;
    let (_, token) = signup_participant(&app, "ann").await;
    let before = app.recorded_errors();
    let r = app.get("/api/v1/nothing/").with_token(&token).await;
    assert_error(&r, 404, "not_found");
    assert_eq!(
        app.recorded_errors(),
        before + 1,
        "the conformance layer sees errors"
    );
    let r = app.get("/api/v2/seminar/").with_token(&token).await;
    assert_error(&r, 404, "not_found");
    let r = app
        .request(Method::DELETE, "/api/v1/signup/")
        .with_token(&token)
        .await;
    assert_error(&r, 405, "method_not_allowed");
    let r = app
        .request(Method::PATCH, "/api/v1/user/me/")
        .with_token(&token)
        .await;
    assert_error(&r, 405, "method_not_allowed");
}

#[tokio::test]
async fn the_spec_is_served() {
    let app = TestApp::new().await;
    let r = app.get("/openapi.json").await;
    r.expect(200);
    assert_eq!(r.json, seminar::openapi());
    // Swagger UI, its files embedded, and the nullability-class page.
    let page = |r: &crate::support::Reply| r.json.as_str().unwrap_or_default().to_owned();
    let r = app.get("/docs").send().await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    assert!(html.contains("SwaggerUIBundle") && html.contains("\"/openapi.json\""));
    assert!(!html.contains("http://") && !html.contains("https://"));
    for (file, content_type) in [
        ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        ("swagger-ui.css", "text/css; charset=utf-8"),
        ("favicon-32x32.png", "image/png"),
    ] {
        assert!(html.contains(&format!("/docs/{file}")), "{file} is linked");
        let r = app.get(&format!("/docs/{file}")).send().await;
        assert_eq!(r.status, 200, "{file}");
        assert_eq!(
            r.headers[http::header::CONTENT_TYPE],
            content_type,
            "{file}"
        );
    }
    let r = app.get("/docs/classes").send().await;
    assert_eq!(r.status, 200);
    assert!(
        page(&r).contains("href=\"/docs\""),
        "links back to Swagger UI"
    );
    assert!(
        html.contains("href=\"/docs/classes\""),
        "Swagger UI links to it"
    );
    let r = app.get("/docs/nothing.js").send().await;
    assert_error(&r, 404, "not_found");
}
