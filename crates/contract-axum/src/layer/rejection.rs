//! What an error response without an envelope said (axum's rejection of a
//! body, a query or a path, say). It is read when it is already in memory,
//! as axum's rejections are, and kept: as the developer detail, in a log
//! line at WARN for a 4xx (target `contract_axum::layer::rejection`, with the request
//! id), and, where it names a field, as that field in `fields`.

use std::future::Future;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use contract_core::{Error, ErrorCode, Violation};
use http::StatusCode;

/// The most of a body read for the detail.
const MAX: usize = 2048;

/// The body's text, if it is already complete (no waiting) and short.
pub(super) fn text_now(body: Body) -> Option<String> {
    let mut read = std::pin::pin!(axum::body::to_bytes(body, MAX));
    match read.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(bytes)) if !bytes.is_empty() => {
            Some(String::from_utf8_lossy(&bytes).trim().to_owned())
        }
        _ => None,
    }
}

/// The error for a bare `status` whose body said `said`.
pub(super) fn error(status: StatusCode, said: Option<&str>, request_id: &str) -> Error {
    let Some(text) = said else {
        return Error::from_status(status)
            .with_detail(format!("{status} response without an envelope"));
    };
    if status.is_client_error() {
        tracing::warn!(
            request_id,
            status = status.as_u16(),
            detail = text,
            "rejected without an envelope"
        );
    }
    let err = match violation(text) {
        Some(v) if contract_core::code_for_status(status) == ErrorCode::VALIDATION_FAILED => {
            Error::validation(vec![v])
        }
        _ => Error::from_status(status),
    };
    err.with_detail(format!("{status} response without an envelope: {text}"))
}

/// The field a rejection names, with its field code: axum's text is
/// `PREFIX: [PATH: ]MESSAGE at line L column C`, the path in the envelope's
/// own form (`owner.id`, `tags[0]`) and the message serde's. `None` where
/// no field is named (the body as a whole has the wrong shape).
fn violation(text: &str) -> Option<Violation> {
    const PREFIXES: &[&str] = &[
        "Failed to deserialize the JSON body into the target type: ",
        "Failed to deserialize form body: ",
        "Failed to deserialize form: ",
    ];
    let rest = PREFIXES.iter().find_map(|p| text.strip_prefix(p))?;
    let rest = match rest.rfind(" at line ") {
        Some(i) => &rest[..i],
        None => rest,
    };
    const MESSAGES: &[&str] = &[
        "missing field",
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown field",
        "unknown variant",
    ];
    let (path, message) = if MESSAGES.iter().any(|m| rest.starts_with(m)) {
        ("", rest)
    } else {
        rest.split_once(": ")?
    };
    let join = |name: &str| match path {
        "" => name.to_owned(),
        p => format!("{p}.{name}"),
    };
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_owned);
    let here = |code: ErrorCode| (!path.is_empty()).then(|| Violation::new(path, code));
    if let Some(m) = message.strip_prefix("missing field ") {
        return Some(Violation::new(join(&quoted(m)?), ErrorCode::REQUIRED));
    }
    if let Some(m) = message.strip_prefix("unknown field ") {
        return Some(Violation::new(join(&quoted(m)?), ErrorCode::UNKNOWN_FIELD));
    }
    if message.starts_with("unknown variant ") {
        return here(ErrorCode::NOT_ONE_OF);
    }
    let expected = message.rsplit_once(", expected ").map_or("", |(_, e)| e);
    let integer = |e: &str| {
        matches!(
            e,
            "i8" | "i16"
                | "i32"
                | "i64"
                | "i128"
                | "isize"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "u128"
                | "usize"
                | "an integer"
        )
    };
    if let Some(m) = message.strip_prefix("invalid type: ") {
        let code = if m.starts_with("null,") {
            ErrorCode::NULL_NOT_ALLOWED
        } else if expected == "a string" || expected == "a character" {
            ErrorCode::NOT_STRING
        } else if expected == "a boolean" {
            ErrorCode::NOT_BOOLEAN
        } else if integer(expected) {
            ErrorCode::NOT_INTEGER
        } else if matches!(expected, "f32" | "f64" | "a number") {
            ErrorCode::NOT_NUMBER
        } else if expected.starts_with("a sequence") || expected.starts_with("tuple") {
            ErrorCode::NOT_ARRAY
        } else if expected.starts_with("struct ") || expected.starts_with("a map") {
            ErrorCode::NOT_OBJECT
        } else {
            ErrorCode::INVALID_VALUE
        };
        return here(code);
    }
    if let Some(m) = message.strip_prefix("invalid value: integer `")
        && integer(expected)
    {
        // Outside the integer type's range: no number a person set.
        let code = if m.starts_with('-') {
            ErrorCode::TOO_SMALL
        } else {
            ErrorCode::TOO_LARGE
        };
        return here(code).map(|v| v.with_param(contract_core::BOUND, "none"));
    }
    here(ErrorCode::INVALID_VALUE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str) -> Option<(String, String)> {
        let prefix = "Failed to deserialize the JSON body into the target type: ";
        violation(&format!("{prefix}{text} at line 1 column 2"))
            .map(|v| (v.field().to_owned(), v.code().to_string()))
    }

    #[test]
    fn serde_messages_name_the_field_and_its_code() {
        let cases = [
            ("missing field `text`", Some(("text", "required"))),
            ("owner: missing field `id`", Some(("owner.id", "required"))),
            (
                "text: invalid type: integer `1`, expected a string",
                Some(("text", "not_string")),
            ),
            (
                "done: invalid type: string \"no\", expected a boolean",
                Some(("done", "not_boolean")),
            ),
            (
                "tags[0]: invalid type: integer `1`, expected a string",
                Some(("tags[0]", "not_string")),
            ),
            (
                "owner.id: invalid value: integer `-1`, expected u32",
                Some(("owner.id", "too_small")),
            ),
            (
                "owner.id: invalid value: integer `300`, expected u8",
                Some(("owner.id", "too_large")),
            ),
            (
                "owner: invalid type: string \"x\", expected struct Owner",
                Some(("owner", "not_object")),
            ),
            (
                "n: invalid type: null, expected u32",
                Some(("n", "null_not_allowed")),
            ),
            (
                "unknown field `x`, expected `a` or `b`",
                Some(("x", "unknown_field")),
            ),
            (
                "role: unknown variant `x`, expected `a` or `b`",
                Some(("role", "not_one_of")),
            ),
            (
                "invalid length 0, expected struct Todo with 4 elements",
                None,
            ),
            ("invalid type: sequence, expected struct Todo", None),
        ];
        for (text, want) in cases {
            let want = want.map(|(f, c)| (f.to_owned(), c.to_owned()));
            assert_eq!(named(text), want, "{text}");
        }
        assert_eq!(
            violation("Failed to parse the request body as JSON: EOF"),
            None
        );
    }
}
