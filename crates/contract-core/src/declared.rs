//! Declared errors: what an error type says it can send, for the spec and
//! for the runtime conformance check.

use crate::{ErrorCode, Messages};

/// One (status, code) pair an error type may produce.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Declared {
    /// The HTTP status.
    pub status: u16,
    /// The top-level code.
    pub code: ErrorCode,
    /// The English message, for the spec's example envelope, when the app
    /// gives one (built-in codes take theirs from the catalog).
    pub en: Option<&'static str>,
    /// The app's own translations, every locale it gives (empty for
    /// built-in codes).
    pub messages: Messages,
}

impl Declared {
    /// A declared (status, code) pair.
    pub fn new(status: u16, code: ErrorCode, en: Option<&'static str>) -> Self {
        Self {
            status,
            code,
            en,
            messages: &[],
        }
    }

    /// With the app's translations, for budget tests and docs.
    pub fn with_messages(mut self, messages: Messages) -> Self {
        self.messages = messages;
        self
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
