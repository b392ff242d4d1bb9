//! The seminar server: `seminar` serves; `seminar --help` lists the other
//! commands (a worker without HTTP, demo data, the spec, a health check)
//! and the settings.

use std::process::ExitCode;
use std::time::Duration;

use contract_axum::server::Server;
use seminar::db::{Create, Db};
use seminar::jobs::{JobSettings, Jobs};
use seminar::{AppState, Cli, Command, Config, Profile, app, openapi};

#[tokio::main]
async fn main() -> ExitCode {
    let Cli { command, config } = Cli::read();
    let command = command.unwrap_or(Command::Serve);
    match &command {
        Command::ExportOpenapi { file } => return export_openapi(file.as_deref()),
        Command::Healthcheck => {
            return match seminar::health::check(config.addr, Duration::from_secs(3)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("not ready: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Serve | Command::Worker | Command::Seed { .. } => {}
    }
    let secret = match config.secret() {
        Ok(s) => s,
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
    match command {
        Command::Worker => worker(config, store).await,
        Command::Seed { users, seminars } => match store.seed(users, seminars).await {
            Ok(()) => {
                println!("seeded {users} users and {seminars} seminars");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("seeding failed: {e}");
                ExitCode::FAILURE
            }
        },
        _ => serve(config, &secret, store).await,
    }
}

/// Writes the spec to `file`, or to standard output.
fn export_openapi(file: Option<&std::path::Path>) -> ExitCode {
    let text = serde_json::to_string_pretty(&openapi()).expect("the spec serializes") + "\n";
    let Some(path) = file else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    match std::fs::write(path, text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

/// The job queue on the server's database.
async fn jobs(config: &Config, store: &Db) -> Option<Jobs> {
    let settings = JobSettings {
        heartbeat: config.job_heartbeat,
        purge: config.purge_schedule.clone(),
        stats: config.stats_schedule.clone(),
        ..JobSettings::default()
    };
    match Jobs::open(store, &config.database_url, settings).await {
        Ok(jobs) => Some(jobs),
        Err(e) => {
            tracing::error!(error = %e, "cannot open the job queue");
            None
        }
    }
}

/// `seminar worker`: runs jobs and the schedules, no HTTP, until SIGTERM
/// or SIGINT; a job in progress then is delivered again to another worker.
async fn worker(config: Config, store: Db) -> ExitCode {
    let Some(jobs) = jobs(&config, &store).await else {
        return ExitCode::FAILURE;
    };
    let name = format!("worker-{}", std::process::id());
    tracing::info!(name, "working");
    match jobs.work(&name, true, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "worker failed");
            ExitCode::FAILURE
        }
    }
}

/// SIGTERM or SIGINT.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn serve(config: Config, secret: &str, store: Db) -> ExitCode {
    let mut state = AppState::new(store.clone(), secret).auth_cache_ttl(config.auth_cache_ttl);
    let Some(queue) = jobs(&config, &store).await else {
        return ExitCode::FAILURE;
    };
    state = state.with_jobs(queue.clone());
    let (stop_workers, stopped) = tokio::sync::watch::channel(false);
    let mut workers = Vec::with_capacity(config.workers);
    for i in 0..config.workers {
        let (queue, mut stopped) = (queue.clone(), stopped.clone());
        let name = format!("server-{}-{i}", std::process::id());
        workers.push(tokio::spawn(async move {
            let stop = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            if let Err(e) = queue.work(&name, i == 0, stop).await {
                tracing::error!(error = %e, "worker failed");
            }
        }));
    }
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
    let _ = stop_workers.send(true);
    drop(stopped);
    // The workers stop (a job in progress is delivered again later) before
    // the log's writer goes with `main`: what they log on the way out is
    // written, not refused.
    let stopping = futures_util::future::join_all(workers);
    if tokio::time::timeout(config.shutdown_timeout, stopping)
        .await
        .is_err()
    {
        tracing::warn!("workers still busy at the drain deadline: their jobs go to another worker");
    }
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
