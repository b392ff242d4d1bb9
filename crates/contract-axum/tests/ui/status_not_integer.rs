//! `status` is a number, not a string.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = "400", code = "seminar_full")]
    Full,
}

fn main() {}
