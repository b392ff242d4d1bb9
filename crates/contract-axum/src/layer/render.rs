//! Rendering: from a response that carries an [`Error`] (or a bare error
//! status) to the envelope, localized, with the request id.

use std::any::Any;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use contract_core::{Error, ErrorCode, Locale, Problem};

use http::StatusCode;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::unread::{self, ReadToEnd};
use super::{Config, conditional, rejection};
use crate::request_id::{RequestId, X_REQUEST_ID};

/// What the layer keeps of the request to render a possible error.
pub(crate) struct Ctx {
    request_id: RequestId,
    accept_language: Option<HeaderValue>,
    /// The `Accept` header, kept only when it names problem details.
    problem: Option<HeaderValue>,
    /// The matched route's template: a problem's `instance` (the request id
    /// where no route matched, never the raw path, which is the client's
    /// input), and the parameter names a path rejection leaves out.
    route: Option<MatchedPath>,
    /// The URI, kept only when it has a query: a query rejection does not
    /// repeat the value it refused.
    query_uri: Option<http::Uri>,
    /// `If-None-Match` of a `GET` or `HEAD`, every line of it: a `200`
    /// with an `ETag` it matches becomes `304 Not Modified`.
    if_none_match: Vec<HeaderValue>,
    /// The request's body, when it may be too large for the server to
    /// drain after an early answer: whether it was read to its end.
    body: Option<ReadToEnd>,
    /// HTTP/1.x, where a connection carries one request at a time and an
    /// unread body ends it (HTTP/2 resets only the stream).
    http1: bool,
    config: Arc<Config>,
}

/// Response headers of the original error response worth keeping.
const KEEP: [HeaderName; 3] = [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE];

impl Ctx {
    /// Reads what a possible error needs, and settles the request id: the
    /// client's when sane, otherwise a new one written into the request's
    /// `x-request-id` header for the handler to see.
    pub(crate) fn capture(req: &mut Request, config: Arc<Config>) -> Self {
        // One pass over the headers instead of three lookups: cheaper for
        // the handful of headers a request carries (the first value of
        // each name wins, as with `HeaderMap::get`).
        let (mut client_id, mut accept_language, mut accept) = (None, None, None);
        let mut if_none_match = Vec::new();
        let mut large_body = false;
        for (name, value) in req.headers() {
            if *name == header::CONTENT_LENGTH {
                large_body |= std::str::from_utf8(value.as_bytes())
                    .ok()
                    .and_then(|n| n.parse::<u64>().ok())
                    .is_none_or(|n| n > unread::WATCHED_FROM);
            } else if *name == header::TRANSFER_ENCODING {
                large_body = true;
            } else if *name == header::IF_NONE_MATCH {
                if conditional::reads(req.method()) {
                    if_none_match.push(value.clone());
                }
            } else if *name == header::ACCEPT_LANGUAGE {
                accept_language.get_or_insert(value);
            } else if *name == header::ACCEPT {
                accept.get_or_insert(value);
            } else if *name == X_REQUEST_ID {
                client_id.get_or_insert(value);
            }
        }
        let accept_language = accept_language.cloned();
        let problem = accept.filter(|v| names_problem(v.as_bytes())).cloned();
        let route = req.extensions().get::<MatchedPath>().cloned();
        let query_uri = req.uri().query().is_some().then(|| req.uri().clone());
        let request_id = match client_id.and_then(RequestId::from_client) {
            Some(id) => id,
            None => {
                let id = RequestId::generate();
                req.headers_mut()
                    .insert(X_REQUEST_ID, id.header_value().clone());
                id
            }
        };
        let http1 = req.version() < http::Version::HTTP_2;
        let body = (http1 && large_body).then(|| ReadToEnd::watch(req));
        Self {
            request_id,
            accept_language,
            problem,
            route,
            query_uri,
            if_none_match,
            body,
            http1,
            config,
        }
    }

    /// Whether the request's body is known to be left unread: the
    /// connection closes after the answer, and the answer says so (an error
    /// answer also when its status refuses the body, see
    /// [`unread::refuses_body`]).
    fn body_unread(&self) -> bool {
        self.body.as_ref().is_some_and(|b| !b.done())
    }

    /// The inner service's answer: an error rendered as the envelope, a
    /// `200` turned into a `304` where `If-None-Match` matches, and the
    /// request id and `Connection: close` (a body left unread) set.
    pub(crate) fn finish(self, mut res: Response) -> Response {
        if let Some(err) = res.extensions_mut().remove::<Error>() {
            return self.render(err, res);
        }
        #[cfg(feature = "api")]
        if let Some(unrendered) = res
            .extensions_mut()
            .remove::<crate::operation::Unrendered>()
        {
            return self.localized(&unrendered, res);
        }
        let status = res.status();
        // A response with a code was rendered already, by a layer on a
        // nested router: leave it alone.
        if (status.is_client_error() || status.is_server_error())
            && res.extensions().get::<ErrorCode>().is_none()
        {
            // The body is replaced by the envelope: what it said (axum's
            // rejection text, say) is the developer's diagnosis.
            let (parts, body) = res.into_parts();
            let said = rejection::text_now(body);
            let request = rejection::Seen {
                route: self.route.as_ref().map(MatchedPath::as_str),
                query: self.query_uri.as_ref().and_then(http::Uri::query),
            };
            let err = rejection::error(status, said.as_deref(), request, self.request_id.as_str());
            return self.render(err, Response::from_parts(parts, Body::empty()));
        }
        if !self.if_none_match.is_empty()
            && res.status() == StatusCode::OK
            && let Some(etag) = res.headers().get(header::ETAG)
        {
            match conditional::not_modified(&self.if_none_match, etag) {
                Ok(true) => return self.not_modified(res),
                Ok(false) => {}
                Err(err) => return self.render(err, Response::default()),
            }
        }
        if self.body_unread() {
            res.headers_mut().insert(header::CONNECTION, unread::CLOSE);
        }
        self.set_request_id(res.headers_mut());
        res
    }

    /// `304 Not Modified` in place of `ok`: no body, and the headers a
    /// `200` would have had that a cache needs (RFC 9110, section 15.4.5).
    fn not_modified(self, ok: Response) -> Response {
        let (parts, _) = ok.into_parts();
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        for name in [
            header::ETAG,
            header::CACHE_CONTROL,
            header::VARY,
            header::CONTENT_LOCATION,
            header::EXPIRES,
            header::DATE,
        ] {
            for v in parts.headers.get_all(&name) {
                res.headers_mut().append(name.clone(), v.clone());
            }
        }
        self.set_request_id(res.headers_mut());
        res
    }

    pub(crate) fn panic(self, panic: Box<dyn Any + Send + 'static>) -> Response {
        let payload = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic with a non-string payload".to_owned());
        let err = Error::internal().with_detail(format!("handler panicked: {payload}"));
        self.render(err, Response::default())
    }

    /// `err`, for a request the layer refused before the router.
    pub(crate) fn refuse(self, err: Error) -> Response {
        self.render(err, Response::default())
    }

    /// `504 timeout`: the handler took longer than the request timeout.
    pub(crate) fn timed_out(self) -> Response {
        let timeout = self.config.request_timeout.unwrap_or_default();
        let err = Error::new(StatusCode::GATEWAY_TIMEOUT, ErrorCode::TIMEOUT).with_detail(format!(
            "the handler took longer than the request timeout ({timeout:?})"
        ));
        self.render(err, Response::default())
    }

    /// `service_unavailable`: the server's drain deadline passed before the
    /// handler finished (or the request came after it).
    pub(crate) fn unavailable(self) -> Response {
        let err = Error::service_unavailable()
            .with_detail("the server is shutting down: the drain deadline passed");
        self.render(err, Response::default())
    }

    /// A status resource whose failure is rendered in the reader's locale.
    #[cfg(feature = "api")]
    fn localized(self, unrendered: &crate::operation::Unrendered, res: Response) -> Response {
        let locale = self.locale();
        let body = unrendered.render(&self.config.catalog, locale);
        let content_language = locale.header_value();
        let (mut parts, _) = res.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts
            .headers
            .insert(header::CONTENT_LANGUAGE, content_language);
        parts.headers.insert(header::VARY, VARY);
        self.set_request_id(&mut parts.headers);
        Response::from_parts(parts, Body::from(body))
    }

    fn set_request_id(self, headers: &mut HeaderMap) {
        headers.insert(X_REQUEST_ID, self.request_id.into_header_value());
    }

    /// Negotiated here, on the error path only: the happy path never parses
    /// `Accept-Language`.
    fn locale(&self) -> &Locale {
        let header = self.accept_language.as_ref().and_then(|v| v.to_str().ok());
        self.config.catalog.negotiate(header)
    }

    fn wants_problem(&self) -> bool {
        let Some(accept) = self.problem.as_ref().and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let (mut problem, mut json) = (0u16, 0u16);
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                .next()
                .unwrap_or(1000);
            if media.eq_ignore_ascii_case("application/problem+json") {
                problem = problem.max(q);
            } else if media.eq_ignore_ascii_case("application/json") {
                json = json.max(q);
            }
        }
        problem > 0 && problem >= json
    }

    /// The envelope of `err`, in place of `original`: its status and body
    /// are replaced, the headers in [`KEEP`] kept, and its extensions (whose
    /// map the error travelled in) carry on.
    fn render(self, err: Error, original: Response) -> Response {
        let mut status = err.status();
        if err.code() == &ErrorCode::VALIDATION_FAILED {
            status = self.config.validation_status;
        }
        let close = self.http1 && (unread::refuses_body(status) || self.body_unread());
        let locale = self.locale();
        let code = err.code().clone();
        let content_language = locale.header_value();
        log(&err, status, self.request_id.as_str());
        let (catalog, id, debug) = (
            &self.config.catalog,
            self.request_id.as_str(),
            self.config.debug,
        );
        // Sized for the usual envelope, so serializing does not reallocate.
        let mut body = Vec::with_capacity(192 + 128 * err.fields().len());
        let content_type = if self.config.problem_details && self.wants_problem() {
            let instance = match &self.route {
                Some(route) => route.as_str(),
                None => id,
            };
            let envelope = err.into_envelope(catalog, locale, id, debug);
            let problem = Problem::from_envelope(envelope, status.as_u16(), instance);
            serde_json::to_writer(&mut body, &problem).expect("the envelope serializes");
            PROBLEM_JSON
        } else {
            // Written straight from the error: no envelope to build and drop.
            err.write_json(&mut body, catalog, locale, id, debug);
            JSON
        };
        let (mut parts, _) = original.into_parts();
        parts.status = status;
        let headers = &mut parts.headers;
        // The headers worth keeping (rarely any) are set aside, and the
        // map is cleared, keeping its allocation for the envelope's. An
        // error's own response has only its `Content-Type`.
        let plain = headers.is_empty()
            || (headers.len() == 1 && headers.contains_key(header::CONTENT_TYPE));
        let kept: Vec<(HeaderName, HeaderValue)> = if plain {
            Vec::new()
        } else {
            KEEP.iter()
                .flat_map(|name| {
                    headers
                        .get_all(name)
                        .iter()
                        .map(|v| (name.clone(), v.clone()))
                })
                .collect()
        };
        headers.clear();
        headers.insert(header::CONTENT_TYPE, content_type);
        headers.insert(header::CONTENT_LANGUAGE, content_language);
        // The body depends on both: caches must not hand it to another client.
        headers.insert(header::VARY, VARY);
        headers.insert(header::CACHE_CONTROL, NO_STORE);
        if close {
            headers.insert(header::CONNECTION, unread::CLOSE);
        }
        for (name, value) in kept {
            headers.append(name, value);
        }
        headers.insert(X_REQUEST_ID, self.request_id.into_header_value());
        parts.extensions.insert(code);
        Response::from_parts(parts, Body::from(body))
    }
}

/// The headers every envelope carries, validated once, at compile time.
const JSON: HeaderValue = HeaderValue::from_static("application/json");
const PROBLEM_JSON: HeaderValue = HeaderValue::from_static("application/problem+json");
const VARY: HeaderValue = HeaderValue::from_static("accept, accept-language");
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// `Accept` mentions `problem+json` (any case): only then can
/// [`Ctx::wants_problem`] be true, so only then is `Accept` kept.
fn names_problem(accept: &[u8]) -> bool {
    const NEEDLE: &[u8] = b"problem+json";
    accept
        .windows(NEEDLE.len())
        .any(|w| w.eq_ignore_ascii_case(NEEDLE))
}

/// The developer detail, formatted only if a log line is written.
struct Detail<'a>(Option<&'a (dyn std::fmt::Display + Send + Sync)>);

impl std::fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(d) => d.fmt(f),
            None => Ok(()),
        }
    }
}

fn log(err: &Error, status: StatusCode, request_id: &str) {
    let detail = Detail(err.detail());
    if status.is_server_error() {
        tracing::error!(request_id, status = status.as_u16(), code = %err.code(), detail = %detail, "request failed");
    } else {
        tracing::debug!(request_id, status = status.as_u16(), code = %err.code(), detail = %detail, "request rejected");
    }
}
