//! Collects every violation of a request value at once, by walking it
//! against the request type's JSON Schema (the deserialize contract that
//! schemars derives, the same one the spec publishes).
//!
//! The schema is compiled once per type into a tree of `Schema` nodes (keywords
//! parsed, `$ref`s resolved, patterns compiled), so a walk does no map
//! lookups on the schema. Only runs after the typed parse failed, or for
//! bodies serde alone cannot hold to the schema: the happy path never
//! pays for it.

use std::any::TypeId;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::{Arc, LazyLock, RwLock};

use contract_core::{ErrorCode, Violation};
use regex::Regex;
use schemars::JsonSchema;
use serde_json::Value;

use crate::node::Node;

/// The pattern that means "not blank" (at least one non-whitespace
/// character): a failure is reported as `blank`.
pub const NOT_BLANK_PATTERN: &str = r"\S";

/// The regex of [`NOT_BLANK_PATTERN`], for `validator`:
/// `#[validate(regex(path = *NOT_BLANK, code = "blank"))]` enforces it and
/// puts it in the schema as `pattern`.
pub static NOT_BLANK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(NOT_BLANK_PATTERN).expect("valid pattern"));

/// A schema extension naming the field code for a value of the right type
/// that the schema refuses (a failed `pattern`, `format`, `minLength` or
/// `maxLength`), such as `"x-invalid-code": "invalid_time"`.
pub const INVALID_CODE_KEYWORD: &str = contract_core::keyword::INVALID_CODE;

/// A request type's schema: as JSON, and compiled for walking.
pub(crate) struct TypeSchema {
    value: Value,
    nodes: Vec<Schema>,
    conditional: bool,
}

impl TypeSchema {
    /// Whether the schema has rules between properties (`if`/`then`,
    /// `dependentSchemas`, `dependentRequired`) that a typed parse and
    /// `validate()` do not check: a value of such a type is always walked.
    pub(crate) fn conditional(&self) -> bool {
        self.conditional
    }
}

impl Deref for TypeSchema {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.value
    }
}

/// The deserialize-contract schema of `T`, generated and compiled once per
/// type.
pub(crate) fn schema_of<T: JsonSchema + 'static>() -> Arc<TypeSchema> {
    type Cache = RwLock<HashMap<TypeId, Arc<TypeSchema>, BuildHasherDefault<TypeIdHasher>>>;
    static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
    let id = TypeId::of::<T>();
    if let Some(s) = CACHE.read().expect("not poisoned").get(&id) {
        return s.clone();
    }
    let value = schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    let nodes = Compiler::compile(&value);
    let conditional = nodes.iter().any(|n| {
        n.if_.is_some() || !n.dependent_schemas.is_empty() || !n.dependent_required.is_empty()
    });
    let schema = Arc::new(TypeSchema {
        value,
        nodes,
        conditional,
    });
    CACHE
        .write()
        .expect("not poisoned")
        .entry(id)
        .or_insert(schema)
        .clone()
}

/// What the happy path asks of a type's schema on every request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    /// [`TypeSchema::conditional`].
    pub(crate) conditional: bool,
    /// Whether, as parameters, the schema states rules beyond the types.
    pub(crate) param_rules: bool,
}

/// `T`'s [`Facts`]: asked on every typed request, so they are kept per
/// thread for the last types seen, without a lock or a hash.
pub(crate) fn facts<T: JsonSchema + 'static>() -> Facts {
    use std::cell::RefCell;
    thread_local! {
        static SEEN: RefCell<Vec<(TypeId, Facts)>> = const { RefCell::new(Vec::new()) };
    }
    let id = TypeId::of::<T>();
    if let Some(known) = SEEN.with_borrow(|seen| seen.iter().find(|(t, _)| *t == id).map(|e| e.1)) {
        return known;
    }
    let schema = schema_of::<T>();
    let answer = Facts {
        conditional: schema.conditional(),
        param_rules: crate::extract::param_rules(&schema),
    };
    SEEN.with_borrow_mut(|seen| {
        if seen.len() >= 64 {
            seen.remove(0);
        }
        seen.push((id, answer));
    });
    answer
}

/// A hasher for `TypeId` keys, which are already uniformly distributed: the
/// lookup runs on every typed request, so it skips SipHash.
#[derive(Default)]
struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

// Type bits.
const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const INTEGER: u8 = 4;
const NUMBER: u8 = 8;
const STRING: u8 = 16;
const ARRAY: u8 = 32;
const OBJECT: u8 = 64;

/// One schema, its keywords parsed.
#[derive(Default)]
struct Schema {
    /// `false` schema: nothing is valid.
    never: bool,
    reference: Option<usize>,
    all_of: Vec<usize>,
    any_of: Vec<usize>,
    /// Checked like `anyOf`: a value valid for more than one branch is
    /// still a value the type takes.
    one_of: Vec<usize>,
    /// Allowed types (bits); 0 means any.
    types: u8,
    /// The code for a value of the wrong type.
    type_code: Option<ErrorCode>,
    enum_values: Option<Vec<Value>>,
    not_blank: bool,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<Arc<Regex>>,
    email: bool,
    invalid_code: Option<ErrorCode>,
    int_range: Option<(i128, i128)>,
    minimum: Option<Bound>,
    maximum: Option<Bound>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    items: Option<usize>,
    properties: Vec<(String, usize)>,
    required: Vec<String>,
    strict: bool,
    /// `{type: "null"}` alone, as in a nullable `anyOf`.
    null_only: bool,
    /// A `const` or `enum` branch (or the null one), for `not_one_of`.
    enum_like: bool,
    /// `if`, `then`, `else`.
    if_: Option<usize>,
    then_: Option<usize>,
    else_: Option<usize>,
    /// `dependentSchemas`: applies to the object when the property is present.
    dependent_schemas: Vec<(String, usize)>,
    /// `dependentRequired`: the properties required when one is present.
    dependent_required: Vec<(String, Vec<String>)>,
}

struct Compiler<'a> {
    root: &'a Value,
    nodes: Vec<Schema>,
    refs: HashMap<String, usize>,
}

fn compiled_regex(pattern: &str) -> Option<Arc<Regex>> {
    type Cache = RwLock<HashMap<String, Option<Arc<Regex>>>>;
    static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
    if let Some(r) = CACHE.read().expect("not poisoned").get(pattern) {
        return r.clone();
    }
    let re = Regex::new(pattern).ok().map(Arc::new);
    CACHE
        .write()
        .expect("not poisoned")
        .insert(pattern.to_owned(), re.clone());
    re
}

/// Range of the integer formats schemars emits.
/// A numeric bound of a schema: what it refuses, and what a message shows.
#[derive(Debug, Clone)]
struct Bound {
    value: f64,
    exclusive: bool,
    shown: Shown,
}

/// What a `too_small`/`too_large` message says of its bound.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shown {
    /// "At least 1": an inclusive bound, or an integer's exclusive bound
    /// turned into the next allowed value.
    Inclusive(String),
    /// "More than 0.5": a decimal's exclusive bound.
    Exclusive(String),
    /// "Too large": the bound is only the type's range (`u32`, `i64`): no
    /// person chose it, so no number is shown.
    TypeLimit,
}

impl Shown {
    /// How a schema's integer bound reads: `limit` is the integer type's
    /// own limit on that side, if any; `step` is +1 for a lower bound and
    /// -1 for an upper one.
    pub(crate) fn integer(bound: i128, exclusive: bool, limit: Option<i128>, step: i128) -> Self {
        if !exclusive && bound != 0 && limit == Some(bound) {
            Shown::TypeLimit
        } else if exclusive {
            Shown::Inclusive((bound + step).to_string())
        } else {
            Shown::Inclusive(bound.to_string())
        }
    }

    /// The violation of `field` for this bound (`name` is `min` or `max`).
    pub(crate) fn violation(&self, field: &str, code: ErrorCode, name: &'static str) -> Violation {
        let v = Violation::new(field, code);
        match self {
            Shown::Inclusive(n) => v.with_param(name, n),
            Shown::Exclusive(n) => v
                .with_param(name, n)
                .with_param(contract_core::BOUND, "exclusive"),
            Shown::TypeLimit => v.with_param(contract_core::BOUND, "none"),
        }
    }
}

pub(crate) fn format_range(format: &str) -> Option<(i128, i128)> {
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

fn type_bit(t: &str) -> u8 {
    match t {
        "null" => NULL,
        "boolean" => BOOLEAN,
        "integer" => INTEGER,
        "number" => NUMBER,
        "string" => STRING,
        "array" => ARRAY,
        "object" => OBJECT,
        _ => 0,
    }
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

impl<'a> Compiler<'a> {
    fn compile(root: &'a Value) -> Vec<Schema> {
        let mut c = Compiler {
            root,
            nodes: Vec::new(),
            refs: HashMap::new(),
        };
        c.node(root);
        c.nodes
    }

    /// Compiles `schema` into a new node; returns its index (the root is 0).
    fn node(&mut self, schema: &Value) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Schema::default());
        let mut n = Schema::default();
        let s = match schema {
            Value::Object(s) => s,
            Value::Bool(false) => {
                n.never = true;
                self.nodes[id] = n;
                return id;
            }
            _ => return id,
        };
        if let Some(Value::String(r)) = s.get("$ref") {
            n.reference = self.reference(r);
        }
        let mut list = |key: &str| -> Vec<usize> {
            match s.get(key) {
                Some(Value::Array(branches)) => branches.iter().map(|b| self.node(b)).collect(),
                _ => Vec::new(),
            }
        };
        n.all_of = list("allOf");
        n.any_of = list("anyOf");
        n.one_of = list("oneOf");
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        n.types = types.iter().fold(0, |acc, t| acc | type_bit(t));
        n.type_code = types
            .iter()
            .find(|t| **t != "null")
            .map(|t| expected_code(t));
        n.null_only = n.types == NULL && s.len() == 1;
        n.enum_values = match (s.get("enum"), s.get("const")) {
            (Some(Value::Array(v)), _) => Some(v.clone()),
            (_, Some(c)) => Some(vec![c.clone()]),
            _ => None,
        };
        n.enum_like = n.enum_values.is_some() || n.types == NULL;
        let uint = |k: &str| s.get(k).and_then(Value::as_u64);
        n.min_length = uint("minLength");
        n.max_length = uint("maxLength");
        match s.get("pattern").and_then(Value::as_str) {
            Some(NOT_BLANK_PATTERN) => n.not_blank = true,
            Some(p) => n.pattern = compiled_regex(p),
            None => {}
        }
        let format = s.get("format").and_then(Value::as_str);
        n.email = format == Some("email");
        n.int_range = format.and_then(format_range);
        n.invalid_code = s
            .get(INVALID_CODE_KEYWORD)
            .and_then(Value::as_str)
            .and_then(|c| ErrorCode::new(c.to_owned()).ok());
        let integer = n.types & INTEGER != 0 && n.types & NUMBER == 0;
        let int_range = n.int_range;
        let bound = |k: &str, exclusive: bool, lower: bool| {
            let v = s.get(k)?;
            let value = v.as_f64()?;
            let int = v
                .as_i64()
                .map(i128::from)
                .or_else(|| v.as_u64().map(i128::from));
            let (limit, step) = match int_range {
                Some((lo, hi)) => (
                    Some(if lower { lo } else { hi }),
                    if lower { 1 } else { -1 },
                ),
                None => (None, if lower { 1 } else { -1 }),
            };
            let shown = match int {
                Some(i) if integer || !exclusive => Shown::integer(i, exclusive, limit, step),
                _ if exclusive => Shown::Exclusive(v.to_string()),
                _ => Shown::Inclusive(v.to_string()),
            };
            Some(Bound {
                value,
                exclusive,
                shown,
            })
        };
        n.minimum = bound("exclusiveMinimum", true, true).or_else(|| bound("minimum", false, true));
        n.maximum =
            bound("exclusiveMaximum", true, false).or_else(|| bound("maximum", false, false));
        n.min_items = uint("minItems");
        n.max_items = uint("maxItems");
        if let Some(items) = s.get("items") {
            n.items = Some(self.node(items));
        }
        if let Some(Value::Object(props)) = s.get("properties") {
            for (name, p) in props {
                let i = self.node(p);
                n.properties.push((name.clone(), i));
            }
        }
        if let Some(Value::Array(req)) = s.get("required") {
            n.required = req
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        n.strict = matches!(s.get("additionalProperties"), Some(Value::Bool(false)));
        n.if_ = s.get("if").map(|c| self.node(c));
        n.then_ = s.get("then").map(|c| self.node(c));
        n.else_ = s.get("else").map(|c| self.node(c));
        if let Some(Value::Object(deps)) = s.get("dependentSchemas") {
            for (name, d) in deps {
                let i = self.node(d);
                n.dependent_schemas.push((name.clone(), i));
            }
        }
        if let Some(Value::Object(deps)) = s.get("dependentRequired") {
            for (name, names) in deps {
                let names = names
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                n.dependent_required.push((name.clone(), names));
            }
        }
        self.nodes[id] = n;
        id
    }

    fn reference(&mut self, r: &str) -> Option<usize> {
        if r == "#" {
            return Some(0);
        }
        if let Some(&i) = self.refs.get(r) {
            return Some(i);
        }
        // One hop (a JSON pointer): the target's own `$ref`, if any, is
        // compiled as a node of its own, so chains and cycles terminate.
        let target = self.root.pointer(r.strip_prefix('#')?)?;
        // Reserve the index first, so recursive types terminate.
        let id = self.nodes.len();
        self.refs.insert(r.to_owned(), id);
        let built = self.node(target);
        debug_assert_eq!(built, id);
        Some(id)
    }
}

/// The outcome of a walk.
pub(crate) enum Walk {
    /// The root itself has the wrong type (say, an array for an object).
    RootMismatch,
    /// Violations, in request order.
    Violations(Vec<Violation>),
    /// No violation; `normalized` when a form the schema allows but serde
    /// does not (`1.0` for an integer) was rewritten.
    Clean {
        /// Whether the value was rewritten.
        normalized: bool,
    },
}

/// Walks `value` (normalizing integral floats in place) against `schema`.
pub(crate) fn walk(schema: &TypeSchema, value: &mut Node<'_>) -> Walk {
    let mut w = Walker::new(&schema.nodes, 0);
    let mut path = String::new();
    if w.nodes.is_empty() || w.node(0, value, &mut path) {
        return Walk::Clean {
            normalized: w.normalized,
        };
    }
    if w.out.iter().any(|v| v.field().is_empty()) {
        return Walk::RootMismatch;
    }
    let mut out = w.out;
    // Keywords beside each other (`allOf`, `$ref`, the rules between
    // properties) may refuse one path twice.
    first_per_path(&mut out);
    // The walk visits members in request order; only the rules between
    // properties report after them.
    if w.conditional_failed {
        sort_in_request_order(&mut out, value);
    }
    Walk::Violations(out)
}

/// Keeps one violation per path: the first rule that refused it (a
/// property's own rule comes before a rule between properties).
fn first_per_path(out: &mut Vec<Violation>) {
    if out.len() <= 16 {
        // Few violations (the usual case): no allocation.
        let mut i = 1;
        while i < out.len() {
            if out[..i].iter().any(|v| v.field() == out[i].field()) {
                out.remove(i);
            } else {
                i += 1;
            }
        }
        return;
    }
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::with_capacity(out.len());
        out.iter().map(|v| seen.insert(v.field())).collect()
    };
    let mut keep = keep.into_iter();
    out.retain(|_| keep.next().unwrap_or(true));
}

/// Sorts violations into request order: by the position of each path's
/// segments in the request; paths absent from it (`required`) after their
/// present siblings, in their original order.
pub(crate) fn sort_in_request_order(violations: &mut [Violation], request: &Node<'_>) {
    if violations.len() > 1 {
        violations.sort_by_cached_key(|v| position(request, v.field()));
    }
}

fn position(value: &Node<'_>, path: &str) -> Vec<usize> {
    let mut key = Vec::new();
    let mut cur = Some(value);
    for seg in path_segments(path) {
        let next = match (cur, seg) {
            (Some(Node::Obj(m)), Seg::Key(k)) => m
                .iter()
                .position(|(x, _)| x == k)
                .map(|i| (i, m.get(i).map(|(_, v)| v))),
            (Some(Node::Arr(a)), Seg::Index(i)) => (i < a.len()).then(|| (i, a.get(i))),
            _ => None,
        };
        match next {
            Some((i, child)) => {
                key.push(i);
                cur = child;
            }
            None => {
                key.push(usize::MAX);
                break;
            }
        }
    }
    key
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The segments of a violation path: `a.b[2].c` is `a`, `b`, 2, `c`.
fn path_segments(path: &str) -> impl Iterator<Item = Seg<'_>> {
    path.split('.').filter(|s| !s.is_empty()).flat_map(|part| {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        let key = (!name.is_empty()).then_some(Seg::Key(name));
        let indices = rest
            .split('[')
            .filter_map(|i| i.trim_end_matches(']').parse().ok())
            .map(Seg::Index)
            .collect::<Vec<_>>();
        key.into_iter().chain(indices)
    })
}

struct Walker<'a> {
    nodes: &'a [Schema],
    out: Vec<Violation>,
    depth: usize,
    normalized: bool,
    /// Inside the consequence of a rule between properties (`then`,
    /// `dependentSchemas`): there a `null` counts as not given.
    consequence: usize,
    /// Whether a rule between properties reported a violation.
    conditional_failed: bool,
}

fn push_path(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    len
}

impl<'a> Walker<'a> {
    fn new(nodes: &'a [Schema], depth: usize) -> Self {
        Walker {
            nodes,
            out: Vec::new(),
            depth,
            normalized: false,
            consequence: 0,
            conditional_failed: false,
        }
    }

    fn fail(&mut self, path: &str, code: ErrorCode) -> bool {
        let code = if self.consequence > 0 && code == ErrorCode::NULL_NOT_ALLOWED {
            ErrorCode::REQUIRED
        } else {
            code
        };
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

    fn fail_bound(&mut self, path: &str, code: ErrorCode, shown: &Shown) -> bool {
        let name = if code == ErrorCode::TOO_SMALL {
            "min"
        } else {
            "max"
        };
        self.out.push(shown.violation(path, code, name));
        false
    }

    /// Checks one node; pushes violations for `path` itself and for its
    /// children (duplicates per path are dropped at the end of the walk).
    /// Returns whether the node is valid.
    fn node(&mut self, id: usize, value: &mut Node<'_>, path: &mut String) -> bool {
        if self.depth > 64 {
            return true;
        }
        self.depth += 1;
        let ok = self.node_inner(id, value, path);
        self.depth -= 1;
        ok
    }

    fn node_inner(&mut self, id: usize, value: &mut Node<'_>, path: &mut String) -> bool {
        let nodes = self.nodes;
        let n = &nodes[id];
        if n.never {
            return self.fail(path, ErrorCode::UNKNOWN_FIELD);
        }
        // Every keyword is checked, so a value's problems are all reported:
        // its properties' and those of the rules between them.
        let mut ok = true;
        if let Some(target) = n.reference {
            ok &= self.node(target, value, path);
        }
        for &b in &n.all_of {
            ok &= self.node(b, value, path);
        }
        for branches in [&n.any_of, &n.one_of] {
            if !branches.is_empty() && !self.any_of(branches, value, path) {
                // The value is none of the branches: nothing below applies.
                return false;
            }
        }
        ok &= self.typed(n, value, path);
        ok &= self.conditions(n, value, path);
        ok
    }

    /// Whether `value` is valid for node `id`, reporting nothing and
    /// leaving `value` as it is.
    fn holds(&self, id: usize, value: &Node<'_>, path: &mut String) -> bool {
        let mut trial = value.clone();
        Walker::new(self.nodes, self.depth).node(id, &mut trial, path)
    }

    /// The rules between properties: `if`/`then`/`else`, `dependentSchemas`
    /// and `dependentRequired`.
    fn conditions(&mut self, n: &Schema, value: &mut Node<'_>, path: &mut String) -> bool {
        let ok = self.conditions_inner(n, value, path);
        self.conditional_failed |= !ok;
        ok
    }

    fn conditions_inner(&mut self, n: &Schema, value: &mut Node<'_>, path: &mut String) -> bool {
        let mut ok = true;
        if let Some(cond) = n.if_ {
            let branch = if self.holds(cond, value, path) {
                n.then_
            } else {
                n.else_
            };
            if let Some(b) = branch {
                self.consequence += 1;
                ok &= self.node(b, value, path);
                self.consequence -= 1;
            }
        }
        if n.dependent_schemas.is_empty() && n.dependent_required.is_empty() {
            return ok;
        }
        let present = |value: &Node<'_>, key: &str| matches!(value, Node::Obj(m) if m.iter().any(|(k, _)| k == key));
        for (key, id) in &n.dependent_schemas {
            if present(value, key) {
                self.consequence += 1;
                ok &= self.node(*id, value, path);
                self.consequence -= 1;
            }
        }
        for (key, names) in &n.dependent_required {
            if present(value, key) {
                for name in names.iter().filter(|name| !present(value, name)) {
                    let len = push_path(path, name);
                    ok &= self.fail(path, ErrorCode::REQUIRED);
                    path.truncate(len);
                }
            }
        }
        ok
    }

    fn any_of(&mut self, branches: &[usize], value: &mut Node<'_>, path: &mut String) -> bool {
        let nodes = self.nodes;
        let mut first_failure: Option<(Vec<Violation>, bool)> = None;
        for &b in branches {
            let mut trial = value.clone();
            let mut sub = Walker::new(nodes, self.depth);
            sub.consequence = self.consequence;
            if sub.node(b, &mut trial, path) {
                self.normalized |= sub.normalized;
                *value = trial;
                return true;
            }
            if first_failure.is_none() && !nodes[b].null_only && !value.is_null() {
                first_failure = Some((sub.out, sub.conditional_failed));
            }
        }
        if value.is_null() {
            return self.fail(path, ErrorCode::NULL_NOT_ALLOWED);
        }
        if branches.iter().all(|&b| nodes[b].enum_like) {
            return self.fail(path, ErrorCode::NOT_ONE_OF);
        }
        match first_failure {
            Some((out, conditional_failed)) => {
                self.out.extend(out);
                self.conditional_failed |= conditional_failed;
                false
            }
            None => self.fail(path, ErrorCode::INVALID_VALUE),
        }
    }

    fn typed(&mut self, n: &Schema, value: &mut Node<'_>, path: &mut String) -> bool {
        if value.is_null() {
            if n.types == 0 || n.types & NULL != 0 {
                return self.check_enum(n, value, path);
            }
            return self.fail(path, ErrorCode::NULL_NOT_ALLOWED);
        }
        if n.types != 0 {
            let matched = match value {
                Node::Bool(_) => n.types & BOOLEAN != 0,
                Node::Str(_) => n.types & STRING != 0,
                Node::Arr(_) => n.types & ARRAY != 0,
                Node::Obj(_) => n.types & OBJECT != 0,
                Node::Num(num) => {
                    if num.is_i64() || num.is_u64() {
                        n.types & (INTEGER | NUMBER) != 0
                    } else if n.types & NUMBER != 0 {
                        true
                    } else if n.types & INTEGER != 0 {
                        // JSON Schema counts 2.0 as an integer: accept it.
                        match num.as_f64() {
                            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                                *value = Node::Num((f as i64).into());
                                self.normalized = true;
                                true
                            }
                            // Integral but beyond any integer type.
                            Some(f) if f.fract() == 0.0 => {
                                let code = if f < 0.0 {
                                    ErrorCode::TOO_SMALL
                                } else {
                                    ErrorCode::TOO_LARGE
                                };
                                return self.fail_bound(path, code, &Shown::TypeLimit);
                            }
                            _ => false,
                        }
                    } else {
                        false
                    }
                }
                Node::Null => unreachable!("handled above"),
            };
            if !matched {
                let code = n.type_code.clone().unwrap_or(ErrorCode::INVALID_VALUE);
                return self.fail(path, code);
            }
        }
        if !self.check_enum(n, value, path) {
            return false;
        }
        match value {
            Node::Str(s) => self.string(n, s, path),
            Node::Num(_) => self.number(n, value, path),
            Node::Arr(items) => self.array(n, items, path),
            Node::Obj(map) => self.object(n, map, path),
            _ => true,
        }
    }

    fn check_enum(&mut self, n: &Schema, value: &Node<'_>, path: &str) -> bool {
        match &n.enum_values {
            Some(allowed) if !allowed.iter().any(|a| value.equals(a)) => {
                self.fail(path, ErrorCode::NOT_ONE_OF)
            }
            _ => true,
        }
    }

    fn string(&mut self, n: &Schema, s: &str, path: &str) -> bool {
        if n.not_blank && s.trim().is_empty() {
            let code = n.invalid_code.clone().unwrap_or(ErrorCode::BLANK);
            return self.fail(path, code);
        }
        if n.min_length.is_some() || n.max_length.is_some() {
            let len = s.chars().count() as u64;
            let refused = match (n.min_length, n.max_length) {
                (Some(min), _) if len < min => Some((ErrorCode::TOO_SHORT, min)),
                (_, Some(max)) if len > max => Some((ErrorCode::TOO_LONG, max)),
                _ => None,
            };
            if let Some((code, bound)) = refused {
                return match &n.invalid_code {
                    Some(own) => self.fail(path, own.clone()),
                    None if code == ErrorCode::TOO_SHORT => {
                        self.fail_with(path, code, "min", bound)
                    }
                    None => self.fail_with(path, code, "max", bound),
                };
            }
        }
        if let Some(re) = &n.pattern
            && !re.is_match(s)
        {
            // A pattern that refuses a blank text refuses it for being blank.
            let code = match &n.invalid_code {
                Some(code) => code.clone(),
                None if s.trim().is_empty() => ErrorCode::BLANK,
                None => ErrorCode::INVALID_FORMAT,
            };
            return self.fail(path, code);
        }
        if n.email && !validator::ValidateEmail::validate_email(&s) {
            let code = n.invalid_code.clone().unwrap_or(ErrorCode::INVALID_EMAIL);
            return self.fail(path, code);
        }
        true
    }

    fn number(&mut self, n: &Schema, value: &Node<'_>, path: &str) -> bool {
        let Node::Num(num) = value else {
            return true;
        };
        let f = num.as_f64().unwrap_or(0.0);
        if let Some(b) = &n.minimum
            && (f < b.value || (b.exclusive && f <= b.value))
        {
            return self.fail_bound(path, ErrorCode::TOO_SMALL, &b.shown);
        }
        if let Some(b) = &n.maximum
            && (f > b.value || (b.exclusive && f >= b.value))
        {
            return self.fail_bound(path, ErrorCode::TOO_LARGE, &b.shown);
        }
        if let Some((lo, hi)) = n.int_range {
            let int = num
                .as_i64()
                .map(i128::from)
                .or_else(|| num.as_u64().map(i128::from));
            match int {
                Some(i) if i < lo => {
                    let shown = Shown::integer(lo, false, Some(lo), 1);
                    return self.fail_bound(path, ErrorCode::TOO_SMALL, &shown);
                }
                Some(i) if i > hi => {
                    return self.fail_bound(path, ErrorCode::TOO_LARGE, &Shown::TypeLimit);
                }
                Some(_) => {}
                None => return self.fail(path, ErrorCode::NOT_INTEGER),
            }
        }
        true
    }

    fn array(&mut self, n: &Schema, items: &mut [Node<'_>], path: &mut String) -> bool {
        let len = items.len() as u64;
        if let Some(min) = n.min_items.filter(|m| len < *m) {
            return self.fail_with(path, ErrorCode::TOO_FEW_ITEMS, "min", min);
        }
        if let Some(max) = n.max_items.filter(|m| len > *m) {
            return self.fail_with(path, ErrorCode::TOO_MANY_ITEMS, "max", max);
        }
        let mut ok = true;
        if let Some(item) = n.items {
            for (i, v) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
                ok &= self.node(item, v, path);
                path.truncate(len);
            }
        }
        ok
    }

    fn object(
        &mut self,
        n: &Schema,
        map: &mut [(std::borrow::Cow<'_, str>, Node<'_>)],
        path: &mut String,
    ) -> bool {
        let mut ok = true;
        for (key, child) in map.iter_mut() {
            let len = push_path(path, key);
            match n.properties.iter().find(|(name, _)| name == key) {
                Some(&(_, id)) => ok &= self.node(id, child, path),
                None if n.strict => ok &= self.fail(path, ErrorCode::UNKNOWN_FIELD),
                None => {}
            }
            path.truncate(len);
        }
        for key in &n.required {
            if !map.iter().any(|(k, _)| k == key) {
                let len = push_path(path, key);
                ok &= self.fail(path, ErrorCode::REQUIRED);
                path.truncate(len);
            }
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Walks `body` against `schema`; the violations as (path, code).
    fn violations(schema: Value, body: Value) -> Vec<(String, String)> {
        let nodes = Compiler::compile(&schema);
        let schema = TypeSchema {
            value: schema,
            nodes,
            conditional: false,
        };
        match walk(&schema, &mut Node::from_value(&body)) {
            Walk::Violations(v) => v
                .iter()
                .map(|v| (v.field().to_owned(), v.code().as_str().to_owned()))
                .collect(),
            Walk::Clean { .. } => Vec::new(),
            Walk::RootMismatch => vec![(String::new(), "root".to_owned())],
        }
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
            .collect()
    }

    /// `a` given (a non-empty string) requires `b`.
    fn names() -> Value {
        let given = |n: &str| json!({"required": [n], "properties": {n: {"type": "string", "minLength": 1}}});
        let needed = |n: &str| json!({"required": [n], "properties": {n: {"type": "string", "minLength": 1, "x-invalid-code": "required"}}});
        json!({
            "type": "object",
            "properties": {
                "first": {"type": ["string", "null"], "maxLength": 3},
                "last": {"type": ["string", "null"], "maxLength": 3},
                "password": {"type": "string", "minLength": 8},
            },
            "allOf": [
                {"if": given("first"), "then": needed("last")},
                {"if": given("last"), "then": needed("first")},
            ],
        })
    }

    #[test]
    fn a_rule_between_properties_is_reported_with_their_own_rules() {
        assert_eq!(
            violations(names(), json!({"first": "Kim", "password": "short"})),
            pairs(&[("password", "too_short"), ("last", "required")])
        );
        assert_eq!(
            violations(names(), json!({"password": 5, "first": "Kim"})),
            pairs(&[("password", "not_string"), ("last", "required")])
        );
    }

    #[test]
    fn in_a_consequence_null_and_empty_count_as_not_given() {
        assert_eq!(
            violations(names(), json!({"first": "Kim", "last": null})),
            pairs(&[("last", "required")])
        );
        assert_eq!(
            violations(names(), json!({"last": "", "first": "Kim"})),
            pairs(&[("last", "required")])
        );
        // The condition does not hold: no consequence.
        assert!(violations(names(), json!({"first": "", "last": null})).is_empty());
        assert!(violations(names(), json!({"first": "Kim", "last": "Lee"})).is_empty());
    }

    #[test]
    fn a_property_s_own_rule_wins_over_a_consequence_on_the_same_path() {
        // `last` is too long (its own rule) and given, so the rule holds.
        assert_eq!(
            violations(names(), json!({"first": "Kim", "last": "Lovelace"})),
            pairs(&[("last", "too_long")])
        );
        // Wrong type: reported once, with the property's code.
        assert_eq!(
            violations(names(), json!({"first": "Kim", "last": 7})),
            pairs(&[("last", "not_string")])
        );
    }

    #[test]
    fn else_dependent_schemas_and_dependent_required() {
        let schema = json!({
            "type": "object",
            "properties": {
                "role": {"enum": ["instructor", "participant"]},
                "company": {"type": "string"},
                "year": {"type": "integer"},
                "card": {"type": "string"},
                "cvc": {"type": "string"},
            },
            "if": {"properties": {"role": {"const": "instructor"}}, "required": ["role"]},
            "then": {"required": ["company"]},
            "else": {"properties": {"company": false}},
            "dependentSchemas": {"year": {"required": ["company"]}},
            "dependentRequired": {"card": ["cvc"]},
        });
        assert_eq!(
            violations(schema.clone(), json!({"role": "instructor"})),
            pairs(&[("company", "required")])
        );
        assert_eq!(
            violations(
                schema.clone(),
                json!({"role": "participant", "company": "x"})
            ),
            pairs(&[("company", "unknown_field")])
        );
        assert_eq!(
            violations(
                schema.clone(),
                json!({"year": 3, "card": "4242", "role": "participant"})
            ),
            pairs(&[("company", "required"), ("cvc", "required")])
        );
        assert!(violations(schema, json!({"role": "participant"})).is_empty());
    }

    #[test]
    fn violations_come_in_request_order_with_absent_paths_after_their_siblings() {
        let schema = json!({
            "type": "object",
            "properties": {
                "a": {"type": "integer"},
                "inner": {
                    "type": "object",
                    "properties": {"x": {"type": "string"}, "y": {"type": "string"}},
                    "required": ["y"],
                },
                "z": {"type": "boolean"},
            },
            "required": ["a", "z"],
        });
        assert_eq!(
            violations(schema, json!({"inner": {"x": 1}, "z": "no"})),
            pairs(&[
                ("inner.x", "not_string"),
                ("inner.y", "required"),
                ("z", "not_boolean"),
                ("a", "required"),
            ])
        );
    }

    #[test]
    fn a_type_with_rules_between_properties_is_marked_conditional() {
        #[derive(schemars::JsonSchema)]
        #[schemars(transform = both)]
        #[allow(dead_code)]
        struct Body {
            first: Option<String>,
            last: Option<String>,
        }
        fn both(schema: &mut schemars::Schema) {
            schema.insert("dependentRequired".into(), json!({"first": ["last"]}));
        }
        #[derive(schemars::JsonSchema)]
        #[allow(dead_code)]
        struct Plain {
            first: Option<String>,
        }
        assert!(schema_of::<Body>().conditional());
        assert!(!schema_of::<Plain>().conditional());
    }
}
