//! The one table of built-in codes, each with where it appears (top level,
//! with its default status, or in `fields`), and the only two rules
//! between codes and statuses: [`default_status`] and [`code_for_status`].

use http::StatusCode;

use crate::ErrorCode;

/// Where a code may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeKind {
    /// The envelope's top-level `code`, answered with this status by default.
    Top(StatusCode),
    /// A `fields[].code`.
    Field,
}

/// One row of the built-in code table. Its messages live in the built-in
/// `.ftl` files, under the code as message id.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CodeInfo {
    /// The code, also its Fluent message id.
    pub code: ErrorCode,
    /// Top-level (with its status) or field-level.
    pub kind: CodeKind,
    /// One line for the documentation.
    pub doc: &'static str,
}

macro_rules! table {
    ($( $konst:ident $code:literal $kind:ident $(($status:literal))?, $doc:literal; )*) => {
        impl ErrorCode {
            $(
                #[doc = concat!("`", $code, "`: ", $doc)]
                pub const $konst: ErrorCode = ErrorCode::from_static($code);
            )*
        }

        /// Every built-in code, top-level first, in documentation order.
        pub fn builtin_codes() -> &'static [CodeInfo] {
            static TABLE: std::sync::OnceLock<Vec<CodeInfo>> = std::sync::OnceLock::new();
            TABLE.get_or_init(|| vec![$(
                CodeInfo { code: ErrorCode::$konst, kind: kind!($kind $($status)?), doc: $doc },
            )*])
        }

        /// Each top-level code with its status, and what a declaration at
        /// another status is told, for [`check_declared`].
        const TOP: &[(&str, u16, &str)] = &[$($(
            (
                $code,
                $status,
                concat!(
                    "`", $code, "` is a built-in code, answered with status ", $status,
                    " by contract's table: declare it with ", $status,
                    ", or give this error a code of its own"
                ),
            ),
        )?)*];
    };
}

macro_rules! kind {
    (Top $status:literal) => {
        Top(StatusCode::from_u16($status).expect("a status"))
    };
    (Field) => {
        Field
    };
}

use CodeKind::{Field, Top};

table! {
    // Top-level codes.
    MALFORMED_BODY "malformed_body" Top(400),
        "The body is not JSON, or not the JSON value the operation takes.";
    BAD_REQUEST "bad_request" Top(400),
        "A malformed request the other codes do not describe.";
    VALIDATION_FAILED "validation_failed" Top(422),
        "One or more fields are invalid; `fields` lists each.";
    UNAUTHENTICATED "unauthenticated" Top(401),
        "Credentials are missing, malformed, expired or unknown.";
    FORBIDDEN "forbidden" Top(403),
        "The caller is known but may not do this.";
    NOT_FOUND "not_found" Top(404),
        "No such route or resource.";
    METHOD_NOT_ALLOWED "method_not_allowed" Top(405),
        "The route exists but not for this method; see the `Allow` header.";
    CONFLICT "conflict" Top(409),
        "The change conflicts with the current state.";
    PRECONDITION_FAILED "precondition_failed" Top(412),
        "`If-Match` names a version that is no longer current: reload, then retry.";
    PRECONDITION_REQUIRED "precondition_required" Top(428),
        "The operation needs `If-Match` (the `ETag` of the version being changed).";
    IDEMPOTENCY_KEY_IN_FLIGHT "idempotency_key_in_flight" Top(409),
        "A request with this `Idempotency-Key` is still running: retry after `Retry-After`.";
    IDEMPOTENCY_KEY_REUSED "idempotency_key_reused" Top(422),
        "This `Idempotency-Key` was sent with another request (method, path or body).";
    PAYLOAD_TOO_LARGE "payload_too_large" Top(413),
        "The body exceeds the size limit.";
    URI_TOO_LONG "uri_too_long" Top(414),
        "The request's URI (path and query) exceeds the length limit.";
    HEADERS_TOO_LARGE "headers_too_large" Top(431),
        "The request has more headers than the limit.";
    UNSUPPORTED_MEDIA_TYPE "unsupported_media_type" Top(415),
        "`Content-Type` is missing or not JSON.";
    RATE_LIMITED "rate_limited" Top(429),
        "Slow down; see the `Retry-After` header.";
    INTERNAL "internal" Top(500),
        "A bug or an unexpected failure; the request id finds the log line.";
    SERVICE_UNAVAILABLE "service_unavailable" Top(503),
        "A dependency is down or overloaded.";
    TIMEOUT "timeout" Top(504),
        "The request (408) or its processing (504) took too long.";
    // Field codes.
    REQUIRED "required" Field,
        "The field is absent.";
    NULL_NOT_ALLOWED "null_not_allowed" Field,
        "The field is present but null, and may not be.";
    BLANK "blank" Field,
        "The text is empty or only whitespace.";
    TOO_SHORT "too_short" Field,
        "The text is shorter than `min`.";
    TOO_LONG "too_long" Field,
        "The text is longer than `max`.";
    NOT_INTEGER "not_integer" Field,
        "A whole number was expected.";
    NOT_NUMBER "not_number" Field,
        "A number was expected.";
    NOT_BOOLEAN "not_boolean" Field,
        "A boolean was expected.";
    NOT_STRING "not_string" Field,
        "A string was expected.";
    NOT_OBJECT "not_object" Field,
        "A JSON object was expected.";
    NOT_ARRAY "not_array" Field,
        "A JSON array was expected.";
    INVALID_TIME "invalid_time" Field,
        "A time of day as `HH:MM`, 24-hour, was expected.";
    INVALID_DATE "invalid_date" Field,
        "A date or an RFC 3339 timestamp was expected.";
    INVALID_FORMAT "invalid_format" Field,
        "The text does not match the expected pattern.";
    INVALID_EMAIL "invalid_email" Field,
        "An email address was expected.";
    TOO_SMALL "too_small" Field,
        "The number is below `min`.";
    TOO_LARGE "too_large" Field,
        "The number is above `max`.";
    TOO_FEW_ITEMS "too_few_items" Field,
        "The list is shorter than `min`.";
    TOO_MANY_ITEMS "too_many_items" Field,
        "The list is longer than `max`.";
    NOT_ONE_OF "not_one_of" Field,
        "The value is not one of the allowed values.";
    UNKNOWN_FIELD "unknown_field" Field,
        "The operation does not take this field (strict types only).";
    ALREADY_EXISTS "already_exists" Field,
        "The value must be unique and is taken.";
    INVALID_CURSOR "invalid_cursor" Field,
        "The `cursor` is not one this list gave (edited, or from another list or filter).";
    INVALID_VALUE "invalid_value" Field,
        "The value is invalid in a way the other codes do not describe.";
}

/// The status a built-in top-level code is answered with by default, from
/// the code table; `None` for field codes and codes the table lacks.
///
/// ```
/// use contract_core::{ErrorCode, default_status};
/// use http::StatusCode;
///
/// assert_eq!(default_status(&ErrorCode::NOT_FOUND), Some(StatusCode::NOT_FOUND));
/// assert_eq!(default_status(&ErrorCode::BLANK), None);
/// ```
pub fn default_status(code: &ErrorCode) -> Option<StatusCode> {
    builtin_codes()
        .iter()
        .find(|i| i.code == *code)
        .and_then(|i| match i.kind {
            Top(status) => Some(status),
            Field => None,
        })
}

/// The built-in code a bare error `status` is answered with: the one rule
/// from status to code, which the runtime ([`Error::from_status`]) and a
/// spec that documents only a status (`Adopt`) both follow. A status with
/// its own row answers that row's code; the others, each the code of the
/// nearest meaning (408 and 504 are `timeout`, 410 `not_found`, 502
/// `service_unavailable`); any other 4xx is `bad_request` and any other status
/// `internal`.
///
/// ```
/// use contract_core::{ErrorCode, code_for_status};
/// use http::StatusCode;
///
/// assert_eq!(code_for_status(StatusCode::BAD_REQUEST), ErrorCode::BAD_REQUEST);
/// assert_eq!(code_for_status(StatusCode::GONE), ErrorCode::NOT_FOUND);
/// assert_eq!(code_for_status(StatusCode::IM_A_TEAPOT), ErrorCode::BAD_REQUEST);
/// ```
///
/// [`Error::from_status`]: crate::Error::from_status
pub fn code_for_status(status: StatusCode) -> ErrorCode {
    ErrorCode::from_static(code_of_status(status.as_u16()))
}

/// [`code_for_status`] for a status as a number, in a `const` context.
const fn code_of_status(status: u16) -> &'static str {
    match status {
        // Two codes share 400; a bare 400 is the general one.
        400 => "bad_request",
        // `validation_failed` is 422 by default, and any 422 is one.
        408 | 504 => "timeout",
        410 => "not_found",
        502 => "service_unavailable",
        s => {
            let mut i = 0;
            while i < TOP.len() {
                if TOP[i].1 == s {
                    return TOP[i].0;
                }
                i += 1;
            }
            if s >= 400 && s < 500 {
                "bad_request"
            } else {
                "internal"
            }
        }
    }
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether an app may declare the built-in `code` with `status`: the
/// table's status, a status whose bare answer is this code (`410` for
/// `not_found`, `408` for `timeout`), or, for `validation_failed`, the
/// other status the layer can answer it with (400).
pub const fn declared_status_agrees(code: &str, status: u16) -> bool {
    let mut i = 0;
    while i < TOP.len() {
        let (c, s, _) = TOP[i];
        if same(c, code) {
            return s == status
                || same(code_of_status(status), code)
                || (same(code, "validation_failed") && status == 400);
        }
        i += 1;
    }
    true
}

/// Fails (at compile time, in a `const`) when an app declares the built-in
/// `code` with a status the table does not give it, naming the table's.
/// `#[derive(ApiError)]` checks every variant with it.
///
/// ```compile_fail
/// const _: () = contract_core::check_declared("not_found", 400);
/// ```
///
/// ```
/// const _: () = contract_core::check_declared("not_found", 404);
/// const _: () = contract_core::check_declared("not_found", 410);
/// const _: () = contract_core::check_declared("seminar_full", 400);
/// ```
pub const fn check_declared(code: &str, status: u16) {
    if declared_status_agrees(code, status) {
        return;
    }
    let mut i = 0;
    while i < TOP.len() {
        if same(TOP[i].0, code) {
            panic!("{}", TOP[i].2);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_status_has_the_code_the_table_gives_it() {
        for s in 100..=599 {
            let status = StatusCode::from_u16(s).unwrap();
            let code = code_for_status(status);
            let row = default_status(&code).expect("a top-level code");
            match s {
                // `timeout` is the code of both 408 and 504.
                400..=499 => assert!(
                    row.is_client_error() || code == ErrorCode::TIMEOUT,
                    "{s}: {code}"
                ),
                500..=599 => assert!(row.is_server_error(), "{s}: {code}"),
                _ => assert_eq!(code, ErrorCode::INTERNAL),
            }
            // A status with its own row answers its row's code, 400 aside.
            if let Some(own) = builtin_codes().iter().find(|i| i.kind == Top(status))
                && s != 400
            {
                assert_eq!(code, own.code, "{s}");
            }
        }
    }

    #[test]
    fn codes_are_unique_and_top_codes_are_errors() {
        let mut seen = std::collections::HashSet::new();
        for info in builtin_codes() {
            assert!(seen.insert(info.code.clone()), "duplicate {}", info.code);
            if let CodeKind::Top(s) = info.kind {
                assert!(s.is_client_error() || s.is_server_error());
            }
        }
    }
}
