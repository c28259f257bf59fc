//! `cargo run` in this directory synthesizes the example into `cdk.out/`.

mod stack;

fn main() -> std::process::ExitCode {
    synth_cli::run(stack::app())
}
