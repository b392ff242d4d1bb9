//! contract for utoipa apps: keep `#[derive(ToSchema)]`, `#[utoipa::path]`
//! and `OpenApiRouter`, add contract's `ErrorLayer`, and get a spec that
//! tells the truth about every error.
//!
//! - [`apply`] (or [`Contract`] as a [`utoipa::Modify`]) runs contract's
//!   [`Adopt`] policy over a utoipa [`OpenApi`]: every operation documents
//!   the envelope responses its body, parameters and security can produce,
//!   its own error responses become envelopes with their codes, response
//!   properties are all required, and schemas take the shapes client
//!   generators read. [`document`] gives the same as JSON, exactly.
//! - [`ApiError`] and [`FieldViolation`] are the envelope's schemas, for a
//!   `body = contract_utoipa::ApiError` in a `#[utoipa::path]`.
//! - [`ErrorResponses<E>`] documents an app error enum's codes
//!   (`#[derive(contract_axum::ApiError)]`) as utoipa responses:
//!   `responses(ErrorResponses<TodoError>)`.
//! - [`Schemars<T>`] is a schemars type as a utoipa schema, with the
//!   `#[validate]` rules utoipa's derive ignores: one type for contract's
//!   `Json` and the utoipa document (`type NewTodoBody = Schemars<NewTodo>;`,
//!   `request_body = NewTodoBody`); [`schemars_schema!`]`(NewTodo)` gives the
//!   type itself utoipa's traits (`request_body = NewTodo`).
//!
//! ```
//! use contract_utoipa::{Adopt, apply};
//! use utoipa::OpenApi;
//!
//! #[derive(utoipa::ToSchema, serde::Serialize)]
//! struct Todo { id: i64, note: Option<String> }
//!
//! /// Reads a todo.
//! #[utoipa::path(get, path = "/todo/{id}", params(("id" = i64, Path)),
//!     responses((status = 200, body = Todo), (status = 404, description = "No such todo")))]
//! async fn get_todo() {}
//!
//! #[derive(OpenApi)]
//! #[openapi(paths(get_todo))]
//! struct ApiDoc;
//!
//! let mut api = ApiDoc::openapi();
//! apply(&mut api, &Adopt::new().validation_status(422)).unwrap();
//! let doc = serde_json::to_value(&api).unwrap();
//! let get = &doc["paths"]["/todo/{id}"]["get"]["responses"];
//! assert_eq!(get["404"][contract_openapi::keyword::ERROR_CODES], serde_json::json!(["not_found"]));
//! assert_eq!(get["422"][contract_openapi::keyword::ERROR_CODES], serde_json::json!(["validation_failed"]));
//! assert_eq!(doc["components"]["schemas"]["Todo"]["required"], serde_json::json!(["id", "note"]));
//! ```

mod bridge;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use contract_core::DeclaredErrors;
use serde_json::Value;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr, Response};
use utoipa::{IntoResponses, Modify, PartialSchema, ToSchema};

pub use bridge::{Direction, ForRequest, ForResponse, Schemars};
pub use contract_openapi::{Adopt, AdoptError};

/// What [`schemars_schema!`] expands to refers to.
#[doc(hidden)]
pub mod __private {
    pub use utoipa;
}

/// Why a utoipa document could not be adopted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policy refused the document (not 3.1, an operation it cannot
    /// classify).
    #[error(transparent)]
    Adopt(#[from] AdoptError),
    /// utoipa's document model cannot hold what the policy wrote; use
    /// [`document`], which returns the JSON.
    #[error("utoipa's model cannot hold the adopted document: {0}")]
    Model(String),
}

/// The adopted document as JSON: exactly what the policy wrote.
///
/// # Errors
/// What [`Adopt::apply`] refuses.
pub fn document(api: &OpenApi, adopt: &Adopt) -> Result<Value, Error> {
    let mut doc = serde_json::to_value(api).map_err(|e| Error::Model(e.to_string()))?;
    adopt.apply(&mut doc)?;
    Ok(doc)
}

/// Applies contract's policy to `api` in place.
///
/// # Errors
/// What [`Adopt::apply`] refuses, or a document utoipa's model cannot hold.
pub fn apply(api: &mut OpenApi, adopt: &Adopt) -> Result<(), Error> {
    let doc = document(api, adopt)?;
    *api = serde_json::from_value(doc).map_err(|e| Error::Model(e.to_string()))?;
    Ok(())
}

/// [`apply`] as a [`utoipa::Modify`]: `#[openapi(modifiers(&contract))]`,
/// or `Contract(adopt).modify(&mut api)`.
///
/// # Panics
/// `modify` cannot return an error: it panics with the operation the policy
/// could not classify, so a spec is never silently half-adopted.
#[derive(Debug)]
pub struct Contract(pub Adopt);

impl Modify for Contract {
    fn modify(&self, api: &mut OpenApi) {
        if let Err(e) = apply(api, &self.0) {
            panic!("contract cannot adopt this OpenAPI document: {e}");
        }
    }
}

fn schema_from(value: Value) -> RefOr<Schema> {
    RefOr::T(serde_json::from_value(value).expect("utoipa's model holds the envelope schemas"))
}

fn envelope(name: &str) -> Value {
    contract_openapi::envelope_schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s)
        .expect("a schema of the envelope")
}

/// The error envelope's schema, `ApiError`.
#[derive(Debug, Clone, Copy)]
pub struct ApiError;

impl PartialSchema for ApiError {
    fn schema() -> RefOr<Schema> {
        schema_from(envelope("ApiError"))
    }
}

impl ToSchema for ApiError {
    fn name() -> Cow<'static, str> {
        "ApiError".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push(("FieldViolation".into(), FieldViolation::schema()));
    }
}

/// One field at fault, `FieldViolation`.
#[derive(Debug, Clone, Copy)]
pub struct FieldViolation;

impl PartialSchema for FieldViolation {
    fn schema() -> RefOr<Schema> {
        schema_from(envelope("FieldViolation"))
    }
}

impl ToSchema for FieldViolation {
    fn name() -> Cow<'static, str> {
        "FieldViolation".into()
    }
}

/// The error responses of an app error type (`#[derive(ApiError)]`), one
/// per status, with `x-error-codes`: `responses(ErrorResponses<E>)`.
/// `validation_failed` is documented at 422; [`apply`] moves it to the
/// status the service answers it with.
#[derive(Debug)]
pub struct ErrorResponses<E>(PhantomData<E>);

impl<E: DeclaredErrors> IntoResponses for ErrorResponses<E> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        Adopt::new()
            .error_responses(&E::declared())
            .into_iter()
            .map(|(status, r)| {
                let r: Response =
                    serde_json::from_value(r).expect("utoipa's model holds an error response");
                (status, RefOr::T(r))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract_core::{Declared, ErrorCode};

    struct Gone;
    impl DeclaredErrors for Gone {
        fn declare(out: &mut Vec<Declared>) {
            out.push(Declared::new(
                404,
                ErrorCode::new("todo_gone").expect("snake_case"),
                Some("It is gone."),
            ));
        }
    }

    #[test]
    fn the_envelope_schemas_round_trip_through_utoipa() {
        let json = |s: RefOr<Schema>| serde_json::to_value(s).expect("serializes");
        assert_eq!(json(ApiError::schema()), envelope("ApiError"));
        assert_eq!(json(FieldViolation::schema()), envelope("FieldViolation"));
    }

    #[test]
    fn an_error_enum_documents_its_responses() {
        let responses = ErrorResponses::<Gone>::responses();
        let r = serde_json::to_value(&responses["404"]).expect("serializes");
        assert_eq!(
            r[contract_openapi::keyword::ERROR_CODES],
            serde_json::json!(["todo_gone"])
        );
        assert_eq!(
            r["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ApiError"
        );
    }
}
