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
