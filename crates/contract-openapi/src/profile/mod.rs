//! Export profiles: the one document, rewritten for a client generator that
//! cannot read one of its shapes, with every rewrite listed.
//!
//! - [`Profile::OpenApi30`]: OpenAPI 3.0.3, for the generators that read
//!   only 3.0 (see `openapi30.rs`).
//! - [`Profile::Swift`], for Apple's swift-openapi-generator. It skips a
//!   schema written `oneOf`/`anyOf: [{$ref}, {type: "null"}]` (its issues
//!   #817, #906 and #950: "Schema \"null\" is not supported ... skipping"),
//!   so a property in that shape is missing from the generated struct. Its
//!   article "Handling nullable schemas" states the rule it does keep: a
//!   property not in `required` is a Swift optional, and its decoder reads
//!   both `null` and an absent property as `nil`. The profile writes each
//!   such property as the plain reference, left out of `required` and marked
//!   `x-contract-allow-absent` with a description that says why. What the
//!   server sends is unchanged: the property is always there, `null` or the
//!   object.

mod openapi30;

use serde_json::{Map, Value};

use contract_core::keyword;

/// A client generator's profile of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Apple's swift-openapi-generator: no `{type: "null"}` branch.
    Swift,
    /// OpenAPI 3.0.3 (`nullable`, boolean exclusive bounds, no type arrays).
    OpenApi30,
}

impl Profile {
    /// The profile named `name` (`swift`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "swift" => Some(Self::Swift),
            "openapi-3.0" => Some(Self::OpenApi30),
            _ => None,
        }
    }

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Swift => "swift",
            Self::OpenApi30 => "openapi-3.0",
        }
    }
}

/// A document exported in a profile.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Exported {
    /// The rewritten document.
    pub document: Value,
    /// Each rewrite, `location: what changed`.
    pub rewrites: Vec<String>,
    /// What the profile could not express, kept as it was.
    pub kept: Vec<String>,
}

/// `doc` in `profile`.
pub fn export(doc: &Value, profile: Profile) -> Exported {
    let mut out = Exported {
        document: doc.clone(),
        rewrites: Vec::new(),
        kept: Vec::new(),
    };
    match profile {
        Profile::Swift => {
            let mut document = std::mem::take(&mut out.document);
            swift(&mut document, "#", &mut out);
            out.document = document;
        }
        Profile::OpenApi30 => {
            let mut document = std::mem::take(&mut out.document);
            openapi30::export(&mut document, &mut out);
            out.document = document;
        }
    }
    out
}

/// The schemas of `doc` that the profile cannot read: for Swift, every
/// `oneOf`/`anyOf` with a `{type: "null"}` branch, by JSON pointer; for
/// 3.0, what its export would drop.
pub fn violations(doc: &Value, profile: Profile) -> Vec<String> {
    let mut found = Vec::new();
    match profile {
        Profile::Swift => null_branches(doc, "#", &mut found),
        Profile::OpenApi30 => found = export(doc, profile).kept,
    }
    found
}

fn null_branches(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(obj) => {
            if nullable_union(obj).is_some() {
                found.push(at.to_owned());
            }
            for (k, v) in obj {
                null_branches(v, &format!("{at}/{}", escape(k)), found);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                null_branches(v, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// The non-null branch of `oneOf`/`anyOf: [X, {type: "null"}]`.
fn nullable_union(obj: &Map<String, Value>) -> Option<&Value> {
    ["oneOf", "anyOf"].into_iter().find_map(|key| {
        let branches = obj.get(key)?.as_array()?;
        let is_null = |b: &Value| b.get("type").and_then(Value::as_str) == Some("null");
        match branches.as_slice() {
            [a, b] if is_null(b) && !is_null(a) => Some(a),
            [a, b] if is_null(a) && !is_null(b) => Some(b),
            _ => None,
        }
    })
}

pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Rewrites every object property in the nullable-union shape below
/// `value`; other places in that shape are listed as kept.
fn swift(value: &mut Value, at: &str, out: &mut Exported) {
    match value {
        Value::Object(obj) => {
            let mut made_optional = Vec::new();
            if let Some(Value::Object(props)) = obj.get_mut("properties") {
                for (name, prop) in props.iter_mut() {
                    let Value::Object(p) = prop else { continue };
                    let Some(inner) = nullable_union(p).cloned() else {
                        continue;
                    };
                    let mut plain = match inner {
                        Value::Object(inner) => inner,
                        other => Map::from_iter([("allOf".to_owned(), Value::Array(vec![other]))]),
                    };
                    for (k, v) in p.iter() {
                        if k != "oneOf" && k != "anyOf" {
                            plain.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                    let said = plain
                        .get("description")
                        .and_then(Value::as_str)
                        .map(|d| format!("{d} "))
                        .unwrap_or_default();
                    plain.insert(
                        "description".into(),
                        Value::String(format!(
                            "{said}Always sent, as `null` or the value; not in `required` here so that Swift decodes `null` as `nil`."
                        )),
                    );
                    plain.insert(keyword::ALLOW_ABSENT.into(), Value::Bool(true));
                    *prop = Value::Object(plain);
                    made_optional.push(name.clone());
                    out.rewrites.push(format!(
                        "{at}/properties/{}: `oneOf [$ref, null]` written as an optional `$ref`",
                        escape(name)
                    ));
                }
            }
            if !made_optional.is_empty()
                && let Some(Value::Array(required)) = obj.get_mut("required")
            {
                required.retain(|r| {
                    !r.as_str()
                        .is_some_and(|r| made_optional.iter().any(|m| m == r))
                });
            }
            if nullable_union(obj).is_some() {
                out.kept.push(format!(
                    "{at}: a nullable union that is not an object property"
                ));
            }
            for (k, v) in obj.iter_mut() {
                if k == "properties" {
                    if let Value::Object(props) = v {
                        for (name, prop) in props.iter_mut() {
                            swift_below(prop, &format!("{at}/properties/{}", escape(name)), out);
                        }
                    }
                } else {
                    swift(v, &format!("{at}/{}", escape(k)), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                swift(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Inside a property: its own union was handled by its parent.
fn swift_below(prop: &mut Value, at: &str, out: &mut Exported) {
    let Value::Object(obj) = prop else { return };
    for (k, v) in obj.iter_mut() {
        swift(v, &format!("{at}/{}", escape(k)), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Profile": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
                "User": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "participant": {"oneOf": [{"$ref": "#/components/schemas/Profile"}, {"type": "null"}], "description": "The profile."},
                        "nick": {"type": ["string", "null"]},
                    },
                    "required": ["id", "participant", "nick"],
                },
                "Page": {"type": "object", "properties": {"items": {"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/Profile"}, {"type": "null"}]}}}, "required": ["items"]},
            }},
        })
    }

    #[test]
    fn swift_writes_nullable_references_as_optional_ones() {
        let out = export(&doc(), Profile::Swift);
        let user = &out.document["components"]["schemas"]["User"];
        assert_eq!(user["required"], json!(["id", "nick"]));
        let p = &user["properties"]["participant"];
        assert_eq!(p["$ref"], "#/components/schemas/Profile");
        assert_eq!(p[keyword::ALLOW_ABSENT], true);
        assert!(
            p["description"]
                .as_str()
                .unwrap()
                .starts_with("The profile. Always sent")
        );
        assert!(p.get("oneOf").is_none());
        // A scalar's type array is read as optional already: unchanged.
        assert_eq!(
            user["properties"]["nick"],
            json!({"type": ["string", "null"]})
        );
        assert_eq!(out.rewrites.len(), 1, "{:?}", out.rewrites);
        // Nullable array items have no optional form: kept, and said so.
        assert_eq!(out.kept.len(), 1, "{:?}", out.kept);
        assert_eq!(
            violations(&out.document, Profile::Swift),
            ["#/components/schemas/Page/properties/items/items"]
        );
        assert_eq!(violations(&doc(), Profile::Swift).len(), 2);
        // The profile passes contract's own lint.
        assert!(
            crate::lint(&out.document).is_clean(),
            "{}",
            crate::lint(&out.document)
        );
    }
}
