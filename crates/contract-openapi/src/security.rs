//! [`SecurityScheme`] and [`Security`]: how an API authenticates, typed,
//! and how each operation uses it.

use serde_json::{Map, Value, json};

/// A security scheme, as `components.securitySchemes` lists it.
///
/// Its constructors are `const`, so an extractor and the spec can share one
/// definition:
///
/// ```
/// use contract_openapi::{Operation, Security, SecurityScheme, SpecBuilder};
///
/// const TOKEN: SecurityScheme = SecurityScheme::bearer("token")
///     .bearer_format("JWT")
///     .description("`Authorization: Bearer <token>`, from login.");
///
/// let mut spec = SpecBuilder::new("Notes", "1.0");
/// spec.security_scheme(TOKEN);
/// let mut op = Operation::new("get", "/notes");
/// op.security(Security::Optional(TOKEN));
/// spec.add(op);
/// let doc = spec.build();
/// assert_eq!(doc["components"]["securitySchemes"]["token"]["scheme"], "bearer");
/// assert_eq!(doc["paths"]["/notes"]["get"]["security"], serde_json::json!([{}, {"token": []}]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    name: &'static str,
    kind: Kind,
    description: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Http {
        scheme: &'static str,
        bearer_format: Option<&'static str>,
    },
    ApiKey {
        location: &'static str,
        parameter: &'static str,
    },
}

impl SecurityScheme {
    /// `Authorization: Bearer <token>`, named `name` in the document.
    pub const fn bearer(name: &'static str) -> Self {
        Self::http(name, "bearer")
    }

    /// `Authorization: Basic <credentials>`, named `name`.
    pub const fn basic(name: &'static str) -> Self {
        Self::http(name, "basic")
    }

    const fn http(name: &'static str, scheme: &'static str) -> Self {
        Self {
            name,
            kind: Kind::Http {
                scheme,
                bearer_format: None,
            },
            description: None,
        }
    }

    /// An API key in the request header `header`, named `name`.
    pub const fn api_key_header(name: &'static str, header: &'static str) -> Self {
        Self::api_key(name, "header", header)
    }

    /// An API key in the query parameter `parameter`, named `name`.
    pub const fn api_key_query(name: &'static str, parameter: &'static str) -> Self {
        Self::api_key(name, "query", parameter)
    }

    /// An API key in the cookie `cookie`, named `name`.
    pub const fn api_key_cookie(name: &'static str, cookie: &'static str) -> Self {
        Self::api_key(name, "cookie", cookie)
    }

    const fn api_key(name: &'static str, location: &'static str, parameter: &'static str) -> Self {
        Self {
            name,
            kind: Kind::ApiKey {
                location,
                parameter,
            },
            description: None,
        }
    }

    /// The format of a bearer token (`JWT`), a hint for people; only the
    /// `http` schemes carry it (an API key ignores it).
    pub const fn bearer_format(mut self, format: &'static str) -> Self {
        if let Kind::Http { scheme, .. } = self.kind {
            self.kind = Kind::Http {
                scheme,
                bearer_format: Some(format),
            };
        }
        self
    }

    /// How a client gets and sends the credential (Markdown).
    pub const fn description(mut self, description: &'static str) -> Self {
        self.description = Some(description);
        self
    }

    /// The name operations use for it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The Security Scheme Object.
    pub fn to_value(&self) -> Value {
        let mut o = Map::new();
        match self.kind {
            Kind::Http {
                scheme,
                bearer_format,
            } => {
                o.insert("type".into(), json!("http"));
                o.insert("scheme".into(), json!(scheme));
                if let Some(f) = bearer_format {
                    o.insert("bearerFormat".into(), json!(f));
                }
            }
            Kind::ApiKey {
                location,
                parameter,
            } => {
                o.insert("type".into(), json!("apiKey"));
                o.insert("name".into(), json!(parameter));
                o.insert("in".into(), json!(location));
            }
        }
        if let Some(d) = self.description {
            o.insert("description".into(), json!(d));
        }
        Value::Object(o)
    }
}

/// How an operation uses a security scheme; an extractor declares it in its
/// `OperationInput` documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// The operation refuses a request without this credential:
    /// `security: [{"name": []}]`.
    Required(SecurityScheme),
    /// The operation serves anonymous requests too, and more with the
    /// credential: `security: [{}, {"name": []}]`.
    Optional(SecurityScheme),
}

impl Security {
    /// The scheme used.
    pub const fn scheme(&self) -> &SecurityScheme {
        match self {
            Security::Required(s) | Security::Optional(s) => s,
        }
    }
}

/// The Security Requirement Objects for an operation that uses `uses`:
/// every required scheme together; then, when some are optional, each
/// optional one added to them (and the required ones alone, `{}` when
/// none is required).
pub(crate) fn requirements(uses: &[Security]) -> Vec<Value> {
    let required: Map<String, Value> = uses
        .iter()
        .filter_map(|u| match u {
            Security::Required(s) => Some((s.name.to_owned(), json!([]))),
            Security::Optional(_) => None,
        })
        .collect();
    let optional: Vec<&SecurityScheme> = uses
        .iter()
        .filter_map(|u| match u {
            Security::Optional(s) if !required.contains_key(s.name) => Some(s),
            _ => None,
        })
        .collect();
    if required.is_empty() && optional.is_empty() {
        return Vec::new();
    }
    let mut reqs = vec![Value::Object(required.clone())];
    for s in optional {
        let mut r = required.clone();
        r.insert(s.name.to_owned(), json!([]));
        reqs.push(Value::Object(r));
    }
    reqs
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: SecurityScheme = SecurityScheme::bearer("jwt").bearer_format("JWT");
    const KEY: SecurityScheme = SecurityScheme::api_key_header("api_key", "X-Api-Key");

    #[test]
    fn schemes_are_written_as_openapi_states_them() {
        assert_eq!(
            JWT.description("d").to_value(),
            json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "d"})
        );
        assert_eq!(
            KEY.to_value(),
            json!({"type": "apiKey", "name": "X-Api-Key", "in": "header"})
        );
        assert_eq!(
            SecurityScheme::api_key_query("k", "key").to_value()["in"],
            "query"
        );
        assert_eq!(KEY.bearer_format("ignored").to_value(), KEY.to_value());
    }

    #[test]
    fn required_schemes_go_together_and_optional_ones_add_an_alternative() {
        assert_eq!(requirements(&[]), Vec::<Value>::new());
        assert_eq!(
            requirements(&[Security::Required(JWT)]),
            [json!({"jwt": []})]
        );
        assert_eq!(
            requirements(&[Security::Optional(JWT)]),
            [json!({}), json!({"jwt": []})]
        );
        assert_eq!(
            requirements(&[Security::Required(JWT), Security::Required(KEY)]),
            [json!({"jwt": [], "api_key": []})]
        );
        assert_eq!(
            requirements(&[Security::Required(KEY), Security::Optional(JWT)]),
            [json!({"api_key": []}), json!({"api_key": [], "jwt": []})]
        );
    }
}
