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
//! Put it outside [`ErrorLayer`](crate::ErrorLayer), which tells it the
//! code: `router.layer(error_layer).layer(MetricsLayer::new())`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use contract_core::ErrorCode;
use http::Method;
use pin_project_lite::pin_project;
use tower::{Layer, Service};

/// The name of the response counter.
pub const RESPONSES_TOTAL: &str = "http_responses_total";
/// The name of the latency histogram.
pub const REQUEST_DURATION_SECONDS: &str = "http_request_duration_seconds";

/// Counts and times every response; see the [module docs](self).
///
/// ```
/// use axum::{routing::get, Router};
/// use contract_axum::{ErrorLayer, MetricsLayer};
///
/// let app: Router = Router::new()
///     .route("/seminar/{id}", get(|| async { "hi" }))
///     .layer(ErrorLayer::new())
///     .layer(MetricsLayer::new());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MetricsLayer(());

impl MetricsLayer {
    /// The layer.
    pub fn new() -> Self {
        Self(())
    }
}

impl<S> Layer<S> for MetricsLayer {
    type Service = MetricsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        MetricsService { inner }
    }
}

/// The service of [`MetricsLayer`].
#[derive(Debug, Clone)]
pub struct MetricsService<S> {
    inner: S,
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
        let method = req.method().clone();
        let route = req.extensions().get::<MatchedPath>().cloned();
        MetricsFuture {
            inner: self.inner.call(req),
            started: Instant::now(),
            method,
            route,
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
        method: Method,
        route: Option<MatchedPath>,
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
            let route = this
                .route
                .as_ref()
                .map_or("(unmatched)", MatchedPath::as_str);
            let operation = format!("{} {route}", this.method);
            let code = res
                .extensions()
                .get::<ErrorCode>()
                .map_or_else(String::new, |c| c.as_str().to_owned());
            metrics::counter!(
                RESPONSES_TOTAL,
                "operation" => operation.clone(),
                "status" => res.status().as_str().to_owned(),
                "code" => code,
            )
            .increment(1);
            metrics::histogram!(REQUEST_DURATION_SECONDS, "operation" => operation)
                .record(this.started.elapsed().as_secs_f64());
        }
        Poll::Ready(res)
    }
}
