//! [`Error`]: an error not yet rendered, carrying a status, a code, its
//! parameters, the fields at fault and the developer detail.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use http::StatusCode;

use crate::catalog::Catalog;
use crate::{Envelope, ErrorCode, FieldViolation, Locale};

/// One field at fault, before localization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    field: String,
    code: ErrorCode,
    params: Vec<(&'static str, Cow<'static, str>)>,
}

impl Violation {
    /// `field` (a path such as `items[2].id`) violates the rule `code`.
    pub fn new(field: impl Into<String>, code: ErrorCode) -> Self {
        Self {
            field: field.into(),
            code,
            params: Vec::new(),
        }
    }

    /// Adds a message parameter such as `("max", "30")`.
    ///
    /// Parameters come from the rule, never from the user's input.
    pub fn with_param(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.params.push((name, Cow::Owned(value.to_string())));
        self
    }

    /// The field's path.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The field code.
    pub fn code(&self) -> &ErrorCode {
        &self.code
    }

    /// The message parameters.
    pub fn params(&self) -> &[(&'static str, Cow<'static, str>)] {
        &self.params
    }

    /// Replaces the path, for extractors that nest or rename.
    pub fn set_field(&mut self, field: String) {
        self.field = field;
    }
}

#[derive(Clone)]
struct Inner {
    status: StatusCode,
    code: ErrorCode,
    params: Vec<(&'static str, Cow<'static, str>)>,
    message_id: Option<&'static str>,
    default_message: Option<&'static str>,
    fields: Vec<Violation>,
    detail: Option<Arc<dyn fmt::Display + Send + Sync>>,
}

/// An API error on its way to the client: what a handler returns.
///
/// It is rendered as the [`Envelope`] (localized, with the request id) by the
/// web integration; its [`detail`](Error::detail) goes to the log only.
///
/// ```
/// use contract_core::{Error, ErrorCode, Violation};
/// use http::StatusCode;
///
/// let err = Error::validation(vec![Violation::new("name", ErrorCode::BLANK)]);
/// assert_eq!(err.code(), &ErrorCode::VALIDATION_FAILED);
///
/// let full = Error::new(StatusCode::BAD_REQUEST, ErrorCode::from_static("seminar_full"))
///     .with_detail("seminar 7 has 10 of 10");
/// assert_eq!(full.status(), StatusCode::BAD_REQUEST);
/// ```
#[derive(Clone)]
pub struct Error(Box<Inner>);

impl Error {
    /// An error with a status and a code.
    ///
    /// # Panics
    /// When `status` is not a 4xx or 5xx: that is a bug in the caller.
    pub fn new(status: StatusCode, code: ErrorCode) -> Self {
        assert!(
            status.is_client_error() || status.is_server_error(),
            "an API error's status is 4xx or 5xx, not {status}"
        );
        Self(Box::new(Inner {
            status,
            code,
            params: Vec::new(),
            message_id: None,
            default_message: None,
            fields: Vec::new(),
            detail: None,
        }))
    }

    /// `validation_failed` with the fields at fault. Its status is decided
    /// when rendered (422 by default, configurable per service).
    pub fn validation(fields: Vec<Violation>) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::VALIDATION_FAILED,
        );
        e.0.fields = fields;
        e
    }

    /// `malformed_body` (400).
    pub fn malformed_body() -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::MALFORMED_BODY)
    }

    /// `unauthenticated` (401).
    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::UNAUTHENTICATED)
    }

    /// `forbidden` (403).
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::FORBIDDEN)
    }

    /// `not_found` (404).
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NOT_FOUND)
    }

    /// `conflict` (409).
    pub fn conflict() -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::CONFLICT)
    }

    /// `payload_too_large` (413).
    pub fn payload_too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PAYLOAD_TOO_LARGE)
    }

    /// `unsupported_media_type` (415).
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UNSUPPORTED_MEDIA_TYPE,
        )
    }

    /// `internal` (500). Give it the cause with [`with_detail`](Self::with_detail).
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::INTERNAL)
    }

    /// `service_unavailable` (503): a dependency failed.
    pub fn service_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::SERVICE_UNAVAILABLE,
        )
    }

    /// The built-in top-level code that describes a bare error status, as
    /// the web integration uses for responses that carry no [`Error`].
    pub fn from_status(status: StatusCode) -> Self {
        let code = crate::code_for_status(status);
        let status = if status.is_client_error() || status.is_server_error() {
            status
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        Self::new(status, code)
    }

    /// Adds a parameter for the top-level message template.
    pub fn with_param(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.0.params.push((name, Cow::Owned(value.to_string())));
        self
    }

    /// Adds a field at fault.
    pub fn with_field(mut self, violation: Violation) -> Self {
        self.0.fields.push(violation);
        self
    }

    /// The Fluent message id of the top-level message, when it is not the
    /// code itself.
    pub fn with_message_id(mut self, id: &'static str) -> Self {
        self.0.message_id = Some(id);
        self
    }

    /// An inline message used when no `.ftl` file of the [`Catalog`] has
    /// the message id (in the negotiated locale, the default one or
    /// English): a convenience for codes not yet in the files.
    pub fn with_default_message(mut self, message: &'static str) -> Self {
        self.0.default_message = Some(message);
        self
    }

    /// The Fluent id of the top-level message: the code unless set.
    pub fn message_id(&self) -> &str {
        self.0.message_id.unwrap_or(self.0.code.as_str())
    }

    /// Attaches developer detail (a message or the source error): logged
    /// with the request id, never sent to clients (a dev profile may opt
    /// in). It is formatted only when logged, so attaching costs no
    /// formatting on paths that never log.
    pub fn with_detail(mut self, detail: impl fmt::Display + Send + Sync + 'static) -> Self {
        self.0.detail = Some(Arc::new(detail));
        self
    }

    /// Replaces the status (4xx or 5xx).
    ///
    /// # Panics
    /// When `status` is not a 4xx or 5xx.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        assert!(status.is_client_error() || status.is_server_error());
        self.0.status = status;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The top-level code.
    pub fn code(&self) -> &ErrorCode {
        &self.0.code
    }

    /// The top-level message's parameters.
    pub fn params(&self) -> &[(&'static str, Cow<'static, str>)] {
        &self.0.params
    }

    /// The inline message, when one was given.
    pub fn default_message(&self) -> Option<&'static str> {
        self.0.default_message
    }

    /// The fields at fault.
    pub fn fields(&self) -> &[Violation] {
        &self.0.fields
    }

    /// The developer detail, if any.
    pub fn detail(&self) -> Option<&(dyn fmt::Display + Send + Sync)> {
        self.0.detail.as_deref()
    }

    /// Renders the client's view: localized, with the request id.
    /// `debug` adds the developer detail (dev profiles only).
    pub fn to_envelope(
        &self,
        catalog: &Catalog,
        locale: &Locale,
        request_id: &str,
        debug: bool,
    ) -> Envelope {
        let fields = self
            .0
            .fields
            .iter()
            .map(|v| v.localize(v.field.clone(), catalog, locale))
            .collect();
        self.envelope(fields, catalog, locale, request_id, debug)
    }

    /// [`to_envelope`](Self::to_envelope), moving the field paths into the
    /// envelope instead of copying them.
    pub fn into_envelope(
        mut self,
        catalog: &Catalog,
        locale: &Locale,
        request_id: &str,
        debug: bool,
    ) -> Envelope {
        let fields = std::mem::take(&mut self.0.fields)
            .into_iter()
            .map(|mut v| {
                let field = std::mem::take(&mut v.field);
                v.localize(field, catalog, locale)
            })
            .collect();
        self.envelope(fields, catalog, locale, request_id, debug)
    }

    /// Appends the envelope [`to_envelope`](Self::to_envelope) would
    /// build, as [`Envelope::write_json`] writes it, without building it:
    /// no copy of the field paths or of the request id.
    pub fn write_json(
        &self,
        out: &mut Vec<u8>,
        catalog: &Catalog,
        locale: &Locale,
        request_id: &str,
        debug: bool,
    ) {
        let inner = &*self.0;
        let detail = if debug {
            inner.detail.as_ref().map(ToString::to_string)
        } else {
            None
        };
        crate::envelope::write_envelope(
            out,
            inner.code.as_str(),
            &catalog.top_message(
                self.message_id(),
                locale,
                inner.default_message,
                &inner.params,
            ),
            inner.fields.iter().map(|v| {
                let message = catalog.field_message(v.code.as_str(), locale, &v.params);
                (v.field.as_str(), v.code.as_str(), message)
            }),
            request_id,
            detail.as_deref(),
            true,
        );
    }

    fn envelope(
        &self,
        fields: Vec<FieldViolation>,
        catalog: &Catalog,
        locale: &Locale,
        request_id: &str,
        debug: bool,
    ) -> Envelope {
        let inner = &*self.0;
        Envelope {
            code: inner.code.to_cow(),
            message: catalog.top_message(
                self.message_id(),
                locale,
                inner.default_message,
                &inner.params,
            ),
            fields,
            request_id: request_id.to_owned(),
            debug: if debug {
                inner.detail.as_ref().map(ToString::to_string)
            } else {
                None
            },
        }
    }
}

impl Violation {
    fn localize(&self, field: String, catalog: &Catalog, locale: &Locale) -> FieldViolation {
        FieldViolation {
            field,
            code: self.code.to_cow(),
            message: catalog.field_message(self.code.as_str(), locale, &self.params),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("status", &self.0.status)
            .field("code", &self.0.code)
            .field("fields", &self.0.fields)
            .field("detail", &self.0.detail.as_ref().map(ToString::to_string))
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.status.as_u16(), self.0.code)?;
        if let Some(d) = &self.0.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(feature = "axum")]
impl axum_core::response::IntoResponse for Error {
    /// The response carries the error unrendered in its extensions; the web
    /// layer (`contract_axum::ErrorLayer`) renders it with the client's
    /// locale and the request id. Without that layer, the body is one line
    /// that names the fix.
    fn into_response(self) -> axum_core::response::Response {
        const MISSING_LAYER: &str = "contract: this error was not rendered because the router has no contract_axum::ErrorLayer; add `.layer(ErrorLayer::new())` (or `contract.layer()`) to the router\n";
        let mut res =
            axum_core::response::Response::new(axum_core::body::Body::from(MISSING_LAYER));
        res.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        *res.status_mut() = self.status();
        res.extensions_mut().insert(self);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writing an error straight to JSON gives the bytes of its envelope.
    #[test]
    fn write_json_writes_the_envelope() {
        let catalog = Catalog::new();
        let errors = [
            Error::validation(vec![
                Violation::new("name", ErrorCode::BLANK),
                Violation::new("items[2].qty", ErrorCode::from_static("too_large"))
                    .with_param("max", 99),
            ])
            .with_detail("quote \" and 한국어"),
            Error::from_status(StatusCode::NOT_FOUND),
        ];
        for locale in ["en", "ko"] {
            let locale = Locale::from_static(locale);
            for err in &errors {
                for debug in [false, true] {
                    let mut direct = Vec::new();
                    err.write_json(&mut direct, &catalog, &locale, "01ID", debug);
                    let mut built = Vec::new();
                    err.to_envelope(&catalog, &locale, "01ID", debug)
                        .write_json(&mut built);
                    assert_eq!(
                        String::from_utf8(direct).unwrap(),
                        String::from_utf8(built).unwrap()
                    );
                    let moved = err.clone().into_envelope(&catalog, &locale, "01ID", debug);
                    assert_eq!(moved, err.to_envelope(&catalog, &locale, "01ID", debug));
                }
            }
        }
    }
}
