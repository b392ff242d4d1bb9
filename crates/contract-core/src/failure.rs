//! [`Failure`]: an [`Error`] kept for later, as data (code, message
//! arguments, fields), so that it is rendered in the reader's language
//! when read, not frozen in the language of the request that caused it.

use http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::catalog::intern;
use crate::{Error, ErrorCode, Violation};

/// An [`Error`] as stored data: what a background job ended with, read
/// back by a later request and rendered then, in that request's locale.
///
/// The developer detail is not kept: it is logged when the job fails.
///
/// ```
/// use contract_core::{Catalog, Error, ErrorCode, Failure, Locale, Violation};
///
/// let err = Error::validation(vec![
///     Violation::new("rows[12].time", ErrorCode::from_static("invalid_time")),
///     Violation::new("rows[3].capacity", ErrorCode::from_static("too_small"))
///         .with_param("min", 1),
/// ]);
/// let stored = serde_json::to_string(&Failure::new(&err, "01JOB")).unwrap();
/// let back: Failure = serde_json::from_str(&stored).unwrap();
/// let catalog = Catalog::new();
/// let ko = back.to_error().to_envelope(&catalog, &Locale::from_static("ko"), back.request_id(), false);
/// assert_eq!(ko.fields[0].field, "rows[12].time");
/// assert_eq!(ko.request_id, "01JOB");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    status: u16,
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_message: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    params: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fields: Vec<StoredViolation>,
    request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredViolation {
    field: String,
    code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    params: Vec<(String, String)>,
}

fn stored(params: &[(&'static str, std::borrow::Cow<'static, str>)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.to_string()))
        .collect()
}

impl Failure {
    /// `err` as data, with the id of the request the failure belongs to
    /// (the one that started the job): the envelope's `request_id`.
    pub fn new(err: &Error, request_id: impl Into<String>) -> Self {
        let message_id = err.message_id();
        Self {
            status: err.status().as_u16(),
            code: err.code().as_str().to_owned(),
            message_id: (message_id != err.code().as_str()).then(|| message_id.to_owned()),
            default_message: err.default_message().map(str::to_owned),
            params: stored(err.params()),
            fields: err
                .fields()
                .iter()
                .map(|v| StoredViolation {
                    field: v.field().to_owned(),
                    code: v.code().as_str().to_owned(),
                    params: stored(v.params()),
                })
                .collect(),
            request_id: request_id.into(),
        }
    }

    /// The top-level code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The id of the request the failure belongs to.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The error again, to render (in any locale) or to answer.
    ///
    /// Parameter names, message ids and inline messages are kept once per
    /// distinct text for the life of the process (they come from the app's
    /// rules, a small set); a code that is not a valid code, or a status
    /// that is not an error, reads as `internal` (stored data is not
    /// trusted to be well formed).
    pub fn to_error(&self) -> Error {
        let code = ErrorCode::new(self.code.clone()).ok();
        let status = StatusCode::from_u16(self.status)
            .ok()
            .filter(|s| s.is_client_error() || s.is_server_error());
        let (Some(code), Some(status)) = (code, status) else {
            return Error::internal();
        };
        let mut err = Error::new(status, code);
        if let Some(id) = &self.message_id {
            err = err.with_message_id(intern(id));
        }
        if let Some(m) = &self.default_message {
            err = err.with_default_message(intern(m));
        }
        for (k, v) in &self.params {
            err = err.with_param(intern(k), v);
        }
        for f in &self.fields {
            let Ok(code) = ErrorCode::new(f.code.clone()) else {
                continue;
            };
            let mut v = Violation::new(f.field.clone(), code);
            for (k, value) in &f.params {
                v = v.with_param(intern(k), value);
            }
            err = err.with_field(v);
        }
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalog, Locale};

    #[test]
    fn a_failure_renders_in_the_readers_locale() {
        let err = Error::validation(vec![
            Violation::new("rows[0].name", ErrorCode::BLANK),
            Violation::new("rows[1].capacity", ErrorCode::from_static("too_small"))
                .with_param("min", 1),
        ]);
        let failure = Failure::new(&err, "01REQ");
        let json = serde_json::to_string(&failure).unwrap();
        let back: Failure = serde_json::from_str(&json).unwrap();
        assert_eq!(back, failure);
        let catalog = Catalog::new();
        for locale in ["en", "ko"] {
            let locale = Locale::from_static(locale);
            assert_eq!(
                back.to_error()
                    .to_envelope(&catalog, &locale, "01REQ", false),
                err.to_envelope(&catalog, &locale, "01REQ", false)
            );
        }
    }

    #[test]
    fn stored_data_that_is_not_an_error_reads_as_internal() {
        for json in [
            r#"{"status":200,"code":"fine","request_id":"x"}"#,
            r#"{"status":400,"code":"Not A Code","request_id":"x"}"#,
        ] {
            let f: Failure = serde_json::from_str(json).unwrap();
            assert_eq!(f.to_error().code(), &ErrorCode::INTERNAL);
        }
    }
}
