//! [`resolve`]: the one way a `$ref` inside a document is followed.

use serde_json::Value;

use std::collections::BTreeSet;

/// Where a document's schemas are, as a `$ref` prefix.
pub(crate) const SCHEMAS: &str = "#/components/schemas/";

/// How many references in a row are followed before giving up (a cycle):
/// the one limit every crate of contract uses.
pub const MAX_REF_HOPS: usize = 64;

/// `node`, or what its local `$ref` (`#/components/schemas/Item`) points
/// to in `doc`, following references to references. A reference that
/// leads nowhere, or out of the document, leaves the node as it is.
///
/// ```
/// use serde_json::json;
///
/// let doc = json!({"components": {"schemas": {
///     "Alias": {"$ref": "#/components/schemas/Item"},
///     "Item": {"type": "object"},
/// }}});
/// let node = json!({"$ref": "#/components/schemas/Alias"});
/// assert_eq!(contract_openapi::resolve(&doc, &node), &json!({"type": "object"}));
/// ```
pub fn resolve<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..MAX_REF_HOPS {
        let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| doc.pointer(pointer))
        else {
            return node;
        };
        node = target;
    }
    node
}

/// Values that are data, not schemas: references inside them are not
/// followed.
const DATA_KEYS: [&str; 5] = ["example", "examples", "default", "enum", "const"];

/// The names of the component schemas reachable from `roots`, following
/// references transitively (through shared responses, parameters and
/// request bodies too), each reference once, so cycles end.
///
/// ```
/// use serde_json::json;
///
/// let doc = json!({"components": {"schemas": {
///     "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
///     "B": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
///     "C": {"type": "string"},
/// }}});
/// let root = json!({"$ref": "#/components/schemas/A"});
/// let names = contract_openapi::reachable_schemas(&doc, &[&root]);
/// assert_eq!(names.into_iter().collect::<Vec<_>>(), ["A", "B"]);
/// ```
pub fn reachable_schemas<'a>(doc: &'a Value, roots: &[&'a Value]) -> BTreeSet<String> {
    let mut seen_refs = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut stack: Vec<&'a Value> = roots.to_vec();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                    && seen_refs.insert(reference.to_owned())
                {
                    if let Some(name) = reference.strip_prefix(SCHEMAS).filter(|n| !n.contains('/'))
                    {
                        names.insert(name.replace("~1", "/").replace("~0", "~"));
                    }
                    if let Some(target) = reference
                        .strip_prefix('#')
                        .and_then(|pointer| doc.pointer(pointer))
                    {
                        stack.push(target);
                    }
                }
                for (key, child) in map {
                    if !DATA_KEYS.contains(&key.as_str()) {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names
}

/// Whether a schema admits only null: `{type: "null"}` (or a type array of
/// only `"null"`), `const: null`, or `enum: [null]`.
pub fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => {
            schema.get("const") == Some(&Value::Null)
                || schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.len() == 1 && e[0].is_null())
        }
    }
}

/// Where shared responses live.
const RESPONSES: &str = "#/components/responses/";

/// Drops the shared responses (`components.responses`) that no operation
/// references, of those named in `candidates` (all of them when `None`),
/// and the map itself when it ends up empty: a spec lists only what it uses.
pub(crate) fn drop_unreferenced_responses(
    doc: &mut Value,
    candidates: Option<&std::collections::BTreeSet<String>>,
) {
    fn refs(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref")
                    && let Some(name) = r.strip_prefix(RESPONSES)
                {
                    out.insert(name.to_owned());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut used = std::collections::BTreeSet::new();
    if let Some(paths) = doc.get("paths") {
        refs(paths, &mut used);
    }
    if let Some(webhooks) = doc.get("webhooks") {
        refs(webhooks, &mut used);
    }
    let Some(Value::Object(components)) = doc.get_mut("components") else {
        return;
    };
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        responses
            .retain(|name, _| used.contains(name) || candidates.is_some_and(|c| !c.contains(name)));
        if responses.is_empty() {
            components.remove("responses");
        }
    }
}
