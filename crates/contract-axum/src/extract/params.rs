//! Path and query parameters held to their type's schema: the rules of a
//! parameter are the ones the spec publishes for it.
//!
//! `Path<T>` and `Query<T>` take any `T: DeserializeOwned + JsonSchema`,
//! `Path<i32>` and `Path<(i64, String)>` included. A bound of
//! `validator::Validate` (or of a contract trait implemented both for every
//! `Validate` type and for the primitives and tuples) cannot express that:
//! coherence refuses the pair of impls, since `validator` may one day
//! implement `Validate` for `i32` (E0119), and a wrapper would change every
//! existing `Path<T>`. So the rules come from the schema, which schemars
//! writes from the same `#[validate(...)]` attributes: `range`, `length`,
//! `regex`, `email`... A rule the schema cannot state (`custom`, a
//! struct-level `schema` function) is not run on parameters; check it in
//! the handler, where it also shows it is not in the spec.

use contract_core::{Error, ErrorCode, Violation};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::collect::{self, Shown, Walk};
use crate::node::Node;

/// The keywords that state a rule beyond a parameter's type.
const RULES: [&str; 12] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "enum",
    "const",
];

fn states_rules(schema: &Value) -> bool {
    match schema {
        Value::Object(o) => {
            let unsigned = o
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| f.starts_with("uint"));
            o.iter().any(|(k, v)| {
                // serde already refuses a negative unsigned integer.
                let implied = unsigned && k == "minimum" && v.as_f64() == Some(0.0);
                (RULES.contains(&k.as_str()) && !implied) || states_rules(v)
            })
        }
        Value::Array(a) => a.iter().any(states_rules),
        _ => false,
    }
}

/// Whether `T` is an object whose schema states rules: only then does a
/// parsed value need a check.
pub(super) fn has_rules<T: JsonSchema + 'static>() -> bool {
    collect::facts::<T>().param_rules
}

/// Whether a schema, as the schema of parameters, is an object that states
/// rules beyond its properties' types.
pub(crate) fn rules(schema: &Value) -> bool {
    is_object(schema) && states_rules(schema)
}

fn is_object(schema: &Value) -> bool {
    schema.get("properties").is_some() || super::schema_types(schema).contains(&"object")
}

/// The parameters as an object of `T`'s schema, each text typed as its
/// property expects.
fn object(schema: &Value, pairs: &[(String, String)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(name, text)| {
                let prop = super::property_schema(schema, name);
                (name.clone(), super::coerce(text, prop))
            })
            .collect(),
    )
}

/// On the happy path, when [`has_rules`]: holds parsed parameters, given
/// as (name, text) pairs, to the rules their schema states.
pub(super) fn check<T: JsonSchema + 'static>(pairs: &[(String, String)]) -> Result<(), Error> {
    if !has_rules::<T>() {
        return Ok(());
    }
    let schema = collect::schema_of::<T>();
    let value = object(&schema, pairs);
    match collect::walk(&schema, &mut Node::from_value(&value)) {
        Walk::Violations(fields) if !fields.is_empty() => {
            Err(Error::validation(fields).with_detail("a parameter breaks its schema's rules"))
        }
        _ => Ok(()),
    }
}

/// After a failed typed parse of the parameters `pairs` (in the route's or
/// the query's order): a violation per parameter at fault, named by it, or
/// `T` when the only problem was a form the schema allows (`1.0` for an
/// integer).
pub(super) fn recover<T>(
    pairs: &[(String, String)],
    serde_error: impl std::fmt::Display,
) -> Result<T, Error>
where
    T: DeserializeOwned + JsonSchema + 'static,
{
    let schema = collect::schema_of::<T>();
    let serde_error = serde_error.to_string();
    let fields = if is_object(&schema) {
        let value = object(&schema, pairs);
        let mut node = Node::from_value(&value);
        match collect::walk(&schema, &mut node) {
            Walk::Violations(fields) => fields,
            Walk::Clean { normalized: true } => {
                if let Ok(parsed) = serde_json::from_value::<T>(node.to_value()) {
                    check::<T>(pairs)?;
                    return Ok(parsed);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    } else {
        // A scalar or a tuple: the parameters by position.
        let positions = match schema.get("prefixItems").and_then(Value::as_array) {
            Some(items) => items.iter().collect(),
            None => vec![&**schema],
        };
        pairs
            .iter()
            .zip(positions)
            .filter_map(|((name, text), schema)| scalar(name, text, schema))
            .collect()
    };
    if fields.is_empty() {
        // Nothing the schema describes: name the first parameter.
        let field = pairs.first().map(|(n, _)| n.clone()).unwrap_or_default();
        return Err(
            Error::validation(vec![Violation::new(field, ErrorCode::INVALID_VALUE)])
                .with_detail(serde_error),
        );
    }
    Err(Error::validation(fields).with_detail(serde_error))
}

/// What is wrong with `text` as a value of a scalar `schema`, if anything.
fn scalar(name: &str, text: &str, schema: &Value) -> Option<Violation> {
    let types = super::schema_types(schema);
    let v = |code| Some(Violation::new(name, code));
    if types.contains(&"string") {
        return None;
    }
    if types.contains(&"integer") {
        let Ok(n) = text.parse::<i128>() else {
            return v(ErrorCode::NOT_INTEGER);
        };
        let (lo, hi) = integer_range(schema);
        return match (lo, hi) {
            (Some((lo, shown)), _) if n < lo => {
                Some(shown.violation(name, ErrorCode::TOO_SMALL, "min"))
            }
            (_, Some((hi, shown))) if n > hi => {
                Some(shown.violation(name, ErrorCode::TOO_LARGE, "max"))
            }
            _ => None,
        };
    }
    if types.contains(&"number") {
        return text
            .parse::<f64>()
            .is_err()
            .then(|| Violation::new(name, ErrorCode::NOT_NUMBER));
    }
    if types.contains(&"boolean") {
        return (!matches!(text, "true" | "false"))
            .then(|| Violation::new(name, ErrorCode::NOT_BOOLEAN));
    }
    v(ErrorCode::INVALID_VALUE)
}

/// One side of an integer range, and what a message shows of it.
type IntBound = (i128, Shown);

/// An integer schema's range: its bounds, else its format's; each with what
/// a message shows of it.
fn integer_range(schema: &Value) -> (Option<IntBound>, Option<IntBound>) {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let (flo, fhi) = collect::format_range(format).unwrap_or((i128::MIN, i128::MAX));
    let int = |k: &str| {
        let v = schema.get(k)?;
        v.as_i64()
            .map(i128::from)
            .or_else(|| v.as_u64().map(i128::from))
    };
    let side = |inclusive: &str, exclusive: &str, limit: i128, step: i128| {
        let own = match (int(inclusive), int(exclusive)) {
            (Some(b), _) => Some((b, Shown::integer(b, false, Some(limit), step))),
            (None, Some(b)) => Some((b + step, Shown::integer(b, true, Some(limit), step))),
            (None, None) => None,
        };
        let kept = own.filter(|(b, _)| if step > 0 { *b >= limit } else { *b <= limit });
        match kept {
            Some(bound) => Some(bound),
            None if limit == i128::MIN || limit == i128::MAX => None,
            None => Some((limit, Shown::integer(limit, false, Some(limit), step))),
        }
    };
    (
        side("minimum", "exclusiveMinimum", flo, 1),
        side("maximum", "exclusiveMaximum", fhi, -1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_the_keywords_beyond_the_type() {
        #[derive(schemars::JsonSchema)]
        #[allow(dead_code, reason = "only its schema is read")]
        struct Plain {
            id: u32,
            name: String,
        }
        #[derive(schemars::JsonSchema)]
        #[allow(dead_code, reason = "only its schema is read")]
        struct Ruled {
            #[schemars(range(min = 1))]
            id: i64,
        }
        assert!(!has_rules::<Plain>());
        assert!(has_rules::<Ruled>());
        assert!(!has_rules::<i32>(), "a scalar is held by its type alone");
    }

    #[test]
    fn a_scalar_parameter_gets_the_code_of_its_type() {
        let int = serde_json::json!({"type": "integer", "format": "uint8"});
        let code = |text| scalar("n", text, &int).map(|v| v.code().to_string());
        assert_eq!(code("x").as_deref(), Some("not_integer"));
        assert_eq!(code("256").as_deref(), Some("too_large"));
        assert_eq!(code("-1").as_deref(), Some("too_small"));
        assert_eq!(code("7"), None);
        let flag = serde_json::json!({"type": "boolean"});
        assert!(scalar("f", "yes", &flag).is_some());
    }
}
