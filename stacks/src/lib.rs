//! This repository's stacks: the deployments the library must express (scenario 1, a Fargate
//! web service behind a load balancer, in [`web_service`]; scenario 2, the Gitana content
//! platform over two stacks, in [`gitana`]). [`app_for`] builds them for an environment whose
//! settings are in `stacks/config/<env>.json` and `stacks/config/gitana/<env>.json`; the
//! `synth` binary runs the command line on it (`cargo run --bin synth [-- --env prod]`).

pub mod config;
pub mod gitana;
pub mod network;
pub mod web_service;

pub use config::ConfigError;
use construct_lib::App;
use gitana::config::GitanaConfig;
use web_service::config::WebServiceConfig;

/// The environment used when none is named.
pub const DEFAULT_ENV: &str = "dev";

/// Every stack of the repository for environment `env` (`dev`, `prod`).
pub fn app_for(env: &str) -> Result<App, ConfigError> {
    let web = WebServiceConfig::load(env)?;
    let gitana = GitanaConfig::load(env)?;
    let mut app = App::new();
    web_service::web_service_stack(&mut app, "WebService", &web);
    gitana::gitana_stacks(&mut app, &gitana);
    Ok(app)
}

/// Every stack of the repository for the default environment.
pub fn app() -> Result<App, ConfigError> {
    app_for(DEFAULT_ENV)
}
