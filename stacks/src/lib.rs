//! This repository's stacks: the deployments the library must express (scenario 1, a Fargate
//! web service behind a load balancer, in [`web_service`]; scenario 2, the Gitana content
//! platform over two stacks, in [`gitana`]; scenario 3, an ECS cluster on EC2 instances, in
//! [`ec2_cluster`]; scenario 4, a Java app on an EC2-backed cluster, in [`java_webapp`]).
//! [`app_for`] builds them for an environment whose settings are in
//! `stacks/config/<env>.json` and `stacks/config/<scenario>/<env>.json`; the
//! `synth` binary runs the command line on it (`cargo run --bin synth [-- --env prod]`).

pub mod accepted;
pub mod blue_green;
pub mod config;
pub mod ec2_cluster;
pub mod gitana;
pub mod java_webapp;
pub mod network;
pub mod web_service;

use blue_green::config::BlueGreenConfig;
pub use config::ConfigError;
use config::ScenarioConfig;
use construct_lib::App;
use ec2_cluster::config::Ec2ClusterConfig;
use gitana::config::GitanaConfig;
use java_webapp::config::JavaWebappConfig;
use web_service::config::WebServiceConfig;

/// The environment used when none is named.
pub const DEFAULT_ENV: &str = "dev";

/// Every stack of the repository for environment `env` (`dev`, `prod`).
pub fn app_for(env: &str) -> Result<App, ConfigError> {
    let web = WebServiceConfig::load(env)?;
    let gitana = GitanaConfig::load(env)?;
    let ec2_cluster = Ec2ClusterConfig::load(env)?;
    let java_webapp = JavaWebappConfig::load(env)?;
    let blue_green = BlueGreenConfig::load(env)?;
    let mut app = App::new();
    web_service::web_service_stack(&mut app, "WebService", &web);
    gitana::gitana_stacks(&mut app, &gitana);
    ec2_cluster::ec2_cluster_stack(&mut app, &ec2_cluster);
    java_webapp::java_webapp_stacks(&mut app, &java_webapp);
    blue_green::blue_green_stacks(&mut app, &blue_green);
    Ok(app)
}

/// Every stack of the repository for the default environment.
pub fn app() -> Result<App, ConfigError> {
    app_for(DEFAULT_ENV)
}
