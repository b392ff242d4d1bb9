//! [`Contract`]: the service's error policy, written once, applied to the
//! layer that answers and to the spec that documents the answers.

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use contract_core::Catalog;
use contract_openapi::{Adopt, SpecBuilder};
use http::StatusCode;
use tower::Layer;
use tower::util::Either;

use crate::deadline::{BodyDeadlineLayer, BodyDeadlineService};
use crate::layer::{Config, ErrorLayer, ErrorService};

/// The policy a service answers errors with, as one value: the message
/// catalog, the status of `validation_failed`, problem details on request,
/// the body limit and deadline, and the limits on the request head.
///
/// The same value makes the layer ([`Contract::layer`]) and configures the
/// spec ([`Contract::spec`] for [`ApiRouter`](crate::ApiRouter),
/// [`Contract::adopt`] for a spec written elsewhere), so what the service
/// answers and what its spec says cannot disagree: a 400 for validation is
/// documented as 400, a `408 timeout` is documented only when bodies time
/// out, and the examples speak the catalog's words.
///
/// ```
/// use std::time::Duration;
///
/// use axum::{routing::post, Router};
/// use contract_axum::Contract;
/// use http::StatusCode;
///
/// let contract = Contract::new()
///     .validation_status(StatusCode::BAD_REQUEST)
///     .body_limit(64 * 1024)
///     .body_timeout(Duration::from_secs(10));
/// let spec = contract.spec("Todo API", "1.0.0");
/// assert_eq!(spec.configured_validation_status(), 400);
/// assert!(spec.documents_body_timeout());
/// let app: Router = Router::new()
///     .route("/todo", post(|| async { "made" }))
///     .layer(contract.layer());
/// ```
#[derive(Debug, Clone)]
pub struct Contract {
    catalog: Catalog,
    validation_status: StatusCode,
    problem_details: bool,
    body_limit: Option<usize>,
    body_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    debug: bool,
    max_uri_len: usize,
    max_headers: usize,
}

impl Default for Contract {
    fn default() -> Self {
        Self::new()
    }
}

impl Contract {
    /// The default policy: the built-in messages (English by default), 422
    /// for validation failures, problem details for clients that ask, axum's
    /// body limit (2 MB), no body timeout, no debug detail.
    pub fn new() -> Self {
        // The layer's defaults, so `ErrorLayer::new()` and `Contract::new()`
        // answer alike.
        let layer = Config::default();
        Self {
            catalog: layer.catalog,
            validation_status: layer.validation_status,
            problem_details: layer.problem_details,
            body_limit: None,
            body_timeout: None,
            request_timeout: layer.request_timeout,
            debug: layer.debug,
            max_uri_len: layer.max_uri_len,
            max_headers: layer.max_headers,
        }
    }

    /// The message catalog: the built-in `.ftl` files plus the app's.
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.catalog = catalog;
        self
    }

    /// The status of `validation_failed` (422 by default; some APIs use 400).
    ///
    /// # Panics
    /// When `status` is not a 4xx.
    pub fn validation_status(mut self, status: StatusCode) -> Self {
        assert!(status.is_client_error(), "validation failures are 4xx");
        self.validation_status = status;
        self
    }

    /// Whether a client sending `Accept: application/problem+json` gets RFC
    /// 9457 problem details (on by default); off, every error is the
    /// envelope.
    pub fn problem_details(mut self, on: bool) -> Self {
        self.problem_details = on;
        self
    }

    /// The largest request body, in bytes (`payload_too_large` over it).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = Some(bytes);
        self
    }

    /// How long a whole request body may take to arrive, counted from the
    /// app's first read of it (`408 timeout` after it). The deadline is
    /// total: a client that trickles a byte at a time does not move it (as
    /// it would move tower-http's `RequestBodyTimeout`, which restarts on
    /// every frame).
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = Some(timeout);
        self
    }

    /// How long a handler may take, from the request's arrival: after it
    /// the handler is dropped and the client gets `504 timeout`, which the
    /// spec then documents on every operation.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The longest request target (path and query, in bytes) served;
    /// longer ones are answered `414 uri_too_long` (32 KiB by default).
    pub fn max_uri_len(mut self, bytes: usize) -> Self {
        self.max_uri_len = bytes;
        self
    }

    /// The most request headers served; more are answered
    /// `431 headers_too_large` (100 by default, which is also hyper's).
    pub fn max_headers(mut self, count: usize) -> Self {
        self.max_headers = count;
        self
    }

    /// Adds the developer detail as a `debug` member. For local development
    /// only: never enable it in production.
    pub fn debug(mut self, on: bool) -> Self {
        self.debug = on;
        self
    }

    /// The layer that answers with this policy: [`ErrorLayer`] outside, then
    /// the body timeout and the body limit.
    pub fn layer(&self) -> ContractLayer {
        ContractLayer {
            error: ErrorLayer::with_config(self.config()),
            limit: match self.body_limit {
                Some(bytes) => DefaultBodyLimit::max(bytes),
                None => DefaultBodyLimit::max(DEFAULT_BODY_LIMIT),
            },
            timeout: self.body_timeout.map(BodyDeadlineLayer),
        }
    }

    /// A spec builder that documents this policy.
    pub fn spec(&self, title: impl Into<String>, version: impl Into<String>) -> SpecBuilder {
        let mut spec = SpecBuilder::new(title, version);
        spec.validation_status(self.validation_status.as_u16())
            .catalog(self.catalog.clone())
            .body_timeout(self.body_timeout.is_some())
            .request_timeout(self.request_timeout.is_some());
        spec
    }

    /// The policy for a spec written elsewhere (utoipa, aide, by hand), for
    /// `contract_utoipa::apply` or [`Adopt::apply`].
    pub fn adopt(&self) -> Adopt {
        Adopt::new()
            .validation_status(self.validation_status.as_u16())
            .catalog(self.catalog.clone())
            .body_timeout(self.body_timeout.is_some())
            .request_timeout(self.request_timeout.is_some())
    }

    pub(crate) fn config(&self) -> Config {
        Config {
            catalog: self.catalog.clone(),
            validation_status: self.validation_status,
            problem_details: self.problem_details,
            debug: self.debug,
            max_uri_len: self.max_uri_len,
            max_headers: self.max_headers,
            request_timeout: self.request_timeout,
        }
    }
}

/// axum's own default body limit, stated so the layer always sets one.
const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The layer of a [`Contract`]: [`ErrorLayer`] around the body timeout
/// (when set) around the body limit.
#[derive(Debug, Clone)]
pub struct ContractLayer {
    error: ErrorLayer,
    limit: DefaultBodyLimit,
    timeout: Option<BodyDeadlineLayer>,
}

/// The body limit's service around `S`.
type Limited<S> = <DefaultBodyLimit as Layer<S>>::Service;

impl<S> Layer<S> for ContractLayer {
    type Service = ErrorService<Either<BodyDeadlineService<Limited<S>>, Limited<S>>>;

    fn layer(&self, inner: S) -> Self::Service {
        let limited = self.limit.layer(inner);
        let timed = match &self.timeout {
            Some(timeout) => Either::Left(timeout.layer(limited)),
            None => Either::Right(limited),
        };
        self.error.layer(timed)
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::post;
    use http::Request;
    use tower::ServiceExt;

    use super::*;

    async fn echo(body: String) -> String {
        body
    }

    async fn post_body(contract: &Contract, body: &'static str, accept: &str) -> (u16, String) {
        let app = Router::new().route("/", post(echo)).layer(contract.layer());
        let res = app
            .oneshot(
                Request::post("/")
                    .header("accept", accept)
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await
            .expect("infallible");
        let status = res.status().as_u16();
        let ct = res.headers()[http::header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        (status, ct)
    }

    #[tokio::test]
    async fn the_layer_applies_the_body_limit_with_the_envelope() {
        let contract = Contract::new().body_limit(4);
        assert_eq!(
            post_body(&contract, "12345", "*/*").await,
            (413, "application/json".to_owned())
        );
        assert_eq!(post_body(&contract, "1234", "*/*").await.0, 200);
    }

    #[tokio::test]
    async fn problem_details_are_served_only_when_the_policy_allows() {
        let on = Contract::new().body_limit(1);
        let off = Contract::new().body_limit(1).problem_details(false);
        let accept = "application/problem+json";
        assert_eq!(post_body(&on, "12", accept).await.1, accept);
        assert_eq!(post_body(&off, "12", accept).await.1, "application/json");
    }

    #[tokio::test(start_paused = true)]
    async fn a_handler_past_the_request_timeout_is_dropped_and_answered_504() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};

        let finished = Arc::new(AtomicBool::new(false));
        let done = finished.clone();
        let contract = Contract::new().request_timeout(Duration::from_secs(2));
        let app = Router::new()
            .route(
                "/slow",
                axum::routing::get(move || async move {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    done.store(true, Ordering::SeqCst);
                    "late"
                }),
            )
            .route("/fast", axum::routing::get(|| async { "ok" }))
            .layer(contract.layer());
        let get = |uri: &str| Request::get(uri).body(Body::empty()).expect("request");
        let started = tokio::time::Instant::now();
        let res = app.clone().oneshot(get("/slow")).await.expect("infallible");
        assert_eq!(res.status(), StatusCode::GATEWAY_TIMEOUT);
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        let body = axum::body::to_bytes(res.into_body(), 4096)
            .await
            .expect("body");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(json["code"], "timeout");
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert!(!finished.load(Ordering::SeqCst), "the handler was dropped");
        let res = app.oneshot(get("/fast")).await.expect("infallible");
        assert_eq!(res.status(), StatusCode::OK);
    }

    #[test]
    fn a_request_timeout_is_documented_on_every_operation() {
        let contract = Contract::new().request_timeout(Duration::from_secs(5));
        assert!(contract.spec("t", "1").documents_request_timeout());
        assert!(!Contract::new().spec("t", "1").documents_request_timeout());
        let mut doc = serde_json::json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}},
        });
        contract.adopt().apply(&mut doc).expect("adopted");
        assert_eq!(
            doc["paths"]["/x"]["get"]["responses"]["504"][contract_core::keyword::ERROR_CODES],
            serde_json::json!(["timeout"])
        );
        let (_, spec) = crate::ApiRouter::<()>::new(contract.spec("t", "1"))
            .route("/x", crate::get(|| async { crate::NoContent }))
            .into_parts();
        let built = spec.build();
        assert_eq!(
            built["paths"]["/x"]["get"]["responses"]["504"][contract_core::keyword::ERROR_CODES],
            serde_json::json!(["timeout"])
        );
    }

    #[test]
    fn the_spec_and_the_adopted_spec_say_what_the_layer_does() {
        let plain = Contract::new();
        assert_eq!(plain.spec("t", "1").configured_validation_status(), 422);
        assert!(!plain.spec("t", "1").documents_body_timeout());
        let strict = Contract::new()
            .validation_status(StatusCode::BAD_REQUEST)
            .body_timeout(Duration::from_secs(1));
        let spec = strict.spec("t", "1");
        assert_eq!(spec.configured_validation_status(), 400);
        assert!(spec.documents_body_timeout());
        let mut doc = serde_json::json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "OK"}},
            }}},
        });
        strict.adopt().apply(&mut doc).expect("adopts");
        let responses = &doc["paths"]["/x"]["post"]["responses"];
        assert!(responses.get("408").is_some(), "{responses:#}");
        assert!(responses.get("400").is_some(), "{responses:#}");
        assert!(responses.get("422").is_none(), "{responses:#}");
    }
}
