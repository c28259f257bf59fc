//! Mistakes the compiler refuses: an invalid Fargate size does not compile.

#[test]
fn invalid_settings_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
