//! Elastic Load Balancing (L2): [`ApplicationLoadBalancer`] with HTTP and HTTPS listeners,
//! redirects and routing rules, and target groups for ECS services: IP targets for tasks
//! with their own interface (Fargate, `awsvpc`), instance targets for tasks on the
//! instance's network (EC2 `bridge` and `host`). The L1 types are in
//! [`crate::cfn::elasticloadbalancingv2`].

mod blue_green;
mod listener;
mod load_balancer;
mod target_group;

pub use listener::{Listener, ListenerAction, ListenerSettings, RoutingRule};
pub use load_balancer::{ApplicationLoadBalancer, ApplicationLoadBalancerBuilder};
pub use target_group::{ApplicationTargetGroup, ApplicationTargetGroupBuilder, HttpCodeTarget};
