//! Mistakes the compiler refuses: an invalid Fargate size, a Fargate-only setting on an EC2
//! service and the reverse, a Fargate task definition given to an EC2 service.

#[test]
fn invalid_settings_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
