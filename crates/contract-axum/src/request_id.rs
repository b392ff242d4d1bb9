//! Request ids: propagated from `x-request-id` or generated (ULID).

use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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

/// A thread's last id, and the block ids are written into.
///
/// Ids are ULIDs made as `ulid::Generator` makes them (time-ordered; later
/// ids in the same millisecond increment the 80 random bits), but the
/// increment is done on the id's text: re-encoding all 26 characters for
/// every request cost more than the rest of making an id.
struct Ids {
    /// The end of `text`'s millisecond (compared, not converted: turning
    /// the time into milliseconds for every id cost a sixth of making it).
    until: SystemTime,
    text: [u8; ulid::ULID_LEN],
    block: BytesMut,
}

/// The characters of a ULID's random part: the last 16 of its 26
/// (Crockford base32, 5 bits each, 80 bits in all).
const RANDOM: std::ops::Range<usize> = 10..ulid::ULID_LEN;

/// Crockford's base32 digits, in order.
const DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// For each digit, the next one (and `0` after `Z`, with a carry).
const NEXT: [u8; 128] = {
    let mut next = [0u8; 128];
    let mut i = 0;
    while i < 32 {
        next[DIGITS[i] as usize] = DIGITS[(i + 1) % 32];
        i += 1;
    }
    next
};

/// Adds one to base32 `digits`, in place; false when they overflow (all
/// were `Z`, and are now all `0`).
fn increment(digits: &mut [u8]) -> bool {
    for d in digits.iter_mut().rev() {
        *d = NEXT[usize::from(*d & 0x7f)];
        if *d != b'0' {
            return true;
        }
    }
    false
}

impl Ids {
    fn next(&mut self) -> RequestId {
        let now = SystemTime::now();
        // A later millisecond draws new randomness; the same one (or a
        // clock that stepped back) increments, so ids stay ordered.
        if now >= self.until {
            self.fresh(ulid::Ulid::from_datetime(now));
        } else if !increment(&mut self.text[RANDOM]) {
            // 2^80 ids in one millisecond: move on to the next one.
            let ms = self
                .until
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            self.fresh(ulid::Ulid::from_parts(ms, ulid::Ulid::generate().random()));
        }
        if self.block.capacity() < ulid::ULID_LEN {
            self.block = BytesMut::with_capacity(ulid::ULID_LEN * IDS_PER_BLOCK);
        }
        self.block.extend_from_slice(&self.text);
        // The id's bytes leave the block by reference count: no allocation
        // and no copy, and the header value clones as cheaply.
        let bytes = self.block.split().freeze();
        RequestId(HeaderValue::from_maybe_shared(bytes).expect("ULIDs are ASCII"))
    }

    fn fresh(&mut self, id: ulid::Ulid) {
        self.until = UNIX_EPOCH + Duration::from_millis(id.timestamp_ms() + 1);
        id.array_to_str(&mut self.text);
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
    /// thread, then incremented (a per-thread monotonic generator, which
    /// draws randomness once a millisecond rather than once a request).
    pub fn generate() -> Self {
        thread_local! {
            static IDS: RefCell<Ids> = RefCell::new(Ids {
                until: UNIX_EPOCH,
                text: [0; ulid::ULID_LEN],
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
    fn incrementing_the_text_adds_one_to_the_random_part() {
        let cases = [
            ulid::Ulid::from_parts(1_700_000_000_000, 0),
            ulid::Ulid::from_parts(1_700_000_000_000, 31),
            ulid::Ulid::from_parts(1_700_000_000_000, (1 << 75) - 1),
            ulid::Ulid::from_parts(1_700_000_000_000, 0xdead_beef_0123_4567_89ab),
        ];
        for id in cases {
            let mut text = [0u8; ulid::ULID_LEN];
            id.array_to_str(&mut text);
            assert!(increment(&mut text[RANDOM]));
            let next: ulid::Ulid = std::str::from_utf8(&text).unwrap().parse().unwrap();
            assert_eq!(Some(next), id.increment().ok(), "{id}");
        }
        let mut text = [0u8; ulid::ULID_LEN];
        ulid::Ulid::from_parts(1, (1 << 80) - 1).array_to_str(&mut text);
        assert!(!increment(&mut text[RANDOM]), "all Z overflows");
        assert_eq!(&text[RANDOM], b"0000000000000000");
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
