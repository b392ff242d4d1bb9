//! Presence in responses: every property a response sends goes in
//! `required`, and a schema that requests share is split first, so that a
//! request may still leave a property out.

use std::collections::{BTreeMap, BTreeSet};

use contract_core::keyword;
use serde_json::{Map, Value, json};

use crate::build::rename_refs;
use crate::document::METHODS;
use crate::reference::SCHEMAS;

/// Puts every property of each schema responses reach in `required`,
/// except those `allow_absent` names (`Schema.property` → when it is
/// absent), which are marked and described instead.
///
/// A schema requests reach too is split when it would change: the
/// response keeps the name, and requests refer to `{Name}Input`, the
/// schema as it was (as `SpecBuilder` publishes a type whose two contracts
/// differ). A shared schema that refers to a split one is split as well.
pub(super) fn require_response_properties(
    doc: &mut Value,
    allow_absent: &BTreeMap<String, String>,
) {
    let (request_roots, response_roots) = roots(doc);
    let in_requests = super::reachable(doc, &request_roots);
    let in_responses = super::reachable(doc, &response_roots);
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let changes = |name: &str| {
        schemas.get(name).is_some_and(|s| {
            let required = s.get("required").and_then(Value::as_array);
            let has = |p: &str| required.is_some_and(|r| r.iter().any(|x| x == p));
            let props = s.get("properties").and_then(Value::as_object);
            props.is_some_and(|p| p.keys().any(|k| !has(k)))
        })
    };
    let shared: BTreeSet<&String> = in_requests.intersection(&in_responses).collect();
    let mut split: BTreeSet<String> = shared
        .iter()
        .filter(|n| changes(n))
        .map(|n| (*n).clone())
        .collect();
    // A shared schema that refers to a split one splits too: its request
    // form must refer to the request form.
    loop {
        let more: Vec<String> = shared
            .iter()
            .filter(|n| !split.contains(**n))
            .filter(|n| refers_to_any(&schemas[n.as_str()], &split))
            .map(|n| (*n).clone())
            .collect();
        if more.is_empty() {
            break;
        }
        split.extend(more);
    }
    let renamed: BTreeMap<String, String> = split
        .iter()
        .map(|n| {
            let mut input = format!("{n}Input");
            let mut i = 2;
            while schemas.contains_key(&input) {
                input = format!("{n}Input{i}");
                i += 1;
            }
            (n.clone(), input)
        })
        .collect();
    let request_only: Vec<String> = in_requests.difference(&in_responses).cloned().collect();

    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    for (name, input) in &renamed {
        let mut copy = schemas[name].clone();
        rename_refs(&mut copy, &renamed);
        schemas.insert(input.clone(), copy);
    }
    for name in &request_only {
        if let Some(s) = schemas.get_mut(name) {
            rename_refs(s, &renamed);
        }
    }
    for name in in_responses.iter() {
        if let Some(Value::Object(schema)) = schemas.get_mut(name) {
            require(name, schema, allow_absent);
        }
    }
    if renamed.is_empty() {
        return;
    }
    // The requests' own references.
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        for kind in ["requestBodies", "parameters"] {
            if let Some(v) = components.get_mut(kind) {
                rename_refs(v, &renamed);
            }
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            if let Some(p) = item.get_mut("parameters") {
                rename_refs(p, &renamed);
            }
            for method in METHODS {
                if let Some(op) = item.get_mut(method) {
                    for key in ["parameters", "requestBody"] {
                        if let Some(v) = op.get_mut(key) {
                            rename_refs(v, &renamed);
                        }
                    }
                }
            }
        }
    }
}

/// Each operation's request parts and its responses, as reference roots.
fn roots(doc: &Value) -> (Vec<Value>, Vec<Value>) {
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for item in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        requests.extend(item.get("parameters").cloned());
        for method in METHODS {
            if let Some(op) = item.get(method) {
                requests.extend(op.get("parameters").cloned());
                requests.extend(op.get("requestBody").cloned());
                responses.extend(op.get("responses").cloned());
            }
        }
    }
    (requests, responses)
}

fn require(name: &str, schema: &mut Map<String, Value>, allow_absent: &BTreeMap<String, String>) {
    let Some(Value::Object(props)) = schema.get_mut("properties") else {
        return;
    };
    let mut names = Vec::new();
    for (p, property) in props.iter_mut() {
        let Some(when) = allow_absent.get(&format!("{name}.{p}")) else {
            names.push(p.clone());
            continue;
        };
        if let Value::Object(property) = property {
            property.insert(keyword::ALLOW_ABSENT.to_owned(), true.into());
            let described = property
                .get("description")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.trim().is_empty());
            if !described {
                property.insert("description".to_owned(), when.clone().into());
            }
        }
    }
    let required = schema.entry("required").or_insert_with(|| json!([]));
    if let Value::Array(list) = required {
        for p in names {
            if !list.iter().any(|r| r == &p) {
                list.push(p.into());
            }
        }
    }
}

/// Whether `v` refers (directly) to a schema in `names`.
fn refers_to_any(v: &Value, names: &BTreeSet<String>) -> bool {
    match v {
        Value::Object(m) => {
            let own = m
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMAS))
                .is_some_and(|n| names.contains(n));
            own || m.values().any(|c| refers_to_any(c, names))
        }
        Value::Array(a) => a.iter().any(|c| refers_to_any(c, names)),
        _ => false,
    }
}
