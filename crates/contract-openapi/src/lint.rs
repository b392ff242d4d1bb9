//! The nullability lint: each property's class, and what the policy forbids.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use crate::document::{
    Spec, admits_null_itself, describe, is_null_schema, is_true, media_schemas, object_view,
    reachable_schemas, shape, str_of, type_formats,
};

/// How a client generator sees a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PropertyClass {
    /// Always present, never null: a plain type.
    Required,
    /// Always present, may be null.
    RequiredNullable,
    /// May be absent, never null.
    Optional,
    /// May be absent or null.
    OptionalNullable,
    /// A request property where absent, null and a value mean three different
    /// things (leave, clear, set): marked `x-patch: true` or
    /// `x-contract-class: "tri-state"`.
    TriState,
}

impl PropertyClass {
    /// Every class, in report order.
    pub const ALL: [PropertyClass; 5] = [
        PropertyClass::Required,
        PropertyClass::RequiredNullable,
        PropertyClass::Optional,
        PropertyClass::OptionalNullable,
        PropertyClass::TriState,
    ];

    /// The name used in reports: `required`, `required-nullable`, `optional`,
    /// `optional-nullable`, `tri-state`.
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyClass::Required => "required",
            PropertyClass::RequiredNullable => "required-nullable",
            PropertyClass::Optional => "optional",
            PropertyClass::OptionalNullable => "optional-nullable",
            PropertyClass::TriState => "tri-state",
        }
    }
}

impl fmt::Display for PropertyClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a schema travels, found by following references from operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// Only in request bodies or parameters.
    Request,
    /// Only in responses.
    Response,
    /// In both.
    Both,
    /// Not reachable from any operation.
    Unused,
}

impl Usage {
    fn new(request: bool, response: bool) -> Self {
        match (request, response) {
            (true, true) => Usage::Both,
            (true, false) => Usage::Request,
            (false, true) => Usage::Response,
            (false, false) => Usage::Unused,
        }
    }

    /// Whether response rules apply.
    pub fn in_response(self) -> bool {
        matches!(self, Usage::Response | Usage::Both)
    }

    /// Whether request rules apply.
    pub fn in_request(self) -> bool {
        matches!(self, Usage::Request | Usage::Both)
    }

    /// `request`, `response`, `request, response` or `unused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Usage::Request => "request",
            Usage::Response => "response",
            Usage::Both => "request, response",
            Usage::Unused => "unused",
        }
    }
}

/// One property in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PropertyReport {
    /// The property name.
    pub name: String,
    /// Its class.
    pub class: PropertyClass,
    /// A short type name (`string(date)`, `array<Speaker>`, `Speaker`).
    pub type_name: String,
}

/// One schema in the report: a component, an inline body schema (named by
/// operation, `POST /things/ request`), or an inline object nested in one of
/// those (`Parent.property`, `Parent.list[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemaReport {
    /// The schema's name in the report.
    pub name: String,
    /// Where it is used.
    pub usage: Usage,
    /// Its type, when it is not an object.
    pub type_name: Option<String>,
    /// Its properties, in document order (`allOf` bases first).
    pub properties: Vec<PropertyReport>,
}

/// A policy failure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LintError {
    /// `Schema.property`, or `Schema` for the schema itself.
    pub location: String,
    /// What is wrong and what to write instead.
    pub reason: String,
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}: {}", self.location, self.reason)
    }
}

/// The result of [`lint`]. Its `Display` is the text report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LintReport {
    /// Components sorted by name (each followed by its nested inline
    /// objects), then inline body schemas in operation order.
    pub schemas: Vec<SchemaReport>,
    /// Policy failures, in the same order.
    pub errors: Vec<LintError>,
    /// What a client team should know but nothing to fix: integer bounds
    /// a JavaScript number cannot hold exactly, stated by a 64-bit format.
    pub notes: Vec<LintError>,
}

impl LintReport {
    /// How many listed properties have `class`.
    pub fn count(&self, class: PropertyClass) -> usize {
        self.schemas
            .iter()
            .flat_map(|s| &s.properties)
            .filter(|p| p.class == class)
            .count()
    }

    /// Whether the policy holds (no errors).
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// The class of `schema.property`, if listed.
    pub fn class_of(&self, schema: &str, property: &str) -> Option<PropertyClass> {
        self.schemas
            .iter()
            .find(|s| s.name == schema)?
            .properties
            .iter()
            .find(|p| p.name == property)
            .map(|p| p.class)
    }

    /// The usage of a listed schema.
    pub fn usage_of(&self, schema: &str) -> Option<Usage> {
        self.schemas
            .iter()
            .find(|s| s.name == schema)
            .map(|s| s.usage)
    }
}

impl fmt::Display for LintReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for schema in &self.schemas {
            writeln!(f, "{} ({})", schema.name, schema.usage.as_str())?;
            if schema.properties.is_empty() {
                let type_name = schema.type_name.as_deref().unwrap_or("object");
                writeln!(f, "  ({type_name}, no properties)")?;
            }
            let name_width = schema
                .properties
                .iter()
                .map(|p| p.name.chars().count())
                .max()
                .unwrap_or(0);
            for p in &schema.properties {
                writeln!(
                    f,
                    "  {:name_width$}  {:17}  {}",
                    p.name,
                    p.class.as_str(),
                    p.type_name
                )?;
            }
            writeln!(f)?;
        }
        for error in &self.errors {
            writeln!(f, "{error}")?;
        }
        for note in &self.notes {
            writeln!(f, "note: {}: {}", note.location, note.reason)?;
        }
        if !self.errors.is_empty() || !self.notes.is_empty() {
            writeln!(f)?;
        }
        let totals: Vec<String> = PropertyClass::ALL
            .iter()
            .map(|c| format!("{}={}", c.as_str(), self.count(*c)))
            .collect();
        writeln!(
            f,
            "totals: {}; errors={}",
            totals.join(" "),
            self.errors.len()
        )
    }
}

/// Lints an OpenAPI 3.1 document.
///
/// Every schema under `components.schemas`, every inline object schema of a
/// request body or response (named by operation), and every inline object
/// nested in those is listed with its properties' classes. Where a schema is
/// used (requests, responses, both) is found by following `$ref`s from the
/// operations. The policy (below) is checked along the
/// way.
///
/// # The policy
///
/// Client generators (Kotlin, Swift) turn every property missing from
/// `required` into an optional type, so presence and nullability must be
/// explicit. The lint fails (`error: Schema.property: reason`) on:
///
/// - a response property not in `required`, unless it carries
///   `x-contract-allow-absent: true` and a non-empty `description`;
/// - a nullable reference written other than
///   `oneOf`/`anyOf: [{$ref}, {type: "null"}]` (a `$ref` with a sibling null
///   type or `nullable`, an `allOf: [$ref]` with one);
/// - the `nullable` or `x-nullable` keyword anywhere (not OpenAPI 3.1);
/// - a nullable array or boolean in a response;
/// - an `enum` on `code` in `ApiError` or `FieldViolation` (codes are open
///   strings, listed per response in `x-error-codes`);
/// - a tri-state property (`x-patch: true` or `x-contract-class: "tri-state"`)
///   in a response, in `required`, or not admitting null;
/// - a shape mainstream client generators do not read as the intended type,
///   in requests and responses alike, each reported with the generators it
///   breaks: a `oneOf`/`anyOf` of string constants (not a `type: string`
///   `enum`), a nested union, a union or type array of several scalar types
///   (other than branches marked `x-contract-alternate`), a union of inline
///   objects without a `discriminator`, a `$ref` with siblings that change
///   the type (generators drop them), an inline nullable enum, a `uint64`
///   format, and an untyped value.
///
/// A schema's usage (request, response, both) comes from following `$ref`s
/// transitively from each operation's parameters and request body versus its
/// responses. Nullable means a `type` array containing `"null"`, a
/// `oneOf`/`anyOf` with a `{type: "null"}` branch (or the legacy keywords,
/// which are also reported).
///
/// # Example
///
/// ```
/// use serde_json::json;
///
/// let spec = json!({
///     "openapi": "3.1.0",
///     "info": {"title": "demo", "version": "1"},
///     "paths": {"/things/{id}": {"get": {"responses": {"200": {
///         "description": "the thing",
///         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
///     }}}}},
///     "components": {"schemas": {"Thing": {
///         "type": "object",
///         "required": ["id", "note"],
///         "properties": {
///             "id": {"type": "integer"},
///             "note": {"type": ["string", "null"]},
///             "tags": {"type": "array", "items": {"type": "string"}},
///         },
///     }}},
/// });
///
/// let report = contract_openapi::lint(&spec);
/// assert_eq!(report.class_of("Thing", "note"), Some(contract_openapi::PropertyClass::RequiredNullable));
/// // `tags` may be absent from a response: the policy refuses that.
/// assert_eq!(report.errors.len(), 1);
/// assert_eq!(report.errors[0].location, "Thing.tags");
///
/// // Making `note` optional breaks generated clients.
/// let mut next = spec.clone();
/// next["components"]["schemas"]["Thing"]["required"] = json!(["id"]);
/// let changes = contract_openapi::diff(&spec, &next);
/// assert!(changes.is_breaking());
/// assert_eq!(changes.findings[0].rule, "response-property-became-optional");
/// assert_eq!(changes.findings[0].location, "GET /things/{id} 200 response: Thing.note");
/// ```
pub fn lint(doc: &Value) -> LintReport {
    let spec = Spec::new(doc);
    let ops = spec.operations();

    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for op in &ops {
        request_roots.extend(op.raw_parameters());
        request_roots.extend(op.op.get("requestBody"));
        response_roots.extend(op.op.get("responses"));
    }
    let in_requests = reachable_schemas(spec, &request_roots);
    let in_responses = reachable_schemas(spec, &response_roots);

    let mut linter = Linter {
        spec,
        report: LintReport {
            schemas: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
        },
        current: 0,
        error_order: Vec::new(),
    };

    let mut components = spec.schemas();
    components.sort_by(|a, b| a.0.cmp(b.0));
    for (name, schema) in components {
        let usage = Usage::new(in_requests.contains(name), in_responses.contains(name));
        linter.entry(name.to_owned(), schema, usage);
    }

    // Shared responses and parameters are listed (and checked) once, under
    // the first operation that uses them.
    let mut seen: Vec<&Value> = Vec::new();
    for op in &ops {
        let label = op.label();
        // Parameter errors sort before the operation's inline schemas.
        linter.current = linter.report.schemas.len();
        for (_, param) in op.parameters(spec) {
            if let Some(schema) = param.get("schema").filter(|s| first_time(&mut seen, s)) {
                let name = str_of(param, "name").unwrap_or("?");
                let owner = format!("{label} parameter {name}");
                linter.walk(schema, &owner, &owner, Usage::Request, false);
            }
        }
        let mut bodies = Vec::new();
        if let Some(body) = op.request_body(spec) {
            bodies.push((format!("{label} request"), body, Usage::Request));
        }
        for (status, response) in op.responses(spec) {
            bodies.push((
                format!("{label} {status} response"),
                response,
                Usage::Response,
            ));
        }
        for (name, body, usage) in bodies {
            let media = media_schemas(body);
            let several = media.len() > 1;
            for (media_type, schema) in media {
                if !first_time(&mut seen, schema) {
                    continue;
                }
                let name = if several {
                    format!("{name} ({media_type})")
                } else {
                    name.clone()
                };
                linter.walk(schema, &name, &name, usage, false);
            }
        }
    }
    linter.finish()
}

/// Whether `schema` (by identity) is seen for the first time.
fn first_time<'v>(seen: &mut Vec<&'v Value>, schema: &'v Value) -> bool {
    let fresh = !seen.iter().any(|s| std::ptr::eq(*s, schema));
    if fresh {
        seen.push(schema);
    }
    fresh
}

struct Linter<'a> {
    spec: Spec<'a>,
    report: LintReport,
    /// Index of the schema being checked; errors are sorted by it at the end
    /// so they follow the order of the listing.
    current: usize,
    /// The schema index of each error.
    error_order: Vec<usize>,
}

impl<'a> Linter<'a> {
    fn finish(mut self) -> LintReport {
        let mut errors: Vec<(usize, LintError)> = self
            .error_order
            .into_iter()
            .zip(self.report.errors)
            .collect();
        errors.sort_by_key(|(index, _)| *index);
        self.report.errors = errors.into_iter().map(|(_, e)| e).collect();
        self.report
    }

    fn error(&mut self, location: &str, reason: impl Into<String>) {
        self.error_order.push(self.current);
        self.report.errors.push(LintError {
            location: location.to_owned(),
            reason: reason.into(),
        });
    }

    /// Lists one object-ish schema and checks its properties; nested inline
    /// objects follow it.
    fn entry(&mut self, name: String, schema: &'a Value, usage: Usage) {
        let index = self.report.schemas.len();
        let outer = std::mem::replace(&mut self.current, index);
        self.entry_body(name, schema, usage, index);
        self.current = outer;
    }

    fn entry_body(&mut self, name: String, schema: &'a Value, usage: Usage, index: usize) {
        self.report.schemas.push(SchemaReport {
            name: name.clone(),
            usage,
            type_name: None,
            properties: Vec::new(),
        });
        self.check_node(schema, &name, false);
        let shaped = shape(self.spec, schema);
        let Some(view) = object_view(self.spec, shaped.schema) else {
            self.report.schemas[index].type_name = Some(describe(schema));
            // A non-object component may still hide inline objects in its
            // branches or items.
            for child in branches(schema) {
                self.walk(child.1, &name, &format!("{name}{}", child.0), usage, false);
            }
            return;
        };
        // An alias (`A: {$ref: B}`) lists B's properties; B reports their errors.
        let alias = !shaped.refs.is_empty();
        for property in &view.properties {
            let required = view.is_required(property.name);
            let class = classify(self.spec, property.schema, required);
            self.report.schemas[index].properties.push(PropertyReport {
                name: property.name.to_owned(),
                class,
                type_name: describe(property.schema),
            });
            if property.inherited || alias {
                // Checked where it is declared.
                continue;
            }
            let location = format!("{name}.{}", property.name);
            let is_code =
                matches!(name.as_str(), "ApiError" | "FieldViolation") && property.name == "code";
            self.check_property(&location, property.schema, class, required, usage);
            self.walk(property.schema, &location, &location, usage, is_code);
        }
    }

    /// Policy that depends on the property's class and where it is used.
    fn check_property(
        &mut self,
        location: &str,
        schema: &'a Value,
        class: PropertyClass,
        required: bool,
        usage: Usage,
    ) {
        let shaped = shape(self.spec, schema);
        if class == PropertyClass::TriState {
            if usage.in_response() {
                self.error(
                    location,
                    "tri-state (`x-patch`) belongs in request bodies only; a response always sends the value",
                );
                return;
            }
            if required {
                self.error(
                    location,
                    "a tri-state property must not be in `required` (absent means leave unchanged)",
                );
            }
            if !shaped.nullable {
                self.error(
                    location,
                    "a tri-state property must admit null (null means clear)",
                );
            }
        }
        if !usage.in_response() {
            return;
        }
        if !required {
            let allowed = is_true(schema, contract_core::keyword::ALLOW_ABSENT);
            let described = str_of(schema, "description").is_some_and(|d| !d.trim().is_empty());
            match (allowed, described) {
                (true, true) => {}
                (true, false) => self.error(
                    location,
                    "`x-contract-allow-absent` needs a `description` saying when the property is absent",
                ),
                (false, _) => self.error(
                    location,
                    "response property is not in `required`; always send it (null for no value) or mark it `x-contract-allow-absent: true` with a description",
                ),
            }
        }
        if shaped.nullable {
            let types = type_formats(shaped.schema);
            if types.iter().any(|(t, _)| t == "array") {
                self.error(
                    location,
                    "nullable array in a response; send `[]` instead of null",
                );
            }
            if types.iter().any(|(t, _)| t == "boolean") {
                self.error(
                    location,
                    "nullable boolean in a response; choose what null would mean and send that",
                );
            }
        }
    }

    /// Checks a schema node; an inline object found becomes an entry named
    /// `entry_name`. Error locations use `location`.
    fn walk(
        &mut self,
        schema: &'a Value,
        location: &str,
        entry_name: &str,
        usage: Usage,
        is_code: bool,
    ) {
        if str_of(schema, "$ref").is_some() {
            self.check_node(schema, location, is_code);
            return;
        }
        if schema.get("properties").is_some() {
            self.entry(entry_name.to_owned(), schema, usage);
            return;
        }
        self.check_node(schema, location, is_code);
        for (suffix, child) in branches(schema) {
            let nested = format!("{entry_name}{suffix}");
            self.walk(child, location, &nested, usage, is_code);
        }
    }

    /// Policy on one schema node: the legacy nullable keywords, the nullable
    /// reference form, an enum on an error `code`.
    fn check_node(&mut self, schema: &Value, location: &str, is_code: bool) {
        let keyword = schema.get("nullable").is_some();
        let x_keyword = schema.get("x-nullable").is_some();
        let typed_null = admits_null_itself(schema) && schema.get("type").is_some();
        let all_of_ref = schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|b| b.iter().any(|b| b.get("$ref").is_some()));
        let is_ref = schema.get("$ref").is_some();
        if (is_ref || all_of_ref) && (keyword || x_keyword || typed_null) {
            let form = if is_ref {
                "`$ref` with a sibling null type or `nullable`"
            } else {
                "`allOf: [$ref]` with a null type or `nullable`"
            };
            self.error(
                location,
                format!(
                    "nullable reference written as {form}; generators drop the null: write `oneOf: [{{$ref}}, {{type: \"null\"}}]`"
                ),
            );
        } else {
            if keyword {
                self.error(
                    location,
                    "`nullable` is not an OpenAPI 3.1 keyword; write `type: [T, \"null\"]`, or `oneOf` with `{type: \"null\"}` for a reference",
                );
            }
            if x_keyword {
                self.error(
                    location,
                    "`x-nullable` is not honoured in OpenAPI 3.1; write `type: [T, \"null\"]`, or `oneOf` with `{type: \"null\"}` for a reference",
                );
            }
        }
        if let Some(reason) = generator_breaker(schema) {
            self.error(location, reason);
        }
        match inexact_bound(schema) {
            Some(Ok(note)) => self.report.notes.push(LintError {
                location: location.to_owned(),
                reason: note,
            }),
            Some(Err(reason)) => self.error(location, reason),
            None => {}
        }
        if is_code && schema.get("enum").is_some() {
            self.error(
                location,
                format!(
                    "error codes are open strings: remove the `enum` and list the codes in each response's `{}`",
                    contract_core::keyword::ERROR_CODES
                ),
            );
        }
    }
}

/// The first `\u00HH` escape of a control character (C0, DEL or C1) in a
/// regex, which `\xHH` writes for every generator's dialect.
fn control_escape(pattern: &str) -> Option<&str> {
    let bytes = pattern.as_bytes();
    (0..bytes.len().saturating_sub(5)).find_map(|i| {
        let escape = pattern.get(i..i + 6)?;
        let preceded = pattern[..i]
            .bytes()
            .rev()
            .take_while(|b| *b == b'\\')
            .count();
        let code = u8::from_str_radix(escape.strip_prefix("\\u00")?, 16).ok()?;
        (preceded % 2 == 0 && (code < 0x20 || (0x7F..=0x9F).contains(&code))).then_some(escape)
    })
}

/// An integer bound beyond 2^53 − 1, which a JavaScript number (a double)
/// cannot hold exactly: a note where a 64-bit `format` states it (the type's
/// own range, say), an error where nothing does.
fn inexact_bound(schema: &Value) -> Option<Result<String, String>> {
    const EXACT: u64 = (1 << 53) - 1;
    let bound = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]
        .into_iter()
        .find_map(|k| {
            let n = schema.get(k)?;
            let beyond = n
                .as_u64()
                .map(|n| n > EXACT)
                .or_else(|| n.as_i64().map(|n| n.unsigned_abs() > EXACT))
                .or_else(|| n.as_f64().map(|n| n.abs() > EXACT as f64))?;
            beyond.then(|| format!("{k}: {n}"))
        })?;
    Some(match schema.get("format").and_then(Value::as_str) {
        Some("int64") => Ok(format!(
            "{bound} is beyond 2^53 - 1 and stated by `format: int64`: a client that reads it as a JavaScript number gets it rounded"
        )),
        _ => Err(format!(
            "{bound} is beyond 2^53 - 1, which a JavaScript number cannot hold: leave the bound out, or state it with `format: int64`"
        )),
    })
}

/// Keys that only annotate a schema: generators keep or ignore them without
/// changing the type.
fn annotation(key: &str) -> bool {
    matches!(
        key,
        "description"
            | "title"
            | "summary"
            | "deprecated"
            | "readOnly"
            | "writeOnly"
            | "example"
            | "examples"
            | "$comment"
    ) || key.starts_with("x-")
}

/// A shape that mainstream client generators do not read as the intended
/// type (measured with openapi-generator 7.26 `kotlin`, `swift5`, `swift6`,
/// `python`, `dart-dio`, openapi-typescript 7.13 and @hey-api/openapi-ts
/// 0.99), with what each does and what to write instead.
fn generator_breaker(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    for key in ["oneOf", "anyOf"] {
        let Some(branches) = obj.get(key).and_then(Value::as_array) else {
            continue;
        };
        let typed: Vec<&Value> = branches.iter().filter(|b| !is_null_schema(b)).collect();
        let constant = |b: &&Value| {
            b.get("const").is_some_and(Value::is_string)
                || b.get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.iter().all(Value::is_string))
        };
        if !typed.is_empty() && typed.iter().all(constant) {
            return Some(format!(
                "`{key}` of string constants: kotlin generates an empty class, swift5 a `case typeString(String)` wrapper, python fails with \"Multiple matches\"; write `type: string, enum: [...]`"
            ));
        }
        if typed
            .iter()
            .any(|b| b.get("anyOf").is_some() || b.get("oneOf").is_some())
        {
            return Some(format!(
                "a nested `anyOf`/`oneOf` in `{key}`: kotlin, swift5, python and dart-dio generate an empty wrapper class; flatten it into one union"
            ));
        }
        let scalars: BTreeSet<&str> = typed
            .iter()
            .filter(|b| b.get("$ref").is_none() && b.get("properties").is_none())
            .filter(|b| !is_true(b, contract_core::keyword::ALTERNATE))
            .filter_map(|b| b.get("type").and_then(Value::as_str))
            .filter(|t| !matches!(*t, "object" | "array"))
            .collect();
        if scalars.len() > 1 {
            return Some(format!(
                "a `{key}` of scalar types ({}): kotlin, swift5, python and dart-dio generate a wrapper class; publish one type and mark the others `x-contract-alternate`",
                scalars.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        let inline_objects = typed
            .iter()
            .filter(|b| b.get("properties").is_some())
            .count();
        if inline_objects > 1 && obj.get("discriminator").is_none() {
            return Some(format!(
                "a `{key}` of inline objects: generators name them `…OneOf`, `…OneOf1`, and kotlin and dart merge them into one class; make each variant a component and add a `discriminator` (in Rust, tag the enum: `#[serde(tag = \"kind\")]`)"
            ));
        }
    }
    let conditional_all_of = obj.get("properties").is_some()
        && obj
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| !all.is_empty() && all.iter().all(|c| c.get("if").is_some()));
    if conditional_all_of {
        return Some(
            "an `allOf` of `if`/`then` rules beside `properties`: @hey-api/openapi-ts's zod makes an intersection with `unknown` that refuses integers, and python drops explicit nulls; write each rule under `dependentSchemas` (keyed by the property its `if` requires)".into(),
        );
    }
    if let Some(Value::Array(types)) = obj.get("type") {
        let non_null: Vec<&str> = types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect();
        if non_null.len() > 1 {
            return Some(format!(
                "a type array of {}: kotlin generates `Any`, swift `AnyCodable`; publish one type and mark the others `x-contract-alternate`",
                non_null.join(", ")
            ));
        }
    }
    if obj.get("$ref").is_some() {
        let dropped: Vec<&str> = obj
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "$ref" && !annotation(k))
            .filter(|k| !matches!(*k, "nullable" | "type"))
            .collect();
        if !dropped.is_empty() {
            return Some(format!(
                "a `$ref` with sibling {}: openapi-generator drops the siblings of a `$ref`; move them into the referenced schema or wrap the reference in `allOf`",
                dropped.join(", ")
            ));
        }
    }
    let nullable_inline_enum = obj.get("enum").is_some()
        && obj
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|t| t == "null"));
    if nullable_inline_enum {
        return Some(
            "an inline nullable enum: python generates `str` and loses the values; make the enum a component and write `oneOf: [{$ref}, {type: \"null\"}]`".into(),
        );
    }
    if let Some(escape) = obj
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(control_escape)
    {
        return Some(format!(
            "a pattern with `{escape}`: hey-api's zod plugin writes the character itself into its source (NUL makes git and grep take the file for binary); write `\\x{}` instead",
            &escape[4..]
        ));
    }
    if let Some(format @ ("uint64" | "uint")) = obj.get("format").and_then(Value::as_str) {
        return Some(format!(
            "`format: {format}`: kotlin generates `Int` (overflows above 2^31) and JavaScript numbers are exact only to 2^53; use `i64` (`int64`), or send the number as a string"
        ));
    }
    let untyped = obj
        .keys()
        .all(|k| annotation(k) || k == "type" || k == "default")
        && obj.get("type").is_none_or(|t| t == "object");
    if untyped {
        return Some(
            "an untyped value (no `type`, properties or items): kotlin generates `Any`, swift `AnyCodable`, python `object`, typescript `unknown`; give it a type".into(),
        );
    }
    None
}

/// The sub-schemas of a node that are not properties, each with the suffix
/// naming an inline object found there: composition branches (same name),
/// array items (`[]`), map values (`{}`).
fn branches(schema: &Value) -> Vec<(&'static str, &Value)> {
    let mut out = Vec::new();
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            out.extend(list.iter().map(|b| ("", b)));
        }
    }
    if let Some(not) = schema.get("not") {
        out.push(("", not));
    }
    if let Some(items) = schema.get("items").filter(|i| i.is_object()) {
        out.push(("[]", items));
    }
    if let Some(list) = schema.get("prefixItems").and_then(Value::as_array) {
        out.extend(list.iter().map(|b| ("[]", b)));
    }
    if let Some(ap) = schema.get("additionalProperties").filter(|i| i.is_object()) {
        out.push(("{}", ap));
    }
    out
}

/// A property's class from its schema and whether it is in `required`.
fn classify(spec: Spec<'_>, schema: &Value, required: bool) -> PropertyClass {
    let tri_state = is_true(schema, contract_core::keyword::PATCH)
        || str_of(schema, contract_core::keyword::CLASS) == Some("tri-state");
    if tri_state {
        return PropertyClass::TriState;
    }
    let nullable = shape(spec, schema).nullable;
    match (required, nullable) {
        (true, false) => PropertyClass::Required,
        (true, true) => PropertyClass::RequiredNullable,
        (false, false) => PropertyClass::Optional,
        (false, true) => PropertyClass::OptionalNullable,
    }
}
