//! [`ApiRouter`]: routes whose documentation is derived from the handler's
//! signature: its extractors (body, parameters, security), its success type
//! and its error type, and from its doc comment when `#[handler]` recorded
//! it. Nothing is listed by hand, so nothing drifts.
//!
//! The traits take a handler apart through axum's own marker tuple
//! (`(M, T1, ..., Tn)`), one bound per argument ([`OperationInputs`]) and
//! one on the return type ([`DocumentedHandler::Output`]), so a compile
//! error names the argument or the return type that does not document
//! itself rather than the handler as a whole.

use std::future::Future;
use std::marker::PhantomData;

use axum::Router;
use axum::extract::State;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};
use contract_core::{Declared, DeclaredErrors, ErrorCode};
use contract_openapi::{In, Operation, Parameter, SpecBuilder};
use http::{HeaderMap, Method, StatusCode};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::routing::ApiMethodRouter;
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

/// The arguments of a handler, as axum's [`Handler`] marker lists them:
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

/// What a handler's doc comment says: its first paragraph (the summary)
/// and the rest. `#[contract_axum::handler]` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerDoc {
    summary: &'static str,
    description: Option<&'static str>,
}

impl HandlerDoc {
    /// A summary and an optional description (Markdown).
    pub const fn new(summary: &'static str, description: Option<&'static str>) -> Self {
        Self {
            summary,
            description,
        }
    }

    /// The summary: the doc comment's first paragraph, on one line.
    pub const fn summary(&self) -> &'static str {
        self.summary
    }

    /// The paragraphs after the first, if any.
    pub const fn description(&self) -> Option<&'static str> {
        self.description
    }
}

/// A handler as the spec sees it: the type it returns and, when
/// `#[contract_axum::handler]` recorded it, its doc comment. `T` is axum's
/// [`Handler`] marker, the tuple of its arguments.
///
/// Implemented for every async function (and closure) of up to 16
/// arguments, and by `#[contract_axum::handler]` for the handler it
/// defines.
pub trait DocumentedHandler<T> {
    /// What the handler returns; documented by [`OperationOutput`].
    type Output;

    /// The handler's doc comment, when recorded.
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

fn declared(code: ErrorCode) -> Declared {
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

/// An axum [`Router`] that documents each route from its handler's
/// signature as it is added.
///
/// ```
/// use contract_axum::{ApiRouter, Json, SpecBuilder, get_with};
///
/// async fn hello() -> Json<String> {
///     Json("hi".into())
/// }
///
/// let (router, spec): (axum::Router, _) = ApiRouter::new(SpecBuilder::new("Hello", "1.0"))
///     .route("/hello", get_with(hello, |op| { op.summary("Say hello"); }))
///     .into_parts();
/// let doc = spec.build();
/// assert_eq!(doc["paths"]["/hello"]["get"]["operationId"], "hello");
/// assert_eq!(doc["paths"]["/hello"]["get"]["responses"]["500"]["$ref"], "#/components/responses/Internal");
/// ```
#[derive(Debug)]
pub struct ApiRouter<S = ()> {
    router: Router<S>,
    spec: SpecBuilder,
    /// The path prefix of the [`nest`](ApiRouter::nest) being built.
    prefix: String,
}

impl<S: Clone + Send + Sync + 'static> ApiRouter<S> {
    /// An empty router documenting into `spec`.
    pub fn new(spec: SpecBuilder) -> Self {
        Self {
            router: Router::new(),
            spec,
            prefix: String::new(),
        }
    }

    /// Routes `path` (axum syntax, `{param}`) to the methods of
    /// `method_router` ([`get`](crate::get)`(h).post(h2)`), as axum's
    /// `route` does, and documents each method as one operation.
    ///
    /// Each `operationId` is the handler's name; the same handler on
    /// another method is `{method}_{name}`. A doc closure (`get_with`) runs
    /// last and may set any of them.
    ///
    /// # Panics
    /// As axum's `route` does (a method routed twice on one path), and when
    /// an `operationId` is already taken (see [`SpecBuilder::add`]).
    pub fn route(mut self, path: &str, method_router: ApiMethodRouter<S>) -> Self {
        let path = format!("{}{path}", self.prefix);
        for m in method_router.operations {
            let mut op = Operation::new(m.method.as_str(), &path);
            let name = m.handler;
            let taken = |id: &str| self.spec.operations().iter().any(|o| o.id() == Some(id));
            let derived = if taken(name) {
                format!("{}_{name}", m.method.as_str().to_lowercase())
            } else {
                name.to_owned()
            };
            op.operation_id(derived);
            (m.document)(&mut op, &mut self.spec);
            op.error(declared(ErrorCode::INTERNAL));
            if self.spec.documents_request_timeout() {
                op.error(declared(ErrorCode::TIMEOUT));
            }
            if let Some(doc) = m.doc {
                op.summary(doc.summary());
                if let Some(d) = doc.description() {
                    op.description(d);
                }
            }
            if let Some(with) = m.with {
                with(&mut op);
            }
            self.spec.add(op);
        }
        self.router = self.router.route(&path, method_router.router);
        self
    }

    /// Routes one `method` on `path` to `handler`; `doc` adds the summary,
    /// description and tags: `route(path, on_with(method, handler, doc))`.
    ///
    /// # Panics
    /// When `method` is not one axum routes on, and as
    /// [`route`](Self::route) does.
    pub fn route_method<H, T>(
        self,
        method: Method,
        path: &str,
        handler: H,
        doc: impl FnOnce(&mut Operation) + 'static,
    ) -> Self
    where
        H: Handler<T, S> + DocumentedHandler<T>,
        T: OperationInputs + 'static,
        H::Output: OperationOutput,
    {
        self.route(path, crate::on_with(method, handler, doc))
    }

    /// Routes added by `routes` live under `prefix` (`/api/v1`), in the
    /// router and in the spec alike: axum's `nest`, for documented routes.
    ///
    /// ```
    /// use contract_axum::{ApiRouter, Json, SpecBuilder, get};
    ///
    /// async fn hello() -> Json<String> {
    ///     Json("hi".into())
    /// }
    ///
    /// let (_, spec): (axum::Router, _) = ApiRouter::new(SpecBuilder::new("Hello", "1.0"))
    ///     .nest("/api/v1", |api| api.route("/hello", get(hello)))
    ///     .into_parts();
    /// assert!(spec.build()["paths"]["/api/v1/hello"]["get"].is_object());
    /// ```
    pub fn nest(mut self, prefix: &str, routes: impl FnOnce(Self) -> Self) -> Self {
        let outer = std::mem::take(&mut self.prefix);
        self.prefix = format!("{outer}{prefix}");
        let mut nested = routes(self);
        nested.prefix = outer;
        nested
    }

    /// Merges routes that are not part of the API (a docs page, health
    /// probes outside the spec): axum's `merge`.
    pub fn merge(mut self, other: Router<S>) -> Self {
        self.router = self.router.merge(other);
        self
    }

    /// A layer around every route added so far, documented ones included
    /// (their documentation does not change): axum's `route_layer`.
    pub fn route_layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response: IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Error:
            Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.router = self.router.route_layer(layer);
        self
    }

    /// The handler for requests no route matches: axum's `fallback`.
    pub fn fallback<H, T>(mut self, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }

    /// The router and the spec.
    pub fn into_parts(self) -> (Router<S>, SpecBuilder) {
        (self.router, self.spec)
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::extract::Request;
    use axum::middleware::{Next, from_fn};
    use http::{Method, StatusCode};
    use tower::ServiceExt;

    use super::ApiRouter;
    use crate::{Json, SpecBuilder};

    async fn hello() -> Json<String> {
        Json("hi".into())
    }

    async fn tagged(req: Request, next: Next) -> axum::response::Response {
        let mut res = next.run(req).await;
        res.headers_mut()
            .insert("x-layered", "yes".parse().unwrap());
        res
    }

    #[test]
    fn one_handler_on_two_methods_gets_two_ids_and_a_duplicate_id_panics() {
        let (_, spec) = ApiRouter::<()>::new(SpecBuilder::new("t", "1"))
            .route_method(Method::GET, "/a", hello, |_| {})
            .route_method(Method::DELETE, "/a", hello, |_| {})
            .into_parts();
        let ids: Vec<_> = spec.operations().iter().filter_map(|o| o.id()).collect();
        assert_eq!(ids, ["hello", "delete_hello"]);

        let duplicate = std::panic::catch_unwind(|| {
            ApiRouter::<()>::new(SpecBuilder::new("t", "1"))
                .route_method(Method::GET, "/a", hello, |_| {})
                .route(
                    "/b",
                    crate::get_with(hello, |op| {
                        op.operation_id("hello");
                    }),
                )
        });
        let message = duplicate.expect_err("a duplicate id panics");
        let message = message.downcast_ref::<String>().expect("a message");
        assert!(
            message.contains("operationId `hello` of GET /b is already the id of GET /a"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn nest_route_layer_merge_and_fallback_keep_the_documentation() {
        let (router, spec) = ApiRouter::new(SpecBuilder::new("t", "1"))
            .nest("/api", |api| {
                api.nest("/v1", |v1| v1.route("/hello", crate::get(hello)))
            })
            .route_layer(from_fn(tagged))
            .route("/outside", crate::get(hello))
            .merge(axum::Router::new().route("/plain", axum::routing::get(|| async { "plain" })))
            .fallback(|| async { StatusCode::IM_A_TEAPOT })
            .into_parts();
        let doc = spec.build();
        assert!(doc["paths"]["/api/v1/hello"]["get"].is_object(), "{doc}");
        assert!(doc["paths"]["/outside"]["get"].is_object(), "{doc}");
        assert!(
            doc["paths"].get("/plain").is_none(),
            "merged routes are not documented"
        );

        let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
        let res = router.clone().oneshot(get("/api/v1/hello")).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["x-layered"],
            "yes",
            "the route layer wraps the nested route"
        );
        let res = router.clone().oneshot(get("/outside")).await.unwrap();
        assert!(
            res.headers().get("x-layered").is_none(),
            "added after the layer"
        );
        let res = router.clone().oneshot(get("/plain")).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let res = router.oneshot(get("/nothing")).await.unwrap();
        assert_eq!(res.status(), StatusCode::IM_A_TEAPOT);
    }
}
