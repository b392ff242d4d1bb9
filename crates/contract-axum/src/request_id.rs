//! Request ids: propagated from `x-request-id` or generated (ULID).

use std::cell::RefCell;

use axum::extract::FromRequestParts;
use bytes::BytesMut;
use contract_core::Error;
use http::header::{HeaderName, HeaderValue};
use http::request::Parts;

/// The `x-request-id` header.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request: the envelope's `request_id`, the
/// `x-request-id` response header and a field of every log line about it.
///
/// Set by [`ErrorLayer`](crate::ErrorLayer), which keeps a sane client id
/// and otherwise writes a new one into the request's `x-request-id` header,
/// so handlers (and anything reading the request's headers) see the id the
/// response carries. The extractor reads that header.
///
/// Without the layer there is no id to extract, and the extractor does not
/// invent one that no response or log line would carry: it rejects with
/// `internal` (500), logging (at error level) a developer detail that says
/// the layer is missing. Debug builds also catch a missing layer when the
/// client sent an id of its own (the layer leaves a mark on the request in
/// debug builds only); a release build without the layer hands such a
/// client's id through.
///
/// ```
/// use axum::{routing::get, Router};
/// use contract_axum::{ErrorLayer, RequestId};
///
/// async fn whoami(id: RequestId) -> String {
///     format!("this is request {}", id.as_str())
/// }
///
/// let app: Router = Router::new()
///     .route("/", get(whoami))
///     .layer(ErrorLayer::new());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(HeaderValue);

/// Ids are cut from blocks of this many, one allocation per block. A block
/// stays under glibc's 1 KiB large-chunk threshold (832 bytes): a larger one
/// (3.3 KiB for 128 ids) made malloc consolidate its fast bins each time,
/// which cost more than the allocations it saved.
const IDS_PER_BLOCK: usize = 32;

/// A thread's ULID generator and the block its ids are written into.
struct Ids {
    generator: ulid::Generator,
    block: BytesMut,
}

impl Ids {
    fn next(&mut self) -> RequestId {
        let id = self
            .generator
            .generate()
            .ok()
            // The random part overflowed within one millisecond: start afresh.
            .unwrap_or_else(ulid::Ulid::generate);
        let mut text = [0u8; ulid::ULID_LEN];
        if self.block.capacity() < ulid::ULID_LEN {
            self.block = BytesMut::with_capacity(ulid::ULID_LEN * IDS_PER_BLOCK);
        }
        self.block
            .extend_from_slice(id.array_to_str(&mut text).as_bytes());
        // The id's bytes leave the block by reference count: no allocation
        // and no copy, and the header value clones as cheaply.
        let bytes = self.block.split().freeze();
        RequestId(HeaderValue::from_maybe_shared(bytes).expect("ULIDs are ASCII"))
    }
}

/// 1-128 characters of `[A-Za-z0-9._:-]`: safe to log and echo.
fn sane(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"._:-".contains(c))
}

/// Left on the request by the layer in debug builds, so the extractor can
/// tell a missing layer from a client that sent its own id.
#[cfg(debug_assertions)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct LayerMark;

impl RequestId {
    /// The client's id, when it is sane.
    pub(crate) fn from_client(v: &HeaderValue) -> Option<Self> {
        sane(v).then(|| Self(v.clone()))
    }

    /// A new ULID: time-ordered, 80 random bits per millisecond and
    /// thread, then incremented (a per-thread monotonic generator draws
    /// randomness once a millisecond rather than once a request).
    pub fn generate() -> Self {
        thread_local! {
            static IDS: RefCell<Ids> = RefCell::new(Ids {
                generator: ulid::Generator::new(),
                block: BytesMut::new(),
            });
        }
        IDS.with_borrow_mut(Ids::next)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        self.0.to_str().expect("checked ASCII on construction")
    }

    /// The id as a header value, say for the `x-request-id` of a request
    /// to another service.
    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }

    pub(crate) fn into_header_value(self) -> HeaderValue {
        self.0
    }
}

/// The developer detail of the rejection when no layer set an id.
const MISSING_LAYER: &str = "`RequestId` was extracted from a request that no `ErrorLayer` \
     wrapped: add `.layer(ErrorLayer::new())` to the router (ids are set by the layer)";

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        #[cfg(debug_assertions)]
        let layered = parts.extensions.get::<LayerMark>().is_some();
        #[cfg(not(debug_assertions))]
        let layered = true;
        match parts.headers.get(X_REQUEST_ID) {
            Some(v) if layered && sane(v) => Ok(Self(v.clone())),
            _ => {
                // Without the layer nobody logs the detail or renders the
                // envelope: say it here, where the mistake is found.
                tracing::error!(detail = MISSING_LAYER, "request failed");
                Err(Error::internal().with_detail(MISSING_LAYER))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_distinct_ordered_ulids() {
        let ids: Vec<_> = (0..3 * IDS_PER_BLOCK)
            .map(|_| RequestId::generate())
            .collect();
        for pair in ids.windows(2) {
            assert!(pair[0].as_str() < pair[1].as_str(), "{pair:?}");
        }
        for id in &ids {
            assert_eq!(id.as_str().len(), ulid::ULID_LEN);
            assert!(id.as_str().parse::<ulid::Ulid>().is_ok(), "{id:?}");
        }
    }

    #[test]
    fn sane_client_ids_are_kept() {
        let from = |v: &str| RequestId::from_client(&HeaderValue::from_str(v).unwrap());
        assert_eq!(from("abc-123_x.y:z").unwrap().as_str(), "abc-123_x.y:z");
        assert!(from(&"a".repeat(128)).is_some());
        for bad in ["", "a b", "<script>", "ü", &"a".repeat(129)] {
            assert!(
                HeaderValue::from_str(bad).is_err() || from(bad).is_none(),
                "{bad:?}"
            );
        }
    }
}
