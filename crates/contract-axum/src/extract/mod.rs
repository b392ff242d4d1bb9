//! Extractors that validate and reject with the envelope, reporting every
//! problem at once.

mod json;
mod params;
mod path;
mod query;
mod validation;

pub use json::{Json, body_bytes};
pub use path::Path;
pub use query::Query;

use contract_core::Error;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::{Validate, ValidationErrors};

use crate::collect::{self, TypeSchema, Walk};
use crate::node::Node;

/// Where a value serde parsed stands after `validate()`.
enum Gate {
    /// Valid, and the schema has no rule `validate()` leaves unchecked.
    Pass,
    /// The schema walk decides, with `validate()`'s report if it failed.
    Walk(Option<ValidationErrors>),
}

/// The fast gate on a value serde parsed as `T`. The schema (the one the
/// spec publishes) is the source of every rule, and its walk decides the
/// violations: `validate()` only answers "valid" quickly for types whose
/// schema has no rule between properties. `suspect` forces the walk (a
/// body serde took that the schema may not, such as an array for an
/// object).
fn gate<T: Validate + JsonSchema + 'static>(value: &T, suspect: bool) -> Gate {
    match value.validate() {
        Ok(()) if !suspect && !collect::facts::<T>().conditional => Gate::Pass,
        Ok(()) => Gate::Walk(None),
        Err(errors) => Gate::Walk(Some(errors)),
    }
}

/// Decides the violations of a request (`node`, when the caller has it):
/// the schema walk's, then `validate()`'s for paths the walk did not flag
/// (rules JSON Schema cannot state, such as a custom function), all in
/// request order.
fn decide(
    schema: &TypeSchema,
    node: Option<Node<'_>>,
    errors: Option<ValidationErrors>,
) -> Result<(), Error> {
    let mut fields = Vec::new();
    if let Some(mut node) = node {
        match collect::walk(schema, &mut node) {
            Walk::RootMismatch => {
                return Err(Error::malformed_body()
                    .with_detail("the body is not the JSON value the schema takes"));
            }
            Walk::Violations(walked) => fields = walked,
            Walk::Clean { .. } => {}
        }
        // The walk's violations come in request order; the rules only
        // `validate()` knows are placed among them.
        if let Some(errors) = &errors
            && validation::push_unflagged(errors, &mut fields) > 0
        {
            collect::sort_in_request_order(&mut fields, &node);
        }
    } else if let Some(errors) = &errors {
        fields = validation::violations(errors);
    }
    if fields.is_empty() {
        return Ok(());
    }
    let error = Error::validation(fields);
    Err(match errors {
        Some(errors) => error.with_detail(errors),
        None => error.with_detail("the value breaks a rule of its schema"),
    })
}

/// After a failed typed parse of `value`: collects every violation against
/// `T`'s schema, or recovers `T` when the only problems were forms the
/// schema allows (an integral float for an integer).
fn recover<T>(
    mut node: Node<'_>,
    serde_error: impl std::fmt::Display + Send + Sync + 'static,
) -> Result<T, Error>
where
    T: DeserializeOwned + Validate + JsonSchema + 'static,
{
    let schema = collect::schema_of::<T>();
    // The walk visits the value's members in request order, so its
    // violations need no sorting.
    match collect::walk(&schema, &mut node) {
        Walk::RootMismatch => Err(Error::malformed_body().with_detail(serde_error)),
        Walk::Violations(fields) if !fields.is_empty() => {
            Err(Error::validation(fields).with_detail(serde_error))
        }
        Walk::Violations(_) => Err(Error::malformed_body().with_detail(serde_error)),
        // Only integral floats were rewritten: parse the rewritten value.
        Walk::Clean { normalized: true } => match serde_json::from_value::<T>(node.to_value()) {
            Ok(parsed) => {
                if let Gate::Walk(errors) = gate(&parsed, false) {
                    decide(&schema, Some(node), errors)?;
                }
                Ok(parsed)
            }
            Err(_) => Err(Error::malformed_body().with_detail(serde_error)),
        },
        // The schema does not describe what serde refused (a duplicate key,
        // say): the body as a whole is malformed.
        Walk::Clean { normalized: false } => Err(Error::malformed_body().with_detail(serde_error)),
    }
}

/// Text from a URL, typed as its schema expects where it parses; left as a
/// string otherwise, so the walk reports the right type error.
fn coerce(text: &str, schema: Option<&Value>) -> Value {
    let Some(schema) = schema else {
        return Value::String(text.to_owned());
    };
    let types = collect::schema_types(schema);
    if types.contains(&"string") {
        return Value::String(text.to_owned());
    }
    if types.contains(&"integer") {
        if let Ok(i) = text.parse::<i64>() {
            return Value::from(i);
        }
        if let Ok(u) = text.parse::<u64>() {
            return Value::from(u);
        }
        if text
            .trim_start_matches(['-', '+'])
            .bytes()
            .all(|b| b.is_ascii_digit())
            && !text.is_empty()
        {
            // Too many digits for any integer: out of range.
            let huge = if text.starts_with('-') {
                f64::MIN
            } else {
                f64::MAX
            };
            return serde_json::Number::from_f64(huge).map_or(Value::Null, Value::Number);
        }
    }
    if types.contains(&"number")
        && let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(n);
    }
    if types.contains(&"boolean") {
        match text {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    Value::String(text.to_owned())
}

/// `Deref`/`DerefMut` to the extracted value, as axum's own extractors
/// have: `query.limit` for a `Query<Page>`.
macro_rules! deref_to_value {
    ($($extractor:ident),*) => {$(
        impl<T> std::ops::Deref for $extractor<T> {
            type Target = T;

            fn deref(&self) -> &T {
                &self.0
            }
        }

        impl<T> std::ops::DerefMut for $extractor<T> {
            fn deref_mut(&mut self) -> &mut T {
                &mut self.0
            }
        }
    )*};
}

deref_to_value!(Json, Path, Query);

#[cfg(test)]
mod deref_tests {
    use super::{Json, Path, Query};

    #[test]
    fn extractors_deref_to_their_value() {
        struct Page {
            limit: u32,
        }
        let mut q = Query(Page { limit: 10 });
        q.limit += 1;
        assert_eq!(q.limit, 11);
        assert_eq!(Path(7_u32).pow(2), 49);
        assert_eq!(Json(String::from("ab")).len(), 2);
    }
}

#[cfg(test)]
mod decide_tests {
    use schemars::JsonSchema;
    use serde::Deserialize;
    use validator::{Validate, ValidationError};

    use super::json::decode;

    fn even(n: i64) -> Result<(), ValidationError> {
        if n % 2 == 0 {
            Ok(())
        } else {
            Err(ValidationError::new("not_even"))
        }
    }

    /// A custom function (a rule the schema cannot state), a schema rule,
    /// and a rule between properties.
    #[derive(Debug, Deserialize, Validate, JsonSchema)]
    #[schemars(transform = card_needs_cvc)]
    #[allow(dead_code)] // read by the rules only
    struct Body {
        #[validate(custom(function = "even"))]
        n: i64,
        #[validate(length(min = 3))]
        name: String,
        #[serde(default)]
        card: Option<String>,
        #[serde(default)]
        cvc: Option<String>,
    }

    fn card_needs_cvc(schema: &mut schemars::Schema) {
        schema.insert(
            "dependentRequired".into(),
            serde_json::json!({"card": ["cvc"]}),
        );
    }

    fn fields(body: &str) -> Vec<(String, String)> {
        match decode::<Body>(body.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(e) => e
                .fields()
                .iter()
                .map(|v| (v.field().to_owned(), v.code().as_str().to_owned()))
                .collect(),
        }
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
            .collect()
    }

    #[test]
    fn every_rule_of_a_parsed_body_is_reported_in_request_order() {
        assert_eq!(
            fields(r#"{"card": "4242", "name": "ab", "n": 3}"#),
            pairs(&[
                ("name", "too_short"),
                ("n", "not_even"),
                ("cvc", "required")
            ])
        );
        // Only the rule between properties: `validate()` passes, the schema
        // still decides.
        assert_eq!(
            fields(r#"{"n": 2, "name": "abc", "card": "4242"}"#),
            pairs(&[("cvc", "required")])
        );
        assert!(fields(r#"{"n": 2, "name": "abc", "card": "4242", "cvc": "123"}"#).is_empty());
    }

    #[test]
    fn the_same_rules_when_serde_refused_the_body() {
        assert_eq!(
            fields(r#"{"card": "4242", "name": 5, "n": 2}"#),
            pairs(&[("name", "not_string"), ("cvc", "required")])
        );
    }
}
