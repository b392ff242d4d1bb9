//! The request body deadline: the whole body must arrive within a set time,
//! counted from when the app first reads it.
//!
//! tower-http's `RequestBodyTimeout` restarts its timer on every frame, so a
//! client that trickles one byte a second holds the request (and its
//! connection slot) for as long as it likes. This deadline is total: it is
//! not moved by progress.

use std::fmt;
use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Request;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio::time::{Instant, Sleep};
use tower::Service;

/// The error a body yields once its deadline has passed; the extractors
/// answer it `408 timeout`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyDeadlineElapsed(Duration);

impl fmt::Display for BodyDeadlineElapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the request body did not arrive within {:?} of its first read",
            self.0
        )
    }
}

impl std::error::Error for BodyDeadlineElapsed {}

/// Puts a total deadline on every request body (see the module docs);
/// `Contract::body_timeout` sets it.
#[cfg(feature = "api")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyDeadlineLayer(pub(crate) Duration);

#[cfg(feature = "api")]
impl<S> tower::Layer<S> for BodyDeadlineLayer {
    type Service = BodyDeadlineService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        BodyDeadlineService {
            inner,
            limit: self.0,
        }
    }
}

/// The service of the body deadline: its requests' bodies are
/// [`DeadlineBody`].
#[derive(Debug, Clone)]
pub struct BodyDeadlineService<S> {
    inner: S,
    limit: Duration,
}

impl<S, B> Service<Request<B>> for BodyDeadlineService<S>
where
    S: Service<Request<DeadlineBody<B>>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let limit = self.limit;
        self.inner.call(req.map(|inner| DeadlineBody {
            inner,
            limit,
            sleep: None,
            started: None,
        }))
    }
}

pin_project! {
    /// A request body that fails with a timeout once its deadline passes.
    #[derive(Debug)]
    pub struct DeadlineBody<B> {
        #[pin]
        inner: B,
        limit: Duration,
        // Armed on the first read that has to wait: a body that is already
        // there (most of them) never touches the timer.
        #[pin]
        sleep: Option<Sleep>,
        started: Option<Instant>,
    }
}

impl<B> Body for DeadlineBody<B>
where
    B: Body,
    B::Error: Into<axum::BoxError>,
{
    type Data = B::Data;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let mut this = self.project();
        let started = *this.started.get_or_insert_with(Instant::now);
        if let Poll::Ready(frame) = this.inner.poll_frame(cx) {
            return Poll::Ready(frame.map(|r| r.map_err(Into::into)));
        }
        if this.sleep.is_none() {
            this.sleep
                .set(Some(tokio::time::sleep_until(started + *this.limit)));
        }
        let sleep = this.sleep.as_pin_mut().expect("armed above");
        match sleep.poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyDeadlineElapsed(*this.limit))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use bytes::Bytes;
    use http_body_util::BodyExt;
    use http_body_util::StreamBody;

    use super::*;

    /// A body that yields one byte per `gap`, `n` times.
    fn trickle(n: usize, gap: Duration) -> impl Body<Data = Bytes, Error = Infallible> {
        let stream = futures_util::stream::unfold(0, move |i| async move {
            if i == n {
                return None;
            }
            tokio::time::sleep(gap).await;
            Some((
                Ok::<_, Infallible>(Frame::data(Bytes::from_static(b"x"))),
                i + 1,
            ))
        });
        StreamBody::new(stream)
    }

    fn wrap<B>(inner: B, limit: Duration) -> DeadlineBody<B> {
        DeadlineBody {
            inner,
            limit,
            sleep: None,
            started: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickle_that_never_pauses_long_still_meets_the_total_deadline() {
        // Each gap (1 s) is well under the limit (10 s); the total (33 s) is not.
        let body = wrap(trickle(33, Duration::from_secs(1)), Duration::from_secs(10));
        let start = Instant::now();
        let err = body.collect().await.expect_err("times out");
        assert!(err.is::<BodyDeadlineElapsed>(), "{err}");
        assert_eq!(start.elapsed(), Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_within_the_deadline_arrives_whole() {
        let body = wrap(trickle(5, Duration::from_secs(1)), Duration::from_secs(10));
        let bytes = body.collect().await.expect("arrives").to_bytes();
        assert_eq!(&bytes[..], b"xxxxx");
    }
}
