//! Comparing two schemas: types, nullability, enums, bounds and
//! properties, each change with its rule id and severity.

use super::*;

/// A length, size or bound keyword: the rule-id stem and which way tightens.
const BOUNDS: [(&str, &str, Bound); 6] = [
    ("maxLength", "max-length", Bound::Max),
    ("minLength", "min-length", Bound::Min),
    ("maximum", "max", Bound::Max),
    ("minimum", "min", Bound::Min),
    ("maxItems", "max-items", Bound::Max),
    ("minItems", "min-items", Bound::Min),
];

/// `keyword`'s value in `schema`, or the one its integer `format` implies.
fn effective_bound(schema: &Value, keyword: &str) -> Option<f64> {
    let stated = schema.get(keyword).and_then(Value::as_f64);
    let implied = || {
        let integer = type_formats(schema).iter().any(|(t, _)| t == "integer");
        let (min, max) = match schema.get("format").and_then(Value::as_str)? {
            "int8" => (i8::MIN as f64, i8::MAX as f64),
            "int16" => (i16::MIN as f64, i16::MAX as f64),
            "int32" => (i32::MIN as f64, i32::MAX as f64),
            "int64" => (i64::MIN as f64, i64::MAX as f64),
            "uint8" => (0.0, u8::MAX as f64),
            "uint16" => (0.0, u16::MAX as f64),
            "uint32" => (0.0, u32::MAX as f64),
            "uint64" | "uint" => (0.0, u64::MAX as f64),
            _ => return None,
        };
        match keyword {
            "minimum" if integer => Some(min),
            "maximum" if integer => Some(max),
            _ => None,
        }
    };
    stated.or_else(implied)
}

/// An object schema by its property names, `object{code,message}`: two
/// objects with other properties are other shapes.
fn object_kind(schema: &Value) -> Option<String> {
    let props = schema.get("properties")?.as_object()?;
    let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
    names.sort_unstable();
    Some(format!("object{{{}}}", names.join(",")))
}

/// What kind of value a schema describes, for shape changes: the sorted,
/// distinct kinds of its union's branches (a component by name, an inline
/// schema by type; a constant or enum as its type) together with the
/// alternates the server also accepts (`x-contract-also-accepts`). `None`
/// for a single type, which `types` compares.
fn kind(spec: Spec<'_>, schema: &Value) -> Option<String> {
    let shaped = shape(spec, schema);
    let s = shaped.schema;
    let of = |b: &Value| -> String {
        match b.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let target = shape(spec, b).schema;
                let enum_like = target.get("enum").is_some()
                    || target
                        .get("oneOf")
                        .and_then(Value::as_array)
                        .is_some_and(|bs| {
                            bs.iter()
                                .all(|x| x.get("const").is_some() || x.get("enum").is_some())
                        });
                if enum_like {
                    "string".into()
                } else {
                    ref_display_name(r)
                }
            }
            None => object_kind(b).unwrap_or_else(|| describe(b)),
        }
    };
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    let mut union = false;
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = s.get(key).and_then(Value::as_array) {
            union = true;
            kinds.extend(
                branches
                    .iter()
                    .filter(|b| !crate::document::is_null_schema(b))
                    .map(|b| {
                        let k = of(b);
                        if b.get("const").is_some() || b.get("enum").is_some() {
                            k.split('(').next().unwrap_or(&k).to_owned()
                        } else {
                            k
                        }
                    }),
            );
        }
    }
    if !union {
        // One object is one shape whatever its properties (they are
        // compared one by one); only a union's branches go by theirs.
        if s.get("properties").is_some() {
            kinds.insert("object".into());
        } else {
            kinds.extend(
                type_formats(s)
                    .into_iter()
                    .filter(|(t, _)| t != "null")
                    .map(|(t, _)| t),
            );
        }
    }
    if let Some(also) = s
        .get(contract_core::keyword::ALSO_ACCEPTS)
        .and_then(Value::as_array)
    {
        kinds.extend(also.iter().map(of));
    }
    let scalar = |k: &String| {
        matches!(
            k.split('(').next().unwrap_or(k),
            "string" | "integer" | "number" | "boolean"
        )
    };
    match kinds.len() {
        0 => None,
        1 if kinds.iter().all(scalar) => None,
        1 if !union => kinds.pop_first(),
        _ => Some(format!(
            "one of {}",
            kinds.into_iter().collect::<Vec<_>>().join(", ")
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Max,
    Min,
}

impl<'a> Differ<'a> {
    /// Compares two schemas at `at`; `stack` holds the reference pairs being
    /// compared further up, so recursive schemas end.
    pub(super) fn schema(
        &mut self,
        at: &At,
        old: &'a Value,
        new: &'a Value,
        stack: &mut Vec<(&'a str, &'a str)>,
    ) {
        let os = shape(self.old, old);
        let ns = shape(self.new, new);
        let pair = (
            os.refs.last().copied().unwrap_or(""),
            ns.refs.last().copied().unwrap_or(""),
        );
        let has_refs = pair != ("", "");
        if has_refs && stack.contains(&pair) {
            return;
        }
        if has_refs {
            stack.push(pair);
        }

        self.nullability(at, os.nullable, ns.nullable);
        if self.shape_changed(at, old, new) {
            if has_refs {
                stack.pop();
            }
            return;
        }
        self.types(at, os.schema, ns.schema);
        self.enums(at, os.schema, ns.schema);
        self.bounds(at, os.schema, ns.schema);
        if !at.shallow {
            self.properties(at, os.schema, ns.schema, stack);
            if let (Some(o), Some(n)) = (os.schema.get("items"), ns.schema.get("items")) {
                let path = if at.depth == 0 && at.path.ends_with("[]") {
                    at.path.clone()
                } else {
                    format!("{}[]", at.path)
                };
                self.schema(&at.child(path), o, n, stack);
            }
            if let (Some(o @ Value::Object(_)), Some(n @ Value::Object(_))) = (
                os.schema.get("additionalProperties"),
                ns.schema.get("additionalProperties"),
            ) {
                self.schema(&at.child(format!("{}{{}}", at.path)), o, n, stack);
            }
        }

        if has_refs {
            stack.pop();
        }
    }

    fn nullability(&mut self, at: &At, old: bool, new: bool) {
        let (dir, subject) = (at.dir.as_str(), at.subject());
        let finding = match (at.dir, old, new) {
            (Dir::Request, true, false) => Some((
                Severity::Error,
                "became-not-nullable",
                "no longer accepts null; clients that send null are rejected",
            )),
            (Dir::Request, false, true) => {
                Some((Severity::Info, "became-nullable", "now accepts null"))
            }
            (Dir::Response, false, true) => Some((
                Severity::Error,
                "became-nullable",
                "may now be null; generated clients typed it as non-null",
            )),
            (Dir::Response, true, false) => {
                Some((Severity::Info, "became-not-nullable", "is no longer null"))
            }
            _ => None,
        };
        if let Some((severity, change, message)) = finding {
            self.push(
                severity,
                format!("{dir}-{subject}-{change}"),
                &at.order,
                at.location(),
                message,
            );
        }
    }

    /// A union that became another union, an object or a typed value (or
    /// the other way round): the body has another shape, and generated
    /// clients another type. Reported once, instead of per keyword.
    fn shape_changed(&mut self, at: &At, old: &Value, new: &Value) -> bool {
        let (o, n) = (kind(self.old, old), kind(self.new, new));
        if o == n || (o.is_none() && n.is_none()) {
            return false;
        }
        let show = |k: Option<String>, side: &Value, spec: Spec<'_>| {
            k.unwrap_or_else(|| describe(shape(spec, side).schema))
        };

        // The kinds on each side: a union's branches, or the one kind.
        let members = |k: &Option<String>, side: &Value, spec: Spec<'_>| -> BTreeSet<String> {
            match k {
                Some(k) => k
                    .strip_prefix("one of ")
                    .unwrap_or(k)
                    .split(", ")
                    .map(str::to_owned)
                    .collect(),
                None => type_formats(shape(spec, side).schema)
                    .into_iter()
                    .filter(|(t, _)| t != "null")
                    .map(|(t, _)| t)
                    .collect(),
            }
        };
        let (om, nm) = (members(&o, old, self.old), members(&n, new, self.new));
        let change = format!(
            "changed shape from {} to {}",
            show(o, old, self.old),
            show(n, new, self.new)
        );
        self.type_change(at, change, om.is_subset(&nm), nm.is_subset(&om));
        true
    }

    fn types(&mut self, at: &At, old: &Value, new: &Value) {
        let (o, n) = (type_formats(old), type_formats(new));
        if o.is_empty() || n.is_empty() || o == n {
            return;
        }
        // An integer format alone changed: the values allowed are the
        // effective bounds, which `bounds` compares.
        let names = |ts: &[(String, Option<String>)]| -> Vec<String> {
            ts.iter().map(|(t, _)| t.clone()).collect()
        };
        if names(&o) == names(&n) && o.iter().all(|(t, _)| t == "integer" || t == "null") {
            return;
        }
        let show = |types: &[(String, Option<String>)]| -> String {
            types
                .iter()
                .map(|(t, f)| match f {
                    Some(f) => format!("{t}({f})"),
                    None => t.clone(),
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        let change = format!("type changed from {} to {}", show(&o), show(&n));
        self.type_change(at, change, accepts_all(&n, &o), accepts_all(&o, &n));
    }

    /// Reports a change of type or shape: breaking unless every value
    /// accepted before still is (requests, `widened`) or every value sent
    /// still fits the old type (responses, `narrowed`).
    fn type_change(&mut self, at: &At, change: String, widened: bool, narrowed: bool) {
        let (severity, rule, message) = match at.dir {
            Dir::Request if widened => (
                Severity::Info,
                "type-generalized",
                format!("{change}; every value accepted before still is"),
            ),
            Dir::Request => (
                Severity::Error,
                "type-changed",
                format!("{change}; values clients send may be rejected"),
            ),
            Dir::Response if narrowed => (
                Severity::Info,
                "type-specialized",
                format!("{change}; every value sent still fits the old type"),
            ),
            Dir::Response => (
                Severity::Error,
                "type-changed",
                format!("{change}; clients may fail to decode it"),
            ),
        };
        self.push(
            severity,
            format!("{}-{}-{rule}", at.dir.as_str(), at.subject()),
            &at.order,
            at.location(),
            message,
        );
    }

    fn enums(&mut self, at: &At, old: &Value, new: &Value) {
        // `enum`, or a union of constants (the same set of values).
        let values = |schema: &Value| -> Option<Vec<Value>> {
            if let Some(list) = schema.get("enum").and_then(Value::as_array) {
                return Some(list.iter().filter(|v| !v.is_null()).cloned().collect());
            }
            let branches = ["oneOf", "anyOf"]
                .iter()
                .find_map(|k| schema.get(*k).and_then(Value::as_array))?;
            let mut out = Vec::new();
            for b in branches
                .iter()
                .filter(|b| !crate::document::is_null_schema(b))
            {
                match (b.get("const"), b.get("enum").and_then(Value::as_array)) {
                    (Some(c), _) => out.push(c.clone()),
                    (None, Some(list)) => out.extend(list.iter().filter(|v| !v.is_null()).cloned()),
                    (None, None) => return None,
                }
            }
            Some(out)
        };
        let (dir, subject) = (at.dir.as_str(), at.subject());
        match (values(old), values(new)) {
            (Some(o), Some(n)) => {
                for value in o.iter().filter(|v| !n.contains(v)) {
                    let shown = display_value(value);
                    let (severity, message) = match at.dir {
                        Dir::Request => (
                            Severity::Error,
                            format!(
                                "enum value {shown} removed; clients that send it are rejected"
                            ),
                        ),
                        Dir::Response => (Severity::Info, format!("enum value {shown} removed")),
                    };
                    self.push(
                        severity,
                        format!("{dir}-{subject}-enum-value-removed"),
                        &at.order,
                        at.location(),
                        message,
                    );
                }
                for value in n.iter().filter(|v| !o.contains(v)) {
                    let shown = display_value(value);
                    let (severity, message) = match at.dir {
                        Dir::Request => (Severity::Info, format!("enum value {shown} added")),
                        Dir::Response => (
                            Severity::Error,
                            format!(
                                "enum value {shown} added; generated clients fail on values they do not know"
                            ),
                        ),
                    };
                    self.push(
                        severity,
                        format!("{dir}-{subject}-enum-value-added"),
                        &at.order,
                        at.location(),
                        message,
                    );
                }
            }
            (None, Some(_)) if at.dir == Dir::Request => self.push(
                Severity::Error,
                format!("request-{subject}-became-enum"),
                &at.order,
                at.location(),
                "restricted to a list of enum values; other values are rejected",
            ),
            (Some(_), None) if at.dir == Dir::Response => self.push(
                Severity::Error,
                format!("response-{subject}-enum-removed"),
                &at.order,
                at.location(),
                "no longer an enum; generated clients fail on values they do not know",
            ),
            _ => {}
        }
    }

    fn bounds(&mut self, at: &At, old: &Value, new: &Value) {
        let (dir, subject) = (at.dir.as_str(), at.subject());
        for (keyword, stem, bound) in BOUNDS {
            // The bound a value can have at all: stated, or implied by the
            // integer format (an i32 never exceeds 2^31 - 1, said or not).
            let o = effective_bound(old, keyword);
            let n = effective_bound(new, keyword);
            let shown = |v: Option<f64>| match v {
                Some(v) => v.to_string(),
                None => "none".to_owned(),
            };
            // (change, tightened)
            let change = match (bound, o, n) {
                (_, None, None) => continue,
                (_, None, Some(_)) => ("set", true),
                (_, Some(_), None) => ("unset", false),
                (_, Some(a), Some(b)) if a == b => continue,
                (Bound::Max, Some(a), Some(b)) => {
                    if b < a {
                        ("decreased", true)
                    } else {
                        ("increased", false)
                    }
                }
                (Bound::Min, Some(a), Some(b)) => {
                    if b > a {
                        ("increased", true)
                    } else {
                        ("decreased", false)
                    }
                }
            };
            let (name, tightened) = change;
            let (severity, why) = match (at.dir, tightened) {
                (Dir::Request, true) => (Severity::Error, "; values accepted before are rejected"),
                (Dir::Request, false) => (Severity::Info, ""),
                (Dir::Response, false) => (
                    Severity::Warning,
                    "; clients may receive values they did not expect",
                ),
                (Dir::Response, true) => (Severity::Info, ""),
            };
            self.push(
                severity,
                format!("{dir}-{subject}-{stem}-{name}"),
                &at.order,
                at.location(),
                format!("`{keyword}` changed from {} to {}{why}", shown(o), shown(n)),
            );
        }
    }

    fn properties(
        &mut self,
        at: &At,
        old: &'a Value,
        new: &'a Value,
        stack: &mut Vec<(&'a str, &'a str)>,
    ) {
        let (Some(ov), Some(nv)) = (object_view(self.old, old), object_view(self.new, new)) else {
            return;
        };
        // readOnly properties never travel in requests, writeOnly never in
        // responses.
        let hidden = match at.dir {
            Dir::Request => "readOnly",
            Dir::Response => "writeOnly",
        };
        let child_path = |name: &str| {
            if at.path.is_empty() {
                name.to_owned()
            } else {
                format!("{}.{name}", at.path)
            }
        };
        for op in &ov.properties {
            if is_true(op.schema, hidden) {
                continue;
            }
            let child = at.child(child_path(op.name));
            let was_required = ov.is_required(op.name);
            let Some(np) = nv.get(op.name) else {
                let deprecated = is_true(op.schema, "deprecated");
                let (severity, rule, message) = match (at.dir, was_required) {
                    (Dir::Response, true) if deprecated => (
                        Severity::Info,
                        "response-required-property-removed",
                        "a deprecated property was removed",
                    ),
                    (Dir::Request, _) => (
                        Severity::Warning,
                        "request-property-removed",
                        "the property was removed; clients that still send it may be rejected",
                    ),
                    (Dir::Response, true) => (
                        Severity::Error,
                        "response-required-property-removed",
                        "a required property was removed; clients expect it",
                    ),
                    (Dir::Response, false) => (
                        Severity::Info,
                        "response-optional-property-removed",
                        "an optional property was removed",
                    ),
                };
                self.push(severity, rule, &at.order, child.location(), message);
                continue;
            };
            let is_required = nv.is_required(op.name);
            let finding = match (at.dir, was_required, is_required) {
                (Dir::Request, false, true) => Some((
                    Severity::Error,
                    "request-property-became-required",
                    "the property became required; clients that omit it are rejected",
                )),
                (Dir::Request, true, false) => Some((
                    Severity::Info,
                    "request-property-became-optional",
                    "the property became optional",
                )),
                (Dir::Response, true, false) => Some((
                    Severity::Error,
                    "response-property-became-optional",
                    "the property may now be absent; generated clients typed it as always present",
                )),
                (Dir::Response, false, true) => Some((
                    Severity::Info,
                    "response-property-became-required",
                    "the property is now always present",
                )),
                _ => None,
            };
            if let Some((severity, rule, message)) = finding {
                self.push(severity, rule, &at.order, child.location(), message);
            }
            self.schema(&child, op.schema, np.schema, stack);
        }
        for np in &nv.properties {
            if is_true(np.schema, hidden) || ov.get(np.name).is_some() {
                continue;
            }
            let child = at.child(child_path(np.name));
            let (severity, rule, message) = match (at.dir, nv.is_required(np.name)) {
                (Dir::Request, true) => (
                    Severity::Error,
                    "new-required-request-property",
                    "a new required property; existing clients do not send it",
                ),
                (Dir::Request, false) => (
                    Severity::Info,
                    "new-optional-request-property",
                    "a new optional property",
                ),
                (Dir::Response, true) => (
                    Severity::Info,
                    "response-required-property-added",
                    "a new property, always present",
                ),
                (Dir::Response, false) => (
                    Severity::Info,
                    "response-optional-property-added",
                    "a new property, sometimes absent",
                ),
            };
            self.push(severity, rule, &at.order, child.location(), message);
        }
    }
}
