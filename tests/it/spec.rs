//! The fixture's spec: a golden file, and the runtime conformance check
//! over every envelope the fixture can produce.

use axum::body::Body;
use contract_axum::conformance::Conformance;
use http::StatusCode;

use crate::{json_request, request, send};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/fixture.json");

/// Client teams feed `openapi/fixture.json` to generators: it must be what
/// the code generates, byte for byte. `CONTRACT_BLESS=1` rewrites it.
#[test]
fn committed_spec_matches_the_code() {
    let generated = serde_json::to_string_pretty(&contract_tests::openapi()).unwrap() + "\n";
    if std::env::var_os("CONTRACT_BLESS").is_some() {
        std::fs::write(GOLDEN, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(GOLDEN).unwrap_or_default();
    if committed != generated {
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b);
        panic!(
            "openapi/fixture.json is stale (first difference at line {}); rerun with CONTRACT_BLESS=1 and review the diff",
            first.map_or(0, |i| i + 1)
        );
    }
}

#[test]
fn nullability_classes_in_the_spec() {
    let spec = contract_tests::openapi();
    let s = &spec["components"]["schemas"];
    assert_eq!(
        s["Seminar"]["required"],
        serde_json::json!(["name", "capacity", "host", "tags"])
    );
    assert_eq!(
        s["Seminar"]["properties"]["capacity"]["type"],
        serde_json::json!(["integer", "null"])
    );
    assert_eq!(
        s["Seminar"]["properties"]["host"]["oneOf"],
        serde_json::json!([{"$ref": "#/components/schemas/HostView"}, {"type": "null"}])
    );
    assert_eq!(s["SeminarUpdate"]["required"], serde_json::Value::Null);
    assert_eq!(
        s["SeminarUpdate"]["properties"]["capacity"]["x-patch"],
        true
    );
    assert!(!spec.to_string().contains("\"nullable\""));
}

async fn conformance_run(check: &Conformance) {
    let app = contract_tests::app(StatusCode::BAD_REQUEST).layer(check.layer());
    let bad = r#"{"name":"  ","capacity":"ten","count":"two","time":"25:00"}"#;
    let requests = vec![
        json_request("POST", "/seminars", "en", bad),
        json_request("POST", "/seminars", "en", "{"),
        request("POST", "/seminars", "en")
            .header("content-type", "text/plain")
            .body(Body::from("{}"))
            .unwrap(),
        json_request("PUT", "/seminars/9", "en", r#"{"capacity": null}"#),
        json_request("PUT", "/seminars/abc", "en", "{}"),
        request("GET", "/items/abc", "en")
            .body(Body::empty())
            .unwrap(),
        request("GET", "/items/3?limit=1000", "en")
            .body(Body::empty())
            .unwrap(),
        request("POST", "/items/1/join", "en")
            .body(Body::empty())
            .unwrap(),
        request("POST", "/items/2/join", "en")
            .body(Body::empty())
            .unwrap(),
        request("POST", "/items/9/join", "en")
            .body(Body::empty())
            .unwrap(),
        request("GET", "/nowhere", "en")
            .body(Body::empty())
            .unwrap(),
        request("PATCH", "/items/3", "en")
            .body(Body::empty())
            .unwrap(),
    ];
    for req in requests {
        let reply = send(&app, req).await;
        assert!(
            reply.status.is_client_error() || reply.status.is_server_error(),
            "{}",
            reply.text
        );
    }
}

#[tokio::test]
async fn every_envelope_the_fixture_sends_is_declared() {
    let check = Conformance::new(&contract_tests::openapi());
    conformance_run(&check).await;
    assert_eq!(check.recorded(), 12);
    check.assert_clean();
}

#[tokio::test]
async fn an_undeclared_code_fails_the_check() {
    let mut spec = contract_tests::openapi();
    // Forget that joining can answer seminar_full.
    let codes = spec["paths"]["/items/{item_id}/join"]["post"]["responses"]["400"]["x-error-codes"]
        .as_array_mut()
        .unwrap();
    codes.retain(|c| c != "seminar_full");
    let check = Conformance::new(&spec);
    conformance_run(&check).await;
    let violations = check.violations();
    assert_eq!(
        violations,
        ["POST /items/{item_id}/join: 400 seminar_full is not declared"]
    );
}
