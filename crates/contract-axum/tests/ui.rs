//! Compile-fail cases, with the compiler's output snapshotted in
//! `ui/*.stderr`: every error `#[derive(ApiError)]` and `include_ftl!`
//! report, and the errors a route meets when an argument or the return
//! type does not document itself. Each case's first line says what it
//! checks; `ui/README.md` lists them.
//!
//! After changing a message: `TRYBUILD=overwrite cargo test -p contract-axum
//! --test ui`, then review the `.stderr` diff like code.

#[test]
fn compile_errors_name_what_is_at_fault() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
