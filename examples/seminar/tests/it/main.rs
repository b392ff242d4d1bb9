//! Integration tests of the seminar API (`seminar-api.md`), through the
//! router with `tower::ServiceExt::oneshot` (and of its store, `store.rs`),
//! each on a fresh database:
//! SQLite by default, PostgreSQL when `DATABASE_URL` names a server.
//!
//! Every error reply is checked for the envelope, its content type and its
//! request id, and every test ends with contract's conformance check (no
//! error code the OpenAPI document does not declare for the operation).

mod auth;
mod concurrency;
mod health;
mod imports;
mod locales;
mod seminars;
mod store;
mod support;
mod users;
