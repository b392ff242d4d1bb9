//! The command line: the commands, and the settings, each a flag or an
//! environment variable (`seminar --help` lists them with their defaults).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// The seminar API server.
#[derive(Debug, Parser)]
#[command(
    name = "seminar",
    version,
    about,
    after_help = "The token signing secret is read from SEMINAR_SECRET only, never from a flag \
                  (a command line is visible to every user of the machine); it is required, \
                  32 characters or more, in prod."
)]
pub struct Cli {
    /// What to run; `serve` when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The settings.
    #[command(flatten)]
    pub config: Config,
}

/// The commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Run queued jobs and the schedules, without HTTP, until SIGTERM or
    /// SIGINT (a job in progress then goes to another worker).
    Worker,
    /// Fill the database with demo users and seminars.
    Seed {
        /// How many users.
        #[arg(default_value_t = 5000)]
        users: usize,
        /// How many seminars.
        #[arg(default_value_t = 1000)]
        seminars: usize,
    },
    /// Write the OpenAPI document to FILE, or to standard output.
    ExportOpenapi {
        /// Where to write it.
        file: Option<PathBuf>,
    },
    /// Exit 0 when the server at the listen address is ready (`GET /readyz`),
    /// for container health checks, where there is no curl.
    Healthcheck,
}

/// How the server runs: log format, debug detail, secret requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// Local development: readable, verbose logs (with the developer detail
    /// of every error).
    Dev,
    /// Tests: quiet logs, no debug detail.
    Test,
    /// Production: JSON logs, and a real signing secret required.
    Prod,
}

/// The server's settings.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Where to listen.
    #[arg(
        long,
        global = true,
        env = "SEMINAR_ADDR",
        default_value = "127.0.0.1:8000"
    )]
    pub addr: SocketAddr,
    /// The database: `sqlite:FILE` or `postgres://...`.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite:./seminar.db"
    )]
    pub database_url: String,
    /// How the server runs.
    #[arg(
        long,
        global = true,
        env = "SEMINAR_PROFILE",
        value_enum,
        default_value = "dev"
    )]
    pub profile: Profile,
    /// Seconds the requests in flight get to finish after SIGTERM or SIGINT.
    #[arg(long, global = true, env = "SEMINAR_SHUTDOWN_TIMEOUT", default_value = "10", value_parser = seconds::<0>)]
    pub shutdown_timeout: Duration,
    /// Seconds a client gets to send a request head; also how long a
    /// keep-alive connection may stay idle.
    #[arg(long, global = true, env = "SEMINAR_HEADER_TIMEOUT", default_value = "30", value_parser = seconds::<1>)]
    pub header_timeout: Duration,
    /// Connections served at once; more are closed on arrival.
    #[arg(long, global = true, env = "SEMINAR_MAX_CONNECTIONS", default_value = "1024", value_parser = count::<1>)]
    pub max_connections: usize,
    /// Seconds one write to a client may stay blocked (the client does not
    /// read) before its connection is closed.
    #[arg(long, global = true, env = "SEMINAR_WRITE_TIMEOUT", default_value = "10", value_parser = seconds::<1>)]
    pub write_timeout: Duration,
    /// Seconds a token's user is known to exist without asking the database
    /// (0 asks every time).
    #[arg(long, global = true, env = "SEMINAR_AUTH_CACHE_TTL", default_value = "5", value_parser = seconds::<0>)]
    pub auth_cache_ttl: Duration,
    /// Job workers in the server process; 0 leaves the jobs to `seminar
    /// worker` processes.
    #[arg(long, global = true, env = "SEMINAR_WORKERS", default_value = "1", value_parser = count::<0>)]
    pub workers: usize,
    /// Seconds between a worker's heartbeats; a job whose worker missed
    /// three is delivered again.
    #[arg(long, global = true, env = "SEMINAR_JOB_HEARTBEAT", default_value = "5", value_parser = seconds::<1>)]
    pub job_heartbeat: Duration,
    /// When expired idempotency keys and week-old operations go (cron, with
    /// seconds; hourly).
    #[arg(long, global = true, env = "SEMINAR_PURGE_SCHEDULE", default_value = "0 17 * * * *", value_parser = schedule)]
    pub purge_schedule: String,
    /// When the seminar gauges of `/metrics` are counted (cron, with
    /// seconds; each minute).
    #[arg(long, global = true, env = "SEMINAR_STATS_SCHEDULE", default_value = "30 * * * * *", value_parser = schedule)]
    pub stats_schedule: String,
}

/// A development-only signing secret, refused in `prod`.
const DEV_SECRET: &str = "dev-only-secret-do-not-use-in-production";

impl Cli {
    /// Reads the command line and the environment; prints the help, the
    /// version or what is wrong, and exits, when that is what they ask for.
    /// A blank environment variable counts as unset.
    pub fn read() -> Self {
        let blank = |name: &std::ffi::OsStr| {
            std::env::var_os(name).is_some_and(|v| v.to_string_lossy().trim().is_empty())
        };
        let command = Self::command().mut_args(|arg| match arg.get_env() {
            Some(name) if blank(name) => arg.env(None::<&'static str>),
            _ => arg,
        });
        Self::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit())
    }
}

impl Config {
    /// The token signing secret, from `SEMINAR_SECRET` (a development-only
    /// one outside `prod` when it is unset).
    ///
    /// # Errors
    /// In `prod`, a secret that is missing or shorter than 32 characters.
    pub fn secret(&self) -> Result<String, String> {
        let secret = std::env::var("SEMINAR_SECRET")
            .ok()
            .filter(|s| !s.trim().is_empty());
        match (secret, self.profile) {
            (Some(s), Profile::Prod) if s.len() < 32 => {
                Err("SEMINAR_SECRET: use at least 32 characters in prod".into())
            }
            (Some(s), _) => Ok(s),
            (None, Profile::Prod) => Err("SEMINAR_SECRET is required in prod".into()),
            (None, _) => Ok(DEV_SECRET.to_owned()),
        }
    }
}

/// A whole number, at least `MIN`.
fn count<const MIN: usize>(text: &str) -> Result<usize, String> {
    match text.trim().parse() {
        Ok(n) if n >= MIN => Ok(n),
        _ => Err(format!("expected a whole number of at least {MIN}")),
    }
}

/// A whole number of seconds, at least `MIN`.
fn seconds<const MIN: usize>(text: &str) -> Result<Duration, String> {
    count::<MIN>(text).map(|n| Duration::from_secs(n as u64))
}

/// A cron schedule with seconds.
fn schedule(text: &str) -> Result<String, String> {
    text.parse::<cron::Schedule>()
        .map(|_| text.to_owned())
        .map_err(|e| e.to_string())
}
