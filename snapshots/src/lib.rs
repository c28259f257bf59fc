//! Every app whose templates the repository reviews: this repository's stacks and the
//! examples. The tests snapshot each template (insta) and run cfn-lint over all of them.

use construct_lib::App;

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
    ]
}

/// The cfn-lint executable: `$CFN_LINT`, else the one `scripts/install-tools.sh` installs.
pub fn cfn_lint() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("CFN_LINT") {
        return path.into();
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/venv/bin/cfn-lint")
}
