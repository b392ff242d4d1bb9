//! The response future of [`ErrorService`](super::ErrorService).

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::response::Response;
use futures_util::FutureExt;
use futures_util::future::CatchUnwind;
use pin_project_lite::pin_project;

use super::render::Ctx;

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
        Future { #[pin] future: CatchUnwind<AssertUnwindSafe<F>> },
        Panicked { panic: Option<Box<dyn Any + Send + 'static>> },
    }
}

impl<F: Future> ResponseFuture<F> {
    pub(super) fn new(future: F, ctx: Ctx) -> Self {
        Self {
            kind: Kind::Future {
                future: AssertUnwindSafe(future).catch_unwind(),
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
        let this = self.project();
        let outcome = match this.kind.project() {
            KindProj::Future { future } => ready!(future.poll(cx)),
            KindProj::Panicked { panic } => Err(panic.take().expect("polled after completion")),
        };
        let ctx = this.ctx.take().expect("polled after completion");
        Poll::Ready(match outcome {
            Ok(Ok(res)) => Ok(ctx.finish(res)),
            Ok(Err(e)) => Err(e),
            Err(panic) => Ok(ctx.panic(panic)),
        })
    }
}
