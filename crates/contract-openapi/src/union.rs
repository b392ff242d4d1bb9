//! Tagged unions for generators: a serde enum with `#[serde(tag = "...")]`
//! published as one component per variant and a `discriminator`.

use serde_json::{Map, Value, json};

/// Names the variants of tagged unions: a component that is a `oneOf` of
/// inline objects sharing a required property with one string value each (a
/// serde enum with `#[serde(tag = "...")]`) gets one component per variant,
/// `{Name}{Value}`, and a `discriminator` mapping each value to it. With
/// inline variants, generators name them `NameOneOf`, `NameOneOf1`, python
/// tries every variant in turn, and dart-dio cannot tell them apart.
pub(crate) fn tagged_unions(schemas: &mut Map<String, Value>) {
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in names {
        let Some((tag, values)) = tag_of(&schemas[&name]) else {
            continue;
        };
        let variants: Vec<String> = values
            .iter()
            .map(|v| format!("{name}{}", pascal(v)))
            .collect();
        let unique: std::collections::BTreeSet<&String> = variants.iter().collect();
        if unique.len() != variants.len() || variants.iter().any(|v| schemas.contains_key(v)) {
            continue;
        }
        let m = schemas
            .get_mut(&name)
            .and_then(Value::as_object_mut)
            .expect("an object schema");
        let Some(Value::Array(branches)) = m.remove("oneOf") else {
            unreachable!("tag_of saw the branches")
        };
        let mut refs = Vec::new();
        let mut mapping = Map::new();
        let mut hoisted = Vec::new();
        for ((branch, value), variant) in branches.into_iter().zip(&values).zip(variants) {
            let reference = format!("#/components/schemas/{variant}");
            refs.push(json!({ "$ref": reference }));
            mapping.insert(value.clone(), reference.into());
            hoisted.push((variant, branch));
        }
        m.insert("oneOf".into(), Value::Array(refs));
        m.insert(
            "discriminator".into(),
            json!({ "propertyName": tag, "mapping": mapping }),
        );
        for (variant, branch) in hoisted {
            schemas.insert(variant, branch);
        }
    }
    schemas.sort_keys();
}

/// The tag property of a tagged union and each branch's value.
fn tag_of(schema: &Value) -> Option<(String, Vec<String>)> {
    let branches = schema.get("oneOf")?.as_array()?;
    if branches.len() < 2 || schema.get("discriminator").is_some() {
        return None;
    }
    let single = |b: &Value, p: &str| -> Option<String> {
        let required = b.get("required")?.as_array()?.iter().any(|r| r == p);
        let values = b.get("properties")?.get(p)?.get("enum")?.as_array()?;
        match values.as_slice() {
            [Value::String(v)] if required => Some(v.clone()),
            _ => None,
        }
    };
    let first = branches[0].get("properties")?.as_object()?;
    first.keys().find_map(|p| {
        let values: Option<Vec<String>> = branches.iter().map(|b| single(b, p)).collect();
        let values = values?;
        let distinct: std::collections::BTreeSet<&String> = values.iter().collect();
        (distinct.len() == values.len()).then(|| (p.clone(), values))
    })
}

/// `in_person` -> `InPerson`.
fn pascal(value: &str) -> String {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::schema;

    #[test]
    fn tagged_union_variants_become_components_with_a_discriminator() {
        let variant = |kind: &str, extra: &str| {
            let mut v = json!({
                "type": "object",
                "properties": { "kind": { "type": "string", "const": kind }, extra: { "type": "number" } },
                "required": ["kind", extra],
            });
            schema(&mut v);
            v
        };
        let mut schemas = Map::new();
        schemas.insert(
            "Shape".into(),
            json!({ "description": "A shape.", "oneOf": [variant("circle", "r"), variant("in_square", "side")] }),
        );
        tagged_unions(&mut schemas);
        assert_eq!(
            schemas["Shape"],
            json!({
                "description": "A shape.",
                "oneOf": [
                    { "$ref": "#/components/schemas/ShapeCircle" },
                    { "$ref": "#/components/schemas/ShapeInSquare" },
                ],
                "discriminator": { "propertyName": "kind", "mapping": {
                    "circle": "#/components/schemas/ShapeCircle",
                    "in_square": "#/components/schemas/ShapeInSquare",
                } },
            })
        );
        assert_eq!(schemas["ShapeCircle"], variant("circle", "r"));
        assert_eq!(schemas["ShapeInSquare"], variant("in_square", "side"));

        // Without a common one-valued tag, or when a name is taken, it stays.
        let mut schemas = Map::new();
        let untagged =
            json!({ "oneOf": [variant("a", "x"), { "type": "object", "properties": {} }] });
        schemas.insert("U".into(), untagged.clone());
        schemas.insert(
            "T".into(),
            json!({ "oneOf": [variant("a", "x"), variant("b", "y")] }),
        );
        schemas.insert("TA".into(), json!({ "type": "string" }));
        tagged_unions(&mut schemas);
        assert_eq!(schemas["U"], untagged);
        assert!(schemas["T"]["oneOf"][0].get("properties").is_some());
    }
}
