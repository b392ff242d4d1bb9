//! [`MetricsLayer`]: what the phones see, counted. Every response is
//! counted by operation (the route's method and path template, never the
//! raw path), status and error code, and timed per operation, through the
//! [`metrics`] facade, so any recorder exports them (Prometheus with
//! `metrics-exporter-prometheus`, StatsD, ...):
//!
//! - `http_responses_total{operation, status, code}`, a counter; `code` is
//!   the envelope's code, empty for a success;
//! - `http_request_duration_seconds{operation}`, a histogram.
//!
//! The number of series is bounded by the app, never by its clients: the
//! method is one of HTTP's nine standard methods or `OTHER` (a request with
//! an invented method counts there), the route is a route template of the
//! router or `(unmatched)` (raw paths never become labels), and the status
//! and code are the ones the app answers. So there are at most
//! 10 × (routes + 1) operations, each with one series per (status, code)
//! the app answers it with, plus one histogram.
//!
//! Put it outside [`ErrorLayer`](crate::ErrorLayer), which tells it the
//! code: `router.layer(error_layer).layer(MetricsLayer::new())`, and
//! install the recorder before the first request: the layer keeps the
//! handles it registers per operation, status and code, so a request that
//! has been seen before costs a hash and two atomic updates, no allocation.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use contract_core::ErrorCode;
use http::Method;
use http::header::{HeaderName, HeaderValue};
use pin_project_lite::pin_project;
use tower::{Layer, Service};

/// The name of the response counter.
pub const RESPONSES_TOTAL: &str = "http_responses_total";
/// The name of the latency histogram.
pub const REQUEST_DURATION_SECONDS: &str = "http_request_duration_seconds";
/// The name of the counter of answers of deprecated operations, by
/// operation and, with [`MetricsLayer::client_version_header`], by the
/// client's version: when it stops growing, the sunset is safe.
pub const DEPRECATED_REQUESTS_TOTAL: &str = "http_deprecated_requests_total";
/// How many distinct client versions are labels; the others count as
/// `other`, so clients cannot add series without end.
pub const MAX_CLIENT_VERSIONS: usize = 64;

/// On the answer of a deprecated operation (`ApiMethodRouter::deprecated`
/// puts it there): counted in [`DEPRECATED_REQUESTS_TOTAL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeprecatedCall;

/// Counts and times every response; see the [module docs](self).
///
/// ```
/// use axum::{routing::get, Router};
/// use contract_axum::ErrorLayer;
/// use contract_axum::metrics::MetricsLayer;
///
/// let app: Router = Router::new()
///     .route("/seminar/{id}", get(|| async { "hi" }))
///     .layer(ErrorLayer::new())
///     .layer(MetricsLayer::new());
/// ```
#[derive(Debug, Clone, Default)]
pub struct MetricsLayer {
    handles: Arc<Handles>,
    client_version: Option<HeaderName>,
}

impl MetricsLayer {
    /// The layer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Labels the calls to deprecated operations with this request
    /// header's value (`x-client-version: 3.2.0`, say): a version of up to
    /// 32 letters, digits and `.+-_`, else `unknown`; the first
    /// [`MAX_CLIENT_VERSIONS`] seen, then `other`.
    pub fn client_version_header(mut self, name: HeaderName) -> Self {
        self.client_version = Some(name);
        self
    }
}

impl<S> Layer<S> for MetricsLayer {
    type Service = MetricsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        MetricsService {
            inner,
            handles: self.handles.clone(),
            client_version: self.client_version.clone(),
        }
    }
}

/// One (operation, status, code) seen, with its registered handles.
#[derive(Debug)]
struct Entry {
    method: &'static str,
    route: Option<String>,
    status: u16,
    code: Option<ErrorCode>,
    counter: metrics::Counter,
    histogram: metrics::Histogram,
}

/// The handles registered so far, by the hash of their labels.
#[derive(Debug, Default)]
struct Handles {
    hasher: RandomState,
    seen: RwLock<HashMap<u64, Vec<Entry>>>,
    /// The client versions that are labels.
    versions: Mutex<HashSet<String>>,
}

impl Handles {
    /// Counts one answer of a deprecated operation.
    fn deprecated(&self, method: &'static str, route: Option<&str>, version: Option<&HeaderValue>) {
        let operation = format!("{method} {}", route.unwrap_or("(unmatched)"));
        let version = match version.and_then(|v| v.to_str().ok()) {
            None => "",
            Some(v)
                if v.len() <= 32
                    && !v.is_empty()
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b)) =>
            {
                let mut known = self.versions.lock().unwrap_or_else(PoisonError::into_inner);
                if known.contains(v) || known.len() < MAX_CLIENT_VERSIONS {
                    known.insert(v.to_owned());
                    v
                } else {
                    "other"
                }
            }
            Some(_) => "unknown",
        };
        metrics::counter!(
            DEPRECATED_REQUESTS_TOTAL,
            "operation" => operation,
            "client_version" => version.to_owned(),
        )
        .increment(1);
    }

    /// Records one response, registering its handles the first time.
    fn record(
        &self,
        method: &'static str,
        route: Option<&str>,
        status: u16,
        code: Option<&ErrorCode>,
        secs: f64,
    ) {
        let key = self
            .hasher
            .hash_one((method, route, status, code.map(ErrorCode::as_str)));
        let same = |e: &Entry| {
            e.method == method
                && e.route.as_deref() == route
                && e.status == status
                && e.code.as_ref() == code
        };
        {
            let seen = self.seen.read().expect("not poisoned");
            if let Some(e) = seen
                .get(&key)
                .and_then(|list| list.iter().find(|e| same(e)))
            {
                e.counter.increment(1);
                e.histogram.record(secs);
                return;
            }
        }
        let operation = format!("{method} {}", route.unwrap_or("(unmatched)"));
        let entry = Entry {
            method,
            route: route.map(str::to_owned),
            status,
            code: code.cloned(),
            counter: metrics::counter!(
                RESPONSES_TOTAL,
                "operation" => operation.clone(),
                "status" => status.to_string(),
                "code" => code.map_or_else(String::new, |c| c.as_str().to_owned()),
            ),
            histogram: metrics::histogram!(REQUEST_DURATION_SECONDS, "operation" => operation),
        };
        entry.counter.increment(1);
        entry.histogram.record(secs);
        let mut seen = self.seen.write().expect("not poisoned");
        let list = seen.entry(key).or_default();
        if !list.iter().any(same) {
            list.push(entry);
        }
    }
}

/// The service of [`MetricsLayer`].
#[derive(Debug, Clone)]
pub struct MetricsService<S> {
    inner: S,
    handles: Arc<Handles>,
    client_version: Option<HeaderName>,
}

impl<S> Service<Request> for MetricsService<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = MetricsFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let method = method_label(req.method());
        let route = req.extensions().get::<MatchedPath>().cloned();
        let version = self
            .client_version
            .as_ref()
            .and_then(|h| req.headers().get(h))
            .cloned();
        MetricsFuture {
            inner: self.inner.call(req),
            started: Instant::now(),
            method,
            route,
            version,
            handles: self.handles.clone(),
        }
    }
}

pin_project! {
    /// The future of [`MetricsService`].
    #[derive(Debug)]
    pub struct MetricsFuture<F> {
        #[pin]
        inner: F,
        started: Instant,
        method: &'static str,
        route: Option<MatchedPath>,
        version: Option<HeaderValue>,
        handles: Arc<Handles>,
    }
}

/// The method as a label: a standard method's name, or `OTHER` for any
/// other (clients can invent methods without end; the labels must not grow
/// with them).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}

impl<F, E> Future for MetricsFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = std::task::ready!(this.inner.poll(cx));
        if let Ok(res) = &res {
            this.handles.record(
                this.method,
                this.route.as_ref().map(MatchedPath::as_str),
                res.status().as_u16(),
                res.extensions().get::<ErrorCode>(),
                this.started.elapsed().as_secs_f64(),
            );
            if res.extensions().get::<DeprecatedCall>().is_some() {
                this.handles.deprecated(
                    this.method,
                    this.route.as_ref().map(MatchedPath::as_str),
                    this.version.as_ref(),
                );
            }
        }
        Poll::Ready(res)
    }
}
