//! A key the derive does not know (a typo, or another derive's).
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = 400, code = "seminar_full", title = "Seminar full")]
    Full,
}

fn main() {}
