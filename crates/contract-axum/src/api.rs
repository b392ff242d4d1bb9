//! How a handler documents itself: its extractors (body, parameters,
//! security), its success type and its error type, and its doc comment
//! when `#[handler]` recorded it. [`ApiRouter`](crate::ApiRouter) reads
//! these as each route is added, so nothing is listed by hand and nothing
//! drifts.
//!
//! The traits take a handler apart through axum's own marker tuple
//! (`(M, T1, ..., Tn)`), one bound per argument ([`OperationInputs`]) and
//! one on the return type ([`DocumentedHandler::Output`]), so a compile
//! error names the argument or the return type that does not document
//! itself rather than the handler as a whole.

use std::future::Future;
use std::marker::PhantomData;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use contract_core::{Declared, DeclaredErrors, ErrorCode};
use contract_openapi::{In, Operation, Parameter, SpecBuilder};
use http::{HeaderMap, Method, StatusCode};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::{Json, Path, Query, RequestId};

/// An extractor that shapes the operation: a body, parameters, security,
/// and the errors it can reject with.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not document itself in the spec",
    note = "implement `contract_axum::OperationInput` for this extractor (declare its errors)"
)]
pub trait OperationInput {
    /// Adds this extractor's part to `op`.
    fn document(op: &mut Operation, spec: &mut SpecBuilder);
}

/// A handler's return type: the success status and body, and the errors.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not document itself in the spec",
    note = "return `Json<T>`, `Created<Json<T>>`, `NoContent`, `StatusCode`, `()` or `Result<_, E>` with `E: DeclaredErrors`",
    note = "for any other response, return `Documented<R, D>`: sent as `R`, documented as `D`"
)]
pub trait OperationOutput {
    /// Adds this response's part to `op`.
    fn document(op: &mut Operation, spec: &mut SpecBuilder);
}

/// The arguments of a handler, as axum's [`Handler`](axum::handler::Handler) marker lists them:
/// `((),)` for none, `(M, T1, ..., Tn)` otherwise. Implemented when every
/// argument is an [`OperationInput`], so a compile error names the one
/// that is not.
#[diagnostic::on_unimplemented(
    message = "the handler's arguments `{Self}` do not document themselves",
    note = "a documented handler takes at most 16 arguments, each an `OperationInput`"
)]
pub trait OperationInputs {
    /// Adds every argument's part to `op`, in order.
    fn document(op: &mut Operation, spec: &mut SpecBuilder);
}

impl OperationInputs for ((),) {
    fn document(_: &mut Operation, _: &mut SpecBuilder) {}
}

/// What `#[contract_axum::handler]` recorded of a handler: its doc
/// comment's first paragraph (the summary) and the rest, and the tags its
/// `#[handler(tag = "...")]` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerDoc {
    summary: Option<&'static str>,
    description: Option<&'static str>,
    tags: &'static [&'static str],
}

impl HandlerDoc {
    /// A summary and a description (Markdown), either optional, and no tags.
    pub const fn new(summary: Option<&'static str>, description: Option<&'static str>) -> Self {
        Self {
            summary,
            description,
            tags: &[],
        }
    }

    /// The same, tagged with `tags`.
    #[must_use]
    pub const fn with_tags(self, tags: &'static [&'static str]) -> Self {
        Self { tags, ..self }
    }

    /// The summary: the doc comment's first paragraph, on one line.
    pub const fn summary(&self) -> Option<&'static str> {
        self.summary
    }

    /// The paragraphs after the first, if any.
    pub const fn description(&self) -> Option<&'static str> {
        self.description
    }

    /// The operation's tags, in the order given.
    pub const fn tags(&self) -> &'static [&'static str] {
        self.tags
    }
}

/// A handler as the spec sees it: the type it returns and, when
/// `#[contract_axum::handler]` recorded it, its doc comment. `T` is axum's
/// [`Handler`](axum::handler::Handler) marker, the tuple of its arguments.
///
/// Implemented for every async function (and closure) of up to 16
/// arguments, and by `#[contract_axum::handler]` for the handler it
/// defines.
pub trait DocumentedHandler<T> {
    /// What the handler returns; documented by [`OperationOutput`].
    type Output;

    /// The handler's doc comment and tags, when recorded.
    fn doc() -> Option<HandlerDoc> {
        None
    }
}

impl<F, Fut> DocumentedHandler<((),)> for F
where
    F: FnOnce() -> Fut,
    Fut: Future,
{
    type Output = Fut::Output;
}

macro_rules! documented_handler {
    ($($t:ident),+) => {
        impl<M, $($t: OperationInput,)+> OperationInputs for (M, $($t,)+) {
            fn document(op: &mut Operation, spec: &mut SpecBuilder) {
                $(<$t as OperationInput>::document(op, spec);)+
            }
        }

        impl<F, Fut, M, $($t,)+> DocumentedHandler<(M, $($t,)+)> for F
        where
            F: FnOnce($($t),+) -> Fut,
            Fut: Future,
        {
            type Output = Fut::Output;
        }
    };
}

documented_handler!(T1);
documented_handler!(T1, T2);
documented_handler!(T1, T2, T3);
documented_handler!(T1, T2, T3, T4);
documented_handler!(T1, T2, T3, T4, T5);
documented_handler!(T1, T2, T3, T4, T5, T6);
documented_handler!(T1, T2, T3, T4, T5, T6, T7);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14);
documented_handler!(
    T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15
);
documented_handler!(
    T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16
);

fn body_errors(op: &mut Operation, spec: &SpecBuilder) {
    for code in [
        ErrorCode::MALFORMED_BODY,
        ErrorCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UNSUPPORTED_MEDIA_TYPE,
    ] {
        op.error(declared(code));
    }
    op.error(declared(ErrorCode::VALIDATION_FAILED));
    // A body that arrives too slowly, when the service times bodies out
    // (`Contract::body_timeout`).
    if spec.documents_body_timeout() {
        op.error(Declared::new(408, ErrorCode::TIMEOUT, None));
    }
}

pub(crate) fn declared(code: ErrorCode) -> Declared {
    Declared::builtin(code)
}

impl<T: JsonSchema> OperationInput for Json<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.request_body(spec.request_schema::<T>(), true);
        body_errors(op, spec);
    }
}

impl<T: JsonSchema> OperationInput for Option<Json<T>> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.request_body(spec.request_schema::<T>(), false);
        body_errors(op, spec);
    }
}

/// A struct's fields are the parameters; a scalar or a tuple's items are,
/// by position, named after the route's `{param}`s.
impl<T: JsonSchema> OperationInput for Path<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        let mut params = spec.parameters::<T>(In::Path);
        if params.is_empty() {
            let schema = spec.request_schema::<T>();
            let positions: Vec<Value> = match schema.get("prefixItems") {
                Some(Value::Array(items)) => items.clone(),
                _ => vec![schema],
            };
            let names = op
                .path()
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
                .collect::<Vec<_>>();
            params = names
                .into_iter()
                .zip(positions)
                .map(|(name, schema)| Parameter::new(name, In::Path, schema))
                .collect();
        }
        for p in params {
            op.parameter(p);
        }
        op.error(declared(ErrorCode::VALIDATION_FAILED));
    }
}

impl<T: JsonSchema> OperationInput for Query<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        for p in spec.parameters::<T>(In::Query) {
            op.parameter(p);
        }
        op.error(declared(ErrorCode::VALIDATION_FAILED));
    }
}

macro_rules! undocumented_input {
    ($($ty:ty),*) => {$(
        impl OperationInput for $ty {
            fn document(_: &mut Operation, _: &mut SpecBuilder) {}
        }
    )*};
}

undocumented_input!(RequestId, HeaderMap, Method, http::Uri);

impl<S> OperationInput for State<S> {
    fn document(_: &mut Operation, _: &mut SpecBuilder) {}
}

impl<T> OperationInput for axum::Extension<T> {
    fn document(_: &mut Operation, _: &mut SpecBuilder) {}
}

impl<T: Serialize + JsonSchema> OperationOutput for Json<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.success(200, Some(spec.response_schema::<T>()));
    }
}

/// A `201 Created` response around a body.
#[derive(Debug, Clone, Copy)]
pub struct Created<T>(pub T);

impl<T: IntoResponse> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, self.0).into_response()
    }
}

impl<T: Serialize + JsonSchema> OperationOutput for Created<Json<T>> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.success(201, Some(spec.response_schema::<T>()));
    }
}

/// A `204 No Content` response.
#[derive(Debug, Clone, Copy)]
pub struct NoContent;

impl IntoResponse for NoContent {
    fn into_response(self) -> Response {
        StatusCode::NO_CONTENT.into_response()
    }
}

impl OperationOutput for NoContent {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.success(204, None);
    }
}

impl<O: OperationOutput, E: DeclaredErrors> OperationOutput for Result<O, E> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        O::document(op, spec);
        for e in E::declared() {
            op.error(e);
        }
    }
}

/// A bodiless `200 OK`.
impl OperationOutput for () {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.success(200, None);
    }
}

/// A bare status, documented as a bodiless `200 OK`: the status is only
/// known at run time. When it is another one, return
/// `Documented<StatusCode, D>` with `D` the documented response
/// ([`NoContent`], say).
impl OperationOutput for StatusCode {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.success(200, None);
    }
}

/// A response sent as `R` and documented as `D`: the escape hatch for a
/// handler whose response type does not document itself (an
/// `impl IntoResponse`, a response built by hand).
///
/// ```
/// use axum::response::IntoResponse;
/// use contract_axum::{ApiRouter, Created, Documented, Json, SpecBuilder, post};
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Note { id: u32 }
///
/// async fn create() -> Documented<impl IntoResponse, Created<Json<Note>>> {
///     Documented::new((http::StatusCode::CREATED, [("location", "/notes/1")], Json(Note { id: 1 })))
/// }
///
/// let (_, spec): (axum::Router, _) = ApiRouter::new(SpecBuilder::new("Notes", "1.0"))
///     .route("/notes", post(create))
///     .into_parts();
/// let doc = spec.build();
/// assert!(doc["paths"]["/notes"]["post"]["responses"]["201"]["content"].is_object());
/// ```
pub struct Documented<R, D> {
    response: R,
    documented_as: PhantomData<fn() -> D>,
}

impl<R, D> Documented<R, D> {
    /// `response`, documented as `D`.
    pub fn new(response: R) -> Self {
        Self {
            response,
            documented_as: PhantomData,
        }
    }

    /// The response itself.
    pub fn into_inner(self) -> R {
        self.response
    }
}

impl<R: std::fmt::Debug, D> std::fmt::Debug for Documented<R, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documented")
            .field("response", &self.response)
            .field("documented_as", &std::any::type_name::<D>())
            .finish()
    }
}

impl<R: IntoResponse, D> IntoResponse for Documented<R, D> {
    fn into_response(self) -> Response {
        self.response.into_response()
    }
}

impl<R, D: OperationOutput> OperationOutput for Documented<R, D> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        D::document(op, spec);
    }
}
