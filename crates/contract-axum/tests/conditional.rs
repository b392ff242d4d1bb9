//! Conditional requests through a real router under `ErrorLayer`: an
//! `ETag` on a tagged answer, `304` for a matching `If-None-Match`, `412`
//! for a stale `If-Match`, `428` where it is required, a malformed header
//! named as the field; and how the spec documents each.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use contract_axum::{ApiRouter, ErrorLayer, IfMatch, Json, SpecBuilder, Tagged, get, put};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(
    Clone, serde::Serialize, serde::Deserialize, validator::Validate, schemars::JsonSchema,
)]
struct Note {
    text: String,
}

type Db = Arc<Mutex<Note>>;

async fn read(State(db): State<Db>) -> Tagged<Note> {
    Tagged(db.lock().unwrap().clone())
}

/// The check and the write under one lock, as a transaction would hold.
fn write(
    db: &Db,
    check: impl FnOnce(&Note) -> Result<(), contract_axum::Error>,
    new: Note,
) -> Result<Tagged<Note>, contract_axum::Error> {
    let mut note = db.lock().unwrap();
    check(&note)?;
    *note = new;
    Ok(Tagged(note.clone()))
}

async fn replace(
    State(db): State<Db>,
    if_match: IfMatch,
    Json(new): Json<Note>,
) -> Result<Tagged<Note>, contract_axum::Error> {
    write(&db, |n| if_match.check(n), new)
}

async fn replace_strict(
    State(db): State<Db>,
    if_match: IfMatch<true>,
    Json(new): Json<Note>,
) -> Result<Tagged<Note>, contract_axum::Error> {
    write(&db, |n| if_match.check(n), new)
}

fn app() -> (axum::Router, Value) {
    let db: Db = Arc::new(Mutex::new(Note {
        text: "first".into(),
    }));
    let (router, spec) = ApiRouter::new(SpecBuilder::new("Notes", "1"))
        .route("/note", get(read).put(replace))
        .route("/strict", put(replace_strict))
        .into_parts();
    (router.with_state(db).layer(ErrorLayer::new()), spec.build())
}

async fn call(
    router: &axum::Router,
    method: Method,
    uri: &str,
    header: Option<(&str, &str)>,
    body: Option<Value>,
) -> (StatusCode, http::HeaderMap, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some((name, value)) = header {
        req = req.header(name, value);
    }
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let res = router
        .clone()
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (parts.status, parts.headers, json)
}

#[tokio::test]
async fn a_read_is_tagged_and_answers_304_while_current() {
    let (app, _) = app();
    let (status, headers, body) = call(&app, Method::GET, "/note", None, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"text": "first"})));
    let tag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(
        tag,
        contract_axum::ETag::of(&json!({"text": "first"})).as_str()
    );

    let (status, headers, body) = call(
        &app,
        Method::GET,
        "/note",
        Some(("if-none-match", &tag)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(headers["etag"], tag.as_str());
    assert!(headers.get("content-type").is_none() && body.is_null());
    assert!(headers.get("x-request-id").is_some());

    // Another tag, or a write's method: the representation.
    let (status, ..) = call(
        &app,
        Method::GET,
        "/note",
        Some(("if-none-match", "\"old\"")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A malformed header is the client's error, named as the field.
    let (status, _, body) = call(
        &app,
        Method::GET,
        "/note",
        Some(("if-none-match", "old")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(
        body["fields"],
        json!([{"field": "If-None-Match", "code": "invalid_format", "message": body["fields"][0]["message"]}])
    );
}

#[tokio::test]
async fn two_writes_with_one_version_make_one_change() {
    let (app, _) = app();
    let (.., first) = call(&app, Method::GET, "/note", None, None).await;
    let tag = contract_axum::ETag::of(&first);
    let write = |text: &'static str| {
        let app = app.clone();
        let tag = tag.as_str().to_owned();
        async move {
            call(
                &app,
                Method::PUT,
                "/note",
                Some(("if-match", &tag)),
                Some(json!({"text": text})),
            )
            .await
        }
    };
    let (a, b) = tokio::join!(write("from phone A"), write("from phone B"));
    let mut statuses = [a.0.as_u16(), b.0.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412]);
    let failed = if a.0 == StatusCode::PRECONDITION_FAILED {
        &a
    } else {
        &b
    };
    assert_eq!(failed.2["code"], "precondition_failed");
    let won = if a.0 == StatusCode::OK { &a } else { &b };
    // The winner's answer carries the new version's tag.
    assert_eq!(won.1["etag"], contract_axum::ETag::of(&won.2).as_str());

    // Without If-Match a write is unconditional; `*` matches any version.
    let (status, ..) = call(&app, Method::PUT, "/note", None, Some(json!({"text": "c"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, ..) = call(
        &app,
        Method::PUT,
        "/note",
        Some(("if-match", "*")),
        Some(json!({"text": "d"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = call(
        &app,
        Method::PUT,
        "/note",
        Some(("if-match", "nope")),
        Some(json!({"text": "e"})),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["fields"][0]["field"].as_str()),
        (422, Some("If-Match"))
    );
    // Required: absent is 428.
    let (status, _, body) = call(
        &app,
        Method::PUT,
        "/strict",
        None,
        Some(json!({"text": "f"})),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (428, Some("precondition_required"))
    );
}

#[test]
fn the_spec_documents_the_headers_and_their_answers() {
    let (_, spec) = app();
    let get = &spec["paths"]["/note"]["get"];
    assert!(get["responses"]["200"]["headers"]["ETag"].is_object());
    assert!(get["responses"]["304"]["headers"]["ETag"].is_object());
    assert!(get["responses"]["304"].get("content").is_none());
    let names = |op: &Value| -> Vec<(String, bool)> {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    format!(
                        "{} {}",
                        p["in"].as_str().unwrap(),
                        p["name"].as_str().unwrap()
                    ),
                    p["required"] == true,
                )
            })
            .collect()
    };
    assert_eq!(names(get), [("header If-None-Match".to_owned(), false)]);
    let put = &spec["paths"]["/note"]["put"];
    assert_eq!(names(put), [("header If-Match".to_owned(), false)]);
    assert_eq!(
        put["responses"]["412"]["x-error-codes"],
        json!(["precondition_failed"])
    );
    assert!(put["responses"].get("428").is_none());
    assert!(put["responses"].get("304").is_none());
    let strict = &spec["paths"]["/strict"]["put"];
    assert_eq!(names(strict), [("header If-Match".to_owned(), true)]);
    assert_eq!(
        strict["responses"]["428"]["x-error-codes"],
        json!(["precondition_required"])
    );
}
