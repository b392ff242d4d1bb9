//! The per-schema rules of the lint: the shapes client generators break
//! on, integer bounds beyond what a double holds, control characters in a
//! pattern's escapes, and what counts as an annotation.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::document::{is_null_schema, is_true};

/// The first `\u00HH` escape of a control character (C0, DEL or C1) in a
/// regex, which `\xHH` writes for every generator's dialect.
fn control_escape(pattern: &str) -> Option<&str> {
    let bytes = pattern.as_bytes();
    (0..bytes.len().saturating_sub(5)).find_map(|i| {
        let escape = pattern.get(i..i + 6)?;
        let preceded = pattern[..i]
            .bytes()
            .rev()
            .take_while(|b| *b == b'\\')
            .count();
        let code = u8::from_str_radix(escape.strip_prefix("\\u00")?, 16).ok()?;
        (preceded % 2 == 0 && (code < 0x20 || (0x7F..=0x9F).contains(&code))).then_some(escape)
    })
}

/// An integer bound beyond 2^53 − 1, which a JavaScript number (a double)
/// cannot hold exactly: a note where a 64-bit `format` states it (the type's
/// own range, say), an error where nothing does.
pub(super) fn inexact_bound(schema: &Value) -> Option<Result<String, String>> {
    const EXACT: u64 = (1 << 53) - 1;
    let bound = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]
        .into_iter()
        .find_map(|k| {
            let n = schema.get(k)?;
            let beyond = n
                .as_u64()
                .map(|n| n > EXACT)
                .or_else(|| n.as_i64().map(|n| n.unsigned_abs() > EXACT))
                .or_else(|| n.as_f64().map(|n| n.abs() > EXACT as f64))?;
            beyond.then(|| format!("{k}: {n}"))
        })?;
    Some(match schema.get("format").and_then(Value::as_str) {
        Some("int64") => Ok(format!(
            "{bound} is beyond 2^53 - 1 and stated by `format: int64`: a client that reads it as a JavaScript number gets it rounded"
        )),
        _ => Err(format!(
            "{bound} is beyond 2^53 - 1, which a JavaScript number cannot hold: leave the bound out, or state it with `format: int64`"
        )),
    })
}

/// Keys that only annotate a schema: generators keep or ignore them without
/// changing the type.
fn annotation(key: &str) -> bool {
    matches!(
        key,
        "description"
            | "title"
            | "summary"
            | "deprecated"
            | "readOnly"
            | "writeOnly"
            | "example"
            | "examples"
            | "$comment"
    ) || key.starts_with("x-")
}

/// A shape that mainstream client generators do not read as the intended
/// type (measured with openapi-generator 7.26 `kotlin`, `swift5`, `swift6`,
/// `python`, `dart-dio`, openapi-typescript 7.13 and @hey-api/openapi-ts
/// 0.99), with what each does and what to write instead.
pub(super) fn generator_breaker(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    for key in ["oneOf", "anyOf"] {
        let Some(branches) = obj.get(key).and_then(Value::as_array) else {
            continue;
        };
        let typed: Vec<&Value> = branches.iter().filter(|b| !is_null_schema(b)).collect();
        let constant = |b: &&Value| {
            b.get("const").is_some_and(Value::is_string)
                || b.get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.iter().all(Value::is_string))
        };
        if !typed.is_empty() && typed.iter().all(constant) {
            return Some(format!(
                "`{key}` of string constants: kotlin generates an empty class, swift5 a `case typeString(String)` wrapper, python fails with \"Multiple matches\"; write `type: string, enum: [...]`"
            ));
        }
        if typed
            .iter()
            .any(|b| b.get("anyOf").is_some() || b.get("oneOf").is_some())
        {
            return Some(format!(
                "a nested `anyOf`/`oneOf` in `{key}`: kotlin, swift5, python and dart-dio generate an empty wrapper class; flatten it into one union"
            ));
        }
        let scalars: BTreeSet<&str> = typed
            .iter()
            .filter(|b| b.get("$ref").is_none() && b.get("properties").is_none())
            .filter(|b| !is_true(b, contract_core::keyword::ALTERNATE))
            .filter_map(|b| b.get("type").and_then(Value::as_str))
            .filter(|t| !matches!(*t, "object" | "array"))
            .collect();
        if scalars.len() > 1 {
            return Some(format!(
                "a `{key}` of scalar types ({}): kotlin, swift5, python and dart-dio generate a wrapper class; publish one type and mark the others `x-contract-alternate`",
                scalars.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        let inline_objects = typed
            .iter()
            .filter(|b| b.get("properties").is_some())
            .count();
        if inline_objects > 1 && obj.get("discriminator").is_none() {
            return Some(format!(
                "a `{key}` of inline objects: generators name them `…OneOf`, `…OneOf1`, and kotlin and dart merge them into one class; make each variant a component and add a `discriminator` (in Rust, tag the enum: `#[serde(tag = \"kind\")]`)"
            ));
        }
    }
    let conditional_all_of = obj.get("properties").is_some()
        && obj
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| !all.is_empty() && all.iter().all(|c| c.get("if").is_some()));
    if conditional_all_of {
        return Some(
            "an `allOf` of `if`/`then` rules beside `properties`: @hey-api/openapi-ts's zod makes an intersection with `unknown` that refuses integers, and python drops explicit nulls; write each rule under `dependentSchemas` (keyed by the property its `if` requires)".into(),
        );
    }
    if let Some(Value::Array(types)) = obj.get("type") {
        let non_null: Vec<&str> = types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect();
        if non_null.len() > 1 {
            return Some(format!(
                "a type array of {}: kotlin generates `Any`, swift `AnyCodable`; publish one type and mark the others `x-contract-alternate`",
                non_null.join(", ")
            ));
        }
    }
    if obj.get("$ref").is_some() {
        let dropped: Vec<&str> = obj
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "$ref" && !annotation(k))
            .filter(|k| !matches!(*k, "nullable" | "type"))
            .collect();
        if !dropped.is_empty() {
            return Some(format!(
                "a `$ref` with sibling {}: openapi-generator drops the siblings of a `$ref`; move them into the referenced schema or wrap the reference in `allOf`",
                dropped.join(", ")
            ));
        }
    }
    let nullable_inline_enum = obj.get("enum").is_some()
        && obj
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|t| t == "null"));
    if nullable_inline_enum {
        return Some(
            "an inline nullable enum: python generates `str` and loses the values; make the enum a component and write `oneOf: [{$ref}, {type: \"null\"}]`".into(),
        );
    }
    if let Some(escape) = obj
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(control_escape)
    {
        return Some(format!(
            "a pattern with `{escape}`: hey-api's zod plugin writes the character itself into its source (NUL makes git and grep take the file for binary); write `\\x{}` instead",
            &escape[4..]
        ));
    }
    if let Some(format @ ("uint64" | "uint")) = obj.get("format").and_then(Value::as_str) {
        return Some(format!(
            "`format: {format}`: kotlin generates `Int` (overflows above 2^31) and JavaScript numbers are exact only to 2^53; use `i64` (`int64`), or send the number as a string"
        ));
    }
    let untyped = obj
        .keys()
        .all(|k| annotation(k) || k == "type" || k == "default")
        && obj.get("type").is_none_or(|t| t == "object");
    if untyped {
        return Some(
            "an untyped value (no `type`, properties or items): kotlin generates `Any`, swift `AnyCodable`, python `object`, typescript `unknown`; give it a type".into(),
        );
    }
    None
}

/// The sub-schemas of a node that are not properties, each with the suffix
/// naming an inline object found there: composition branches (same name),
/// array items (`[]`), map values (`{}`).
pub(super) fn branches(schema: &Value) -> Vec<(&'static str, &Value)> {
    let mut out = Vec::new();
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            out.extend(list.iter().map(|b| ("", b)));
        }
    }
    if let Some(not) = schema.get("not") {
        out.push(("", not));
    }
    if let Some(items) = schema.get("items").filter(|i| i.is_object()) {
        out.push(("[]", items));
    }
    if let Some(list) = schema.get("prefixItems").and_then(Value::as_array) {
        out.extend(list.iter().map(|b| ("[]", b)));
    }
    if let Some(ap) = schema.get("additionalProperties").filter(|i| i.is_object()) {
        out.push(("{}", ap));
    }
    out
}
