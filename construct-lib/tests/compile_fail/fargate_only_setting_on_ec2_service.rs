// A public IP is a Fargate setting: ECS refuses `assignPublicIp` on EC2 tasks, so an EC2
// service builder has no such method.
use construct_lib::App;
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, Ec2Service, Ec2TaskDefinition};

fn main() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = Ec2TaskDefinition::builder()
        .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).memory_limit_mib(256))
        .build(stack, "Task");
    Ec2Service::builder(&cluster, &task).assign_public_ip(true).build(stack, "Service");
}
