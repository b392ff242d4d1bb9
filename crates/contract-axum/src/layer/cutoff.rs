//! The drain deadline, as the server hands it to the layer: the one thing
//! the two share, so that neither imports the other.

use std::future::Future;
use std::pin::Pin;

use tokio::sync::watch;

/// On every request the [`Server`](crate::server::Server) serves: fires at the drain deadline, when
/// [`ErrorLayer`](super::ErrorLayer) answers the request `503` instead of
/// waiting for its handler.
#[derive(Debug, Clone)]
pub(crate) struct Cutoff(watch::Receiver<bool>);

impl Cutoff {
    /// The cutoff `rx` fires (turns `true`) at the deadline.
    pub(crate) fn new(rx: watch::Receiver<bool>) -> Self {
        Self(rx)
    }

    /// The deadline has passed.
    pub(crate) fn reached(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes when the deadline passes (never, if the server is gone).
    pub(crate) fn wait(&self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let mut rx = self.0.clone();
        Box::pin(async move {
            if rx.wait_for(|&cut| cut).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}
