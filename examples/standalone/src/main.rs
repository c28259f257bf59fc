//! `cargo run` in this directory synthesizes the example into `cdk.out/`; deploy it with the
//! separately installed `synth-cli deploy --app cdk.out --all`. Built with `--features
//! deploy`, the binary links synth-cli and has `diff`, `deploy` and `destroy` itself
//! (`cargo run --features deploy -- deploy --all`).

mod stack;

#[cfg(not(feature = "deploy"))]
fn main() -> std::process::ExitCode {
    construct_lib::cli::run(stack::app())
}

#[cfg(feature = "deploy")]
fn main() -> std::process::ExitCode {
    synth_cli::run(stack::app())
}
