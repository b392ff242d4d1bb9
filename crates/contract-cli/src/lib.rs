//! The `contract` command: keep a committed OpenAPI 3.1 document honest for
//! the client teams that generate code from it.
//!
//! The rules it applies live in `contract_openapi` (the one home of the
//! contract's rules, which the test kit reads too); this crate is the
//! command line over them, and the two things only the command line does:
//!
//! - `contract check COMMITTED GENERATED`: does the committed document
//!   still match what the app generates? ([`contract_openapi::check`])
//! - `contract lint SPEC`: each property's class and the nullability policy
//!   ([`contract_openapi::lint`]).
//! - `contract diff OLD NEW`: what a change does to clients written against
//!   the old document, with oasdiff's rule ids ([`contract_openapi::diff`]).
//! - `contract export --profile NAME SPEC OUT`: the document as a generator
//!   that reads only OpenAPI 3.0, or Apple's, reads it
//!   ([`contract_openapi::export`]).
//! - `contract adopt IN OUT`: contract's error documentation and
//!   nullability policy applied to a document written elsewhere (aide, by
//!   hand, another language's server behind the same envelope)
//!   ([`contract_openapi::Adopt`]).
//! - `contract messages check DIR SPEC` ([`check_messages`]): the app's
//!   `.ftl` files on top of the built-in catalog: every locale has every
//!   declared code, within its budget in display columns, and no message is
//!   unused.
//! - `contract client-kit SPEC --out DIR` ([`client_kit`]): each
//!   operation's codes as a closed set, and the messages as app resources.
//!
//! The binary is [`run`] and nothing else; it exits 0 when all is well, 1 on
//! drift, a policy failure or a breaking change, 2 on a usage or I/O error.

mod adopt;
mod client_kit;
mod messages;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use contract_openapi::{Profile, check, diff, export, lint, violations};
use serde_json::Value;

pub use client_kit::{OperationCodes, client_kit, operation_codes, write_client_kit};
pub use messages::{MessagesReport, check_messages, declared_codes};

/// Exit code: all is well.
pub const EXIT_OK: u8 = 0;
/// Exit code: drift, a policy failure or a breaking change.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad arguments, or a file that cannot be read or parsed.
pub const EXIT_USAGE: u8 = 2;

/// Keep a committed OpenAPI 3.1 document honest for the client teams that
/// generate code from it.
///
/// Exit status: 0 ok, 1 drift / policy error / breaking change / message
/// problem, 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "contract", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the app's spec, or a spec as a profile reads it
    ///
    /// `export OUT -- CMD [ARGS]` runs CMD, which prints the app's spec.
    /// `export --profile NAME SPEC OUT` writes SPEC as profile NAME reads it
    /// (swift: nullable references as optional ones; openapi-3.0: OpenAPI
    /// 3.0.3), listing each rewrite and what the profile cannot say.
    Export {
        /// The profile to render SPEC in: `swift` or `openapi-3.0`.
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// OUT, or SPEC OUT with `--profile`.
        #[arg(value_name = "FILES", required = true, num_args = 1..=2)]
        files: Vec<String>,
        /// The app's spec export, printing JSON.
        #[arg(last = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// Fail when the committed spec differs from the generated one
    ///
    /// `check COMMITTED GENERATED`, or `check COMMITTED -- CMD [ARGS]`.
    Check {
        /// The committed document.
        committed: String,
        /// The generated document (or give the command after `--`).
        generated: Option<String>,
        /// The app's spec export, printing JSON.
        #[arg(last = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// List each property's class; fail on nullability policy errors
    ///
    /// With `--profile`, also fail on any shape the profile cannot read
    /// (for openapi-3.0, warn on each rule its export drops).
    Lint {
        /// Also check what profile NAME reads: `swift` or `openapi-3.0`.
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// The document.
        spec: String,
    },
    /// Report breaking changes from OLD to NEW.
    Diff {
        /// The document clients were generated from.
        old: String,
        /// The changed document.
        new: String,
    },
    /// Apply contract's policy to a spec written elsewhere
    ///
    /// The envelope on every error response with its codes (a bare status
    /// gets the code the error layer answers for it), the errors the layer
    /// and extractors add, and every response property required. The
    /// adopted document is linted; exit 1 if it does not pass.
    Adopt(adopt::Args),
    /// Write typed error codes and message catalogs for client apps
    ///
    /// For TypeScript, Kotlin, Swift and Dart: the error envelope, its
    /// decoder and each operation's codes as a closed set; and every
    /// declared code's message in every locale as Android resources, an iOS
    /// String Catalog, Flutter ARB and i18next JSON.
    ClientKit {
        /// The document.
        spec: String,
        /// The directory to write into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The app's `.ftl` files (one per locale) on top of the built-in
        /// messages.
        #[arg(long, value_name = "FTL_DIR")]
        messages: Option<PathBuf>,
    },
    /// Check message catalogs.
    #[command(subcommand)]
    Messages(MessagesCommand),
}

#[derive(Debug, Subcommand)]
enum MessagesCommand {
    /// Check the `.ftl` files of DIR with the built-in catalog
    ///
    /// One file per locale: a message for every code SPEC declares in
    /// every locale, within budget (columns), none unused, no syntax
    /// error.
    Check {
        /// The directory of `.ftl` files.
        dir: PathBuf,
        /// The document whose codes need messages.
        spec: String,
    },
}

/// Runs the command line `args` (without the program name), writing the
/// report to `stdout` and errors to `stderr`; returns the exit code
/// ([`EXIT_OK`], [`EXIT_FAILURE`] or [`EXIT_USAGE`]).
pub fn run(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let cli = match Cli::try_parse_from(
        std::iter::once("contract").chain(args.iter().map(String::as_str)),
    ) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let text = e.render().to_string();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = stdout.write_all(text.as_bytes());
                    EXIT_OK
                }
                _ => {
                    let _ = stderr.write_all(text.as_bytes());
                    EXIT_USAGE
                }
            };
        }
    };
    match dispatch(cli.command, stdout) {
        Ok(code) => code,
        Err(Failure(message)) => {
            let _ = writeln!(stderr, "error: {message}");
            EXIT_USAGE
        }
    }
}

/// A usage or input error: named on stderr, exit 2.
struct Failure(String);

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure(format!("cannot write the report: {error}"))
    }
}

/// The exit code of a report: 0 when clean, 1 otherwise.
fn status(clean: bool) -> u8 {
    if clean { EXIT_OK } else { EXIT_FAILURE }
}

fn dispatch(command: Command, out: &mut dyn Write) -> Result<u8, Failure> {
    match command {
        Command::Export {
            profile: None,
            files,
            command,
        } => {
            let [out_path] = files.as_slice() else {
                return Err(Failure(
                    "`export OUT -- CMD` takes one file (or use `--profile NAME SPEC OUT`)".into(),
                ));
            };
            if command.is_empty() {
                return Err(Failure(
                    "`export OUT` needs the app's export command after `--`".into(),
                ));
            }
            write_json(out_path, &generate(&command)?)?;
            writeln!(out, "wrote {out_path}")?;
            Ok(EXIT_OK)
        }
        Command::Export {
            profile: Some(name),
            files,
            command,
        } => {
            let [spec, out_path] = files.as_slice() else {
                return Err(Failure("`export --profile NAME` takes SPEC and OUT".into()));
            };
            if !command.is_empty() {
                return Err(Failure("`export --profile` takes no command".into()));
            }
            let profile = profile_named(&name)?;
            let exported = export(&read_json(spec)?, profile);
            write_json(out_path, &exported.document)?;
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
        Command::Check {
            committed,
            generated,
            command,
        } => {
            let old = read_json(&committed)?;
            let (new, label) = match (generated, command.is_empty()) {
                (Some(generated), true) => (read_json(&generated)?, generated),
                (None, false) => (generate(&command)?, command.join(" ")),
                _ => {
                    return Err(Failure(
                        "`check` takes COMMITTED and either GENERATED or `-- CMD`".into(),
                    ));
                }
            };
            compare(out, &committed, &old, &label, &new)
        }
        Command::Lint { profile, spec } => {
            let profile = profile.as_deref().map(profile_named).transpose()?;
            let doc = read_json(&spec)?;
            let report = lint(&doc);
            write!(out, "{report}")?;
            let Some(profile) = profile else {
                return Ok(status(report.is_clean()));
            };
            let found = violations(&doc, profile);
            if profile == Profile::OpenApi30 {
                // The 3.0 export drops these: a warning, not a failure.
                for at in &found {
                    writeln!(out, "warning: {at}")?;
                }
                return Ok(status(report.is_clean()));
            }
            for at in &found {
                writeln!(
                    out,
                    "error: {at}: a `{{type: \"null\"}}` branch, which the {} profile's generator skips with the property (export with `--profile {}`)",
                    profile.name(),
                    profile.name()
                )?;
            }
            Ok(status(report.is_clean() && found.is_empty()))
        }
        Command::Diff { old, new } => {
            let report = diff(&read_json(&old)?, &read_json(&new)?);
            write!(out, "{report}")?;
            Ok(status(!report.is_breaking()))
        }
        Command::Adopt(args) => adopt::run(args, out),
        Command::ClientKit {
            spec,
            out: dir,
            messages,
        } => {
            let doc = read_json(&spec)?;
            let written = write_client_kit(&doc, messages.as_deref(), &dir).map_err(Failure)?;
            for path in &written {
                writeln!(out, "wrote {}", path.display())?;
            }
            Ok(EXIT_OK)
        }
        Command::Messages(MessagesCommand::Check { dir, spec }) => {
            let doc = read_json(&spec)?;
            let report = check_messages(&dir, &doc).map_err(Failure)?;
            write!(out, "{report}")?;
            Ok(status(report.is_clean()))
        }
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
fn generate(command: &[String]) -> Result<Value, Failure> {
    let output = std::process::Command::new(&command[0])
        .args(&command[1..])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| Failure(format!("cannot run {}: {e}", command[0])))?;
    if !output.status.success() {
        return Err(Failure(format!(
            "`{}` failed ({})",
            command.join(" "),
            output.status
        )));
    }
    let value: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| Failure(format!("`{}` did not print JSON: {e}", command.join(" "))))?;
    if !value.is_object() {
        return Err(Failure(format!(
            "`{}` did not print an OpenAPI document",
            command.join(" ")
        )));
    }
    Ok(value)
}

fn profile_named(name: &str) -> Result<Profile, Failure> {
    Profile::from_name(name).ok_or_else(|| {
        Failure(format!(
            "no profile `{name}` (there are `swift` and `openapi-3.0`)"
        ))
    })
}

fn read_json(path: &str) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(Path::new(path))
        .map_err(|e| Failure(format!("cannot read {path}: {e}")))?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure(format!("{path} is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(Failure(format!(
            "{path} is not an OpenAPI document (not a JSON object)"
        )));
    }
    Ok(value)
}

/// Writes `doc` as the committed documents are written: pretty, with a
/// final newline.
fn write_json(path: &str, doc: &Value) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(doc).expect("JSON serializes") + "\n";
    std::fs::write(path, text).map_err(|e| Failure(format!("cannot write {path}: {e}")))
}
