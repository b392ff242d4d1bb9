//! The client kit's files, reviewed as snapshots: one operation with codes
//! from its own responses and a shared one, including codes that are
//! keywords in Swift (`internal`) and Dart (`default`), and the catalogs of
//! its messages in every locale.

use serde_json::json;

#[test]
fn the_kit_for_each_language() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Seminars", "version": "1"},
        "paths": {"/seminar/": {"post": {
            "operationId": "create_seminar",
            "responses": {
                "201": {"description": "created"},
                "400": {"description": "bad", "x-error-codes": ["malformed_body", "validation_failed"]},
                "403": {"$ref": "#/components/responses/Forbidden"},
                "500": {"description": "oops", "x-error-codes": ["internal", "default"]},
            },
        }}},
        "components": {
            "responses": {"Forbidden": {"description": "no", "x-error-codes": ["already_in_charge"]}},
            // A body with a tri-state property gets a patch builder.
            "schemas": {"UpdateMe": {"type": "object", "properties": {
                "name": {"type": ["string", "null"]},
                "year": {"type": ["integer", "null"], "x-patch": true},
                "tags": {"type": "array", "items": {"type": "string"}},
            }}},
        },
    });
    // The app's two codes, in every locale the kit exports.
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("client-kit-ftl");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for locale in ["en", "ko", "ja", "zh-Hans", "es", "pt-BR", "de", "fr"] {
        let text = format!(
            "default = Something broke ({locale}).\nalready_in_charge = You run one \"already\" & more.\n"
        );
        std::fs::write(dir.join(format!("{locale}.ftl")), text).unwrap();
    }
    let files = contract_cli::client_kit(&doc, Some(&dir)).unwrap();
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(
        names[..4],
        [
            "typescript/errors.ts",
            "kotlin/ApiErrors.kt",
            "swift/ApiErrors.swift",
            "dart/api_errors.dart"
        ]
    );
    // Every locale in every platform's format: 8 x 3 files, and one String Catalog.
    assert_eq!(names.len(), 4 + 8 * 3 + 1, "{names:?}");
    let shown = [
        "typescript/errors.ts",
        "kotlin/ApiErrors.kt",
        "swift/ApiErrors.swift",
        "dart/api_errors.dart",
        "android/res/values/contract_errors.xml",
        "android/res/values-pt-rBR/contract_errors.xml",
        "flutter/contract_errors_ko.arb",
        "i18next/zh-Hans/contract_errors.json",
        "ios/ContractErrors.xcstrings",
    ];
    for (path, text) in files {
        let path = path.display().to_string();
        if shown.contains(&path.as_str()) {
            let name = path.replace(['/', '.', '+'], "_");
            insta::assert_snapshot!(name, text);
        }
    }
}

#[test]
fn a_code_with_no_message_fails_naming_code_and_locale() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"409": {"description": "x", "x-error-codes": ["todo_exists"]}}}}},
    });
    let err = contract_cli::client_kit(&doc, None).unwrap_err();
    assert!(
        err.starts_with("`todo_exists` has no message in en"),
        "{err}"
    );
}

#[test]
fn a_code_that_cannot_be_a_constant_fails_naming_the_operation() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"409": {"description": "x", "x-error-codes": ["Already-There"]}}}}},
    });
    let err = contract_cli::client_kit(&doc, None).unwrap_err();
    assert_eq!(
        err,
        "GET /a: response 409: the code `Already-There` is not snake case"
    );
}

#[test]
fn codes_per_operation_follow_shared_responses() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Seminars", "version": "1"},
        "paths": {
            "/seminar/": {"post": {
                "operationId": "create_seminar",
                "responses": {
                    "201": {"description": "created"},
                    "400": {"description": "bad", "x-error-codes": ["malformed_body", "validation_failed"]},
                    "403": {"$ref": "#/components/responses/Forbidden"},
                    "500": {"description": "oops", "x-error-codes": ["internal"]},
                },
            }},
            "/seminar/{id}/": {"get": {
                "responses": {"404": {"description": "none", "x-error-codes": ["not_found"]}},
            }},
        },
        "components": {"responses": {"Forbidden": {"description": "no", "x-error-codes": ["forbidden", "already_in_charge"]}}},
    });
    let ops = contract_cli::operation_codes(&doc).unwrap();
    assert_eq!(ops.len(), 2);
    assert_eq!(ops[0].id, "create_seminar");
    assert_eq!(
        ops[0].distinct_codes(),
        [
            "malformed_body",
            "validation_failed",
            "already_in_charge",
            "forbidden",
            "internal"
        ]
    );
    assert_eq!(ops[1].id, "get_seminar_id");
    let mut bad = doc.clone();
    bad["paths"]["/seminar/"]["post"]["responses"]["500"]["x-error-codes"] = json!(["Oops"]);
    let err = contract_cli::operation_codes(&bad).unwrap_err();
    assert!(
        err.contains("POST /seminar/: response 500: the code `Oops`"),
        "{err}"
    );
}
