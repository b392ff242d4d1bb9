//! [`Path`]: path parameters, parsed, validated, every problem at once.

use axum::extract::{FromRequestParts, RawPathParams};
use contract_core::Error;
use http::request::Parts;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use validator::Validate;

/// Path parameters as `T`, a struct whose fields are named like the route's
/// parameters (validated). A parameter that does not parse, such as `abc`
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
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Validate + JsonSchema + Send + 'static,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => {
                if let super::Gate::Walk(errors) = super::gate(&value, false) {
                    let schema = crate::collect::schema_of::<T>();
                    let raw = RawPathParams::from_request_parts(parts, state).await;
                    let pairs = raw.map(|r| pairs(&r)).unwrap_or_default();
                    super::decide_params(&schema, &pairs, errors)?;
                }
                Ok(Path(value))
            }
            Err(rejection) => {
                let raw = RawPathParams::from_request_parts(parts, state)
                    .await
                    .map_err(|e| Error::internal().with_detail(e.body_text()))?;
                let pairs = pairs(&raw);
                if pairs.is_empty() {
                    return Err(Error::internal().with_detail(rejection.body_text()));
                }
                super::recover_params(&pairs, rejection.body_text()).map(Path)
            }
        }
    }
}

/// The raw parameters as owned (name, text) pairs.
fn pairs(raw: &RawPathParams) -> Vec<(String, String)> {
    raw.iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}
