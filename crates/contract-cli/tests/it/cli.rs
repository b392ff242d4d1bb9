//! The `contract` binary end to end: exit codes and where output goes.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

/// A fresh directory under the target's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("contract-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &std::path::Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

fn contract(args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_contract"))
        .args(args)
        .output()
        .expect("the contract binary runs");
    (
        status.code().expect("exited normally"),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// A document with one operation, `POST /things/`, that passes the lint.
fn clean() -> Value {
    let object = |name: &str, ty: &str| json!({"type": "object", "required": [name], "properties": {name: {"type": ty}}});
    let body = |name: &str| json!({"schema": {"$ref": format!("#/components/schemas/{name}")}});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "things", "version": "1.0.0"},
        "paths": {"/things/": {"post": {
            "operationId": "create_thing",
            "requestBody": {"required": true, "content": {"application/json": body("In")}},
            "responses": {"201": {"description": "created", "content": {"application/json": body("Out")}}},
        }}},
        "components": {"schemas": {"In": object("name", "string"), "Out": object("id", "integer")}},
    })
}

#[test]
fn check_exit_codes() {
    let dir = scratch("check");
    let committed = write(&dir, "committed.json", &clean());
    let same = dir.join("same.json");
    std::fs::write(&same, serde_json::to_string(&clean()).unwrap()).unwrap();
    let same = same.to_str().unwrap();
    let (code, out, err) = contract(&["check", &committed, same]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.starts_with("ok: "), "{out}");

    let mut changed = clean();
    changed["info"]["version"] = json!("2.0.0");
    let generated = write(&dir, "generated.json", &changed);
    let (code, out, _) = contract(&["check", &committed, &generated]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(&format!("--- {committed}\n+++ {generated}\n")),
        "{out}"
    );
    assert!(
        out.contains("-    \"version\": \"1.0.0\"\n+    \"version\": \"2.0.0\"\n"),
        "{out}"
    );
    assert!(out.contains("hint: regenerate"), "{out}");
}

#[test]
fn export_and_check_run_the_apps_export_command() {
    let dir = scratch("export");
    let source = write(&dir, "source.json", &clean());
    let out = dir.join("out.json");
    let out = out.to_str().unwrap();
    let (code, stdout, err) = contract(&["export", out, "--", "cat", &source]);
    assert_eq!((code, err.as_str()), (0, ""), "{stdout}");
    let written = std::fs::read_to_string(out).unwrap();
    assert_eq!(
        written,
        serde_json::to_string_pretty(&clean()).unwrap() + "\n"
    );

    let (code, stdout, _) = contract(&["check", out, "--", "cat", &source]);
    assert_eq!(code, 0, "{stdout}");
    let mut changed = clean();
    changed["info"]["version"] = json!("2.0.0");
    let drifted = write(&dir, "drifted.json", &changed);
    let (code, stdout, _) = contract(&["check", out, "--", "cat", &drifted]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("hint: regenerate"), "{stdout}");

    // A failing or silent command is an input error, not drift.
    let (code, _, err) = contract(&["export", out, "--", "false"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = contract(&["check", out, "--", "echo", "not json"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn lint_exit_codes() {
    let dir = scratch("lint");
    let good = write(&dir, "good.json", &clean());
    let (code, out, err) = contract(&["lint", &good]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.ends_with("totals: required=2 required-nullable=0 optional=0 optional-nullable=0 tri-state=0; errors=0\n"), "{out}");

    let mut bad = clean();
    bad["components"]["schemas"]["Out"]["required"] = json!([]);
    let bad = write(&dir, "bad.json", &bad);
    let (code, out, _) = contract(&["lint", &bad]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error: Out.id: response property is not in `required`"),
        "{out}"
    );
}

#[test]
fn diff_exit_codes() {
    let dir = scratch("diff");
    let old = write(&dir, "old.json", &clean());
    let mut next = clean();
    next["components"]["schemas"]["Out"]["properties"]["note"] =
        json!({"type": ["string", "null"]});
    next["components"]["schemas"]["Out"]["required"] = json!(["id", "note"]);
    let compatible = write(&dir, "compatible.json", &next);
    let (code, out, err) = contract(&["diff", &old, &compatible]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.contains("info [response-required-property-added]"),
        "{out}"
    );

    next["components"]["schemas"]["Out"]["required"] = json!([]);
    let breaking = write(&dir, "breaking.json", &next);
    let (code, out, _) = contract(&["diff", &old, &breaking]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "error [response-property-became-optional] POST /things/ 201 response: Out.id\n"
        ),
        "{out}"
    );
}

#[test]
fn usage_and_input_errors_exit_2_on_stderr() {
    let dir = scratch("errors");
    let good = write(&dir, "good.json", &clean());
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{ not json").unwrap();
    let broken = broken.to_str().unwrap();
    let array = write(&dir, "array.json", &json!([1, 2]));
    let missing = dir.join("missing.json");
    let missing = missing.to_str().unwrap();

    for (args, needle) in [
        (vec![], "Usage: contract <COMMAND>"),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (
            vec!["lint"],
            "the following required arguments were not provided",
        ),
        (
            vec!["diff", good.as_str()],
            "the following required arguments were not provided",
        ),
        (
            vec!["check", good.as_str(), good.as_str(), good.as_str()],
            "unexpected argument",
        ),
        (
            vec!["check", good.as_str()],
            "`check` takes COMMITTED and either GENERATED or `-- CMD`",
        ),
        (
            vec![
                "adopt",
                good.as_str(),
                "out.json",
                "--validation-status",
                "418",
            ],
            "`validation_failed` is answered with 400 or 422",
        ),
        (
            vec!["adopt", good.as_str(), "out.json", "--code", "409:Bad"],
            "error codes match",
        ),
        (
            vec![
                "adopt",
                good.as_str(),
                "out.json",
                "--code",
                "400:not_found",
            ],
            "`not_found` is a built-in code, answered with status 404, not 400",
        ),
        (vec!["lint", missing], "cannot read"),
        (vec!["lint", broken], "is not valid JSON"),
        (
            vec!["diff", good.as_str(), array.as_str()],
            "not an OpenAPI document",
        ),
        (vec!["check", broken, good.as_str()], "is not valid JSON"),
    ] {
        let (code, out, err) = contract(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }

    let (code, out, _) = contract(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Usage: contract <COMMAND>"), "{out}");
    for command in [
        "export",
        "check",
        "lint",
        "diff",
        "adopt",
        "client-kit",
        "messages",
    ] {
        assert!(out.contains(&format!("\n  {command} ")), "{command}: {out}");
    }
}

/// The workspace root, where the seminar's files are.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn messages_check_passes_on_the_seminar_and_fails_on_a_planted_problem() {
    let locales = root().join("examples/seminar/locales");
    let spec = root().join("openapi/seminar.json");
    let (locales, spec) = (locales.to_str().unwrap(), spec.to_str().unwrap());
    let (code, out, err) = contract(&["messages", "check", locales, spec]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.starts_with("ok: 60 messages in 8 locales (en, ko, ja, zh-Hans, es, pt-BR, de, fr)"),
        "{out}"
    );

    // A copy with one message over budget, one missing, one unused, one
    // in jargon and one file that does not parse.
    let dir = scratch("messages");
    for entry in std::fs::read_dir(locales).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let de = dir.join("de.ftl");
    let text = std::fs::read_to_string(&de).unwrap().replace(
        "seminar_full = Dieses Seminar ist ausgebucht.",
        "seminar_full = Dieses Seminar ist leider schon bis auf den letzten Platz ausgebucht.",
    );
    std::fs::write(&de, text).unwrap();
    let ja = dir.join("ja.ftl");
    let text = std::fs::read_to_string(&ja).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("email_taken"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&ja, text + "old_code = もう使わない\n").unwrap();
    std::fs::write(dir.join("vi.ftl"), "seminar_full = {\n").unwrap();
    let en = dir.join("en.ftl");
    let text = std::fs::read_to_string(&en).unwrap().replace(
        "invalid_credentials = Incorrect email or password.",
        "invalid_credentials = The credentials object is null.",
    );
    std::fs::write(&en, text).unwrap();
    let (code, out, _) = contract(&["messages", "check", dir.to_str().unwrap(), spec]);
    assert_eq!(code, 1, "{out}");
    for needle in [
        "error: de: `seminar_full` is 69 columns, budget 60: Dieses Seminar",
        "error: ja: `email_taken` has no message",
        "ja.ftl: `old_code` is used by no code",
        "vi.ftl:1: ",
        "error: en: `invalid_credentials` says `null`, a word of the type system",
        "5 problem(s)",
    ] {
        assert!(out.contains(needle), "{needle}: {out}");
    }
}

#[test]
fn the_swift_profile_exports_and_lints() {
    let dir = scratch("profile");
    let mut doc = clean();
    doc["components"]["schemas"]["Out"]["properties"]["owner"] =
        json!({"oneOf": [{"$ref": "#/components/schemas/In"}, {"type": "null"}]});
    doc["components"]["schemas"]["Out"]["required"] = json!(["id", "owner"]);
    let spec = write(&dir, "spec.json", &doc);
    // The document as it is: Apple's generator would skip `owner`.
    let (code, out, _) = contract(&["lint", "--profile", "swift", &spec]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "error: #/components/schemas/Out/properties/owner: a `{type: \"null\"}` branch"
        ),
        "{out}"
    );
    // Exported in the profile: one rewrite, and a clean lint.
    let exported = dir.join("spec.swift.json");
    let exported = exported.to_str().unwrap();
    let (code, out, err) = contract(&["export", "--profile", "swift", &spec, exported]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.contains("rewritten: #/components/schemas/Out/properties/owner"),
        "{out}"
    );
    let (code, out, _) = contract(&["lint", "--profile", "swift", exported]);
    assert_eq!(code, 0, "{out}");
    // An unknown profile is a usage error.
    let (code, _, err) = contract(&["lint", "--profile", "kotlin", &spec]);
    assert_eq!(code, 2);
    assert!(err.contains("no profile `kotlin`"), "{err}");
}

#[test]
fn the_openapi_30_profile_exports_and_warns_on_what_it_drops() {
    let dir = scratch("profile-30");
    let mut doc = clean();
    doc["components"]["schemas"]["In"]["dependentRequired"] = json!({"name": ["other"]});
    let spec = write(&dir, "spec.json", &doc);
    let (code, out, _) = contract(&["lint", "--profile", "openapi-3.0", &spec]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: #/components/schemas/In: dependentRequired dropped"),
        "{out}"
    );
    let exported = dir.join("spec.3.0.json");
    let exported = exported.to_str().unwrap();
    let (code, out, err) = contract(&["export", "--profile", "openapi-3.0", &spec, exported]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(exported).unwrap()).unwrap();
    assert_eq!(written["openapi"], "3.0.3");
    assert_eq!(
        written["components"]["schemas"]["In"]["x-contract-dropped"],
        json!(["dependentRequired"])
    );
}

#[test]
fn adopt_documents_what_the_layer_answers_and_passes_lint() {
    let dir = scratch("adopt");
    // A hand-written spec: bare statuses, an optional response property,
    // an app code.
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "todos", "version": "1"},
        "paths": {"/todos/{id}": {"put": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Todo"}}}},
            "responses": {
                "200": {"description": "The todo", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Todo"}}}},
                "400": {"description": "Bad request"},
                "408": {"description": "Too slow"},
                "409": {"description": "Taken"},
                "410": {"description": "Gone"},
                "502": {"description": "Upstream failed"},
            },
        }}},
        "components": {"schemas": {"Todo": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}, "note": {"type": "string"}, "done": {"type": "boolean"}},
        }}},
    });
    let input = write(&dir, "in.json", &doc);
    let output = dir.join("out.json");
    let output = output.to_str().unwrap();
    let (code, out, err) = contract(&[
        "adopt",
        &input,
        output,
        "--allow-absent",
        "Todo.note=Absent when the todo has no note.",
        "--code",
        "409:todo_exists",
        "--validation-status",
        "400",
    ]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let adopted: Value = serde_json::from_str(&std::fs::read_to_string(output).unwrap()).unwrap();
    let responses = &adopted["paths"]["/todos/{id}"]["put"]["responses"];
    let codes = |status: &str| responses[status]["x-error-codes"].clone();
    // Each bare status documents the code the runtime answers for it.
    for status in [408u16, 410, 502] {
        let answered =
            contract_core::Error::from_status(http::StatusCode::from_u16(status).unwrap());
        assert_eq!(
            codes(&status.to_string()),
            json!([answered.code().as_str()]),
            "{status}"
        );
    }
    assert_eq!(codes("408"), json!(["timeout"]));
    assert_eq!(codes("410"), json!(["not_found"]));
    assert_eq!(codes("502"), json!(["service_unavailable"]));
    // 400: the bare status's code, with the layer's own 400s (validation
    // answered with 400 here).
    let four_hundred = codes("400");
    for c in ["bad_request", "malformed_body", "validation_failed"] {
        assert!(
            four_hundred.as_array().unwrap().contains(&json!(c)),
            "{four_hundred}"
        );
    }
    assert_eq!(codes("409"), json!(["todo_exists"]));
    assert!(responses.get("422").is_none(), "{responses}");
    // The allowed-absent property is marked; the other one required.
    let todo = &adopted["components"]["schemas"]["Todo"];
    assert_eq!(todo["properties"]["note"]["x-contract-allow-absent"], true);
    assert!(
        todo["required"]
            .as_array()
            .unwrap()
            .contains(&json!("done"))
    );
    // `Todo` is a request body too: requests keep the optional fields, as
    // `TodoInput`.
    let body =
        &adopted["paths"]["/todos/{id}"]["put"]["requestBody"]["content"]["application/json"];
    assert_eq!(body["schema"]["$ref"], "#/components/schemas/TodoInput");
    assert_eq!(
        adopted["components"]["schemas"]["TodoInput"]["required"],
        json!(["text"])
    );
    // What was written passes the lint, and the report says so.
    assert!(out.contains("PUT /todos/{id}: 400 "), "{out}");
    assert!(out.ends_with(&format!("wrote {output}\n")), "{out}");
    let (code, report, _) = contract(&["lint", output]);
    assert_eq!(code, 0, "{report}");

    // Any other status is answered, and documented, as the runtime
    // answers it: a 418 is `bad_request`.
    let mut odd = doc.clone();
    odd["paths"]["/todos/{id}"]["put"]["responses"]["418"] = json!({"description": "teapot"});
    let odd = write(&dir, "odd.json", &odd);
    let (code, out, err) = contract(&["adopt", &odd, output]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains(", 418 bad_request,"), "{out}");

    // A document that is not OpenAPI 3.1 is refused, and nothing written.
    let mut old = doc.clone();
    old["openapi"] = json!("3.0.3");
    let old = write(&dir, "old.json", &old);
    let never = dir.join("never.json");
    let (code, _, err) = contract(&["adopt", &old, never.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("not an OpenAPI 3.1 document (openapi: 3.0.3)"),
        "{err}"
    );
    assert!(!never.exists());
}
