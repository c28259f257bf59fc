//! This repository's stacks. [`app`] builds them all; the `synth` binary runs the command
//! line on it (`cargo run --bin synth`).

pub mod network;

use construct_lib::App;

/// Every stack of the repository.
pub fn app() -> App {
    let mut app = App::new();
    network::network_stack(
        &mut app,
        "WebServiceNetwork",
        &network::NetworkConfig::default(),
    );
    app
}
