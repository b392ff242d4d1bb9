//! `contract check`: semantic drift with a readable diff.

use contract_openapi::{canonical, check};
use serde_json::json;

#[test]
fn key_order_and_layout_do_not_count_as_drift() {
    let committed: serde_json::Value =
        serde_json::from_str(r#"{"b": 1, "a": {"y": [1, 2], "x": null}}"#).unwrap();
    let generated: serde_json::Value =
        serde_json::from_str("{\n  \"a\": {\"x\": null, \"y\": [1,2]},\n  \"b\": 1\n}").unwrap();
    assert_eq!(
        check(&committed, &generated, ("old.json", "new.json")),
        None
    );
}

#[test]
fn a_difference_is_shown_as_a_unified_diff_of_the_canonical_forms() {
    let committed = json!({"info": {"title": "t", "version": "1"}, "paths": {}});
    let generated = json!({"info": {"title": "t", "version": "2"}, "paths": {}});
    let diff = check(
        &committed,
        &generated,
        ("openapi/seminar.json", "generated.json"),
    )
    .unwrap();
    assert_eq!(
        diff,
        "--- openapi/seminar.json\n\
         +++ generated.json\n\
         @@ -1,7 +1,7 @@\n \
         {\n   \
         \"info\": {\n     \
         \"title\": \"t\",\n\
         -    \"version\": \"1\"\n\
         +    \"version\": \"2\"\n   \
         },\n   \
         \"paths\": {}\n \
         }\n"
    );
}

#[test]
fn array_order_counts() {
    assert!(check(&json!({"a": [1, 2]}), &json!({"a": [2, 1]}), ("a", "b")).is_some());
}

#[test]
fn canonical_form_sorts_keys_and_ends_with_a_newline() {
    assert_eq!(
        canonical(&json!({"b": 1, "a": 2})),
        "{\n  \"a\": 2,\n  \"b\": 1\n}\n"
    );
}
