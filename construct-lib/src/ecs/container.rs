//! Containers of a task definition: image, ports, environment, secrets, logging, health
//! check, dependencies, mounts and limits. A [`ContainerDefinition`] is a plain value; the
//! task definition checks the containers together and turns them into L1 values.

use cfn_l1::model::Value;

use crate::Duration;
use crate::logs::LogGroup;
use crate::secretsmanager::Secret;
use crate::ssm::StringParameter;

/// Where the image comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ContainerImage {
    /// A public or private registry image (`nginx:1.27`, `ghcr.io/org/app:v1`); no pull
    /// permission is granted.
    Registry(String),
    /// An image of an ECR repository of the account: the execution role gets pull access to
    /// that repository.
    Ecr {
        /// The repository's URI (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/app`).
        repository_uri: Value<String>,
        /// The repository's ARN, for the pull grant.
        repository_arn: Value<String>,
        /// The tag: a literal, or a value given at deploy time (a stack parameter).
        tag: Value<String>,
    },
}

impl ContainerImage {
    /// An image by registry name and tag.
    pub fn from_registry(image: impl Into<String>) -> Self {
        Self::Registry(image.into())
    }

    /// An image of `repository` by tag; the execution role of the task that runs it may
    /// pull from that repository (and nothing else).
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ecr::Repository;
    /// use construct_lib::ecs::ContainerImage;
    /// let mut app = App::new();
    /// let repository = Repository::builder().build(app.stack("Images"), "Api");
    /// let image = ContainerImage::from_ecr_repository(&repository, "1.4.2");
    /// # let _ = image;
    /// ```
    ///
    /// A tag from a stack parameter makes a release a parameter change:
    ///
    /// ```
    /// use construct_lib::{App, Parameter, Scope};
    /// use construct_lib::ecr::Repository;
    /// use construct_lib::ecs::ContainerImage;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let repository = Repository::builder().build(stack, "Api");
    /// let tag = stack.parameter("ImageTag", Parameter::string().default("1.0.0"));
    /// let image = ContainerImage::from_ecr_repository(&repository, tag.value());
    /// # let _ = image;
    /// ```
    pub fn from_ecr_repository(
        repository: &crate::ecr::Repository,
        tag: impl Into<Value<String>>,
    ) -> Self {
        Self::Ecr {
            repository_uri: repository.uri(),
            repository_arn: repository.arn(),
            tag: tag.into(),
        }
    }

    /// An image of an ECR repository of this account, by URI, ARN and tag.
    pub fn from_ecr(
        repository_uri: impl Into<Value<String>>,
        repository_arn: impl Into<Value<String>>,
        tag: impl Into<Value<String>>,
    ) -> Self {
        Self::Ecr {
            repository_uri: repository_uri.into(),
            repository_arn: repository_arn.into(),
            tag: tag.into(),
        }
    }
}

/// When a container may start, relative to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependencyCondition {
    /// The other has started.
    Start,
    /// The other has finished (any exit code); for a non-essential container.
    Complete,
    /// The other has finished with exit code 0; for a non-essential container.
    Success,
    /// The other's health check passes.
    Healthy,
}

impl DependencyCondition {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Start => "START",
            Self::Complete => "COMPLETE",
            Self::Success => "SUCCESS",
            Self::Healthy => "HEALTHY",
        }
    }
}

/// A value injected from a secret store, never written into the template.
#[derive(Clone, Debug)]
pub enum SecretSource {
    /// A Secrets Manager secret, whole or one JSON key of it.
    SecretsManager {
        /// The secret.
        secret: Secret,
        /// The JSON key, if the secret is a JSON object.
        json_key: Option<String>,
    },
    /// An SSM parameter (`SecureString` or `String`).
    Ssm(StringParameter),
}

/// Where a container's output goes.
#[derive(Clone, Debug)]
pub enum Logging {
    /// CloudWatch Logs through the `awslogs` driver, to the task definition's log group (or
    /// the one given), streams prefixed with `stream_prefix`.
    AwsLogs {
        /// The group. Default: one log group the task definition creates.
        log_group: Option<LogGroup>,
        /// The stream prefix.
        stream_prefix: String,
    },
    /// The task's FireLens log router, with these output options (`Name`, `region`, ...).
    FireLens {
        /// The router's output plugin options; values may be intrinsics (`fns::region()`).
        options: Vec<(String, Value<String>)>,
    },
    /// No logging.
    None,
}

impl Logging {
    /// CloudWatch Logs through the `awslogs` driver to `log_group`, streams prefixed with
    /// `stream_prefix`; the execution role may write to that group.
    ///
    /// ```
    /// use construct_lib::ecs::Logging;
    /// use construct_lib::logs::LogGroup;
    /// let logging = Logging::aws_logs(&LogGroup::from_name("/web/app"), "app");
    /// # let _ = logging;
    /// ```
    pub fn aws_logs(log_group: &LogGroup, stream_prefix: impl Into<String>) -> Self {
        Self::AwsLogs {
            log_group: Some(log_group.clone()),
            stream_prefix: stream_prefix.into(),
        }
    }

    /// CloudWatch Logs through the `awslogs` driver to the log group the task definition
    /// creates, streams prefixed with `stream_prefix` (the default logging uses the
    /// container's name).
    pub fn aws_logs_to_task_group(stream_prefix: impl Into<String>) -> Self {
        Self::AwsLogs {
            log_group: None,
            stream_prefix: stream_prefix.into(),
        }
    }

    /// Through the task's FireLens log router, with these output plugin options (`Name`,
    /// `region`, ...; values may be intrinsics such as `fns::region()`).
    pub fn firelens<K: Into<String>, V: Into<Value<String>>>(
        options: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self::FireLens {
            options: options
                .into_iter()
                .map(|(key, value)| (key.into(), value.into()))
                .collect(),
        }
    }
}

/// A container health check (Docker `HEALTHCHECK`).
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::ecs::HealthCheck;
/// let check = HealthCheck::shell("curl -f http://localhost:3000/health || exit 1")
///     .interval(Duration::seconds(15))
///     .start_period(Duration::minutes(1));
/// # let _ = check;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    pub(crate) command: Vec<String>,
    pub(crate) interval: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retries: u32,
    pub(crate) start_period: Duration,
}

impl HealthCheck {
    /// A shell command that exits 0 when healthy (`curl -f http://localhost:3000/health`).
    /// Defaults: every 30 seconds, 5 seconds' timeout, 3 retries, no start period.
    pub fn shell(command: impl Into<String>) -> Self {
        Self {
            command: vec!["CMD-SHELL".to_owned(), command.into()],
            interval: Duration::seconds(30),
            timeout: Duration::seconds(5),
            retries: 3,
            start_period: Duration::seconds(0),
        }
    }

    /// Time between checks, 5 to 300 seconds. Default: 30 seconds.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How long a check may take, 2 to 60 seconds. Default: 5 seconds.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Failures before the container is unhealthy, 1 to 10. Default: 3.
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// Grace after start during which failures do not count, 0 to 300 seconds.
    /// Default: none.
    pub fn start_period(mut self, period: Duration) -> Self {
        self.start_period = period;
        self
    }
}

/// A port the container listens on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortMapping {
    pub(crate) container_port: u16,
    pub(crate) protocol: &'static str,
    pub(crate) name: Option<String>,
    pub(crate) host_port: Option<u16>,
}

impl PortMapping {
    /// A TCP port, 1 to 65535.
    pub fn tcp(port: u16) -> Self {
        Self {
            container_port: port,
            protocol: "tcp",
            name: None,
            host_port: None,
        }
    }

    /// A UDP port, 1 to 65535.
    pub fn udp(port: u16) -> Self {
        Self {
            container_port: port,
            protocol: "udp",
            name: None,
            host_port: None,
        }
    }

    /// The mapping's name (Service Connect, load balancer targets); unique in the task.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The instance port the container port is published on, in `bridge` networking; `0`
    /// asks for a dynamic port from the instance's ephemeral range (32768 to 65535 on the
    /// ECS-optimized AMIs), so that several tasks fit on one instance. In `host` and
    /// `awsvpc` networking it can only equal the container port. Default: none (`bridge`:
    /// dynamic; otherwise the container port).
    ///
    /// ```
    /// use construct_lib::ecs::PortMapping;
    /// let fixed = PortMapping::tcp(8080).host_port(8081);
    /// let dynamic = PortMapping::tcp(8080).host_port(0);
    /// # let _ = (fixed, dynamic);
    /// ```
    pub fn host_port(mut self, port: u16) -> Self {
        self.host_port = Some(port);
        self
    }

    /// The container port.
    pub fn container_port(&self) -> u16 {
        self.container_port
    }
}

/// One container of a task.
///
/// ```
/// use construct_lib::ecs::{ContainerDefinition, ContainerImage, HealthCheck, PortMapping};
/// let app = ContainerDefinition::new("app", ContainerImage::from_registry("ghcr.io/acme/web:1.4.2"))
///     .port_mapping(PortMapping::tcp(3000).name("http"))
///     .env("NODE_ENV", "production")
///     .health_check(HealthCheck::shell("curl -f http://localhost:3000/health || exit 1"));
/// assert_eq!(app.name(), "app");
/// ```
#[derive(Clone, Debug)]
pub struct ContainerDefinition {
    pub(crate) name: String,
    pub(crate) image: ContainerImage,
    pub(crate) essential: bool,
    pub(crate) cpu: Option<u32>,
    pub(crate) memory_limit: Option<u32>,
    pub(crate) memory_reservation: Option<u32>,
    pub(crate) ports: Vec<PortMapping>,
    pub(crate) environment: Vec<(String, Value<String>)>,
    pub(crate) secrets: Vec<(String, SecretSource)>,
    pub(crate) logging: Option<Logging>,
    pub(crate) health_check: Option<HealthCheck>,
    pub(crate) depends_on: Vec<(String, DependencyCondition)>,
    pub(crate) mounts: Vec<(String, String, bool)>,
    pub(crate) ulimits: Vec<(String, i64, i64)>,
    pub(crate) stop_timeout: Option<Duration>,
    pub(crate) command: Option<Vec<String>>,
    pub(crate) entry_point: Option<Vec<String>>,
    pub(crate) log_router: Option<&'static str>,
    pub(crate) links: Vec<(String, Option<String>)>,
}

impl ContainerDefinition {
    /// A container `name` running `image`: essential, logging to CloudWatch Logs with its
    /// name as stream prefix, no ports.
    pub fn new(name: impl Into<String>, image: ContainerImage) -> Self {
        let name = name.into();
        Self {
            essential: true,
            cpu: None,
            memory_limit: None,
            memory_reservation: None,
            ports: Vec::new(),
            environment: Vec::new(),
            secrets: Vec::new(),
            logging: None,
            health_check: None,
            depends_on: Vec::new(),
            mounts: Vec::new(),
            ulimits: Vec::new(),
            stop_timeout: None,
            command: None,
            entry_point: None,
            log_router: None,
            links: Vec::new(),
            image,
            name,
        }
    }

    /// The container's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Links this container to container `name` of the task (reachable as `alias`, or its
    /// name), in `bridge` networking only: Docker's legacy links, which other network modes
    /// refuse (there, containers of a task reach each other on `localhost`). Default: none.
    pub fn link(mut self, name: impl Into<String>, alias: Option<&str>) -> Self {
        self.links.push((name.into(), alias.map(str::to_owned)));
        self
    }

    /// Whether the task stops when this container stops. Default: `true`.
    pub fn essential(mut self, essential: bool) -> Self {
        self.essential = essential;
        self
    }

    /// CPU units reserved for the container. Default: none (shares the task's).
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = Some(units);
        self
    }

    /// Hard memory limit in MiB. Default: none (the task's memory).
    pub fn memory_limit_mib(mut self, mib: u32) -> Self {
        self.memory_limit = Some(mib);
        self
    }

    /// Memory reserved in MiB (soft limit). Default: none.
    pub fn memory_reservation_mib(mut self, mib: u32) -> Self {
        self.memory_reservation = Some(mib);
        self
    }

    /// Adds a TCP port, 1 to 65535.
    pub fn port(self, port: u16) -> Self {
        self.port_mapping(PortMapping::tcp(port))
    }

    /// Adds a port mapping.
    pub fn port_mapping(mut self, mapping: PortMapping) -> Self {
        self.ports.push(mapping);
        self
    }

    /// Adds an environment variable (not for secrets: use [`ContainerDefinition::secret`]).
    pub fn env(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }

    /// Injects a Secrets Manager secret as variable `name`; the execution role gets read
    /// access to exactly that secret.
    pub fn secret(mut self, name: impl Into<String>, secret: &Secret) -> Self {
        self.secrets.push((
            name.into(),
            SecretSource::SecretsManager {
                secret: secret.clone(),
                json_key: None,
            },
        ));
        self
    }

    /// Injects one field of a JSON Secrets Manager secret as variable `name` (a database
    /// secret's `password`); the execution role gets read access to that secret.
    pub fn secret_field(
        mut self,
        name: impl Into<String>,
        secret: &Secret,
        key: impl Into<String>,
    ) -> Self {
        self.secrets.push((
            name.into(),
            SecretSource::SecretsManager {
                secret: secret.clone(),
                json_key: Some(key.into()),
            },
        ));
        self
    }

    /// Injects an SSM parameter as variable `name`; the execution role gets read access to
    /// exactly that parameter.
    pub fn ssm_secret(mut self, name: impl Into<String>, parameter: &StringParameter) -> Self {
        self.secrets
            .push((name.into(), SecretSource::Ssm(parameter.clone())));
        self
    }

    /// Where output goes. Default: CloudWatch Logs, to the task definition's log group, with
    /// the container's name as stream prefix.
    pub fn logging(mut self, logging: Logging) -> Self {
        self.logging = Some(logging);
        self
    }

    /// The health check. Default: none.
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    /// Starts this container only once `container` meets `condition`.
    pub fn depends_on(
        mut self,
        container: impl Into<String>,
        condition: DependencyCondition,
    ) -> Self {
        self.depends_on.push((container.into(), condition));
        self
    }

    /// Mounts task volume `volume` at `path`.
    pub fn mount(
        mut self,
        volume: impl Into<String>,
        path: impl Into<String>,
        read_only: bool,
    ) -> Self {
        self.mounts.push((volume.into(), path.into(), read_only));
        self
    }

    /// Sets a ulimit (`nofile`, soft, hard).
    pub fn ulimit(mut self, name: impl Into<String>, soft: i64, hard: i64) -> Self {
        self.ulimits.push((name.into(), soft, hard));
        self
    }

    /// Time between SIGTERM and SIGKILL, up to 120 seconds on Fargate. Default: 30 seconds
    /// (ECS's).
    pub fn stop_timeout(mut self, timeout: Duration) -> Self {
        self.stop_timeout = Some(timeout);
        self
    }

    /// The entry point, replacing the image's (`["sh", "-c"]` for an image whose entry
    /// point is a program, such as the AWS CLI's `aws`). Default: the image's.
    pub fn entry_point<S: Into<String>>(
        mut self,
        entry_point: impl IntoIterator<Item = S>,
    ) -> Self {
        self.entry_point = Some(entry_point.into_iter().map(Into::into).collect());
        self
    }

    /// The command, replacing the image's (given to the entry point as arguments).
    pub fn command<S: Into<String>>(mut self, command: impl IntoIterator<Item = S>) -> Self {
        self.command = Some(command.into_iter().map(Into::into).collect());
        self
    }

    /// Makes this container the task's FireLens log router with Fluent Bit; containers that
    /// use [`Logging::FireLens`] send their output through it. Its own output goes to
    /// CloudWatch Logs unless [`ContainerDefinition::logging`] says otherwise.
    pub fn fluent_bit_log_router(mut self) -> Self {
        self.log_router = Some("fluentbit");
        self
    }
}
