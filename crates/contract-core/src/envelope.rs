//! The wire format: the envelope every error is sent as, and its RFC 9457
//! rendering.

use serde::{Deserialize, Serialize};

/// The error envelope (`ApiError` in the spec): one shape for every error.
///
/// All four members are always present and never null; `fields` is `[]`
/// when no field is at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Envelope {
    /// The stable machine code clients switch on.
    pub code: String,
    /// A short message for a person, in the negotiated language.
    pub message: String,
    /// Per-field violations, in request order, at most one per path.
    pub fields: Vec<FieldViolation>,
    /// The request id, also sent as `x-request-id` and logged.
    pub request_id: String,
    /// Developer detail, only in a dev profile; never in the published schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug: Option<String>,
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldViolation {
    /// The path a client maps to an input: `name`, `participant.university`,
    /// `items[2].id`, or a query or path parameter's name.
    pub field: String,
    /// The stable field code, such as `required` or `too_long`.
    pub code: String,
    /// A one-line message for a person.
    pub message: String,
}

impl FieldViolation {
    /// A field violation from its three members.
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The same error as RFC 9457 problem details (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// `/problems/{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The localized message.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// The request path that failed.
    pub instance: String,
    /// The stable machine code (extension member).
    pub code: String,
    /// The request id (extension member).
    pub request_id: String,
    /// The field violations (extension member).
    pub errors: Vec<FieldViolation>,
}

impl Problem {
    /// Renders an envelope as problem details.
    pub fn from_envelope(envelope: Envelope, status: u16, instance: impl Into<String>) -> Self {
        Self {
            type_: format!("/problems/{}", envelope.code),
            title: envelope.message,
            status,
            instance: instance.into(),
            code: envelope.code,
            request_id: envelope.request_id,
            errors: envelope.fields,
        }
    }
}
