//! Compile errors users meet, with their reviewed `.stderr`: see
//! `ui/README.md` for what each case shows.

#[test]
fn compile_errors_name_the_type_that_does_not_document_itself() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
