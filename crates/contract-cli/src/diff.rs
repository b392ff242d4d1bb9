//! The breaking-change report between two versions of a document.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::spec::{
    Operation, Spec, describe, is_true, media_schemas, method_rank, object_view, ref_display_name,
    shape, str_of, type_formats,
};

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
pub fn diff(old: &Value, new: &Value) -> DiffReport {
    let mut differ = Differ {
        old: Spec::new(old),
        new: Spec::new(new),
        findings: Vec::new(),
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

/// A length, size or bound keyword: the rule-id stem and which way tightens.
const BOUNDS: [(&str, &str, Bound); 6] = [
    ("maxLength", "max-length", Bound::Max),
    ("minLength", "min-length", Bound::Min),
    ("maximum", "max", Bound::Max),
    ("minimum", "min", Bound::Min),
    ("maxItems", "max-items", Bound::Max),
    ("minItems", "min-items", Bound::Min),
];

/// `keyword`'s value in `schema`, or the one its integer `format` implies.
fn effective_bound(schema: &Value, keyword: &str) -> Option<f64> {
    let stated = schema.get(keyword).and_then(Value::as_f64);
    let implied = || {
        let integer = type_formats(schema).iter().any(|(t, _)| t == "integer");
        let (min, max) = match schema.get("format").and_then(Value::as_str)? {
            "int8" => (i8::MIN as f64, i8::MAX as f64),
            "int16" => (i16::MIN as f64, i16::MAX as f64),
            "int32" => (i32::MIN as f64, i32::MAX as f64),
            "int64" => (i64::MIN as f64, i64::MAX as f64),
            "uint8" => (0.0, u8::MAX as f64),
            "uint16" => (0.0, u16::MAX as f64),
            "uint32" => (0.0, u32::MAX as f64),
            "uint64" | "uint" => (0.0, u64::MAX as f64),
            _ => return None,
        };
        match keyword {
            "minimum" if integer => Some(min),
            "maximum" if integer => Some(max),
            _ => None,
        }
    };
    stated.or_else(implied)
}

/// An object schema by its property names, `object{code,message}`: two
/// objects with other properties are other shapes.
fn object_kind(schema: &Value) -> Option<String> {
    let props = schema.get("properties")?.as_object()?;
    let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
    names.sort_unstable();
    Some(format!("object{{{}}}", names.join(",")))
}

/// What kind of value a schema describes, for shape changes: the sorted,
/// distinct kinds of its union's branches (a component by name, an inline
/// schema by type; a constant or enum as its type) together with the
/// alternates the server also accepts (`x-contract-also-accepts`). `None`
/// for a single type, which `types` compares.
fn kind(spec: Spec<'_>, schema: &Value) -> Option<String> {
    let shaped = shape(spec, schema);
    let s = shaped.schema;
    let of = |b: &Value| -> String {
        match b.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let target = shape(spec, b).schema;
                let enum_like = target.get("enum").is_some()
                    || target
                        .get("oneOf")
                        .and_then(Value::as_array)
                        .is_some_and(|bs| {
                            bs.iter()
                                .all(|x| x.get("const").is_some() || x.get("enum").is_some())
                        });
                if enum_like {
                    "string".into()
                } else {
                    ref_display_name(r)
                }
            }
            None => object_kind(b).unwrap_or_else(|| describe(b)),
        }
    };
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    let mut union = false;
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = s.get(key).and_then(Value::as_array) {
            union = true;
            kinds.extend(
                branches
                    .iter()
                    .filter(|b| !crate::spec::is_null_schema(b))
                    .map(|b| {
                        let k = of(b);
                        if b.get("const").is_some() || b.get("enum").is_some() {
                            k.split('(').next().unwrap_or(&k).to_owned()
                        } else {
                            k
                        }
                    }),
            );
        }
    }
    if !union {
        // One object is one shape whatever its properties (they are
        // compared one by one); only a union's branches go by theirs.
        if s.get("properties").is_some() {
            kinds.insert("object".into());
        } else {
            kinds.extend(
                type_formats(s)
                    .into_iter()
                    .filter(|(t, _)| t != "null")
                    .map(|(t, _)| t),
            );
        }
    }
    if let Some(also) = s
        .get(contract_core::keyword::ALSO_ACCEPTS)
        .and_then(Value::as_array)
    {
        kinds.extend(also.iter().map(of));
    }
    let scalar = |k: &String| {
        matches!(
            k.split('(').next().unwrap_or(k),
            "string" | "integer" | "number" | "boolean"
        )
    };
    match kinds.len() {
        0 => None,
        1 if kinds.iter().all(scalar) => None,
        1 if !union => kinds.pop_first(),
        _ => Some(format!(
            "one of {}",
            kinds.into_iter().collect::<Vec<_>>().join(", ")
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Max,
    Min,
}

struct Differ<'a> {
    old: Spec<'a>,
    new: Spec<'a>,
    findings: Vec<Finding>,
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
        let index = |spec: Spec<'a>| -> BTreeMap<(String, usize), Operation<'a>> {
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
                    let (rule, message) = match (path_gone, old_op.deprecated()) {
                        (true, false) => (
                            "api-path-removed-without-deprecation",
                            "the path was removed without being deprecated first",
                        ),
                        (true, true) => (
                            "api-path-removed-with-deprecation",
                            "the path was removed after deprecation",
                        ),
                        (false, false) => (
                            "api-removed-without-deprecation",
                            "the operation was removed without being deprecated first",
                        ),
                        (false, true) => (
                            "api-removed-with-deprecation",
                            "the operation was removed after deprecation",
                        ),
                    };
                    let severity = if old_op.deprecated() {
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

    fn operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
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
        old: &Operation<'a>,
        new: &Operation<'a>,
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
        old: &Operation<'a>,
        new: &Operation<'a>,
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
        old: &Operation<'a>,
        new: &Operation<'a>,
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
        old: &Operation<'a>,
        new: &Operation<'a>,
        order: &(String, usize),
        label: &str,
    ) {
        let codes = |spec: Spec<'a>, op: &Operation<'a>| -> BTreeMap<String, String> {
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

    /// Compares two schemas at `at`; `stack` holds the reference pairs being
    /// compared further up, so recursive schemas end.
    fn schema(
        &mut self,
        at: &At,
        old: &'a Value,
        new: &'a Value,
        stack: &mut Vec<(&'a str, &'a str)>,
    ) {
        let os = shape(self.old, old);
        let ns = shape(self.new, new);
        let pair = (
            os.refs.last().copied().unwrap_or(""),
            ns.refs.last().copied().unwrap_or(""),
        );
        let has_refs = pair != ("", "");
        if has_refs && stack.contains(&pair) {
            return;
        }
        if has_refs {
            stack.push(pair);
        }

        self.nullability(at, os.nullable, ns.nullable);
        if self.shape_changed(at, old, new) {
            if has_refs {
                stack.pop();
            }
            return;
        }
        self.types(at, os.schema, ns.schema);
        self.enums(at, os.schema, ns.schema);
        self.bounds(at, os.schema, ns.schema);
        if !at.shallow {
            self.properties(at, os.schema, ns.schema, stack);
            if let (Some(o), Some(n)) = (os.schema.get("items"), ns.schema.get("items")) {
                let path = if at.depth == 0 && at.path.ends_with("[]") {
                    at.path.clone()
                } else {
                    format!("{}[]", at.path)
                };
                self.schema(&at.child(path), o, n, stack);
            }
            if let (Some(o @ Value::Object(_)), Some(n @ Value::Object(_))) = (
                os.schema.get("additionalProperties"),
                ns.schema.get("additionalProperties"),
            ) {
                self.schema(&at.child(format!("{}{{}}", at.path)), o, n, stack);
            }
        }

        if has_refs {
            stack.pop();
        }
    }

    fn nullability(&mut self, at: &At, old: bool, new: bool) {
        let (dir, subject) = (at.dir.as_str(), at.subject());
        let finding = match (at.dir, old, new) {
            (Dir::Request, true, false) => Some((
                Severity::Error,
                "became-not-nullable",
                "no longer accepts null; clients that send null are rejected",
            )),
            (Dir::Request, false, true) => {
                Some((Severity::Info, "became-nullable", "now accepts null"))
            }
            (Dir::Response, false, true) => Some((
                Severity::Error,
                "became-nullable",
                "may now be null; generated clients typed it as non-null",
            )),
            (Dir::Response, true, false) => {
                Some((Severity::Info, "became-not-nullable", "is no longer null"))
            }
            _ => None,
        };
        if let Some((severity, change, message)) = finding {
            self.push(
                severity,
                format!("{dir}-{subject}-{change}"),
                &at.order,
                at.location(),
                message,
            );
        }
    }

    /// A union that became another union, an object or a typed value (or
    /// the other way round): the body has another shape, and generated
    /// clients another type. Reported once, instead of per keyword.
    fn shape_changed(&mut self, at: &At, old: &Value, new: &Value) -> bool {
        let (o, n) = (kind(self.old, old), kind(self.new, new));
        if o == n || (o.is_none() && n.is_none()) {
            return false;
        }
        let show = |k: Option<String>, side: &Value, spec: Spec<'_>| {
            k.unwrap_or_else(|| describe(shape(spec, side).schema))
        };

        // The kinds on each side: a union's branches, or the one kind.
        let members = |k: &Option<String>, side: &Value, spec: Spec<'_>| -> BTreeSet<String> {
            match k {
                Some(k) => k
                    .strip_prefix("one of ")
                    .unwrap_or(k)
                    .split(", ")
                    .map(str::to_owned)
                    .collect(),
                None => type_formats(shape(spec, side).schema)
                    .into_iter()
                    .filter(|(t, _)| t != "null")
                    .map(|(t, _)| t)
                    .collect(),
            }
        };
        let (om, nm) = (members(&o, old, self.old), members(&n, new, self.new));
        let change = format!(
            "changed shape from {} to {}",
            show(o, old, self.old),
            show(n, new, self.new)
        );
        self.type_change(at, change, om.is_subset(&nm), nm.is_subset(&om));
        true
    }

    fn types(&mut self, at: &At, old: &Value, new: &Value) {
        let (o, n) = (type_formats(old), type_formats(new));
        if o.is_empty() || n.is_empty() || o == n {
            return;
        }
        // An integer format alone changed: the values allowed are the
        // effective bounds, which `bounds` compares.
        let names = |ts: &[(String, Option<String>)]| -> Vec<String> {
            ts.iter().map(|(t, _)| t.clone()).collect()
        };
        if names(&o) == names(&n) && o.iter().all(|(t, _)| t == "integer" || t == "null") {
            return;
        }
        let show = |types: &[(String, Option<String>)]| -> String {
            types
                .iter()
                .map(|(t, f)| match f {
                    Some(f) => format!("{t}({f})"),
                    None => t.clone(),
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        let change = format!("type changed from {} to {}", show(&o), show(&n));
        self.type_change(at, change, accepts_all(&n, &o), accepts_all(&o, &n));
    }

    /// Reports a change of type or shape: breaking unless every value
    /// accepted before still is (requests, `widened`) or every value sent
    /// still fits the old type (responses, `narrowed`).
    fn type_change(&mut self, at: &At, change: String, widened: bool, narrowed: bool) {
        let (severity, rule, message) = match at.dir {
            Dir::Request if widened => (
                Severity::Info,
                "type-generalized",
                format!("{change}; every value accepted before still is"),
            ),
            Dir::Request => (
                Severity::Error,
                "type-changed",
                format!("{change}; values clients send may be rejected"),
            ),
            Dir::Response if narrowed => (
                Severity::Info,
                "type-specialized",
                format!("{change}; every value sent still fits the old type"),
            ),
            Dir::Response => (
                Severity::Error,
                "type-changed",
                format!("{change}; clients may fail to decode it"),
            ),
        };
        self.push(
            severity,
            format!("{}-{}-{rule}", at.dir.as_str(), at.subject()),
            &at.order,
            at.location(),
            message,
        );
    }

    fn enums(&mut self, at: &At, old: &Value, new: &Value) {
        // `enum`, or a union of constants (the same set of values).
        let values = |schema: &Value| -> Option<Vec<Value>> {
            if let Some(list) = schema.get("enum").and_then(Value::as_array) {
                return Some(list.iter().filter(|v| !v.is_null()).cloned().collect());
            }
            let branches = ["oneOf", "anyOf"]
                .iter()
                .find_map(|k| schema.get(*k).and_then(Value::as_array))?;
            let mut out = Vec::new();
            for b in branches.iter().filter(|b| !crate::spec::is_null_schema(b)) {
                match (b.get("const"), b.get("enum").and_then(Value::as_array)) {
                    (Some(c), _) => out.push(c.clone()),
                    (None, Some(list)) => out.extend(list.iter().filter(|v| !v.is_null()).cloned()),
                    (None, None) => return None,
                }
            }
            Some(out)
        };
        let (dir, subject) = (at.dir.as_str(), at.subject());
        match (values(old), values(new)) {
            (Some(o), Some(n)) => {
                for value in o.iter().filter(|v| !n.contains(v)) {
                    let shown = display_value(value);
                    let (severity, message) = match at.dir {
                        Dir::Request => (
                            Severity::Error,
                            format!(
                                "enum value {shown} removed; clients that send it are rejected"
                            ),
                        ),
                        Dir::Response => (Severity::Info, format!("enum value {shown} removed")),
                    };
                    self.push(
                        severity,
                        format!("{dir}-{subject}-enum-value-removed"),
                        &at.order,
                        at.location(),
                        message,
                    );
                }
                for value in n.iter().filter(|v| !o.contains(v)) {
                    let shown = display_value(value);
                    let (severity, message) = match at.dir {
                        Dir::Request => (Severity::Info, format!("enum value {shown} added")),
                        Dir::Response => (
                            Severity::Error,
                            format!(
                                "enum value {shown} added; generated clients fail on values they do not know"
                            ),
                        ),
                    };
                    self.push(
                        severity,
                        format!("{dir}-{subject}-enum-value-added"),
                        &at.order,
                        at.location(),
                        message,
                    );
                }
            }
            (None, Some(_)) if at.dir == Dir::Request => self.push(
                Severity::Error,
                format!("request-{subject}-became-enum"),
                &at.order,
                at.location(),
                "restricted to a list of enum values; other values are rejected",
            ),
            (Some(_), None) if at.dir == Dir::Response => self.push(
                Severity::Error,
                format!("response-{subject}-enum-removed"),
                &at.order,
                at.location(),
                "no longer an enum; generated clients fail on values they do not know",
            ),
            _ => {}
        }
    }

    fn bounds(&mut self, at: &At, old: &Value, new: &Value) {
        let (dir, subject) = (at.dir.as_str(), at.subject());
        for (keyword, stem, bound) in BOUNDS {
            // The bound a value can have at all: stated, or implied by the
            // integer format (an i32 never exceeds 2^31 - 1, said or not).
            let o = effective_bound(old, keyword);
            let n = effective_bound(new, keyword);
            let shown = |v: Option<f64>| match v {
                Some(v) => v.to_string(),
                None => "none".to_owned(),
            };
            // (change, tightened)
            let change = match (bound, o, n) {
                (_, None, None) => continue,
                (_, None, Some(_)) => ("set", true),
                (_, Some(_), None) => ("unset", false),
                (_, Some(a), Some(b)) if a == b => continue,
                (Bound::Max, Some(a), Some(b)) => {
                    if b < a {
                        ("decreased", true)
                    } else {
                        ("increased", false)
                    }
                }
                (Bound::Min, Some(a), Some(b)) => {
                    if b > a {
                        ("increased", true)
                    } else {
                        ("decreased", false)
                    }
                }
            };
            let (name, tightened) = change;
            let (severity, why) = match (at.dir, tightened) {
                (Dir::Request, true) => (Severity::Error, "; values accepted before are rejected"),
                (Dir::Request, false) => (Severity::Info, ""),
                (Dir::Response, false) => (
                    Severity::Warning,
                    "; clients may receive values they did not expect",
                ),
                (Dir::Response, true) => (Severity::Info, ""),
            };
            self.push(
                severity,
                format!("{dir}-{subject}-{stem}-{name}"),
                &at.order,
                at.location(),
                format!("`{keyword}` changed from {} to {}{why}", shown(o), shown(n)),
            );
        }
    }

    fn properties(
        &mut self,
        at: &At,
        old: &'a Value,
        new: &'a Value,
        stack: &mut Vec<(&'a str, &'a str)>,
    ) {
        let (Some(ov), Some(nv)) = (object_view(self.old, old), object_view(self.new, new)) else {
            return;
        };
        // readOnly properties never travel in requests, writeOnly never in
        // responses.
        let hidden = match at.dir {
            Dir::Request => "readOnly",
            Dir::Response => "writeOnly",
        };
        let child_path = |name: &str| {
            if at.path.is_empty() {
                name.to_owned()
            } else {
                format!("{}.{name}", at.path)
            }
        };
        for op in &ov.properties {
            if is_true(op.schema, hidden) {
                continue;
            }
            let child = at.child(child_path(op.name));
            let was_required = ov.is_required(op.name);
            let Some(np) = nv.get(op.name) else {
                let (severity, rule, message) = match (at.dir, was_required) {
                    (Dir::Request, _) => (
                        Severity::Warning,
                        "request-property-removed",
                        "the property was removed; clients that still send it may be rejected",
                    ),
                    (Dir::Response, true) => (
                        Severity::Error,
                        "response-required-property-removed",
                        "a required property was removed; clients expect it",
                    ),
                    (Dir::Response, false) => (
                        Severity::Info,
                        "response-optional-property-removed",
                        "an optional property was removed",
                    ),
                };
                self.push(severity, rule, &at.order, child.location(), message);
                continue;
            };
            let is_required = nv.is_required(op.name);
            let finding = match (at.dir, was_required, is_required) {
                (Dir::Request, false, true) => Some((
                    Severity::Error,
                    "request-property-became-required",
                    "the property became required; clients that omit it are rejected",
                )),
                (Dir::Request, true, false) => Some((
                    Severity::Info,
                    "request-property-became-optional",
                    "the property became optional",
                )),
                (Dir::Response, true, false) => Some((
                    Severity::Error,
                    "response-property-became-optional",
                    "the property may now be absent; generated clients typed it as always present",
                )),
                (Dir::Response, false, true) => Some((
                    Severity::Info,
                    "response-property-became-required",
                    "the property is now always present",
                )),
                _ => None,
            };
            if let Some((severity, rule, message)) = finding {
                self.push(severity, rule, &at.order, child.location(), message);
            }
            self.schema(&child, op.schema, np.schema, stack);
        }
        for np in &nv.properties {
            if is_true(np.schema, hidden) || ov.get(np.name).is_some() {
                continue;
            }
            let child = at.child(child_path(np.name));
            let (severity, rule, message) = match (at.dir, nv.is_required(np.name)) {
                (Dir::Request, true) => (
                    Severity::Error,
                    "new-required-request-property",
                    "a new required property; existing clients do not send it",
                ),
                (Dir::Request, false) => (
                    Severity::Info,
                    "new-optional-request-property",
                    "a new optional property",
                ),
                (Dir::Response, true) => (
                    Severity::Info,
                    "response-required-property-added",
                    "a new property, always present",
                ),
                (Dir::Response, false) => (
                    Severity::Info,
                    "response-optional-property-added",
                    "a new property, sometimes absent",
                ),
            };
            self.push(severity, rule, &at.order, child.location(), message);
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
