//! [`Kit::accepted`](crate::Kit::accepted): a long-running operation,
//! started and polled to its end, each answer held to the status
//! resource's shape, the failure to the codes the spec lists for the job.

use std::time::{Duration, Instant};

use axum::Router;
use contract_axum::keyword;
use contract_openapi::document::{Spec, path_matches, str_of};
use http::{HeaderName, HeaderValue, Method, header};
use serde_json::Value;

use crate::edge::{Answer, call};

/// The members every status resource has.
const MEMBERS: [&str; 7] = [
    "id",
    "status",
    "created_at",
    "updated_at",
    "progress",
    "result",
    "error",
];
const FINAL: [&str; 3] = ["succeeded", "failed", "cancelled"];
const STATUSES: [&str; 5] = ["pending", "running", "succeeded", "failed", "cancelled"];

/// How long the kit polls before it calls the operation stuck.
const PATIENCE: Duration = Duration::from_secs(120);

/// The codes the spec lists for the job of `method` on `uri`: the
/// `x-error-codes` of the `error` member of its `202` schema.
fn job_codes(spec: &Value, method: &Method, uri: &str) -> Result<Vec<String>, String> {
    let view = Spec::new(spec);
    let op = view
        .operations()
        .into_iter()
        .find(|e| e.method.eq_ignore_ascii_case(method.as_str()) && path_matches(e.path, uri))
        .ok_or_else(|| format!("no operation of the spec is {method} {uri}"))?;
    let schema = op
        .responses(view)
        .into_iter()
        .find(|(status, _)| *status == "202")
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema"))
        .map(|s| view.deref(s))
        .ok_or_else(|| format!("{method} {uri}: the spec documents no 202 JSON body"))?;
    let codes = schema
        .pointer("/properties/error")
        .and_then(|e| e.get(keyword::ERROR_CODES))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            format!(
                "{method} {uri}: its 202 schema has no `error` member listing `{}`",
                keyword::ERROR_CODES
            )
        })?;
    Ok(codes
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect())
}

/// The problems of one status resource answer, as a sentence.
fn shape(at: &str, a: &Answer, expect: u16, codes: &[String]) -> Result<(), String> {
    if a.status != expect {
        return Err(format!(
            "{at}: answered {} {}, not {expect}",
            a.status, a.body
        ));
    }
    if let Some(missing) = MEMBERS.iter().find(|m| a.body.get(**m).is_none()) {
        return Err(format!(
            "{at}: the status resource has no `{missing}`: {}",
            a.body
        ));
    }
    let status = str_of(&a.body, "status").unwrap_or_default();
    if !STATUSES.contains(&status) {
        return Err(format!(
            "{at}: `status` {status:?} is not one of {STATUSES:?}"
        ));
    }
    let terminal = FINAL.contains(&status);
    let retry = a.headers.get(header::RETRY_AFTER).is_some();
    if terminal == retry {
        return Err(format!(
            "{at}: `{status}` with{} `Retry-After` (only while it is not final)",
            if retry { "" } else { "out" }
        ));
    }
    let error = &a.body["error"];
    match status {
        "failed" => {
            let code = str_of(error, "code").unwrap_or_default();
            let envelope = ["message", "request_id"]
                .iter()
                .all(|m| error.get(*m).is_some_and(Value::is_string))
                && error.get("fields").is_some_and(Value::is_array);
            if !envelope || !codes.iter().any(|c| c == code) {
                return Err(format!(
                    "{at}: failed with {error}, not an envelope with one of the job's codes {codes:?}"
                ));
            }
        }
        "succeeded" if a.body["result"].is_null() || !error.is_null() => {
            return Err(format!(
                "{at}: succeeded without a result, or with an error: {}",
                a.body
            ));
        }
        _ if !error.is_null() => {
            return Err(format!("{at}: `{status}` with an error: {error}"));
        }
        _ => {}
    }
    Ok(())
}

pub(crate) async fn check(
    router: &Router,
    spec: &Value,
    method: &Method,
    uri: &str,
    (media, body): (&str, &[u8]),
    auth: &[(HeaderName, HeaderValue)],
) -> Result<(), String> {
    let at = format!("accepted {method} {uri}");
    let codes = job_codes(spec, method, uri).map_err(|e| format!("{at}: {e}"))?;
    let (status, headers, bytes) = crate::cases::exchange(
        router,
        method.clone(),
        uri,
        auth,
        Some((media.to_owned(), body.to_vec())),
    )
    .await?;
    let first = Answer {
        status: status.as_u16(),
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    };
    shape(&at, &first, 202, &codes)?;
    let location = first
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| format!("{at}: 202 without a `Location`"))?
        .to_owned();
    let deadline = Instant::now() + PATIENCE;
    loop {
        let a = call(router, Method::GET, &location, auth, None).await?;
        shape(&format!("{at}: GET {location}"), &a, 200, &codes)?;
        if FINAL.contains(&str_of(&a.body, "status").unwrap_or_default()) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{at}: not final after {PATIENCE:?}: {}", a.body));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
