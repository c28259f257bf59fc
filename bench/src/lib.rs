//! Generated apps for the synthesis benchmarks, built from the L2 constructs users build
//! with: every stack has a VPC, a cluster, and load-balanced Fargate services that each read
//! a bucket of their own; the first service of each stack also reads the previous stack's
//! bucket, so that every stack but the first imports from another (cross-stack wiring grows
//! with the stacks, within CloudFormation's limits on outputs).
//!
//! ```
//! let app = synth_bench::generated_app(2, 3);
//! let assembly = construct_lib::synthesize(&app).expect("valid");
//! assert_eq!(assembly.stacks.len(), 2);
//! assert_eq!(synth_bench::resource_count(&assembly), synth_bench::expected_resources(2, 3));
//! ```

use construct_lib::ec2::Vpc;
use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, FargateSize};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::s3::Bucket;
use construct_lib::{App, CloudAssembly, Environment};

/// Resources of a stack's VPC (2 AZs, one NAT gateway) and cluster.
pub const RESOURCES_PER_STACK: usize = 22;
/// Resources of a load-balanced service with its bucket and the grant.
pub const RESOURCES_PER_SERVICE: usize = 16;

/// An app of `stacks` stacks with `services` load-balanced Fargate services each.
pub fn generated_app(stacks: usize, services: usize) -> App {
    let mut app = App::new();
    let environment = Environment::new("123456789012", "eu-west-1");
    let mut previous = None;
    for index in 0..stacks {
        let stack = app.stack_in(&format!("Services{index:02}"), environment.clone());
        let vpc = Vpc::builder()
            .max_azs(2)
            .nat_gateways(1)
            .build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
        let mut first_bucket = None;
        for service_index in 0..services {
            let service = LoadBalancedFargateService::builder(&cluster)
                .size(FargateSize::Cpu256Mem512)
                .container(
                    ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27"))
                        .port(80),
                )
                .build(stack, &format!("Service{service_index:03}"));
            let role = service.task_definition().task_role();
            let bucket = Bucket::builder().build(stack, &format!("Assets{service_index:03}"));
            bucket.grant_read(stack, role, None);
            if service_index == 0 {
                if let Some(previous) = &previous {
                    let previous: &Bucket = previous;
                    previous.grant_read(stack, role, None);
                }
                first_bucket = Some(bucket);
            }
        }
        previous = first_bucket;
    }
    app
}

/// The resources of every stack of `assembly`.
pub fn resource_count(assembly: &CloudAssembly) -> usize {
    assembly
        .stacks
        .iter()
        .map(|stack| stack.resource_count)
        .sum()
}

/// How many resources [`generated_app`] makes.
pub fn expected_resources(stacks: usize, services: usize) -> usize {
    stacks * (RESOURCES_PER_STACK + services * RESOURCES_PER_SERVICE)
}

/// Services per stack for at least `resources` resources over `stacks` stacks (at least
/// one service).
pub fn services_for(resources: usize, stacks: usize) -> usize {
    let per_stack = resources.div_ceil(stacks.max(1));
    per_stack
        .saturating_sub(RESOURCES_PER_STACK)
        .div_ceil(RESOURCES_PER_SERVICE)
        .max(1)
}
