//! The files the kit reads and writes in the user's project: the golden
//! spec, the baseline, the client-team report and the envelope snapshots;
//! and the first run, when none of them is committed yet.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde_json::Value;

use crate::{Baseline, Kit, Outcome, in_project, report};

/// Whether a run is the project's first: a golden spec is asked for and
/// there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FirstRun {
    /// The golden spec exists (or none is asked for).
    #[default]
    No,
    /// No golden spec, outside CI: the kit writes the golden spec, the
    /// report and the snapshots, says so in one line, and passes.
    Writing,
    /// No golden spec, in CI (`CI` set): one failure line with the command
    /// to run, and nothing else is checked.
    InCi,
}

/// `CONTRACT_UPDATE=1`: rewrite the golden spec and the report.
pub(crate) fn update() -> bool {
    std::env::var_os("CONTRACT_UPDATE").is_some_and(|v| v != "0")
}

/// In CI, as insta reads it: `CI` set (not empty, `0` or `false`), or
/// Azure's `TF_BUILD`.
fn in_ci() -> bool {
    match std::env::var("CI").as_deref() {
        Ok("" | "0" | "false") => false,
        Ok(_) => true,
        Err(_) => std::env::var_os("TF_BUILD").is_some(),
    }
}

fn write(path: &Path, text: &str, out: &mut Outcome) {
    let existed = path.exists();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(path, text) {
        Ok(()) if !existed => out.created.push(shown(path)),
        Ok(()) => {}
        Err(e) => out
            .failures
            .push(format!("cannot write {}: {e}", path.display())),
    }
}

/// A committed file the kit generates (`what`, at `path`): equal to `text`,
/// or written by `CONTRACT_UPDATE=1` and on the first run.
fn generated_file(path: &Path, text: &str, what: &str, out: &mut Outcome) {
    if update() || out.first_run == FirstRun::Writing {
        write(path, text, out);
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(committed) if committed == text => {}
        Ok(_) => out.failures.push(format!(
            "{what} {} is stale (CONTRACT_UPDATE=1 rewrites it)",
            path.display()
        )),
        Err(e) => out.failures.push(format!(
            "cannot read {what} {}: {e} (CONTRACT_UPDATE=1 writes it)",
            path.display()
        )),
    }
}

/// `path` as the user reads it: relative to their crate where it is in it.
fn shown(path: &Path) -> String {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

impl Kit {
    pub(crate) fn first_run(&self) -> FirstRun {
        match &self.golden {
            Some(path) if !update() && !path.exists() => {
                if in_ci() {
                    FirstRun::InCi
                } else {
                    FirstRun::Writing
                }
            }
            _ => FirstRun::No,
        }
    }

    /// The one line a first run in CI fails with.
    pub(crate) fn first_run_in_ci(&self) -> String {
        let path = self.golden.as_deref().map(shown).unwrap_or_default();
        format!(
            "no golden spec at {path}: this is the kit's first run; run `CONTRACT_UPDATE=1 INSTA_UPDATE=always cargo test` once and commit what it writes"
        )
    }

    pub(crate) fn check_golden(&self, out: &mut Outcome) {
        let Some(path) = &self.golden else { return };
        let text = serde_json::to_string_pretty(&self.spec).expect("serializes") + "\n";
        if update() || out.first_run == FirstRun::Writing {
            write(path, &text, out);
            return;
        }
        let committed = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                out.failures.push(format!(
                    "cannot read the golden spec {}: {e} (CONTRACT_UPDATE=1 writes it)",
                    path.display()
                ));
                return;
            }
        };
        let committed: Value = match serde_json::from_str(&committed) {
            Ok(v) => v,
            Err(e) => {
                out.failures.push(format!(
                    "the golden spec {} is not JSON: {e}",
                    path.display()
                ));
                return;
            }
        };
        let label = path.display().to_string();
        let title = |spec: &Value| {
            spec.pointer("/info/title")
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        if let (Some(theirs), Some(ours)) = (title(&committed), title(&self.spec))
            && theirs != ours
        {
            out.failures.push(format!(
                "the golden spec {label} is another app's (\"{theirs}\", this app is \"{ours}\"): point `golden` at this app's file, or run with CONTRACT_UPDATE=1 to replace it"
            ));
            return;
        }
        if let Some(diff) = contract_openapi::check(&committed, &self.spec, (&label, "generated")) {
            out.failures.push(format!(
                "the spec drifted from {label} (CONTRACT_UPDATE=1 rewrites it; review the diff):\n{diff}"
            ));
        }
    }

    pub(crate) fn check_baseline(&self, out: &mut Outcome) {
        let Some(baseline) = &self.baseline else {
            return;
        };
        let (label, text) = match baseline {
            Baseline::File(path) => (
                path.display().to_string(),
                std::fs::read_to_string(in_project(path.clone())).map_err(|e| e.to_string()),
            ),
            Baseline::Git { git_ref, path } => {
                let spec = format!("{git_ref}:{path}");
                let shown = std::process::Command::new("git")
                    .args(["show", &spec])
                    .output();
                let text = match shown {
                    Ok(o) if o.status.success() => {
                        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
                    }
                    Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_owned()),
                    Err(e) => Err(e.to_string()),
                };
                (spec, text)
            }
        };
        // A spec the ref does not have yet: nothing it promised can break.
        if let Err(e) = &text
            && (e.contains("does not exist in") || e.contains("exists on disk, but not in"))
        {
            out.skipped.push(format!(
                "baseline: {label} does not exist yet, so nothing can break"
            ));
            return;
        }
        let old: Value = match text.map(|t| serde_json::from_str(&t).map_err(|e| e.to_string())) {
            Ok(Ok(v)) => v,
            Ok(Err(e)) | Err(e) => {
                out.failures
                    .push(format!("cannot read the baseline {label}: {e}"));
                return;
            }
        };
        let report = contract_openapi::diff(&old, &self.spec);
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == contract_openapi::Severity::Error)
        {
            let here = format!("{}@{}", f.rule, f.location);
            if self.allowed.iter().any(|a| *a == f.rule || *a == here) {
                continue;
            }
            out.failures.push(format!(
                "breaking change against {label}: [{}] {}: {} (allow it with `.allow(\"{}\")`)",
                f.rule, f.location, f.message, f.rule
            ));
        }
    }

    pub(crate) fn check_report(&self, out: &mut Outcome) {
        let Some(path) = &self.report else { return };
        generated_file(path, &report(&self.spec), "the client-team report", out);
    }

    /// Each committed profile export equals the spec exported in it now.
    pub(crate) fn check_profiles(&self, out: &mut Outcome) {
        for (profile, path) in &self.profiles {
            let exported = contract_openapi::export(&self.spec, *profile);
            let text = serde_json::to_string_pretty(&exported.document).expect("serializes") + "\n";
            let what = format!("the {} export", profile.name());
            generated_file(path, &text, &what, out);
        }
    }

    /// Compares (or, on a first run, writes) one insta snapshot per case.
    pub(crate) fn check_snapshots(&self, snapshots: Vec<(String, Value)>, out: &mut Outcome) {
        let Some(dir) = &self.snapshots else { return };
        let mut written = 0;
        for (name, value) in snapshots {
            let file = dir.join(format!("{name}.snap"));
            let new = !file.exists();
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path(dir);
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.set_description(format!("contract-test: {name}, from {}", self.caller));
            let result = catch_unwind(AssertUnwindSafe(|| {
                settings.bind(|| insta::assert_json_snapshot!(name.clone(), value));
            }));
            out.snapshots += 1;
            if result.is_ok() {
                written += usize::from(new && file.exists());
                continue;
            }
            // insta wrote the new snapshot beside where it goes: on a first
            // run it is accepted as it is, to review in the commit.
            let pending = dir.join(format!("{name}.snap.new"));
            if new && out.first_run == FirstRun::Writing && std::fs::rename(&pending, &file).is_ok()
            {
                written += 1;
                continue;
            }
            out.failures.push(if new {
                format!(
                    "{name}: a new snapshot in {} (accept it with `cargo insta accept`, or run with INSTA_UPDATE=always once)",
                    dir.display()
                )
            } else {
                format!("{name}: the envelope changed (review with `cargo insta review`)")
            });
        }
        if written > 0 {
            out.created
                .push(format!("{written} snapshots in {}", shown(dir)));
        }
    }
}
