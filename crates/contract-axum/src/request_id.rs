//! Request ids: propagated from `x-request-id` or generated (ULID).

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::request::Parts;

/// The `x-request-id` header.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request: the envelope's `request_id`, the
/// `x-request-id` response header and a field of every log line about it.
///
/// Set by [`ErrorLayer`](crate::ErrorLayer); handlers can extract it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The client's id when it is 1-128 characters of `[A-Za-z0-9._:-]`
    /// (safe to log and echo), otherwise a new ULID.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        if let Some(v) = headers.get(X_REQUEST_ID) {
            let b = v.as_bytes();
            if !b.is_empty()
                && b.len() <= 128
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || b"._:-".contains(c))
            {
                return Self(v.clone());
            }
        }
        Self::generate()
    }

    /// A new ULID: time-ordered, 80 random bits per millisecond and
    /// thread, then incremented (a per-thread monotonic generator draws
    /// randomness once a millisecond rather than once a request).
    pub fn generate() -> Self {
        thread_local! {
            static GENERATOR: std::cell::RefCell<ulid::Generator> =
                const { std::cell::RefCell::new(ulid::Generator::new()) };
        }
        let id = GENERATOR
            .with_borrow_mut(|g| g.generate().ok())
            // The random part overflowed within one millisecond: start afresh.
            .unwrap_or_else(ulid::Ulid::generate);
        let mut buf = [0u8; ulid::ULID_LEN];
        let s = id.array_to_str(&mut buf);
        Self(HeaderValue::from_str(s).expect("ULIDs are ASCII"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        self.0.to_str().expect("checked ASCII on construction")
    }

    pub(crate) fn header_value(&self) -> HeaderValue {
        self.0.clone()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::generate))
    }
}
