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

use crate::collect::{self, Walk};
use crate::node::Node;

/// Whether `T` is an object whose schema states rules: only then does a
/// parsed value need a check.
pub(super) fn has_rules<T: JsonSchema + 'static>() -> bool {
    collect::facts::<T>().param_rules
}

/// The parameters as an object of `T`'s schema, each text typed as its
/// property expects.
fn object(schema: &Value, pairs: &[(String, String)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(name, text)| {
                let prop = collect::property_schema(schema, name);
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
    let serde_error = serde_error.to_string();
    let schema = collect::schema_of::<T>();
    // A scalar or a tuple takes the parameters by position: walked as an
    // object of positions (`"0"`, `"1"`...), its violations named back.
    let by_position = !collect::is_object(&schema);
    let (schema, named) = if by_position {
        let positions = pairs
            .iter()
            .enumerate()
            .map(|(i, (_, text))| (i.to_string(), text.clone()))
            .collect();
        (collect::positional_schema_of::<T>(), positions)
    } else {
        (schema, pairs.to_vec())
    };
    let value = object(&schema, &named);
    let mut node = Node::from_value(&value);
    let fields = match collect::walk(&schema, &mut node) {
        Walk::Violations(mut fields) => {
            if by_position {
                fields.iter_mut().for_each(|v| name_back(v, pairs));
            }
            fields
        }
        Walk::Clean { normalized: true } if !by_position => {
            if let Ok(parsed) = serde_json::from_value::<T>(node.to_value()) {
                check::<T>(pairs)?;
                return Ok(parsed);
            }
            Vec::new()
        }
        _ => Vec::new(),
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

/// `v`'s field, a position (`0`, `1.x`), renamed to that parameter's name.
fn name_back(v: &mut Violation, pairs: &[(String, String)]) {
    let field = v.field();
    let (position, rest) = field.split_at(field.find(['.', '[']).unwrap_or(field.len()));
    if let Some((name, _)) = position.parse().ok().and_then(|i: usize| pairs.get(i)) {
        let field = format!("{name}{rest}");
        v.set_field(field);
    }
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
    fn positional_parameters_get_the_codes_of_their_types_named_by_the_route() {
        let codes = |pairs: &[(&str, &str)], one: bool| {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
                .collect();
            let err = if one {
                recover::<u8>(&pairs, "refused").map(|_| ()).unwrap_err()
            } else {
                recover::<(u16, bool)>(&pairs, "refused")
                    .map(|_| ())
                    .unwrap_err()
            };
            err.fields()
                .iter()
                .map(|v| format!("{} {}", v.field(), v.code()))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&[("n", "x")], true), ["n not_integer"]);
        assert_eq!(codes(&[("n", "256")], true), ["n too_large"]);
        assert_eq!(codes(&[("n", "-1")], true), ["n too_small"]);
        assert_eq!(
            codes(&[("id", "70000"), ("done", "yes")], false),
            ["id too_large", "done not_boolean"]
        );
    }

    #[test]
    fn a_string_enum_parameter_names_the_value_not_one_of_it() {
        #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "lowercase")]
        #[allow(dead_code, reason = "only its schema is read")]
        enum Kind {
            Open,
            Closed,
        }
        let pairs = [("kind".to_owned(), "ajar".to_owned())];
        let err = recover::<Kind>(&pairs, "refused").unwrap_err();
        let fields: Vec<String> = err
            .fields()
            .iter()
            .map(|v| format!("{} {}", v.field(), v.code()))
            .collect();
        assert_eq!(fields, ["kind not_one_of"]);
    }
}
