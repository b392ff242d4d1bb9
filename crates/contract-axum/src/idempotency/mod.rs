//! Idempotent retries (the IETF draft `Idempotency-Key` header): a phone
//! whose answer was lost sends the same request again with the same key,
//! and gets the first answer again instead of a second seminar or a
//! `400 already_joined` for a join that worked.
//!
//! An operation opts in with [`ApiMethodRouter::idempotent`], which also
//! documents the header and its answers; the app gives the store once, as
//! an [`IdempotencyKeys`] extension. For a request with a key, in the caller's scope
//! (by default, who the `Authorization` header says):
//!
//! - the first runs, and its success (status, body, and the headers that
//!   matter) is stored with a fingerprint of the request (method, path,
//!   query and body);
//! - a retry with the same request gets the stored answer again, marked
//!   `Idempotent-Replayed: true`;
//! - the same key with another request is `422 idempotency_key_reused`;
//! - a retry while the first still runs is `409 idempotency_key_in_flight`
//!   (with `Retry-After: 1`).
//!
//! A request that failed changed nothing, so its key is released and a
//! retry runs again. Keys expire (24 hours by default); [`Store::purge`]
//! drops the expired ones. [`MemoryStore`] serves one process;
//! `SqlStore` (feature `sqlx`) shares keys between processes through the
//! app's own SQLite or PostgreSQL database.
//!
//! [`ApiMethodRouter::idempotent`]: crate::ApiMethodRouter::idempotent

#[cfg(feature = "sqlx")]
mod sql;

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{OriginalUri, Request};
use axum::response::{IntoResponse, Response};
use contract_core::{Declared, Error, ErrorCode, Violation};
use contract_openapi::{In, Operation, Parameter};
use http::StatusCode;
use http::header::{self, HeaderName, HeaderValue};
use http::request::Parts;
use serde_json::json;
use sha2::{Digest, Sha256};
use tower::{Layer, Service};

use crate::hex;

#[cfg(feature = "sqlx")]
pub use sql::SqlStore;

/// The request header.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The header on a replayed answer.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// The longest key taken, in bytes.
pub const MAX_KEY_LEN: usize = 255;
/// How long a key is kept by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// What a store failed with (a database error, say): the request is
/// answered `503 service_unavailable` and may be retried.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// A boxed future of a [`Store`].
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A stored answer: what a replay sends again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The status.
    pub status: u16,
    /// The headers that matter (`Content-Type`, `Location`, `ETag`, `Link`).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// What [`Store::begin`] found for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The key is new (or had expired): the request runs.
    Started,
    /// The same key is running now.
    InFlight,
    /// The key was used with another fingerprint.
    Reused,
    /// The key's request completed with this answer.
    Replay(Stored),
}

/// Where keys are kept. Every method is atomic per (scope, key): two
/// processes that begin the same key see one `Started`.
pub trait Store: Send + Sync + 'static {
    /// Claims `key` in `scope` for a request with `fingerprint`, until
    /// `expires` (seconds since the Unix epoch), or says what holds it.
    fn begin<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        fingerprint: &'a str,
        expires: i64,
    ) -> StoreFuture<'a, Begin>;

    /// Keeps the answer of a request that [`Store::begin`] started.
    fn complete<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        answer: &'a Stored,
    ) -> StoreFuture<'a, ()>;

    /// Releases a started key whose request failed or was cancelled.
    fn release<'a>(&'a self, scope: &'a str, key: &'a str) -> StoreFuture<'a, ()>;

    /// Drops the keys expired at `now` (seconds since the Unix epoch);
    /// returns how many.
    fn purge(&self, now: i64) -> StoreFuture<'_, u64>;
}

fn now_secs() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    i64::try_from(secs).unwrap_or(i64::MAX)
}

/// (scope, key) → (fingerprint, expires, answer once complete).
type Entries = HashMap<(String, String), (String, i64, Option<Stored>)>;

/// Keys in memory, for one process (tests, a single server).
#[derive(Debug, Default)]
pub struct MemoryStore {
    keys: Mutex<Entries>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for MemoryStore {
    fn begin<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        fingerprint: &'a str,
        expires: i64,
    ) -> StoreFuture<'a, Begin> {
        let now = now_secs();
        let mut keys = self.lock();
        let id = (scope.to_owned(), key.to_owned());
        let found = match keys.get(&id) {
            Some((_, at, _)) if *at < now => None,
            Some((fp, _, _)) if fp != fingerprint => Some(Begin::Reused),
            Some((_, _, None)) => Some(Begin::InFlight),
            Some((_, _, Some(answer))) => Some(Begin::Replay(answer.clone())),
            None => None,
        };
        let begin = found.unwrap_or_else(|| {
            keys.insert(id, (fingerprint.to_owned(), expires, None));
            Begin::Started
        });
        Box::pin(std::future::ready(Ok(begin)))
    }

    fn complete<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        answer: &'a Stored,
    ) -> StoreFuture<'a, ()> {
        if let Some(entry) = self.lock().get_mut(&(scope.to_owned(), key.to_owned())) {
            entry.2 = Some(answer.clone());
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn release<'a>(&'a self, scope: &'a str, key: &'a str) -> StoreFuture<'a, ()> {
        let mut keys = self.lock();
        let id = (scope.to_owned(), key.to_owned());
        if keys.get(&id).is_some_and(|e| e.2.is_none()) {
            keys.remove(&id);
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn purge(&self, now: i64) -> StoreFuture<'_, u64> {
        let mut keys = self.lock();
        let before = keys.len();
        keys.retain(|_, (_, at, _)| *at >= now);
        Box::pin(std::future::ready(Ok((before - keys.len()) as u64)))
    }
}

/// Who a request's key belongs to.
type Scope = Arc<dyn Fn(&Parts) -> String + Send + Sync>;

/// The store and its settings, given to the app once as an extension:
/// `router.layer(axum::Extension(IdempotencyKeys::new(store)))`.
#[derive(Clone)]
pub struct IdempotencyKeys {
    store: Arc<dyn Store>,
    ttl: Duration,
    max_body: usize,
    scope: Scope,
}

impl std::fmt::Debug for IdempotencyKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdempotencyKeys")
            .field("ttl", &self.ttl)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

impl IdempotencyKeys {
    /// IdempotencyKeys kept in `store` for [`DEFAULT_TTL`], bodies up to 2 MiB, in the
    /// scope of the request's `Authorization` header (its SHA-256: a key
    /// never replays another caller's answer).
    pub fn new(store: impl Store) -> Self {
        Self {
            store: Arc::new(store),
            ttl: DEFAULT_TTL,
            max_body: 2 * 1024 * 1024,
            scope: Arc::new(|parts: &Parts| {
                let auth = parts.headers.get(header::AUTHORIZATION);
                hex(&Sha256::digest(auth.map_or(&b""[..], HeaderValue::as_bytes))[..16])
            }),
        }
    }

    /// How long a key is kept.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The largest request body an idempotent operation takes (`413`
    /// beyond it).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Who a key belongs to, from the request (the user id a token names,
    /// say); keys of different scopes never meet.
    pub fn scope(mut self, scope: impl Fn(&Parts) -> String + Send + Sync + 'static) -> Self {
        self.scope = Arc::new(scope);
        self
    }

    /// The store, to [`Store::purge`] it.
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }
}

/// What a key is, as the spec states it: visible ASCII and spaces, not
/// starting with a space.
pub(crate) const KEY_PATTERN: &str = r"^[\x21-\x7E][\x20-\x7E]*$";

/// The key of a request: [`KEY_PATTERN`], 1 to [`MAX_KEY_LEN`] bytes; an
/// RFC 8941 string (`"…"`) is its content.
fn parse_key(value: &HeaderValue) -> Result<String, Error> {
    let bad = |code: ErrorCode| {
        let long = code == ErrorCode::TOO_LONG;
        let v = Violation::new("Idempotency-Key", code);
        let v = if long {
            v.with_param("max", MAX_KEY_LEN)
        } else {
            v
        };
        Err(Error::validation(vec![v]).with_detail("a malformed Idempotency-Key"))
    };
    let text = value.as_bytes();
    if text.iter().all(u8::is_ascii_whitespace) {
        return bad(ErrorCode::BLANK);
    }
    if text.len() > MAX_KEY_LEN {
        return bad(ErrorCode::TOO_LONG);
    }
    if text[0] == b' ' || !text.iter().all(|b| (0x20..=0x7e).contains(b)) {
        return bad(ErrorCode::INVALID_FORMAT);
    }
    let key = match text {
        [b'"', inner @ .., b'"'] if !inner.is_empty() => inner,
        _ => text,
    };
    Ok(String::from_utf8_lossy(key).into_owned())
}

/// The fingerprint of a request: method, path and query, and body.
fn fingerprint(parts: &Parts, body: &[u8]) -> String {
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |o| &o.0);
    let mut h = Sha256::new();
    h.update(parts.method.as_str());
    h.update([0]);
    h.update(uri.path_and_query().map_or("", |p| p.as_str()));
    h.update([0]);
    h.update(body);
    hex(&h.finalize())
}

/// The headers of an answer a replay sends again.
const KEPT: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::LOCATION,
    header::ETAG,
    header::LINK,
];

impl IntoResponse for Stored {
    fn into_response(self) -> Response {
        let mut res = Response::new(Body::from(self.body));
        *res.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        for (name, value) in self.headers {
            if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
                res.headers_mut().append(n, v);
            }
        }
        res.headers_mut()
            .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
        res
    }
}

/// Documents an idempotent operation: the header and its answers.
pub(crate) fn document(op: &mut Operation) {
    op.parameter(
        Parameter::new(
            "Idempotency-Key",
            In::Header,
            json!({ "type": "string", "minLength": 1, "maxLength": MAX_KEY_LEN, "pattern": KEY_PATTERN }),
        )
        .description(
            "A key the client makes up for this request (a UUID, say) and sends again with \
             each retry of it: a retry gets the first answer again (`Idempotent-Replayed: \
             true`) instead of running twice. Kept 24 hours; scoped to the caller.",
        ),
    );
    op.success_header(
        "Idempotent-Replayed",
        "`true` when this is the stored answer of an earlier request with the same `Idempotency-Key`.",
    );
    op.error(Declared::builtin(ErrorCode::IDEMPOTENCY_KEY_IN_FLIGHT));
    op.error(Declared::builtin(ErrorCode::IDEMPOTENCY_KEY_REUSED));
    op.error(Declared::builtin(ErrorCode::VALIDATION_FAILED));
    op.error(Declared::builtin(ErrorCode::PAYLOAD_TOO_LARGE));
    op.error(Declared::builtin(ErrorCode::SERVICE_UNAVAILABLE));
}

/// The route layer [`ApiMethodRouter::idempotent`] puts on its methods.
///
/// [`ApiMethodRouter::idempotent`]: crate::ApiMethodRouter::idempotent
#[derive(Debug, Clone, Copy, Default)]
pub struct IdempotencyLayer;

impl<S> Layer<S> for IdempotencyLayer {
    type Service = IdempotencyService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        IdempotencyService { inner }
    }
}

/// The service of [`IdempotencyLayer`].
#[derive(Debug, Clone)]
pub struct IdempotencyService<S> {
    inner: S,
}

impl<S> Service<Request> for IdempotencyService<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // The clone that was driven ready serves this request.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(run(inner, req))
    }
}

async fn run<S>(mut inner: S, req: Request) -> Result<Response, Infallible>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let Some(value) = req.headers().get(IDEMPOTENCY_KEY) else {
        return inner.call(req).await;
    };
    let key = match parse_key(value) {
        Ok(key) => key,
        Err(e) => return Ok(e.into_response()),
    };
    let Some(keys) = req.extensions().get::<IdempotencyKeys>().cloned() else {
        return Ok(Error::internal()
            .with_detail(
                "an Idempotency-Key on an idempotent operation, but the app has no `IdempotencyKeys`: \
                 add `.layer(axum::Extension(IdempotencyKeys::new(store)))`",
            )
            .into_response());
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, keys.max_body).await else {
        return Ok(Error::payload_too_large()
            .with_detail("the body of an idempotent request is over the limit")
            .into_response());
    };
    let scope = (keys.scope)(&parts);
    let fingerprint = fingerprint(&parts, &bytes);
    let expires = now_secs().saturating_add(i64::try_from(keys.ttl.as_secs()).unwrap_or(i64::MAX));
    let begun = keys.store.begin(&scope, &key, &fingerprint, expires).await;
    match begun {
        Err(e) => Ok(Error::service_unavailable()
            .with_detail(format!("the idempotency store failed: {e}"))
            .into_response()),
        Ok(Begin::InFlight) => {
            let mut res = Error::new(StatusCode::CONFLICT, ErrorCode::IDEMPOTENCY_KEY_IN_FLIGHT)
                .with_detail("a request with this key is still running")
                .into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            Ok(res)
        }
        Ok(Begin::Reused) => Ok(Error::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IDEMPOTENCY_KEY_REUSED,
        )
        .with_detail("this key was sent with another request")
        .into_response()),
        Ok(Begin::Replay(stored)) => Ok(stored.into_response()),
        Ok(Begin::Started) => {
            let mut release = Release {
                keys: Some((keys.clone(), scope.clone(), key.clone())),
            };
            let res = inner
                .call(Request::from_parts(parts, Body::from(bytes)))
                .await?;
            if !res.status().is_success() {
                // It changed nothing: a retry may run again.
                if let Some((keys, scope, key)) = release.keys.take() {
                    let _ = keys.store.release(&scope, &key).await;
                }
                return Ok(res);
            }
            let (head, body) = res.into_parts();
            let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
                return Ok(Error::internal()
                    .with_detail("the answer's body failed")
                    .into_response());
            };
            let stored = Stored {
                status: head.status.as_u16(),
                headers: KEPT
                    .iter()
                    .flat_map(|n| head.headers.get_all(n).iter().map(move |v| (n, v)))
                    .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_owned())))
                    .collect(),
                body: body.to_vec(),
            };
            release.keys = None;
            if let Err(e) = keys.store.complete(&scope, &key, &stored).await {
                tracing::warn!(error = %e, "the idempotency store could not keep an answer");
                let _ = keys.store.release(&scope, &key).await;
            }
            Ok(Response::from_parts(head, Body::from(body)))
        }
    }
}

/// Releases a started key if the request is dropped before it completes
/// (the client went away): a retry may run it.
struct Release {
    keys: Option<(IdempotencyKeys, String, String)>,
}

impl Drop for Release {
    fn drop(&mut self) {
        if let Some((keys, scope, key)) = self.keys.take()
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            rt.spawn(async move {
                let _ = keys.store.release(&scope, &key).await;
            });
        }
    }
}
