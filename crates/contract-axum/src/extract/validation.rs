//! From `validator`'s errors to violations, with client paths and
//! contract's field codes.

use std::borrow::Cow;

use contract_core::{ErrorCode, Violation};
use serde_json::Value;
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

/// Flattens nested validation errors into one violation per path (the
/// first rule that failed), with paths like `a.b[2].c`.
pub(crate) fn violations(errors: &ValidationErrors) -> Vec<Violation> {
    let mut out = Vec::new();
    flatten(errors, "", &mut out);
    out
}

fn join(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field == "__all__") {
        (_, true) => prefix.to_owned(),
        (true, false) => field.to_owned(),
        (false, false) => format!("{prefix}.{field}"),
    }
}

fn flatten(errors: &ValidationErrors, prefix: &str, out: &mut Vec<Violation>) {
    for (field, kind) in errors.errors() {
        let path = join(prefix, field);
        match kind {
            ValidationErrorsKind::Field(errs) => {
                if let Some(first) = errs.first() {
                    out.push(map(&path, first));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

fn param<'a>(e: &'a ValidationError, name: &str) -> Option<&'a Value> {
    e.params.get(name)
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn map(path: &str, e: &ValidationError) -> Violation {
    let v = |code: ErrorCode| Violation::new(path, code);
    // A pattern that refuses a blank text refuses it for being blank.
    let blank = matches!(param(e, "value"), Some(Value::String(s)) if s.trim().is_empty());
    if blank && matches!(&*e.code, "regex" | "invalid_format" | "blank") {
        return v(ErrorCode::BLANK);
    }
    match &*e.code {
        "length" => {
            let is_list = matches!(param(e, "value"), Some(Value::Array(_)));
            let len = match param(e, "value") {
                Some(Value::String(s)) => Some(s.chars().count() as u64),
                Some(Value::Array(a)) => Some(a.len() as u64),
                _ => None,
            };
            let min = param(e, "min")
                .and_then(Value::as_u64)
                .or_else(|| param(e, "equal").and_then(Value::as_u64));
            let max = param(e, "max")
                .and_then(Value::as_u64)
                .or_else(|| param(e, "equal").and_then(Value::as_u64));
            let (short, long) = if is_list {
                (ErrorCode::TOO_FEW_ITEMS, ErrorCode::TOO_MANY_ITEMS)
            } else {
                (ErrorCode::TOO_SHORT, ErrorCode::TOO_LONG)
            };
            match (len, min, max) {
                (Some(l), Some(min), _) if l < min => v(short).with_param("min", min),
                (_, _, Some(max)) => v(long).with_param("max", max),
                (_, Some(min), None) => v(short).with_param("min", min),
                _ => v(ErrorCode::INVALID_VALUE),
            }
        }
        "range" => {
            let value = param(e, "value").and_then(Value::as_f64);
            let lower = param(e, "min").or_else(|| param(e, "exclusive_min"));
            let upper = param(e, "max").or_else(|| param(e, "exclusive_max"));
            let below = match (value, lower.and_then(Value::as_f64)) {
                (Some(x), Some(min)) => {
                    x < min || (param(e, "exclusive_min").is_some() && x <= min)
                }
                _ => false,
            };
            match (below, lower, upper) {
                (true, Some(min), _) => v(ErrorCode::TOO_SMALL).with_param("min", shown(min)),
                (_, _, Some(max)) => v(ErrorCode::TOO_LARGE).with_param("max", shown(max)),
                (_, Some(min), None) => v(ErrorCode::TOO_SMALL).with_param("min", shown(min)),
                _ => v(ErrorCode::INVALID_VALUE),
            }
        }
        "email" => v(ErrorCode::INVALID_EMAIL),
        "required" => v(ErrorCode::REQUIRED),
        "url"
        | "regex"
        | "contains"
        | "does_not_contain"
        | "non_control_character"
        | "credit_card" => v(ErrorCode::INVALID_FORMAT),
        other => {
            v(ErrorCode::new(Cow::Owned(other.to_owned())).unwrap_or(ErrorCode::INVALID_VALUE))
        }
    }
}
