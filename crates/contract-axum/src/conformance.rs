//! [`Conformance`]: a test-time check that the spec never lies. It records
//! every response a router sends and reports each error code the spec does
//! not declare for that operation, and each success body that breaks the
//! operation's response schema: a required property absent, a null where
//! the schema has no null, a property the schema does not have.

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use contract_openapi::resolve;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::{Layer, Service};

/// The declared error codes of every operation of a spec, and what a
/// router actually sent.
///
/// ```
/// use contract_axum::conformance::Conformance;
/// use serde_json::json;
///
/// let spec = json!({"paths": {"/items/{id}": {"get": {"responses": {
///     "404": {(contract_axum::keyword::ERROR_CODES): ["not_found"]}
/// }}}}});
/// let check = Conformance::new(&spec);
/// check.record("GET", "/items/7", 404, "not_found");
/// check.record("GET", "/items/7", 409, "conflict");
/// assert_eq!(check.violations().len(), 1);
/// ```
#[derive(Clone)]
pub struct Conformance {
    spec: Arc<Value>,
    ops: Arc<Vec<Op>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    bodies: Arc<Mutex<Vec<(Seen, Value)>>>,
}

struct Op {
    method: String,
    segments: Vec<String>,
    template: String,
    declared: BTreeSet<(u16, String)>,
    /// Success statuses and their JSON body schema (`None`: no body).
    success: Vec<(u16, Option<Value>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    method: String,
    path: String,
    status: u16,
    code: String,
}

impl fmt::Debug for Conformance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conformance")
            .field("operations", &self.ops.len())
            .finish_non_exhaustive()
    }
}

impl Conformance {
    /// Reads the operations and their `x-error-codes` from an OpenAPI
    /// document.
    pub fn new(spec: &Value) -> Self {
        let mut ops = Vec::new();
        for (template, item) in spec
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (method, op) in item.as_object().into_iter().flatten() {
                let mut declared = BTreeSet::new();
                let mut success = Vec::new();
                for (status, response) in op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let response = resolve(spec, response);
                    let Ok(status) = status.parse::<u16>() else {
                        continue;
                    };
                    if status < 400 {
                        let schema = response
                            .pointer("/content/application~1json/schema")
                            .cloned();
                        success.push((status, schema));
                    }
                    for code in response
                        .get(contract_core::keyword::ERROR_CODES)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(code) = code.as_str() {
                            declared.insert((status, code.to_owned()));
                        }
                    }
                }
                ops.push(Op {
                    method: method.to_ascii_uppercase(),
                    segments: template.split('/').map(str::to_owned).collect(),
                    template: template.clone(),
                    declared,
                    success,
                });
            }
        }
        Self {
            spec: Arc::new(spec.clone()),
            ops: Arc::new(ops),
            seen: Arc::default(),
            bodies: Arc::default(),
        }
    }

    /// A layer that records every error envelope; put it outermost.
    pub fn layer(&self) -> ConformanceLayer {
        ConformanceLayer {
            check: self.clone(),
        }
    }

    /// Records one error response by hand.
    pub fn record(&self, method: &str, path: &str, status: u16, code: &str) {
        self.seen.lock().expect("not poisoned").push(Seen {
            method: method.to_owned(),
            path: path.to_owned(),
            status,
            code: code.to_owned(),
        });
    }

    /// Records one success response by hand: its status and JSON body
    /// (`Value::Null` for none).
    pub fn record_success(&self, method: &str, path: &str, status: u16, body: Value) {
        let seen = Seen {
            method: method.to_owned(),
            path: path.to_owned(),
            status,
            code: String::new(),
        };
        self.bodies.lock().expect("not poisoned").push((seen, body));
    }

    /// The operation a request reached: the router picks the path first
    /// (static segments winning over parameters), then the method on that
    /// path alone; another method there is a 405, even when a parameter
    /// path has it.
    fn operation(&self, method: &str, path: &str) -> (Vec<&Op>, Option<&Op>) {
        let params = |op: &Op| op.segments.iter().filter(|t| t.starts_with('{')).count();
        let by_path: Vec<&Op> = self
            .ops
            .iter()
            .filter(|op| contract_openapi::document::path_matches(&op.template, path))
            .collect();
        let Some(route) = by_path
            .iter()
            .min_by_key(|op| params(op))
            .map(|op| &op.template)
        else {
            return (by_path, None);
        };
        let op = by_path
            .iter()
            .filter(|op| &op.template == route)
            .find(|op| op.method == method || (method == "HEAD" && op.method == "GET"))
            .copied();
        (by_path, op)
    }

    /// Every recorded (operation, status, code) the spec does not declare.
    /// A path no operation matches may only answer `not_found`; a path
    /// that matches with another method only `method_not_allowed`.
    pub fn violations(&self) -> Vec<String> {
        let seen = self.seen.lock().expect("not poisoned").clone();
        let mut out = BTreeSet::new();
        for s in seen {
            let (by_path, op) = self.operation(&s.method, &s.path);
            let ok = match op {
                Some(op) => op.declared.contains(&(s.status, s.code.clone())),
                None if by_path.is_empty() => s.status == 404 && s.code == "not_found",
                None => s.status == 405 && s.code == "method_not_allowed",
            };
            if !ok {
                let at = op.map_or(s.path.clone(), |op| op.template.clone());
                out.insert(format!(
                    "{} {at}: {} {} is not declared",
                    s.method, s.status, s.code
                ));
            }
        }
        let bodies = self.bodies.lock().expect("not poisoned").clone();
        for (s, body) in bodies {
            // Outside every operation (the app's own routes): not checked.
            let Some(op) = self.operation(&s.method, &s.path).1 else {
                continue;
            };
            let at = format!("{} {}", s.method, op.template);
            match op.success.iter().find(|(status, _)| *status == s.status) {
                None => {
                    out.insert(format!("{at}: success status {} is not declared", s.status));
                }
                Some((_, Some(schema))) => {
                    let mut problems = Vec::new();
                    self.check_body(schema, &body, "body", &mut problems);
                    for p in problems {
                        out.insert(format!("{at} {}: {p}", s.status));
                    }
                }
                Some((_, None)) => {}
            }
        }
        out.into_iter().collect()
    }

    /// How many error responses were recorded.
    pub fn recorded(&self) -> usize {
        self.seen.lock().expect("not poisoned").len()
    }

    /// How many success bodies were recorded.
    pub fn recorded_successes(&self) -> usize {
        self.bodies.lock().expect("not poisoned").len()
    }

    /// Checks a value against the parts of a schema that clients rely on:
    /// every required property present, null only where the schema admits
    /// it, no property the schema does not list.
    fn check_body(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        let schema = resolve(&self.spec, schema);
        let branches: Vec<&Value> = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Value::as_array))
            .flatten()
            .collect();
        let nullable = match schema.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
            _ => false,
        } || branches
            .iter()
            .any(|b| b.get("type").and_then(Value::as_str) == Some("null"));
        if value.is_null() {
            if !nullable
                && (schema.get("type").is_some()
                    || !branches.is_empty()
                    || schema.get("properties").is_some())
            {
                out.push(format!("{at} is null, and the spec does not say it may be"));
            }
            return;
        }
        if !branches.is_empty() {
            // A nullable reference: check the one non-null branch.
            let typed: Vec<&&Value> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            if let [only] = typed.as_slice() {
                self.check_body(only, value, at, out);
            }
            return;
        }
        match value {
            Value::Object(map) => {
                let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                    return;
                };
                for required in schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(name) = required.as_str()
                        && !map.contains_key(name)
                    {
                        out.push(format!("{at}.{name} is absent, and the spec requires it"));
                    }
                }
                let open = schema
                    .get("additionalProperties")
                    .is_some_and(|a| a != &Value::Bool(false));
                for (name, v) in map {
                    match props.get(name) {
                        Some(p) => self.check_body(p, v, &format!("{at}.{name}"), out),
                        None if open => {}
                        None => out.push(format!(
                            "{at}.{name} is sent, and the spec does not have it"
                        )),
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = schema.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.check_body(item, v, &format!("{at}[{i}]"), out);
                    }
                }
            }
            _ => {}
        }
    }

    /// Panics listing every undeclared code.
    ///
    /// # Panics
    /// When [`violations`](Self::violations) is not empty.
    pub fn assert_clean(&self) {
        let v = self.violations();
        assert!(
            v.is_empty(),
            "the spec does not declare these errors:\n{}",
            v.join("\n")
        );
    }
}

/// The layer of [`Conformance`].
#[derive(Debug, Clone)]
pub struct ConformanceLayer {
    check: Conformance,
}

impl<S> Layer<S> for ConformanceLayer {
    type Service = ConformanceService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ConformanceService {
            inner,
            check: self.check.clone(),
        }
    }
}

/// The service of [`ConformanceLayer`].
#[derive(Debug, Clone)]
pub struct ConformanceService<S> {
    inner: S,
    check: Conformance,
}

impl<S> Service<Request> for ConformanceService<S>
where
    S: Service<Request, Response = Response> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let method = req.method().as_str().to_owned();
        let path = req.uri().path().to_owned();
        let check = self.check.clone();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let res = fut.await?;
            let status = res.status();
            let (parts, body) = res.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            if status.is_client_error() || status.is_server_error() {
                let code = serde_json::from_slice::<Value>(&bytes)
                    .ok()
                    .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_else(|| "<no envelope>".to_owned());
                check.record(&method, &path, status.as_u16(), &code);
            } else if status.is_success() {
                let json = parts
                    .headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|c| c.to_str().ok())
                    .is_some_and(contract_openapi::document::is_json_media);
                let body = if json {
                    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
                } else {
                    Value::Null
                };
                check.record_success(&method, &path, status.as_u16(), body);
            }
            Ok(Response::from_parts(parts, Body::from(bytes)))
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Conformance;

    fn spec() -> serde_json::Value {
        json!({
            "paths": {
                "/items/{id}": {"get": {"responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                }}, "post": {"responses": {"201": {}}}},
                "/items/special": {"get": {"responses": {"200": {}}}},
            },
            "components": {"schemas": {
                "Item": {"type": "object", "required": ["id", "note", "host"], "properties": {
                    "id": {"type": "integer"},
                    "note": {"type": ["string", "null"]},
                    "host": {"oneOf": [{"$ref": "#/components/schemas/Host"}, {"type": "null"}]},
                }},
                "Host": {"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}},
            }},
        })
    }

    #[test]
    fn success_bodies_are_held_to_their_schema() {
        let check = Conformance::new(&spec());
        let ok = json!({"id": 1, "note": null, "host": {"email": "a@b"}});
        check.record_success("GET", "/items/1", 200, ok);
        check.record_success(
            "GET",
            "/items/1",
            200,
            json!({"id": 1, "note": null, "host": null}),
        );
        assert_eq!(check.violations(), Vec::<String>::new());

        check.record_success(
            "GET",
            "/items/2",
            200,
            json!({"id": null, "host": {"email": "a@b", "x": 1}}),
        );
        check.record_success("GET", "/items/3", 201, json!({}));
        check.record_success("GET", "/elsewhere", 200, json!({"anything": true}));
        // A static path with another method is the router's 405, though a
        // parameter path has the method.
        check.record("POST", "/items/special", 405, "method_not_allowed");
        assert_eq!(
            check.violations(),
            [
                "GET /items/{id} 200: body.host.x is sent, and the spec does not have it",
                "GET /items/{id} 200: body.id is null, and the spec does not say it may be",
                "GET /items/{id} 200: body.note is absent, and the spec requires it",
                "GET /items/{id}: success status 201 is not declared",
            ]
        );
    }
}
