//! The router, its state, and the OpenAPI document it serves.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use contract_axum::idempotency::{IdempotencyKeys, SqlStore};
use contract_axum::metrics::MetricsLayer;
use contract_axum::{ApiRouter, Catalog, Contract, get, post};
use http::{StatusCode, header};
use serde_json::Value;

use crate::auth::{Keys, Principals};
use crate::db::Db;
use crate::jobs::Jobs;
use crate::{health, imports, seminars, users};

/// What handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub(crate) store: Db,
    pub(crate) keys: Arc<Keys>,
    pub(crate) principals: Arc<Principals>,
    /// The job queue, where imports are queued; without one, imports
    /// answer `503`.
    pub(crate) jobs: Option<Jobs>,
}

/// How long a token's user is trusted to exist without asking the database,
/// by default.
pub const DEFAULT_AUTH_CACHE_TTL: Duration = Duration::from_secs(5);

impl AppState {
    /// State over a connected store, signing tokens with `secret`, with an
    /// authentication cache of [`DEFAULT_AUTH_CACHE_TTL`].
    pub fn new(store: Db, secret: &str) -> Self {
        Self {
            store,
            keys: Arc::new(Keys::new(secret)),
            principals: Arc::new(Principals::new(DEFAULT_AUTH_CACHE_TTL)),
            jobs: None,
        }
    }

    /// Queues long-running operations (imports) on `jobs`.
    pub fn with_jobs(mut self, jobs: Jobs) -> Self {
        self.jobs = Some(jobs);
        self
    }

    /// How long a token's user is trusted to exist after the database last
    /// said so: a user deleted behind the server's back keeps access that
    /// long. Zero asks the database on every request.
    pub fn auth_cache_ttl(mut self, ttl: Duration) -> Self {
        self.principals = Arc::new(Principals::new(ttl));
        self
    }
}

/// The messages: the built-in catalog plus the seminar's own codes, in
/// every built-in locale, from `locales/*.ftl` (embedded at build time; a
/// new locale is one more file there).
pub fn catalog() -> Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| {
            Catalog::new()
                .with_files(contract_axum::include_ftl!("locales"))
                .expect("the build checked the .ftl syntax")
        })
        .clone()
}

/// The error policy, for the layer and the spec alike: validation failures
/// are 400 in this API (the course's status), bodies are at most 64 KiB and
/// must arrive within 10 s. Developer detail stays in the logs in every
/// profile: bodies are what clients (and their crash reporters) keep.
fn contract() -> Contract {
    Contract::new()
        .catalog(catalog())
        .validation_status(StatusCode::BAD_REQUEST)
        .body_limit(64 * 1024)
        .body_timeout(Duration::from_secs(10))
        .debug(false)
}

fn api() -> ApiRouter<AppState> {
    let mut spec = contract().spec("Seminar API", env!("CARGO_PKG_VERSION"));
    spec.description(
        "The seminar API: users sign up as participants or instructors, instructors run \
         seminars, participants join and drop them.\n\nEvery response property is always \
         present; only those typed with `null` may be null. Every error is an `ApiError` \
         envelope; each operation lists its codes in `x-error-codes`.",
    )
    .license("MIT OR Apache-2.0", "MIT OR Apache-2.0")
    .server("/", "This server")
    .tag("users", "Signing up, logging in, and the users' profiles")
    .tag("seminars", "Seminars, and joining and dropping them")
    .tag(
        "operations",
        "Long-running operations (imports): their status, polled until final",
    )
    .tag(
        "health",
        "Liveness and readiness, for load balancers and orchestrators",
    )
    .security_scheme(crate::auth::JWT);
    ApiRouter::new(spec)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .nest("/api/v1", |v1| {
            v1.route("/signup/", post(users::signup))
                .route("/login/", post(users::login))
                .route("/user/participant/", post(users::add_participant))
                .route(
                    "/user/{user_id}/",
                    get(users::get_user).put(users::update_me),
                )
                .route(
                    "/seminar/",
                    post(seminars::create_seminar)
                        .idempotent()
                        .get(seminars::list_seminars),
                )
                .route(
                    "/seminar/import/",
                    post(imports::start_import).layer(DefaultBodyLimit::max(imports::MAX_BYTES)),
                )
                .route(
                    "/operations/{operation_id}/",
                    get(imports::get_operation).delete(imports::cancel_operation),
                )
                .route(
                    "/seminar/{seminar_id}/",
                    get(seminars::get_seminar).put(seminars::update_seminar),
                )
                .route(
                    "/seminar/{seminar_id}/user/",
                    post(seminars::join_seminar)
                        .idempotent()
                        .delete(seminars::drop_seminar),
                )
        })
}

/// The OpenAPI document, as committed in `openapi/seminar.json`.
pub fn openapi() -> Value {
    api().into_parts().1.build()
}

/// The router: the API, `/openapi.json`, `/docs` (Swagger UI) and
/// `/docs/classes`, `/metrics`, contract's layer, the access log and the
/// metrics.
pub fn app(state: AppState) -> Router {
    let (api, spec) = api().into_parts();
    let spec = Bytes::from(serde_json::to_vec_pretty(&spec.build()).expect("the spec serializes"));
    let docs = Router::new()
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                std::future::ready(([(header::CONTENT_TYPE, "application/json")], spec.clone()))
            }),
        )
        // Swagger UI at /docs (try-it-out against this server), the
        // nullability classes at /docs/classes; both offline.
        .merge(contract_axum::swagger_ui("/openapi.json"))
        .route("/metrics", axum::routing::get(crate::prometheus::render));
    crate::prometheus::install();
    let idempotency = IdempotencyKeys::new(SqlStore::new(state.store.pool().clone()));
    api.with_state(state)
        .layer(axum::Extension(idempotency))
        .merge(docs)
        .layer(contract().layer())
        .layer(axum::middleware::from_fn(crate::access::access_log))
        .layer(MetricsLayer::new())
}
