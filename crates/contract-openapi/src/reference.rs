//! [`resolve`]: the one way a `$ref` inside a document is followed.

use serde_json::Value;

/// How many references in a row are followed before giving up (a cycle).
const MAX_HOPS: usize = 32;

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
    for _ in 0..MAX_HOPS {
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
