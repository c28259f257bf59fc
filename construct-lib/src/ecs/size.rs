//! Fargate task sizes: only the CPU and memory combinations Fargate accepts exist, so an
//! invalid size does not compile.
//!
//! ```compile_fail
//! // 0.25 vCPU cannot have 4 GB: there is no such variant.
//! let _ = construct_lib::ecs::FargateSize::Cpu256Mem4096;
//! ```

/// Declares the enum, its table and accessors from one list, so the three cannot disagree.
macro_rules! fargate_sizes {
    ($($variant:ident => ($cpu:literal, $memory:literal),)*) => {
        /// A Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB, one variant per
        /// combination Fargate accepts (8 and 16 vCPU need Linux and platform version 1.4.0
        /// or later, the default).
        ///
        /// ```
        /// use construct_lib::ecs::FargateSize;
        /// let size = FargateSize::Cpu512Mem1024;
        /// assert_eq!((size.cpu(), size.memory_mib()), (512, 1024));
        /// assert_eq!(FargateSize::from_cpu_memory(512, 1024), Some(size));
        /// assert_eq!(FargateSize::from_cpu_memory(256, 4096), None);
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FargateSize {
            $(
                #[doc = concat!(stringify!($cpu), " CPU units, ", stringify!($memory), " MiB.")]
                $variant,
            )*
        }

        impl FargateSize {
            /// Every size, smallest first.
            pub const ALL: &'static [FargateSize] = &[$(FargateSize::$variant,)*];

            const fn parts(self) -> (u32, u32) {
                match self {
                    $(FargateSize::$variant => ($cpu, $memory),)*
                }
            }
        }
    };
}

// Fargate's task sizes, from the AWS documentation ("Task CPU and memory", Amazon ECS
// Developer Guide): each CPU value with the memory values it allows.
fargate_sizes! {
    // 256 CPU units: 512, 1024, 2048 MiB
    Cpu256Mem512 => (256, 512),
    Cpu256Mem1024 => (256, 1024),
    Cpu256Mem2048 => (256, 2048),
    // 512 CPU units: 1024 to 4096 MiB in steps of 1024
    Cpu512Mem1024 => (512, 1024),
    Cpu512Mem2048 => (512, 2048),
    Cpu512Mem3072 => (512, 3072),
    Cpu512Mem4096 => (512, 4096),
    // 1024 CPU units: 2048 to 8192 MiB in steps of 1024
    Cpu1024Mem2048 => (1024, 2048),
    Cpu1024Mem3072 => (1024, 3072),
    Cpu1024Mem4096 => (1024, 4096),
    Cpu1024Mem5120 => (1024, 5120),
    Cpu1024Mem6144 => (1024, 6144),
    Cpu1024Mem7168 => (1024, 7168),
    Cpu1024Mem8192 => (1024, 8192),
    // 2048 CPU units: 4096 to 16384 MiB in steps of 1024
    Cpu2048Mem4096 => (2048, 4096),
    Cpu2048Mem5120 => (2048, 5120),
    Cpu2048Mem6144 => (2048, 6144),
    Cpu2048Mem7168 => (2048, 7168),
    Cpu2048Mem8192 => (2048, 8192),
    Cpu2048Mem9216 => (2048, 9216),
    Cpu2048Mem10240 => (2048, 10240),
    Cpu2048Mem11264 => (2048, 11264),
    Cpu2048Mem12288 => (2048, 12288),
    Cpu2048Mem13312 => (2048, 13312),
    Cpu2048Mem14336 => (2048, 14336),
    Cpu2048Mem15360 => (2048, 15360),
    Cpu2048Mem16384 => (2048, 16384),
    // 4096 CPU units: 8192 to 30720 MiB in steps of 1024
    Cpu4096Mem8192 => (4096, 8192),
    Cpu4096Mem9216 => (4096, 9216),
    Cpu4096Mem10240 => (4096, 10240),
    Cpu4096Mem11264 => (4096, 11264),
    Cpu4096Mem12288 => (4096, 12288),
    Cpu4096Mem13312 => (4096, 13312),
    Cpu4096Mem14336 => (4096, 14336),
    Cpu4096Mem15360 => (4096, 15360),
    Cpu4096Mem16384 => (4096, 16384),
    Cpu4096Mem17408 => (4096, 17408),
    Cpu4096Mem18432 => (4096, 18432),
    Cpu4096Mem19456 => (4096, 19456),
    Cpu4096Mem20480 => (4096, 20480),
    Cpu4096Mem21504 => (4096, 21504),
    Cpu4096Mem22528 => (4096, 22528),
    Cpu4096Mem23552 => (4096, 23552),
    Cpu4096Mem24576 => (4096, 24576),
    Cpu4096Mem25600 => (4096, 25600),
    Cpu4096Mem26624 => (4096, 26624),
    Cpu4096Mem27648 => (4096, 27648),
    Cpu4096Mem28672 => (4096, 28672),
    Cpu4096Mem29696 => (4096, 29696),
    Cpu4096Mem30720 => (4096, 30720),
    // 8192 CPU units: 16384 to 61440 MiB in steps of 4096
    Cpu8192Mem16384 => (8192, 16384),
    Cpu8192Mem20480 => (8192, 20480),
    Cpu8192Mem24576 => (8192, 24576),
    Cpu8192Mem28672 => (8192, 28672),
    Cpu8192Mem32768 => (8192, 32768),
    Cpu8192Mem36864 => (8192, 36864),
    Cpu8192Mem40960 => (8192, 40960),
    Cpu8192Mem45056 => (8192, 45056),
    Cpu8192Mem49152 => (8192, 49152),
    Cpu8192Mem53248 => (8192, 53248),
    Cpu8192Mem57344 => (8192, 57344),
    Cpu8192Mem61440 => (8192, 61440),
    // 16384 CPU units: 32768 to 122880 MiB in steps of 8192
    Cpu16384Mem32768 => (16384, 32768),
    Cpu16384Mem40960 => (16384, 40960),
    Cpu16384Mem49152 => (16384, 49152),
    Cpu16384Mem57344 => (16384, 57344),
    Cpu16384Mem65536 => (16384, 65536),
    Cpu16384Mem73728 => (16384, 73728),
    Cpu16384Mem81920 => (16384, 81920),
    Cpu16384Mem90112 => (16384, 90112),
    Cpu16384Mem98304 => (16384, 98304),
    Cpu16384Mem106496 => (16384, 106496),
    Cpu16384Mem114688 => (16384, 114688),
    Cpu16384Mem122880 => (16384, 122880),
}

impl FargateSize {
    /// CPU units (1024 = 1 vCPU).
    pub const fn cpu(self) -> u32 {
        self.parts().0
    }

    /// Memory in MiB.
    pub const fn memory_mib(self) -> u32 {
        self.parts().1
    }

    /// The size with this CPU and memory, if Fargate has it (for sizes read from
    /// configuration files).
    pub fn from_cpu_memory(cpu: u32, memory_mib: u32) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|size| size.parts() == (cpu, memory_mib))
    }
}

impl std::fmt::Display for FargateSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} CPU units / {} MiB", self.cpu(), self.memory_mib())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_fargate_combination() {
        assert_eq!(FargateSize::ALL.len(), 74);
        assert_eq!(FargateSize::ALL[0], FargateSize::Cpu256Mem512);
        assert_eq!(FargateSize::Cpu16384Mem122880.memory_mib(), 122880);
        assert!(FargateSize::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            FargateSize::from_cpu_memory(8192, 20480),
            Some(FargateSize::Cpu8192Mem20480)
        );
        assert_eq!(FargateSize::from_cpu_memory(8192, 18432), None);
    }
}
