//! Patch bodies: a request schema with a tri-state property (`x-patch`,
//! absent leaves the value, `null` clears it) gets a builder that sends
//! exactly the properties set, `null` included. The Kotlin, Swift and Dart
//! clients openapi-generator writes drop nulls, so without it they cannot
//! clear a field (`openapi/clients.md`).

use contract_core::keyword;
use serde_json::Value;

use contract_openapi::document::Spec;

/// A request schema with a tri-state property.
pub(crate) struct PatchBody {
    /// The component's name.
    pub(crate) name: String,
    /// Its scalar properties (a builder sets scalars; the others are left
    /// to the generated model).
    pub(crate) properties: Vec<PatchProperty>,
}

/// One settable property of a patch body.
pub(crate) struct PatchProperty {
    /// The wire name.
    pub(crate) name: String,
    /// Its JSON type.
    pub(crate) scalar: Scalar,
    /// Whether `null` clears it (a tri-state property).
    pub(crate) tri_state: bool,
}

impl PatchProperty {
    /// Its setter's doc line, `null` spelled as the language spells it.
    pub(crate) fn doc(&self, null: &str) -> String {
        let what = if self.tri_state {
            format!("sets it, or clears it with `{null}`")
        } else {
            "sets it".to_owned()
        };
        format!("`{}`: {what}.", self.name)
    }
}

/// The JSON scalar types a builder sets.
#[derive(Clone, Copy)]
pub(crate) enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
}

impl Scalar {
    /// This type's name among a language's `[string, integer, number, boolean]`.
    pub(crate) fn pick(self, names: [&'static str; 4]) -> &'static str {
        names[self as usize]
    }
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
            .filter_map(|(k, p)| {
                Some(PatchProperty {
                    name: k.clone(),
                    scalar: scalar(p)?,
                    tri_state: tri(p),
                })
            })
            .collect();
        out.push(PatchBody {
            name: name.to_owned(),
            properties,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The scalar JSON type of a property, if it is one.
fn scalar(p: &Value) -> Option<Scalar> {
    let types: Vec<&str> = match p.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    match types.iter().find(|t| **t != "null").copied()? {
        "string" => Some(Scalar::String),
        "integer" => Some(Scalar::Integer),
        "number" => Some(Scalar::Number),
        "boolean" => Some(Scalar::Boolean),
        _ => None,
    }
}
