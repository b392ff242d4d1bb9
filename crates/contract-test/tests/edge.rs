//! The kit's checks of the API edge, on an app that keeps its promises and
//! on one that breaks each: a write that ignores `If-Match`, a retry that
//! runs twice, a list whose pages repeat an item, a job that fails with a
//! code the spec does not list for it.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use contract_axum::idempotency::{IdempotencyKeys, MemoryStore};
use contract_axum::operation::{Accepted, Operation, OperationStatus};
use contract_axum::{
    ApiRouter, Created, ErrorLayer, IfMatch, Json, Page, Paging, Path, SpecBuilder, Tagged, get,
    post,
};
use contract_test::Kit;
use serde_json::{Value, json};

#[derive(
    Clone, serde::Serialize, serde::Deserialize, validator::Validate, schemars::JsonSchema,
)]
struct Note {
    text: String,
}

#[derive(Clone, Default)]
struct Db {
    notes: Arc<Mutex<Vec<String>>>,
    /// Breaks each promise.
    broken: bool,
}

async fn read(State(db): State<Db>) -> Tagged<Note> {
    Tagged(Note {
        text: db.notes.lock().unwrap().join(","),
    })
}

async fn write(
    State(db): State<Db>,
    if_match: IfMatch,
    Json(n): Json<Note>,
) -> Result<Tagged<Note>, contract_axum::Error> {
    let mut notes = db.notes.lock().unwrap();
    let current = Note {
        text: notes.join(","),
    };
    if !db.broken {
        if_match.check(&current)?;
    }
    notes.push(n.text);
    Ok(Tagged(Note {
        text: notes.join(","),
    }))
}

async fn add(State(db): State<Db>, Json(n): Json<Note>) -> Created<Json<Value>> {
    let mut notes = db.notes.lock().unwrap();
    notes.push(n.text);
    Created(Json(json!({"count": notes.len()})))
}

async fn list(State(db): State<Db>, paging: Paging) -> Result<Page<Value>, contract_axum::Error> {
    let notes = db.notes.lock().unwrap().clone();
    let after: usize = paging.after()?.unwrap_or(0);
    // The broken one starts every page one item early.
    let start = if db.broken {
        after.saturating_sub(1)
    } else {
        after
    };
    let limit = paging.limit() as usize;
    let items: Vec<Value> = notes
        .iter()
        .enumerate()
        .skip(start)
        .take(limit)
        .map(|(i, t)| json!({"id": i, "text": t}))
        .collect();
    let next = (start + limit < notes.len()).then_some(start + limit);
    Ok(paging.page(items, next))
}

/// What the notes job can end with.
struct JobErrors;

impl contract_axum::DeclaredErrors for JobErrors {
    fn declare(out: &mut Vec<contract_axum::Declared>) {
        out.push(contract_axum::Declared::builtin(
            contract_axum::ErrorCode::VALIDATION_FAILED,
        ));
    }
}

const AT: &str = "2026-12-07T00:00:00Z";

async fn start_job(Json(_): Json<Note>) -> Accepted<Note, JobErrors> {
    Accepted::new(
        Operation::new("1", OperationStatus::Pending, AT, AT),
        "/jobs/1",
    )
}

/// The job has failed; the broken app with a code it never declared.
async fn job(State(db): State<Db>, Path(id): Path<String>) -> Operation<Note, JobErrors> {
    let mut op = Operation::new(id, OperationStatus::Failed, AT, AT);
    let code = if db.broken {
        "out_of_paper"
    } else {
        "validation_failed"
    };
    let err = contract_axum::Error::new(
        http::StatusCode::UNPROCESSABLE_ENTITY,
        contract_axum::ErrorCode::new(code).unwrap(),
    );
    op.error = Some(contract_axum::Failure::new(&err, "01REQUEST"));
    op
}

fn app(db: Db) -> (Router, Value) {
    let (router, spec) = ApiRouter::new(SpecBuilder::new("Notes", "1"))
        .route("/note", get(read).put(write))
        .route("/notes", post(add).idempotent().get(list))
        .route("/jobs", post(start_job))
        .route("/jobs/{id}", get(job))
        .into_parts();
    let keys = if db.broken {
        // No store: a key is not looked at.
        None
    } else {
        Some(IdempotencyKeys::new(MemoryStore::new()))
    };
    let mut router = router.with_state(db);
    if let Some(keys) = keys {
        router = router.layer(axum::Extension(keys));
    }
    (router.layer(ErrorLayer::new()), spec.build())
}

async fn run(broken: bool) -> Vec<String> {
    let db = Db {
        notes: Arc::new(Mutex::new(vec!["a".into(), "b".into(), "c".into()])),
        broken,
    };
    let (router, spec) = app(db);
    Kit::new(router, spec)
        .locales(["en"])
        .conditional("/note", "PUT", "/note", json!({"text": "d"}))
        .idempotent("POST", "/notes", json!({"text": "e"}), json!({"text": "f"}))
        .pages("/notes?limit=2", "id")
        .accepted(
            "POST",
            "/jobs",
            "application/json",
            br#"{"text": "j"}"#.to_vec(),
        )
        .run()
        .await
        .failures
}

#[tokio::test]
async fn kept_promises_pass() {
    let failures = run(false).await;
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn each_broken_promise_is_named() {
    let failures = run(true).await.join("\n");
    for needle in [
        "conditional PUT /note: again with the now stale ETag",
        "idempotent POST /notes",
        "pages of /notes?limit=2: item id=",
        "accepted POST /jobs: GET /jobs/1: failed with",
    ] {
        assert!(failures.contains(needle), "{needle}:\n{failures}");
    }
}
