//! From `validator`'s errors to violations, with client paths and
//! contract's field codes.

use std::borrow::Cow;

use contract_core::{ErrorCode, Violation};
use serde_json::Value;
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

use crate::collect::Shown;

/// Flattens nested validation errors into one violation per path (the
/// first rule that failed), with paths like `a.b[2].c`.
pub(crate) fn violations(errors: &ValidationErrors) -> Vec<Violation> {
    let mut out = Vec::new();
    flatten(errors, "", &mut out, 0);
    out
}

/// Appends to `out` the violations of `errors` whose paths the schema walk
/// (the first `out.len()` violations) did not flag; returns how many. Only
/// those are mapped: a rule the walk reported already costs no more than
/// its path.
pub(crate) fn push_unflagged(errors: &ValidationErrors, out: &mut Vec<Violation>) -> usize {
    let (walked, before) = (out.len(), out.len());
    flatten(errors, "", out, walked);
    out.len() - before
}

fn join<'a>(prefix: &str, field: &'a str) -> Cow<'a, str> {
    match (prefix.is_empty(), field == "__all__") {
        (_, true) => Cow::Owned(prefix.to_owned()),
        (true, false) => Cow::Borrowed(field),
        (false, false) => Cow::Owned(format!("{prefix}.{field}")),
    }
}

/// Flattens `errors` into `out`, skipping the paths the first `walked`
/// violations of `out` name.
fn flatten(errors: &ValidationErrors, prefix: &str, out: &mut Vec<Violation>, walked: usize) {
    for (field, kind) in errors.errors() {
        let path = join(prefix, field);
        match kind {
            ValidationErrorsKind::Field(errs) => {
                let flagged = out[..walked].iter().any(|f| f.field() == path);
                if let (false, Some(first)) = (flagged, errs.first()) {
                    out.push(map(&path, first));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out, walked),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{path}[{i}]"), out, walked);
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

/// How a `range` rule's bound reads: an integer's exclusive bound becomes
/// the next allowed value; a decimal's stays exclusive. The bounds are the
/// app's own, so they are shown.
fn range_bound(bound: &Value, exclusive: bool, step: i128) -> Shown {
    let int = bound
        .as_i64()
        .map(i128::from)
        .or_else(|| bound.as_u64().map(i128::from));
    match int {
        Some(i) => Shown::integer(i, exclusive, None, step),
        None if exclusive => Shown::Exclusive(shown(bound)),
        None => Shown::Inclusive(shown(bound)),
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
            let (min, exclusive_min) = match (param(e, "min"), param(e, "exclusive_min")) {
                (Some(m), _) => (Some(m), false),
                (None, m) => (m, m.is_some()),
            };
            let (max, exclusive_max) = match (param(e, "max"), param(e, "exclusive_max")) {
                (Some(m), _) => (Some(m), false),
                (None, m) => (m, m.is_some()),
            };
            let below = match (value, min.and_then(Value::as_f64)) {
                (Some(x), Some(m)) => x < m || (exclusive_min && x <= m),
                _ => false,
            };
            match (below, min, max) {
                (true, Some(m), _) => {
                    range_bound(m, exclusive_min, 1).violation(path, ErrorCode::TOO_SMALL, "min")
                }
                (_, _, Some(m)) => {
                    range_bound(m, exclusive_max, -1).violation(path, ErrorCode::TOO_LARGE, "max")
                }
                (_, Some(m), None) => {
                    range_bound(m, exclusive_min, 1).violation(path, ErrorCode::TOO_SMALL, "min")
                }
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
            let code =
                ErrorCode::new(Cow::Owned(other.to_owned())).unwrap_or(ErrorCode::INVALID_VALUE);
            // A custom rule's own message parameters reach its message.
            [
                ("min", "min"),
                ("max", "max"),
                (contract_core::BOUND, contract_core::BOUND),
            ]
            .into_iter()
            .filter_map(|(name, key)| param(e, key).map(|p| (name, shown(p))))
            .fold(v(code), |v, (name, p)| v.with_param(name, p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_rules_bound_reaches_its_message() {
        let mut e = ValidationError::new("too_large");
        e.add_param("max".into(), &100);
        e.add_param("value".into(), &"ignored");
        let v = map("year", &e);
        assert_eq!(v.code(), &ErrorCode::TOO_LARGE);
        let catalog = contract_core::Catalog::new();
        let en = contract_core::Locale::from_static("en");
        let envelope =
            contract_core::Error::validation(vec![v]).to_envelope(&catalog, &en, "id", false);
        assert_eq!(envelope.fields[0].message, "At most 100");
        // Without a number, the bound reads as one.
        let v = map("year", &ValidationError::new("too_large"));
        let envelope =
            contract_core::Error::validation(vec![v]).to_envelope(&catalog, &en, "id", false);
        assert_eq!(envelope.fields[0].message, "Too large");
    }

    #[test]
    fn an_exclusive_range_reads_as_the_next_value_or_more_than() {
        let mut e = ValidationError::new("range");
        e.add_param("value".into(), &0);
        e.add_param("exclusive_min".into(), &0);
        let catalog = contract_core::Catalog::new();
        let en = contract_core::Locale::from_static("en");
        let render = |v: Violation| {
            contract_core::Error::validation(vec![v])
                .to_envelope(&catalog, &en, "id", false)
                .fields[0]
                .message
                .to_string()
        };
        assert_eq!(render(map("n", &e)), "At least 1");
        let mut e = ValidationError::new("range");
        e.add_param("value".into(), &0.5);
        e.add_param("exclusive_min".into(), &0.5);
        assert_eq!(render(map("x", &e)), "More than 0.5");
    }
}
