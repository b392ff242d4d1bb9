//! [`ApiMethodRouter`] and [`get`], [`post`], [`put`], [`patch`],
//! [`delete`], [`on`]: axum's method routers, each method's handler
//! documented as its own operation when [`ApiRouter::route`] adds them.
//!
//! [`ApiRouter::route`]: crate::ApiRouter::route

use std::convert::Infallible;

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, Route};
use contract_openapi::{Operation, SpecBuilder};
use http::Method;
use tower::{Layer, Service};

use crate::api::{DocumentedHandler, HandlerDoc, OperationInputs, OperationOutput};

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
