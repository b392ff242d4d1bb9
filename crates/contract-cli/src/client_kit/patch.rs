//! Patch bodies: a request schema with a tri-state property (`x-patch`,
//! absent leaves the value, `null` clears it) gets a builder that sends
//! exactly the properties set, `null` included. The Kotlin, Swift and Dart
//! clients openapi-generator writes drop nulls, so without it they cannot
//! clear a field (`openapi/clients.md`).

use contract_core::keyword;
use serde_json::Value;

use crate::spec::Spec;

/// A request schema with a tri-state property.
pub(crate) struct PatchBody {
    /// The component's name.
    pub(crate) name: String,
    /// Each property: (wire name, JSON type, tri-state).
    pub(crate) properties: Vec<(String, &'static str, bool)>,
}

/// Every component with a tri-state property, in name order.
pub(crate) fn patch_bodies(doc: &Value) -> Vec<PatchBody> {
    let spec = Spec::new(doc);
    let mut out = Vec::new();
    for (name, schema) in spec.schemas() {
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let tri = |p: &Value| {
            p.get(keyword::PATCH) == Some(&Value::Bool(true))
                || p.get(keyword::CLASS).and_then(Value::as_str) == Some("tri-state")
        };
        if !props.values().any(tri) {
            continue;
        }
        let properties = props
            .iter()
            .map(|(k, p)| (k.clone(), json_type(p), tri(p)))
            .collect();
        out.push(PatchBody {
            name: name.to_owned(),
            properties,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The JSON type of a property (`string`, `integer`, `number`, `boolean`),
/// or `any` for the rest.
fn json_type(p: &Value) -> &'static str {
    let types: Vec<&str> = match p.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    match types.iter().find(|t| **t != "null").copied() {
        Some("string") => "string",
        Some("integer") => "integer",
        Some("number") => "number",
        Some("boolean") => "boolean",
        _ => "any",
    }
}
