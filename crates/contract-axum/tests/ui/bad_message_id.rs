//! A Fluent message id starts with a letter.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = 400, code = "seminar_full", id = "1-full")]
    Full,
}

fn main() {}
