//! The whole-process benchmark: `synth-bench-app --stacks 50 --resources 20000 -q --out DIR`
//! builds a generated app and runs `synth` on it, as a user's binary would.

use construct_lib::App;
use construct_lib::cli::{AppError, Context};

/// The size of the generated app.
#[derive(Debug, clap::Args)]
struct Size {
    /// How many stacks.
    #[arg(long, default_value_t = 1, global = true)]
    stacks: usize,
    /// About how many resources in all (services are added per stack to reach it).
    #[arg(long, default_value_t = 1000, global = true)]
    resources: usize,
}

fn main() -> std::process::ExitCode {
    construct_lib::cli::run_with(|size: &Size, _: &Context| {
        let services = synth_bench::services_for(size.resources, size.stacks);
        Ok::<App, AppError>(synth_bench::generated_app(size.stacks, services))
    })
}
