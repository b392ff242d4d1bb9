//! Every variant says what it becomes; `Full` says nothing.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("not found")]
    #[api(status = 404, code = "not_found")]
    NotFound,
    #[error("full")]
    Full,
}

fn main() {}
