//! The access log: one line per request, after [`ErrorLayer`] has rendered
//! it, with the request id, the operation (the route's method and path
//! template, never the raw path), the status and, for an error, its code.
//!
//! [`ErrorLayer`]: contract_axum::ErrorLayer

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use contract_axum::{ErrorCode, X_REQUEST_ID};

/// Logs the request at `info` once it has been answered (the body may still
/// be streaming).
pub(crate) async fn access_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let res = next.run(req).await;
    let request_id = res
        .headers()
        .get(X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let operation = Operation(&method, route.as_ref());
    let status = res.status().as_u16();
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    match res.extensions().get::<ErrorCode>() {
        Some(code) => tracing::info!(
            request_id,
            %operation,
            status,
            code = code.as_str(),
            micros,
            "request answered"
        ),
        None => tracing::info!(request_id, %operation, status, micros, "request answered"),
    }
    res
}

/// `METHOD /route/{template}`, formatted only if the line is written.
struct Operation<'a>(&'a http::Method, Option<&'a MatchedPath>);

impl std::fmt::Display for Operation<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let route = self.1.map_or("(unmatched)", MatchedPath::as_str);
        write!(f, "{} {route}", self.0)
    }
}
