//! Generator-safe shapes: rewrites what schemars writes into the forms that
//! mainstream client generators (openapi-generator's kotlin, swift5,
//! swift6, python and dart-dio; openapi-typescript; @hey-api/openapi-ts with
//! zod) read as the intended type. The wire contract is unchanged: each
//! rewrite says the same thing in JSON Schema, or drops an alternate input
//! encoding the server also accepts (see [`ALTERNATE_KEYWORD`]).
//!
//! | schemars writes | published as | because |
//! |---|---|---|
//! | `oneOf` of `const` strings (a unit enum with documented variants) | `type: string, enum: [...]`, the variants' docs in `description` and `x-enum-descriptions` | kotlin made an empty `class Role()`, swift5 `case typeString(String)`, python "Multiple matches" |
//! | `anyOf: [anyOf: [A, B], null]` (an `Option` of an `anyOf`) | `anyOf: [A, B, null]` | a nested `anyOf` is an empty class in kotlin |
//! | `anyOf: [{type: T, ...}, {type: "null"}]` | `type: [T, "null"]` | the scalar form every generator reads |
//! | `anyOf: [{$ref}, {type: "null"}]` | `oneOf: [{$ref}, {type: "null"}]` | read as a nullable reference by all of them (a `$ref` with a sibling null type loses the null) |
//! | `const: "x"` on a string | `enum: ["x"]` | generators for OpenAPI 3.0 ignore `const` |
//! | `format: int8`, `int16`, `uint8`, `uint16` | `format: int32`, the range as `minimum`/`maximum` | unknown formats become the generator's default integer |
//! | `format: uint32` | `format: int64`, the range as `minimum`/`maximum` | kotlin's default `Int` overflows above 2^31 |
//! | `allOf: [{if: {required: [p]}, then}]` (a cross-field rule) | `dependentSchemas: {p: {if, then}}` | zod's intersection with `unknown` refuses integers; python drops explicit nulls |
//! | a `oneOf` of inline objects with a common one-valued tag (`#[serde(tag = "kind")]`) | one component per variant, `{Name}{Value}`, and a `discriminator` | inline variants are `NameOneOf1` everywhere, and python and dart-dio cannot tell them apart |

use crate::reference::is_null_schema;
use serde_json::{Map, Value, json};

/// Marks a branch of an `anyOf` as an alternate input encoding: the server
/// accepts it (a lenient boolean that also takes `"true"`), but clients
/// should send the other branch. The published document drops the branch
/// from `anyOf` and lists it under `x-contract-also-accepts`, so generated
/// clients get the plain type; the request is still checked against the
/// full schema.
///
/// ```
/// # use contract_openapi::ALTERNATE_KEYWORD;
/// let lenient_bool = serde_json::json!({
///     "anyOf": [
///         { "type": "boolean" },
///         { "type": "string", "pattern": "^(true|false)$", ALTERNATE_KEYWORD: true },
///     ],
/// });
/// # let _ = lenient_bool;
/// ```
pub const ALTERNATE_KEYWORD: &str = contract_core::keyword::ALTERNATE;

/// Where alternate encodings are listed in the published document.
pub const ALSO_ACCEPTS_KEYWORD: &str = contract_core::keyword::ALSO_ACCEPTS;

/// Keywords whose values are schemas.
const SCHEMA_KEYS: [&str; 9] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
];
/// Keywords whose values are lists of schemas.
const SCHEMA_LIST_KEYS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose values are maps of schemas.
const SCHEMA_MAP_KEYS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Calls `f` with each schema directly inside the schema object `m`, and
/// the keyword it sits under (`items`, `properties`, `allOf`, ...): the one
/// list of JSON Schema 2020-12's subschema keywords, for every rewrite.
pub fn for_each_subschema(m: &mut Map<String, Value>, mut f: impl FnMut(&str, &mut Value)) {
    for key in SCHEMA_KEYS {
        if let Some(child) = m.get_mut(key) {
            f(key, child);
        }
    }
    for key in SCHEMA_LIST_KEYS {
        if let Some(Value::Array(list)) = m.get_mut(key) {
            list.iter_mut().for_each(|child| f(key, child));
        }
    }
    for key in SCHEMA_MAP_KEYS {
        if let Some(Value::Object(map)) = m.get_mut(key) {
            map.values_mut().for_each(|child| f(key, child));
        }
    }
}

/// Rewrites a schema and every schema inside it, innermost first.
pub(crate) fn schema(v: &mut Value) {
    let Value::Object(m) = v else {
        return;
    };
    m.remove("$schema");
    for_each_subschema(m, |_, child| schema(child));
    integer_format(m);
    string_const(m);
    conditionals(m);
    for key in ["anyOf", "oneOf"] {
        flatten(m, key);
        drop_alternates(m, key);
    }
    for key in ["anyOf", "oneOf"] {
        if string_enum(m, key) || nullable_scalar(m, key) || single_branch(m, key) {
            break;
        }
    }
    nullable_ref(m);
}

/// Rewrites the schemas of an operation: parameters, request body,
/// responses.
pub(crate) fn operation(op: &mut Value) {
    if let Some(Value::Array(params)) = op.get_mut("parameters") {
        for p in params {
            if let Some(s) = p.get_mut("schema") {
                schema(s);
            }
        }
    }
    if let Some(body) = op.get_mut("requestBody") {
        media(body);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        responses.values_mut().for_each(media);
    }
}

fn media(holder: &mut Value) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        for m in content.values_mut() {
            if let Some(s) = m.get_mut("schema") {
                schema(s);
            }
        }
    }
}

fn has_type(m: &Map<String, Value>, t: &str) -> bool {
    match m.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(ts)) => ts.iter().any(|x| x == t),
        _ => false,
    }
}

/// Keys that only annotate a schema.
fn annotation(key: &str) -> bool {
    matches!(key, "description" | "title") || key.starts_with("x-")
}

fn integer_format(m: &mut Map<String, Value>) {
    if !has_type(m, "integer") {
        return;
    }
    // The narrower type's range stays stated, so the document says no more
    // than before.
    let (to, min, max): (&str, i64, i64) = match m.get("format").and_then(Value::as_str) {
        Some("int8") => ("int32", i8::MIN.into(), i8::MAX.into()),
        Some("int16") => ("int32", i16::MIN.into(), i16::MAX.into()),
        Some("uint8") => ("int32", 0, u8::MAX.into()),
        Some("uint16") => ("int32", 0, u16::MAX.into()),
        Some("uint32") => ("int64", 0, u32::MAX.into()),
        _ => return,
    };
    m.insert("format".into(), to.into());
    m.entry("minimum").or_insert(min.into());
    m.entry("maximum").or_insert(max.into());
}

/// The range of the integer formats schemars emits.
fn format_range(format: &str) -> Option<(i64, u64)> {
    Some(match format {
        "int8" => (i8::MIN.into(), i8::MAX as u64),
        "int16" => (i16::MIN.into(), i16::MAX as u64),
        "int32" => (i32::MIN.into(), i32::MAX as u64),
        "int64" => (i64::MIN, i64::MAX as u64),
        "uint8" => (0, u8::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "uint64" | "uint" => (0, u64::MAX),
        _ => return None,
    })
}

/// In a request schema, writes the range of an integer `format` as
/// `minimum`/`maximum` where those are absent or looser: the extractors
/// refuse a value outside the type's range (`too_small`, `too_large`), and
/// JSON Schema validators and data generators ignore `format` ranges.
pub(crate) fn integer_format_bounds(schema: &mut schemars::Schema) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    let integer = match obj.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    let range = obj
        .get("format")
        .and_then(Value::as_str)
        .and_then(format_range);
    let (true, Some((min, max))) = (integer, range) else {
        return;
    };
    let bound = |key: &str| obj.get(key).and_then(Value::as_f64);
    let (lower_looser, upper_looser) = (
        bound("minimum").is_none_or(|v| v < min as f64),
        bound("maximum").is_none_or(|v| v > max as f64),
    );
    if lower_looser {
        obj.insert("minimum".into(), json!(min));
    }
    if upper_looser {
        obj.insert("maximum".into(), json!(max));
    }
}

/// An `allOf` of conditionals that each start from one property being
/// present (`if: {required: [p], ...}`, no `else`), as cross-field rules
/// are written, moves to `dependentSchemas[p]`: the same rule (a
/// conditional whose `if` requires `p` holds vacuously without `p`), in a
/// keyword generators leave alone. As an `allOf` beside `properties`,
/// hey-api's zod makes an intersection with `unknown` that refuses any
/// integer ("Unmergable intersection"), and openapi-generator's python
/// drops the explicit nulls of the object's tri-state fields.
fn conditionals(m: &mut Map<String, Value>) {
    let Some(Value::Array(all)) = m.get("allOf") else {
        return;
    };
    let trigger = |c: &Value| -> Option<String> {
        let o = c.as_object()?;
        let only = o.keys().all(|k| k == "if" || k == "then" || annotation(k));
        let required = o.get("if")?.get("required")?.as_array()?;
        match (only, o.contains_key("then"), required.as_slice()) {
            (true, true, [Value::String(p)]) => Some(p.clone()),
            _ => None,
        }
    };
    let Some(triggers) = all.iter().map(trigger).collect::<Option<Vec<String>>>() else {
        return;
    };
    let Some(Value::Array(all)) = m.remove("allOf") else {
        unreachable!("checked above")
    };
    let Value::Object(dependent) = m
        .entry("dependentSchemas")
        .or_insert_with(|| Value::Object(Map::new()))
    else {
        return;
    };
    for (p, rule) in triggers.into_iter().zip(all) {
        match dependent.get_mut(&p) {
            None => {
                dependent.insert(p, rule);
            }
            Some(existing) => {
                let previous = existing.take();
                *existing = json!({ "allOf": [previous, rule] });
            }
        }
    }
}

/// `{type: string, const: "x"}` becomes `{type: string, enum: ["x"]}`.
fn string_const(m: &mut Map<String, Value>) {
    if matches!(m.get("const"), Some(Value::String(_))) && !m.contains_key("enum") {
        let c = m.remove("const").expect("present");
        m.insert("type".into(), "string".into());
        m.insert("enum".into(), Value::Array(vec![c]));
    }
}

/// A branch that is itself only an `anyOf` (with annotations) is spliced
/// into the parent's list: `anyOf: [anyOf: [A, B], C]` is `anyOf: [A, B, C]`.
/// The inner description moves up when the parent has none.
fn flatten(m: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(branches)) = m.get(key) else {
        return;
    };
    let nested = |b: &Value| {
        b.as_object().is_some_and(|o| {
            matches!(o.get("anyOf"), Some(Value::Array(_)))
                && o.keys().all(|k| k == "anyOf" || annotation(k))
        })
    };
    // Only an `anyOf` inside an `anyOf` is the same set of values when
    // spliced; inside a `oneOf` it is too when the other branches are null
    // (the one shape schemars writes: an `Option` of an `anyOf` type).
    let splice = branches.iter().any(nested)
        && (key == "anyOf" || branches.iter().all(|b| nested(b) || is_null_schema(b)));
    if !splice {
        return;
    }
    let Some(Value::Array(branches)) = m.remove(key) else {
        unreachable!("checked above")
    };
    let mut flat = Vec::new();
    for b in branches {
        if nested(&b) {
            let Value::Object(mut inner) = b else {
                unreachable!("checked above")
            };
            if let Some(d) = inner.remove("description") {
                m.entry("description").or_insert(d);
            }
            if let Some(Value::Array(list)) = inner.remove("anyOf") {
                flat.extend(list);
            }
        } else {
            flat.push(b);
        }
    }
    m.insert("anyOf".into(), Value::Array(flat));
}

/// Moves branches marked [`ALTERNATE_KEYWORD`] out of the list, into
/// [`ALSO_ACCEPTS_KEYWORD`].
fn drop_alternates(m: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(branches)) = m.get_mut(key) else {
        return;
    };
    let alternate = |b: &Value| b.get(ALTERNATE_KEYWORD) == Some(&Value::Bool(true));
    if !branches.iter().any(alternate) || branches.iter().all(alternate) {
        return;
    }
    let mut also = Vec::new();
    branches.retain(|b| {
        if alternate(b) {
            let mut b = b.clone();
            if let Some(o) = b.as_object_mut() {
                o.remove(ALTERNATE_KEYWORD);
            }
            also.push(b);
            false
        } else {
            true
        }
    });
    if let Some(Value::Array(list)) = m.get_mut(ALSO_ACCEPTS_KEYWORD) {
        list.extend(also);
    } else {
        m.insert(ALSO_ACCEPTS_KEYWORD.into(), Value::Array(also));
    }
}

/// A union of string constants (and maybe null) becomes one string enum;
/// the constants' descriptions go to `x-enum-descriptions` (read by
/// openapi-generator) and to a list in `description` (read by people).
fn string_enum(m: &mut Map<String, Value>, key: &str) -> bool {
    let Some(Value::Array(branches)) = m.get(key) else {
        return false;
    };
    // Each branch: `{type: string, enum: [..]}` with annotations, or null.
    let values_of = |b: &Value| -> Option<Vec<Value>> {
        let o = b.as_object()?;
        let typed = o.get("type").is_none_or(|t| t == "string");
        let only = o
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "enum") || annotation(k));
        let values = o.get("enum")?.as_array()?;
        (typed && only && values.iter().all(Value::is_string)).then(|| values.clone())
    };
    let mut values = Vec::new();
    let mut descriptions = Vec::new();
    let mut nullable = false;
    for b in branches {
        if is_null_schema(b) {
            nullable = true;
            continue;
        }
        let Some(vs) = values_of(b) else {
            return false;
        };
        let d = b.get("description").and_then(Value::as_str).unwrap_or("");
        for v in vs {
            descriptions.push(d.to_owned());
            values.push(v);
        }
    }
    if values.is_empty() {
        return false;
    }
    m.remove(key);
    if descriptions.iter().any(|d| !d.is_empty()) {
        let list: Vec<String> = values
            .iter()
            .zip(&descriptions)
            .map(|(v, d)| {
                let v = v.as_str().expect("strings");
                match d.as_str() {
                    "" => format!("- `{v}`"),
                    d => format!("- `{v}`: {}", d.replace('\n', " ")),
                }
            })
            .collect();
        let text = match m.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\n{}", list.join("\n")),
            None => list.join("\n"),
        };
        m.insert("description".into(), text.into());
        m.insert(
            contract_core::keyword::ENUM_DESCRIPTIONS.into(),
            json!(descriptions),
        );
    }
    if nullable {
        values.push(Value::Null);
        m.insert("type".into(), json!(["string", "null"]));
    } else {
        m.insert("type".into(), "string".into());
    }
    m.insert("enum".into(), Value::Array(values));
    true
}

/// `anyOf: [{type: T, ...}, {type: "null"}]` becomes `{type: [T, "null"], ...}`.
fn nullable_scalar(m: &mut Map<String, Value>, key: &str) -> bool {
    let Some(Value::Array(branches)) = m.get(key) else {
        return false;
    };
    let [a, b] = branches.as_slice() else {
        return false;
    };
    let typed = match (is_null_schema(a), is_null_schema(b)) {
        (false, true) => a,
        (true, false) => b,
        _ => return false,
    };
    let Some(o) = typed.as_object() else {
        return false;
    };
    let Some(Value::String(t)) = o.get("type") else {
        return false;
    };
    // The branch's keywords move up; a clash (other than annotations the
    // parent already has) keeps the union as it is.
    if o.keys()
        .any(|k| k != "type" && m.contains_key(k) && !annotation(k))
    {
        return false;
    }
    let t = t.clone();
    let Some(Value::Array(branches)) = m.remove(key) else {
        unreachable!("checked above")
    };
    let typed = branches
        .into_iter()
        .find(|b| !is_null_schema(b))
        .expect("one typed branch");
    let Value::Object(o) = typed else {
        unreachable!("checked above")
    };
    for (k, v) in o {
        if k != "type" {
            m.entry(k).or_insert(v);
        }
    }
    m.insert("type".into(), json!([t, "null"]));
    if let Some(Value::Array(values)) = m.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    true
}

/// A union left with one branch (its alternates dropped) is that branch.
fn single_branch(m: &mut Map<String, Value>, key: &str) -> bool {
    let Some(Value::Array(branches)) = m.get(key) else {
        return false;
    };
    let [only] = branches.as_slice() else {
        return false;
    };
    let Some(o) = only.as_object() else {
        return false;
    };
    if o.contains_key("$ref")
        || o.keys()
            .any(|k| m.contains_key(k) && !annotation(k) && k != ALSO_ACCEPTS_KEYWORD)
    {
        return false;
    }
    let Some(Value::Array(mut branches)) = m.remove(key) else {
        unreachable!("checked above")
    };
    let Some(Value::Object(o)) = branches.pop() else {
        unreachable!("checked above")
    };
    for (k, v) in o {
        m.entry(k).or_insert(v);
    }
    true
}

/// `anyOf: [{$ref}, {type: "null"}]` is written `oneOf`.
fn nullable_ref(m: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = m.get("anyOf") else {
        return;
    };
    let nullable_ref = branches.len() == 2
        && branches.iter().any(|b| b.get("$ref").is_some())
        && branches.iter().any(is_null_schema);
    if nullable_ref {
        let branches = m.remove("anyOf").expect("present");
        m.insert("oneOf".into(), branches);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: Value, expected: Value) {
        let mut v = input;
        schema(&mut v);
        assert_eq!(v, expected);
    }

    #[test]
    fn documented_unit_enum_becomes_a_string_enum() {
        check(
            json!({
                "description": "The role.",
                "oneOf": [
                    { "type": "string", "const": "participant", "description": "Attends." },
                    { "type": "string", "const": "instructor", "description": "Runs." },
                ],
            }),
            json!({
                "description": "The role.\n\n- `participant`: Attends.\n- `instructor`: Runs.",
                "x-enum-descriptions": ["Attends.", "Runs."],
                "type": "string",
                "enum": ["participant", "instructor"],
            }),
        );
    }

    #[test]
    fn partly_documented_enum_keeps_every_value() {
        check(
            json!({ "oneOf": [
                { "type": "string", "enum": ["a", "b"] },
                { "type": "string", "const": "c", "description": "The third." },
            ] }),
            json!({
                "description": "- `a`\n- `b`\n- `c`: The third.",
                "x-enum-descriptions": ["", "", "The third."],
                "type": "string",
                "enum": ["a", "b", "c"],
            }),
        );
    }

    #[test]
    fn nullable_enum_union_keeps_the_null() {
        check(
            json!({ "anyOf": [
                { "type": "string", "const": "a" },
                { "type": "string", "const": "b" },
                { "type": "null" },
            ] }),
            json!({ "type": ["string", "null"], "enum": ["a", "b", null] }),
        );
    }

    #[test]
    fn lenient_boolean_is_published_as_a_nullable_boolean() {
        check(
            json!({
                "description": "Online or not.",
                "anyOf": [
                    {
                        "description": "A boolean.",
                        "anyOf": [
                            { "type": "boolean" },
                            { "type": "string", "pattern": "^(true|false)$", ALTERNATE_KEYWORD: true },
                        ],
                    },
                    { "type": "null" },
                ],
            }),
            json!({
                "description": "Online or not.",
                ALSO_ACCEPTS_KEYWORD: [{ "type": "string", "pattern": "^(true|false)$" }],
                "type": ["boolean", "null"],
            }),
        );
    }

    #[test]
    fn lenient_boolean_alone_is_a_boolean() {
        check(
            json!({ "anyOf": [
                { "type": "boolean" },
                { "type": "string", ALTERNATE_KEYWORD: true },
            ] }),
            json!({ ALSO_ACCEPTS_KEYWORD: [{ "type": "string" }], "type": "boolean" }),
        );
    }

    #[test]
    fn nullable_reference_is_a_one_of() {
        check(
            json!({ "anyOf": [{ "$ref": "#/components/schemas/Host" }, { "type": "null" }] }),
            json!({ "oneOf": [{ "$ref": "#/components/schemas/Host" }, { "type": "null" }] }),
        );
    }

    #[test]
    fn unions_of_other_shapes_are_left_alone() {
        let untagged =
            json!({ "anyOf": [{ "type": "string" }, { "type": "integer", "format": "int64" }] });
        check(untagged.clone(), untagged);
        let tagged = json!({ "oneOf": [
            { "type": "object", "properties": { "kind": { "type": "string", "enum": ["a"] } } },
            { "type": "object", "properties": { "kind": { "type": "string", "enum": ["b"] } } },
        ] });
        check(tagged.clone(), tagged);
    }

    #[test]
    fn string_consts_in_properties_become_single_value_enums() {
        check(
            json!({ "type": "object", "properties": { "kind": { "type": "string", "const": "circle" } } }),
            json!({ "type": "object", "properties": { "kind": { "type": "string", "enum": ["circle"] } } }),
        );
    }

    #[test]
    fn integer_formats_are_the_ones_generators_know() {
        for (from, to) in [
            ("int8", "int32"),
            ("uint16", "int32"),
            ("uint32", "int64"),
            ("int32", "int32"),
            ("int64", "int64"),
            ("uint64", "uint64"),
        ] {
            let mut v = json!({ "type": ["integer", "null"], "format": from });
            schema(&mut v);
            assert_eq!(v["format"], to);
        }
    }

    #[test]
    fn schema_keys_are_walked_and_data_is_not() {
        check(
            json!({
                "type": "array",
                "items": { "anyOf": [{ "type": "integer", "format": "uint8" }, { "type": "null" }] },
                "examples": [{ "anyOf": [{ "type": "string", "const": "x" }] }],
            }),
            json!({
                "type": "array",
                "items": { "type": ["integer", "null"], "format": "int32", "minimum": 0, "maximum": 255 },
                "examples": [{ "anyOf": [{ "type": "string", "const": "x" }] }],
            }),
        );
    }

    #[test]
    fn a_serde_tagged_enum_is_published_as_a_discriminated_union() {
        /// A shape.
        #[derive(serde::Serialize, schemars::JsonSchema)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        #[allow(dead_code, reason = "only its schema is used")]
        enum Shape {
            /// Round.
            Circle { r: f64 },
            /// Square.
            Square { side: f64 },
        }
        #[derive(serde::Serialize, schemars::JsonSchema)]
        struct Out {
            shape: Shape,
        }
        let mut spec = crate::SpecBuilder::new("t", "1");
        let mut op = crate::Operation::new("get", "/s");
        op.success(200, Some(spec.response_schema::<Out>()));
        spec.add(op);
        let doc = spec.build();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Shape"]["discriminator"]["propertyName"], "kind");
        assert_eq!(
            schemas["Shape"]["oneOf"][1]["$ref"],
            "#/components/schemas/ShapeSquare"
        );
        assert_eq!(
            schemas["ShapeCircle"]["properties"]["kind"]["enum"],
            json!(["circle"])
        );
        assert_eq!(schemas["ShapeSquare"]["description"], "Square.");
    }

    #[test]
    fn cross_field_conditionals_move_to_dependent_schemas() {
        let given = |p: &str| json!({ "required": [p], "properties": { p: { "type": "string", "minLength": 1 } } });
        let rule = |a: &str, b: &str| json!({ "if": given(a), "then": given(b) });
        check(
            json!({ "type": "object", "allOf": [rule("first", "last"), rule("last", "first"), rule("first", "nick")] }),
            json!({ "type": "object", "dependentSchemas": {
                "first": { "allOf": [rule("first", "last"), rule("first", "nick")] },
                "last": rule("last", "first"),
            } }),
        );
        // With an `else`, or a part that is not a conditional, it stays.
        let with_else =
            json!({ "allOf": [{ "if": given("a"), "then": given("b"), "else": given("c") }] });
        check(with_else.clone(), with_else);
        let mixed = json!({ "allOf": [rule("a", "b"), { "$ref": "#/components/schemas/Base" }] });
        check(mixed.clone(), mixed);
    }
}
