//! A built-in code keeps the status contract's table gives it: the runtime
//! answers a bare 404 as `not_found`, so `not_found` at 400 would make the
//! spec and the wire disagree. Its own statuses (404, and 410 whose bare
//! answer is `not_found`) and an app's own codes at any status are fine.
use contract_axum::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum JoinError {
    #[error("no such seminar")]
    #[api(status = 400, code = "not_found")]
    Missing,
    #[error("gone")]
    #[api(status = 410, code = "not_found")]
    Gone,
    #[error("full")]
    #[api(status = 400, code = "seminar_full")]
    Full,
    #[error("busy")]
    #[api(status = 429, code = "conflict")]
    Busy,
}

fn main() {}
