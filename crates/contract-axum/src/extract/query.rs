//! [`Query`]: a query string, parsed, validated, every problem at once.

use axum::extract::FromRequestParts;
use contract_core::Error;
use http::request::Parts;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// A query string as `T`, held to the rules `T`'s schema states (its
/// `#[validate(...)]` range, length, pattern...; see the `extract::params`
/// module for why not `validator` itself), so a type without rules needs
/// no `Validate`. On failure: `validation_failed` with
/// one violation per parameter at fault, named by the parameter.
///
/// ```
/// use contract_axum::Query;
/// use serde::Deserialize;
///
/// #[derive(Deserialize, validator::Validate, schemars::JsonSchema)]
/// struct Page {
///     #[validate(range(min = 1, max = 100))]
///     limit: Option<u32>,
/// }
///
/// async fn list(Query(page): Query<Page>) -> String {
///     format!("{:?}", page.limit)
/// }
/// # let _: axum::routing::MethodRouter = axum::routing::get(list);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned + JsonSchema + 'static,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        match serde_urlencoded::from_str::<T>(query) {
            Ok(value) => {
                if super::params::has_rules::<T>() {
                    let pairs: Vec<(String, String)> =
                        serde_urlencoded::from_str(query).unwrap_or_default();
                    super::params::check::<T>(&pairs)?;
                }
                Ok(Query(value))
            }
            Err(serde_error) => {
                let pairs: Vec<(String, String)> =
                    serde_urlencoded::from_str(query).map_err(|e| {
                        Error::from_status(http::StatusCode::BAD_REQUEST).with_detail(e)
                    })?;
                super::params::recover(&pairs, serde_error).map(Query)
            }
        }
    }
}
