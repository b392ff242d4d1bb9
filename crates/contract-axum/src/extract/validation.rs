//! From `validator`'s errors to violations, with client paths and
//! contract's field codes. A rule schemars publishes (`length`, `range`,
//! `email`, `regex`...) is named by the walk's own table, from the keywords
//! it is published as; only a rule the schema cannot state keeps the code
//! its report gives.

use std::borrow::Cow;

use contract_core::{ErrorCode, Violation};
use serde_json::{Value, json};
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

use crate::collect;

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

/// A pattern no text matches: a text a `validator` rule refused, reported
/// as the walk reports a refused `pattern` (`blank` for a blank text).
const REFUSED: &str = "[^\\s\\S]";

/// The schema keywords `validator`'s rule `e` is published as by schemars,
/// with its bounds from the report; `None` for a rule the schema cannot
/// state (a custom function's).
fn published(e: &ValidationError) -> Option<Value> {
    let p = |name: &str| param(e, name).cloned();
    Some(match &*e.code {
        "length" => {
            let (min, max) = match p("equal") {
                Some(n) => (Some(n.clone()), Some(n)),
                None => (p("min"), p("max")),
            };
            let list = matches!(param(e, "value"), Some(Value::Array(_)));
            let (lo, hi) = if list {
                ("minItems", "maxItems")
            } else {
                ("minLength", "maxLength")
            };
            let mut rule = serde_json::Map::new();
            rule.extend(min.map(|n| (lo.to_owned(), n)));
            rule.extend(max.map(|n| (hi.to_owned(), n)));
            Value::Object(rule)
        }
        "range" => {
            let integer = param(e, "value").is_some_and(|v| v.is_i64() || v.is_u64());
            let mut rule = serde_json::Map::new();
            rule.insert(
                "type".into(),
                json!(if integer { "integer" } else { "number" }),
            );
            for (from, to) in [
                ("min", "minimum"),
                ("max", "maximum"),
                ("exclusive_min", "exclusiveMinimum"),
                ("exclusive_max", "exclusiveMaximum"),
            ] {
                rule.extend(p(from).map(|n| (to.to_owned(), n)));
            }
            Value::Object(rule)
        }
        "email" => json!({ "type": "string", "format": "email" }),
        "required" => json!({}),
        "url"
        | "regex"
        | "contains"
        | "does_not_contain"
        | "non_control_character"
        | "credit_card"
        | "invalid_format"
        | "blank" => json!({ "pattern": REFUSED }),
        _ => return None,
    })
}

/// The violation of `path` for `validator`'s report `e`: a rule schemars
/// publishes is judged by the walk's table, from its keywords; a custom
/// rule's code is its own, with its message parameters.
fn map(path: &str, e: &ValidationError) -> Violation {
    if let Some(rule) = published(e) {
        // `required` refuses an absent value, whatever its report holds.
        let required = e.code == "required";
        let value = param(e, "value").filter(|_| !required);
        return collect::judge(path, rule, value, required)
            .unwrap_or_else(|| Violation::new(path, ErrorCode::INVALID_VALUE));
    }
    let code = ErrorCode::new(e.code.clone()).unwrap_or(ErrorCode::INVALID_VALUE);
    // A custom rule's own message parameters reach its message.
    [
        ("min", "min"),
        ("max", "max"),
        (contract_core::BOUND, contract_core::BOUND),
    ]
    .into_iter()
    .filter_map(|(name, key)| param(e, key).map(|p| (name, shown(p))))
    .fold(Violation::new(path, code), |v, (name, p)| {
        v.with_param(name, p)
    })
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
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

    #[test]
    fn a_builtin_rules_report_gets_the_code_the_walk_gives_its_keyword() {
        let report = |rule: &'static str, params: &[(&str, Value)]| {
            let mut e = ValidationError::new(rule);
            for (name, value) in params {
                e.add_param((*name).to_owned().into(), value);
            }
            let v = map("f", &e);
            let params: Vec<String> = v.params().iter().map(|(n, p)| format!("{n}={p}")).collect();
            format!("{} {}", v.code(), params.join(","))
        };
        let text = |s: &str| json!(s);
        assert_eq!(
            report("length", &[("min", json!(3)), ("value", text("ab"))]),
            "too_short min=3"
        );
        assert_eq!(
            report("length", &[("max", json!(2)), ("value", text("abc"))]),
            "too_long max=2"
        );
        assert_eq!(
            report(
                "length",
                &[("equal", json!(2)), ("value", json!([1, 2, 3]))]
            ),
            "too_many_items max=2"
        );
        assert_eq!(
            report("range", &[("max", json!(10)), ("value", json!(11))]),
            "too_large max=10"
        );
        assert_eq!(
            report("email", &[("value", text("nope"))]),
            "invalid_email "
        );
        assert_eq!(report("required", &[("value", Value::Null)]), "required ");
        assert_eq!(report("regex", &[("value", text(" "))]), "blank ");
        assert_eq!(report("regex", &[("value", text("x"))]), "invalid_format ");
        assert_eq!(report("not_prime", &[("value", json!(4))]), "not_prime ");
    }
}
