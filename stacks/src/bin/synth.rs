//! `cargo run --bin synth [-- COMMAND]`: synthesizes this repository's stacks into `cdk.out/`.

fn main() -> std::process::ExitCode {
    synth_cli::run(stacks::app())
}
