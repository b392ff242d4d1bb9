//! Compile-fail cases: every error `#[derive(ApiError)]` and `include_ftl!`
//! report, with the compiler's output snapshotted in `ui/*.stderr`. Each
//! case's first line says what it checks; `ui/README.md` lists them.
//!
//! After changing a message: `TRYBUILD=overwrite cargo test -p contract-axum
//! --test ui`, then review the `.stderr` diff like code.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
