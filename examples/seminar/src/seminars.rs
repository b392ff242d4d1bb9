//! Seminars: create, update, read, list, join, drop.

use axum::extract::State;
use contract_axum::{Created, IfMatch, Json, Matching, Page, Paging, Path, Query, Tagged, handler};
use schemars::JsonSchema;
use serde::Deserialize;
use validator::Validate;

use crate::AppState;
use crate::auth::AuthUser;
use crate::errors::{
    CreateSeminarError, DropError, JoinError, ListError, NotFoundError, UpdateSeminarError,
};
use crate::models::{SeminarDetail, SeminarSummary};
use crate::store::{NewSeminar, Role, SeminarPatch};
use crate::types::{LenientBool, Line, NoControl, Time};

/// `POST /seminar/`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub(crate) struct SeminarBody {
    /// 1-100 characters, not blank; stored trimmed.
    #[serde(deserialize_with = "trimmed")]
    #[validate(length(min = 1, max = 100))]
    name: Matching<Line>,
    /// How many active participants it takes, at least 1.
    #[validate(range(min = 1, max = 2147483647))]
    capacity: i64,
    /// Number of sessions, at least 1.
    #[validate(range(min = 1, max = 2147483647))]
    count: i64,
    /// When, `HH:MM` (24-hour).
    time: Time,
    /// Online or not; `true` when missing.
    #[serde(default)]
    online: Option<LenientBool>,
}

impl SeminarBody {
    /// The seminar to open.
    pub(crate) fn into_new(self) -> NewSeminar {
        NewSeminar {
            name: self.name.into_inner(),
            capacity: self.capacity,
            count: self.count,
            time: self.time.into_inner(),
            online: self.online.is_none_or(|b| b.0),
        }
    }
}

/// A seminar name, trimmed, so that its length rules count the trimmed text
/// (`seminar-api.md`: "1-100 characters after trimming"). A blank name is
/// left as sent, to be refused as `blank`.
fn trim_name<E: serde::de::Error>(name: String) -> Result<Matching<Line>, E> {
    let name = match name.trim() {
        "" => name,
        trimmed => trimmed.to_owned(),
    };
    Matching::new(name).map_err(E::custom)
}

/// Deserializes a name with [`trim_name`].
fn trimmed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Matching<Line>, D::Error> {
    trim_name(String::deserialize(d)?)
}

/// Deserializes an optional name with [`trim_name`].
fn trimmed_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Matching<Line>>, D::Error> {
    Option::<String>::deserialize(d)?.map(trim_name).transpose()
}

/// Open a seminar (instructors)
///
/// Opens a seminar; the caller, an instructor, runs it.
#[handler(tag = "seminars")]
pub(crate) async fn create_seminar(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<SeminarBody>,
) -> Result<Created<Tagged<SeminarDetail>>, CreateSeminarError> {
    let id = state.store.create_seminar(auth.id, body.into_new()).await?;
    Ok(Created(Tagged(state.store.get_seminar(id).await?)))
}

/// The `{seminar_id}` of `/seminar/{seminar_id}/...`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub(crate) struct SeminarPath {
    /// The seminar's id.
    #[validate(range(min = 1))]
    seminar_id: i64,
}

/// `PUT /seminar/{seminar_id}/`: every field optional.
#[derive(Debug, Default, Deserialize, Validate, JsonSchema)]
pub(crate) struct SeminarUpdateBody {
    /// 1-100 characters, not blank.
    #[serde(default, deserialize_with = "trimmed_opt")]
    #[validate(length(min = 1, max = 100))]
    name: Option<Matching<Line>>,
    /// At least 1, and not below the active participants.
    #[serde(default)]
    #[validate(range(min = 1, max = 2147483647))]
    capacity: Option<i64>,
    /// At least 1.
    #[serde(default)]
    #[validate(range(min = 1, max = 2147483647))]
    count: Option<i64>,
    /// `HH:MM` (24-hour).
    #[serde(default)]
    time: Option<Time>,
    /// Online or not.
    #[serde(default)]
    online: Option<LenientBool>,
}

/// Update a seminar (its instructors)
///
/// Updates a seminar; its instructors only.
#[handler(tag = "seminars")]
pub(crate) async fn update_seminar(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(path): Path<SeminarPath>,
    if_match: IfMatch,
    body: Option<Json<SeminarUpdateBody>>,
) -> Result<Tagged<SeminarDetail>, UpdateSeminarError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let patch = SeminarPatch {
        name: body.name.map(Matching::into_inner),
        capacity: body.capacity,
        count: body.count,
        time: body.time.map(Time::into_inner),
        online: body.online.map(|b| b.0),
    };
    let current = |seminar: &SeminarDetail| if_match.matches(seminar);
    Ok(Tagged(
        state
            .store
            .update_seminar(auth.id, path.seminar_id, patch, current)
            .await?,
    ))
}

/// Read a seminar
///
/// Reads a seminar.
#[handler(tag = "seminars")]
pub(crate) async fn get_seminar(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(path): Path<SeminarPath>,
) -> Result<Tagged<SeminarDetail>, NotFoundError> {
    Ok(Tagged(state.store.get_seminar(path.seminar_id).await?))
}

/// `GET /seminar/` query; other parameters are ignored.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub(crate) struct ListQuery {
    /// Only seminars whose name contains this text (any letter case); no
    /// control characters, which no name holds.
    // PostgreSQL cannot take a NUL in a text: refused here, not answered 500.
    #[serde(default)]
    name: Option<Matching<NoControl>>,
    /// `earliest` lists the oldest first; other values are ignored.
    #[serde(default)]
    order: Option<String>,
}

/// List seminars
///
/// Lists seminars, newest first unless `order=earliest`, a page at a time:
/// the next page is the `Link` header's `rel="next"`.
#[handler(tag = "seminars")]
pub(crate) async fn list_seminars(
    State(state): State<AppState>,
    _auth: AuthUser,
    Query(query): Query<ListQuery>,
    paging: Paging,
) -> Result<Page<SeminarSummary>, ListError> {
    let earliest = query.order.as_deref() == Some("earliest");
    let name = query.name.as_deref().filter(|n| !n.is_empty());
    let after = paging.after()?;
    let (page, next) = state
        .store
        .list_seminars(name, earliest, after, paging.limit())
        .await?;
    Ok(paging.page(page, next))
}

/// `POST /seminar/{seminar_id}/user/`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub(crate) struct JoinBody {
    /// The role to join in.
    role: Role,
}

/// Join a seminar
///
/// Joins a seminar as a participant or an instructor.
#[handler(tag = "seminars")]
pub(crate) async fn join_seminar(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(path): Path<SeminarPath>,
    Json(body): Json<JoinBody>,
) -> Result<Created<Tagged<SeminarDetail>>, JoinError> {
    Ok(Created(Tagged(
        state
            .store
            .join(auth.id, path.seminar_id, body.role)
            .await?,
    )))
}

/// Drop a seminar
///
/// Drops a seminar (participants); dropping again changes nothing.
#[handler(tag = "seminars")]
pub(crate) async fn drop_seminar(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(path): Path<SeminarPath>,
) -> Result<Tagged<SeminarDetail>, DropError> {
    Ok(Tagged(
        state.store.drop_seminar(auth.id, path.seminar_id).await?,
    ))
}
