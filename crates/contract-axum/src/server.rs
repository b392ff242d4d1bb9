//! Serving: [`Server`] and [`serve`] run a router over HTTP/1.1 with
//! graceful shutdown, a header read timeout, a write timeout and a
//! connection limit, in place of `axum::serve`.
//!
//! ```no_run
//! # async fn run(app: axum::Router) -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8000").await?;
//! contract_axum::server::serve(listener, app).await
//! # }
//! ```

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio_io_timeout::TimeoutStream;
use tower::ServiceExt;

use crate::layer::Cutoff;

/// How long in-flight requests get to finish after the shutdown signal, by
/// default.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client gets to send a request head, by default.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How many connections are served at once, by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// How long a write to a client may stay blocked, by default.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How many more headers hyper reads than [`ErrorLayer`](crate::ErrorLayer)
/// serves by default, so that the layer answers `431` with the envelope.
const HEADER_HEADROOM: usize = 28;

/// After the drain deadline, how long the `503` answers get to be written
/// before the remaining connections are dropped.
const FLUSH_GRACE: Duration = Duration::from_secs(1);

/// At most one warning per this interval about refused connections.
const LIMIT_WARNING_INTERVAL: Duration = Duration::from_secs(10);

/// How long the accept loop pauses after an error such as running out of
/// file descriptors, instead of spinning.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_secs(1);

/// The future that starts the shutdown.
type Signal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Serves `app` on `listener` with the defaults of [`Server`]; returns once
/// SIGTERM or SIGINT has been received and the connections have drained.
///
/// # Errors
/// The signal handlers could not be installed.
pub async fn serve(listener: TcpListener, app: Router) -> io::Result<()> {
    Server::new().serve(listener, app).await
}

/// An HTTP/1.1 server for a router, ready for production:
///
/// - **Graceful shutdown.** On SIGTERM or SIGINT (or the future given to
///   [`Server::shutdown_signal`]) it stops accepting, closes idle
///   connections, and lets the requests in flight finish within the
///   [drain timeout](Server::drain_timeout). The requests still running at
///   the deadline are answered `503 service_unavailable` by the app's
///   [`ErrorLayer`](crate::ErrorLayer) (their handlers are dropped, which
///   rolls back an uncommitted transaction), unless their response has
///   already started; a second later the remaining connections are closed
///   and [`Server::serve`] returns. A second SIGTERM or SIGINT during the
///   drain brings the deadline forward to now.
/// - **Slow clients.** A client has the
///   [header read timeout](Server::header_read_timeout) to send each
///   request head. hyper starts that timer whenever a connection waits for a
///   head, so it also closes keep-alive connections left idle that long.
///   A client that stops reading its responses has the
///   [write timeout](Server::write_timeout): a write blocked that long
///   (the client's receive window stays shut) closes the connection. Slow
///   request bodies are the app's business
///   ([`Contract::body_timeout`](crate::Contract::body_timeout), a total
///   deadline).
/// - **Request heads.** hyper reads up to
///   [`max_headers`](Server::max_headers) headers (128 by default, a notch
///   above [`ErrorLayer`](crate::ErrorLayer)'s 100, so the layer answers
///   `431 headers_too_large` with the envelope). What hyper refuses before
///   any layer runs gets hyper's bare answer, with no envelope and no
///   request id: framing errors (a bad or duplicated `Content-Length`, a
///   bad `Transfer-Encoding`, a NUL in a header, a raw non-ASCII byte in
///   the target), a target over hyper's fixed 64 KiB (`414`), more headers
///   than `max_headers` or a head over 400 KiB (`431`).
/// - **A connection limit.** Beyond [`Server::max_connections`] a new
///   connection is closed as soon as it is accepted (the client sees the
///   connection closed, not a hang), and the connections already open keep
///   being served.
///
/// Handlers can extract `ConnectInfo<SocketAddr>`. HTTP upgrades (WebSocket)
/// are not supported.
///
/// ```no_run
/// # async fn run(app: axum::Router) -> std::io::Result<()> {
/// use std::time::{Duration, Instant};
///
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
/// contract_axum::server::Server::new()
///     .drain_timeout(Duration::from_secs(20))
///     .serve(listener, app)
///     .await
/// # }
/// ```
pub struct Server {
    drain_timeout: Duration,
    header_read_timeout: Duration,
    max_connections: usize,
    write_timeout: Duration,
    max_headers: usize,
    signal: Option<Signal>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("drain_timeout", &self.drain_timeout)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("max_connections", &self.max_connections)
            .field("write_timeout", &self.write_timeout)
            .field("max_headers", &self.max_headers)
            .field("custom_signal", &self.signal.is_some())
            .finish()
    }
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    /// A drain timeout of 10 s, a header read timeout of 30 s, a write
    /// timeout of 30 s, 1024 connections, 128 headers, and shutdown on
    /// SIGTERM or SIGINT.
    pub fn new() -> Self {
        Self {
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            write_timeout: DEFAULT_WRITE_TIMEOUT,
            max_headers: crate::DEFAULT_MAX_HEADERS + HEADER_HEADROOM,
            signal: None,
        }
    }

    /// How long one write to a client may stay blocked before the
    /// connection is closed: a client that pipelines requests and never
    /// reads the answers frees its connection slot after this long. The
    /// timer runs only while a write waits, and restarts when it proceeds.
    ///
    /// # Panics
    /// When `timeout` is zero.
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        assert!(!timeout.is_zero(), "the write timeout must be positive");
        self.write_timeout = timeout;
        self
    }

    /// How many request headers hyper reads; a request with more is
    /// answered a bare `431` by hyper, before any layer. Keep it above the
    /// app's own limit ([`Contract::max_headers`](crate::Contract::max_headers))
    /// so that the app answers with the envelope.
    ///
    /// # Panics
    /// When `max` is zero.
    pub fn max_headers(mut self, max: usize) -> Self {
        assert!(max > 0, "at least one header");
        self.max_headers = max;
        self
    }

    /// How long the requests in flight get to finish after the shutdown
    /// signal.
    pub fn drain_timeout(mut self, timeout: Duration) -> Self {
        self.drain_timeout = timeout;
        self
    }

    /// How long a client gets to send a whole request head, counted from
    /// when the connection starts waiting for it (on connect, and after each
    /// response on a keep-alive connection).
    ///
    /// # Panics
    /// When `timeout` is zero.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        assert!(
            !timeout.is_zero(),
            "the header read timeout must be positive"
        );
        self.header_read_timeout = timeout;
        self
    }

    /// How many connections are served at once.
    ///
    /// # Panics
    /// When `max` is zero.
    pub fn max_connections(mut self, max: usize) -> Self {
        assert!(max > 0, "at least one connection");
        self.max_connections = max;
        self
    }

    /// Shut down when `signal` completes, instead of on SIGTERM or SIGINT.
    pub fn shutdown_signal(mut self, signal: impl Future<Output = ()> + Send + 'static) -> Self {
        self.signal = Some(Box::pin(signal));
        self
    }

    /// Serves `app` until the shutdown signal, then drains (see [`Server`]).
    ///
    /// # Errors
    /// The signal handlers could not be installed.
    pub async fn serve(self, listener: TcpListener, app: Router) -> io::Result<()> {
        let mut trigger = match self.signal {
            Some(s) => Trigger::Custom(Some(s)),
            None => Trigger::os()?,
        };
        let (cut, cutoff) = watch::channel(false);
        let cutoff = Cutoff::new(cutoff);
        let permits = Arc::new(Semaphore::new(self.max_connections));
        let graceful = GracefulShutdown::new();
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout)
            .max_headers(self.max_headers);
        // Refusals since the last warning, and when that was.
        let (mut refused, mut last_warning) = (0u64, None::<Instant>);

        loop {
            let (stream, remote) = tokio::select! {
                biased;
                name = trigger.next() => {
                    tracing::info!(signal = name, "shutdown requested");
                    break;
                }
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        if !is_connection_error(&e) {
                            tracing::error!(error = %e, "accept failed");
                            tokio::select! {
                                name = trigger.next() => {
                                    tracing::info!(signal = name, "shutdown requested");
                                    break;
                                }
                                () = tokio::time::sleep(ACCEPT_ERROR_PAUSE) => {}
                            }
                        }
                        continue;
                    }
                },
            };
            let Ok(permit) = permits.clone().try_acquire_owned() else {
                drop(stream);
                refused += 1;
                if last_warning.is_none_or(|at| at.elapsed() >= LIMIT_WARNING_INTERVAL) {
                    tracing::warn!(
                        max = self.max_connections,
                        refused,
                        "connection limit reached: closing new connections"
                    );
                    last_warning = Some(Instant::now());
                    refused = 0;
                }
                continue;
            };
            let _ = stream.set_nodelay(true);
            let cutoff = cutoff.clone();
            let service = app.clone().map_request(move |mut req: Request<Incoming>| {
                let ext = req.extensions_mut();
                ext.insert(cutoff.clone());
                ext.insert(ConnectInfo(remote));
                req
            });
            let mut io = TimeoutStream::new(stream);
            io.set_write_timeout(Some(self.write_timeout));
            let conn = graceful.watch(http.serve_connection(
                TokioIo::new(Box::pin(io)),
                TowerToHyperService::new(service),
            ));
            tokio::spawn(async move {
                if let Err(e) = conn.await {
                    tracing::debug!(%remote, error = %e, "connection ended with an error");
                }
                drop(permit);
            });
        }

        drop(listener);
        let open = graceful.count();
        tracing::info!(
            connections = open,
            timeout_secs = self.drain_timeout.as_secs_f64(),
            "shutting down: no new connections, draining the open ones"
        );
        let drained = graceful.shutdown();
        tokio::pin!(drained);
        let deadline = tokio::time::sleep(self.drain_timeout);
        tokio::pin!(deadline);
        let cut_short = tokio::select! {
            () = &mut drained => None,
            () = &mut deadline => Some("drain deadline reached"),
            name = trigger.next() => {
                tracing::warn!(signal = name, "second signal: not waiting for the drain deadline");
                Some("drain cut short")
            }
        };
        if let Some(why) = cut_short {
            tracing::warn!("{why}: answering the requests still running with 503");
            let _ = cut.send(true);
            if tokio::time::timeout(FLUSH_GRACE, drained).await.is_err() {
                tracing::warn!("closing the connections still open");
            }
        }
        tracing::info!("shut down");
        Ok(())
    }
}

/// What starts the shutdown, and a second time cuts the drain short.
enum Trigger {
    /// [`Server::shutdown_signal`]'s future (it fires once).
    Custom(Option<Signal>),
    /// SIGTERM or SIGINT, installed before serving so that a signal
    /// arriving while serving never gets the default action.
    #[cfg(unix)]
    Unix {
        term: tokio::signal::unix::Signal,
        int: tokio::signal::unix::Signal,
    },
    /// Ctrl-C.
    #[cfg(not(unix))]
    CtrlC,
}

impl Trigger {
    fn os() -> io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self::Unix {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self::CtrlC)
        }
    }

    /// The next signal's name. Cancel-safe: a signal is never lost by
    /// dropping the future.
    async fn next(&mut self) -> &'static str {
        match self {
            Self::Custom(slot) => match slot {
                Some(signal) => {
                    signal.as_mut().await;
                    *slot = None;
                    "shutdown signal"
                }
                None => std::future::pending().await,
            },
            #[cfg(unix)]
            Self::Unix { term, int } => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            },
            #[cfg(not(unix))]
            Self::CtrlC => {
                let _ = tokio::signal::ctrl_c().await;
                "Ctrl-C"
            }
        }
    }
}

/// Errors of one connection, not of the listener: accept the next one.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
