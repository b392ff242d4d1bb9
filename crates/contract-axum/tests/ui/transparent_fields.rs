//! A transparent variant wraps exactly one error.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum StoreError {
    #[error("none")]
    #[api(transparent)]
    Nothing,
    #[error("two")]
    #[api(transparent)]
    Two(contract_axum::Error, contract_axum::Error),
}

fn main() {}
