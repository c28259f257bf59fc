// The deployment circuit breaker and the healthy-percent bounds belong to rolling updates:
// ECS ignores or refuses them for blue/green, canary and linear deployments, so `BlueGreen`
// has no such methods, and a CodeDeploy service takes no deployment settings at all.
use construct_lib::Duration;
use construct_lib::ecs::{BlueGreen, Deployment};

fn main() {
    let _canary = BlueGreen::canary(25.0, Duration::minutes(10)).circuit_breaker(true);
    let _bounds = BlueGreen::all_at_once().min_healthy_percent(50);
    let _code_deploy = Deployment::CodeDeploy.circuit_breaker(true);
}
