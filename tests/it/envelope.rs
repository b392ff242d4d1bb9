//! One snapshot per failure kind, in English and Korean.

use axum::Router;
use axum::body::Body;
use http::StatusCode;

use crate::{app, json_request, request, send};

/// Sends `req` in both locales and snapshots each, checking the invariants
/// every error reply must hold.
macro_rules! check {
    ($name:literal, $status:expr, |$lang:ident| $req:expr) => {{
        for $lang in ["en", "ko"] {
            let reply = send(&app(), $req).await;
            assert_eq!(reply.status, $status, "{}: {}", $name, reply.text);
            assert_eq!(reply.headers["content-type"], "application/json");
            let body = reply.json();
            assert_eq!(
                reply.headers["x-request-id"],
                body["request_id"].as_str().unwrap()
            );
            assert_eq!(reply.headers["content-language"], $lang);
            insta::assert_json_snapshot!(format!("{}_{}", $name, $lang), reply.view());
        }
    }};
}

#[tokio::test]
async fn four_bad_fields_in_one_envelope() {
    let body = r#"{"name":"  ","capacity":"ten","count":"two","time":"25:00"}"#;
    check!("four_fields", StatusCode::BAD_REQUEST, |lang| json_request(
        "POST",
        "/seminars",
        lang,
        body
    ));
    let en = send(&app(), json_request("POST", "/seminars", "en", body)).await;
    let fields = crate::fields(&en.json());
    let want = [
        ("name", "blank"),
        ("capacity", "not_integer"),
        ("count", "not_integer"),
        ("time", "invalid_time"),
    ];
    assert_eq!(fields, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    assert!(en.text.len() <= 400, "{} bytes: {}", en.text.len(), en.text);
}

#[tokio::test]
async fn rule_violations_after_a_clean_parse() {
    let body = r#"{"count":0,"name":"","capacity":1,"time":"09:30"}"#;
    check!("rules", StatusCode::BAD_REQUEST, |lang| json_request(
        "POST",
        "/seminars",
        lang,
        body
    ));
}

/// A text rule whose code is `invalid_format` (the table's own for a
/// refused pattern) leaves the code to the table: a blank text is `blank`,
/// and a length rule beside it keeps `too_long`, on the error path (a field
/// beside it that does not parse) and after a clean parse alike.
#[tokio::test]
async fn a_text_rule_of_invalid_format_keeps_the_tables_codes() {
    use contract_axum::{ErrorCode, Json, Matching, TextRule};

    struct Word;
    impl TextRule for Word {
        const PATTERN: &'static str = r"^\s*[a-z]+\s*$";
        const CODE: ErrorCode = ErrorCode::INVALID_FORMAT;
        const DESCRIPTION: &'static str = "Lower-case letters.";
    }
    #[derive(serde::Deserialize, validator::Validate, schemars::JsonSchema)]
    struct Body {
        #[validate(length(max = 5))]
        word: Matching<Word>,
        #[allow(dead_code, reason = "parsed only")]
        n: u8,
    }
    let schema = schemars::schema_for!(Body);
    let word = &schema.as_value()["properties"]["word"];
    assert_eq!(word["pattern"], Word::PATTERN);
    assert!(word.get("x-invalid-code").is_none(), "{word}");

    let app = Router::new()
        .route(
            "/words",
            axum::routing::post(|Json(_): Json<Body>| async { StatusCode::NO_CONTENT }),
        )
        .layer(contract_axum::ErrorLayer::new());
    let cases = [
        (r#"{"word":"  ","n":1}"#, "blank"),
        (r#"{"word":"  ","n":-1}"#, "blank"),
        (r#"{"word":"abcdefg","n":1}"#, "too_long"),
        (r#"{"word":"abcdefg","n":-1}"#, "too_long"),
        (r#"{"word":"ab1","n":1}"#, "invalid_format"),
        (r#"{"word":"ab1","n":-1}"#, "invalid_format"),
    ];
    for (body, code) in cases {
        let reply = send(&app, json_request("POST", "/words", "en", body)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            reply.text
        );
        let fields = crate::fields(&reply.json());
        assert_eq!(fields[0], ("word".to_owned(), code.to_owned()), "{body}");
    }
}

#[tokio::test]
async fn absent_and_null() {
    let body = r#"{"name":null,"time":"10:00","online":"yes"}"#;
    check!("absent_null", StatusCode::BAD_REQUEST, |lang| json_request(
        "POST",
        "/seminars",
        lang,
        body
    ));
}

#[tokio::test]
async fn nested_paths() {
    let body = r#"{"name":"Rust","capacity":3,"count":1,"time":"10:00",
        "host":{"email":"not-an-email","tags":[{"label":"ok"},{"label":"x"},{"label":5}]}}"#;
    check!("nested", StatusCode::BAD_REQUEST, |lang| json_request(
        "POST",
        "/seminars",
        lang,
        body
    ));
}

#[tokio::test]
async fn nested_rules_after_a_clean_parse() {
    let body = r#"{"name":"Rust","capacity":3,"count":1,"time":"10:00",
        "host":{"email":"not-an-email","tags":[{"label":"ok"},{"label":"x"}]}}"#;
    let reply = send(&app(), json_request("POST", "/seminars", "en", body)).await;
    let fields = &reply.json()["fields"];
    assert_eq!(fields[0]["field"], "host.email");
    assert_eq!(fields[0]["code"], "invalid_email");
    assert_eq!(fields[1]["field"], "host.tags[1].label");
    assert_eq!(fields[1]["code"], "too_short");
}

#[tokio::test]
async fn integral_floats_count_as_integers() {
    let body = r#"{"name":"Rust","capacity":3.0,"count":1,"time":"10:00"}"#;
    let reply = send(&app(), json_request("POST", "/seminars", "en", body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let body = r#"{"name":"Rust","capacity":3.5,"count":1e30,"time":"10:00"}"#;
    let reply = send(&app(), json_request("POST", "/seminars", "en", body)).await;
    let codes: Vec<_> = reply.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].clone())
        .collect();
    assert_eq!(codes, ["not_integer", "too_large"]);
}

#[tokio::test]
async fn malformed_body() {
    check!("malformed", StatusCode::BAD_REQUEST, |lang| json_request(
        "POST",
        "/seminars",
        lang,
        "{\"name\": "
    ));
    check!("not_an_object", StatusCode::BAD_REQUEST, |lang| {
        json_request("POST", "/seminars", lang, "[1,2]")
    });
}

#[tokio::test]
async fn unsupported_media_type() {
    check!(
        "unsupported_media_type",
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        |lang| {
            request("POST", "/seminars", lang)
                .header("content-type", "text/plain")
                .body(Body::from("{}"))
                .unwrap()
        }
    );
    let reply = send(
        &app(),
        request("POST", "/seminars", "en")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn payload_too_large() {
    let big = format!(r#"{{"name":"{}"}}"#, "a".repeat(100));
    check!("payload_too_large", StatusCode::PAYLOAD_TOO_LARGE, |lang| {
        json_request("POST", "/small", lang, big.clone())
    });
}

#[tokio::test]
async fn not_found_and_method_not_allowed() {
    check!("not_found", StatusCode::NOT_FOUND, |lang| request(
        "GET", "/nowhere", lang
    )
    .body(Body::empty())
    .unwrap());
    check!(
        "method_not_allowed",
        StatusCode::METHOD_NOT_ALLOWED,
        |lang| {
            request("PUT", "/items/3", lang)
                .body(Body::empty())
                .unwrap()
        }
    );
}

#[tokio::test]
async fn path_and_query_parameters() {
    check!("path_param", StatusCode::BAD_REQUEST, |lang| {
        request("GET", "/items/abc?limit=500&active=maybe", lang)
            .body(Body::empty())
            .unwrap()
    });
    check!("query_params", StatusCode::BAD_REQUEST, |lang| {
        request("GET", "/items/7?limit=500&active=maybe", lang)
            .body(Body::empty())
            .unwrap()
    });
    let ok = send(
        &app(),
        request("GET", "/items/7?limit=5", "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.text, "[7,5]");
    let huge = send(
        &app(),
        request("GET", "/items/99999999999999999999", "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(huge.json()["fields"][0]["code"], "too_large");
}

#[tokio::test]
async fn app_errors() {
    check!("app_error", StatusCode::BAD_REQUEST, |lang| request(
        "POST",
        "/items/1/join",
        lang
    )
    .body(Body::empty())
    .unwrap());
    check!("app_not_found", StatusCode::NOT_FOUND, |lang| request(
        "POST",
        "/items/9/join",
        lang
    )
    .body(Body::empty())
    .unwrap());
    check!("app_internal", StatusCode::INTERNAL_SERVER_ERROR, |lang| {
        request("POST", "/items/2/join", lang)
            .body(Body::empty())
            .unwrap()
    });
}

#[tokio::test]
async fn panic_is_internal_and_the_service_keeps_serving() {
    let app = app();
    check!("panic", StatusCode::INTERNAL_SERVER_ERROR, |lang| request(
        "GET", "/panic", lang
    )
    .body(Body::empty())
    .unwrap());
    let after = send(
        &app,
        request("GET", "/items/1", "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(after.status, StatusCode::OK);
}

#[tokio::test]
async fn timeouts() {
    check!("timeout", StatusCode::GATEWAY_TIMEOUT, |lang| request(
        "GET", "/slow", lang
    )
    .body(Body::empty())
    .unwrap());
}

#[tokio::test]
async fn slow_body_is_a_timeout() {
    let (tx, body) = futures_channel_body();
    let req = request("POST", "/seminars", "en")
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    let handle = tokio::spawn(async move { send(&app(), req).await });
    tx.send(Ok(http_body::Frame::data(bytes::Bytes::from_static(b"{"))))
        .await
        .ok();
    let reply = handle.await.unwrap();
    drop(tx);
    assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT, "{}", reply.text);
    assert_eq!(reply.json()["code"], "timeout");
}

/// A body of another media type read with `body_bytes`: the same 413, 408
/// and 400 as a JSON body.
#[tokio::test]
async fn another_media_types_body_fails_as_a_json_body_does() {
    use axum::extract::{DefaultBodyLimit, FromRequest, Request};
    use contract_axum::Error;

    struct Text(String);
    impl<S: Send + Sync> FromRequest<S> for Text {
        type Rejection = Error;
        async fn from_request(req: Request, _: &S) -> Result<Self, Error> {
            let bytes = contract_axum::body_bytes(req).await?;
            String::from_utf8(bytes.into())
                .map(Text)
                .map_err(|e| Error::malformed_body().with_detail(e.to_string()))
        }
    }
    let app = Router::new()
        .route(
            "/upload",
            axum::routing::post(|Text(t): Text| async move { t.len().to_string() }),
        )
        .layer(DefaultBodyLimit::max(64))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            std::time::Duration::from_millis(200),
        ))
        .layer(contract_axum::ErrorLayer::new());
    let upload = |body: Body| request("POST", "/upload", "en").body(body).unwrap();

    let ok = send(&app, upload(Body::from("a,b\n1,2\n"))).await;
    assert_eq!((ok.status, ok.text.as_str()), (StatusCode::OK, "8"));

    let big = send(&app, upload(Body::from("x".repeat(65)))).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.text);
    assert_eq!(big.json()["code"], "payload_too_large");

    // A body that stops after one frame (held open: too slow), and one
    // whose connection breaks.
    let frames = [
        Ok(http_body::Frame::data(bytes::Bytes::from_static(b"a,"))),
        Err(std::io::Error::other("connection reset")),
    ];
    for (frame, (status, code)) in frames.into_iter().zip([
        (StatusCode::REQUEST_TIMEOUT, "timeout"),
        (StatusCode::BAD_REQUEST, "malformed_body"),
    ]) {
        let (tx, body) = futures_channel_body();
        let handle = tokio::spawn({
            let app = app.clone();
            async move { send(&app, upload(body)).await }
        });
        tx.send(frame).await.ok();
        let reply = handle.await.unwrap();
        drop(tx);
        assert_eq!(reply.status, status, "{}", reply.text);
        assert_eq!(reply.json()["code"], code);
    }

    let bad = send(&app, upload(Body::from(vec![0xff, 0xfe]))).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
    assert_eq!(bad.json()["code"], "malformed_body");
}

type Frames = tokio::sync::mpsc::Sender<Result<http_body::Frame<bytes::Bytes>, std::io::Error>>;

fn futures_channel_body() -> (Frames, Body) {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let stream = tokio_stream_from(rx);
    (tx, Body::new(http_body_util::StreamBody::new(stream)))
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<http_body::Frame<bytes::Bytes>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<http_body::Frame<bytes::Bytes>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[tokio::test]
async fn request_ids_are_propagated_or_generated() {
    let reply = send(
        &app(),
        request("GET", "/nowhere", "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.json()["request_id"], "req-1");
    let req = http::Request::builder()
        .uri("/nowhere")
        .header("x-request-id", "bad id with spaces")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app(), req).await;
    let id = reply.json()["request_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 26, "a ULID: {id}");
    assert_eq!(reply.headers["x-request-id"], id.as_str());
    assert_eq!(reply.headers["content-language"], "en");
    let ok = send(
        &app(),
        request("GET", "/items/1", "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(ok.headers["x-request-id"], "req-1");
}

#[tokio::test]
async fn handlers_extract_the_request_id_the_response_carries() {
    let handler = |id: contract_axum::RequestId, headers: http::HeaderMap| async move {
        // The request's header is the id, generated or kept.
        assert_eq!(headers["x-request-id"], id.as_str());
        id.as_str().to_owned()
    };
    let with_layer = Router::new()
        .route("/id", axum::routing::get(handler))
        .layer(contract_axum::ErrorLayer::new());
    let get = |id: Option<&str>| {
        let mut req = http::Request::builder().uri("/id");
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        req.body(Body::empty()).unwrap()
    };
    for sent in [None, Some("bad id"), Some("req-7")] {
        let reply = send(&with_layer, get(sent)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.headers["x-request-id"], reply.text.as_str());
        match sent {
            Some("req-7") => assert_eq!(reply.text, "req-7"),
            _ => assert_eq!(reply.text.len(), 26, "a ULID: {}", reply.text),
        }
    }

    // Without the layer there is no id: a 500, never an invented id.
    let without = Router::new().route("/id", axum::routing::get(handler));
    let reply = send(&without, get(None)).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(reply.headers.get("x-request-id").is_none());
    if !cfg!(debug_assertions) {
        return; // The rest relies on the layer's mark, left in debug builds.
    }
    // Debug builds see a missing layer even when the client sent an id.
    let reply = send(&without, get(Some("req-7"))).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);

    // A layer around the router renders that 500 as the envelope, the
    // detail naming the missing layer in the debug member.
    let outer = Router::new()
        .route("/id", axum::routing::get(handler))
        .layer(axum::middleware::from_fn(
            |mut req: axum::extract::Request, next: axum::middleware::Next| async move {
                // What a layer between ErrorLayer and the handler could do:
                // drop the id's mark (here, by clearing the extensions).
                *req.extensions_mut() = http::Extensions::new();
                next.run(req).await
            },
        ))
        .layer(contract_axum::ErrorLayer::new().debug(true));
    let reply = send(&outer, get(None)).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = reply.json();
    assert_eq!(body["code"], "internal");
    assert_eq!(
        body["request_id"],
        reply.headers["x-request-id"].to_str().unwrap()
    );
    assert!(
        body["debug"].as_str().unwrap().contains("no `ErrorLayer`"),
        "{body}"
    );
}

#[tokio::test]
async fn problem_json_on_request() {
    let req = request("POST", "/seminars", "ko")
        .header("content-type", "application/json")
        .header("accept", "application/problem+json")
        .body(Body::from(
            r#"{"name":"","capacity":0,"count":1,"time":"10:00"}"#,
        ))
        .unwrap();
    let reply = send(&app(), req).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.headers["content-type"], "application/problem+json");
    insta::assert_json_snapshot!("problem_json_ko", reply.json());
    let req = request("GET", "/nowhere", "en")
        .header("accept", "application/json, application/problem+json;q=0.5")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&app(), req).await.headers["content-type"],
        "application/json"
    );
}

#[tokio::test]
async fn validation_status_is_configurable() {
    let app = contract_tests::app(StatusCode::UNPROCESSABLE_ENTITY);
    let reply = send(&app, json_request("POST", "/seminars", "en", "{}")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["code"], "validation_failed");
}

#[tokio::test]
async fn declared_errors_of_a_derived_enum() {
    use contract_axum::DeclaredErrors;
    let declared: Vec<_> = contract_tests::JoinError::declared()
        .into_iter()
        .map(|d| (d.status, d.code.to_string(), d.default_message))
        .collect();
    assert_eq!(
        declared,
        [
            (400, "seminar_full".to_owned(), None),
            (404, "not_found".to_owned(), None),
            (500, "internal".to_owned(), None),
        ]
    );
}

/// A router nested under another, each with its own layer: the inner layer
/// renders the envelope once, and the outer one leaves it alone. The
/// rendered response keeps the error response's extensions and the headers
/// a client needs (`Retry-After` here), and carries its code.
#[tokio::test]
async fn nested_layers_render_once_and_keep_extensions_and_headers() {
    use contract_axum::{Error, ErrorCode, ErrorLayer, Locale};
    use http::header;
    use tower::ServiceExt;

    #[derive(Clone, Debug, PartialEq)]
    struct Seen(&'static str);

    let inner = Router::new()
        .route(
            "/busy",
            axum::routing::get(|| async {
                (
                    axum::Extension(Seen("handler")),
                    [(header::RETRY_AFTER, "30")],
                    Error::from_status(StatusCode::TOO_MANY_REQUESTS),
                )
            }),
        )
        .layer(ErrorLayer::new().default_locale(Locale::from_static("ko")));
    let app: Router = Router::new().nest("/inner", inner).layer(ErrorLayer::new());
    let res = app
        .oneshot(
            http::Request::get("/inner/busy")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.extensions().get::<Seen>(), Some(&Seen("handler")));
    assert_eq!(
        res.extensions().get::<ErrorCode>().map(ErrorCode::as_str),
        Some("rate_limited")
    );
    let headers = res.headers().clone();
    assert_eq!(headers["retry-after"], "30");
    // Rendered by the inner layer (Korean by default), not again outside.
    assert_eq!(headers["content-language"], "ko");
    assert_eq!(headers.get_all("x-request-id").iter().count(), 1);
    let body = axum::body::to_bytes(res.into_body(), 4096).await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(
        body["request_id"],
        headers["x-request-id"].to_str().unwrap()
    );
}
