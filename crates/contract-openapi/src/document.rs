//! Reading an OpenAPI 3.1 document as JSON: local references, operations,
//! and the shape of a schema (what it is once references and nullable
//! wrappers are looked through).

use std::collections::BTreeSet;

use serde_json::Value;

/// The HTTP methods a path item may hold, in the order reports list them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "patch", "delete", "options", "head", "trace",
];

/// Whether a media type (`Content-Type`, or a key of an OpenAPI `content`
/// map) is JSON: `application/json` or `application/*+json`, in any
/// letter case, parameters (`; charset=utf-8`) aside. The one rule the
/// extractors, `Adopt` and the conformance check share.
///
/// ```
/// use contract_openapi::document::is_json_media;
///
/// assert!(is_json_media("application/json; charset=utf-8"));
/// assert!(is_json_media("Application/Problem+JSON"));
/// assert!(!is_json_media("text/plain"));
/// assert!(!is_json_media("text/x+json"));
/// ```
pub fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    let Some((ty, sub)) = essence.split_once('/') else {
        return false;
    };
    ty.eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json")
            || sub.len() > 5
                && sub.is_char_boundary(sub.len() - 5)
                && sub[sub.len() - 5..].eq_ignore_ascii_case("+json"))
}

/// How many `$ref` / wrapper hops are followed before giving up (a cycle
/// made only of references, or an absurdly deep chain).
const MAX_HOPS: usize = crate::MAX_REF_HOPS;

/// How deep `allOf` merging goes before giving up (cyclic `allOf`).
const MAX_ALL_OF_DEPTH: usize = 32;

/// A document, for looking things up in it.
#[derive(Debug, Clone, Copy)]
pub struct Spec<'a> {
    doc: &'a Value,
}

/// One operation: a method on a path.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint<'a> {
    /// The path, as the document writes it.
    pub path: &'a str,
    /// The method, lowercase.
    pub method: &'static str,
    /// The operation object.
    pub op: &'a Value,
    path_item: &'a Value,
}

impl<'a> Spec<'a> {
    /// A view of `doc`.
    pub fn new(doc: &'a Value) -> Self {
        Self { doc }
    }

    /// The value a local reference (`#/components/schemas/X`) points at.
    pub fn pointer(self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        if pointer.is_empty() {
            return Some(self.doc);
        }
        self.doc.pointer(pointer)
    }

    /// Follows `$ref` on a response, parameter, request body or header.
    pub fn deref(self, value: &'a Value) -> &'a Value {
        crate::resolve(self.doc, value)
    }

    /// `components.schemas`, in document order.
    pub fn schemas(self) -> Vec<(&'a str, &'a Value)> {
        self.doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// Every operation, sorted by path, then by method in [`METHODS`] order.
    pub fn operations(self) -> Vec<Endpoint<'a>> {
        let mut ops = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return ops;
        };
        for (path, item) in paths {
            let item = self.deref(item);
            for method in METHODS {
                if let Some(op) = item.get(method).filter(|op| op.is_object()) {
                    ops.push(Endpoint {
                        path,
                        method,
                        op,
                        path_item: item,
                    });
                }
            }
        }
        ops.sort_by_key(|op| op.order());
        ops
    }
}

impl<'a> Endpoint<'a> {
    /// `POST /api/v1/seminar/`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }

    /// The key reports sort operations by.
    pub fn order(&self) -> (String, usize) {
        (self.path.to_owned(), method_rank(self.method))
    }

    /// Whether the operation carries `deprecated: true`.
    pub fn deprecated(&self) -> bool {
        self.op.get("deprecated").and_then(Value::as_bool) == Some(true)
    }

    /// The raw parameter lists (path level, then operation level), unresolved.
    pub fn raw_parameters(&self) -> impl Iterator<Item = &'a Value> + use<'a> {
        [self.path_item, self.op]
            .into_iter()
            .filter_map(|v| v.get("parameters").and_then(Value::as_array))
            .flatten()
    }

    /// Resolved parameters keyed by (`in`, `name`); operation-level ones
    /// replace path-level ones with the same key.
    pub fn parameters(&self, spec: Spec<'a>) -> Vec<((String, String), &'a Value)> {
        let mut out: Vec<((String, String), &'a Value)> = Vec::new();
        for raw in self.raw_parameters() {
            let param = spec.deref(raw);
            let key = (
                str_of(param, "in").unwrap_or_default().to_owned(),
                str_of(param, "name").unwrap_or_default().to_owned(),
            );
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = param,
                None => out.push((key, param)),
            }
        }
        out
    }

    /// The resolved request body, if any.
    pub fn request_body(&self, spec: Spec<'a>) -> Option<&'a Value> {
        self.op.get("requestBody").map(|b| spec.deref(b))
    }

    /// Resolved responses by status key, in document order.
    pub fn responses(&self, spec: Spec<'a>) -> Vec<(&'a str, &'a Value)> {
        self.op
            .get("responses")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), spec.deref(v))).collect())
            .unwrap_or_default()
    }
}

/// Rank of a method in [`METHODS`] (unknown methods last).
pub fn method_rank(method: &str) -> usize {
    METHODS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(method))
        .unwrap_or(METHODS.len())
}

/// Whether the request path `path` (its query ignored) is an instance of
/// the spec's path `template` (`/seminar/{seminar_id}/`): the same
/// segments, a parameter standing for any non-empty segment.
pub fn path_matches(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(a), Some(b))
                if a == b || (a.starts_with('{') && a.ends_with('}') && !b.is_empty()) => {}
            _ => return false,
        }
    }
}

/// A string member of an object.
pub fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// A boolean member that is `true`.
pub fn is_true(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool) == Some(true)
}

/// The `(media type, schema)` pairs of a request body or response's `content`.
pub fn media_schemas(container: &Value) -> Vec<(&str, &Value)> {
    container
        .get("content")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(media, v)| v.get("schema").map(|s| (media.as_str(), s)))
                .collect()
        })
        .unwrap_or_default()
}

/// `X` for `#/components/schemas/X` (pointer escapes undone).
pub fn schema_ref_name(reference: &str) -> Option<String> {
    let name = reference.strip_prefix(crate::reference::SCHEMAS)?;
    if name.contains('/') {
        return None;
    }
    Some(name.replace("~1", "/").replace("~0", "~"))
}

/// The last segment of any reference, for display.
pub fn ref_display_name(reference: &str) -> String {
    schema_ref_name(reference).unwrap_or_else(|| {
        reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .replace("~1", "/")
            .replace("~0", "~")
    })
}

/// The names of the component schemas reachable from `roots`.
pub fn reachable_schemas<'a>(spec: Spec<'a>, roots: &[&'a Value]) -> BTreeSet<String> {
    crate::reachable_schemas(spec.doc, roots)
}

pub use crate::is_null_schema;

/// Whether the schema itself (not its branches) admits null: a `type` array
/// containing "null", `null` among its `enum`, or the legacy `nullable` /
/// `x-nullable` keywords.
pub fn admits_null_itself(schema: &Value) -> bool {
    let in_type = match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
        _ => false,
    };
    in_type
        || is_true(schema, "nullable")
        || is_true(schema, contract_core::keyword::LEGACY_NULLABLE)
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
}

/// A schema looked through: references followed, a `oneOf`/`anyOf` with one
/// non-null branch and single-branch `allOf` wrappers unwrapped.
#[derive(Debug, Clone)]
pub struct Shape<'a> {
    /// The schema that describes the non-null values.
    pub schema: &'a Value,
    /// Whether null is allowed anywhere along the way.
    pub nullable: bool,
    /// The references followed, in order.
    pub refs: Vec<&'a str>,
}

/// Looks through references and nullable wrappers.
pub fn shape<'a>(spec: Spec<'a>, mut schema: &'a Value) -> Shape<'a> {
    let mut nullable = false;
    let mut refs = Vec::new();
    for _ in 0..MAX_HOPS {
        nullable |= admits_null_itself(schema);
        if let Some(reference) = str_of(schema, "$ref") {
            match spec.pointer(reference) {
                Some(target) => {
                    refs.push(reference);
                    schema = target;
                    continue;
                }
                None => break,
            }
        }
        if schema.get("properties").is_some() {
            break;
        }
        let branches = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array);
        if let Some(branches) = branches {
            let mut non_null = branches.iter().filter(|b| !is_null_schema(b));
            if non_null.clone().count() < branches.len() {
                nullable = true;
            }
            if let (Some(only), None) = (non_null.next(), non_null.next()) {
                schema = only;
                continue;
            }
            break;
        }
        if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
            continue;
        }
        break;
    }
    Shape {
        schema,
        nullable,
        refs,
    }
}

/// The non-null JSON types a (shaped) schema admits, each with its `format`,
/// sorted. Inferred as `object` / `array` from `properties` / `items` when
/// `type` is absent; empty when nothing says (any value).
pub fn type_formats(schema: &Value) -> Vec<(String, Option<String>)> {
    let mut types: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ if schema.get("properties").is_some() => vec!["object".to_owned()],
        _ if schema.get("items").is_some() => vec!["array".to_owned()],
        _ => Vec::new(),
    };
    types.retain(|t| t != "null");
    types.sort();
    types.dedup();
    let format = str_of(schema, "format").map(str::to_owned);
    types
        .into_iter()
        .map(|t| {
            let format = if matches!(t.as_str(), "string" | "integer" | "number") {
                format.clone()
            } else {
                None
            };
            (t, format)
        })
        .collect()
}

/// One property of an object schema.
#[derive(Debug, Clone)]
pub struct Property<'a> {
    /// The property's name.
    pub name: &'a str,
    /// The property's schema, as written.
    pub schema: &'a Value,
    /// Whether it came from a referenced base schema (through `allOf`).
    pub inherited: bool,
}

/// The properties and `required` list of an object schema, `allOf` merged.
#[derive(Debug, Clone, Default)]
pub struct ObjectView<'a> {
    /// The properties, own and inherited (`allOf`).
    pub properties: Vec<Property<'a>>,
    /// The names in `required`.
    pub required: Vec<&'a str>,
}

impl<'a> ObjectView<'a> {
    /// Whether `name` is required.
    pub fn is_required(&self, name: &str) -> bool {
        self.required.contains(&name)
    }

    /// The property `name`.
    pub fn get(&self, name: &str) -> Option<&Property<'a>> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// The object view of a (shaped) schema, or `None` when it is not an object
/// with properties.
pub fn object_view<'a>(spec: Spec<'a>, schema: &'a Value) -> Option<ObjectView<'a>> {
    let mut view = ObjectView::default();
    collect_object(spec, schema, false, 0, &mut view);
    let is_object =
        !view.properties.is_empty() || type_formats(schema).iter().any(|(t, _)| t == "object");
    is_object.then_some(view)
}

fn collect_object<'a>(
    spec: Spec<'a>,
    schema: &'a Value,
    inherited: bool,
    depth: usize,
    view: &mut ObjectView<'a>,
) {
    if depth > MAX_ALL_OF_DEPTH {
        return;
    }
    if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
        for branch in branches {
            let shaped = shape(spec, branch);
            let via_ref = inherited || !shaped.refs.is_empty();
            collect_object(spec, shaped.schema, via_ref, depth + 1, view);
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let property = Property {
                name,
                schema: prop,
                inherited,
            };
            match view.properties.iter_mut().find(|p| p.name == name) {
                Some(slot) => *slot = property,
                None => view.properties.push(property),
            }
        }
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !view.required.contains(&name) {
                view.required.push(name);
            }
        }
    }
}

/// A short type name for reports: `string`, `string(date)`, `array<Speaker>`,
/// `Speaker`, `object`, `map<integer>`.
pub fn describe(schema: &Value) -> String {
    describe_at(schema, 0)
}

fn describe_at(schema: &Value, depth: usize) -> String {
    if depth > 8 {
        return "...".to_owned();
    }
    if let Some(reference) = str_of(schema, "$ref") {
        return ref_display_name(reference);
    }
    let types = type_formats(schema);
    if !types.is_empty() {
        let names: Vec<String> = types
            .iter()
            .map(|(t, format)| match (t.as_str(), format) {
                ("array", _) => match schema.get("items") {
                    Some(items) => format!("array<{}>", describe_at(items, depth + 1)),
                    None => "array".to_owned(),
                },
                ("object", _) => match schema.get("additionalProperties") {
                    Some(ap @ Value::Object(_)) if schema.get("properties").is_none() => {
                        format!("map<{}>", describe_at(ap, depth + 1))
                    }
                    _ => "object".to_owned(),
                },
                (t, Some(f)) => format!("{t}({f})"),
                (t, None) => t.to_owned(),
            })
            .collect();
        return names.join("|");
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let names: Vec<String> = branches
                .iter()
                .filter(|b| !is_null_schema(b))
                .map(|b| describe_at(b, depth + 1))
                .collect();
            match names.as_slice() {
                [] => {}
                [one] => return one.clone(),
                _ => return format!("{key}<{}>", names.join("|")),
            }
        }
    }
    if is_null_schema(schema) {
        return "null".to_owned();
    }
    "any".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_path_matches_its_template() {
        assert!(path_matches("/a/{id}/b/", "/a/7/b/?x=1"));
        assert!(!path_matches("/a/{id}/b/", "/a/7/c/"));
        assert!(!path_matches("/a/{id}/", "/a/7/b/"));
        assert!(!path_matches("/a/{id}/", "/a//"));
    }

    #[test]
    fn shape_unwraps_nullable_refs_and_wrappers() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"x": {"type": "string"}}},
        }}});
        let spec = Spec::new(&doc);
        let nullable_ref = json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]});
        let s = shape(spec, &nullable_ref);
        assert!(s.nullable);
        assert_eq!(s.refs, ["#/components/schemas/A"]);
        assert!(s.schema.get("properties").is_some());

        let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/A"}]});
        let s = shape(spec, &wrapped);
        assert!(!s.nullable);
        assert_eq!(s.refs.len(), 1);

        let scalar = json!({"type": ["string", "null"], "format": "date"});
        let s = shape(spec, &scalar);
        assert!(s.nullable);
        assert_eq!(
            type_formats(s.schema),
            [("string".to_owned(), Some("date".to_owned()))]
        );
    }

    #[test]
    fn shape_stops_on_reference_cycles() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
        }}});
        let s = shape(Spec::new(&doc), &doc["components"]["schemas"]["A"]);
        assert_eq!(s.refs.len(), MAX_HOPS);
    }

    #[test]
    fn object_view_merges_all_of() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "Derived": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            ]},
        }}});
        let spec = Spec::new(&doc);
        let view = object_view(spec, &doc["components"]["schemas"]["Derived"]).unwrap();
        let names: Vec<_> = view
            .properties
            .iter()
            .map(|p| (p.name, p.inherited))
            .collect();
        assert_eq!(names, [("id", true), ("name", false)]);
        assert_eq!(view.required, ["id", "name"]);
    }

    #[test]
    fn reachability_follows_shared_components() {
        let doc = json!({
            "components": {
                "responses": {"NotFound": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}},
                "schemas": {
                    "ApiError": {"properties": {"fields": {"items": {"$ref": "#/components/schemas/FieldViolation"}}}},
                    "FieldViolation": {"properties": {"code": {"type": "string"}}},
                    "Unused": {},
                },
            },
        });
        let root = json!({"404": {"$ref": "#/components/responses/NotFound"}});
        let names = reachable_schemas(Spec::new(&doc), &[&root]);
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["ApiError", "FieldViolation"]
        );
    }

    #[test]
    fn describe_names_types() {
        assert_eq!(
            describe(&json!({"type": "string", "format": "date"})),
            "string(date)"
        );
        assert_eq!(
            describe(&json!({"type": "array", "items": {"$ref": "#/components/schemas/Speaker"}})),
            "array<Speaker>"
        );
        assert_eq!(
            describe(&json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            "A"
        );
        assert_eq!(describe(&json!({"type": ["integer", "null"]})), "integer");
        assert_eq!(describe(&json!({})), "any");
    }
}
