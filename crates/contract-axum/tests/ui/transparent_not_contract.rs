//! A transparent variant forwards an error that contract knows: a plain
//! `std::io::Error` is neither an `Error` nor declares its codes.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum StoreError {
    #[error(transparent)]
    #[api(transparent)]
    Io(std::io::Error),
}

fn main() {}
