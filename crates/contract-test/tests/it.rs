//! The kit on a small app of its own: one test function gets the golden
//! spec, the failure matrix and conformance; each planted fault makes the
//! kit fail, naming the operation.

use axum::Router;
use contract_axum::{
    ApiError, ApiRouter, Created, ErrorLayer, Json, Path, SpecBuilder, get, get_with, post,
    post_with,
};
use contract_test::{Baseline, Kit};
use http::StatusCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use validator::Validate;

const DIR: &str = env!("CARGO_MANIFEST_DIR");

/// A note to write.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
struct NewNote {
    /// The title, 1-20 characters.
    #[validate(length(min = 1, max = 20))]
    title: String,
    /// Stars, 1-5.
    #[validate(range(min = 1, max = 5))]
    stars: u8,
}

/// A note.
#[derive(Debug, Serialize, JsonSchema)]
struct Note {
    /// Its id.
    id: i64,
    /// Its title.
    title: String,
    /// A tag, null when none.
    tag: Option<String>,
}

/// Path of one note.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
struct NotePath {
    /// The note's id.
    #[validate(range(min = 1))]
    id: u32,
}

/// What writing a note can fail with.
#[derive(Debug, thiserror::Error, ApiError)]
enum NoteError {
    /// A note with this title exists.
    #[error("note exists")]
    #[api(
        status = 409,
        code = "note_exists",
        message = "This note already exists."
    )]
    Exists,
    /// No such note.
    #[error("no note")]
    #[api(status = 404, code = "not_found")]
    Missing,
}

async fn create(Json(n): Json<NewNote>) -> Result<Created<Json<Note>>, NoteError> {
    if n.title == "dup" {
        return Err(NoteError::Exists);
    }
    Ok(Created(Json(Note {
        id: 1,
        title: n.title,
        tag: None,
    })))
}

async fn read(Path(p): Path<NotePath>) -> Result<Json<Note>, NoteError> {
    match p.id {
        1 => Ok(Json(Note {
            id: 1,
            title: "first".into(),
            tag: None,
        })),
        _ => Err(NoteError::Missing),
    }
}

fn app() -> (Router, Value) {
    app_with(contract_axum::Catalog::new())
}

/// The app, its messages from `catalog`.
fn app_with(catalog: contract_axum::Catalog) -> (Router, Value) {
    let (router, spec) = ApiRouter::new(SpecBuilder::new("Notes", "1.0.0"))
        .route(
            "/notes",
            post_with(create, |op| {
                op.summary("Write a note");
            }),
        )
        .route(
            "/notes/{id}",
            get_with(read, |op| {
                op.summary("Read a note");
            }),
        )
        .into_parts();
    (
        router.layer(ErrorLayer::new().catalog(catalog)),
        spec.build(),
    )
}

/// `GET /notes/1` through `app`, the way the app's own tests would.
async fn read_first_note(app: Router) -> StatusCode {
    let req = http::Request::get("/notes/1")
        .body(axum::body::Body::empty())
        .unwrap();
    tower::ServiceExt::oneshot(app, req).await.unwrap().status()
}

fn kit(router: Router, spec: Value) -> Kit {
    Kit::new(router, spec)
        .locales(["en", "ko"])
        .case(
            "write_duplicate",
            "POST",
            "/notes",
            Some(json!({"title": "dup", "stars": 1})),
            "note_exists",
        )
        .case("read_missing", "GET", "/notes/9", None, "not_found")
}

#[tokio::test]
async fn one_call_guards_spec_envelopes_and_answers() {
    let (router, spec) = app();
    let kit = kit(router.clone(), spec)
        .golden(format!("{DIR}/tests/notes.json"))
        .report(format!("{DIR}/tests/notes.md"))
        .baseline(Baseline::File(format!("{DIR}/tests/notes.json").into()))
        .snapshots(format!("{DIR}/tests/envelopes"));
    // The app's own tests, wrapped: every answer is the documented one.
    let check = kit.conformance();
    let app = router.layer(check.layer());
    assert_eq!(read_first_note(app).await, StatusCode::OK);
    check.assert_clean();

    let outcome = kit.run().await;
    outcome.assert_clean();
    assert_eq!(
        outcome.envelopes,
        outcome.cases * 2,
        "every case in both locales"
    );
    assert!(outcome.cases >= 10, "{outcome}");
}

/// Runs the kit over `spec` (a planted fault) and the app, snapshots in a
/// scratch copy; returns the failures.
async fn failures(router: Router, spec: Value, baseline: Option<Value>) -> Vec<String> {
    let scratch = std::env::temp_dir().join(format!("contract-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    for entry in std::fs::read_dir(format!("{DIR}/tests/envelopes")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), scratch.join(entry.file_name())).unwrap();
    }
    let mut kit = kit(router, spec).snapshots(&scratch);
    if let Some(old) = baseline {
        let file = scratch.join("baseline.json");
        std::fs::write(&file, old.to_string()).unwrap();
        kit = kit.baseline(Baseline::File(file));
    }
    let outcome = kit.run().await;
    let _ = std::fs::remove_dir_all(&scratch);
    outcome.failures
}

fn has(failures: &[String], needles: &[&str]) {
    assert!(
        failures
            .iter()
            .any(|f| needles.iter().all(|n| f.contains(n))),
        "no failure mentions {needles:?}:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn planted_faults_fail_naming_the_operation() {
    let (router, spec) = app();

    // An error code the spec does not declare.
    let mut undeclared = spec.clone();
    let conflict = undeclared
        .pointer_mut("/paths/~1notes/post/responses/409/x-error-codes")
        .unwrap();
    *conflict = json!([]);
    has(
        &failures(router.clone(), undeclared, None).await,
        &["POST /notes", "409 note_exists is not declared"],
    );

    // A response property null where the spec does not say it may be.
    let mut not_nullable = spec.clone();
    *not_nullable
        .pointer_mut("/components/schemas/Note/properties/tag/type")
        .unwrap() = json!("string");
    let check = Kit::new(router.clone(), not_nullable).conformance();
    let app = router.clone().layer(check.layer());
    read_first_note(app).await;
    has(
        &check.violations(),
        &["GET /notes/{id} 200", "body.tag is null"],
    );

    // A removed operation, against the baseline.
    let mut old = spec.clone();
    old["paths"]["/tags"] =
        json!({"get": {"operationId": "tags", "responses": {"200": {"description": "OK"}}}});
    has(
        &failures(router.clone(), spec.clone(), Some(old)).await,
        &["breaking change", "GET /tags"],
    );

    // A changed field code: stars is now text, so a number there fails
    // with another code than before.
    #[derive(Debug, Deserialize, Validate, JsonSchema)]
    struct NewNote {
        title: String,
        stars: String,
    }
    async fn create_text(Json(n): Json<NewNote>) -> Created<Json<Note>> {
        Created(Json(Note {
            id: 1,
            title: n.title + &n.stars,
            tag: None,
        }))
    }
    let (changed, changed_spec) = ApiRouter::new(SpecBuilder::new("Notes", "1.0.0"))
        // Under the same operation id, so the snapshots are the same ones.
        .route(
            "/notes",
            post_with(create_text, |op| {
                op.operation_id("create");
            }),
        )
        .route("/notes/{id}", get(read))
        .into_parts();
    let found = failures(changed.layer(ErrorLayer::new()), changed_spec.build(), None).await;
    has(&found, &["create__wrong_types", "the envelope changed"]);
    assert!(
        !found.iter().any(|f| f.contains("a new snapshot")),
        "{found:#?}"
    );
    // Under a new operation id, the snapshots are new, not changed.
    let (renamed, renamed_spec) = ApiRouter::new(SpecBuilder::new("Notes", "1.0.0"))
        .route("/notes", post(create_text))
        .route("/notes/{id}", get(read))
        .into_parts();
    let found = failures(renamed.layer(ErrorLayer::new()), renamed_spec.build(), None).await;
    has(&found, &["create_text__wrong_types: a new snapshot"]);
    assert!(
        !found
            .iter()
            .any(|f| f.starts_with("create_text") && f.contains("changed")),
        "{found:#?}"
    );

    // A message over its budget: an override too long for a phone.
    let long = contract_axum::Catalog::new()
        .with_ftl(
            "en.ftl",
            "note_exists = This note already exists, and a note with the same title cannot be written twice.\n",
        )
        .unwrap();
    let (router, _) = app_with(long);
    has(
        &failures(router, spec.clone(), None).await,
        &["write_duplicate", "over the budget of 60 columns"],
    );
}

/// The kit's first run in a project with nothing committed, in a child
/// process of this test binary (so `CI` can differ): prints the outcome.
/// Does nothing unless the parent test below sets the scratch directory.
#[tokio::test]
async fn first_run_child() {
    let Some(dir) = std::env::var_os("CONTRACT_TEST_FIRST_RUN") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let (router, spec) = app();
    let outcome = kit(router, spec)
        .golden(dir.join("openapi.json"))
        .report(dir.join("openapi.md"))
        .snapshots(dir.join("envelopes"))
        .run()
        .await;
    print!("{outcome}");
    println!("failures: {}", outcome.failures.len());
}

/// What the child printed, with `CI` as given.
fn first_run(dir: &std::path::Path, ci: Option<&str>) -> String {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "first_run_child",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("CONTRACT_TEST_FIRST_RUN", dir)
    .env_remove("CONTRACT_UPDATE")
    .env_remove("INSTA_UPDATE")
    .env_remove("TF_BUILD");
    match ci {
        Some(v) => cmd.env("CI", v),
        None => cmd.env_remove("CI"),
    };
    let out = cmd.output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_first_run_writes_its_files_outside_ci_and_names_the_command_in_ci() {
    let scratch = std::env::temp_dir().join(format!("contract-first-run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    // In CI: exactly one failure, the command to run; nothing written.
    let ci = first_run(&scratch, Some("true"));
    assert!(ci.contains("failures: 1"), "{ci}");
    assert!(
        ci.contains("no golden spec at")
            && ci.contains("CONTRACT_UPDATE=1 INSTA_UPDATE=always cargo test"),
        "{ci}"
    );
    assert!(!scratch.join("openapi.json").exists());

    // Outside CI: every file written, one line saying so, and a pass.
    let local = first_run(&scratch, None);
    assert!(local.contains("failures: 0"), "{local}");
    assert!(
        local.contains("contract-test: first run: wrote "),
        "{local}"
    );
    for file in ["openapi.json", "openapi.md"] {
        assert!(scratch.join(file).is_file(), "{file} not written:\n{local}");
    }
    let snaps: Vec<_> = std::fs::read_dir(scratch.join("envelopes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(snaps.len() >= 10, "{snaps:?}");
    assert!(
        snaps.iter().all(|s| s.ends_with(".snap")),
        "left pending: {snaps:?}"
    );
    // The snapshots name the test that ran the kit.
    let one = std::fs::read_to_string(scratch.join("envelopes").join(&snaps[0])).unwrap();
    assert!(
        one.contains("from crates/contract-test/tests/it.rs"),
        "{one}"
    );

    // The next run, in CI, finds everything committed and passes.
    let again = first_run(&scratch, Some("true"));
    assert!(again.contains("failures: 0"), "{again}");
    assert!(!again.contains("first run"), "{again}");
    let _ = std::fs::remove_dir_all(&scratch);
}

#[tokio::test]
async fn a_stale_profile_export_fails_naming_it() {
    let (router, spec) = app();
    let file = std::env::temp_dir().join(format!("contract-profile-{}.json", std::process::id()));
    std::fs::write(&file, "{}\n").unwrap();
    let outcome = Kit::new(router, spec)
        .profile(contract_test::Profile::OpenApi30, &file)
        .run()
        .await;
    let _ = std::fs::remove_file(&file);
    has(&outcome.failures, &["the openapi-3.0 export", "is stale"]);
}
