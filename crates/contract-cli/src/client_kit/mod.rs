//! `contract client-kit`: what a client team would otherwise write by hand
//! for every operation, generated from the spec. Per language (TypeScript,
//! Kotlin, Swift, Dart): the envelope (`ApiError`, `FieldViolation`), a
//! decoder from the raw error body the language's usual HTTP stack hands
//! over, and for each operation the closed set of codes it can answer
//! (`x-error-codes`) plus an unknown case, so an app switches on them with
//! the compiler checking every branch and still survives a code added later.

mod catalogs;
mod dart;
mod kotlin;
mod patch;
mod swift;
mod typescript;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use contract_core::keyword;
use serde_json::Value;

use contract_openapi::document::Spec;

/// One operation's error codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationCodes {
    /// The `operationId` (or `method_path` where there is none).
    pub id: String,
    /// `POST /api/v1/seminar/`.
    pub label: String,
    /// Every code it can answer, with its status, in status order.
    pub codes: Vec<(String, String)>,
}

impl OperationCodes {
    /// The codes, each once, in the order they are first declared.
    pub fn distinct_codes(&self) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.codes
            .iter()
            .map(|(_, c)| c.as_str())
            .filter(|c| seen.insert(*c))
            .collect()
    }
}

/// What a kit is made from: each operation's codes, read from the spec.
///
/// # Errors
/// A code that is not a snake-case identifier (`^[a-z][a-z0-9_]*$`), named
/// with its operation: it could not be a constant in every language.
pub fn operation_codes(doc: &Value) -> Result<Vec<OperationCodes>, String> {
    let spec = Spec::new(doc);
    let mut out = Vec::new();
    for op in spec.operations() {
        let id = op
            .op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                format!("{}_{}", op.method, op.path)
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect::<String>()
                    .trim_matches('_')
                    .replace("__", "_")
            });
        let mut codes = Vec::new();
        for (status, response) in op.responses(spec) {
            for code in response
                .get(keyword::ERROR_CODES)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let ok = code.starts_with(|c: char| c.is_ascii_lowercase())
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    return Err(format!(
                        "{}: response {status}: the code `{code}` is not snake case",
                        op.label()
                    ));
                }
                codes.push((status.to_owned(), code.to_owned()));
            }
        }
        codes.sort();
        codes.dedup();
        out.push(OperationCodes {
            id,
            label: op.label(),
            codes,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The kit's files for `doc`, as (path in the output directory, text):
/// the code types of each language, and the message catalogs of the
/// built-in messages with `messages`' `.ftl` files on top.
///
/// # Errors
/// See [`operation_codes`]; and a declared code with no message in a
/// locale, or app messages that fail `contract messages check`.
pub fn client_kit(doc: &Value, messages: Option<&Path>) -> Result<Vec<(PathBuf, String)>, String> {
    let ops = operation_codes(doc)?;
    let patches = patch::patch_bodies(doc);
    let title = doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("the API");
    Ok([
        ("typescript/errors.ts".into(), typescript::file(title, &ops)),
        (
            "kotlin/ApiErrors.kt".into(),
            kotlin::file(title, &ops, &patches),
        ),
        (
            "swift/ApiErrors.swift".into(),
            swift::file(title, &ops, &patches),
        ),
        (
            "dart/api_errors.dart".into(),
            dart::file(title, &ops, &patches),
        ),
    ]
    .into_iter()
    .chain(catalogs::files(doc, messages)?)
    .collect())
}

/// Writes the kit for `doc` under `dir`; returns the files written.
///
/// # Errors
/// A spec the kit cannot be made from, or a file that cannot be written.
pub fn write_client_kit(
    doc: &Value,
    messages: Option<&Path>,
    dir: &Path,
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (rel, text) in client_kit(doc, messages)? {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `create_seminar` → `CreateSeminar`.
pub(crate) fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `create_seminar` → `createSeminar`.
pub(crate) fn camel(snake: &str) -> String {
    let p = pascal(snake);
    let mut c = p.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The first line of every generated file.
pub(crate) fn banner(comment: &str, title: &str) -> String {
    format!(
        "{comment} Generated by `contract client-kit` from the OpenAPI document of {title}. Do not edit.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal("create_seminar"), "CreateSeminar");
        assert_eq!(camel("malformed_body"), "malformedBody");
    }
}
