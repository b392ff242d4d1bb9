//! A fixture app that can produce every kind of failure contract handles,
//! for the cross-crate tests.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use contract_axum::{
    ApiError, ApiRouter, Created, ErrorCode, ErrorLayer, Json, Matching, NOT_BLANK, Patch, Path,
    Query, SpecBuilder, TextRule, get_with, post_with, put_with,
};
use http::StatusCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use validator::Validate;

/// `"HH:MM"` (24-hour): the rule of [`Time`], stated once.
#[derive(Debug)]
pub struct HhMm;

impl TextRule for HhMm {
    const PATTERN: &'static str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
    const CODE: ErrorCode = ErrorCode::from_static("invalid_time");
    const DESCRIPTION: &'static str = "A time of day, `HH:MM` (24-hour).";
}

/// A time of day, `"HH:MM"` (24-hour).
pub type Time = Matching<HhMm>;

/// A seminar to create.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct NewSeminar {
    /// The name.
    #[validate(regex(path = *NOT_BLANK, code = "blank"), length(max = 100))]
    pub name: String,
    /// How many may join.
    #[validate(range(min = 1))]
    pub capacity: u32,
    /// How many sessions.
    #[validate(range(min = 1))]
    pub count: u32,
    /// When.
    pub time: Time,
    /// Online or not.
    #[serde(default)]
    pub online: Option<bool>,
    /// The host.
    #[serde(default)]
    #[validate(nested)]
    pub host: Option<Host>,
}

/// A nested object.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct Host {
    /// Contact email.
    #[validate(email)]
    pub email: String,
    /// Tags.
    #[validate(nested)]
    pub tags: Vec<Tag>,
}

/// A nested list item.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct Tag {
    /// Label.
    #[validate(length(min = 2, max = 10))]
    pub label: String,
}

/// Path of `/items/{item_id}`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct ItemPath {
    /// The item.
    #[validate(range(min = 1))]
    pub item_id: u32,
}

/// Query of `/items`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct ItemQuery {
    /// Page size.
    #[validate(range(min = 1, max = 100))]
    pub limit: Option<u32>,
    /// Only active ones.
    pub active: Option<bool>,
}

/// The fixture's own errors.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum JoinError {
    /// Full.
    #[error("seminar {0} is full")]
    #[api(status = 400, code = "seminar_full")]
    Full(u32),
    /// Unknown.
    #[error("no seminar {0}")]
    #[api(status = 404, code = "not_found")]
    NotFound(u32),
    /// Storage failed.
    #[error("storage failed: {0}")]
    #[api(internal)]
    Storage(String),
}

/// A seminar as answered: every property present, nullable only where the
/// type says so.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Seminar {
    /// The name (required).
    pub name: String,
    /// How many may join; null when unlimited (required-nullable scalar).
    pub capacity: Option<u32>,
    /// The host; null when none (required-nullable reference).
    pub host: Option<HostView>,
    /// Tags, `[]` when none (arrays are never null).
    pub tags: Vec<String>,
}

/// A host as answered.
#[derive(Debug, Serialize, JsonSchema)]
pub struct HostView {
    /// Contact email.
    pub email: String,
}

/// A partial update: optional, optional-nullable and tri-state fields.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct SeminarUpdate {
    /// Optional: absent keeps the name (a default, never null).
    #[serde(default = "keep")]
    #[validate(length(max = 100))]
    pub name: String,
    /// Optional and nullable: absent or null keeps it.
    #[serde(default)]
    pub online: Option<bool>,
    /// Tri-state: absent keeps, null clears, a value sets.
    #[serde(default)]
    pub capacity: Patch<u32>,
}

/// A level, documented per value: a string enum in the spec.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// For newcomers.
    Beginner,
    /// For everyone else.
    Advanced,
}

/// The shapes client generators must type right: an enum, a nullable enum,
/// a map, 64-bit integers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Catalog {
    /// A 64-bit id.
    pub id: i64,
    /// A documented unit enum.
    pub level: Level,
    /// A nullable enum; null at the top level.
    pub next_level: Option<Level>,
    /// Counts by name (a map).
    pub counts: BTreeMap<String, i64>,
    /// A small count (`u8` in Rust).
    pub rating: u8,
}

async fn catalog() -> Json<Catalog> {
    Json(Catalog {
        id: 1,
        level: Level::Beginner,
        next_level: Some(Level::Advanced),
        counts: BTreeMap::from([("rust".to_owned(), 3)]),
        rating: 5,
    })
}

fn keep() -> String {
    String::new()
}

async fn create(Json(new): Json<NewSeminar>) -> Created<Json<Seminar>> {
    Created(Json(Seminar {
        name: new.name,
        capacity: Some(new.capacity),
        host: None,
        tags: Vec::new(),
    }))
}

async fn update(
    Path(p): Path<ItemPath>,
    Json(u): Json<SeminarUpdate>,
) -> Result<Json<Seminar>, JoinError> {
    if p.item_id == 9 {
        return Err(JoinError::NotFound(9));
    }
    let host = matches!(u.capacity, Patch::Value(_)).then(|| HostView {
        email: "h@example.com".into(),
    });
    Ok(Json(Seminar {
        name: u.name,
        capacity: u.capacity.into_option().flatten(),
        host,
        tags: vec!["rust".into()],
    }))
}

async fn item(Path(p): Path<ItemPath>, Query(q): Query<ItemQuery>) -> Json<(u32, Option<u32>)> {
    Json((p.item_id, q.limit))
}

async fn join(Path(p): Path<ItemPath>) -> Result<Json<u32>, JoinError> {
    match p.item_id {
        1 => Err(JoinError::Full(1)),
        2 => Err(JoinError::Storage(
            "UNIQUE constraint failed: users.email at db.rs:12".into(),
        )),
        id => Err(JoinError::NotFound(id)),
    }
}

async fn boom() -> &'static str {
    panic!("secret panic payload at src/lib.rs");
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

fn api() -> ApiRouter {
    let mut spec = SpecBuilder::new("contract fixture", "1.0.0");
    spec.validation_status(400).catalog(messages());
    ApiRouter::new(spec)
        .route(
            "/seminars",
            post_with(create, |op| {
                op.summary("Create a seminar");
            }),
        )
        .route(
            "/seminars/{item_id}",
            put_with(update, |op| {
                op.summary("Update a seminar partially");
            }),
        )
        .route(
            "/items/{item_id}",
            get_with(item, |op| {
                op.summary("Read an item");
            })
            .delete_with(item, |op| {
                op.summary("Delete an item");
            }),
        )
        .route(
            "/items/{item_id}/join",
            post_with(join, |op| {
                op.summary("Join an item");
            }),
        )
        .route(
            "/catalog",
            get_with(catalog, |op| {
                op.summary("Read the catalog");
            }),
        )
}

/// The fixture's OpenAPI document, as committed in `openapi/fixture.json`.
pub fn openapi() -> serde_json::Value {
    api().into_parts().1.build()
}

/// The fixture router with contract's layer (validation status `status`).
pub fn app(validation_status: StatusCode) -> Router {
    let (router, _) = api().into_parts();
    router
        .route(
            "/small",
            axum::routing::post(create).layer(DefaultBodyLimit::max(64)),
        )
        .route("/panic", get(boom))
        .route(
            "/slow",
            get(slow).layer(TimeoutLayer::with_status_code(
                StatusCode::GATEWAY_TIMEOUT,
                Duration::from_millis(50),
            )),
        )
        .layer(RequestBodyTimeoutLayer::new(Duration::from_millis(200)))
        .layer(
            ErrorLayer::new()
                .catalog(messages())
                .validation_status(validation_status),
        )
}

/// The fixture's messages: the built-in catalog plus every file of
/// `tests/locales` (its own code in English and Korean, and a whole ninth
/// locale, Italian, that no Rust code names).
pub fn messages() -> contract_axum::Catalog {
    contract_axum::Catalog::new()
        .with_files(contract_axum::include_ftl!("locales"))
        .expect("the fixture's .ftl files load")
}
