//! Every app whose templates the repository reviews: this repository's stacks and the
//! examples. The tests snapshot each template (insta) and run cfn-lint over all of them.

use construct_lib::App;
use stacks::blue_green::config::{BlueGreenConfig, ReleaseStrategy};
use stacks::config::ScenarioConfig;

#[path = "../../examples/standalone/src/stack.rs"]
mod standalone_example;

/// (name, app) for every app of the repository.
pub fn all_apps() -> Vec<(&'static str, App)> {
    vec![
        (
            "stacks",
            stacks::app_for("dev").expect("stacks/config/dev.json loads"),
        ),
        (
            "stacks-prod",
            stacks::app_for("prod").expect("stacks/config/prod.json loads"),
        ),
        ("standalone-example", standalone_example::app()),
        // Scenario 5's other release strategy in each environment (dev's config names ECS
        // native releases, prod's CodeDeploy).
        (
            "blue-green-codedeploy",
            blue_green_with("dev", ReleaseStrategy::CodeDeployCanary),
        ),
        (
            "blue-green-ecs-prod",
            blue_green_with("prod", ReleaseStrategy::EcsCanary),
        ),
        // The third strategy, CodeDeploy run by CloudFormation's hook, in prod.
        (
            "blue-green-hook-prod",
            blue_green_with("prod", ReleaseStrategy::CodeDeployHookCanary),
        ),
    ]
}

/// Scenario 5 for `env` with `strategy`.
fn blue_green_with(env: &str, strategy: ReleaseStrategy) -> App {
    let mut config = BlueGreenConfig::load(env).expect("stacks/config/blue-green loads");
    config.release.strategy = strategy;
    stacks::blue_green::blue_green_app(&config)
}

/// The cfn-lint executable: `$CFN_LINT`, else the one `scripts/install-tools.sh` installs.
pub fn cfn_lint() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("CFN_LINT") {
        return path.into();
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/venv/bin/cfn-lint")
}

/// The checkov executable: `$CHECKOV`, else the one `scripts/install-tools.sh` installs.
pub fn checkov() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("CHECKOV") {
        return path.into();
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/checkov/bin/checkov")
}
