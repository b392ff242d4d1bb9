//! `message` is text (and `code` is a string literal, not a path).
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = 400, code = "seminar_full", message = 40)]
    Full,
    #[error("closed")]
    #[api(status = 400, code = seminar_closed)]
    Closed,
}

fn main() {}
