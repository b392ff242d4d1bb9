//! Settings per environment, from environment variables.

use std::net::SocketAddr;
use std::time::Duration;

/// How the server runs: log format, debug detail, secret requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Local development: readable, verbose logs (with the developer detail
    /// of every error).
    Dev,
    /// Tests: quiet logs, no debug detail.
    Test,
    /// Production: info logs, and a real signing secret required.
    Prod,
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `SEMINAR_ADDR`, default `127.0.0.1:8000`.
    pub addr: SocketAddr,
    /// `DATABASE_URL`, default `sqlite:./seminar.db`.
    pub database_url: String,
    /// `SEMINAR_PROFILE`: `dev` (default), `test` or `prod`.
    pub profile: Profile,
    /// `SEMINAR_SECRET`: the token signing secret; required in `prod`.
    pub secret: String,
    /// `SEMINAR_SHUTDOWN_TIMEOUT` (seconds, default 10): how long requests in
    /// flight get to finish after SIGTERM or SIGINT.
    pub shutdown_timeout: Duration,
    /// `SEMINAR_HEADER_TIMEOUT` (seconds, default 30): how long a client gets
    /// to send a request head; also how long a keep-alive connection may
    /// stay idle.
    pub header_timeout: Duration,
    /// `SEMINAR_MAX_CONNECTIONS` (default 1024): connections served at once;
    /// more are closed on arrival.
    pub max_connections: usize,
    /// `SEMINAR_WRITE_TIMEOUT` (seconds, default 10): how long one write to
    /// a client may stay blocked (the client does not read) before its
    /// connection is closed.
    pub write_timeout: Duration,
    /// `SEMINAR_AUTH_CACHE_TTL` (seconds, default 5; 0 turns the cache off):
    /// how long a token's user is known to exist without asking the database.
    pub auth_cache_ttl: Duration,
    /// `SEMINAR_WORKERS` (default 1): job workers in the server process; 0
    /// leaves the jobs to `seminar worker` processes.
    pub workers: usize,
    /// `SEMINAR_JOB_HEARTBEAT` (seconds, default 5): a worker's heartbeat;
    /// a job whose worker missed three is delivered again.
    pub job_heartbeat: Duration,
    /// `SEMINAR_PURGE_SCHEDULE` (cron with seconds, default `0 17 * * * *`,
    /// hourly): when expired idempotency keys and week-old operations go.
    pub purge_schedule: String,
    /// `SEMINAR_STATS_SCHEDULE` (cron with seconds, default `30 * * * * *`,
    /// each minute): when the seminar gauges of `/metrics` are counted.
    pub stats_schedule: String,
}

/// A development-only signing secret, refused in `prod`.
const DEV_SECRET: &str = "dev-only-secret-do-not-use-in-production";

impl Config {
    /// Reads the environment.
    ///
    /// # Errors
    /// A message naming the variable that is malformed or missing.
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("SEMINAR_ADDR")
            .unwrap_or_else(|| "127.0.0.1:8000".into())
            .parse()
            .map_err(|e| format!("SEMINAR_ADDR: {e}"))?;
        let profile = match var("SEMINAR_PROFILE").as_deref().unwrap_or("dev") {
            "dev" => Profile::Dev,
            "test" => Profile::Test,
            "prod" => Profile::Prod,
            other => {
                return Err(format!(
                    "SEMINAR_PROFILE: expected dev, test or prod, got {other:?}"
                ));
            }
        };
        let secret = match (var("SEMINAR_SECRET"), profile) {
            (Some(s), Profile::Prod) if s.len() < 32 => {
                return Err("SEMINAR_SECRET: use at least 32 characters in prod".into());
            }
            (Some(s), _) => s,
            (None, Profile::Prod) => return Err("SEMINAR_SECRET is required in prod".into()),
            (None, _) => DEV_SECRET.into(),
        };
        let number = |name: &str, default: u64, min: u64| -> Result<u64, String> {
            match var(name) {
                None => Ok(default),
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n >= min => Ok(n),
                    _ => Err(format!(
                        "{name}: expected a whole number of at least {min}, got {v:?}"
                    )),
                },
            }
        };
        let schedule = |name: &str, default: String| -> Result<String, String> {
            let Some(v) = var(name) else {
                return Ok(default);
            };
            v.parse::<cron::Schedule>()
                .map_err(|e| format!("{name}: {e}"))?;
            Ok(v)
        };
        let defaults = crate::jobs::JobSettings::default();
        Ok(Self {
            addr,
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite:./seminar.db".into()),
            profile,
            secret,
            shutdown_timeout: Duration::from_secs(number("SEMINAR_SHUTDOWN_TIMEOUT", 10, 0)?),
            header_timeout: Duration::from_secs(number("SEMINAR_HEADER_TIMEOUT", 30, 1)?),
            max_connections: usize::try_from(number("SEMINAR_MAX_CONNECTIONS", 1024, 1)?)
                .map_err(|e| format!("SEMINAR_MAX_CONNECTIONS: {e}"))?,
            write_timeout: Duration::from_secs(number("SEMINAR_WRITE_TIMEOUT", 10, 1)?),
            auth_cache_ttl: Duration::from_secs(number("SEMINAR_AUTH_CACHE_TTL", 5, 0)?),
            workers: usize::try_from(number("SEMINAR_WORKERS", 1, 0)?)
                .map_err(|e| format!("SEMINAR_WORKERS: {e}"))?,
            job_heartbeat: Duration::from_secs(number("SEMINAR_JOB_HEARTBEAT", 5, 1)?),
            purge_schedule: schedule("SEMINAR_PURGE_SCHEDULE", defaults.purge)?,
            stats_schedule: schedule("SEMINAR_STATS_SCHEDULE", defaults.stats)?,
        })
    }
}

/// The listen address, for a client on this machine: `0.0.0.0` and `::`
/// become the loopback address.
pub fn local_addr(addr: SocketAddr) -> SocketAddr {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    addr
}
