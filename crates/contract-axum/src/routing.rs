//! [`ApiRouter`], and [`ApiMethodRouter`] with [`get`], [`post`], [`put`],
//! [`patch`], [`delete`], [`on`]: axum's routers, each method's handler
//! documented as its own operation when [`ApiRouter::route`] adds it.

use std::convert::Infallible;

use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, Route};
use contract_openapi::{Operation, SpecBuilder};
use http::Method;
use tower::{Layer, Service};

use contract_core::ErrorCode;

use crate::api::{DocumentedHandler, HandlerDoc, OperationInputs, OperationOutput, declared};

/// A doc closure, run on the operation after everything the types say.
type With = Box<dyn FnOnce(&mut Operation)>;

/// axum's [`MethodRouter`], with each method's operation to document.
///
/// ```
/// use contract_axum::{ApiRouter, Json, NoContent, SpecBuilder, get};
///
/// async fn read() -> Json<String> {
///     Json("note".into())
/// }
/// async fn remove() -> NoContent {
///     NoContent
/// }
///
/// let (_, spec): (axum::Router, _) = ApiRouter::new(SpecBuilder::new("Notes", "1.0"))
///     .route("/note", get(read).delete_with(remove, |op| { op.summary("Delete the note"); }))
///     .into_parts();
/// let doc = spec.build();
/// assert_eq!(doc["paths"]["/note"]["get"]["operationId"], "read");
/// assert_eq!(doc["paths"]["/note"]["delete"]["summary"], "Delete the note");
/// ```
pub struct ApiMethodRouter<S = ()> {
    pub(crate) router: MethodRouter<S>,
    pub(crate) operations: Vec<MethodOperation>,
}

/// One method's operation, documented once the route's path is known.
pub(crate) struct MethodOperation {
    pub(crate) method: Method,
    /// The handler's name: its function's, for the `operationId`.
    pub(crate) handler: &'static str,
    pub(crate) document: fn(&mut Operation, &mut SpecBuilder),
    pub(crate) doc: Option<HandlerDoc>,
    pub(crate) with: Option<With>,
}

impl<S> std::fmt::Debug for ApiMethodRouter<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let methods: Vec<(&str, &str)> = self
            .operations
            .iter()
            .map(|o| (o.method.as_str(), o.handler))
            .collect();
        f.debug_struct("ApiMethodRouter")
            .field("methods", &methods)
            .finish_non_exhaustive()
    }
}

fn document<H, T>(op: &mut Operation, spec: &mut SpecBuilder)
where
    H: DocumentedHandler<T>,
    T: OperationInputs,
    H::Output: OperationOutput,
{
    T::document(op, spec);
    <H::Output as OperationOutput>::document(op, spec);
}

fn short_name<H>() -> &'static str {
    let name = std::any::type_name::<H>();
    name.rsplit("::").next().unwrap_or(name)
}

impl<S: Clone + Send + Sync + 'static> Default for ApiMethodRouter<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Clone + Send + Sync + 'static> ApiMethodRouter<S> {
    /// A method router with no method yet.
    pub fn new() -> Self {
        Self {
            router: MethodRouter::new(),
            operations: Vec::new(),
        }
    }

    fn add<H, T>(mut self, method: Method, handler: H, with: Option<With>) -> Self
    where
        H: Handler<T, S> + DocumentedHandler<T>,
        T: OperationInputs + 'static,
        H::Output: OperationOutput,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a routable method");
        self.operations.push(MethodOperation {
            method,
            handler: short_name::<H>(),
            document: document::<H, T>,
            doc: H::doc(),
            with,
        });
        self.router = self.router.on(filter, handler);
        self
    }

    /// Routes `method` to `handler` as well.
    ///
    /// # Panics
    /// When `method` is not one axum routes on (`CONNECT`, an extension).
    pub fn on<H, T>(self, method: Method, handler: H) -> Self
    where
        H: Handler<T, S> + DocumentedHandler<T>,
        T: OperationInputs + 'static,
        H::Output: OperationOutput,
    {
        self.add(method, handler, None)
    }

    /// Routes `method` to `handler` as well; `doc` then adds the summary,
    /// description, tags (and may override what the types say).
    ///
    /// # Panics
    /// When `method` is not one axum routes on (`CONNECT`, an extension).
    pub fn on_with<H, T>(
        self,
        method: Method,
        handler: H,
        doc: impl FnOnce(&mut Operation) + 'static,
    ) -> Self
    where
        H: Handler<T, S> + DocumentedHandler<T>,
        T: OperationInputs + 'static,
        H::Output: OperationOutput,
    {
        self.add(method, handler, Some(Box::new(doc)))
    }
}

impl<S: Clone + Send + Sync + 'static> ApiMethodRouter<S> {
    /// A layer around every method routed so far: axum's
    /// `MethodRouter::layer`. The documentation does not change: a layer
    /// that answers errors of its own declares them on the operations
    /// itself (a doc closure).
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }

    /// A layer around the methods routed so far, run only when one of them
    /// matches: axum's `MethodRouter::route_layer`.
    ///
    /// # Panics
    /// When no method is routed yet, as axum's does.
    pub fn route_layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.route_layer(layer);
        self
    }

    /// Deprecates the methods routed so far: `deprecated: true` (and
    /// `x-sunset`) in the spec, and on every answer RFC 9745's
    /// `Deprecation`, RFC 8594's `Sunset` and a `Link` to the migration
    /// notes; `MetricsLayer` counts the calls still made. `contract diff`
    /// then allows removing the operation once its sunset has passed.
    ///
    /// ```
    /// use contract_axum::{ApiRouter, Deprecation, Json, SpecBuilder, get};
    ///
    /// async fn old_list() -> Json<Vec<String>> {
    ///     Json(Vec::new())
    /// }
    ///
    /// let gone = Deprecation::new().since("2026-12-01").sunset("2027-06-30");
    /// let (_, spec): (axum::Router, _) = ApiRouter::new(SpecBuilder::new("Notes", "1.0"))
    ///     .route("/v0/notes", get(old_list).deprecated(gone))
    ///     .into_parts();
    /// let doc = spec.build();
    /// assert_eq!(doc["paths"]["/v0/notes"]["get"]["deprecated"], true);
    /// assert_eq!(doc["paths"]["/v0/notes"]["get"]["x-sunset"], "2027-06-30");
    /// ```
    pub fn deprecated(mut self, deprecation: contract_openapi::Deprecation) -> Self {
        self.router = self
            .router
            .layer(crate::deprecation::DeprecationLayer::new(&deprecation));
        for op in &mut self.operations {
            let before = op.with.take();
            let deprecation = deprecation.clone();
            op.with = Some(Box::new(move |o: &mut Operation| {
                o.deprecated(&deprecation);
                if let Some(before) = before {
                    before(o);
                }
            }));
        }
        self
    }

    /// Makes the methods routed so far idempotent by key (the IETF draft
    /// `Idempotency-Key` header; see [`idempotency`](crate::idempotency)):
    /// a retry with the same key gets the first answer again. Documents
    /// the header and its answers on each. The app gives the store once,
    /// as an [`idempotency::IdempotencyKeys`](crate::idempotency::IdempotencyKeys) extension.
    pub fn idempotent(mut self) -> Self {
        self.router = self.router.layer(crate::idempotency::IdempotencyLayer);
        for op in &mut self.operations {
            let before = op.with.take();
            op.with = Some(Box::new(move |o: &mut Operation| {
                crate::idempotency::document(o);
                if let Some(before) = before {
                    before(o);
                }
            }));
        }
        self
    }
}

macro_rules! methods {
    ($($name:ident, $with:ident, $method:ident;)*) => {
        impl<S: Clone + Send + Sync + 'static> ApiMethodRouter<S> {$(
            #[doc = concat!("Routes `", stringify!($method), "` to `handler` as well.")]
            pub fn $name<H, T>(self, handler: H) -> Self
            where
                H: Handler<T, S> + DocumentedHandler<T>,
                T: OperationInputs + 'static,
                H::Output: OperationOutput,
            {
                self.add(Method::$method, handler, None)
            }

            #[doc = concat!("Routes `", stringify!($method), "` to `handler` as well; `doc` then adds ")]
            /// the summary, description, tags (and may override what the types
            /// say).
            pub fn $with<H, T>(self, handler: H, doc: impl FnOnce(&mut Operation) + 'static) -> Self
            where
                H: Handler<T, S> + DocumentedHandler<T>,
                T: OperationInputs + 'static,
                H::Output: OperationOutput,
            {
                self.add(Method::$method, handler, Some(Box::new(doc)))
            }
        )*}

        $(
            #[doc = concat!("Routes `", stringify!($method), "` to `handler`, documented from its signature: axum's")]
            #[doc = concat!("`", stringify!($name), "`. Chain more methods on the result.")]
            pub fn $name<H, T, S>(handler: H) -> ApiMethodRouter<S>
            where
                H: Handler<T, S> + DocumentedHandler<T>,
                T: OperationInputs + 'static,
                H::Output: OperationOutput,
                S: Clone + Send + Sync + 'static,
            {
                ApiMethodRouter::new().$name(handler)
            }

            #[doc = concat!("Routes `", stringify!($method), "` to `handler`; `doc` then adds the summary,")]
            /// description, tags (and may override what the types say).
            pub fn $with<H, T, S>(
                handler: H,
                doc: impl FnOnce(&mut Operation) + 'static,
            ) -> ApiMethodRouter<S>
            where
                H: Handler<T, S> + DocumentedHandler<T>,
                T: OperationInputs + 'static,
                H::Output: OperationOutput,
                S: Clone + Send + Sync + 'static,
            {
                ApiMethodRouter::new().$with(handler, doc)
            }
        )*
    };
}

methods! {
    get, get_with, GET;
    post, post_with, POST;
    put, put_with, PUT;
    patch, patch_with, PATCH;
    delete, delete_with, DELETE;
}

/// Routes `method` to `handler`, documented from its signature.
///
/// # Panics
/// When `method` is not one axum routes on (`CONNECT`, an extension).
pub fn on<H, T, S>(method: Method, handler: H) -> ApiMethodRouter<S>
where
    H: Handler<T, S> + DocumentedHandler<T>,
    T: OperationInputs + 'static,
    H::Output: OperationOutput,
    S: Clone + Send + Sync + 'static,
{
    ApiMethodRouter::new().on(method, handler)
}

/// Routes `method` to `handler`; `doc` then adds the summary, description,
/// tags (and may override what the types say).
///
/// # Panics
/// When `method` is not one axum routes on (`CONNECT`, an extension).
pub fn on_with<H, T, S>(
    method: Method,
    handler: H,
    doc: impl FnOnce(&mut Operation) + 'static,
) -> ApiMethodRouter<S>
where
    H: Handler<T, S> + DocumentedHandler<T>,
    T: OperationInputs + 'static,
    H::Output: OperationOutput,
    S: Clone + Send + Sync + 'static,
{
    ApiMethodRouter::new().on_with(method, handler, doc)
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
                if let Some(s) = doc.summary() {
                    op.summary(s);
                }
                if let Some(d) = doc.description() {
                    op.description(d);
                }
                for tag in doc.tags() {
                    op.tag(*tag);
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
