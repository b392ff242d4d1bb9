//! Users: sign up, log in, read a profile, update oneself, become a
//! participant.

use axum::extract::State;
use contract_axum::{Created, Json, Matching, Patch, Path, handler};
use schemars::JsonSchema;
use serde::Deserialize;
use validator::Validate;

use crate::AppState;
use crate::auth::AuthUser;
use crate::errors::{AddParticipantError, LoginError, NotFoundError, SignupError, UpdateUserError};
use crate::models::{AuthenticatedUser, User};
use crate::password;
use crate::store::{NewUser, Role, UserPatch};
use crate::types::{Letters, Line, NoControl, UserRef, Years, both_names_or_neither};

/// `POST /signup/`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
#[schemars(transform = both_names_or_neither)]
pub(crate) struct SignupBody {
    /// The email address; unique.
    #[validate(email, length(max = 254))]
    email: String,
    /// The username; unique.
    #[validate(length(min = 1, max = 150))]
    username: Matching<Line>,
    /// 8-128 characters.
    #[validate(length(min = 8, max = 128))]
    password: String,
    /// Letters only; give both names or neither. `""` counts as not given.
    #[serde(default)]
    #[validate(length(max = 30))]
    first_name: Option<Matching<Letters>>,
    /// Letters only; give both names or neither. `""` counts as not given.
    #[serde(default)]
    #[validate(length(max = 30))]
    last_name: Option<Matching<Letters>>,
    /// The first profile.
    role: Role,
    /// Participants only; `""` when missing or null.
    #[serde(default)]
    #[validate(length(max = 100))]
    university: Option<Matching<NoControl>>,
    /// Participants only; `true` when missing or null.
    #[serde(default)]
    accepted: Option<bool>,
    /// Instructors only; `""` when missing or null.
    #[serde(default)]
    #[validate(length(max = 100))]
    company: Option<Matching<NoControl>>,
    /// Instructors only: years of experience, 0 to 100; null when missing.
    #[serde(default)]
    year: Option<Years>,
}

/// The names, when both are given (`""` counts as not given). The body's
/// rule ([`both_names_or_neither`]) has refused one without the other.
fn names(
    first: Option<Matching<Letters>>,
    last: Option<Matching<Letters>>,
) -> Option<(String, String)> {
    let given =
        |s: Option<Matching<Letters>>| s.map(Matching::into_inner).filter(|s| !s.is_empty());
    given(first).zip(given(last))
}

/// Sign up
///
/// Signs up with a first profile; answers the user and a token.
#[handler(tag = "users")]
pub(crate) async fn signup(
    State(state): State<AppState>,
    Json(body): Json<SignupBody>,
) -> Result<Created<Json<AuthenticatedUser>>, SignupError> {
    let (first_name, last_name) = names(body.first_name, body.last_name).unwrap_or_default();
    let password_hash = password::hash_async(body.password).await;
    let id = state
        .store
        .create_user(NewUser {
            email: body.email,
            username: body.username.into_inner(),
            password_hash,
            first_name,
            last_name,
            role: body.role,
            university: body.university.map(Matching::into_inner),
            accepted: body.accepted,
            company: body.company.map(Matching::into_inner),
            year: body.year.map(i64::from),
        })
        .await?;
    let user = state.store.get_user(id).await?;
    let token = state.keys.issue(id)?;
    Ok(Created(Json(AuthenticatedUser { user, token })))
}

/// `POST /login/`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub(crate) struct LoginBody {
    /// The email address signed up with.
    email: String,
    /// The password.
    password: String,
}

/// Log in
///
/// Logs in; answers the user (with `last_login` now) and a token.
#[handler(tag = "users")]
pub(crate) async fn login(
    State(state): State<AppState>,
    Json(body): Json<LoginBody>,
) -> Result<Json<AuthenticatedUser>, LoginError> {
    let found = state.store.find_login(&body.email).await?;
    // Verify against a fixed hash when the email is unknown, so both
    // failures take the same time.
    let (id, hash) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, password::dummy_hash().to_owned()),
    };
    let ok = password::verify_async(body.password, hash).await;
    let Some(id) = id.filter(|_| ok) else {
        return Err(LoginError::InvalidCredentials);
    };
    state.store.touch_last_login(id).await?;
    let user = state.store.get_user(id).await?;
    let token = state.keys.issue(id)?;
    Ok(Json(AuthenticatedUser { user, token }))
}

/// The `{user_id}` of `/user/{user_id}/`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub(crate) struct UserPath {
    /// `me` or a user id.
    user_id: UserRef,
}

/// Read a user (`me` for the caller)
///
/// Reads a user.
#[handler(tag = "users")]
pub(crate) async fn get_user(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(path): Path<UserPath>,
) -> Result<Json<User>, NotFoundError> {
    let id = path.user_id.resolve(auth.id);
    Ok(Json(state.store.get_user(id).await?))
}

/// `PUT /user/me/`: every field optional.
#[derive(Debug, Default, Deserialize, Validate, JsonSchema)]
#[schemars(transform = both_names_or_neither)]
pub(crate) struct UpdateMeBody {
    /// A new username; unique.
    #[serde(default)]
    #[validate(length(min = 1, max = 150))]
    username: Option<Matching<Line>>,
    /// Letters only; both names or neither.
    #[serde(default)]
    #[validate(length(max = 30))]
    first_name: Option<Matching<Letters>>,
    /// Letters only; both names or neither.
    #[serde(default)]
    #[validate(length(max = 30))]
    last_name: Option<Matching<Letters>>,
    /// A new password, 8-128 characters.
    #[serde(default)]
    #[validate(length(min = 8, max = 128))]
    password: Option<String>,
    /// Participants only; `""` or null clears it.
    #[serde(default, deserialize_with = "null_as_empty")]
    #[validate(length(max = 100))]
    university: Option<Matching<NoControl>>,
    /// Instructors only; `""` or null clears it.
    #[serde(default, deserialize_with = "null_as_empty")]
    #[validate(length(max = 100))]
    company: Option<Matching<NoControl>>,
    /// Instructors only: absent leaves it, null clears it, a number from 0
    /// to 100 sets it.
    #[serde(default)]
    year: Patch<Years>,
}

/// A present field, null read as `""` (an absent one stays `None` through
/// `#[serde(default)]`): a null `university` or `company` clears it.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Matching<NoControl>>, D::Error> {
    match Option::deserialize(d)? {
        Some(text) => Ok(Some(text)),
        None => Matching::new("")
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// Update the caller (`me`); every field optional
///
/// Updates the caller (only `me`, or the caller's own id).
#[handler(tag = "users")]
pub(crate) async fn update_me(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(path): Path<UserPath>,
    body: Option<Json<UpdateMeBody>>,
) -> Result<Json<User>, UpdateUserError> {
    if path.user_id.resolve(auth.id) != auth.id {
        return Err(UpdateUserError::Forbidden);
    }
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let names = names(body.first_name, body.last_name);
    let patch = UserPatch {
        username: body.username.map(Matching::into_inner),
        names,
        password_hash: match body.password {
            Some(p) => Some(password::hash_async(p).await),
            None => None,
        },
        university: body.university.map(Matching::into_inner),
        company: body.company.map(Matching::into_inner),
        year: body.year.map(i64::from),
    };
    Ok(Json(state.store.update_me(auth.id, patch).await?))
}

/// `POST /user/participant/`: optional body.
#[derive(Debug, Default, Deserialize, Validate, JsonSchema)]
pub(crate) struct ParticipantBody {
    /// `""` when missing or null.
    #[serde(default)]
    #[validate(length(max = 100))]
    university: Option<Matching<NoControl>>,
    /// `true` when missing or null.
    #[serde(default)]
    accepted: Option<bool>,
}

/// Add a participant profile to the caller
///
/// Adds a participant profile to the caller.
#[handler(tag = "users")]
pub(crate) async fn add_participant(
    State(state): State<AppState>,
    auth: AuthUser,
    body: Option<Json<ParticipantBody>>,
) -> Result<Created<Json<User>>, AddParticipantError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    state
        .store
        .add_participant(
            auth.id,
            body.university
                .map(Matching::into_inner)
                .unwrap_or_default(),
            body.accepted.unwrap_or(true),
        )
        .await?;
    Ok(Created(Json(state.store.get_user(auth.id).await?)))
}
