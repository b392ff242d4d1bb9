//! Long-running operations: work that takes longer than a request answers
//! [`Accepted`] (`202`, `Location` and `Retry-After`), and the client polls
//! the status resource, an [`Operation`], until it is terminal.
//!
//! The status resource is `{id, status, created_at, updated_at, progress,
//! result, error}`; every member is present, `progress`, `result` and
//! `error` may be null. A failed operation's `error` is the same envelope as
//! every other error, with the codes the job can end with listed in the
//! spec (`x-error-codes` on the `error` member, from the job's error enum).
//! The failure is kept as data ([`Failure`]) and rendered when read, in the
//! reader's `Accept-Language`, by [`ErrorLayer`](crate::ErrorLayer).
//!
//! Running the job is the app's: any queue that delivers it at least once
//! (the seminar example uses apalis on its own database).

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::LazyLock;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use contract_core::{Catalog, DeclaredErrors, Envelope, Error, Failure, Locale, keyword};
use contract_openapi::{Operation as Doc, SpecBuilder};
use http::header::{self, HeaderValue};
use http::{HeaderMap, StatusCode};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use crate::api::OperationOutput;

/// Where an operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(
    rename = "OperationStatus",
    description = "`pending` (queued) and `running` change; `succeeded`, `failed` and `cancelled` are final."
)]
pub enum OperationStatus {
    /// Accepted, not started.
    Pending,
    /// A worker is on it.
    Running,
    /// Done: `result` holds the outcome.
    Succeeded,
    /// Ended with an error: `error` holds the envelope.
    Failed,
    /// Cancelled before it finished; nothing of it was kept.
    Cancelled,
}

impl OperationStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 5] = [
        Self::Pending,
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Cancelled,
    ];

    /// Whether the status is final.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// The status as the wire writes it (`"pending"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The status a stored text names.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// How far a running operation is: `done` of `total` units (rows, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "OperationProgress")]
pub struct Progress {
    /// Units done.
    pub done: i64,
    /// Units in all.
    pub total: i64,
}

/// The status resource of a long-running operation whose result is `T` and
/// whose failure is one of `E`'s codes.
///
/// Answered `200` (with `Retry-After` while it is not terminal); the
/// `error` member is rendered in the reader's language by
/// [`ErrorLayer`](crate::ErrorLayer).
#[derive(Debug)]
pub struct Operation<T, E> {
    /// The operation's id (the status resource's path names it).
    pub id: String,
    /// Where it is.
    pub status: OperationStatus,
    /// When it was accepted, RFC 3339.
    pub created_at: String,
    /// When its status or progress last changed, RFC 3339.
    pub updated_at: String,
    /// How far it is, when the job reports it.
    pub progress: Option<Progress>,
    /// The outcome, once `succeeded`.
    pub result: Option<T>,
    /// What it ended with, once `failed`.
    pub error: Option<Failure>,
    /// Seconds a client should wait before polling again, while it is not
    /// terminal (`Retry-After`).
    pub retry_after: u32,
    errors: PhantomData<fn() -> E>,
}

impl<T: Clone, E> Clone for Operation<T, E> {
    fn clone(&self) -> Self {
        Self {
            id: self.id.clone(),
            status: self.status,
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            progress: self.progress,
            result: self.result.clone(),
            error: self.error.clone(),
            retry_after: self.retry_after,
            errors: PhantomData,
        }
    }
}

impl<T, E> Operation<T, E> {
    /// An operation with no progress, result or error yet, polled each
    /// second.
    pub fn new(
        id: impl Into<String>,
        status: OperationStatus,
        created_at: impl Into<String>,
        updated_at: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            status,
            created_at: created_at.into(),
            updated_at: updated_at.into(),
            progress: None,
            result: None,
            error: None,
            retry_after: 1,
            errors: PhantomData,
        }
    }
}

/// The members of the status resource but `error`, in wire order.
#[derive(Serialize)]
struct Head<'a, T> {
    id: &'a str,
    status: OperationStatus,
    created_at: &'a str,
    updated_at: &'a str,
    progress: Option<Progress>,
    result: Option<&'a T>,
}

/// A status resource's body waiting for its `error` member: the layer
/// renders the failure in the reader's locale and closes the object.
#[derive(Clone)]
pub(crate) struct Unrendered {
    head: Vec<u8>,
    failure: Error,
    request_id: String,
}

impl Unrendered {
    /// The whole body, the failure rendered in `locale`.
    pub(crate) fn render(&self, catalog: &Catalog, locale: &Locale) -> Vec<u8> {
        let mut body = self.head.clone();
        self.failure
            .write_json(&mut body, catalog, locale, &self.request_id, false);
        body.push(b'}');
        body
    }
}

/// Serializes everything but `error`, and leaves the object open after
/// `"error":`.
fn head<T: Serialize, E>(op: &Operation<T, E>) -> Result<Vec<u8>, serde_json::Error> {
    let mut head = serde_json::to_vec(&Head {
        id: &op.id,
        status: op.status,
        created_at: &op.created_at,
        updated_at: &op.updated_at,
        progress: op.progress,
        result: op.result.as_ref(),
    })?;
    head.pop();
    head.extend_from_slice(b",\"error\":");
    Ok(head)
}

/// Used only where no `ErrorLayer` renders the failure: English, the
/// built-in messages.
static FALLBACK: LazyLock<Catalog> = LazyLock::new(Catalog::new);

impl<T: Serialize, E> Operation<T, E> {
    fn response(&self, status: StatusCode) -> Response {
        let mut head = match head(self) {
            Ok(head) => head,
            Err(e) => return Error::internal().with_detail(e).into_response(),
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if !self.status.is_terminal() {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(self.retry_after));
        }
        let mut res = match &self.error {
            None => {
                head.extend_from_slice(b"null}");
                Response::new(Body::from(head))
            }
            Some(failure) => {
                let unrendered = Unrendered {
                    head,
                    failure: failure.to_error(),
                    request_id: failure.request_id().to_owned(),
                };
                let body = unrendered.render(&FALLBACK, FALLBACK.default_locale());
                let mut res = Response::new(Body::from(body));
                res.extensions_mut().insert(unrendered);
                res
            }
        };
        *res.status_mut() = status;
        res.headers_mut().extend(headers);
        res
    }
}

impl<T: Serialize, E> IntoResponse for Operation<T, E> {
    fn into_response(self) -> Response {
        self.response(StatusCode::OK)
    }
}

const RETRY_AFTER_DOC: &str =
    "Seconds to wait before polling the status resource again; absent once it is final.";

impl<T: Serialize + JsonSchema, E: DeclaredErrors> OperationOutput for Operation<T, E> {
    fn document(op: &mut Doc, spec: &mut SpecBuilder) {
        op.success(200, Some(spec.response_schema::<Self>()));
        op.success_header("Retry-After", RETRY_AFTER_DOC);
    }
}

/// `202 Accepted`: the work was queued. `Location` names the status
/// resource, `Retry-After` when to look, and the body is the status
/// resource as it is now.
#[derive(Debug)]
pub struct Accepted<T, E> {
    operation: Operation<T, E>,
    location: String,
}

impl<T, E> Accepted<T, E> {
    /// `operation`, whose status resource is at `location` (a path such as
    /// `/api/v1/operations/01J.../`).
    pub fn new(operation: Operation<T, E>, location: impl Into<String>) -> Self {
        Self {
            operation,
            location: location.into(),
        }
    }
}

impl<T: Serialize, E> IntoResponse for Accepted<T, E> {
    fn into_response(self) -> Response {
        let mut res = self.operation.response(StatusCode::ACCEPTED);
        match HeaderValue::from_str(&self.location) {
            Ok(location) => {
                res.headers_mut().insert(header::LOCATION, location);
                res
            }
            Err(e) => Error::internal()
                .with_detail(format!("the Location {:?}: {e}", self.location))
                .into_response(),
        }
    }
}

impl<T: Serialize + JsonSchema, E: DeclaredErrors> OperationOutput for Accepted<T, E> {
    fn document(op: &mut Doc, spec: &mut SpecBuilder) {
        op.success(202, Some(spec.response_schema::<Operation<T, E>>()));
        op.success_description(
            "Accepted: the work is queued; poll `Location` until its `status` is final.",
        );
        op.success_header("Location", "The status resource of the operation.");
        op.success_header("Retry-After", RETRY_AFTER_DOC);
    }
}

impl<T: JsonSchema, E: DeclaredErrors> JsonSchema for Operation<T, E> {
    fn schema_name() -> Cow<'static, str> {
        format!("{}Operation", T::schema_name()).into()
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let status = g.subschema_for::<OperationStatus>();
        let progress = g.subschema_for::<Option<Progress>>();
        let result = g.subschema_for::<Option<T>>();
        let mut error = g.subschema_for::<Option<Envelope>>();
        let mut codes: Vec<String> = Vec::new();
        for d in E::declared() {
            if !codes.iter().any(|c| c == d.code.as_str()) {
                codes.push(d.code.as_str().to_owned());
            }
        }
        error.insert(keyword::ERROR_CODES.to_owned(), codes.into());
        error.insert(
            "description".to_owned(),
            "What the operation ended with, once `failed`: the error envelope, in the reader's language; `null` otherwise."
                .into(),
        );
        let time = |what: &str| json_schema!({ "type": "string", "format": "date-time", "description": what });
        json_schema!({
            "type": "object",
            "description": "The status resource of a long-running operation: poll it until `status` is final.",
            "properties": {
                "id": { "type": "string", "description": "The operation's id." },
                "status": status,
                "created_at": time("When it was accepted."),
                "updated_at": time("When its status or progress last changed."),
                "progress": progress,
                "result": result,
                "error": error,
            },
            "required": ["id", "status", "created_at", "updated_at", "progress", "result", "error"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract_core::{ErrorCode, Violation};
    use http_body_util::BodyExt;

    struct Never;
    impl DeclaredErrors for Never {
        fn declare(out: &mut Vec<contract_core::Declared>) {
            out.push(contract_core::Declared::builtin(
                ErrorCode::VALIDATION_FAILED,
            ));
        }
    }

    async fn body(res: Response) -> serde_json::Value {
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn a_status_resource_has_every_member() {
        let mut op: Operation<u32, Never> =
            Operation::new("01OP", OperationStatus::Running, "a", "b");
        op.progress = Some(Progress { done: 1, total: 3 });
        let res = Accepted::new(op.clone(), "/operations/01OP/").into_response();
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        assert_eq!(res.headers()[header::LOCATION], "/operations/01OP/");
        assert_eq!(res.headers()[header::RETRY_AFTER], "1");
        assert_eq!(
            body(res).await,
            serde_json::json!({"id": "01OP", "status": "running", "created_at": "a", "updated_at": "b",
                "progress": {"done": 1, "total": 3}, "result": null, "error": null})
        );
        op.status = OperationStatus::Failed;
        op.error = Some(Failure::new(
            &Error::validation(vec![Violation::new(
                "rows[2].time",
                ErrorCode::from_static("invalid_time"),
            )]),
            "01REQ",
        ));
        let res = op.into_response();
        assert!(res.headers().get(header::RETRY_AFTER).is_none());
        assert!(res.extensions().get::<Unrendered>().is_some());
        let v = body(res).await;
        assert_eq!(v["error"]["code"], "validation_failed");
        assert_eq!(v["error"]["fields"][0]["field"], "rows[2].time");
        assert_eq!(v["error"]["request_id"], "01REQ");
    }
}
