//! contract's test kit, for the CI of an app that adopted contract: one
//! call guards the spec, snapshots every operation's failure envelopes in
//! every locale, and checks that every answer is the one the spec
//! documents.
//!
//! ```no_run
//! # async fn run(router: axum::Router, spec: serde_json::Value) {
//! contract_test::Kit::new(router, spec)
//!     .golden("openapi.json") // the app's own, beside its Cargo.toml
//!     .snapshots("tests/envelopes")
//!     .locales(["en", "ko"])
//!     .run()
//!     .await
//!     .assert_clean();
//! # }
//! ```
//!
//! - **Golden spec** ([`Kit::golden`]): the generated spec must equal the
//!   committed file, shown as a diff when it drifted; `CONTRACT_UPDATE=1`
//!   rewrites the file. [`Kit::baseline`] also runs `contract diff`'s
//!   breaking-change rules against a baseline file or the spec at a git
//!   ref; an error-level finding fails unless [`Kit::allow`]ed.
//! - **Failure matrix**: for each operation, every failure the kit can
//!   derive from the spec (see [`FailureKind`]), sent in every locale, each
//!   answer checked (status, `Content-Type`, `x-request-id` equal to
//!   `request_id`, `Content-Language`, the code declared for that
//!   operation and status, every message within its budget in display
//!   columns) and snapshotted with insta, request ids
//!   redacted. [`Kit::case`] adds the app's own cases. What it cannot
//!   provoke is listed as skipped, with the reason.
//! - **Conformance**: [`Kit::conformance`] is contract's conformance check
//!   over the same spec, to wrap the router the app's own tests drive.
//! - **Report** ([`Kit::report`]): the nullability classes (`contract lint`)
//!   and each operation's codes, as markdown next to the spec, for client
//!   teams to read in review; checked like the golden spec.

use std::fmt;
use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use contract_axum::conformance::Conformance;
use contract_axum::{FIELD_BUDGET, TOP_BUDGET, display_width};
use contract_openapi::resolve;
use http::{HeaderName, HeaderValue, Method, Request, header};
use http_body_util::BodyExt;
use serde_json::{Map, Value, json};
use tower::ServiceExt;

mod accepted;
mod cases;
mod edge;
mod files;
use cases::{fill, malformed_value, secured, send, wrong_types};
pub use contract_openapi::Profile;
pub use files::FirstRun;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// A failure the kit derives from the spec for an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FailureKind {
    /// A body that is not JSON.
    MalformedBody,
    /// JSON of the wrong type (an array where an object belongs).
    WrongBodyType,
    /// `{}`: every required property missing at once.
    MissingRequired,
    /// Every typed property with a value of the wrong type, at once.
    WrongTypes,
    /// A path parameter that does not parse (one case per parameter).
    MalformedPathParameter,
    /// A method the path does not have.
    WrongMethod,
    /// A body over the limit.
    OversizeBody,
    /// A body in a media type other than JSON.
    WrongContentType,
    /// A secured operation without a credential.
    NoToken,
    /// A secured operation with a malformed credential.
    MalformedToken,
    /// A header parameter with a value its schema refuses: an `If-Match`
    /// that is no entity tag, a key over its `maxLength` (one case per
    /// header).
    MalformedHeader,
    /// A query parameter its schema refuses: an integer over its
    /// `maximum`, a `cursor` no page gave (one case per parameter).
    MalformedQuery,
    /// The app's own case ([`Kit::case`]).
    App,
}

impl FailureKind {
    fn name(self) -> &'static str {
        match self {
            FailureKind::MalformedBody => "malformed_body",
            FailureKind::WrongBodyType => "wrong_body_type",
            FailureKind::MissingRequired => "missing_required",
            FailureKind::WrongTypes => "wrong_types",
            FailureKind::MalformedPathParameter => "malformed_path",
            FailureKind::WrongMethod => "wrong_method",
            FailureKind::OversizeBody => "oversize_body",
            FailureKind::WrongContentType => "wrong_content_type",
            FailureKind::NoToken => "no_token",
            FailureKind::MalformedToken => "malformed_token",
            FailureKind::MalformedHeader => "malformed_header",
            FailureKind::MalformedQuery => "malformed_query",
            FailureKind::App => "app",
        }
    }
}

/// One request of the matrix, for one operation.
#[derive(Clone)]
struct Case {
    /// `operationId`, or `METHOD /path`.
    operation: String,
    /// The label: `METHOD /template (operationId)`.
    label: String,
    method: Method,
    kind: FailureKind,
    suffix: String,
    uri: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<(String, Vec<u8>)>,
    expected: Option<String>,
}

/// Where the baseline spec of [`Kit::baseline`] comes from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Baseline {
    /// A spec file.
    File(PathBuf),
    /// A file at a git ref: `git show REF:PATH`, run in the crate's
    /// directory.
    Git {
        /// The ref (`origin/main`, a tag).
        git_ref: String,
        /// The file's path in the repository.
        path: String,
    },
}

/// The test kit: configure it, then [`run`](Kit::run) it.
pub struct Kit {
    /// The user's test file, for the snapshots' metadata.
    caller: &'static str,
    router: Router,
    spec: Value,
    golden: Option<PathBuf>,
    baseline: Option<Baseline>,
    allowed: Vec<String>,
    snapshots: Option<PathBuf>,
    locales: Vec<String>,
    auth: Option<(HeaderName, HeaderValue)>,
    body_limit: usize,
    report: Option<PathBuf>,
    profiles: Vec<(Profile, PathBuf)>,
    app_cases: Vec<Case>,
    edges: Vec<edge::Edge>,
}

impl fmt::Debug for Kit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kit")
            .field("golden", &self.golden)
            .field("locales", &self.locales)
            .finish_non_exhaustive()
    }
}

/// Reads an OpenAPI 3.1 spec file (a relative path is the calling project's, see
/// [`in_project`]).
///
/// # Panics
/// With a message naming the file, when it cannot be read, is not JSON, or
/// is not OpenAPI 3.1.
pub fn read_spec(path: impl Into<PathBuf>) -> Value {
    let path = in_project(path.into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the spec {}: {e} (a relative path is your crate's, beside its Cargo.toml; the kit's `golden` file is written by its first run)",
            path.display()
        )
    });
    let spec: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the spec {} is not JSON: {e}", path.display()));
    if let Some(problem) = not_openapi_31(&spec) {
        panic!("the spec {} {problem}", path.display());
    }
    spec
}

fn not_openapi_31(spec: &Value) -> Option<String> {
    match spec.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.1") => None,
        Some(v) => Some(format!("is OpenAPI {v}, not 3.1")),
        None => Some("is not an OpenAPI document (no `openapi` member)".into()),
    }
}

impl Kit {
    /// A kit for `router` (with contract's `ErrorLayer`) and the spec it
    /// generates. The snapshots it writes name the file that calls this.
    #[track_caller]
    pub fn new(router: Router, spec: Value) -> Self {
        Self {
            caller: std::panic::Location::caller().file(),
            router,
            spec,
            golden: None,
            baseline: None,
            allowed: Vec::new(),
            snapshots: None,
            locales: vec!["en".into()],
            auth: None,
            body_limit: 2 * 1024 * 1024,
            report: None,
            profiles: Vec::new(),
            app_cases: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// The committed spec file the generated spec must equal. A relative
    /// path is the calling project's (see [`in_project`]).
    pub fn golden(mut self, path: impl Into<PathBuf>) -> Self {
        self.golden = Some(in_project(path.into()));
        self
    }

    /// A baseline the spec must not break (`contract diff`'s error rules).
    pub fn baseline(mut self, baseline: Baseline) -> Self {
        self.baseline = Some(baseline);
        self
    }

    /// Allows a breaking change by rule id (`response-property-removed`),
    /// or by `rule@location` for one place.
    pub fn allow(mut self, rule: impl Into<String>) -> Self {
        self.allowed.push(rule.into());
        self
    }

    /// The directory of the failure matrix's snapshots; without it the
    /// envelopes are checked but not snapshotted. A relative path is the
    /// calling project's (see [`in_project`]), never this crate's.
    pub fn snapshots(mut self, dir: impl Into<PathBuf>) -> Self {
        self.snapshots = Some(in_project(dir.into()));
        self
    }

    /// The locales to ask for (`Accept-Language`), each answer checked.
    pub fn locales<I: IntoIterator<Item = S>, S: Into<String>>(mut self, locales: I) -> Self {
        self.locales = locales.into_iter().map(Into::into).collect();
        self
    }

    /// A valid credential for secured operations, so their body and
    /// parameter failures can be provoked (`authorization`, `JWT ...`).
    ///
    /// # Panics
    /// When the name or value is not a valid header.
    pub fn auth(mut self, header: &str, value: &str) -> Self {
        self.auth = Some((
            HeaderName::try_from(header).expect("a header name"),
            HeaderValue::try_from(value).expect("a header value"),
        ));
        self
    }

    /// The body limit the app enforces (axum's 2 MiB by default).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Where the client-team report goes (markdown, next to the spec). A
    /// relative path is the calling project's (see [`in_project`]).
    pub fn report(mut self, path: impl Into<PathBuf>) -> Self {
        self.report = Some(in_project(path.into()));
        self
    }

    /// A committed export of the spec in a client generator's `profile`
    /// (`contract export --profile`): checked like the golden spec, written
    /// by `CONTRACT_UPDATE=1` and on the first run. A relative path is the
    /// calling project's.
    pub fn profile(mut self, profile: Profile, path: impl Into<PathBuf>) -> Self {
        self.profiles.push((profile, in_project(path.into())));
        self
    }

    /// The app's own case: a request (with the [`auth`](Kit::auth)
    /// credential, and `body` as JSON) and the code it must answer (a state
    /// conflict, a missing resource). Its status and code are checked
    /// against the spec like the derived ones, and snapshotted as `name`.
    ///
    /// # Panics
    /// When `method` is not an HTTP method.
    pub fn case(
        mut self,
        name: &str,
        method: &str,
        uri: &str,
        body: Option<Value>,
        code: &str,
    ) -> Self {
        let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
        let headers: Vec<(HeaderName, HeaderValue)> = self.auth.iter().cloned().collect();
        self.app_cases.push(Case {
            operation: name.to_owned(),
            label: format!("{method} {uri} ({name})"),
            method,
            kind: FailureKind::App,
            suffix: String::new(),
            uri: uri.to_owned(),
            headers,
            body: body.map(|b| ("application/json".to_owned(), b.to_string().into_bytes())),
            expected: Some(code.to_owned()),
        });
        self
    }

    /// contract's conformance check over this spec: wrap the router the
    /// app's own tests drive (`router.layer(check.layer())`) and call
    /// `assert_clean` at the end.
    pub fn conformance(&self) -> Conformance {
        Conformance::new(&self.spec)
    }

    /// Runs every check.
    pub async fn run(self) -> Outcome {
        let mut out = Outcome::default();
        if let Some(problem) = not_openapi_31(&self.spec) {
            out.failures
                .push(format!("spec: the generated spec {problem}"));
            return out;
        }
        out.first_run = self.first_run();
        if out.first_run == FirstRun::InCi {
            out.failures.push(self.first_run_in_ci());
            return out;
        }
        self.check_golden(&mut out);
        self.check_baseline(&mut out);
        self.check_report(&mut out);
        self.check_profiles(&mut out);
        let cases = self.derive_cases(&mut out);
        let check = Conformance::new(&self.spec);
        let router = self.router.clone().layer(check.layer());
        let mut snapshots = Vec::new();
        for case in cases {
            let mut by_locale = Map::new();
            for locale in &self.locales {
                match send(&router, &case, locale).await {
                    Ok((envelope, problems)) => {
                        out.envelopes += 1;
                        for p in problems {
                            out.failures.push(format!(
                                "{} {} [{locale}]: {p}",
                                case.label,
                                case.kind.name()
                            ));
                        }
                        by_locale.insert(locale.clone(), envelope);
                    }
                    Err(e) => {
                        out.failures
                            .push(format!("{} {}: {e}", case.label, case.kind.name()))
                    }
                }
            }
            let name = format!("{}__{}{}", case.operation, case.kind.name(), case.suffix);
            snapshots.push((name, Value::Object(by_locale)));
        }
        for e in &self.edges {
            out.failures
                .extend(edge::check(&router, &self.spec, e).await);
        }
        out.edges = self.edges.len();
        for v in check.violations() {
            out.failures.push(format!("not declared in the spec: {v}"));
        }
        self.check_snapshots(snapshots, &mut out);
        out
    }

    /// Every case of the matrix, from the spec; what cannot be provoked
    /// goes to `out.skipped` with the reason.
    fn derive_cases(&self, out: &mut Outcome) -> Vec<Case> {
        let mut cases = Vec::new();
        let paths = self
            .spec
            .get("paths")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (template, item) in &paths {
            let methods: Vec<&str> = METHODS
                .iter()
                .copied()
                .filter(|m| item.get(*m).is_some())
                .collect();
            for method in &methods {
                let op = &item[*method];
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{method}_{template}"), str::to_owned);
                let label = format!("{} {template} ({id})", method.to_uppercase());
                let method_up =
                    Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
                let params = self.parameters(op, item);
                let uri = fill(template, &params, None);
                let secured = secured(op, &self.spec);
                let new_case = |kind: FailureKind, uri: String| Case {
                    operation: id.clone(),
                    label: label.clone(),
                    method: method_up.clone(),
                    kind,
                    suffix: String::new(),
                    uri,
                    headers: Vec::new(),
                    body: None,
                    expected: None,
                };
                let mut own = Vec::new();
                if let Some(scheme) = &secured {
                    own.push(new_case(FailureKind::NoToken, uri.clone()));
                    let mut bad = new_case(FailureKind::MalformedToken, uri.clone());
                    bad.headers.push(scheme.malformed());
                    own.push(bad);
                }
                // Past authentication: the body and parameter failures.
                let credential: Vec<(HeaderName, HeaderValue)> = match (&secured, &self.auth) {
                    (None, _) => Vec::new(),
                    (Some(_), Some(a)) => vec![a.clone()],
                    (Some(_), None) => {
                        out.skipped.push(format!(
                            "{label}: body and parameter failures: secured, and no credential given (Kit::auth)"
                        ));
                        cases.extend(own);
                        continue;
                    }
                };
                let body_schema = op
                    .pointer("/requestBody/content/application~1json/schema")
                    .map(|s| resolve(&self.spec, s).clone());
                if let Some(schema) = &body_schema {
                    let json =
                        |text: String| Some(("application/json".to_owned(), text.into_bytes()));
                    let mut c = new_case(FailureKind::MalformedBody, uri.clone());
                    c.body = json("{\"".into());
                    own.push(c);
                    let mut c = new_case(FailureKind::WrongBodyType, uri.clone());
                    c.body = json("[]".into());
                    own.push(c);
                    if schema
                        .get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| !r.is_empty())
                    {
                        let mut c = new_case(FailureKind::MissingRequired, uri.clone());
                        c.body = json("{}".into());
                        own.push(c);
                    } else {
                        out.skipped.push(format!(
                            "{label}: missing_required: the body has no required property"
                        ));
                    }
                    match wrong_types(&self.spec, schema) {
                        Some(body) => {
                            let mut c = new_case(FailureKind::WrongTypes, uri.clone());
                            c.body = json(body.to_string());
                            own.push(c);
                        }
                        None => out
                            .skipped
                            .push(format!("{label}: wrong_types: no typed property")),
                    }
                    let mut c = new_case(FailureKind::OversizeBody, uri.clone());
                    let filler = "a".repeat(self.body_limit + 1);
                    c.body = json(format!("{{\"x\":\"{filler}\"}}"));
                    own.push(c);
                    let mut c = new_case(FailureKind::WrongContentType, uri.clone());
                    c.body = Some(("text/plain".into(), b"x".to_vec()));
                    own.push(c);
                }
                for (name, schema) in params.iter().filter(|(_, (_, loc))| loc == "path") {
                    match malformed_value(&schema.0) {
                        Some(bad) => {
                            let mut c = new_case(
                                FailureKind::MalformedPathParameter,
                                fill(template, &params, Some((name, &bad))),
                            );
                            c.suffix = format!("_{name}");
                            own.push(c);
                        }
                        None => out.skipped.push(format!(
                            "{label}: malformed path parameter {name}: every string is valid"
                        )),
                    }
                }
                for (name, (schema, location)) in &params {
                    let bad = match location.as_str() {
                        "header" if name.eq_ignore_ascii_case("if-match") => {
                            Some("not-an-entity-tag".to_owned())
                        }
                        "header" => schema
                            .get("maxLength")
                            .and_then(Value::as_u64)
                            .map(|m| "k".repeat(usize::try_from(m).unwrap_or(0) + 1)),
                        "query" if name == "cursor" => Some("not-a-cursor".to_owned()),
                        "query" => schema
                            .get("maximum")
                            .and_then(Value::as_i64)
                            .map(|m| m.saturating_add(1).to_string()),
                        _ => None,
                    };
                    let Some(bad) = bad else { continue };
                    let kind = if location == "header" {
                        FailureKind::MalformedHeader
                    } else {
                        FailureKind::MalformedQuery
                    };
                    let target = if location == "header" {
                        uri.clone()
                    } else {
                        format!("{uri}?{name}={bad}")
                    };
                    let mut c = new_case(kind, target);
                    if location == "header" {
                        match (
                            HeaderName::try_from(name.as_str()),
                            HeaderValue::try_from(bad),
                        ) {
                            (Ok(n), Ok(v)) => c.headers.push((n, v)),
                            _ => continue,
                        }
                    }
                    c.suffix = format!("_{}", name.to_ascii_lowercase().replace('-', "_"));
                    c.expected = Some("validation_failed".into());
                    own.push(c);
                }
                for c in &mut own {
                    if !matches!(c.kind, FailureKind::NoToken | FailureKind::MalformedToken) {
                        c.headers.extend(credential.iter().cloned());
                    }
                }
                cases.extend(own);
            }
            if let Some(other) = METHODS.iter().find(|m| !methods.contains(m)) {
                let params = methods
                    .first()
                    .map(|m| self.parameters(&item[*m], item))
                    .unwrap_or_default();
                cases.push(Case {
                    operation: format!("{}_{}", other, slug(template)),
                    label: format!("{} {template}", other.to_uppercase()),
                    method: Method::from_bytes(other.to_uppercase().as_bytes()).expect("a method"),
                    kind: FailureKind::WrongMethod,
                    suffix: String::new(),
                    uri: fill(template, &params, None),
                    headers: Vec::new(),
                    body: None,
                    expected: Some("method_not_allowed".into()),
                });
            }
        }
        cases.extend(self.app_cases.iter().cloned());
        out.cases = cases.len();
        cases
    }

    /// Path and query parameters: name -> (schema, location).
    fn parameters(&self, op: &Value, item: &Value) -> Vec<(String, (Value, String))> {
        let mut out = Vec::new();
        for p in item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .chain(op.get("parameters").and_then(Value::as_array))
            .flatten()
        {
            let p = resolve(&self.spec, p);
            let (Some(name), Some(location)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let schema = p
                .get("schema")
                .map(|s| resolve(&self.spec, s).clone())
                .unwrap_or(json!({}));
            out.push((name.to_owned(), (schema, location.to_owned())));
        }
        out
    }
}

/// `path` in the project whose tests run: a relative path is joined to
/// `CARGO_MANIFEST_DIR`, which cargo sets to the package under test when it
/// runs its tests (so the kit, a dependency, never writes into its own
/// sources, nor into `~/.cargo`). Absolute paths are kept.
///
/// ```
/// let p = contract_test::in_project("openapi.json".into());
/// assert!(p.is_absolute());
/// assert!(p.ends_with("openapi.json"));
/// ```
pub fn in_project(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        return path;
    }
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => PathBuf::from(dir).join(path),
        None => path,
    }
}

fn slug(template: &str) -> String {
    template
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .trim_matches('_')
        .to_owned()
}

/// The client-team report: each operation's error codes by status, and
/// each schema's nullability classes.
pub fn report(spec: &Value) -> String {
    let title = spec
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let mut text = format!(
        "# {title}: what clients can rely on\n\nGenerated from the spec by contract's test kit; CI fails when it is stale.\n\n## Error codes by operation\n\n| operation | status | codes |\n|---|---|---|\n"
    );
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
            for (status, r) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let r = resolve(spec, r);
                let Some(codes) = r
                    .get(contract_openapi::keyword::ERROR_CODES)
                    .and_then(Value::as_array)
                else {
                    continue;
                };
                let codes: Vec<String> = codes
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|c| format!("`{c}`"))
                    .collect();
                text.push_str(&format!(
                    "| `{} {path}` ({id}) | {status} | {} |\n",
                    method.to_uppercase(),
                    codes.join(", ")
                ));
            }
        }
    }
    text.push_str("\n## Nullability of every property\n\n```text\n");
    text.push_str(&contract_openapi::lint(spec).to_string());
    text.push_str("```\n");
    text
}

/// What [`Kit::run`] found.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Outcome {
    /// Every failure, naming the operation.
    pub failures: Vec<String>,
    /// What the kit could not provoke, with the reason.
    pub skipped: Vec<String>,
    /// Cases derived (and added by the app).
    pub cases: usize,
    /// Envelopes checked (cases x locales).
    pub envelopes: usize,
    /// Snapshots compared.
    pub snapshots: usize,
    /// Checks of the API edge run ([`Kit::conditional`], [`Kit::idempotent`],
    /// [`Kit::pages`]).
    pub edges: usize,
    /// Whether this was the project's first run (no golden spec yet).
    pub first_run: FirstRun,
    /// The files a first run wrote, to review and commit.
    pub created: Vec<String>,
}

impl Outcome {
    /// Panics listing every failure (and prints what was skipped).
    ///
    /// # Panics
    /// When anything failed.
    pub fn assert_clean(&self) {
        println!("{self}");
        assert!(self.failures.is_empty(), "{self}");
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "contract-test: {} cases, {} envelopes checked, {} snapshots, {} skipped, {} failures",
            self.cases,
            self.envelopes,
            self.snapshots,
            self.skipped.len(),
            self.failures.len()
        )?;
        if !self.created.is_empty() {
            writeln!(
                f,
                "contract-test: first run: wrote {}; review and commit them",
                self.created.join(", ")
            )?;
        }
        for s in &self.skipped {
            writeln!(f, "  skipped: {s}")?;
        }
        for fail in &self.failures {
            writeln!(f, "  FAILED: {fail}")?;
        }
        Ok(())
    }
}
