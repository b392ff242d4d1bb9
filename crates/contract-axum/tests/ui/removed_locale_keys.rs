//! `en = ...` and `ko = ...` were replaced by `.ftl` files.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("full")]
    #[api(status = 400, code = "seminar_full", en = "This seminar is full.")]
    Full,
    #[error("closed")]
    #[api(status = 400, code = "seminar_closed", ko = "마감된 세미나입니다.")]
    Closed,
}

fn main() {}
