//! Locales: the four-field envelope in every shipped locale, a locale added
//! by a file alone, negotiation over HTTP, and the headers caches need.

use http::StatusCode;

use crate::{app, json_request, request, send};

const FOUR_FIELDS: &str = r#"{"name":"  ","capacity":"ten","count":"two","time":"25:00"}"#;

/// The built-in locales, and `it`, which only `tests/locales/it.ftl` adds.
const SHIPPED: [&str; 9] = ["en", "ko", "ja", "zh-Hans", "es", "pt-BR", "de", "fr", "it"];

#[tokio::test]
async fn four_bad_fields_in_every_shipped_locale() {
    for lang in SHIPPED {
        let reply = send(&app(), json_request("POST", "/seminars", lang, FOUR_FIELDS)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{lang}");
        assert_eq!(reply.headers["content-language"], lang);
        insta::assert_json_snapshot!(format!("four_fields_in_{lang}"), reply.view());
    }
}

#[tokio::test]
async fn a_locale_added_by_a_file_alone_is_served() {
    let catalog = contract_tests::messages();
    assert!(catalog.locales().iter().any(|l| l.to_string() == "it"));
    let reply = send(
        &app(),
        json_request("POST", "/seminars", "it-IT, en;q=0.5", FOUR_FIELDS),
    )
    .await;
    assert_eq!(reply.headers["content-language"], "it");
    let body = reply.json();
    assert_eq!(body["message"], "Controlla i campi evidenziati.");
    assert_eq!(body["fields"][0]["message"], "Non può essere vuoto");
    // The app's own code, in the new locale.
    let full = send(
        &app(),
        request("POST", "/items/1/join", "it")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(full.headers["content-language"], "it");
    assert_eq!(full.json()["message"], "Questo seminario è al completo.");
}

#[tokio::test]
async fn negotiation_over_http() {
    let cases = [
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("pt", "pt-BR"),
        ("de-AT", "de"),
        ("es-419, en;q=0.1", "es"),
        ("ja;q=0, fr;q=0.2", "fr"),
        ("en;q=0, *", "ko"),
        ("*", "en"),
        ("nl, sv", "en"),
        ("@@garbage;;q=x, ;q=1", "en"),
    ];
    for (header, want) in cases {
        let reply = send(&app(), json_request("POST", "/seminars", header, "{}")).await;
        assert_eq!(reply.headers["content-language"], want, "{header:?}");
    }
    let huge = "x-junk;q=0.5,".repeat(1000);
    let reply = send(&app(), json_request("POST", "/seminars", &huge, "{}")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.headers["content-language"], "en");
}

#[tokio::test]
async fn localized_responses_vary_on_accept_language() {
    let envelope = send(&app(), json_request("POST", "/seminars", "ko", "{}")).await;
    let problem = send(
        &app(),
        request("POST", "/seminars", "ko")
            .header("content-type", "application/json")
            .header("accept", "application/problem+json")
            .body(axum::body::Body::from("{}"))
            .unwrap(),
    )
    .await;
    for reply in [&envelope, &problem] {
        let vary = reply.headers["vary"].to_str().unwrap();
        assert!(vary.contains("accept-language"), "{vary}");
        assert_eq!(reply.headers["content-language"], "ko");
    }
    // problem+json carries the same message.
    assert_eq!(envelope.json()["message"], problem.json()["title"]);
    assert_eq!(envelope.json()["message"], "표시된 항목을 확인해 주세요.");
}

#[test]
fn the_fixture_catalog_passes_the_message_check() {
    use contract_axum::DeclaredErrors;
    let problems: Vec<String> = contract_tests::messages()
        .check_declared(&contract_tests::JoinError::declared())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// An app error that names its Fluent id and carries an inline default.
#[derive(Debug, thiserror::Error, contract_axum::ApiError)]
enum Closing {
    #[error("closed")]
    #[api(
        status = 400,
        code = "seminar_closed",
        id = "closed-seminar",
        message = "This seminar is closed."
    )]
    Closed,
    #[error("gone")]
    #[api(status = 410, code = "seminar_gone", message = "This seminar is gone.")]
    Gone,
}

#[test]
fn derived_errors_use_their_fluent_id_then_their_inline_default() {
    use contract_axum::{Catalog, DeclaredErrors, Error, Locale};
    let catalog = Catalog::new()
        .with_ftl("ko.ftl", "closed-seminar = 마감된 세미나입니다.")
        .unwrap();
    let render = |e: Closing, lang: &'static str| {
        Error::from(e)
            .to_envelope(&catalog, &Locale::from_static(lang), "req-1", false)
            .message
            .into_owned()
    };
    assert_eq!(render(Closing::Closed, "ko"), "마감된 세미나입니다.");
    // No English file has the id: the inline default.
    assert_eq!(render(Closing::Closed, "en"), "This seminar is closed.");
    assert_eq!(render(Closing::Gone, "ja"), "This seminar is gone.");
    let declared = Closing::declared();
    assert_eq!(declared[0].message_id(), "closed-seminar");
    assert_eq!(declared[0].default_message, Some("This seminar is closed."));
    assert_eq!(declared[1].message_id(), "seminar_gone");
    // The check names what the files lack.
    let problems: Vec<String> = catalog
        .check_declared(&declared)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.contains(&"en: `closed-seminar` has no message".to_owned()));
    assert!(
        !problems
            .iter()
            .any(|p| p.starts_with("ko: `closed-seminar`"))
    );
}
