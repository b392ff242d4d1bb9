//! The `contract` command: keep a committed OpenAPI 3.1 document honest for
//! the client teams that generate code from it.
//!
//! - [`check`]: does the committed document still match what the app
//!   generates? (`contract check COMMITTED GENERATED`)
//! - [`lint`]: each property's class (`required`, `required-nullable`,
//!   `optional`, `optional-nullable`, `tri-state`) and the nullability policy.
//!   (`contract lint SPEC`)
//! - [`diff`]: what a change does to clients written against the old
//!   document, with oasdiff's rule ids. (`contract diff OLD NEW`) The ids
//!   are those of oasdiff v1.28.0 (its `checker/localizations_src/en/
//!   messages.yaml`) wherever oasdiff has the rule: the endpoint, status,
//!   parameter, request-body and property rules, `…-became-nullable`,
//!   `…-type-changed`/`-generalized`/`-specialized`, `…-enum-value-added`/
//!   `-removed`, `…-became-enum` and the `…-max-length-`/`-min-`/`-max-items-`
//!   bounds. contract's own, where oasdiff has none: `error-code-added`,
//!   `error-code-removed` (the envelope's `x-error-codes`), the
//!   `…-media-type-added`/`-removed` of a body, and the few directions of a
//!   rule oasdiff does not report (a response's bound tightened, say).
//! - [`check_messages`]: the app's `.ftl` files on top of the built-in
//!   catalog: every locale has every declared code, within its budget in
//!   display columns, and no message is unused.
//!   (`contract messages check DIR SPEC`)
//!
//! The binary is [`run`] and nothing else; it exits 0 when all is well, 1 on
//! drift, a policy failure or a breaking change, 2 on a usage or I/O error.
//!
//! ```
//! use serde_json::json;
//!
//! let spec = json!({
//!     "openapi": "3.1.0",
//!     "info": {"title": "demo", "version": "1"},
//!     "paths": {"/things/{id}": {"get": {"responses": {"200": {
//!         "description": "the thing",
//!         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
//!     }}}}},
//!     "components": {"schemas": {"Thing": {
//!         "type": "object",
//!         "required": ["id", "note"],
//!         "properties": {
//!             "id": {"type": "integer"},
//!             "note": {"type": ["string", "null"]},
//!             "tags": {"type": "array", "items": {"type": "string"}},
//!         },
//!     }}},
//! });
//!
//! let report = contract_cli::lint(&spec);
//! assert_eq!(report.class_of("Thing", "note"), Some(contract_cli::PropertyClass::RequiredNullable));
//! // `tags` may be absent from a response: the policy refuses that.
//! assert_eq!(report.errors.len(), 1);
//! assert_eq!(report.errors[0].location, "Thing.tags");
//!
//! // Making `note` optional breaks generated clients.
//! let mut next = spec.clone();
//! next["components"]["schemas"]["Thing"]["required"] = json!(["id"]);
//! let changes = contract_cli::diff(&spec, &next);
//! assert!(changes.is_breaking());
//! assert_eq!(changes.findings[0].rule, "response-property-became-optional");
//! assert_eq!(changes.findings[0].location, "GET /things/{id} 200 response: Thing.note");
//! ```
//!
//! # The lint policy
//!
//! Client generators (Kotlin, Swift) turn every property missing from
//! `required` into an optional type, so presence and nullability must be
//! explicit. The lint fails (`error: Schema.property: reason`) on:
//!
//! - a response property not in `required`, unless it carries
//!   `x-contract-allow-absent: true` and a non-empty `description`;
//! - a nullable reference written other than
//!   `oneOf`/`anyOf: [{$ref}, {type: "null"}]` (a `$ref` with a sibling null
//!   type or `nullable`, an `allOf: [$ref]` with one);
//! - the `nullable` or `x-nullable` keyword anywhere (not OpenAPI 3.1);
//! - a nullable array or boolean in a response;
//! - an `enum` on `code` in `ApiError` or `FieldViolation` (codes are open
//!   strings, listed per response in `x-error-codes`);
//! - a tri-state property (`x-patch: true` or `x-contract-class: "tri-state"`)
//!   in a response, in `required`, or not admitting null;
//! - a shape mainstream client generators do not read as the intended type,
//!   in requests and responses alike, each reported with the generators it
//!   breaks: a `oneOf`/`anyOf` of string constants (not a `type: string`
//!   `enum`), a nested union, a union or type array of several scalar types
//!   (other than branches marked `x-contract-alternate`), a union of inline
//!   objects without a `discriminator`, a `$ref` with siblings that change
//!   the type (generators drop them), an inline nullable enum, a `uint64`
//!   format, and an untyped value.
//!
//! A schema's usage (request, response, both) comes from following `$ref`s
//! transitively from each operation's parameters and request body versus its
//! responses. Nullable means a `type` array containing `"null"`, a
//! `oneOf`/`anyOf` with a `{type: "null"}` branch (or the legacy keywords,
//! which are also reported).

mod check;
mod client_kit;
mod diff;
mod lint;
mod messages;
mod profile;
mod spec;

use std::io::{self, Write};
use std::path::Path;

use serde_json::Value;

pub use check::{canonical, check};
pub use client_kit::{OperationCodes, client_kit, operation_codes, write_client_kit};
pub use diff::{DiffReport, Finding, Severity, diff};
pub use lint::{LintError, LintReport, PropertyClass, PropertyReport, SchemaReport, Usage, lint};
pub use messages::{MessagesReport, check_messages, declared_codes};
pub use profile::{Exported, Profile, export, violations};

/// Exit code: all is well.
pub const EXIT_OK: u8 = 0;
/// Exit code: drift, a policy failure or a breaking change.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad arguments, or a file that cannot be read or parsed.
pub const EXIT_USAGE: u8 = 2;

const USAGE: &str = "\
usage: contract <command> <files>

commands:
  export OUT -- CMD [ARGS]   run CMD (the app's spec export, printing JSON) and write OUT
  export --profile NAME SPEC OUT
                             write SPEC as profile NAME reads it (swift: nullable references
                             as optional ones; openapi-3.0: OpenAPI 3.0.3), listing each
                             rewrite and what the profile cannot say
  check COMMITTED GENERATED  fail when the committed spec differs from the generated one
  check COMMITTED -- CMD [ARGS]
                             the same, generating the spec with CMD
  client-kit SPEC --out DIR [--messages FTL_DIR]
                             write, for TypeScript, Kotlin, Swift and Dart, the error envelope,
                             its decoder and each operation's codes as a closed set; and every
                             declared code's message in every locale as Android resources, an
                             iOS String Catalog, Flutter ARB and i18next JSON
  lint SPEC                  list each property's class; fail on nullability policy errors
  lint --profile NAME SPEC   the same, and fail on any shape profile NAME cannot read
                             (openapi-3.0: warn on each rule its export drops)
  diff OLD NEW               report breaking changes from OLD to NEW
  messages check DIR SPEC    check the .ftl files of DIR (one per locale) with the built-in
                             catalog: a message for every code SPEC declares in every locale,
                             within budget (columns), none unused, no syntax error

exit status: 0 ok, 1 drift / policy error / breaking change / message problem,
             2 usage or I/O error
";

/// Runs the command line `args` (without the program name), writing the
/// report to `stdout` and errors to `stderr`; returns the exit code
/// ([`EXIT_OK`], [`EXIT_FAILURE`] or [`EXIT_USAGE`]).
pub fn run(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    match dispatch(args, stdout) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            let _ = write!(stderr, "error: {message}\n\n{USAGE}");
            EXIT_USAGE
        }
        Err(Failure::Input(message)) => {
            let _ = writeln!(stderr, "error: {message}");
            EXIT_USAGE
        }
    }
}

enum Failure {
    Usage(String),
    Input(String),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Input(format!("cannot write the report: {error}"))
    }
}

fn dispatch(args: &[String], out: &mut dyn Write) -> Result<u8, Failure> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["help" | "-h" | "--help"] => {
            out.write_all(USAGE.as_bytes())?;
            Ok(EXIT_OK)
        }
        ["--version" | "-V"] => {
            writeln!(out, "contract {}", env!("CARGO_PKG_VERSION"))?;
            Ok(EXIT_OK)
        }
        ["export", out_path, "--", command @ ..] if !command.is_empty() => {
            let doc = generate(command)?;
            let text = serde_json::to_string_pretty(&doc).expect("JSON serializes") + "\n";
            std::fs::write(out_path, text)
                .map_err(|e| Failure::Input(format!("cannot write {out_path}: {e}")))?;
            writeln!(out, "wrote {out_path}")?;
            Ok(EXIT_OK)
        }
        ["check", committed, "--", command @ ..] if !command.is_empty() => {
            let old = read_json(committed)?;
            let new = generate(command)?;
            let label = command.join(" ");
            compare(out, committed, &old, &label, &new)
        }
        ["check", committed, generated] => {
            let old = read_json(committed)?;
            let new = read_json(generated)?;
            compare(out, committed, &old, generated, &new)
        }
        ["export", "--profile", name, spec, out_path] => {
            let profile = profile_named(name)?;
            let exported = export(&read_json(spec)?, profile);
            let text =
                serde_json::to_string_pretty(&exported.document).expect("JSON serializes") + "\n";
            std::fs::write(out_path, text)
                .map_err(|e| Failure::Input(format!("cannot write {out_path}: {e}")))?;
            for r in &exported.rewrites {
                writeln!(out, "rewritten: {r}")?;
            }
            for k in &exported.kept {
                writeln!(out, "kept (no form in the profile): {k}")?;
            }
            writeln!(
                out,
                "wrote {out_path} ({} profile, {} rewrites)",
                profile.name(),
                exported.rewrites.len()
            )?;
            Ok(EXIT_OK)
        }
        ["client-kit", spec, "--out", dir]
        | ["client-kit", spec, "--out", dir, "--messages", _] => {
            let doc = read_json(spec)?;
            let messages = args.get(5).map(Path::new);
            let written =
                write_client_kit(&doc, messages, Path::new(dir)).map_err(Failure::Input)?;
            for path in &written {
                writeln!(out, "wrote {}", path.display())?;
            }
            Ok(EXIT_OK)
        }
        ["lint", "--profile", name, spec] => {
            let profile = profile_named(name)?;
            let doc = read_json(spec)?;
            let report = lint(&doc);
            write!(out, "{report}")?;
            let found = violations(&doc, profile);
            if profile == Profile::OpenApi30 {
                // The 3.0 export drops these: a warning, not a failure.
                for at in &found {
                    writeln!(out, "warning: {at}")?;
                }
                return Ok(if report.is_clean() {
                    EXIT_OK
                } else {
                    EXIT_FAILURE
                });
            }
            for at in &found {
                writeln!(
                    out,
                    "error: {at}: a `{{type: \"null\"}}` branch, which the {} profile's generator skips with the property (export with `--profile {}`)",
                    profile.name(),
                    profile.name()
                )?;
            }
            Ok(if report.is_clean() && found.is_empty() {
                EXIT_OK
            } else {
                EXIT_FAILURE
            })
        }
        ["lint", spec] => {
            let doc = read_json(spec)?;
            let report = lint(&doc);
            write!(out, "{report}")?;
            Ok(if report.is_clean() {
                EXIT_OK
            } else {
                EXIT_FAILURE
            })
        }
        ["diff", old, new] => {
            let old = read_json(old)?;
            let new = read_json(new)?;
            let report = diff(&old, &new);
            write!(out, "{report}")?;
            Ok(if report.is_breaking() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            })
        }
        ["messages", "check", dir, spec] => {
            let doc = read_json(spec)?;
            let report = check_messages(Path::new(dir), &doc).map_err(Failure::Input)?;
            write!(out, "{report}")?;
            Ok(if report.is_clean() {
                EXIT_OK
            } else {
                EXIT_FAILURE
            })
        }
        [] => Err(Failure::Usage("no command given".to_owned())),
        [
            command @ ("export" | "check" | "lint" | "diff" | "messages" | "client-kit"),
            ..,
        ] => Err(Failure::Usage(format!(
            "wrong number of arguments for `{command}`"
        ))),
        [command, ..] => Err(Failure::Usage(format!("unknown command `{command}`"))),
    }
}

/// Compares the committed document with the generated one; prints the
/// diff and a hint on drift.
fn compare(
    out: &mut dyn Write,
    committed: &str,
    old: &Value,
    generated: &str,
    new: &Value,
) -> Result<u8, Failure> {
    match check(old, new, (committed, generated)) {
        None => {
            writeln!(out, "ok: {committed} matches {generated}")?;
            Ok(EXIT_OK)
        }
        Some(diff) => {
            write!(out, "{diff}")?;
            writeln!(
                out,
                "\n{committed} is out of date: it differs from {generated}.\n\
                 hint: regenerate it with the app's spec export \
                 (for the seminar example: contract export {committed} -- \
                 cargo run -q -p seminar -- export-openapi) \
                 and review the change before committing it"
            )?;
            Ok(EXIT_FAILURE)
        }
    }
}

/// Runs the app's spec export and parses what it prints.
fn generate(command: &[&str]) -> Result<Value, Failure> {
    let output = std::process::Command::new(command[0])
        .args(&command[1..])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| Failure::Input(format!("cannot run {}: {e}", command[0])))?;
    if !output.status.success() {
        return Err(Failure::Input(format!(
            "`{}` failed ({})",
            command.join(" "),
            output.status
        )));
    }
    let value: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| Failure::Input(format!("`{}` did not print JSON: {e}", command.join(" "))))?;
    if !value.is_object() {
        return Err(Failure::Input(format!(
            "`{}` did not print an OpenAPI document",
            command.join(" ")
        )));
    }
    Ok(value)
}

fn profile_named(name: &str) -> Result<Profile, Failure> {
    Profile::from_name(name).ok_or_else(|| {
        Failure::Usage(format!(
            "no profile `{name}` (there are `swift` and `openapi-3.0`)"
        ))
    })
}

fn read_json(path: &str) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(Path::new(path))
        .map_err(|e| Failure::Input(format!("cannot read {path}: {e}")))?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::Input(format!("{path} is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(Failure::Input(format!(
            "{path} is not an OpenAPI document (not a JSON object)"
        )));
    }
    Ok(value)
}
