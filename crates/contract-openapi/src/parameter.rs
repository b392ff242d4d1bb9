//! [`Parameter`]: a path, query, header or cookie parameter of an
//! operation.

use serde_json::{Map, Value, json};

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum In {
    /// A `{name}` segment of the path; always required.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl In {
    /// The name OpenAPI gives the location.
    pub fn as_str(self) -> &'static str {
        match self {
            In::Path => "path",
            In::Query => "query",
            In::Header => "header",
            In::Cookie => "cookie",
        }
    }
}

/// One parameter of an operation: its name, where it is sent, whether it
/// is required, and its JSON Schema.
///
/// ```
/// use contract_openapi::{In, Parameter};
/// use serde_json::json;
///
/// let p = Parameter::new("seminar_id", In::Path, json!({"type": "integer"}))
///     .description("The seminar.");
/// assert_eq!(
///     p.to_value(),
///     json!({"name": "seminar_id", "in": "path", "required": true,
///            "description": "The seminar.", "schema": {"type": "integer"}})
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    name: String,
    location: In,
    required: bool,
    description: Option<String>,
    schema: Value,
}

impl Parameter {
    /// A parameter with this schema; required when in the path, optional
    /// elsewhere until [`Parameter::required`] says otherwise.
    pub fn new(name: impl Into<String>, location: In, schema: Value) -> Self {
        Self {
            name: name.into(),
            location,
            required: location == In::Path,
            description: None,
            schema,
        }
    }

    /// Whether a request must send it (a path parameter always must).
    pub fn required(mut self, required: bool) -> Self {
        self.required = required || self.location == In::Path;
        self
    }

    /// Describes it.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it is sent.
    pub fn location(&self) -> In {
        self.location
    }

    /// Whether it is required.
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// Its JSON Schema.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// The OpenAPI parameter object.
    pub fn to_value(&self) -> Value {
        let mut o = Map::new();
        o.insert("name".into(), json!(self.name));
        o.insert("in".into(), json!(self.location.as_str()));
        o.insert("required".into(), json!(self.required));
        if let Some(d) = &self.description {
            o.insert("description".into(), json!(d));
        }
        o.insert("schema".into(), self.schema.clone());
        Value::Object(o)
    }
}

/// Takes null out of a parameter's schema: the `null` of a `type` list, a
/// `{type: null}` branch of `anyOf`/`oneOf` (a single branch left takes its
/// place), and a `null` default.
pub(crate) fn not_nullable(schema: &mut Value) {
    let Some(o) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = o.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            o.insert("type".into(), only);
        }
    }
    if o.get("default").is_some_and(Value::is_null) {
        o.remove("default");
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = o.get_mut(key) else {
            continue;
        };
        branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
        if branches.len() == 1 {
            let Some(Value::Array(mut one)) = o.remove(key) else {
                unreachable!("checked above")
            };
            if let Value::Object(branch) = one.remove(0) {
                for (k, v) in branch {
                    o.entry(k).or_insert(v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_is_never_null() {
        let mut s = json!({"type": ["integer", "null"], "format": "uint", "default": null});
        not_nullable(&mut s);
        assert_eq!(s, json!({"type": "integer", "format": "uint"}));
        let mut s = json!({"anyOf": [{"$ref": "#/components/schemas/Role"}, {"type": "null"}], "description": "d"});
        not_nullable(&mut s);
        assert_eq!(
            s,
            json!({"$ref": "#/components/schemas/Role", "description": "d"})
        );
    }
}
