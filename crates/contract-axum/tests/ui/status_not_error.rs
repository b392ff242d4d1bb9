//! An error's status is 4xx or 5xx: not a success, not out of range.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("joined")]
    #[api(status = 200, code = "joined")]
    Joined,
    #[error("huge")]
    #[api(status = 70000, code = "huge")]
    Huge,
}

fn main() {}
