//! Drift between the committed document and a freshly generated one.

use serde_json::{Map, Value};
use similar::TextDiff;

/// Compares two documents semantically (whitespace and key order do not
/// matter) and returns a unified diff of their canonical forms when they
/// differ, with `labels` as the `---` / `+++` file names.
///
/// The canonical form is pretty-printed JSON with object keys sorted, so the
/// diff shows what changed, not how the files happen to be laid out.
pub fn check(committed: &Value, generated: &Value, labels: (&str, &str)) -> Option<String> {
    let committed = canonical(committed);
    let generated = canonical(generated);
    if committed == generated {
        return None;
    }
    let diff = TextDiff::from_lines(&committed, &generated)
        .unified_diff()
        .context_radius(3)
        .header(labels.0, labels.1)
        .to_string();
    Some(diff)
}

/// Pretty-printed JSON with object keys sorted, ending in a newline.
pub fn canonical(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value))
        .expect("a serde_json::Value always serializes");
    text.push('\n');
    text
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let map: Map<String, Value> = entries
                .into_iter()
                .map(|(k, v)| (k.clone(), sorted(v)))
                .collect();
            Value::Object(map)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
