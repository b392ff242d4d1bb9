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

mod compile;
mod facts;
mod walker;

use compile::Compiler;
pub(crate) use facts::{is_object, property_schema, schema_types};
pub(crate) use walker::walk;

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

/// Compiled schemas by type.
type Cache = RwLock<HashMap<TypeId, Arc<TypeSchema>, BuildHasherDefault<TypeIdHasher>>>;

/// `cache`'s schema for `id`, made and compiled on first use.
fn cached(cache: &Cache, id: TypeId, make: impl FnOnce() -> Value) -> Arc<TypeSchema> {
    if let Some(s) = cache.read().expect("not poisoned").get(&id) {
        return s.clone();
    }
    let schema = Arc::new(TypeSchema::compile(make()));
    cache
        .write()
        .expect("not poisoned")
        .entry(id)
        .or_insert(schema)
        .clone()
}

/// The deserialize-contract schema of `T`, generated and compiled once per
/// type.
pub(crate) fn schema_of<T: JsonSchema + 'static>() -> Arc<TypeSchema> {
    static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
    cached(&CACHE, TypeId::of::<T>(), || {
        schemars::generate::SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value()
    })
}

/// The schema of parameters taken by position (`T` a scalar, or a tuple
/// whose items are the route's parameters in order), as an object whose
/// properties are the positions `"0"`, `"1"`...: so one walk decides
/// positional parameters as it does named ones. Compiled once per type;
/// asked only on the error path.
pub(crate) fn positional_schema_of<T: JsonSchema + 'static>() -> Arc<TypeSchema> {
    static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
    cached(&CACHE, TypeId::of::<T>(), || {
        let mut root = schema_of::<T>().value.clone();
        let defs = root.as_object_mut().and_then(|o| o.remove("$defs"));
        let positions = match root.get_mut("prefixItems").map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => vec![root],
        };
        let mut object = serde_json::json!({
            "type": "object",
            "properties": positions
                .into_iter()
                .enumerate()
                .map(|(i, schema)| (i.to_string(), schema))
                .collect::<serde_json::Map<_, _>>(),
        });
        if let Some(defs) = defs {
            object["$defs"] = defs;
        }
        object
    })
}

/// The violation `value` of the field `path` gets from the rule `rule` (a
/// schema of the keywords the rule is published as), as the walk reports
/// it: so a rule stated outside the schema (a `validator` report) is named
/// by the same table as the schema's own. `None` for a value the rule
/// takes (or `value` absent with no `required` rule).
pub(crate) fn judge(
    path: &str,
    rule: Value,
    value: Option<&Value>,
    required: bool,
) -> Option<Violation> {
    let mut object = serde_json::json!({ "type": "object", "properties": { "v": rule } });
    if required {
        object["required"] = serde_json::json!(["v"]);
    }
    let holder = Value::Object(
        value
            .map(|v| ("v".to_owned(), v.clone()))
            .into_iter()
            .collect(),
    );
    match walk(&TypeSchema::compile(object), &mut Node::from_value(&holder)) {
        Walk::Violations(found) => found.into_iter().next().map(|mut v| {
            v.set_field(path.to_owned());
            v
        }),
        _ => None,
    }
}

impl TypeSchema {
    fn compile(value: Value) -> Self {
        let nodes = Compiler::compile(&value);
        let conditional = nodes.iter().any(|n| {
            n.if_.is_some() || !n.dependent_schemas.is_empty() || !n.dependent_required.is_empty()
        });
        TypeSchema {
            value,
            nodes,
            conditional,
        }
    }
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
        param_rules: facts::param_rules(&schema),
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

/// The range of the integer formats schemars emits.
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
