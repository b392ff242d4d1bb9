//! The derive reads variants: a struct has none.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[error("seminar not found")]
struct NotFound {
    id: i64,
}

fn main() {}
