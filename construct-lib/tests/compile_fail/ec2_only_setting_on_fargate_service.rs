// Placement strategies and daemon scheduling exist on EC2 only: a Fargate service builder
// has no such methods.
use construct_lib::App;
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize, FargateTaskDefinition, PlacementStrategy};

fn main() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")))
        .build(stack, "Task");
    FargateService::builder(&cluster, &task)
        .placement_strategy(PlacementStrategy::binpack_memory())
        .daemon()
        .build(stack, "Service");
}
