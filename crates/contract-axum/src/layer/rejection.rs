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

/// What the layer saw of the request a rejection answers.
#[derive(Clone, Copy, Default)]
pub(super) struct Seen<'a> {
    /// The matched route's template.
    pub(super) route: Option<&'a str>,
    /// The raw query string.
    pub(super) query: Option<&'a str>,
}

/// The error for a bare `status` whose body said `said`, for the request
/// the layer saw.
///
/// axum's own rejections get the status and code contract's extractors
/// answer for the same failure, so moving a handler from axum's extractors
/// to contract's changes no code: bytes that are not JSON, or JSON that is
/// not the value the body takes as a whole (`[]` for an object), are
/// `malformed_body`; a field or a path or query parameter of the wrong type
/// or range is `validation_failed` (at the policy's validation status)
/// naming it.
pub(super) fn error(
    status: StatusCode,
    said: Option<&str>,
    seen: Seen<'_>,
    request_id: &str,
) -> Error {
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
    let err = classify(status, text, seen).unwrap_or_else(|| Error::from_status(status));
    err.with_detail(format!("{status} response without an envelope: {text}"))
}

/// The error an axum rejection's text stands for, where it is one.
fn classify(status: StatusCode, text: &str, seen: Seen<'_>) -> Option<Error> {
    if !status.is_client_error() {
        return None;
    }
    if text.starts_with("Failed to parse the request body as JSON") {
        return Some(Error::malformed_body());
    }
    if text.starts_with(JSON_DATA) {
        return Some(match violation(text) {
            Some(v) => Error::validation(vec![v]),
            None => Error::malformed_body(),
        });
    }
    if let Some(rest) = text.strip_prefix("Failed to deserialize query string: ") {
        return Some(Error::validation(
            param_violation(rest, seen.query).into_iter().collect(),
        ));
    }
    if let Some(rest) = text.strip_prefix("Invalid URL: ") {
        return Some(Error::validation(
            path_violation(rest, seen.route).into_iter().collect(),
        ));
    }
    let v = violation(text)?;
    (contract_core::code_for_status(status) == ErrorCode::VALIDATION_FAILED)
        .then(|| Error::validation(vec![v]))
}

const JSON_DATA: &str = "Failed to deserialize the JSON body into the target type: ";

/// The parameter a path rejection names (axum's `ErrorKind` texts), with its
/// field code. A rejection that names no parameter (one value, or one by
/// position) is given the route's parameter of that position.
fn path_violation(text: &str, route: Option<&str>) -> Option<Violation> {
    let params: Vec<&str> = route.map(template_params).unwrap_or_default();
    if let Some(key) = text
        .strip_prefix("Invalid UTF-8 in `")
        .and_then(|k| k.strip_suffix('`'))
    {
        return Some(Violation::new(key, ErrorCode::INVALID_FORMAT));
    }
    let rest = text.strip_prefix("Cannot parse ")?;
    // `value at index I with value `V` to a `T``
    if let Some(at) = rest.strip_prefix("value at index ") {
        let (index, rest) = at.split_once(" with value `")?;
        let (value, ty) = rest.rsplit_once("` to a `")?;
        let name = params.get(index.parse::<usize>().ok()?)?;
        return Some(scalar_violation(name, value, ty.trim_end_matches('`')));
    }
    let rest = rest.strip_prefix('`')?;
    // `K` with value `V` to a `T` | `K` with value `V`: MESSAGE
    if let Some((key, tail)) = rest.split_once("` with value `")
        && (params.is_empty() || params.contains(&key))
    {
        return Some(match tail.rsplit_once("` to a `") {
            Some((value, ty)) => scalar_violation(key, value, ty.trim_end_matches('`')),
            None => Violation::new(key, ErrorCode::INVALID_VALUE),
        });
    }
    // `V` to a `T`: the route's one parameter.
    let (value, ty) = rest.rsplit_once("` to a `")?;
    let [name] = params[..] else { return None };
    Some(scalar_violation(name, value, ty.trim_end_matches('`')))
}

/// The `{name}`s of a route template, in order.
fn template_params(route: &str) -> Vec<&str> {
    route
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.trim_start_matches('*'))
        .collect()
}

/// What is wrong with `value` as a `ty` (a Rust scalar type's name), as
/// contract's `Path` and `Query` say it: a number out of its type's range
/// is `too_large`/`too_small` with no bound a person set.
fn scalar_violation(name: &str, value: &str, ty: &str) -> Violation {
    let code = if is_integer_type(ty) {
        match value.parse::<i128>() {
            Ok(n) => return out_of_range(name, n < 0),
            Err(_) => ErrorCode::NOT_INTEGER,
        }
    } else if matches!(ty, "f32" | "f64") {
        ErrorCode::NOT_NUMBER
    } else if ty == "bool" {
        ErrorCode::NOT_BOOLEAN
    } else {
        ErrorCode::INVALID_VALUE
    };
    Violation::new(name, code)
}

fn out_of_range(name: &str, negative: bool) -> Violation {
    let code = if negative {
        ErrorCode::TOO_SMALL
    } else {
        ErrorCode::TOO_LARGE
    };
    Violation::new(name, code).with_param(contract_core::BOUND, "none")
}

fn is_integer_type(ty: &str) -> bool {
    matches!(
        ty,
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
}

/// The query parameter a query rejection names (`NAME: MESSAGE`, serde's
/// message or the number parser's), with its field code. The number
/// parser's message does not say a digit was a minus sign: the value, read
/// from `query`, does.
fn param_violation(text: &str, query: Option<&str>) -> Option<Violation> {
    if let Some(m) = text.strip_prefix("missing field ") {
        return Some(Violation::new(m.split('`').nth(1)?, ErrorCode::REQUIRED));
    }
    let (name, message) = text.split_once(": ")?;
    let code = match message {
        "invalid digit found in string" => {
            let value = serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or(""))
                .ok()
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == name))
                .and_then(|(_, v)| v.parse::<i128>().ok());
            match value {
                Some(n) => return Some(out_of_range(name, n < 0)),
                None => ErrorCode::NOT_INTEGER,
            }
        }
        "cannot parse integer from empty string" => ErrorCode::NOT_INTEGER,
        "number too large to fit in target type" => return Some(out_of_range(name, false)),
        "number too small to fit in target type" => return Some(out_of_range(name, true)),
        "invalid float literal" => ErrorCode::NOT_NUMBER,
        "provided string was not `true` or `false`" => ErrorCode::NOT_BOOLEAN,
        m if m.starts_with("unknown variant ") => ErrorCode::NOT_ONE_OF,
        _ => ErrorCode::INVALID_VALUE,
    };
    Some(Violation::new(name, code))
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
    let integer = is_integer_type;
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
        return (!path.is_empty()).then(|| out_of_range(path, m.starts_with('-')));
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

#[cfg(test)]
mod parameter_tests {
    use super::*;

    fn named(v: Option<Violation>) -> Option<(String, String)> {
        v.map(|v| (v.field().to_owned(), v.code().to_string()))
    }

    fn pair(field: &str, code: &str) -> Option<(String, String)> {
        Some((field.to_owned(), code.to_owned()))
    }

    #[test]
    fn path_rejections_name_the_parameter_from_the_route() {
        let one = Some("/todos/{id}");
        let two = Some("/todos/{id}/tags/{n}");
        let cases = [
            (
                "Cannot parse `abc` to a `u32`",
                one,
                pair("id", "not_integer"),
            ),
            (
                "Cannot parse `99999999999` to a `u32`",
                one,
                pair("id", "too_large"),
            ),
            ("Cannot parse `-1` to a `u32`", one, pair("id", "too_small")),
            ("Cannot parse `x` to a `f64`", one, pair("id", "not_number")),
            (
                "Cannot parse `x` to a `bool`",
                one,
                pair("id", "not_boolean"),
            ),
            // The value is the client's: backticks in it change nothing.
            (
                "Cannot parse `a` to a `b` to a `u32`",
                one,
                pair("id", "not_integer"),
            ),
            ("Cannot parse `abc` to a `u32`", None, None),
            (
                "Cannot parse value at index 1 with value `x` to a `u32`",
                two,
                pair("n", "not_integer"),
            ),
            (
                "Cannot parse `n` with value `x` to a `u16`",
                two,
                pair("n", "not_integer"),
            ),
            (
                "Cannot parse `id` with value `x`: UUID parsing failed",
                one,
                pair("id", "invalid_value"),
            ),
            ("Invalid UTF-8 in `id`", one, pair("id", "invalid_format")),
        ];
        for (text, route, want) in cases {
            assert_eq!(named(path_violation(text, route)), want, "{text}");
        }
        let v = path_violation("Cannot parse `99999999999` to a `u32`", one).unwrap();
        let bound = v.params().iter().find(|(k, _)| *k == contract_core::BOUND);
        assert_eq!(bound.map(|(_, v)| v.as_ref()), Some("none"));
    }

    #[test]
    fn query_rejections_name_the_parameter() {
        let cases = [
            (
                "limit: invalid digit found in string",
                pair("limit", "not_integer"),
            ),
            (
                "limit: cannot parse integer from empty string",
                pair("limit", "not_integer"),
            ),
            (
                "limit: number too large to fit in target type",
                pair("limit", "too_large"),
            ),
            (
                "limit: number too small to fit in target type",
                pair("limit", "too_small"),
            ),
            ("ratio: invalid float literal", pair("ratio", "not_number")),
            (
                "done: provided string was not `true` or `false`",
                pair("done", "not_boolean"),
            ),
            ("missing field `name`", pair("name", "required")),
            (
                "sort: unknown variant `x`, expected `a` or `b`",
                pair("sort", "not_one_of"),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(named(param_violation(text, None)), want, "{text}");
        }
        // `-5` for a `usize`: the parser says "invalid digit", the query
        // says it is a number below the type's range.
        let text = "limit: invalid digit found in string";
        let query = Some("a=1&limit=-5");
        assert_eq!(
            named(param_violation(text, query)),
            pair("limit", "too_small")
        );
    }
}
