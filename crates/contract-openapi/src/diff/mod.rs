//! The breaking-change report between two versions of a document.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use contract_core::keyword;
use serde_json::Value;

use crate::document::{
    Endpoint, Spec, describe, is_true, media_schemas, method_rank, object_view, ref_display_name,
    shape, str_of, type_formats,
};

mod schema;

/// How much a change matters to existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Breaks existing clients: `contract diff` exits 1.
    Error,
    /// May break some clients; worth a look.
    Warning,
    /// Compatible; listed for the changelog.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change found by [`diff`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// The rule id: oasdiff's where oasdiff has one
    /// (`response-property-became-optional`), else ours (`error-code-removed`).
    pub rule: String,
    /// Where: `POST /api/v1/seminar/ 201 response: SeminarDetail.name`.
    pub location: String,
    /// What changed, in a short sentence.
    pub message: String,
    /// (path, method rank) of the operation, for sorting.
    order: (String, usize),
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}\n    {}",
            self.severity, self.rule, self.location, self.message
        )
    }
}

/// The result of [`diff`]. Its `Display` is the text report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiffReport {
    /// Findings sorted by severity, then operation (path, method), then
    /// location and rule.
    pub findings: Vec<Finding>,
}

impl DiffReport {
    /// Whether any finding breaks existing clients.
    pub fn is_breaking(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

impl fmt::Display for DiffReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        if !self.findings.is_empty() {
            writeln!(f)?;
        }
        writeln!(
            f,
            "summary: errors={} warnings={} info={}",
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info)
        )
    }
}

/// Compares two documents and reports what the change does to clients
/// written against `old`.
///
/// Operations are matched by path (parameter names ignored: `/a/{id}` is
/// `/a/{a_id}`) and method. For each, parameters, the request body and every
/// response are compared; schemas are compared by following `$ref`s on both
/// sides, into nested objects and array items, and stop where a pair of
/// references repeats (recursive schemas).
///
/// An operation removed after being deprecated is allowed (`info`), unless
/// its `x-sunset` date is still to come (`api-removed-before-sunset`); one
/// removed without being deprecated first breaks clients. A response
/// property marked `deprecated` may likewise be removed.
pub fn diff(old: &Value, new: &Value) -> DiffReport {
    let mut differ = Differ {
        old: Spec::new(old),
        new: Spec::new(new),
        findings: Vec::new(),
        today: crate::deprecation::today(),
    };
    differ.run();
    let mut findings = differ.findings;
    findings.sort_by(|a, b| {
        (a.severity, &a.order, &a.location, &a.rule, &a.message).cmp(&(
            b.severity,
            &b.order,
            &b.location,
            &b.rule,
            &b.message,
        ))
    });
    findings.dedup();
    DiffReport { findings }
}

/// Which way data flows, which decides what breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    fn as_str(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// Where a schema comparison is, for rule ids and locations.
#[derive(Debug, Clone)]
struct At {
    dir: Dir,
    order: (String, usize),
    /// `POST /things/ 201 response`.
    base: String,
    /// `Thing.name`; the root's label at the root.
    path: String,
    /// Rule-id subject at the root: `body` or `parameter`.
    root_subject: &'static str,
    depth: usize,
    /// Parameters: compare the schema itself, not its properties.
    shallow: bool,
}

impl At {
    fn subject(&self) -> &'static str {
        if self.depth == 0 {
            self.root_subject
        } else {
            "property"
        }
    }

    fn location(&self) -> String {
        if self.path.is_empty() {
            self.base.clone()
        } else {
            format!("{}: {}", self.base, self.path)
        }
    }

    fn child(&self, path: String) -> At {
        At {
            path,
            depth: self.depth + 1,
            ..self.clone()
        }
    }
}

struct Differ<'a> {
    old: Spec<'a>,
    new: Spec<'a>,
    findings: Vec<Finding>,
    /// `YYYY-MM-DD`, for sunsets.
    today: String,
}

fn normalized_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

impl<'a> Differ<'a> {
    fn push(
        &mut self,
        severity: Severity,
        rule: impl Into<String>,
        order: &(String, usize),
        location: String,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            severity,
            rule: rule.into(),
            location,
            message: message.into(),
            order: order.clone(),
        });
    }

    fn run(&mut self) {
        let index = |spec: Spec<'a>| -> BTreeMap<(String, usize), Endpoint<'a>> {
            spec.operations()
                .into_iter()
                .map(|op| ((normalized_path(op.path), method_rank(op.method)), op))
                .collect()
        };
        let old_ops = index(self.old);
        let new_ops = index(self.new);
        let new_paths: BTreeSet<&String> = new_ops.keys().map(|(p, _)| p).collect();

        for (key, old_op) in &old_ops {
            match new_ops.get(key) {
                Some(new_op) => self.operation(old_op, new_op),
                None => {
                    let path_gone = !new_paths.contains(&key.0);
                    // Deprecated, with a sunset still to come: too early.
                    let early = old_op.deprecated()
                        && old_op
                            .op
                            .get(keyword::SUNSET)
                            .and_then(Value::as_str)
                            .is_some_and(|d| !crate::deprecation::passed(d, &self.today));
                    let (rule, message) = match (path_gone, old_op.deprecated(), early) {
                        (true, _, true) => (
                            "api-path-removed-before-sunset",
                            "the path was removed before its sunset date",
                        ),
                        (false, _, true) => (
                            "api-removed-before-sunset",
                            "the operation was removed before its sunset date",
                        ),
                        (true, false, _) => (
                            "api-path-removed-without-deprecation",
                            "the path was removed without being deprecated first",
                        ),
                        (true, true, _) => (
                            "api-path-removed-with-deprecation",
                            "the path was removed after deprecation",
                        ),
                        (false, false, _) => (
                            "api-removed-without-deprecation",
                            "the operation was removed without being deprecated first",
                        ),
                        (false, true, _) => (
                            "api-removed-with-deprecation",
                            "the operation was removed after deprecation",
                        ),
                    };
                    let severity = if old_op.deprecated() && !early {
                        Severity::Info
                    } else {
                        Severity::Error
                    };
                    self.push(severity, rule, &old_op.order(), old_op.label(), message);
                }
            }
        }
        for (key, new_op) in &new_ops {
            if !old_ops.contains_key(key) {
                self.push(
                    Severity::Info,
                    "endpoint-added",
                    &new_op.order(),
                    new_op.label(),
                    "new operation",
                );
            }
        }
    }

    fn operation(&mut self, old: &Endpoint<'a>, new: &Endpoint<'a>) {
        let order = new.order();
        let label = new.label();
        if !old.deprecated() && new.deprecated() {
            self.push(
                Severity::Info,
                "endpoint-deprecated",
                &order,
                label.clone(),
                "the operation is now deprecated",
            );
        }
        self.parameters(old, new, &order, &label);
        self.request_body(old, new, &order, &label);
        self.responses(old, new, &order, &label);
        self.error_codes(old, new, &order, &label);
    }

    fn parameters(
        &mut self,
        old: &Endpoint<'a>,
        new: &Endpoint<'a>,
        order: &(String, usize),
        label: &str,
    ) {
        let old_params = old.parameters(self.old);
        let new_params = new.parameters(self.new);
        let required = |p: &Value| is_true(p, "required") || str_of(p, "in") == Some("path");
        for ((place, name), old_param) in &old_params {
            let location = format!("{label} {place} parameter {name}");
            let Some((_, new_param)) = new_params
                .iter()
                .find(|(k, _)| k.0 == *place && k.1 == *name)
            else {
                if place != "path" {
                    self.push(
                        Severity::Warning,
                        "request-parameter-removed",
                        order,
                        location,
                        "the parameter was removed; clients that still send it may be rejected",
                    );
                }
                continue;
            };
            match (required(old_param), required(new_param)) {
                (false, true) => self.push(
                    Severity::Error,
                    "request-parameter-became-required",
                    order,
                    location.clone(),
                    "the parameter became required; clients that omit it are rejected",
                ),
                (true, false) => self.push(
                    Severity::Info,
                    "request-parameter-became-optional",
                    order,
                    location.clone(),
                    "the parameter became optional",
                ),
                _ => {}
            }
            if let (Some(o), Some(n)) = (old_param.get("schema"), new_param.get("schema")) {
                let at = At {
                    dir: Dir::Request,
                    order: order.clone(),
                    base: location,
                    path: String::new(),
                    root_subject: "parameter",
                    depth: 0,
                    shallow: true,
                };
                self.schema(&at, o, n, &mut Vec::new());
            }
        }
        for ((place, name), new_param) in &new_params {
            if old_params
                .iter()
                .any(|(k, _)| k.0 == *place && k.1 == *name)
                || place == "path"
            {
                continue;
            }
            let location = format!("{label} {place} parameter {name}");
            if required(new_param) {
                self.push(
                    Severity::Error,
                    "new-required-request-parameter",
                    order,
                    location,
                    "a new required parameter; existing clients do not send it",
                );
            } else {
                self.push(
                    Severity::Info,
                    "new-optional-request-parameter",
                    order,
                    location,
                    "a new optional parameter",
                );
            }
        }
    }

    fn request_body(
        &mut self,
        old: &Endpoint<'a>,
        new: &Endpoint<'a>,
        order: &(String, usize),
        label: &str,
    ) {
        let location = format!("{label} request");
        let (old_body, new_body) = match (old.request_body(self.old), new.request_body(self.new)) {
            (None, None) => return,
            (None, Some(body)) => {
                if is_true(body, "required") {
                    self.push(
                        Severity::Error,
                        "request-body-added-required",
                        order,
                        location,
                        "a required request body was added; existing clients send none",
                    );
                } else {
                    self.push(
                        Severity::Info,
                        "request-body-added-optional",
                        order,
                        location,
                        "an optional request body was added",
                    );
                }
                return;
            }
            (Some(_), None) => {
                self.push(
                    Severity::Warning,
                    "request-body-removed",
                    order,
                    location,
                    "the request body was removed; clients still send one",
                );
                return;
            }
            (Some(o), Some(n)) => (o, n),
        };
        match (is_true(old_body, "required"), is_true(new_body, "required")) {
            (false, true) => self.push(
                Severity::Error,
                "request-body-became-required",
                order,
                location.clone(),
                "the request body became required; clients that send none are rejected",
            ),
            (true, false) => self.push(
                Severity::Info,
                "request-body-became-optional",
                order,
                location.clone(),
                "the request body became optional",
            ),
            _ => {}
        }
        self.content(Dir::Request, old_body, new_body, order, &location);
    }

    fn responses(
        &mut self,
        old: &Endpoint<'a>,
        new: &Endpoint<'a>,
        order: &(String, usize),
        label: &str,
    ) {
        let old_responses = old.responses(self.old);
        let new_responses = new.responses(self.new);
        for (status, old_response) in &old_responses {
            let location = format!("{label} {status} response");
            match new_responses.iter().find(|(s, _)| s == status) {
                Some((_, new_response)) => {
                    self.content(Dir::Response, old_response, new_response, order, &location);
                }
                None if is_success(status) => self.push(
                    Severity::Error,
                    "response-success-status-removed",
                    order,
                    location,
                    "a success status was removed; clients expecting it fail",
                ),
                None => self.push(
                    Severity::Warning,
                    "response-non-success-status-removed",
                    order,
                    location,
                    "an error status was removed; clients handling it keep a dead branch",
                ),
            }
        }
        for (status, _) in &new_responses {
            if old_responses.iter().any(|(s, _)| s == status) {
                continue;
            }
            let location = format!("{label} {status} response");
            let (rule, message) = if is_success(status) {
                ("response-success-status-added", "a new success status")
            } else {
                ("response-non-success-status-added", "a new error status")
            };
            self.push(Severity::Info, rule, order, location, message);
        }
    }

    /// `x-error-codes` of every response of the operation: a code that was
    /// declared and no longer is breaks clients that switch on it.
    fn error_codes(
        &mut self,
        old: &Endpoint<'a>,
        new: &Endpoint<'a>,
        order: &(String, usize),
        label: &str,
    ) {
        let codes = |spec: Spec<'a>, op: &Endpoint<'a>| -> BTreeMap<String, String> {
            let mut out = BTreeMap::new();
            for (status, response) in op.responses(spec) {
                let listed = response
                    .get(contract_core::keyword::ERROR_CODES)
                    .and_then(Value::as_array);
                for code in listed.into_iter().flatten().filter_map(Value::as_str) {
                    out.entry(code.to_owned())
                        .or_insert_with(|| status.to_owned());
                }
            }
            out
        };
        let old_codes = codes(self.old, old);
        let new_codes = codes(self.new, new);
        for (code, status) in &old_codes {
            if !new_codes.contains_key(code) {
                self.push(
                    Severity::Error,
                    "error-code-removed",
                    order,
                    format!("{label} {status} response"),
                    format!("error code `{code}` is no longer declared for this operation"),
                );
            }
        }
        for (code, status) in &new_codes {
            if !old_codes.contains_key(code) {
                self.push(
                    Severity::Info,
                    "error-code-added",
                    order,
                    format!("{label} {status} response"),
                    format!("error code `{code}` is now declared for this operation"),
                );
            }
        }
    }

    /// Media types of a request body or a response, and their schemas.
    fn content(
        &mut self,
        dir: Dir,
        old: &'a Value,
        new: &'a Value,
        order: &(String, usize),
        location: &str,
    ) {
        let old_media = media_schemas(old);
        let new_media = media_schemas(new);
        let several = old_media.len() > 1 || new_media.len() > 1;
        let prefix = dir.as_str();
        let body = if dir == Dir::Request { "-body" } else { "" };
        for (media, old_schema) in &old_media {
            let Some((_, new_schema)) = new_media.iter().find(|(m, _)| m == media) else {
                self.push(
                    Severity::Error,
                    format!("{prefix}{body}-media-type-removed"),
                    order,
                    format!("{location} ({media})"),
                    "the media type was removed",
                );
                continue;
            };
            let base = if several {
                format!("{location} ({media})")
            } else {
                location.to_owned()
            };
            let at = At {
                dir,
                order: order.clone(),
                base,
                path: root_label(self.old, self.new, old_schema, new_schema),
                root_subject: "body",
                depth: 0,
                shallow: false,
            };
            self.schema(&at, old_schema, new_schema, &mut Vec::new());
        }
        for (media, _) in &new_media {
            if !old_media.iter().any(|(m, _)| m == media) {
                self.push(
                    Severity::Info,
                    format!("{prefix}{body}-media-type-added"),
                    order,
                    format!("{location} ({media})"),
                    "a new media type",
                );
            }
        }
    }
}

/// Whether every `(type, format)` in `values` is accepted by `accepting`:
/// same type (an integer is a number) and no format, or the same format.
fn accepts_all(
    accepting: &[(String, Option<String>)],
    values: &[(String, Option<String>)],
) -> bool {
    values.iter().all(|(t, f)| {
        accepting.iter().any(|(at, af)| {
            (at == t || (at == "number" && t == "integer")) && (af.is_none() || af == f)
        })
    })
}

/// The label of a body schema in locations: the component it references
/// (`SeminarDetail`), `Speaker[]` for an array of a component, else `body`.
fn root_label(old_spec: Spec<'_>, new_spec: Spec<'_>, old: &Value, new: &Value) -> String {
    let label = |spec: Spec<'_>, schema: &Value| -> Option<String> {
        let shaped = shape(spec, schema);
        if let Some(reference) = shaped.refs.last() {
            return Some(ref_display_name(reference));
        }
        let items = shape(spec, shaped.schema.get("items")?);
        items
            .refs
            .last()
            .map(|reference| format!("{}[]", ref_display_name(reference)))
    };
    label(new_spec, new)
        .or_else(|| label(old_spec, old))
        .unwrap_or_else(|| "body".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_whatever_the_parameter_names() {
        assert_eq!(
            normalized_path("/a/{id}/b/"),
            normalized_path("/a/{a_id}/b/")
        );
        assert_ne!(normalized_path("/a/{id}"), normalized_path("/b/{id}"));
    }

    #[test]
    fn integers_are_numbers() {
        let number = [("number".to_owned(), None)];
        let integer = [("integer".to_owned(), None)];
        assert!(accepts_all(&number, &integer));
        assert!(!accepts_all(&integer, &number));
        let date = [("string".to_owned(), Some("date".to_owned()))];
        let string = [("string".to_owned(), None)];
        assert!(accepts_all(&string, &date));
        assert!(!accepts_all(&date, &string));
    }
}
