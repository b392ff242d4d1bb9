//! The `openapi-3.0` profile: the document as OpenAPI 3.0.3, for the
//! generators that read only 3.0 (progenitor, oapi-codegen, ogen, NSwag).
//!
//! - `type: [T, "null"]` is `type: T, nullable: true`; a nullable reference
//!   (`oneOf: [{$ref}, {type: "null"}]`) is `allOf: [{$ref}], nullable: true`;
//! - a number `exclusiveMinimum`/`exclusiveMaximum` is the bound with the
//!   boolean; `const` is a one-value `enum`; a schema's `examples` array is
//!   its first `example`;
//! - what 3.0 has no keyword for (`if`/`then`/`else`, `dependentSchemas`,
//!   `dependentRequired`, `prefixItems`, `unevaluated*`, `contains`,
//!   `patternProperties`, `propertyNames`, `$defs`...) is dropped, listed in
//!   the export's report and, on the schema, in `x-contract-dropped`: the
//!   server still enforces it;
//! - a request body documented in several media types keeps one, the one
//!   3.0-only generators read best (`application/json`, then `text/plain`,
//!   then the first): progenitor takes exactly one. The server still
//!   accepts the others.

use contract_core::keyword;
use serde_json::{Map, Value, json};

use super::Exported;

/// JSON Schema keywords OpenAPI 3.0's schema object does not have.
const NO_30_FORM: [&str; 19] = [
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "prefixItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "$defs",
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "contentMediaType",
];

/// Keywords whose value is one schema.
const ONE_SCHEMA: [&str; 4] = ["items", "additionalProperties", "not", "schema"];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

pub(super) fn export(doc: &mut Value, out: &mut Exported) {
    let Value::Object(root) = doc else { return };
    root.insert("openapi".into(), json!("3.0.3"));
    for key in ["jsonSchemaDialect", "webhooks"] {
        if root.remove(key).is_some() {
            out.rewrites.push(format!("#/{key}: dropped (no 3.0 form)"));
        }
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        info.remove("summary");
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.remove("pathItems");
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, s) in schemas.iter_mut() {
                schema(s, &format!("#/components/schemas/{name}"), out);
            }
        }
    }
    // Every `schema` outside `components.schemas` (parameters, media
    // types, headers), wherever it is.
    for (key, v) in root.iter_mut() {
        if key != "components" {
            find_schemas(v, &format!("#/{key}"), out);
        }
    }
    if let Some(components) = root.get_mut("components") {
        for (key, v) in components.as_object_mut().into_iter().flatten() {
            if key != "schemas" {
                find_schemas(v, &format!("#/components/{key}"), out);
            }
        }
    }
    one_request_media(root, out);
    // 3.0's `nullable` needs a `type` beside it: a nullable reference takes
    // its target's.
    let targets = doc.clone();
    typed_nullables(doc, &targets);
}

/// The media types a request body keeps one of, best first.
const PREFERRED_MEDIA: [&str; 2] = ["application/json", "text/plain"];

fn one_request_media(root: &mut Map<String, Value>, out: &mut Exported) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for (method, op) in item.as_object_mut().into_iter().flatten() {
            let Some(Value::Object(content)) = op.pointer_mut("/requestBody/content") else {
                continue;
            };
            if content.len() < 2 {
                continue;
            }
            let keep = PREFERRED_MEDIA
                .iter()
                .find(|m| content.contains_key(**m))
                .map(|m| (*m).to_owned())
                .or_else(|| content.keys().next().cloned())
                .unwrap_or_default();
            let dropped: Vec<String> = content.keys().filter(|k| **k != keep).cloned().collect();
            content.retain(|k, _| *k == keep);
            out.rewrites.push(format!(
                "{method} {path}: request body as {keep} only (also accepted: {})",
                dropped.join(", ")
            ));
        }
    }
}

fn typed_nullables(value: &mut Value, doc: &Value) {
    match value {
        Value::Object(obj) => {
            if obj.get("nullable") == Some(&json!(true)) && !obj.contains_key("type") {
                let target = obj
                    .get("allOf")
                    .and_then(Value::as_array)
                    .and_then(|all| all.first())
                    .and_then(|first| first.get("$ref"))
                    .and_then(Value::as_str)
                    .and_then(|r| doc.pointer(r.strip_prefix('#')?))
                    .and_then(|t| t.get("type"))
                    .cloned();
                if let Some(t) = target {
                    obj.insert("type".into(), t);
                }
            }
            obj.values_mut().for_each(|v| typed_nullables(v, doc));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| typed_nullables(v, doc)),
        _ => {}
    }
}

fn find_schemas(value: &mut Value, at: &str, out: &mut Exported) {
    match value {
        Value::Object(obj) => {
            for (k, v) in obj.iter_mut() {
                let here = format!("{at}/{}", super::escape(k));
                if k == "schema" {
                    schema(v, &here, out);
                } else {
                    find_schemas(v, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                find_schemas(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Rewrites one schema (and the schemas in it) into its 3.0 form.
fn schema(value: &mut Value, at: &str, out: &mut Exported) {
    let Value::Object(obj) = value else { return };
    // Children first, so a nullable union sees its branches rewritten.
    for key in ONE_SCHEMA {
        if let Some(v) = obj.get_mut(key) {
            schema(v, &format!("{at}/{key}"), out);
        }
    }
    for key in SCHEMA_LISTS {
        if let Some(Value::Array(items)) = obj.get_mut(key) {
            for (i, v) in items.iter_mut().enumerate() {
                schema(v, &format!("{at}/{key}/{i}"), out);
            }
        }
    }
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for (name, v) in props.iter_mut() {
            schema(v, &format!("{at}/properties/{}", super::escape(name)), out);
        }
    }

    let mut dropped: Vec<&str> = NO_30_FORM
        .into_iter()
        .filter(|k| obj.remove(*k).is_some())
        .collect();
    if obj.remove("contentEncoding").is_some() {
        dropped.push("contentEncoding");
    }
    if !dropped.is_empty() {
        out.kept.push(format!(
            "{at}: {} dropped (no 3.0 form; the server still enforces it)",
            dropped.join(", ")
        ));
        obj.insert(keyword::DROPPED.into(), json!(dropped));
    }

    if let Some(types) = obj.get("type").and_then(Value::as_array).cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        match rest.as_slice() {
            [one] => {
                obj.insert("type".into(), one.clone());
            }
            [] => {
                obj.remove("type");
            }
            several => {
                obj.remove("type");
                let branches = several.iter().map(|t| json!({"type": t})).collect();
                obj.insert("anyOf".into(), Value::Array(branches));
            }
        }
        if nullable {
            obj.insert("nullable".into(), json!(true));
        }
    }
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = obj.get(key) else {
            continue;
        };
        let is_null = |b: &Value| b.get("type").and_then(Value::as_str) == Some("null");
        if !branches.iter().any(is_null) {
            continue;
        }
        let rest: Vec<Value> = branches.iter().filter(|b| !is_null(b)).cloned().collect();
        obj.remove(key);
        obj.insert("nullable".into(), json!(true));
        match rest.as_slice() {
            [one] if one.get("$ref").is_some() => {
                obj.insert("allOf".into(), json!([one]));
            }
            [Value::Object(one)] => {
                for (k, v) in one {
                    obj.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            _ => {
                obj.insert(key.into(), Value::Array(rest));
            }
        }
    }
    if let Some(v) = obj.remove("const") {
        obj.insert("enum".into(), json!([v]));
    }
    if let Some(Value::Array(examples)) = obj.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        obj.entry("example").or_insert(first);
    }
    for (exclusive, plain) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = obj.get(exclusive).cloned() {
            obj.insert(plain.into(), n);
            obj.insert(exclusive.into(), json!(true));
        }
    }
    // An `allOf` of bare rules (two patterns on a string, say) states its
    // type in each branch: 3.0 generators read a branch with no type as an
    // empty type.
    if let Some(t @ Value::String(_)) = obj.get("type").cloned()
        && let Some(Value::Array(branches)) = obj.get_mut("allOf")
    {
        for b in branches.iter_mut().filter_map(Value::as_object_mut) {
            if !b.contains_key("type") && !b.contains_key("$ref") {
                b.insert("type".into(), t.clone());
            }
        }
    }
    // 3.0 ignores a `$ref`'s siblings: the reference goes into `allOf`.
    if obj.contains_key("$ref") && obj.len() > 1 {
        let reference = obj.remove("$ref").expect("checked");
        obj.insert("allOf".into(), json!([{"$ref": reference}]));
    }
    if obj.get("type").and_then(Value::as_str) == Some("array") && !obj.contains_key("items") {
        obj.insert("items".into(), Value::Object(Map::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Profile, export as export_profile};
    use serde_json::json;

    #[test]
    fn a_31_document_in_30_terms() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s"},
            "paths": {"/a/{id}": {"get": {
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"type": "integer", "exclusiveMinimum": 0}},
                               {"name": "who", "in": "query",
                                "schema": {"type": "string", "allOf": [{"pattern": "^a"}, {"pattern": "b$"}]}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/A"},
                    "examples": {"one": {"value": {"n": null}}},
                }}}},
            }}},
            "components": {"schemas": {
                "B": {"type": "object", "properties": {"x": {"type": "string"}}},
                "A": {
                    "type": "object",
                    "properties": {
                        "n": {"type": ["string", "null"], "examples": ["x"]},
                        "b": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
                        "k": {"const": "fixed"},
                        "t": {"type": "array", "prefixItems": [{"type": "string"}]},
                    },
                    "dependentSchemas": {"n": {"required": ["b"]}},
                },
            }},
        });
        let out = export_profile(&doc, Profile::OpenApi30);
        let d = &out.document;
        assert_eq!(d["openapi"], "3.0.3");
        assert!(d["info"].get("summary").is_none());
        let a = &d["components"]["schemas"]["A"];
        assert_eq!(
            a["properties"]["n"],
            json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(
            a["properties"]["b"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true, "type": "object"})
        );
        assert_eq!(a["properties"]["k"], json!({"enum": ["fixed"]}));
        assert_eq!(a["properties"]["t"]["items"], json!({}));
        assert_eq!(
            a[contract_core::keyword::DROPPED],
            json!(["dependentSchemas"])
        );
        let id = &d["paths"]["/a/{id}"]["get"]["parameters"][0]["schema"];
        assert_eq!(
            id,
            &json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        let who = &d["paths"]["/a/{id}"]["get"]["parameters"][1]["schema"];
        assert_eq!(who["allOf"][1], json!({"pattern": "b$", "type": "string"}));
        // A media type's `examples` map is 3.0 too: kept.
        let media =
            &d["paths"]["/a/{id}"]["get"]["responses"]["200"]["content"]["application/json"];
        assert!(media["examples"]["one"].is_object());
        assert_eq!(out.kept.len(), 2, "{:?}", out.kept);
    }
}
