//! [`SpecBuilder`]: collects operations and schemas, writes the document.

use std::collections::{BTreeMap, BTreeSet};

use contract_core::{Catalog, Declared, ErrorCode, Locale, keyword};
use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::RecursiveTransform;
use serde_json::{Map, Value, json};

use crate::reference::SCHEMAS;
use crate::{In, Operation, Parameter, SecurityScheme, security, shape};

/// Builds an OpenAPI 3.1 document.
#[derive(Debug)]
pub struct SpecBuilder {
    title: String,
    version: String,
    description: Option<String>,
    requests: SchemaGenerator,
    responses: SchemaGenerator,
    operations: Vec<Operation>,
    validation_status: u16,
    body_timeout: bool,
    request_timeout: bool,
    security_schemes: Vec<SecurityScheme>,
    catalog: Catalog,
    info: Map<String, Value>,
    servers: Vec<Value>,
    tags: Vec<Value>,
}

fn generator(serialize: bool) -> SchemaGenerator {
    let mut s = SchemaSettings::draft2020_12();
    s.definitions_path = "/components/schemas/".into();
    let s = if serialize {
        s.for_serialize()
    } else {
        s.for_deserialize()
            .with_transform(RecursiveTransform(shape::integer_format_bounds))
    };
    s.into_generator()
}

/// One type's schemas as [`SpecBuilder`] publishes them, for a tool that
/// registers components itself (contract-utoipa's `Schemars<T>`): the same
/// generator settings (JSON Schema 2020-12, references to
/// `#/components/schemas/`, the integer ranges of requests) and the same
/// generator-safe shapes.
///
/// ```
/// use contract_openapi::TypeSchemas;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Tag { name: String }
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct NewTodo { value: String, tag: Option<Tag> }
///
/// let s = TypeSchemas::request::<NewTodo>();
/// assert_eq!(s.name.as_deref(), Some("NewTodo"));
/// assert_eq!(s.schema["required"], serde_json::json!(["value"]));
/// assert_eq!(
///     s.schema["properties"]["tag"]["oneOf"][0]["$ref"],
///     "#/components/schemas/Tag"
/// );
/// assert!(s.components.contains_key("Tag"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TypeSchemas {
    /// The component name of the type, `None` when schemars inlines it
    /// (`String`, `Vec<T>`, a type with `#[schemars(inline)]`).
    pub name: Option<String>,
    /// The type's own schema: the component's body for a named type.
    pub schema: Value,
    /// Every other component the schema refers to, directly or not, by name.
    pub components: Map<String, Value>,
}

impl TypeSchemas {
    /// The request (deserialize) contract of `T`, as
    /// [`SpecBuilder::request_schema`] writes it.
    pub fn request<T: JsonSchema>() -> Self {
        Self::of::<T>(generator(false))
    }

    /// The response (serialize) contract of `T`, as
    /// [`SpecBuilder::response_schema`] writes it.
    pub fn response<T: JsonSchema>() -> Self {
        Self::of::<T>(generator(true))
    }

    fn of<T: JsonSchema>(mut g: SchemaGenerator) -> Self {
        let mut root = g.subschema_for::<T>();
        for t in g.transforms_mut() {
            t.transform(&mut root);
        }
        let mut root = root.to_value();
        let mut components = Map::new();
        for (name, mut schema) in g.take_definitions(true) {
            shape::schema(&mut schema);
            components.insert(name, schema);
        }
        crate::union::tagged_unions(&mut components);
        shape::schema(&mut root);
        let own = root
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(SCHEMAS))
            .filter(|n| components.contains_key(*n))
            .map(str::to_owned);
        let schema = match &own {
            Some(name) => components.remove(name).expect("checked above"),
            None => root,
        };
        Self {
            name: own,
            schema,
            components,
        }
    }
}

impl SpecBuilder {
    /// A document with this title and API version.
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            version: version.into(),
            description: None,
            requests: generator(false),
            responses: generator(true),
            operations: Vec::new(),
            validation_status: 422,
            body_timeout: false,
            request_timeout: false,
            security_schemes: Vec::new(),
            catalog: Catalog::new(),
            info: Map::new(),
            servers: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// The API's description (Markdown).
    pub fn description(&mut self, d: impl Into<String>) -> &mut Self {
        self.description = Some(d.into());
        self
    }

    /// The API's license: an SPDX `identifier` (`MIT OR Apache-2.0`) and a
    /// name for people.
    pub fn license(&mut self, name: impl Into<String>, identifier: impl Into<String>) -> &mut Self {
        self.info.insert(
            "license".into(),
            json!({ "name": name.into(), "identifier": identifier.into() }),
        );
        self
    }

    /// Who to contact about the API.
    pub fn contact(&mut self, name: impl Into<String>, url: impl Into<String>) -> &mut Self {
        self.info.insert(
            "contact".into(),
            json!({ "name": name.into(), "url": url.into() }),
        );
        self
    }

    /// A server the API is served from (a URL, relative to the document's
    /// own when it starts with `/`).
    pub fn server(&mut self, url: impl Into<String>, description: impl Into<String>) -> &mut Self {
        self.servers
            .push(json!({ "url": url.into(), "description": description.into() }));
        self
    }

    /// Describes a tag the operations use, in the order tags are listed.
    pub fn tag(&mut self, name: impl Into<String>, description: impl Into<String>) -> &mut Self {
        self.tags
            .push(json!({ "name": name.into(), "description": description.into() }));
        self
    }

    /// The status of `validation_failed`, as the service is configured.
    pub fn validation_status(&mut self, status: u16) -> &mut Self {
        self.validation_status = status;
        self
    }

    /// The catalog whose English messages fill the example envelopes.
    pub fn catalog(&mut self, catalog: Catalog) -> &mut Self {
        self.catalog = catalog;
        self
    }

    /// The status `validation_failed` is documented with.
    pub fn configured_validation_status(&self) -> u16 {
        self.validation_status
    }

    /// Whether the service times out slow request bodies: operations with
    /// a body then document `408 timeout` (off by default).
    pub fn body_timeout(&mut self, yes: bool) -> &mut Self {
        self.body_timeout = yes;
        self
    }

    /// Whether operations with a body document `408 timeout`.
    pub fn documents_body_timeout(&self) -> bool {
        self.body_timeout
    }

    /// Every operation documents `504 timeout`: the service times its
    /// handlers out (`Contract::request_timeout`).
    pub fn request_timeout(&mut self, yes: bool) -> &mut Self {
        self.request_timeout = yes;
        self
    }

    /// Whether every operation documents `504 timeout`.
    pub fn documents_request_timeout(&self) -> bool {
        self.request_timeout
    }

    /// Lists a security scheme under `components.securitySchemes`, in the
    /// order registered. A scheme an operation uses is listed even when not
    /// registered (after the registered ones).
    ///
    /// # Panics
    /// When another scheme of the same name is registered.
    pub fn security_scheme(&mut self, scheme: SecurityScheme) -> &mut Self {
        self.register_scheme(scheme);
        self
    }

    fn register_scheme(&mut self, scheme: SecurityScheme) {
        match self
            .security_schemes
            .iter()
            .find(|s| s.name() == scheme.name())
        {
            Some(s) if *s == scheme => {}
            Some(s) => panic!(
                "two security schemes are named `{}`: {} and {}",
                scheme.name(),
                s.to_value(),
                scheme.to_value()
            ),
            None => self.security_schemes.push(scheme),
        }
    }

    /// The request (deserialize) schema of `T`: a `$ref` for named types.
    pub fn request_schema<T: JsonSchema>(&mut self) -> Value {
        self.requests.subschema_for::<T>().to_value()
    }

    /// The response (serialize) schema of `T`: a `$ref` for named types.
    pub fn response_schema<T: JsonSchema>(&mut self) -> Value {
        self.responses.subschema_for::<T>().to_value()
    }

    /// `T`'s properties as parameters `in` `location`, each described by
    /// its doc comment. A parameter is never null (a query string has no
    /// null: an `Option` is a parameter that may be left out), so its
    /// schema has no null type, branch or default.
    pub fn parameters<T: JsonSchema>(&mut self, location: In) -> Vec<Parameter> {
        let schema = self.requests.root_schema_for::<T>().to_value();
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        props
            .iter()
            .map(|(name, prop)| {
                let mut prop = prop.clone();
                crate::parameter::not_nullable(&mut prop);
                let description = prop.as_object_mut().and_then(|o| o.remove("description"));
                let p =
                    Parameter::new(name, location, prop).required(required.contains(name.as_str()));
                match description {
                    Some(Value::String(d)) => p.description(d),
                    _ => p,
                }
            })
            .collect()
    }

    /// Adds an operation.
    ///
    /// # Panics
    /// When it uses a security scheme whose name another scheme has, or when
    /// its `operationId` is already taken: generated clients name
    /// their methods by it, so two operations must never share one.
    pub fn add(&mut self, op: Operation) -> &mut Self {
        for u in &op.security {
            self.register_scheme(*u.scheme());
        }
        if let Some(id) = op.id()
            && let Some(other) = self.operations.iter().find(|o| o.id() == Some(id))
        {
            panic!(
                "operationId `{id}` of {} {} is already the id of {} {}; give one of them another",
                op.method.to_uppercase(),
                op.path,
                other.method.to_uppercase(),
                other.path
            );
        }
        self.operations.push(op);
        self
    }

    /// The operations added so far.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// Writes the document.
    pub fn build(mut self) -> Value {
        let requests =
            std::mem::replace(&mut self.requests, generator(false)).take_definitions(true);
        let responses =
            std::mem::replace(&mut self.responses, generator(true)).take_definitions(true);
        // Names whose request contract differs from the response one.
        let renamed: BTreeMap<String, String> = requests
            .iter()
            .filter(|(name, schema)| responses.get(*name).is_some_and(|r| r != *schema))
            .map(|(name, _)| (name.clone(), format!("{name}Input")))
            .collect();
        let mut schemas = Map::new();
        for (name, schema) in responses {
            schemas.insert(name, schema);
        }
        for (name, mut schema) in requests {
            rename_refs(&mut schema, &renamed);
            let name = renamed.get(&name).cloned().unwrap_or(name);
            schemas.entry(name).or_insert(schema);
        }
        for (name, schema) in envelope_components() {
            schemas.insert(name.into(), schema);
        }
        let mut sorted: Vec<(String, Value)> = schemas.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut schemas = Map::new();
        for (name, mut schema) in sorted {
            shape::schema(&mut schema);
            schemas.insert(name, schema);
        }
        crate::union::tagged_unions(&mut schemas);

        let mut paths = Map::new();
        let operations = std::mem::take(&mut self.operations);
        for op in &operations {
            let entry = paths.entry(op.path.clone()).or_insert_with(|| json!({}));
            let mut o = self.operation(op);
            if let Some(b) = o.get_mut("requestBody") {
                rename_refs(b, &renamed);
            }
            if let Some(Value::Array(ps)) = o.get_mut("parameters") {
                for p in ps {
                    rename_refs(p, &renamed);
                }
            }
            shape::operation(&mut o);
            entry[&op.method] = o;
        }

        let mut info = json!({ "title": self.title, "version": self.version });
        if let Some(d) = &self.description {
            info["description"] = json!(d);
        }
        if let Some(i) = info.as_object_mut() {
            i.extend(self.info.clone());
        }
        let mut components = json!({
            "schemas": schemas,
            "responses": self.shared_responses(),
        });
        if !self.security_schemes.is_empty() {
            components["securitySchemes"] = Value::Object(
                self.security_schemes
                    .iter()
                    .map(|s| (s.name().to_owned(), s.to_value()))
                    .collect(),
            );
        }
        let mut doc = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": info,
        });
        if !self.servers.is_empty() {
            doc["servers"] = Value::Array(self.servers.clone());
        }
        if !self.tags.is_empty() {
            doc["tags"] = Value::Array(self.tags.clone());
        }
        doc["paths"] = Value::Object(paths);
        doc["components"] = components;
        crate::reference::drop_unreferenced_responses(&mut doc, None);
        doc
    }

    pub(crate) fn status_of(&self, d: &Declared) -> u16 {
        if d.code == ErrorCode::VALIDATION_FAILED {
            self.validation_status
        } else {
            d.status
        }
    }

    fn message(&self, d: &Declared) -> String {
        self.catalog
            .top_message(d.message_id(), &english(), d.default_message, &[])
            .into_owned()
    }

    fn operation(&self, op: &Operation) -> Value {
        let mut o = Map::new();
        if let Some(id) = &op.operation_id {
            o.insert("operationId".into(), json!(id));
        }
        if let Some(s) = &op.summary {
            o.insert("summary".into(), json!(s));
        }
        let description = match (&op.description, &op.deprecated) {
            (Some(d), Some(dep)) => Some(format!("{d}\n\n{}", dep.sentence())),
            (None, Some(dep)) => Some(dep.sentence()),
            (d, None) => d.clone(),
        };
        if let Some(d) = description {
            o.insert("description".into(), json!(d));
        }
        if let Some(dep) = &op.deprecated {
            o.insert("deprecated".into(), json!(true));
            if let Some(date) = dep.sunset_date() {
                o.insert(keyword::SUNSET.into(), json!(date));
            }
        }
        if !op.tags.is_empty() {
            o.insert("tags".into(), json!(op.tags));
        }
        if !op.parameters.is_empty() {
            let parameters = op.parameters.iter().map(Parameter::to_value).collect();
            o.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some((schema, required)) = &op.request_body {
            let mut content = Map::new();
            if op.request_media.is_empty() {
                content.insert("application/json".to_owned(), json!({ "schema": schema }));
            }
            for media in &op.request_media {
                content.insert(media.clone(), json!({ "schema": schema }));
            }
            o.insert(
                "requestBody".into(),
                json!({ "required": required, "content": content }),
            );
        }
        let mut responses = Map::new();
        if let Some((status, schema)) = &op.success {
            let description = op.success_description.as_deref().unwrap_or(reason(*status));
            let mut r = json!({ "description": description });
            if let Some(schema) = schema {
                let mut media = json!({ "schema": schema });
                if let Some(example) = &op.success_example {
                    media["example"] = example.clone();
                }
                r["content"] = json!({ "application/json": media });
            }
            let headers: Map<String, Value> = op
                .success_headers
                .iter()
                .map(|(name, d)| {
                    (
                        name.clone(),
                        json!({ "description": d, "schema": { "type": "string" } }),
                    )
                })
                .collect();
            if !headers.is_empty() {
                r["headers"] = Value::Object(headers.clone());
            }
            responses.insert(status.to_string(), r);
            if op.not_modified {
                let mut r = json!({
                    "description": "Not Modified: the representation still has the entity tag `If-None-Match` gave; no body.",
                });
                if !headers.is_empty() {
                    r["headers"] = Value::Object(headers);
                }
                responses.insert("304".into(), r);
            }
        }
        let mut by_status: BTreeMap<u16, Vec<&Declared>> = BTreeMap::new();
        for d in &op.errors {
            by_status.entry(self.status_of(d)).or_default().push(d);
        }
        let shared = self.shared_responses();
        for (status, declared) in by_status {
            let response = self.error_response(status, &declared);
            let shared_ref = shared
                .as_object()
                .and_then(|m| m.iter().find(|(_, v)| **v == response))
                .map(|(name, _)| json!({ "$ref": format!("#/components/responses/{name}") }));
            responses.insert(status.to_string(), shared_ref.unwrap_or(response));
        }
        o.insert("responses".into(), Value::Object(responses));
        // `[]` says outright that the operation is public.
        o.insert(
            "security".into(),
            Value::Array(security::requirements(&op.security)),
        );
        Value::Object(o)
    }

    pub(crate) fn error_response(&self, status: u16, declared: &[&Declared]) -> Value {
        let codes: Vec<&str> = declared.iter().map(|d| d.code.as_str()).collect();
        let mut description = format!("{}. `code` is one of:", reason(status));
        let mut examples = Map::new();
        for d in declared {
            let message = self.message(d);
            description.push_str(&format!("\n- `{}`: {}", d.code, message));
            let fields = if d.code == ErrorCode::VALIDATION_FAILED {
                json!([{ "field": "name", "code": "required", "message":
                    self.catalog.field_message(ErrorCode::REQUIRED.as_str(), &english(), &[]) }])
            } else {
                json!([])
            };
            examples.insert(
                d.code.to_string(),
                json!({
                    "summary": message,
                    "value": {
                        "code": d.code.as_str(),
                        "message": message,
                        "fields": fields,
                        "request_id": "01JDX3T6K9Q4S2M8V7W5Y0Z1AB",
                    },
                }),
            );
        }
        json!({
            "description": description,
            keyword::ERROR_CODES: codes,
            "content": {
                "application/json": {
                    "schema": { "$ref": format!("{SCHEMAS}ApiError") },
                    "examples": examples,
                },
            },
        })
    }

    /// Responses every service can send, shared by reference.
    pub(crate) fn shared_responses(&self) -> Value {
        let one = |code: ErrorCode| {
            let d = Declared::builtin(code);
            self.error_response(d.status, &[&d])
        };
        json!({
            "Unauthenticated": one(ErrorCode::UNAUTHENTICATED),
            "Forbidden": one(ErrorCode::FORBIDDEN),
            "NotFound": one(ErrorCode::NOT_FOUND),
            "MethodNotAllowed": one(ErrorCode::METHOD_NOT_ALLOWED),
            "PayloadTooLarge": one(ErrorCode::PAYLOAD_TOO_LARGE),
            "UnsupportedMediaType": one(ErrorCode::UNSUPPORTED_MEDIA_TYPE),
            "Internal": one(ErrorCode::INTERNAL),
        })
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Response",
    }
}

/// The envelope's two components, `ApiError` and `FieldViolation`, from
/// their Rust types (`contract_core::Envelope` and `FieldViolation`, whose
/// `JsonSchema` the `schema` feature derives), as a response publishes them.
pub(crate) fn envelope_components() -> [(&'static str, Value); 2] {
    static COMPONENTS: std::sync::OnceLock<[(&'static str, Value); 2]> = std::sync::OnceLock::new();
    COMPONENTS
        .get_or_init(|| {
            let mut t = TypeSchemas::response::<contract_core::Envelope>();
            debug_assert_eq!(t.name.as_deref(), Some("ApiError"));
            let violation = t
                .components
                .remove("FieldViolation")
                .expect("the envelope refers to FieldViolation");
            [("ApiError", t.schema), ("FieldViolation", violation)]
        })
        .clone()
}

pub(crate) fn rename_refs(v: &mut Value, renamed: &BTreeMap<String, String>) {
    if renamed.is_empty() {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && let Some(new) = r.strip_prefix(SCHEMAS).and_then(|n| renamed.get(n))
            {
                *r = format!("{SCHEMAS}{new}");
            }
            for child in m.values_mut() {
                rename_refs(child, renamed);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| rename_refs(c, renamed)),
        _ => {}
    }
}

/// The spec's examples are in English.
fn english() -> Locale {
    Locale::from_static("en")
}

#[cfg(test)]
mod tests {
    use contract_core::{Declared, ErrorCode};
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;
    use crate::{Security, SecurityScheme};

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Page {
        /// How many to skip.
        offset: Option<u32>,
        /// How many to answer.
        limit: u32,
    }

    #[derive(Serialize, JsonSchema)]
    struct Item {
        id: i64,
        note: Option<String>,
        owner: Option<Owner>,
    }

    #[derive(Serialize, JsonSchema)]
    struct Owner {
        name: String,
    }

    fn declared(status: u16, code: &'static str) -> Declared {
        Declared::new(status, ErrorCode::from_static(code), None)
    }

    #[test]
    fn parameters_are_typed_with_their_doc_comments_and_requiredness() {
        let mut spec = SpecBuilder::new("t", "1");
        let params = spec.parameters::<Page>(In::Query);
        let by_name = |n: &str| params.iter().find(|p| p.name() == n).expect(n);
        assert!(!by_name("offset").is_required());
        assert!(by_name("limit").is_required());
        assert_eq!(by_name("limit").location(), In::Query);
        assert_eq!(
            by_name("limit").to_value()["description"],
            "How many to answer."
        );
        assert!(by_name("limit").schema().get("description").is_none());
        // In the path, every parameter is required.
        let path = spec.parameters::<Page>(In::Path);
        assert!(path.iter().all(Parameter::is_required));
    }

    #[test]
    fn responses_are_all_required_and_options_nullable() {
        let mut spec = SpecBuilder::new("t", "1");
        let mut op = Operation::new("GET", "/items/{id}");
        op.operation_id("get_item")
            .success(200, Some(spec.response_schema::<Item>()));
        spec.add(op);
        let doc = spec.build();
        let item = &doc["components"]["schemas"]["Item"];
        assert_eq!(item["required"], json!(["id", "note", "owner"]));
        assert_eq!(
            item["properties"]["note"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(
            item["properties"]["owner"]["oneOf"],
            json!([{"$ref": "#/components/schemas/Owner"}, {"type": "null"}])
        );
    }

    #[test]
    fn error_responses_carry_their_codes_at_the_configured_validation_status() {
        let mut spec = SpecBuilder::new("t", "1");
        spec.validation_status(400);
        let mut op = Operation::new("POST", "/items");
        op.operation_id("create_item")
            .success(201, None)
            .error(declared(422, "validation_failed"))
            .error(declared(409, "item_exists"))
            .error(declared(409, "item_locked"))
            .error(declared(409, "item_exists"));
        spec.add(op);
        let doc = spec.build();
        let responses = &doc["paths"]["/items"]["post"]["responses"];
        assert_eq!(
            responses["400"][keyword::ERROR_CODES],
            json!(["validation_failed"])
        );
        assert!(responses.get("422").is_none(), "{responses:#}");
        assert_eq!(
            responses["409"][keyword::ERROR_CODES],
            json!(["item_exists", "item_locked"])
        );
        assert_eq!(
            responses["409"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ApiError"
        );
    }

    #[test]
    fn optional_security_lists_the_anonymous_alternative_first() {
        const KEY: SecurityScheme = SecurityScheme::api_key_header("api_key", "X-Api-Key");
        let mut spec = SpecBuilder::new("t", "1");
        let mut op = Operation::new("GET", "/items");
        op.operation_id("list_items")
            .success(200, None)
            .security(Security::Optional(KEY));
        spec.add(op);
        let doc = spec.build();
        assert_eq!(
            doc["paths"]["/items"]["get"]["security"],
            json!([{}, {"api_key": []}])
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["api_key"],
            json!({"type": "apiKey", "in": "header", "name": "X-Api-Key"})
        );
    }

    #[test]
    #[should_panic(expected = "operationId `twice`")]
    fn a_duplicate_operation_id_is_refused() {
        let mut spec = SpecBuilder::new("t", "1");
        let mut a = Operation::new("GET", "/a");
        a.operation_id("twice");
        let mut b = Operation::new("GET", "/b");
        b.operation_id("twice");
        spec.add(a).add(b);
    }
}
