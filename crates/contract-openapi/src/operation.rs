//! [`Operation`]: one documented method on one path.

use contract_core::Declared;
use serde::Serialize;
use serde_json::Value;

use crate::{Deprecation, Parameter, Security};

/// One operation, as extractors, responses and error types describe it.
#[derive(Debug, Clone)]
pub struct Operation {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) operation_id: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) request_body: Option<(Value, bool)>,
    pub(crate) request_media: Vec<String>,
    pub(crate) success: Option<(u16, Option<Value>)>,
    pub(crate) success_description: Option<String>,
    pub(crate) success_example: Option<Value>,
    pub(crate) success_headers: Vec<(String, String)>,
    pub(crate) not_modified: bool,
    pub(crate) deprecated: Option<Deprecation>,
    pub(crate) errors: Vec<Declared>,
    pub(crate) security: Vec<Security>,
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
            request_media: Vec::new(),
            success: None,
            success_description: None,
            success_example: None,
            success_headers: Vec::new(),
            not_modified: false,
            deprecated: None,
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

    /// Adds a parameter.
    pub fn parameter(&mut self, p: Parameter) -> &mut Self {
        self.parameters.push(p);
        self
    }

    /// Sets the JSON request body's schema and whether it is required.
    pub fn request_body(&mut self, schema: Value, required: bool) -> &mut Self {
        self.request_body = Some((schema, required));
        self
    }

    /// A media type the request body is accepted in, in place of
    /// `application/json` (`text/csv` for an upload, with a `string`
    /// schema); called again, another one, documented with the same schema.
    pub fn request_media(&mut self, media: impl Into<String>) -> &mut Self {
        self.request_media.push(media.into());
        self
    }

    /// Sets the success status and its JSON body schema (`None`: no body).
    pub fn success(&mut self, status: u16, schema: Option<Value>) -> &mut Self {
        self.success = Some((status, schema));
        self
    }

    /// Describes the success response (the default is the status's reason
    /// phrase, `OK`).
    pub fn success_description(&mut self, d: impl Into<String>) -> &mut Self {
        self.success_description = Some(d.into());
        self
    }

    /// An example of the success body.
    ///
    /// # Panics
    /// When `value` does not serialize to JSON (a map with non-string keys).
    pub fn success_example<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        self.success_example = Some(serde_json::to_value(value).expect("the example serializes"));
        self
    }

    /// A header of the success response (a string), with its description.
    pub fn success_header(&mut self, name: &str, description: impl Into<String>) -> &mut Self {
        if !self
            .success_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            self.success_headers
                .push((name.to_owned(), description.into()));
        }
        self
    }

    /// The operation answers `304 Not Modified` (no body, the success
    /// response's headers) to a request whose `If-None-Match` matches.
    pub fn not_modified(&mut self) -> &mut Self {
        self.not_modified = true;
        self
    }

    /// Marks the operation deprecated: `deprecated: true`, its sunset as
    /// `x-sunset`, a sentence in the description, and the headers its
    /// answers carry (`Deprecation`, `Sunset`, `Link`).
    pub fn deprecated(&mut self, deprecation: &Deprecation) -> &mut Self {
        if deprecation.deprecation_header().is_some() {
            self.success_header(
                "Deprecation",
                "When the operation was deprecated (RFC 9745): `@` and a Unix time.",
            );
        }
        if deprecation.sunset_header().is_some() {
            self.success_header(
                "Sunset",
                "When the operation goes away (RFC 8594), an HTTP date.",
            );
        }
        if deprecation.link_header().is_some() {
            self.success_header("Link", "`<…>; rel=\"deprecation\"`: the migration notes.");
        }
        self.deprecated = Some(deprecation.clone());
        self
    }

    /// The success status and body schema, if set.
    pub fn success_response(&self) -> Option<(u16, Option<&Value>)> {
        self.success.as_ref().map(|(s, b)| (*s, b.as_ref()))
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

    /// Uses a security scheme, required or optional: every required scheme
    /// is needed together; an optional one adds an alternative with it. The
    /// spec lists each scheme used under `components.securitySchemes`.
    pub fn security(&mut self, use_: Security) -> &mut Self {
        if !self.security.contains(&use_) {
            self.security.push(use_);
        }
        self
    }

    /// The security schemes used.
    pub fn security_uses(&self) -> &[Security] {
        &self.security
    }

    /// The declared errors.
    pub fn errors(&self) -> &[Declared] {
        &self.errors
    }
}
