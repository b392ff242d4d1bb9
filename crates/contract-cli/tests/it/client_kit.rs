//! The client kit's files, reviewed as snapshots: one operation with codes
//! from its own responses and a shared one, including codes that are
//! keywords in Swift (`internal`) and Dart (`default`).

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
        "components": {"responses": {"Forbidden": {"description": "no", "x-error-codes": ["already_in_charge"]}}},
    });
    let files = contract_cli::client_kit(&doc).unwrap();
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "typescript/errors.ts",
            "kotlin/ApiErrors.kt",
            "swift/ApiErrors.swift",
            "dart/api_errors.dart"
        ]
    );
    for (path, text) in files {
        let name = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .replace('.', "_");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn a_code_that_cannot_be_a_constant_fails_naming_the_operation() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"409": {"description": "x", "x-error-codes": ["Already-There"]}}}}},
    });
    let err = contract_cli::client_kit(&doc).unwrap_err();
    assert_eq!(
        err,
        "GET /a: response 409: the code `Already-There` is not snake case"
    );
}
