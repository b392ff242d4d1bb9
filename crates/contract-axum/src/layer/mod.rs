//! [`ErrorLayer`]: the tower middleware that puts every failure into the
//! envelope, sets the request id and catches panics.

pub(crate) mod conditional;
mod cutoff;
mod future;
mod rejection;
mod render;
mod unread;

use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use contract_core::{Catalog, Locale};
use http::StatusCode;
use tower::{Layer, Service};

pub use future::ResponseFuture;

pub(crate) use cutoff::Cutoff;

/// The service-wide error policy.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) catalog: Catalog,
    pub(crate) validation_status: StatusCode,
    pub(crate) problem_details: bool,
    pub(crate) debug: bool,
    /// The longest request target (path and query) answered normally.
    pub(crate) max_uri_len: usize,
    /// The most request headers answered normally.
    pub(crate) max_headers: usize,
    /// How long a handler may take before `504 timeout`.
    pub(crate) request_timeout: Option<std::time::Duration>,
}

impl Default for Config {
    /// contract's defaults: the built-in catalog, `validation_failed` at
    /// 422, problem details on request, no debug detail, the default limits,
    /// no request timeout.
    fn default() -> Self {
        Self {
            catalog: Catalog::new(),
            validation_status: StatusCode::UNPROCESSABLE_ENTITY,
            problem_details: true,
            debug: false,
            max_uri_len: DEFAULT_MAX_URI_LEN,
            max_headers: DEFAULT_MAX_HEADERS,
            request_timeout: None,
        }
    }
}

/// The longest request target [`ErrorLayer`] lets through by default:
/// `414 uri_too_long` beyond it.
pub const DEFAULT_MAX_URI_LEN: usize = 32 * 1024;
/// The most request headers [`ErrorLayer`] lets through by default:
/// `431 headers_too_large` beyond it. [`Server`](crate::server::Server) lets hyper
/// read a few more, so that this limit, not hyper's, answers.
pub const DEFAULT_MAX_HEADERS: usize = 100;

/// Wraps a router so that no 4xx or 5xx leaves it without the envelope.
///
/// [`Contract::layer`](crate::Contract::layer) makes this layer, with the
/// body limit and timeout, from the same value that configures the spec:
/// prefer it, so the two cannot disagree.
///
/// - A handler's or extractor's [`Error`](crate::Error) is rendered in the
///   client's language (`Accept-Language`, negotiated against the
///   [`Catalog`]'s locales only when an error is rendered; `Content-Language`
///   names the result and `Vary: accept, accept-language` keeps caches
///   honest), or as RFC 9457 problem details when the client asks for
///   `application/problem+json`.
/// - Any other error response (an unmatched route, a wrong method with its
///   `Allow` header kept, a body limit, a timeout) becomes the envelope of the
///   built-in code for its status.
/// - A panic becomes `internal` (500); the service keeps serving.
/// - Under [`Server`](crate::server::Server), a request still running at the drain
///   deadline becomes `service_unavailable` (503); its handler is dropped.
/// - An error response carries its [`ErrorCode`](crate::ErrorCode) as a
///   response extension, for an access log outside the layer.
/// - Over HTTP/1.x, an answer that leaves the request's body unread (a
///   `413`, a `408`, or any answer given before a body over 8 KiB, or of
///   unknown length, was read to its end) says `Connection: close`: the
///   server closes that connection after it, and a client must not send its
///   next request on it.
/// - Every response carries `x-request-id`: the client's, when it sent a
///   sensible one, otherwise a fresh ULID, which also replaces the request's
///   `x-request-id` header on its way to the handler. The same id is the
///   envelope's `request_id` and is on the log line with the developer
///   detail; handlers extract it as [`RequestId`](crate::RequestId).
///
/// ```
/// use axum::{routing::get, Router};
/// use contract_axum::ErrorLayer;
/// use http::StatusCode;
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hi" }))
///     .layer(ErrorLayer::new().validation_status(StatusCode::BAD_REQUEST));
/// ```
#[derive(Debug, Clone)]
pub struct ErrorLayer {
    config: Arc<Config>,
}

impl Default for ErrorLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl ErrorLayer {
    /// The default policy: built-in messages, English by default, 422 for
    /// validation failures, no debug detail.
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    pub(crate) fn with_config(config: Config) -> Self {
        Self {
            config: Arc::new(config),
        }
    }

    fn config_mut(&mut self) -> &mut Config {
        Arc::make_mut(&mut self.config)
    }

    /// The message catalog: the built-in `.ftl` files plus the app's (added
    /// codes, overridden messages, added locales) and the default locale.
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.config_mut().catalog = catalog;
        self
    }

    /// The locale for clients that state no supported preference.
    pub fn default_locale(mut self, locale: Locale) -> Self {
        let cfg = self.config_mut();
        cfg.catalog = std::mem::take(&mut cfg.catalog).with_default_locale(locale);
        self
    }

    /// The status of `validation_failed` (422 by default; some APIs use 400).
    ///
    /// # Panics
    /// When `status` is not a 4xx.
    pub fn validation_status(mut self, status: StatusCode) -> Self {
        assert!(status.is_client_error(), "validation failures are 4xx");
        self.config_mut().validation_status = status;
        self
    }

    /// Adds the developer detail as a `debug` member. For local development
    /// only: never enable it in production.
    pub fn debug(mut self, on: bool) -> Self {
        self.config_mut().debug = on;
        self
    }

    /// The longest request target (path and query, in bytes) served;
    /// longer ones are answered `414 uri_too_long` without reaching the
    /// router. 32 KiB by default (hyper refuses more than 64 KiB itself).
    pub fn max_uri_len(mut self, bytes: usize) -> Self {
        self.config_mut().max_uri_len = bytes;
        self
    }

    /// How long a handler may take, from the request's arrival: after it
    /// the handler is dropped (what it had begun is rolled back as its
    /// drop does) and the client gets `504 timeout`. None by default.
    pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.config_mut().request_timeout = Some(timeout);
        self
    }

    /// The most request headers served; more are answered
    /// `431 headers_too_large` without reaching the router. 100 by default.
    pub fn max_headers(mut self, count: usize) -> Self {
        self.config_mut().max_headers = count;
        self
    }
}

impl<S> Layer<S> for ErrorLayer {
    type Service = ErrorService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ErrorService {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service made by [`ErrorLayer`].
#[derive(Debug, Clone)]
pub struct ErrorService<S> {
    inner: S,
    config: Arc<Config>,
}

impl<S> Service<Request> for ErrorService<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        // The id travels in the request's header, not in an extension: the
        // fourth extension of an axum request regrows its map.
        let ctx = render::Ctx::capture(&mut req, self.config.clone());
        #[cfg(debug_assertions)]
        req.extensions_mut().insert(crate::request_id::LayerMark);
        let cutoff = req.extensions().get::<Cutoff>().cloned();
        if cutoff.as_ref().is_some_and(Cutoff::reached) {
            return ResponseFuture::unavailable(ctx);
        }
        if let Some(err) = over_limits(&req, &self.config) {
            return ResponseFuture::refused(err, ctx);
        }
        // A panic in `call` itself is caught like one in the future.
        let inner = &mut self.inner;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.call(req))) {
            Ok(fut) => ResponseFuture::new(fut, ctx, cutoff, self.config.request_timeout),
            Err(panic) => ResponseFuture::panicked(panic, ctx),
        }
    }
}

/// The request head over the layer's limits: its error, before the router
/// sees it.
fn over_limits(req: &Request, config: &Config) -> Option<contract_core::Error> {
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > config.max_uri_len {
        return Some(
            contract_core::Error::from_status(StatusCode::URI_TOO_LONG).with_detail(format!(
                "request target of {target} bytes, over the limit of {}",
                config.max_uri_len
            )),
        );
    }
    let headers = req.headers().len();
    if headers > config.max_headers {
        return Some(
            contract_core::Error::from_status(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
                .with_detail(format!(
                    "{headers} request headers, over the limit of {}",
                    config.max_headers
                )),
        );
    }
    None
}
