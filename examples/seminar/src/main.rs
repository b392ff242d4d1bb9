//! The seminar server: reads the configuration from the environment and
//! serves. `seminar export-openapi [FILE]` writes the spec; `seminar seed
//! [USERS] [SEMINARS]` fills the database with demo data.

use std::process::ExitCode;

use seminar::db::Db;
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
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::FAILURE;
        }
    };
    init_tracing(config.profile);
    let store = match Db::connect(&config.database_url).await {
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
                "unknown command {other:?}; use serve, seed [USERS] [SEMINARS] or export-openapi [FILE]"
            );
            ExitCode::from(2)
        }
    }
}

async fn serve(config: Config, store: Db) -> ExitCode {
    let state = AppState::new(store, &config.secret);
    let router = app(state);
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(addr = %config.addr, error = %e, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(addr = %config.addr, profile = ?config.profile, "serving the seminar API");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(profile: Profile) {
    let default = match profile {
        Profile::Dev => "info,seminar=debug,contract_axum=debug",
        Profile::Test => "warn",
        Profile::Prod => "info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(profile == Profile::Dev)
        .init();
}
