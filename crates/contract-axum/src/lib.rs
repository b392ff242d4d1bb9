//! contract for axum: extractors that validate and report every problem at
//! once, and a layer that puts every failure into one envelope.
//!
//! ```
//! use axum::{routing::post, Router};
//! use contract_axum::{ErrorLayer, Json, NOT_BLANK};
//! use http::StatusCode;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize, validator::Validate, schemars::JsonSchema)]
//! struct NewSeminar {
//!     #[validate(regex(path = *NOT_BLANK, code = "blank"), length(max = 100))]
//!     name: String,
//!     #[validate(range(min = 1))]
//!     capacity: u32,
//! }
//!
//! #[derive(Serialize)]
//! struct Seminar { name: String, capacity: u32 }
//!
//! async fn create(Json(new): Json<NewSeminar>) -> Json<Seminar> {
//!     Json(Seminar { name: new.name, capacity: new.capacity })
//! }
//!
//! let app: Router = Router::new()
//!     .route("/seminar/", post(create))
//!     .layer(ErrorLayer::new().validation_status(StatusCode::BAD_REQUEST));
//! ```
//!
//! The root holds what a handler and its router import: the extractors,
//! `ErrorLayer`, `ApiRouter`, `Contract`, `#[derive(ApiError)]`. What runs
//! around the app has a module of its own: [`server`] (in place of
//! `axum::serve`), [`metrics`] (responses counted by operation and code) and,
//! for tests, `conformance` (the check that the spec never lies).

#[cfg(feature = "api")]
mod api;
#[cfg(feature = "api")]
mod collect;
#[cfg(feature = "api")]
mod conditional;
#[cfg(feature = "api")]
pub mod conformance;
#[cfg(feature = "api")]
mod contract;
mod deadline;
#[cfg(feature = "api")]
mod deprecation;
#[cfg(feature = "api")]
mod docs;
#[cfg(feature = "api")]
mod extract;
#[cfg(feature = "api")]
pub mod idempotency;
mod layer;
pub mod metrics;
#[cfg(feature = "api")]
mod node;
#[cfg(feature = "api")]
pub mod operation;
#[cfg(feature = "api")]
mod paging;
mod request_id;
#[cfg(feature = "api")]
mod routing;
pub mod server;
#[cfg(feature = "api")]
mod text;

#[cfg(feature = "api")]
pub use api::{
    Created, Documented, DocumentedHandler, HandlerDoc, NoContent, OperationInput, OperationInputs,
    OperationOutput,
};
#[cfg(feature = "api")]
pub use collect::{INVALID_CODE_KEYWORD, NOT_BLANK, NOT_BLANK_PATTERN};
#[cfg(feature = "api")]
pub use conditional::{ETag, IfMatch, Tagged};
#[cfg(feature = "api")]
pub use contract::{Contract, ContractLayer};
pub use contract_core::keyword;
pub use contract_core::{
    BOUND, Catalog, CatalogError, CodeKind, Declared, DeclaredErrors, Envelope, Error, ErrorCode,
    FIELD_BUDGET, Failure, FieldViolation, Locale, MAX_SHOWN, MessageProblem, Problem, TOP_BUDGET,
    Violation, budget, display_width,
};
#[cfg(feature = "api")]
pub use contract_macros::{ApiError, handler, include_ftl};
#[cfg(feature = "api")]
pub use contract_openapi::{
    Deprecation, In, Operation, Parameter, Patch, Security, SecurityScheme, SpecBuilder,
};
pub use deadline::{BodyDeadlineService, DeadlineBody};
#[cfg(feature = "api")]
pub use docs::docs_page;
#[cfg(all(feature = "api", feature = "swagger-ui"))]
pub use docs::{SWAGGER_UI_PATH, swagger_ui};
#[cfg(feature = "api")]
pub use extract::{Json, Path, Query, body_bytes};
pub use layer::{
    DEFAULT_MAX_HEADERS, DEFAULT_MAX_URI_LEN, ErrorLayer, ErrorService, ResponseFuture,
};
#[cfg(feature = "api")]
pub use paging::{Page, Paging};
pub use request_id::{RequestId, X_REQUEST_ID};
#[cfg(feature = "api")]
pub use routing::{
    ApiMethodRouter, ApiRouter, delete, delete_with, get, get_with, on, on_with, patch, patch_with,
    post, post_with, put, put_with,
};
#[cfg(feature = "api")]
pub use text::{Matching, NonBlank, TextRule};

/// Lowercase hex of `bytes`, for digests in headers, cursors and keys
/// (without `format!`'s machinery, which costs ten times more per byte).
#[cfg(feature = "api")]
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(feature = "api")]
/// Support for `#[derive(ApiError)]` and `#[handler]`; not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::{DocumentedHandler, HandlerDoc, OperationInput, OperationOutput};
    pub use axum::extract::{FromRequest, FromRequestParts, Request};
    pub use axum::handler::Handler;
    pub use axum::response::{IntoResponse, Response};
    pub use contract_core::{Declared, DeclaredErrors, Error, ErrorCode, check_declared};
    pub use http::StatusCode;
}

#[cfg(feature = "api")]
/// The README's example compiles and runs.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
