//! [`Query`]: a query string, parsed, validated, every problem at once.

use axum::extract::FromRequestParts;
use contract_core::Error;
use http::request::Parts;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use validator::Validate;

/// A query string as `T` (validated). On failure: `validation_failed` with
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
    T: DeserializeOwned + Validate + JsonSchema + 'static,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        match serde_urlencoded::from_str::<T>(query) {
            Ok(value) => {
                if let super::Gate::Walk(errors) = super::gate(&value, false) {
                    let schema = crate::collect::schema_of::<T>();
                    let pairs: Vec<(String, String)> =
                        serde_urlencoded::from_str(query).unwrap_or_default();
                    super::decide_params(&schema, &pairs, errors)?;
                }
                Ok(Query(value))
            }
            Err(serde_error) => {
                let pairs: Vec<(String, String)> =
                    serde_urlencoded::from_str(query).map_err(|e| {
                        Error::from_status(http::StatusCode::BAD_REQUEST).with_detail(e)
                    })?;
                super::recover_params(&pairs, serde_error).map(Query)
            }
        }
    }
}
