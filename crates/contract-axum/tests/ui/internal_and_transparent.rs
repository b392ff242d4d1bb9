//! A variant is one kind: coded, `internal` or `transparent`.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum StoreError {
    #[error(transparent)]
    #[api(internal, transparent)]
    Io(std::io::Error),
    #[error("database")]
    #[api(internal, status = 503)]
    Database,
    #[error(transparent)]
    #[api(transparent, code = "wrapped")]
    Contract(contract_axum::Error),
}

fn main() {}
