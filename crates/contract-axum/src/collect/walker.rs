//! The walk of a request against the compiled schema: every violation, each
//! with its field path and code.

use super::*;

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

pub(super) struct Walker<'a> {
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
