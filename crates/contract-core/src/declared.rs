//! Declared errors: what an error type says it can send, for the spec and
//! for the runtime conformance check.

use crate::ErrorCode;

/// One (status, code) pair an error type may produce.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Declared {
    /// The HTTP status.
    pub status: u16,
    /// The top-level code.
    pub code: ErrorCode,
    /// The inline default message, when the app gives one: used when no
    /// `.ftl` file has the message id (the spec's examples read the
    /// catalog's English first).
    pub default_message: Option<&'static str>,
    /// The Fluent message id, when it is not the code.
    pub message_id: Option<&'static str>,
}

impl Declared {
    /// A declared (status, code) pair.
    pub fn new(status: u16, code: ErrorCode, default_message: Option<&'static str>) -> Self {
        Self {
            status,
            code,
            default_message,
            message_id: None,
        }
    }

    /// A built-in top-level code, at the status the code table gives it.
    ///
    /// # Panics
    /// When `code` is not a built-in top-level code: it is given constants.
    pub fn builtin(code: ErrorCode) -> Self {
        let status = crate::default_status(&code)
            .unwrap_or_else(|| panic!("`{code}` is not a built-in top-level code"));
        Self::new(status.as_u16(), code, None)
    }

    /// With a Fluent message id other than the code.
    pub fn with_message_id(mut self, id: &'static str) -> Self {
        self.message_id = Some(id);
        self
    }

    /// The Fluent id of the message: the code unless set.
    pub fn message_id(&self) -> &str {
        self.message_id.unwrap_or(self.code.as_str())
    }
}

/// Types that know every error they can produce: derived by
/// `#[derive(ApiError)]`, implemented by extractors.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare the errors it can produce",
    label = "derive `contract_axum::ApiError` on this error enum",
    note = "a handler's error type must declare its codes so the spec can list them"
)]
pub trait DeclaredErrors {
    /// Appends every (status, code) this type can produce.
    fn declare(out: &mut Vec<Declared>);

    /// Every (status, code) this type can produce.
    fn declared() -> Vec<Declared> {
        let mut out = Vec::new();
        Self::declare(&mut out);
        out
    }
}

impl DeclaredErrors for std::convert::Infallible {
    fn declare(_: &mut Vec<Declared>) {}
}

/// An opaque [`Error`](crate::Error) declares nothing: its code is only
/// known at run time. Prefer a `#[derive(ApiError)]` enum in handlers, so
/// the spec lists what they can answer.
impl DeclaredErrors for crate::Error {
    fn declare(_: &mut Vec<Declared>) {}
}
