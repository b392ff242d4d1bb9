//! A key given twice, in one attribute or across two.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = 400, code = "seminar_full", status = 409)]
    Full,
    #[error("closed")]
    #[api(status = 400, code = "seminar_closed")]
    #[api(code = "closed")]
    Closed,
}

fn main() {}
