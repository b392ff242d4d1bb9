//! Extractors that validate and reject with the envelope, reporting every
//! problem at once.

mod json;
mod params;
mod path;
mod query;
mod validation;

pub use json::Json;
pub use path::Path;
pub use query::Query;

use contract_core::Error;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::Validate;

use crate::collect::{self, Walk};
use crate::node::Node;

/// Runs `validate()` on a parsed value; on failure, reports every violation
/// in request order (`request` gives the order, parsed only on failure).
fn validate<T: Validate>(value: &T, request: impl FnOnce() -> Option<Value>) -> Result<(), Error> {
    match value.validate() {
        Ok(()) => Ok(()),
        Err(errors) => {
            let mut fields = validation::violations(&errors);
            if let Some(request) = request() {
                validation::sort_in_request_order(&mut fields, &request);
            }
            Err(Error::validation(fields).with_detail(errors))
        }
    }
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
        Walk::Clean { normalized: true } => {
            let value = node.to_value();
            match serde_json::from_value::<T>(value.clone()) {
                Ok(parsed) => {
                    validate(&parsed, || Some(value))?;
                    Ok(parsed)
                }
                Err(_) => Err(Error::malformed_body().with_detail(serde_error)),
            }
        }
        // The schema does not describe what serde refused (a duplicate key,
        // say): the body as a whole is malformed.
        Walk::Clean { normalized: false } => Err(Error::malformed_body().with_detail(serde_error)),
    }
}

/// Holds a value that serde already parsed as `T` to `T`'s schema, which
/// can be stricter than serde (a derived struct also parses from an array).
fn conform<T: JsonSchema + 'static>(value: Value) -> Result<(), Error> {
    let schema = collect::schema_of::<T>();
    let mut node = Node::from_value(&value);
    match collect::walk(&schema, &mut node) {
        Walk::RootMismatch => {
            Err(Error::malformed_body()
                .with_detail("the body is not the JSON value the schema takes"))
        }
        Walk::Violations(mut fields) if !fields.is_empty() => {
            validation::sort_in_request_order(&mut fields, &value);
            Err(Error::validation(fields).with_detail("the body does not match the schema"))
        }
        Walk::Violations(_) | Walk::Clean { .. } => Ok(()),
    }
}

/// The schema of property `name` of a root object schema, following one
/// `$ref` level.
fn property_schema<'a>(root: &'a Value, name: &str) -> Option<&'a Value> {
    let mut prop = root.get("properties")?.get(name)?;
    if let Some(r) = prop.get("$ref").and_then(Value::as_str) {
        prop = root.get("$defs")?.get(r.strip_prefix("#/$defs/")?)?;
    }
    Some(prop)
}

fn schema_types(schema: &Value) -> Vec<&str> {
    let mut types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(bs)) = schema.get(key) {
            for b in bs {
                types.extend(schema_types(b));
            }
        }
    }
    types
}

/// Text from a URL, typed as its schema expects where it parses; left as a
/// string otherwise, so the walk reports the right type error.
fn coerce(text: &str, schema: Option<&Value>) -> Value {
    let Some(schema) = schema else {
        return Value::String(text.to_owned());
    };
    let types = schema_types(schema);
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
