//! Cross-crate tests: the envelope for every failure kind, over the real
//! router with `tower::ServiceExt::oneshot`.

mod deprecation;
mod envelope;
mod leaks;
mod levels;
mod locales;
mod plain_axum;
mod spec;

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// What a test looks at: status, the headers that matter, and the body.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: http::HeaderMap,
    pub(crate) text: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The view the snapshots record.
    pub(crate) fn view(&self) -> Value {
        let h = |n: &str| self.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
        json!({
            "status": self.status.as_u16(),
            "content-type": h("content-type"),
            "content-language": h("content-language"),
            "allow": h("allow"),
            "body": self.json(),
        })
    }
}

/// Sends one request to `app`; `lang` goes to `Accept-Language`.
pub(crate) async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

pub(crate) fn request(method: &str, uri: &str, lang: &str) -> http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("accept-language", lang)
        .header("x-request-id", "req-1")
}

pub(crate) fn json_request(
    method: &str,
    uri: &str,
    lang: &str,
    body: impl Into<Body>,
) -> Request<Body> {
    request(method, uri, lang)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

/// The fields of an envelope, as (field, code).
pub(crate) fn fields(body: &Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().into(),
                f["code"].as_str().unwrap().into(),
            )
        })
        .collect()
}

pub(crate) fn app() -> Router {
    contract_tests::app(StatusCode::BAD_REQUEST)
}
