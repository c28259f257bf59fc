//! Scenario 2, Gitana: a content platform on ECS (API, API worker, UI, antivirus front and
//! ClamAV) with DocumentDB, OpenSearch, two buckets and a topic feeding a queue, over two
//! stacks: network and data ([`data`]), services ([`services`]). Written with L2/L3
//! constructs only; everything that differs between environments is in
//! [`config::GitanaConfig`].

pub mod config;
pub mod data;
pub mod services;

use construct_lib::{App, Environment};

use config::GitanaConfig;

/// The stack names, in deploy order.
pub const STACKS: [&str; 2] = ["GitanaData", "GitanaServices"];

/// Adds Gitana's two stacks to `app`.
pub fn gitana_stacks(app: &mut App, config: &GitanaConfig) {
    let environment = Environment {
        account: config.account.clone(),
        region: config.region.clone(),
    };
    let data_stack = app.stack_in(STACKS[0], environment.clone());
    data_stack.set_description("Scenario 2 (Gitana): network and data stores");
    data_stack.add_tag("Environment", config.environment.clone());
    let data = data::build(data_stack, config);

    let services_stack = app.stack_in(STACKS[1], environment);
    services_stack.set_description("Scenario 2 (Gitana): services");
    services_stack.add_tag("Environment", config.environment.clone());
    services::build(services_stack, config, &data);
}
