//! [`Operation`]: one documented method on one path.

use contract_core::Declared;
use serde_json::Value;

/// One operation, as extractors, responses and error types describe it.
#[derive(Debug, Clone)]
pub struct Operation {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) operation_id: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) parameters: Vec<Value>,
    pub(crate) request_body: Option<(Value, bool)>,
    pub(crate) success: Option<(u16, Option<Value>)>,
    pub(crate) errors: Vec<Declared>,
    pub(crate) security: Vec<String>,
}

impl Operation {
    /// An operation for `method` (any case) on an OpenAPI `path`
    /// (`/seminar/{seminar_id}/`).
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_ascii_lowercase(),
            path: path.to_owned(),
            operation_id: None,
            summary: None,
            description: None,
            tags: Vec::new(),
            parameters: Vec::new(),
            request_body: None,
            success: None,
            errors: Vec::new(),
            security: Vec::new(),
        }
    }

    /// The HTTP method, lowercase.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path template.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The `operationId`, if set.
    pub fn id(&self) -> Option<&str> {
        self.operation_id.as_deref()
    }

    /// Sets the `operationId`.
    pub fn operation_id(&mut self, id: impl Into<String>) -> &mut Self {
        self.operation_id = Some(id.into());
        self
    }

    /// Sets the one-line summary.
    pub fn summary(&mut self, s: impl Into<String>) -> &mut Self {
        self.summary = Some(s.into());
        self
    }

    /// Sets the description.
    pub fn description(&mut self, s: impl Into<String>) -> &mut Self {
        self.description = Some(s.into());
        self
    }

    /// Adds a tag.
    pub fn tag(&mut self, t: impl Into<String>) -> &mut Self {
        self.tags.push(t.into());
        self
    }

    /// Adds a parameter object (`in`, `name`, `required`, `schema`).
    pub fn parameter(&mut self, p: Value) -> &mut Self {
        self.parameters.push(p);
        self
    }

    /// Sets the JSON request body's schema and whether it is required.
    pub fn request_body(&mut self, schema: Value, required: bool) -> &mut Self {
        self.request_body = Some((schema, required));
        self
    }

    /// Sets the success status and its JSON body schema (`None`: no body).
    pub fn success(&mut self, status: u16, schema: Option<Value>) -> &mut Self {
        self.success = Some((status, schema));
        self
    }

    /// Declares an error (status, code) this operation can answer.
    pub fn error(&mut self, e: Declared) -> &mut Self {
        if !self
            .errors
            .iter()
            .any(|d| d.status == e.status && d.code == e.code)
        {
            self.errors.push(e);
        }
        self
    }

    /// Requires the named security scheme.
    pub fn security(&mut self, scheme: impl Into<String>) -> &mut Self {
        let scheme = scheme.into();
        if !self.security.contains(&scheme) {
            self.security.push(scheme);
        }
        self
    }

    /// The declared errors.
    pub fn errors(&self) -> &[Declared] {
        &self.errors
    }
}
