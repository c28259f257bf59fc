// 0.25 vCPU with 4 GB is not a Fargate size, so there is no such variant.
use construct_lib::ecs::FargateSize;

fn main() {
    let _size = FargateSize::Cpu256Mem4096;
}
