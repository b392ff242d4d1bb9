//! The adoption steps agree on the wire: the same bad request gets the same
//! status, code and first field at each level an app can stand at.
//!
//! 1. axum's own `Json`, `Path` and `Query` under `ErrorLayer` (three lines);
//! 2. contract's extractors on a plain axum `Router`, under the contract's layer;
//! 3. the same handlers on `ApiRouter`, which adds the spec.
//!
//! The README's table is this test's cases.

use axum::Router;
use axum::routing as axum_routing;
use contract_axum::{ApiRouter, Contract};
use http::StatusCode;
use serde::Deserialize;

use crate::{json_request, request, send};

#[derive(Deserialize, validator::Validate, schemars::JsonSchema)]
#[allow(dead_code, reason = "only deserialized")]
struct NewTodo {
    text: String,
    done: bool,
    tags: Vec<String>,
    owner: Owner,
}

#[derive(Deserialize, validator::Validate, schemars::JsonSchema)]
#[allow(dead_code, reason = "only deserialized")]
struct Owner {
    id: u32,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[allow(dead_code, reason = "only deserialized")]
struct Page {
    limit: Option<usize>,
    done: Option<bool>,
}

/// The todo routes on a plain axum `Router`, with the `Json`, `Path` and
/// `Query` of the module given (axum's or contract's).
macro_rules! todo_routes {
    ($($extractors:ident)::+) => {{
        use $($extractors)::+::{Json, Path, Query};
        Router::new()
            .route(
                "/todos",
                axum_routing::get(|Query(_): Query<Page>| async { "[]" })
                    .post(|Json(_): Json<NewTodo>| async { StatusCode::CREATED }),
            )
            .route(
                "/todos/{id}",
                axum_routing::get(|Path(_): Path<u32>| async { "{}" }),
            )
            .route(
                "/todos/{id}/tags/{n}",
                axum_routing::get(|Path(_): Path<(u32, u16)>| async { "{}" }),
            )
    }};
}

/// Level 1: a plain axum app with contract's three lines.
fn axum_level() -> Router {
    todo_routes!(axum::extract).layer(contract_axum::ErrorLayer::new())
}

/// Level 2: contract's extractors, no spec yet.
fn extractor_level() -> Router {
    todo_routes!(contract_axum).layer(Contract::new().layer())
}

async fn list(contract_axum::Query(_): contract_axum::Query<Page>) -> StatusCode {
    StatusCode::OK
}
async fn create(contract_axum::Json(_): contract_axum::Json<NewTodo>) -> StatusCode {
    StatusCode::OK
}
async fn one(contract_axum::Path(_): contract_axum::Path<u32>) -> StatusCode {
    StatusCode::OK
}
async fn tag(contract_axum::Path(_): contract_axum::Path<(u32, u16)>) -> StatusCode {
    StatusCode::OK
}

/// Level 3: `ApiRouter`, with the spec.
fn api_level() -> Router {
    use contract_axum::get;
    let contract = Contract::new();
    let (api, _spec) = ApiRouter::new(contract.spec("Todos", "1"))
        .route("/todos", get(list).post(create))
        .route("/todos/{id}", get(one))
        .route("/todos/{id}/tags/{n}", get(tag))
        .into_parts();
    api.layer(contract.layer())
}

const VALID: &str = r#"{"text": "a", "done": true, "tags": [], "owner": {"id": 1}}"#;

/// A bad request, and what every level answers: status, code, first field.
struct Case {
    method: &'static str,
    uri: &'static str,
    content_type: Option<&'static str>,
    body: String,
    status: StatusCode,
    code: &'static str,
    field: Option<(&'static str, &'static str)>,
}

fn body(json: &str) -> Case {
    Case {
        method: "POST",
        uri: "/todos",
        content_type: Some("application/json"),
        body: json.to_owned(),
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "validation_failed",
        field: None,
    }
}

fn get(uri: &'static str) -> Case {
    Case {
        method: "GET",
        uri,
        content_type: None,
        body: String::new(),
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "validation_failed",
        field: None,
    }
}

impl Case {
    fn answers(mut self, status: StatusCode, code: &'static str) -> Self {
        (self.status, self.code) = (status, code);
        self
    }
    fn field(mut self, field: &'static str, code: &'static str) -> Self {
        self.field = Some((field, code));
        self
    }
    fn malformed(self) -> Self {
        self.answers(StatusCode::BAD_REQUEST, "malformed_body")
    }
}

fn cases() -> Vec<Case> {
    let with = |key: &str, value: &str| {
        let mut v: serde_json::Value = serde_json::from_str(VALID).unwrap();
        let (outer, inner) = key.split_once('.').unwrap_or((key, ""));
        let target = if inner.is_empty() {
            &mut v[outer]
        } else {
            &mut v[outer][inner]
        };
        *target = serde_json::from_str(value).unwrap();
        v.to_string()
    };
    let huge = format!(
        r#"{{"text": "{}", "done": true, "tags": [], "owner": {{"id": 1}}}}"#,
        "a".repeat(3 << 20)
    );
    vec![
        body("not json").malformed(),
        body("").malformed(),
        body(r#"{"text": "a""#).malformed(),
        body("[]").malformed(),
        body(r#""text""#).malformed(),
        body("null").malformed(),
        body("{}").field("text", "required"),
        body(&with("text", "1")).field("text", "not_string"),
        body(&with("text", "null")).field("text", "null_not_allowed"),
        body(&with("done", r#""no""#)).field("done", "not_boolean"),
        body(&with("tags", "[1]")).field("tags[0]", "not_string"),
        body(&with("tags", r#""a""#)).field("tags", "not_array"),
        body(&with("owner", r#""x""#)).field("owner", "not_object"),
        body(&with("owner.id", "-1")).field("owner.id", "too_small"),
        body(&with("owner.id", r#""1""#)).field("owner.id", "not_integer"),
        body(&with("owner", "{}")).field("owner.id", "required"),
        Case {
            content_type: Some("text/plain"),
            ..body(VALID)
        }
        .answers(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        Case {
            content_type: None,
            ..body(VALID)
        }
        .answers(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        body(&huge).answers(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        get("/todos/abc").field("id", "not_integer"),
        get("/todos/99999999999").field("id", "too_large"),
        get("/todos/-1").field("id", "too_small"),
        get("/todos/%FF").field("id", "invalid_format"),
        get("/todos/1/tags/x").field("n", "not_integer"),
        get("/todos/1/tags/70000").field("n", "too_large"),
        get("/todos?limit=abc").field("limit", "not_integer"),
        get("/todos?limit=").field("limit", "not_integer"),
        get("/todos?limit=-5").field("limit", "too_small"),
        get("/todos?limit=99999999999999999999999").field("limit", "too_large"),
        get("/todos?done=maybe").field("done", "not_boolean"),
        Case {
            method: "DELETE",
            ..get("/todos")
        }
        .answers(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        get("/nothing-here").answers(StatusCode::NOT_FOUND, "not_found"),
    ]
}

#[tokio::test]
async fn every_adoption_step_answers_the_same_status_code_and_field() {
    let levels = [
        ("ErrorLayer", axum_level()),
        ("extractors", extractor_level()),
        ("ApiRouter", api_level()),
    ];
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let want = (case.status, case.code, case.field);
        for (level, app) in &levels {
            let req = match case.content_type {
                Some("application/json") => {
                    json_request(case.method, case.uri, "en", case.body.clone())
                }
                Some(other) => request(case.method, case.uri, "en")
                    .header("content-type", other)
                    .body(case.body.clone().into())
                    .unwrap(),
                None => request(case.method, case.uri, "en")
                    .body(case.body.clone().into())
                    .unwrap(),
            };
            let reply = send(app, req).await;
            let json = reply.json();
            let first = json["fields"]
                .as_array()
                .and_then(|fs| fs.first())
                .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()));
            let got = (reply.status, json["code"].as_str().unwrap(), first);
            if got != want {
                failures.push(format!(
                    "{level}: {} {} {:.40}: got {got:?}, want {want:?}",
                    case.method, case.uri, case.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} answers differ:\n{}",
        failures.len(),
        cases.len() * levels.len(),
        failures.join("\n")
    );
}
