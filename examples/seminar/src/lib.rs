//! The seminar API of `seminar-api.md`, built with contract: users sign up
//! as participants or instructors, instructors run seminars, participants
//! join and drop them.
//!
//! [`app`] builds the router and its OpenAPI document; `main` only reads
//! the configuration and serves.

mod access;
mod app;
mod auth;
mod config;
pub mod db;
pub mod errors;
pub mod health;
mod imports;
pub mod jobs;
pub mod models;
pub mod password;
mod prometheus;
mod seminars;
pub mod store;
mod types;
mod users;

pub use app::{AppState, DEFAULT_AUTH_CACHE_TTL, app, catalog, openapi};
pub use config::{Cli, Command, Config, Profile};
