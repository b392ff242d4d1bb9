//! Codes are snake_case: what clients switch on.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = 400, code = "SeminarFull")]
    Full,
    #[error("closed")]
    #[api(status = 400, code = "seminar-closed")]
    Closed,
}

fn main() {}
