//! Collects every violation of a request value at once, by walking it
//! against the request type's JSON Schema (the deserialize contract that
//! schemars derives, the same one the spec publishes).
//!
//! Only runs after the typed parse failed: the happy path never pays for it.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use contract_core::{ErrorCode, Violation};
use regex::Regex;
use schemars::JsonSchema;
use serde_json::{Map, Value};

/// The pattern that means "not blank" (at least one non-whitespace
/// character): a failure is reported as `blank`.
pub const NOT_BLANK_PATTERN: &str = r"\S";

/// The regex of [`NOT_BLANK_PATTERN`], for `validator`:
/// `#[validate(regex(path = *NOT_BLANK, code = "blank"))]` enforces it and
/// puts it in the schema as `pattern`.
pub static NOT_BLANK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(NOT_BLANK_PATTERN).expect("valid pattern"));

/// A schema extension naming the field code for a failed `pattern` or
/// `format`, such as `"x-invalid-code": "invalid_time"`.
pub const INVALID_CODE_KEYWORD: &str = "x-invalid-code";

/// The deserialize-contract schema of `T`, generated once per type.
pub(crate) fn schema_of<T: JsonSchema + 'static>() -> Arc<Value> {
    static CACHE: LazyLock<RwLock<HashMap<TypeId, Arc<Value>>>> = LazyLock::new(Default::default);
    let id = TypeId::of::<T>();
    if let Some(s) = CACHE.read().expect("not poisoned").get(&id) {
        return s.clone();
    }
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>();
    let schema = Arc::new(schema.to_value());
    CACHE
        .write()
        .expect("not poisoned")
        .entry(id)
        .or_insert(schema)
        .clone()
}

fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: LazyLock<RwLock<HashMap<String, Option<Regex>>>> =
        LazyLock::new(Default::default);
    if let Some(r) = CACHE.read().expect("not poisoned").get(pattern) {
        return r.clone();
    }
    let re = Regex::new(pattern).ok();
    CACHE
        .write()
        .expect("not poisoned")
        .insert(pattern.to_owned(), re.clone());
    re
}

/// The outcome of a walk.
pub(crate) enum Walk {
    /// The root itself has the wrong type (say, an array for an object).
    RootMismatch,
    /// Violations, in request order (may be empty when only normalizations,
    /// such as `1.0` for an integer, were needed).
    Violations(Vec<Violation>),
}

/// Walks `value` (normalizing integral floats in place) against `root`.
pub(crate) fn walk(root: &Value, value: &mut Value) -> Walk {
    let mut w = Walker {
        root,
        out: Vec::new(),
        depth: 0,
    };
    let mut path = String::new();
    if w.node(root, value, &mut path) {
        return Walk::Violations(Vec::new());
    }
    if w.out.iter().any(|v| v.field().is_empty()) {
        return Walk::RootMismatch;
    }
    Walk::Violations(w.out)
}

struct Walker<'a> {
    root: &'a Value,
    out: Vec<Violation>,
    depth: usize,
}

fn expected_code(ty: &str) -> ErrorCode {
    match ty {
        "integer" => ErrorCode::NOT_INTEGER,
        "number" => ErrorCode::NOT_NUMBER,
        "boolean" => ErrorCode::NOT_BOOLEAN,
        "string" => ErrorCode::NOT_STRING,
        "object" => ErrorCode::NOT_OBJECT,
        "array" => ErrorCode::NOT_ARRAY,
        _ => ErrorCode::INVALID_VALUE,
    }
}

fn as_usize(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
}

/// Range of the integer formats schemars emits.
fn format_range(format: &str) -> Option<(i128, i128)> {
    Some(match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint8" => (0, u8::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "uint64" | "uint" => (0, u64::MAX.into()),
        _ => return None,
    })
}

fn push_path(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    len
}

impl Walker<'_> {
    fn fail(&mut self, path: &str, code: ErrorCode) -> bool {
        self.out.push(Violation::new(path, code));
        false
    }

    fn fail_with(
        &mut self,
        path: &str,
        code: ErrorCode,
        name: &'static str,
        n: impl std::fmt::Display,
    ) -> bool {
        self.out
            .push(Violation::new(path, code).with_param(name, n));
        false
    }

    /// Checks one node; pushes at most one violation for `path` itself, and
    /// any number for its children. Returns whether the node is valid.
    fn node(&mut self, schema: &Value, value: &mut Value, path: &mut String) -> bool {
        let schema = match schema {
            Value::Bool(true) => return true,
            Value::Bool(false) => return self.fail(path, ErrorCode::UNKNOWN_FIELD),
            Value::Object(o) => o,
            _ => return true,
        };
        self.depth += 1;
        let ok = self.node_inner(schema, value, path);
        self.depth -= 1;
        ok
    }

    fn node_inner(
        &mut self,
        schema: &Map<String, Value>,
        value: &mut Value,
        path: &mut String,
    ) -> bool {
        if self.depth > 64 {
            return true;
        }
        if let Some(Value::String(r)) = schema.get("$ref") {
            let root: &Value = self.root;
            let target = r
                .strip_prefix("#/$defs/")
                .and_then(|name| root.get("$defs").and_then(|d| d.get(name)))
                .or_else(|| (r == "#").then_some(root));
            if let Some(target) = target
                && !self.node(target, value, path)
            {
                return false;
            }
        }
        if let Some(Value::Array(all)) = schema.get("allOf") {
            for s in all {
                if !self.node(s, value, path) {
                    return false;
                }
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = schema.get(key)
                && !self.any_of(branches, value, path)
            {
                return false;
            }
        }
        self.typed(schema, value, path)
    }

    fn any_of(&mut self, branches: &[Value], value: &mut Value, path: &mut String) -> bool {
        let mut first_failure: Option<(Vec<Violation>, usize)> = None;
        for (i, branch) in branches.iter().enumerate() {
            let mut trial = value.clone();
            let mut sub = Walker {
                root: self.root,
                out: Vec::new(),
                depth: self.depth,
            };
            if sub.node(branch, &mut trial, path) {
                *value = trial;
                return true;
            }
            let is_null_branch = branch.get("type").and_then(Value::as_str) == Some("null");
            if value.is_null() && !is_null_branch {
                // Null matched no branch; report it below rather than a
                // branch's type error.
                continue;
            }
            if first_failure.is_none() && !is_null_branch {
                first_failure = Some((sub.out, i));
            }
        }
        if value.is_null() {
            return self.fail(path, ErrorCode::NULL_NOT_ALLOWED);
        }
        let enum_like = branches.iter().all(|b| {
            b.get("const").is_some()
                || b.get("enum").is_some()
                || b.get("type").and_then(Value::as_str) == Some("null")
        });
        if enum_like {
            return self.fail(path, ErrorCode::NOT_ONE_OF);
        }
        match first_failure {
            Some((out, _)) => {
                self.out.extend(out);
                false
            }
            None => self.fail(path, ErrorCode::INVALID_VALUE),
        }
    }

    fn typed(&mut self, schema: &Map<String, Value>, value: &mut Value, path: &mut String) -> bool {
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if value.is_null() {
            if types.is_empty() || types.contains(&"null") {
                return self.check_enum(schema, value, path);
            }
            return self.fail(path, ErrorCode::NULL_NOT_ALLOWED);
        }
        if !types.is_empty() {
            let matched = match value {
                Value::Bool(_) => types.contains(&"boolean"),
                Value::String(_) => types.contains(&"string"),
                Value::Array(_) => types.contains(&"array"),
                Value::Object(_) => types.contains(&"object"),
                Value::Number(n) => {
                    if n.is_i64() || n.is_u64() {
                        types.contains(&"integer") || types.contains(&"number")
                    } else if types.contains(&"number") {
                        true
                    } else if types.contains(&"integer") {
                        // JSON Schema counts 2.0 as an integer: accept it.
                        match n.as_f64() {
                            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                                *value = Value::from(f as i64);
                                true
                            }
                            // Integral but beyond any integer type.
                            Some(f) if f.fract() == 0.0 => {
                                let range = schema
                                    .get("format")
                                    .and_then(Value::as_str)
                                    .and_then(format_range)
                                    .unwrap_or((i64::MIN.into(), i64::MAX.into()));
                                return if f < 0.0 {
                                    self.fail_with(path, ErrorCode::TOO_SMALL, "min", range.0)
                                } else {
                                    self.fail_with(path, ErrorCode::TOO_LARGE, "max", range.1)
                                };
                            }
                            _ => false,
                        }
                    } else {
                        false
                    }
                }
                Value::Null => unreachable!("handled above"),
            };
            if !matched {
                let primary = types
                    .iter()
                    .find(|t| **t != "null")
                    .copied()
                    .unwrap_or("null");
                return self.fail(path, expected_code(primary));
            }
        }
        if !self.check_enum(schema, value, path) {
            return false;
        }
        match value {
            Value::String(s) => self.string(schema, s, path),
            Value::Number(_) => self.number(schema, value, path),
            Value::Array(items) => self.array(schema, items, path),
            Value::Object(map) => self.object(schema, map, path),
            _ => true,
        }
    }

    fn check_enum(&mut self, schema: &Map<String, Value>, value: &Value, path: &str) -> bool {
        if let Some(Value::Array(allowed)) = schema.get("enum")
            && !allowed.contains(value)
        {
            return self.fail(path, ErrorCode::NOT_ONE_OF);
        }
        if let Some(c) = schema.get("const")
            && c != value
        {
            return self.fail(path, ErrorCode::NOT_ONE_OF);
        }
        true
    }

    fn invalid_code(schema: &Map<String, Value>, default: ErrorCode) -> ErrorCode {
        schema
            .get(INVALID_CODE_KEYWORD)
            .and_then(Value::as_str)
            .and_then(|c| ErrorCode::new(c.to_owned()).ok())
            .unwrap_or(default)
    }

    fn string(&mut self, schema: &Map<String, Value>, s: &str, path: &str) -> bool {
        let pattern = schema.get("pattern").and_then(Value::as_str);
        if pattern == Some(NOT_BLANK_PATTERN) && s.trim().is_empty() {
            return self.fail(path, ErrorCode::BLANK);
        }
        let len = s.chars().count() as u64;
        if let Some(min) = as_usize(schema.get("minLength"))
            && len < min
        {
            return self.fail_with(path, ErrorCode::TOO_SHORT, "min", min);
        }
        if let Some(max) = as_usize(schema.get("maxLength"))
            && len > max
        {
            return self.fail_with(path, ErrorCode::TOO_LONG, "max", max);
        }
        if let Some(p) = pattern.filter(|p| *p != NOT_BLANK_PATTERN)
            && compiled(p).is_some_and(|re| !re.is_match(s))
        {
            let code = Self::invalid_code(schema, ErrorCode::INVALID_FORMAT);
            return self.fail(path, code);
        }
        if let Some(format) = schema.get("format").and_then(Value::as_str) {
            let ok = match format {
                "email" => validator::ValidateEmail::validate_email(&s),
                _ => true,
            };
            if !ok {
                let default = match format {
                    "email" => ErrorCode::INVALID_EMAIL,
                    _ => ErrorCode::INVALID_FORMAT,
                };
                return self.fail(path, Self::invalid_code(schema, default));
            }
        }
        true
    }

    fn number(&mut self, schema: &Map<String, Value>, value: &Value, path: &str) -> bool {
        let Value::Number(n) = value else { return true };
        let as_int = n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from));
        if let (Some(i), Some(range)) = (
            as_int,
            schema
                .get("format")
                .and_then(Value::as_str)
                .and_then(format_range),
        ) {
            if i < range.0 {
                return self.fail_with(path, ErrorCode::TOO_SMALL, "min", range.0);
            }
            if i > range.1 {
                return self.fail_with(path, ErrorCode::TOO_LARGE, "max", range.1);
            }
        } else if as_int.is_none()
            && schema
                .get("format")
                .and_then(Value::as_str)
                .and_then(format_range)
                .is_some()
        {
            return self.fail(path, ErrorCode::NOT_INTEGER);
        }
        let f = n.as_f64().unwrap_or(0.0);
        let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
        let show = |k: &str| schema.get(k).map(ToString::to_string).unwrap_or_default();
        if let Some(min) = bound("minimum")
            && f < min
        {
            return self.fail_with(path, ErrorCode::TOO_SMALL, "min", show("minimum"));
        }
        if let Some(min) = bound("exclusiveMinimum")
            && f <= min
        {
            return self.fail_with(path, ErrorCode::TOO_SMALL, "min", show("exclusiveMinimum"));
        }
        if let Some(max) = bound("maximum")
            && f > max
        {
            return self.fail_with(path, ErrorCode::TOO_LARGE, "max", show("maximum"));
        }
        if let Some(max) = bound("exclusiveMaximum")
            && f >= max
        {
            return self.fail_with(path, ErrorCode::TOO_LARGE, "max", show("exclusiveMaximum"));
        }
        true
    }

    fn array(
        &mut self,
        schema: &Map<String, Value>,
        items: &mut [Value],
        path: &mut String,
    ) -> bool {
        let len = items.len() as u64;
        if let Some(min) = as_usize(schema.get("minItems"))
            && len < min
        {
            return self.fail_with(path, ErrorCode::TOO_FEW_ITEMS, "min", min);
        }
        if let Some(max) = as_usize(schema.get("maxItems"))
            && len > max
        {
            return self.fail_with(path, ErrorCode::TOO_MANY_ITEMS, "max", max);
        }
        let mut ok = true;
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                ok &= self.node(item_schema, item, path);
                path.truncate(len);
            }
        }
        ok
    }

    fn object(
        &mut self,
        schema: &Map<String, Value>,
        map: &mut Map<String, Value>,
        path: &mut String,
    ) -> bool {
        let empty = Map::new();
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let strict = matches!(schema.get("additionalProperties"), Some(Value::Bool(false)));
        let mut ok = true;
        for (key, child) in map.iter_mut() {
            let len = push_path(path, key);
            match props.get(key) {
                Some(s) => ok &= self.node(s, child, path),
                None if strict => ok &= self.fail(path, ErrorCode::UNKNOWN_FIELD),
                None => {}
            }
            path.truncate(len);
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            for key in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(key) {
                    let len = push_path(path, key);
                    ok &= self.fail(path, ErrorCode::REQUIRED);
                    path.truncate(len);
                }
            }
        }
        ok
    }
}
