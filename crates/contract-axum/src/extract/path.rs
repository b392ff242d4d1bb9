//! [`Path`]: path parameters, parsed, validated, every problem at once.

use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, RawPathParams};
use contract_core::{Error, ErrorCode, Violation};
use http::request::Parts;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// Path parameters as `T`: a struct whose fields are named like the route's
/// parameters, a scalar (`Path<i32>`) for one parameter, or a tuple
/// (`Path<(i64, String)>`) for several, in the route's order. The rules
/// are the ones `T`'s schema states (its `#[validate(...)]` range, length,
/// pattern...): see the `extract::params` module for why. A parameter that does not parse, such as `abc`
/// for an integer id, is `validation_failed` with the parameter's name as
/// `field`: the route matched, the value is wrong (a 4xx the client can act
/// on, not a `not_found`).
///
/// ```
/// use contract_axum::Path;
/// use serde::Deserialize;
///
/// #[derive(Deserialize, validator::Validate, schemars::JsonSchema)]
/// struct SeminarPath {
///     #[validate(range(min = 1))]
///     seminar_id: u32,
/// }
///
/// async fn get(Path(p): Path<SeminarPath>) -> String {
///     p.seminar_id.to_string()
/// }
/// # let _ = axum::Router::<()>::new().route("/seminar/{seminar_id}/", axum::routing::get(get));
///
/// async fn by_id(Path(id): Path<i64>) -> String {
///     id.to_string()
/// }
/// # let _ = axum::Router::<()>::new().route("/user/{id}/", axum::routing::get(by_id));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + JsonSchema + Send + 'static,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => {
                if super::params::has_rules::<T>() {
                    super::params::check::<T>(&pairs(parts, state).await?)?;
                }
                Ok(Path(value))
            }
            Err(rejection) => {
                if let Some(err) = undecodable(&rejection) {
                    return Err(err);
                }
                let pairs = pairs(parts, state).await?;
                if pairs.is_empty() {
                    return Err(Error::internal().with_detail(rejection.body_text()));
                }
                super::params::recover(&pairs, rejection.body_text()).map(Path)
            }
        }
    }
}

/// A parameter whose percent-decoded bytes are not UTF-8 (`%FF`,
/// `%C0%AF`): the client's fault, `validation_failed` naming the parameter.
fn undecodable(rejection: &PathRejection) -> Option<Error> {
    let PathRejection::FailedToDeserializePathParams(failed) = rejection else {
        return None;
    };
    let ErrorKind::InvalidUtf8InPathParam { key } = failed.kind() else {
        return None;
    };
    Some(
        Error::validation(vec![Violation::new(key.clone(), ErrorCode::INVALID_FORMAT)])
            .with_detail(rejection.body_text()),
    )
}

/// The route's parameters as (name, text) pairs, in the route's order.
async fn pairs<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<Vec<(String, String)>, Error> {
    let raw = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|e| Error::internal().with_detail(e.body_text()))?;
    Ok(raw
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}
