//! Compiling a type's JSON Schema, once, into a flat tree of nodes with
//! `$ref`s resolved: what the walker reads.

use super::*;

pub(super) struct Compiler<'a> {
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

/// The bit of a JSON Schema `type` name.
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
    pub(super) fn compile(root: &'a Value) -> Vec<Schema> {
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
            .and_then(|c| ErrorCode::interned(c).ok());
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
