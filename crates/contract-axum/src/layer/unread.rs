//! Whether a request's body was read to its end: an answer given before
//! that leaves the connection unusable (hyper closes it, draining only what
//! is already buffered), so the answer says `Connection: close`, and a
//! client does not send its next request on a connection about to close.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use http::StatusCode;
use http::header::HeaderValue;
use http_body::{Frame, SizeHint};

/// A body up to this size is within what hyper drains from its buffer
/// after an early answer, so it is not watched (the happy path of a usual
/// JSON request pays nothing). Larger ones, and bodies of unknown length,
/// are.
pub(super) const WATCHED_FROM: u64 = 8 * 1024;

/// `Connection: close`.
pub(super) const CLOSE: HeaderValue = HeaderValue::from_static("close");

/// Set once the request's body has been read to its end.
#[derive(Debug, Clone)]
pub(crate) struct ReadToEnd(Arc<AtomicBool>);

impl ReadToEnd {
    /// Wraps `req`'s body so that reading it to its end is recorded.
    pub(super) fn watch(req: &mut Request) -> Self {
        let flag = Self(Arc::new(AtomicBool::new(false)));
        let inner = std::mem::take(req.body_mut());
        *req.body_mut() = Body::new(Watched {
            inner,
            read: flag.clone(),
        });
        flag
    }

    /// Whether the body was read to its end.
    pub(super) fn done(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Whether an answer with `status` leaves the request's body unread
/// whatever its size: over the body limit (413), or too slow to arrive
/// (408, which RFC 9110 section 15.5.9 asks to close with).
pub(super) fn refuses_body(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT
    )
}

/// A body that records when it has been read to its end.
struct Watched {
    inner: Body,
    read: ReadToEnd,
}

impl http_body::Body for Watched {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        let ended = match &polled {
            Poll::Ready(None) => true,
            Poll::Ready(Some(Ok(_))) => this.inner.is_end_stream(),
            _ => false,
        };
        if ended {
            this.read.0.store(true, Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
