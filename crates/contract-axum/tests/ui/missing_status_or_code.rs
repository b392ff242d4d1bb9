//! A coded variant needs both its status and its code.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = 400)]
    Full,
    #[error("closed")]
    #[api(code = "seminar_closed")]
    Closed,
    #[error("gone")]
    #[api()]
    Gone,
}

fn main() {}
