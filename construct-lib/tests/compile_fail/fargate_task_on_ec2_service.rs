// A Fargate task definition cannot be given to an EC2 service: the launch type is part of
// the task definition's type.
use construct_lib::App;
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, Ec2Service, FargateSize, FargateTaskDefinition};

fn main() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")))
        .build(stack, "Task");
    Ec2Service::builder(&cluster, &task).build(stack, "Service");
}
