//! [`ApiRouter`]: routes whose documentation is derived from the handler's
//! signature: its extractors (body, parameters, security), its success type
//! and its error type. Nothing is listed by hand, so nothing drifts.

use std::future::Future;

use axum::Router;
use axum::extract::State;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use contract_core::{Declared, DeclaredErrors, ErrorCode};
use contract_openapi::{Operation, SpecBuilder};
use http::{HeaderMap, Method, StatusCode};
use schemars::JsonSchema;
use serde::Serialize;

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
    note = "return `Json<T>`, `Created<Json<T>>` or `Result<_, E>` with `E: DeclaredErrors`"
)]
pub trait OperationOutput {
    /// Adds this response's part to `op`.
    fn document(op: &mut Operation, spec: &mut SpecBuilder);
}

/// A handler whose every extractor and whose return type document
/// themselves. Implemented for async functions of up to eight arguments.
pub trait DocumentedHandler<M> {
    /// Documents the operation.
    fn document(op: &mut Operation, spec: &mut SpecBuilder);
}

macro_rules! documented_handler {
    ($($t:ident),*) => {
        impl<F, Fut, O, $($t,)*> DocumentedHandler<(O, $($t,)*)> for F
        where
            F: FnOnce($($t),*) -> Fut,
            Fut: Future<Output = O>,
            O: OperationOutput,
            $($t: OperationInput,)*
        {
            fn document(op: &mut Operation, spec: &mut SpecBuilder) {
                $(<$t as OperationInput>::document(op, spec);)*
                O::document(op, spec);
            }
        }
    };
}

documented_handler!();
documented_handler!(T1);
documented_handler!(T1, T2);
documented_handler!(T1, T2, T3);
documented_handler!(T1, T2, T3, T4);
documented_handler!(T1, T2, T3, T4, T5);
documented_handler!(T1, T2, T3, T4, T5, T6);
documented_handler!(T1, T2, T3, T4, T5, T6, T7);
documented_handler!(T1, T2, T3, T4, T5, T6, T7, T8);

fn body_errors(op: &mut Operation) {
    for code in [
        ErrorCode::MALFORMED_BODY,
        ErrorCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UNSUPPORTED_MEDIA_TYPE,
    ] {
        op.error(declared(code));
    }
    op.error(declared(ErrorCode::VALIDATION_FAILED));
    // A body that arrives too slowly (tower-http's request body timeout).
    op.error(Declared::new(408, ErrorCode::TIMEOUT, None));
}

fn declared(code: ErrorCode) -> Declared {
    let status = contract_core::builtin_codes()
        .iter()
        .find(|i| i.code == code)
        .and_then(|i| match i.kind {
            contract_core::CodeKind::Top(s) => Some(s.as_u16()),
            _ => None,
        })
        .expect("a built-in top-level code");
    Declared::new(status, code, None)
}

impl<T: JsonSchema> OperationInput for Json<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.request_body(spec.request_schema::<T>(), true);
        body_errors(op);
    }
}

impl<T: JsonSchema> OperationInput for Option<Json<T>> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.request_body(spec.request_schema::<T>(), false);
        body_errors(op);
    }
}

impl<T: JsonSchema> OperationInput for Path<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        for p in spec.parameters::<T>("path") {
            op.parameter(p);
        }
        op.error(declared(ErrorCode::VALIDATION_FAILED));
    }
}

impl<T: JsonSchema> OperationInput for Query<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        for p in spec.parameters::<T>("query") {
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

/// An axum [`Router`] that documents each route from its handler's
/// signature as it is added.
///
/// ```
/// use contract_axum::{ApiRouter, Json};
/// use contract_openapi::SpecBuilder;
/// use http::Method;
///
/// async fn hello() -> Json<String> {
///     Json("hi".into())
/// }
///
/// let (router, spec): (axum::Router, _) = ApiRouter::new(SpecBuilder::new("Hello", "1.0"))
///     .route(Method::GET, "/hello", hello, |op| { op.summary("Say hello"); })
///     .into_parts();
/// let doc = spec.build();
/// assert_eq!(doc["paths"]["/hello"]["get"]["operationId"], "hello");
/// assert_eq!(doc["paths"]["/hello"]["get"]["responses"]["500"]["$ref"], "#/components/responses/Internal");
/// ```
#[derive(Debug)]
pub struct ApiRouter<S = ()> {
    router: Router<S>,
    spec: SpecBuilder,
}

impl<S: Clone + Send + Sync + 'static> ApiRouter<S> {
    /// An empty router documenting into `spec`.
    pub fn new(spec: SpecBuilder) -> Self {
        Self {
            router: Router::new(),
            spec,
        }
    }

    /// Routes `method` on `path` (axum syntax, `{param}`) to `handler`, and
    /// documents it; `doc` adds the summary, description and tags.
    ///
    /// # Panics
    /// When `method` is not one axum routes on.
    pub fn route<H, T, M>(
        mut self,
        method: Method,
        path: &str,
        handler: H,
        doc: impl FnOnce(&mut Operation),
    ) -> Self
    where
        H: Handler<T, S> + DocumentedHandler<M>,
        T: 'static,
    {
        let mut op = Operation::new(method.as_str(), path);
        let name = std::any::type_name::<H>();
        let name = name.rsplit("::").next().unwrap_or(name);
        op.operation_id(name);
        H::document(&mut op, &mut self.spec);
        op.error(declared(ErrorCode::INTERNAL));
        doc(&mut op);
        self.spec.add(op);
        let filter = MethodFilter::try_from(method).expect("a routable method");
        self.router = self.router.route(path, on(filter, handler));
        self
    }

    /// The router and the spec.
    pub fn into_parts(self) -> (Router<S>, SpecBuilder) {
        (self.router, self.spec)
    }
}
