//! [`Conformance`]: a test-time check that the spec never lies about
//! errors. It records (operation, status, code) for every envelope a
//! router sends and reports each code the spec does not declare for that
//! operation.

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::{Layer, Service};

/// The declared error codes of every operation of a spec, and what a
/// router actually sent.
///
/// ```
/// use contract_axum::Conformance;
/// use serde_json::json;
///
/// let spec = json!({"paths": {"/items/{id}": {"get": {"responses": {
///     "404": {"x-error-codes": ["not_found"]}
/// }}}}});
/// let check = Conformance::new(&spec);
/// check.record("GET", "/items/7", 404, "not_found");
/// check.record("GET", "/items/7", 409, "conflict");
/// assert_eq!(check.violations().len(), 1);
/// ```
#[derive(Clone)]
pub struct Conformance {
    ops: Arc<Vec<Op>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

struct Op {
    method: String,
    segments: Vec<String>,
    template: String,
    declared: BTreeSet<(u16, String)>,
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

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/"))
    {
        Some(ptr) => spec.pointer(&format!("/{ptr}")).unwrap_or(v),
        None => v,
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
                    for code in response
                        .get("x-error-codes")
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
                });
            }
        }
        Self {
            ops: Arc::new(ops),
            seen: Arc::default(),
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

    fn matches(op: &Op, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').collect();
        segs.len() == op.segments.len()
            && op
                .segments
                .iter()
                .zip(&segs)
                .all(|(t, s)| (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s)
    }

    /// Every recorded (operation, status, code) the spec does not declare.
    /// A path no operation matches may only answer `not_found`; a path
    /// that matches with another method only `method_not_allowed`.
    pub fn violations(&self) -> Vec<String> {
        let seen = self.seen.lock().expect("not poisoned").clone();
        let mut out = BTreeSet::new();
        for s in seen {
            let by_path: Vec<&Op> = self
                .ops
                .iter()
                .filter(|op| Self::matches(op, &s.path))
                .collect();
            // Static segments win over parameters, as in the router.
            let op = by_path
                .iter()
                .filter(|op| op.method == s.method || (s.method == "HEAD" && op.method == "GET"))
                .min_by_key(|op| op.segments.iter().filter(|t| t.starts_with('{')).count());
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
        out.into_iter().collect()
    }

    /// How many error responses were recorded.
    pub fn recorded(&self) -> usize {
        self.seen.lock().expect("not poisoned").len()
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
            if !(status.is_client_error() || status.is_server_error()) {
                return Ok(res);
            }
            let (parts, body) = res.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let code = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| "<no envelope>".to_owned());
            check.record(&method, &path, status.as_u16(), &code);
            Ok(Response::from_parts(parts, Body::from(bytes)))
        })
    }
}
