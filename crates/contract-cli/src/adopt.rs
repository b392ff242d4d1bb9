//! `contract adopt IN OUT`: [`Adopt`] as a command, for a document no Rust
//! type describes.

use std::io::Write;
use std::path::PathBuf;

use contract_core::{Declared, ErrorCode};
use contract_openapi::{Adopt, document::Spec, keyword, lint};

use crate::{EXIT_FAILURE, EXIT_OK, Failure, read_json, write_json};

/// The policy's choices, as flags.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The document to adopt (OpenAPI 3.1, JSON).
    input: String,
    /// Where to write the adopted document.
    output: String,
    /// The status the service answers `validation_failed` with.
    #[arg(long, value_name = "400|422", default_value_t = 422, value_parser = validation_status)]
    validation_status: u16,
    /// A response property that may be absent (`Schema.property=when it is
    /// absent`): kept out of `required`, marked, and described.
    #[arg(long, value_name = "SCHEMA.PROPERTY=WHEN", value_parser = allow_absent)]
    allow_absent: Vec<(String, String)>,
    /// A code of the app (`STATUS:CODE`, e.g. `409:todo_exists`): it
    /// documents the error responses of that status instead of the
    /// status's built-in code.
    #[arg(long = "code", value_name = "STATUS:CODE", value_parser = app_code)]
    codes: Vec<(u16, ErrorCode)>,
    /// The service times out slow request bodies: operations with a body
    /// document `408 timeout`.
    #[arg(long)]
    body_timeout: bool,
    /// The service times its handlers out: every operation documents
    /// `504 timeout`.
    #[arg(long)]
    request_timeout: bool,
    /// The app's `.ftl` files, for the example envelopes' messages.
    #[arg(long, value_name = "FTL_DIR")]
    messages: Option<PathBuf>,
}

fn validation_status(s: &str) -> Result<u16, String> {
    match s {
        "400" => Ok(400),
        "422" => Ok(422),
        _ => Err("`validation_failed` is answered with 400 or 422".into()),
    }
}

fn allow_absent(s: &str) -> Result<(String, String), String> {
    let (location, when) = s.split_once('=').ok_or(
        "expected SCHEMA.PROPERTY=WHEN, e.g. `Todo.note=Absent when the todo has no note.`",
    )?;
    let ok = location
        .split_once('.')
        .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty());
    if !ok || when.trim().is_empty() {
        return Err("expected SCHEMA.PROPERTY=WHEN, both parts non-empty".into());
    }
    Ok((location.to_owned(), when.trim().to_owned()))
}

fn app_code(s: &str) -> Result<(u16, ErrorCode), String> {
    let (status, code) = s
        .split_once(':')
        .ok_or("expected STATUS:CODE, e.g. `409:todo_exists`")?;
    let status = status
        .parse::<u16>()
        .ok()
        .filter(|s| (400..600).contains(s))
        .ok_or_else(|| format!("`{status}` is not a 4xx or 5xx status"))?;
    let code = ErrorCode::new(code.to_owned()).map_err(|e| e.to_string())?;
    if !contract_core::declared_status_agrees(code.as_str(), status) {
        let table = contract_core::default_status(&code).map_or(0, |s| s.as_u16());
        return Err(format!(
            "`{code}` is a built-in code, answered with status {table}, not {status}: use {table}, or a code of the app's own"
        ));
    }
    Ok((status, code))
}

pub(crate) fn run(args: Args, out: &mut dyn Write) -> Result<u8, Failure> {
    let mut doc = read_json(&args.input)?;
    let declared = args
        .codes
        .into_iter()
        .map(|(status, code)| Declared::new(status, code, None));
    let mut policy = Adopt::new()
        .validation_status(args.validation_status)
        .body_timeout(args.body_timeout)
        .request_timeout(args.request_timeout)
        .declared(declared);
    for (location, when) in args.allow_absent {
        policy = policy.allow_absent(location, when);
    }
    if let Some(dir) = &args.messages {
        let (catalog, problems) = crate::messages::load(dir).map_err(Failure)?;
        if let Some(p) = problems.first() {
            return Err(Failure(format!("{}: {p}", dir.display())));
        }
        policy = policy.catalog(catalog);
    }
    policy
        .apply(&mut doc)
        .map_err(|e| Failure(format!("{}: {e}", args.input)))?;
    write_json(&args.output, &doc)?;
    let spec = Spec::new(&doc);
    for op in spec.operations() {
        let mut codes = Vec::new();
        for (status, response) in op.responses(spec) {
            if let Some(list) = response
                .get(keyword::ERROR_CODES)
                .and_then(|v| v.as_array())
            {
                let names: Vec<&str> = list.iter().filter_map(|c| c.as_str()).collect();
                codes.push(format!("{status} {}", names.join("|")));
            }
        }
        writeln!(out, "{}: {}", op.label(), codes.join(", "))?;
    }
    // The adopted document must pass the policy it was adopted to.
    let report = lint(&doc);
    for e in &report.errors {
        writeln!(out, "{e}")?;
    }
    writeln!(out, "wrote {}", args.output)?;
    Ok(if report.is_clean() {
        EXIT_OK
    } else {
        EXIT_FAILURE
    })
}
