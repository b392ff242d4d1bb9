//! The response future of [`ErrorService`](super::ErrorService).

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::response::Response;
use contract_core::Error;
use futures_util::FutureExt;
use futures_util::future::CatchUnwind;
use pin_project_lite::pin_project;

use super::Cutoff;
use super::render::Ctx;

/// Completes at the server's drain deadline.
type Deadline = Pin<Box<dyn Future<Output = ()> + Send>>;

pin_project! {
    /// Response future of [`ErrorService`](super::ErrorService).
    pub struct ResponseFuture<F> {
        #[pin]
        kind: Kind<F>,
        ctx: Option<Ctx>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F> {
        Future {
            #[pin] future: CatchUnwind<AssertUnwindSafe<F>>,
            cutoff: Option<Cutoff>,
            // Made on the first `Pending`: most requests never need it.
            deadline: Option<Deadline>,
            // The request timeout's timer, when one is set: one pointer in
            // the future, so requests without it carry no more.
            timer: Option<Pin<Box<tokio::time::Sleep>>>,
        },
        TimedOut,
        Panicked { panic: Option<Box<dyn Any + Send + 'static>> },
        Unavailable,
        Refused { err: Option<Error> },
    }
}

impl<F: Future> ResponseFuture<F> {
    pub(super) fn new(
        future: F,
        ctx: Ctx,
        cutoff: Option<Cutoff>,
        timeout: Option<std::time::Duration>,
    ) -> Self {
        Self {
            kind: Kind::Future {
                future: AssertUnwindSafe(future).catch_unwind(),
                cutoff,
                deadline: None,
                timer: timeout.map(|t| Box::pin(tokio::time::sleep(t))),
            },
            ctx: Some(ctx),
        }
    }

    pub(super) fn panicked(panic: Box<dyn Any + Send + 'static>, ctx: Ctx) -> Self {
        Self {
            kind: Kind::Panicked { panic: Some(panic) },
            ctx: Some(ctx),
        }
    }

    /// Answers `err` without calling the service.
    pub(super) fn refused(err: Error, ctx: Ctx) -> Self {
        Self {
            kind: Kind::Refused { err: Some(err) },
            ctx: Some(ctx),
        }
    }

    /// Answers `service_unavailable` without calling the service.
    pub(super) fn unavailable(ctx: Ctx) -> Self {
        Self {
            kind: Kind::Unavailable,
            ctx: Some(ctx),
        }
    }
}

impl<F> std::fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let outcome = match this.kind.as_mut().project() {
            KindProj::Future {
                future,
                cutoff,
                deadline,
                timer,
            } => match future.poll(cx) {
                Poll::Ready(outcome) => outcome,
                Poll::Pending => {
                    if let Some(timer) = timer
                        && timer.as_mut().poll(cx).is_ready()
                    {
                        // Drop the handler now (rolling back what it had begun).
                        this.kind.set(Kind::TimedOut);
                        let ctx = this.ctx.take().expect("polled after completion");
                        return Poll::Ready(Ok(ctx.timed_out()));
                    }
                    let Some(cutoff) = cutoff else {
                        return Poll::Pending;
                    };
                    ready!(
                        deadline
                            .get_or_insert_with(|| cutoff.wait())
                            .as_mut()
                            .poll(cx)
                    );
                    // Drop the handler now (rolling back what it had begun).
                    this.kind.set(Kind::Unavailable);
                    let ctx = this.ctx.take().expect("polled after completion");
                    return Poll::Ready(Ok(ctx.unavailable()));
                }
            },
            KindProj::Panicked { panic } => Err(panic.take().expect("polled after completion")),
            KindProj::TimedOut => {
                let ctx = this.ctx.take().expect("polled after completion");
                return Poll::Ready(Ok(ctx.timed_out()));
            }
            KindProj::Unavailable => {
                let ctx = this.ctx.take().expect("polled after completion");
                return Poll::Ready(Ok(ctx.unavailable()));
            }
            KindProj::Refused { err } => {
                let ctx = this.ctx.take().expect("polled after completion");
                let err = err.take().expect("polled after completion");
                return Poll::Ready(Ok(ctx.refuse(err)));
            }
        };
        let ctx = this.ctx.take().expect("polled after completion");
        Poll::Ready(match outcome {
            Ok(Ok(res)) => Ok(ctx.finish(res)),
            Ok(Err(e)) => Err(e),
            Err(panic) => Ok(ctx.panic(panic)),
        })
    }
}
