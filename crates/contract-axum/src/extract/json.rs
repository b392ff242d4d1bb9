//! [`Json`]: a JSON body, parsed, validated, and rejected with every problem.

use axum::extract::{FromRequest, OptionalFromRequest, Request};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use contract_core::Error;
use http::header::{self, HeaderMap};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use validator::Validate;

/// A JSON request body (validated) or response body.
///
/// As an extractor it answers, through [`ErrorLayer`](crate::ErrorLayer):
/// - `unsupported_media_type` (415) when `Content-Type` is not JSON;
/// - `payload_too_large` (413) over the body limit (axum's
///   `DefaultBodyLimit`, 2 MB unless changed);
/// - `malformed_body` (400) when the body is not JSON or not the JSON value
///   the type takes (an array for an object);
/// - `validation_failed` with **every** field at fault: absent (`required`),
///   `null` where not allowed, wrong types (`not_integer`, ...), and the
///   `validator` rules, in request order.
///
/// The happy path is one typed parse and `validate()`.
///
/// ```
/// use contract_axum::Json;
/// use serde::Deserialize;
///
/// #[derive(Deserialize, validator::Validate, schemars::JsonSchema)]
/// struct NewSeminar {
///     #[validate(length(min = 1, max = 100))]
///     name: String,
///     #[validate(range(min = 1))]
///     capacity: u32,
/// }
///
/// async fn create(Json(body): Json<NewSeminar>) -> Json<u32> {
///     Json(body.capacity)
/// }
/// # let _: axum::routing::MethodRouter = axum::routing::post(create);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE) else {
        return false;
    };
    // What nearly every client sends, without parsing.
    ct.as_bytes().eq_ignore_ascii_case(b"application/json")
        || ct
            .to_str()
            .is_ok_and(contract_openapi::document::is_json_media)
}

/// The request's body, read as [`Json`] reads it: under axum's
/// `DefaultBodyLimit` and the body deadline, and failing with the same
/// errors: `payload_too_large` (413) over the limit, `timeout` (408) when
/// the body does not arrive in time, `malformed_body` (400) when the
/// connection breaks. For an extractor of another media type (CSV, XML),
/// so its slow or oversized bodies are answered as JSON ones are.
///
/// ```
/// use axum::extract::{FromRequest, Request};
/// use contract_axum::Error;
///
/// /// A `text/csv` body.
/// struct Csv(String);
///
/// impl<S: Send + Sync> FromRequest<S> for Csv {
///     type Rejection = Error;
///
///     async fn from_request(req: Request, _: &S) -> Result<Self, Error> {
///         let bytes = contract_axum::body_bytes(req).await?;
///         String::from_utf8(bytes.into())
///             .map(Csv)
///             .map_err(|e| Error::malformed_body().with_detail(e.to_string()))
///     }
/// }
/// ```
//
// Only the body is held across the await: holding the whole `Request` (as
// `Bytes::from_request` does) made the handler's boxed future pass 1 KiB,
// which glibc serves from its large bins after consolidating the fast
// bins, on every request.
pub fn body_bytes(req: Request) -> impl Future<Output = Result<Bytes, Error>> + Send {
    let body = axum::RequestExt::into_limited_body(req);
    async move {
        match http_body_util::BodyExt::collect(body).await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(e) => Err(body_error(e)),
        }
    }
}

/// A body that could not be read: too large, too slow, or broken.
fn body_error(err: axum::Error) -> Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return Error::payload_too_large().with_detail(err.to_string());
        }
        if e.is::<crate::deadline::BodyDeadlineElapsed>()
            || e.is::<tower_http::timeout::TimeoutError>()
        {
            return Error::from_status(http::StatusCode::REQUEST_TIMEOUT)
                .with_detail(err.to_string());
        }
        source = e.source();
    }
    Error::malformed_body().with_detail(err.to_string())
}

/// Parses and validates a JSON body; every problem at once on failure.
pub(crate) fn decode<T>(bytes: &[u8]) -> Result<T, Error>
where
    T: DeserializeOwned + Validate + JsonSchema + 'static,
{
    match serde_json::from_slice::<T>(bytes) {
        Ok(value) => {
            // serde's derived structs also take a JSON array of their fields
            // in order (`[null, null]`); the schema takes only an object.
            // A body with an array anywhere is held to the schema.
            let suspect = bytes.contains(&b'[');
            if let super::Gate::Walk(errors) = super::gate(&value, suspect) {
                let schema = crate::collect::schema_of::<T>();
                let node = serde_json::from_slice::<crate::node::Node<'_>>(bytes).ok();
                super::decide(&schema, node, errors)?;
            }
            Ok(value)
        }
        Err(serde_error) => match serde_json::from_slice::<crate::node::Node<'_>>(bytes) {
            Ok(node) => super::recover(node, serde_error),
            Err(_) => Err(Error::malformed_body().with_detail(serde_error)),
        },
    }
}

impl<T> Json<T>
where
    T: DeserializeOwned + Validate + JsonSchema + 'static,
{
    /// Parses and validates `bytes` as the extractor does a body: the same
    /// rules and field codes, every problem at once. For JSON that does
    /// not arrive as a request body (a row of an uploaded file, a queued
    /// job's input).
    ///
    /// # Errors
    /// `malformed_body` or `validation_failed`, as the extractor answers.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        decode(bytes).map(Json)
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned + Validate + JsonSchema + 'static,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(Error::unsupported_media_type());
        }
        let bytes = body_bytes(req).await?;
        decode(&bytes).map(Json)
    }
}

/// `Option<Json<T>>`: `None` for an empty body (with or without a
/// `Content-Type`), otherwise as [`Json`].
impl<T, S> OptionalFromRequest<S> for Json<T>
where
    T: DeserializeOwned + Validate + JsonSchema + 'static,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, _: &S) -> Result<Option<Self>, Self::Rejection> {
        let json = is_json(req.headers());
        let bytes = body_bytes(req).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        if !json {
            return Err(Error::unsupported_media_type());
        }
        decode(&bytes).map(|v| Some(Json(v)))
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
