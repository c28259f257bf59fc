//! This repository's stacks: the deployments the library must express (scenario 1, a Fargate
//! web service behind a load balancer, in [`web_service`]). [`app_for`] builds them for an environment whose
//! settings are in `stacks/config/<env>.json`; the `synth` binary runs the command line on it
//! (`cargo run --bin synth [-- --env prod]`).

pub mod network;
pub mod web_service;

use construct_lib::App;
use web_service::config::{ConfigError, WebServiceConfig};

/// The environment used when none is named.
pub const DEFAULT_ENV: &str = "dev";

/// Every stack of the repository for environment `env` (`dev`, `prod`).
pub fn app_for(env: &str) -> Result<App, ConfigError> {
    let config = WebServiceConfig::load(env)?;
    let mut app = App::new();
    web_service::web_service_stack(&mut app, "WebService", &config);
    Ok(app)
}

/// Every stack of the repository for the default environment.
pub fn app() -> Result<App, ConfigError> {
    app_for(DEFAULT_ENV)
}
