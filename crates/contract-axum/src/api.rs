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
        body_errors(op, spec);
    }
}

impl<T: JsonSchema> OperationInput for Option<Json<T>> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.request_body(spec.request_schema::<T>(), false);
        body_errors(op, spec);
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
        let path = format!("{}{path}", self.prefix);
        let path = path.as_str();
        let mut op = Operation::new(method.as_str(), path);
        // The handler's name; the same handler on another method is
        // `{method}_{name}`. An id the `doc` closure sets must be free:
        // `SpecBuilder::add` panics on a duplicate.
        let name = std::any::type_name::<H>();
        let name = name.rsplit("::").next().unwrap_or(name);
        let taken = |id: &str| self.spec.operations().iter().any(|o| o.id() == Some(id));
        let derived = if taken(name) {
            format!("{}_{name}", method.as_str().to_lowercase())
        } else {
            name.to_owned()
        };
        op.operation_id(derived);
        H::document(&mut op, &mut self.spec);
        op.error(declared(ErrorCode::INTERNAL));
        doc(&mut op);
        self.spec.add(op);
        let filter = MethodFilter::try_from(method).expect("a routable method");
        self.router = self.router.route(path, on(filter, handler));
        self
    }

    /// Routes added by `routes` live under `prefix` (`/api/v1`), in the
    /// router and in the spec alike: axum's `nest`, for documented routes.
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
    /// let (_, spec): (axum::Router, _) = ApiRouter::new(SpecBuilder::new("Hello", "1.0"))
    ///     .nest("/api/v1", |api| api.route(Method::GET, "/hello", hello, |_| {}))
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
            .route(Method::GET, "/a", hello, |_| {})
            .route(Method::DELETE, "/a", hello, |_| {})
            .into_parts();
        let ids: Vec<_> = spec.operations().iter().filter_map(|o| o.id()).collect();
        assert_eq!(ids, ["hello", "delete_hello"]);

        let duplicate = std::panic::catch_unwind(|| {
            ApiRouter::<()>::new(SpecBuilder::new("t", "1"))
                .route(Method::GET, "/a", hello, |_| {})
                .route(Method::GET, "/b", hello, |op| {
                    op.operation_id("hello");
                })
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
                api.nest("/v1", |v1| v1.route(Method::GET, "/hello", hello, |_| {}))
            })
            .route_layer(from_fn(tagged))
            .route(Method::GET, "/outside", hello, |_| {})
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
