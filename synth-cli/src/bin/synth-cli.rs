//! `synth-cli`: the commands on a cloud assembly directory written by an earlier `synth` (or
//! by the AWS CDK), so that synth and deploy can be separate CI steps:
//!
//! ```text
//! synth-cli deploy --app cdk.out --all
//! synth-cli diff --app cdk.out --fail
//! ```

fn main() -> std::process::ExitCode {
    synth_cli::run(construct_lib::App::new())
}
