//! Announced deprecation: a deprecated operation's answers carry
//! `Deprecation`, `Sunset` and `Link`, the spec says `deprecated: true` with
//! its `x-sunset`, `MetricsLayer` counts the calls still made by client
//! version (bounded), and `contract diff` allows removing the operation
//! only after its sunset.

use axum::body::Body;
use contract_axum::metrics::MetricsLayer;
use contract_axum::{ApiRouter, Deprecation, ErrorLayer, Json, SpecBuilder, get};
use http::HeaderName;
use serde_json::Value;

use crate::{request, send};

async fn notes() -> Json<Vec<String>> {
    Json(vec!["a".into()])
}

fn api(sunset: &str) -> (axum::Router, Value) {
    let old = Deprecation::new()
        .since("2026-12-01")
        .sunset(sunset)
        .link("https://example.com/changes#notes-v1");
    let (router, spec) = ApiRouter::new(SpecBuilder::new("Notes", "1"))
        .route("/v1/notes", get(notes).deprecated(old))
        .route("/v2/notes", get(notes))
        .into_parts();
    let router = router.layer(ErrorLayer::new()).layer(
        MetricsLayer::new().client_version_header(HeaderName::from_static("x-client-version")),
    );
    (router, spec.build())
}

#[tokio::test]
async fn a_deprecated_operation_says_so_everywhere() {
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).expect("the only recorder of this test binary");
    let (app, spec) = api("2027-06-30");

    let call = |uri: &str, version: Option<&str>| {
        let mut r = request("GET", uri, "en");
        if let Some(v) = version {
            r = r.header("x-client-version", v);
        }
        send(&app, r.body(Body::empty()).unwrap())
    };
    let old = call("/v1/notes", Some("3.1.0")).await;
    assert_eq!(old.status, 200);
    assert_eq!(old.headers["deprecation"], "@1796083200");
    assert_eq!(old.headers["sunset"], "Wed, 30 Jun 2027 00:00:00 GMT");
    assert_eq!(
        old.headers["link"],
        "<https://example.com/changes#notes-v1>; rel=\"deprecation\"; type=\"text/html\""
    );
    let new = call("/v2/notes", Some("3.1.0")).await;
    assert!(new.headers.get("deprecation").is_none());
    call("/v1/notes", Some("3.1.0")).await;
    call("/v1/notes", Some("<script>")).await;
    call("/v1/notes", None).await;

    let text = handle.render();
    let count = |labels: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("http_deprecated_requests_total{{{labels}}}")))
            .and_then(|l| l.rsplit(' ').next())
            .unwrap_or_else(|| panic!("no {labels} in\n{text}"))
            .to_owned()
    };
    assert_eq!(
        count("operation=\"GET /v1/notes\",client_version=\"3.1.0\""),
        "2"
    );
    assert_eq!(
        count("operation=\"GET /v1/notes\",client_version=\"unknown\""),
        "1"
    );
    assert_eq!(
        count("operation=\"GET /v1/notes\",client_version=\"\""),
        "1"
    );
    assert!(!text.contains("GET /v2/notes\",client_version"), "{text}");

    let op = &spec["paths"]["/v1/notes"]["get"];
    assert_eq!(op["deprecated"], true);
    assert_eq!(op["x-sunset"], "2027-06-30");
    assert!(
        op["description"]
            .as_str()
            .unwrap()
            .contains("removed after 2027-06-30")
    );
    for h in ["Deprecation", "Sunset", "Link"] {
        assert!(op["responses"]["200"]["headers"][h].is_object(), "{h}");
    }
    assert!(
        spec["paths"]["/v2/notes"]["get"]
            .get("deprecated")
            .is_none()
    );
}

#[test]
fn the_diff_allows_removal_only_after_the_sunset() {
    let removed = |spec: &Value| {
        let mut next = spec.clone();
        next["paths"].as_object_mut().unwrap().remove("/v1/notes");
        contract_openapi::diff(spec, &next)
    };
    let (_, early) = api("2999-01-01");
    let report = removed(&early);
    assert!(report.is_breaking());
    assert_eq!(report.findings[0].rule, "api-path-removed-before-sunset");
    let (_, due) = api("2020-01-01");
    let report = removed(&due);
    assert!(!report.is_breaking(), "{report}");
    assert_eq!(report.findings[0].rule, "api-path-removed-with-deprecation");
    // Never deprecated: breaking.
    let mut plain = due.clone();
    plain["paths"]["/v1/notes"]["get"]
        .as_object_mut()
        .unwrap()
        .remove("deprecated");
    let report = removed(&plain);
    assert_eq!(
        report.findings[0].rule,
        "api-path-removed-without-deprecation"
    );
    assert!(report.is_breaking());
}
