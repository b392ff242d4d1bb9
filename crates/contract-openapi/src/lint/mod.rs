//! The nullability lint: each property's class, and what the policy forbids.

use std::fmt;

use serde_json::Value;

mod shapes;

use crate::document::{
    Spec, admits_null_itself, describe, is_true, media_schemas, object_view, reachable_schemas,
    shape, str_of, type_formats,
};
use shapes::{branches, generator_breaker, inexact_bound};

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
        let x_keyword = schema
            .get(contract_core::keyword::LEGACY_NULLABLE)
            .is_some();
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
