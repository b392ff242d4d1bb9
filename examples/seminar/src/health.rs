//! Health: `GET /healthz` (the process answers), `GET /readyz` (the
//! database answers too), and the client behind `seminar healthcheck`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use axum::extract::State;
use contract_axum::{ApiError, Json, handler};
use schemars::JsonSchema;
use serde::Serialize;

use crate::AppState;

/// How long `/readyz` waits for the database.
const DB_TIMEOUT: Duration = Duration::from_secs(2);

/// The body of a healthy answer.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    status: HealthStatus,
}

/// A health status: only `ok` (an unhealthy server answers an error).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum HealthStatus {
    Ok,
}

/// Liveness: the process answers (no dependency checked)
///
/// The process is up and serving (it checks no dependency).
#[handler(tag = "health")]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health {
        status: HealthStatus::Ok,
    })
}

/// Readiness: the database takes writes too
///
/// The server can serve requests: within two seconds, a one-row write to
/// the database commits (so a full disk, a read-only or vanished database
/// file, or a PostgreSQL replica answers 503).
#[handler(tag = "health")]
pub(crate) async fn readyz(State(state): State<AppState>) -> Result<Json<Health>, NotReady> {
    match tokio::time::timeout(DB_TIMEOUT, state.store.writable()).await {
        Ok(Ok(())) => Ok(Json(Health {
            status: HealthStatus::Ok,
        })),
        Ok(Err(e)) => Err(NotReady::Database(format!(
            "the database cannot take writes: {e}"
        ))),
        Err(_) => Err(NotReady::Database(format!(
            "the database did not answer within {DB_TIMEOUT:?}"
        ))),
    }
}

/// `/readyz`'s failure: `service_unavailable` (503), with the cause in the
/// log only.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum NotReady {
    /// The database did not take a write in time.
    #[error("{0}")]
    #[api(status = 503, code = "service_unavailable")]
    Database(String),
}

/// `GET /readyz` on the server listening at `addr` (`0.0.0.0` and `::`
/// mean this machine): `Ok` on a 200 within `timeout` per step.
///
/// # Errors
/// Why the server is not ready: no connection, no answer, or its status line.
pub fn check(addr: SocketAddr, timeout: Duration) -> Result<(), String> {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| format!("connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| format!("set timeouts: {e}"))?;
    write!(
        stream,
        "GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("send to {addr}: {e}"))?;
    // The status line fits in the first bytes; the rest does not matter.
    let mut head = [0u8; 64];
    let mut len = 0;
    while len < head.len() {
        match stream.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) => return Err(format!("read from {addr}: {e}")),
        }
        if head[..len].contains(&b'\n') {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head[..len]);
    let status_line = text.lines().next().unwrap_or_default();
    if status_line.starts_with("HTTP/1.1 200 ") {
        Ok(())
    } else {
        Err(format!("{addr} answered {status_line:?}"))
    }
}
