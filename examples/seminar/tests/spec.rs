//! The committed OpenAPI document, `openapi/seminar.json`, is what the code
//! generates: byte for byte what `cargo run -p seminar -- export-openapi`
//! writes (pretty-printed, with a trailing newline).

use std::path::PathBuf;

/// How many differing lines to show.
const SHOWN: usize = 20;

/// The first [`SHOWN`] lines that differ, as `line N: committed / generated`.
fn first_differences(committed: &str, generated: &str) -> Vec<String> {
    let old: Vec<&str> = committed.lines().collect();
    let new: Vec<&str> = generated.lines().collect();
    let mut report = Vec::new();
    for i in 0..old.len().max(new.len()) {
        let (o, g) = (old.get(i), new.get(i));
        if o != g {
            report.push(format!(
                "line {}:\n  committed: {}\n  generated: {}",
                i + 1,
                o.copied().unwrap_or("<end of file>"),
                g.copied().unwrap_or("<end of file>"),
            ));
            if report.len() == SHOWN {
                break;
            }
        }
    }
    if report.is_empty() && committed != generated {
        report.push("the files differ only in line endings or the final newline".to_owned());
    }
    report
}

#[test]
fn committed_spec_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/seminar.json");
    let generated =
        serde_json::to_string_pretty(&seminar::openapi()).expect("the spec serializes") + "\n";
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    if generated == committed {
        return;
    }
    panic!(
        "openapi/seminar.json is out of date with the code.\n\
         Regenerate it from the workspace root with\n\n    \
         cargo run -p seminar -- export-openapi openapi/seminar.json\n\n\
         and review the diff (git diff openapi/seminar.json) before committing.\n\
         First differing lines ({} committed, {} generated):\n{}",
        committed.lines().count(),
        generated.lines().count(),
        first_differences(&committed, &generated).join("\n")
    );
}

#[test]
fn differences_are_reported_by_line() {
    assert!(first_differences("a\nb\n", "a\nb\n").is_empty());
    assert_eq!(
        first_differences("a\nb\nc\n", "a\nB\nc\nd\n"),
        [
            "line 2:\n  committed: b\n  generated: B",
            "line 4:\n  committed: <end of file>\n  generated: d",
        ]
    );
    assert_eq!(
        first_differences("a\n", "a"),
        ["the files differ only in line endings or the final newline"]
    );
    let many_old = "x\n".repeat(50);
    let many_new = "y\n".repeat(50);
    assert_eq!(first_differences(&many_old, &many_new).len(), SHOWN);
}
