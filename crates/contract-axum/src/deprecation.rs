//! [`ApiMethodRouter::deprecated`]'s route layer: every answer of a
//! deprecated operation carries RFC 9745's `Deprecation`, RFC 8594's
//! `Sunset` and a `Link` to the migration notes, and is marked for
//! `MetricsLayer`, which counts the calls still made.
//!
//! [`ApiMethodRouter::deprecated`]: crate::ApiMethodRouter::deprecated

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use contract_openapi::Deprecation;
use http::header::{self, HeaderName, HeaderValue};
use tower::{Layer, Service};

use crate::metrics::DeprecatedCall;

/// The `Deprecation` header (RFC 9745).
const DEPRECATION: HeaderName = HeaderName::from_static("deprecation");
/// The `Sunset` header (RFC 8594).
const SUNSET: HeaderName = HeaderName::from_static("sunset");

/// Adds a deprecated operation's headers to its answers.
#[derive(Debug, Clone)]
pub(crate) struct DeprecationLayer {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl DeprecationLayer {
    pub(crate) fn new(d: &Deprecation) -> Self {
        let headers = [
            (
                DEPRECATION,
                d.deprecation_header().unwrap_or_else(|| "?1".into()),
            ),
            (SUNSET, d.sunset_header().unwrap_or_default()),
            (header::LINK, d.link_header().unwrap_or_default()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(n, v)| Some((n, HeaderValue::from_str(&v).ok()?)))
        .collect();
        Self { headers }
    }
}

impl<S> Layer<S> for DeprecationLayer {
    type Service = DeprecationService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        DeprecationService {
            inner,
            headers: self.headers.clone(),
        }
    }
}

/// The service of [`DeprecationLayer`].
#[derive(Debug, Clone)]
pub(crate) struct DeprecationService<S> {
    inner: S,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl<S> Service<Request> for DeprecationService<S>
where
    S: Service<Request, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let future = self.inner.call(req);
        let headers = self.headers.clone();
        Box::pin(async move {
            let mut res = future.await?;
            for (name, value) in headers {
                res.headers_mut().append(name, value);
            }
            res.extensions_mut().insert(DeprecatedCall);
            Ok(res)
        })
    }
}
