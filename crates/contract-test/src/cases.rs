//! The requests the kit derives from the spec (plausible values, malformed
//! ones, wrong types, credentials) and the sending of one case, its answer
//! checked against what the spec documents.

use super::*;

/// The security scheme a secured operation requires, when every
/// requirement names one (optional auth, `{}`, is not secured).
pub(crate) enum Scheme {
    Header(HeaderName),
    Bearer,
}

impl Scheme {
    pub(crate) fn malformed(&self) -> (HeaderName, HeaderValue) {
        match self {
            Scheme::Bearer => (
                header::AUTHORIZATION,
                HeaderValue::from_static("Bearer not-a-token"),
            ),
            Scheme::Header(name) => (name.clone(), HeaderValue::from_static("not-a-key")),
        }
    }
}

pub(crate) fn secured(op: &Value, spec: &Value) -> Option<Scheme> {
    let reqs = op
        .get("security")
        .or_else(|| spec.get("security"))?
        .as_array()?;
    if reqs.is_empty()
        || reqs
            .iter()
            .any(|r| r.as_object().is_none_or(|o| o.is_empty()))
    {
        return None;
    }
    let name = reqs[0].as_object()?.keys().next()?;
    let scheme = spec.pointer(&format!("/components/securitySchemes/{name}"))?;
    match (
        scheme.get("type").and_then(Value::as_str),
        scheme.get("in").and_then(Value::as_str),
    ) {
        (Some("apiKey"), Some("header")) => scheme
            .get("name")
            .and_then(Value::as_str)
            .and_then(|n| HeaderName::try_from(n).ok())
            .map(Scheme::Header),
        _ => Some(Scheme::Bearer),
    }
}

/// A plausible value for a parameter: an example, the first enum value, a
/// number for an integer.
fn plausible(schema: &Value) -> String {
    if let Some(e) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return e.as_str().map_or_else(|| e.to_string(), str::to_owned);
    }
    if let Some(e) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return e.as_str().map_or_else(|| e.to_string(), str::to_owned);
    }
    match type_of(schema).as_deref() {
        Some("integer" | "number") => schema
            .get("minimum")
            .and_then(Value::as_i64)
            .map_or_else(|| "1".to_owned(), |m| m.max(1).to_string()),
        Some("boolean") => "true".into(),
        _ => "a".into(),
    }
}

/// A value the parameter's schema refuses, if any string is refused.
pub(crate) fn malformed_value(schema: &Value) -> Option<String> {
    match type_of(schema).as_deref() {
        Some("integer" | "number" | "boolean") => Some("not-a-value".into()),
        _ if schema.get("enum").is_some()
            || schema.get("pattern").is_some()
            || schema.get("format").is_some() =>
        {
            Some("~".into())
        }
        _ => None,
    }
}

fn type_of(schema: &Value) -> Option<String> {
    match schema.get("type")? {
        Value::String(t) => Some(t.clone()),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .map(str::to_owned),
        _ => None,
    }
}

pub(crate) fn fill(
    template: &str,
    params: &[(String, (Value, String))],
    bad: Option<(&String, &String)>,
) -> String {
    let mut uri = template.to_owned();
    for (name, (schema, location)) in params {
        if location != "path" {
            continue;
        }
        let value = match bad {
            Some((n, v)) if n == name => v.clone(),
            _ => plausible(schema),
        };
        uri = uri.replace(&format!("{{{name}}}"), &value);
    }
    uri
}

/// An object giving every typed property a value of another type.
pub(crate) fn wrong_types(spec: &Value, schema: &Value) -> Option<Value> {
    let props = schema.get("properties")?.as_object()?;
    let mut body = Map::new();
    for (name, p) in props {
        let p = resolve(spec, p);
        let wrong = match type_of(p).as_deref() {
            Some("string") => json!(12345),
            Some("integer" | "number") => json!("ten"),
            Some("boolean") => json!([true]),
            Some("array") => json!("list"),
            Some("object") => json!("object"),
            _ => continue,
        };
        body.insert(name.clone(), wrong);
    }
    (!body.is_empty()).then_some(Value::Object(body))
}

/// Sends one request to `router`: its status, headers and body.
pub(crate) async fn exchange<'a>(
    router: &Router,
    method: Method,
    uri: &str,
    headers: impl IntoIterator<Item = &'a (HeaderName, HeaderValue)>,
    body: Option<(String, Vec<u8>)>,
) -> Result<(http::StatusCode, http::HeaderMap, Vec<u8>), String> {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let req = match body {
        Some((media, bytes)) => req
            .header(header::CONTENT_TYPE, media)
            .body(Body::from(bytes)),
        None => req.body(Body::empty()),
    }
    .map_err(|e| e.to_string())?;
    let res = router
        .clone()
        .oneshot(req)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, headers, bytes.to_vec()))
}

/// Sends a case in `locale`; returns the redacted envelope and the
/// problems found.
pub(crate) async fn send(
    router: &Router,
    case: &Case,
    locale: &str,
) -> Result<(Value, Vec<String>), String> {
    let language = (
        header::ACCEPT_LANGUAGE,
        HeaderValue::try_from(locale).map_err(|e| e.to_string())?,
    );
    let headers = std::iter::once(&language).chain(&case.headers);
    let (status, headers, bytes) = exchange(
        router,
        case.method.clone(),
        &case.uri,
        headers,
        case.body.clone(),
    )
    .await?;
    let mut problems = Vec::new();
    if !(status.is_client_error() || status.is_server_error()) {
        problems.push(format!("answered {status}, not an error"));
    }
    if status.is_server_error() {
        problems.push(format!(
            "answered {status}: a server error for a client's mistake"
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        problems.push(format!(
            "Content-Type is `{content_type}`, not application/json"
        ));
    }
    if headers.get(header::CONTENT_LANGUAGE).is_none() {
        problems.push("no Content-Language".into());
    }
    let mut envelope: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    match (envelope.get("request_id").and_then(Value::as_str), id) {
        (Some(body), Some(header)) if body == header => {}
        (body, header) => problems.push(format!(
            "request_id {body:?} and x-request-id {header:?} differ"
        )),
    }
    // Messages fit a phone: the top one a two-line snackbar, each field's
    // one line under its input, in display columns (CJK counts 2).
    let width = |v: &Value| v.as_str().map_or(0, display_width);
    if let Some(m) = envelope.get("message").filter(|m| width(m) > TOP_BUDGET) {
        problems.push(format!(
            "the message {m} is over the budget of {TOP_BUDGET} columns"
        ));
    }
    for f in envelope
        .get("fields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(m) = f.get("message").filter(|m| width(m) > FIELD_BUDGET) {
            problems.push(format!(
                "the message of field {} {m} is over the budget of {FIELD_BUDGET} columns",
                f.get("field").unwrap_or(&Value::Null)
            ));
        }
    }
    let code = envelope
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or("<no envelope>")
        .to_owned();
    if let Some(expected) = &case.expected
        && *expected != code
    {
        problems.push(format!("answered {code}, expected {expected}"));
    }
    if let Some(obj) = envelope.as_object_mut() {
        obj.insert("request_id".into(), json!("[request_id]"));
        obj.insert("status".into(), json!(status.as_u16()));
    }
    Ok((envelope, problems))
}
