//! The seminar server: reads the configuration from the environment and
//! serves. `seminar export-openapi [FILE]` writes the spec; `seminar seed
//! [USERS] [SEMINARS]` fills the database with demo data; `seminar
//! healthcheck` exits 0 when the server at `SEMINAR_ADDR` is ready.

use std::process::ExitCode;
use std::time::Duration;

use contract_axum::server::Server;
use seminar::db::{Create, Db};
use seminar::{AppState, Config, Profile, app, openapi};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("export-openapi") {
        let text = serde_json::to_string_pretty(&openapi()).expect("the spec serializes") + "\n";
        return match args.get(1) {
            Some(path) => match std::fs::write(path, text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("cannot write {path}: {e}");
                    ExitCode::FAILURE
                }
            },
            None => {
                print!("{text}");
                ExitCode::SUCCESS
            }
        };
    }
    if args.first().map(String::as_str) == Some("healthcheck") {
        return healthcheck();
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Held until the server has stopped: dropping it writes the last lines.
    let _log = init_tracing(config.profile);
    // In prod a database file that existed and is gone is an error, never
    // silently replaced by an empty one.
    let create = match config.profile {
        Profile::Prod => Create::FirstStartOnly,
        Profile::Dev | Profile::Test => Create::Always,
    };
    let store = match Db::open(&config.database_url, create).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "cannot open the database");
            return ExitCode::FAILURE;
        }
    };
    match args.first().map(String::as_str) {
        None | Some("serve") => serve(config, store).await,
        Some("seed") => {
            let n = |i: usize, default: usize| {
                args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
            };
            let (users, seminars) = (n(1, 5000), n(2, 1000));
            match store.seed(users, seminars).await {
                Ok(()) => {
                    println!("seeded {users} users and {seminars} seminars");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("seeding failed: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(other) => {
            eprintln!(
                "unknown command {other:?}; use serve, seed [USERS] [SEMINARS], export-openapi [FILE] or healthcheck"
            );
            ExitCode::from(2)
        }
    }
}

/// `GET /readyz` on `SEMINAR_ADDR`; for container health checks, where
/// there is no curl. Reads no other setting, so it works with any profile.
fn healthcheck() -> ExitCode {
    let addr = std::env::var("SEMINAR_ADDR")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    let addr = match addr.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("SEMINAR_ADDR: {e}");
            return ExitCode::FAILURE;
        }
    };
    match seminar::health::check(addr, Duration::from_secs(3)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("not ready: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config, store: Db) -> ExitCode {
    let state = AppState::new(store.clone(), &config.secret).auth_cache_ttl(config.auth_cache_ttl);
    let router = app(state);
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(addr = %config.addr, error = %e, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(addr = %config.addr, profile = ?config.profile, "serving the seminar API");
    let served = Server::new()
        .drain_timeout(config.shutdown_timeout)
        .header_read_timeout(config.header_timeout)
        .max_connections(config.max_connections)
        .write_timeout(config.write_timeout)
        .serve(listener, router)
        .await;
    // Closing lets SQLite checkpoint its WAL; a connection a dropped
    // request still holds must not keep the process up.
    let _ = tokio::time::timeout(Duration::from_secs(2), store.close()).await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stdout from a thread of its own (tracing-appender's
/// non-blocking writer), so a request never waits on a write: the thread
/// writes what queued up in one go. When the queue (128k lines) is full,
/// requests wait rather than lose lines.
fn init_tracing(profile: Profile) -> tracing_appender::non_blocking::WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("seminar-log")
        .finish(std::io::BufWriter::new(std::io::stdout()));
    let default = match profile {
        Profile::Dev => "info,seminar=debug,contract_axum=debug",
        Profile::Test => "warn",
        Profile::Prod => "info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    if profile == Profile::Prod {
        // One JSON object per line, the event's fields at the top level.
        fmt.json().flatten_event(true).init();
    } else {
        fmt.with_ansi(profile == Profile::Dev).init();
    }
    guard
}
