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
