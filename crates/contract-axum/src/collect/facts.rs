//! What the extractors ask of a schema: its types, a property's schema,
//! and whether, as the schema of parameters, it states rules beyond its
//! properties' types.

use serde_json::Value;

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

/// Whether a schema, as the schema of parameters, is an object that states
/// rules beyond its properties' types.
pub(crate) fn param_rules(schema: &Value) -> bool {
    is_object(schema) && states_rules(schema)
}

/// Whether a schema is an object's.
pub(crate) fn is_object(schema: &Value) -> bool {
    schema.get("properties").is_some() || schema_types(schema).contains(&"object")
}

/// The schema of property `name` of a root object schema, its `$ref`
/// followed.
pub(crate) fn property_schema<'a>(root: &'a Value, name: &str) -> Option<&'a Value> {
    let prop = root.get("properties")?.get(name)?;
    Some(contract_openapi::resolve(root, prop))
}

/// The types a schema names, its `anyOf`/`oneOf` branches' included.
pub(crate) fn schema_types(schema: &Value) -> Vec<&str> {
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
