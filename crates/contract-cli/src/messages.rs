//! `contract messages check`: an app's `.ftl` files, on top of the built-in
//! catalog, against the codes its spec declares.

use std::fmt;
use std::path::Path;

use contract_core::{Catalog, CatalogError, CodeKind, MessageProblem};
use serde_json::Value;

/// What [`check_messages`] found.
#[derive(Debug)]
#[non_exhaustive]
pub struct MessagesReport {
    /// Files that do not load (Fluent syntax, a name that is not a locale).
    pub load_errors: Vec<CatalogError>,
    /// Messages missing, over budget, broken or unused.
    pub problems: Vec<MessageProblem>,
    /// The locales checked.
    pub locales: Vec<String>,
    /// How many message ids every locale must have.
    pub ids: usize,
}

impl MessagesReport {
    /// No problem found.
    pub fn is_clean(&self) -> bool {
        self.load_errors.is_empty() && self.problems.is_empty()
    }
}

impl fmt::Display for MessagesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.load_errors {
            writeln!(f, "error: {e}")?;
        }
        for p in &self.problems {
            writeln!(f, "error: {p}")?;
        }
        if self.is_clean() {
            writeln!(
                f,
                "ok: {} messages in {} locales ({}) are there, used, within budget, exact and plain",
                self.ids,
                self.locales.len(),
                self.locales.join(", ")
            )
        } else {
            writeln!(
                f,
                "{} problem(s)",
                self.load_errors.len() + self.problems.len()
            )
        }
    }
}

/// Every top-level code the spec lists under `x-error-codes`, anywhere.
pub fn declared_codes(spec: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == contract_core::keyword::ERROR_CODES {
                        for code in v.as_array().into_iter().flatten() {
                            if let Some(code) = code.as_str()
                                && !out.iter().any(|c| c == code)
                            {
                                out.push(code.to_owned());
                            }
                        }
                    } else {
                        walk(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(spec, &mut out);
    out
}

/// The lengths and item counts (`minLength`, `maxItems`…) and the numeric
/// bounds (`minimum`, `exclusiveMaximum`…) a spec declares: what its
/// messages can show. An integer's exclusive bound is shown as the next
/// allowed value, so both are kept.
fn declared_values(spec: &Value) -> (Vec<u64>, Vec<String>) {
    fn walk(v: &Value, counts: &mut Vec<u64>, bounds: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("minLength" | "maxLength" | "minItems" | "maxItems", Value::Number(n)) => {
                            counts.extend(n.as_u64());
                        }
                        ("minimum" | "maximum", Value::Number(n)) => bounds.push(n.to_string()),
                        ("exclusiveMinimum" | "exclusiveMaximum", Value::Number(n)) => {
                            bounds.push(n.to_string());
                            if let Some(i) = n.as_i64() {
                                bounds.extend(
                                    [i.saturating_add(1), i.saturating_sub(1)]
                                        .map(|i| i.to_string()),
                                );
                            }
                        }
                        _ => walk(v, counts, bounds),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, counts, bounds)),
            _ => {}
        }
    }
    let (mut counts, mut bounds) = (Vec::new(), Vec::new());
    walk(spec, &mut counts, &mut bounds);
    counts.sort_unstable();
    counts.dedup();
    bounds.sort();
    bounds.dedup();
    (counts, bounds)
}

/// The built-in catalog with the `.ftl` files of `dir` on top (each named
/// after its locale), and the files that did not load.
///
/// # Errors
/// When `dir` or a file in it cannot be read.
pub(crate) fn load(dir: &Path) -> Result<(Catalog, Vec<CatalogError>), String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    let mut catalog = Catalog::new();
    let mut load_errors = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        match catalog.clone().with_ftl(&path.display().to_string(), &text) {
            Ok(next) => catalog = next,
            Err(e) => load_errors.push(e),
        }
    }
    Ok((catalog, load_errors))
}

/// Checks the `.ftl` files of `dir` (each named after its locale) on top of
/// the built-in catalog: every file loads; every locale has a message for
/// every built-in code and every code `spec` declares, within its budget in
/// display columns, with every value its numbers can receive (the spec's
/// own lengths and bounds too), exact, and in no jargon; every message the files define is used.
///
/// # Errors
/// When `dir` cannot be read.
pub fn check_messages(dir: &Path, spec: &Value) -> Result<MessagesReport, String> {
    let (catalog, load_errors) = load(dir)?;
    let codes = declared_codes(spec);
    // The budget is the same for every status: any error status will do.
    let top = CodeKind::Top(http::StatusCode::BAD_REQUEST);
    let used: Vec<(&str, CodeKind)> = codes.iter().map(|c| (c.as_str(), top)).collect();
    let (counts, bounds) = declared_values(spec);
    let bounds: Vec<&str> = bounds.iter().map(String::as_str).collect();
    let problems = catalog.check_with_values(&used, &counts, &bounds);
    let ids = contract_core::builtin_codes().len()
        + 2
        + codes
            .iter()
            .filter(|c| {
                !contract_core::builtin_codes()
                    .iter()
                    .any(|i| i.code.as_str() == c.as_str())
            })
            .count();
    Ok(MessagesReport {
        load_errors,
        problems,
        locales: catalog.locales().iter().map(ToString::to_string).collect(),
        ids,
    })
}
