//! Hostile input to the L2 builders (property-based, with `proptest`): names, paths, ports,
//! counts and durations from anywhere in their types, strings with any Unicode. Whatever
//! the input, synthesis gives either a template or a list of problems, each naming the
//! construct path, the property, the value and what is allowed; it never panics. The
//! templates accepted along the way then pass cfn-lint (pinned by
//! `scripts/install-tools.sh`), so an accepted input is one CloudFormation would take too.
//!
//! The cases are the same on every run; `HOSTILE_RANDOM=1` explores new ones, and
//! `HOSTILE_TRACE=1` prints each input before it is built. Found so far, and mended: a
//! DocumentDB instance count or a VPC zone count of billions made that many resources
//! before the check reported it; log group and bucket names were not checked.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use construct_lib::docdb::DatabaseCluster;
use construct_lib::ec2::{SubnetConfiguration, Vpc};
use construct_lib::ecr::{LifecycleRule, Repository};
use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, FargateSize};
use construct_lib::logs::{LogGroup, RetentionDays};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::s3::{Bucket, LifecycleRule as BucketRule};
use construct_lib::sns::Topic;
use construct_lib::sqs::Queue;
use construct_lib::{App, Duration, synthesize};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Cases per group of builders: enough to reach every validation path often, small
/// enough for the 2-core CI machine (each case synthesizes a stack).
const CASES: u32 = 96;

/// At most this many accepted templates go to cfn-lint (about a second each).
const LINTED: usize = 24;

/// Names and paths: mostly plausible (lowercase letters and digits, so that whole apps are
/// often accepted and linted), the rest empty, huge, with spaces and slashes, or any
/// Unicode, control characters included.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z][a-z0-9]{2,15}",
        1 => "[A-Za-z0-9/._ -]{0,80}",
        1 => Just(String::new()),
        1 => any::<String>(),
        1 => "x{200,1200}",
    ]
}

/// A count or port: usually in its usual range, sometimes anywhere in its type.
fn number<T: Arbitrary + Copy + std::fmt::Debug + 'static>(
    usual: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = T> {
    prop_oneof![8 => usual.boxed(), 1 => any::<T>().boxed()]
}

/// A length of time: usually whole days (what retention and expiry settings take), else
/// any number of seconds or days up to the largest `u64`.
fn seconds() -> impl Strategy<Value = Duration> {
    prop_oneof![
        8 => (1u64..15).prop_map(Duration::days),
        1 => (0u64..100_000).prop_map(Duration::seconds),
        1 => any::<u64>().prop_map(Duration::seconds),
        1 => any::<u64>().prop_map(Duration::days),
    ]
}

/// A length of time: usually within `usual` seconds, else anything [`seconds`] makes.
fn seconds_within(usual: std::ops::Range<u64>) -> impl Strategy<Value = Duration> {
    prop_oneof![8 => usual.prop_map(Duration::seconds), 1 => seconds()]
}

/// What synthesis made of one hostile app.
enum Outcome {
    /// The templates of its stacks.
    Accepted(Vec<String>),
    /// Problems, each with its construct path, property and what is allowed.
    Refused,
    /// A problem that does not say where, what, or what is allowed.
    Unlocated(String),
}

fn outcome(app: &App, stack: &str) -> Outcome {
    match synthesize(app) {
        Ok(assembly) => Outcome::Accepted(
            assembly
                .stacks
                .iter()
                .map(|s| s.template_json.clone())
                .collect(),
        ),
        Err(errors) => {
            let unlocated = errors.problems.iter().find(|problem| {
                let located =
                    problem.path == stack || problem.path.starts_with(&format!("{stack}/"));
                !located || problem.property.is_empty() || problem.allowed.is_empty()
            });
            match unlocated {
                Some(problem) => Outcome::Unlocated(format!("{problem:?}")),
                None => Outcome::Refused,
            }
        }
    }
}

/// Runs [`CASES`] of `strategy` through `build` (which makes an app of one stack,
/// `stack`); returns the distinct templates accepted and how many inputs were refused.
/// Fails on a panic or on a problem without its path, property or allowed values.
fn explore<S: Strategy>(
    stack: &'static str,
    strategy: S,
    build: impl Fn(&S::Value) -> App,
) -> (BTreeMap<String, String>, usize) {
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    // The same cases on every run, so that CI is reproducible; HOSTILE_RANDOM=1 explores
    // new ones (a failure prints its input, shrunk).
    let mut runner = if std::env::var_os("HOSTILE_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    };
    let accepted = std::cell::RefCell::new(BTreeMap::new());
    let refused = std::cell::Cell::new(0usize);
    let result = runner.run(&strategy, |input| {
        // A case that never ends prints no failure: HOSTILE_TRACE=1 shows each input first.
        if std::env::var_os("HOSTILE_TRACE").is_some() {
            eprintln!("case {input:?}");
        }
        match outcome(&build(&input), stack) {
            Outcome::Accepted(templates) => {
                let mut accepted = accepted.borrow_mut();
                for template in templates {
                    if !accepted.values().any(|t| *t == template) {
                        let key = format!("{stack}-{}", accepted.len());
                        accepted.insert(key, template);
                    }
                }
            }
            Outcome::Refused => refused.set(refused.get() + 1),
            Outcome::Unlocated(problem) => {
                return Err(TestCaseError::fail(format!("unlocated problem: {problem}")));
            }
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{stack}: {failure}");
    }
    (accepted.into_inner(), refused.get())
}

#[derive(Debug, Clone)]
struct NetworkInput {
    cidr: String,
    zones: usize,
    nats: usize,
    mask: u8,
    subnet_name: String,
    bucket_name: String,
    prefix: String,
    expiry: Duration,
    log_group: String,
    retention_days: i64,
}

fn network_input() -> impl Strategy<Value = NetworkInput> {
    (
        prop_oneof![6 => Just("10.0.0.0/16".to_owned()), 1 => "10\\.[0-9]{1,3}\\.0\\.0/[0-9]{1,2}", 1 => text()],
        number(0usize..6),
        number(0usize..6),
        number(16u8..28),
        text(),
        text(),
        text(),
        seconds(),
        text(),
        prop_oneof![6 => Just(30i64), 1 => any::<i64>(), 1 => 0i64..4000],
    )
        .prop_map(
            |(cidr, zones, nats, mask, subnet_name, bucket_name, prefix, expiry, log_group, retention_days)| {
                NetworkInput {
                    cidr,
                    zones,
                    nats,
                    mask,
                    subnet_name,
                    bucket_name,
                    prefix,
                    expiry,
                    log_group,
                    retention_days,
                }
            },
        )
}

fn network_app(input: &NetworkInput) -> App {
    let mut app = App::new();
    let stack = app.stack("Hostile");
    Vpc::builder()
        .cidr(input.cidr.as_str())
        .max_azs(input.zones)
        .nat_gateways(input.nats)
        .subnet_configuration([
            SubnetConfiguration::public(input.subnet_name.as_str()).cidr_mask(input.mask),
            SubnetConfiguration::private_with_egress("Private").cidr_mask(input.mask),
        ])
        .build(stack, "Vpc");
    Bucket::builder()
        .bucket_name(input.bucket_name.as_str())
        .lifecycle_rule(BucketRule::prefix(input.prefix.as_str()).expire_after(input.expiry))
        .build(stack, "Bucket");
    let mut group = LogGroup::builder().log_group_name(input.log_group.as_str());
    if let Some(retention) = RetentionDays::from_days(input.retention_days) {
        group = group.retention(retention);
    }
    group.build(stack, "Logs");
    app
}

#[derive(Debug, Clone)]
struct MessagingInput {
    queue_name: String,
    fifo: bool,
    visibility: Duration,
    retention: Duration,
    delay: Duration,
    wait: Duration,
    max_size: i64,
    max_receives: i64,
    topic_name: String,
    display_name: String,
    repository: String,
    keep: u32,
    untagged_days: u32,
}

fn messaging_input() -> impl Strategy<Value = MessagingInput> {
    (
        (
            text(),
            prop_oneof![6 => Just(false), 1 => Just(true)],
            seconds_within(0..43_200),
            seconds(),
            seconds_within(0..900),
            seconds_within(0..20),
        ),
        (
            prop_oneof![6 => Just(262_144i64), 1 => any::<i64>()],
            number(1i64..20),
            text(),
            text(),
            text(),
            number(1u32..100),
            number(1u32..100),
        ),
    )
        .prop_map(
            |(
                (queue_name, fifo, visibility, retention, delay, wait),
                (max_size, max_receives, topic_name, display_name, repository, keep, untagged_days),
            )| MessagingInput {
                queue_name,
                fifo,
                visibility,
                retention,
                delay,
                wait,
                max_size,
                max_receives,
                topic_name,
                display_name,
                repository,
                keep,
                untagged_days,
            },
        )
}

fn messaging_app(input: &MessagingInput) -> App {
    let mut app = App::new();
    let stack = app.stack("Hostile");
    let dead = Queue::builder().fifo(input.fifo).build(stack, "Dead");
    Queue::builder()
        .queue_name(input.queue_name.as_str())
        .fifo(input.fifo)
        .visibility_timeout(input.visibility)
        .retention_period(input.retention)
        .delivery_delay(input.delay)
        .receive_message_wait_time(input.wait)
        .max_message_size_bytes(input.max_size)
        .dead_letter_queue(&dead, input.max_receives)
        .build(stack, "Queue");
    Topic::builder()
        .topic_name(input.topic_name.as_str())
        .display_name(input.display_name.as_str())
        .build(stack, "Topic");
    Repository::builder()
        .repository_name(input.repository.as_str())
        .lifecycle_rule(LifecycleRule::expire_untagged_after_days(input.untagged_days).priority(1))
        .lifecycle_rule(LifecycleRule::keep_last_images(input.keep).priority(2))
        .build(stack, "Repository");
    app
}

#[derive(Debug, Clone)]
struct ServiceInput {
    container: String,
    image: String,
    port: u16,
    health_check_path: String,
    env_name: String,
    env_value: String,
    grace: Duration,
    desired: u32,
    instances: u32,
    instance_class: String,
    username: String,
    backup: Duration,
    window: String,
    database_port: u16,
}

fn service_input() -> impl Strategy<Value = ServiceInput> {
    (
        (
            text(),
            prop_oneof![6 => Just("nginx:1.27".to_owned()), 1 => text()],
            number(1u16..10_000),
            prop_oneof![6 => Just("/health".to_owned()), 1 => text()],
            text(),
            text(),
            seconds(),
            number(0u32..10),
        ),
        (
            number(1u32..5),
            prop_oneof![6 => Just("db.t3.medium".to_owned()), 1 => text()],
            text(),
            prop_oneof![(1u64..40).prop_map(Duration::days), seconds()],
            prop_oneof![6 => Just("02:00-03:00".to_owned()), 1 => "[0-9:-]{0,14}", 1 => text()],
            number(1024u16..65_535),
        ),
    )
        .prop_map(
            |(
                (container, image, port, health_check_path, env_name, env_value, grace, desired),
                (instances, instance_class, username, backup, window, database_port),
            )| ServiceInput {
                container,
                image,
                port,
                health_check_path,
                env_name,
                env_value,
                grace,
                desired,
                instances,
                instance_class,
                username,
                backup,
                window,
                database_port,
            },
        )
}

fn service_app(input: &ServiceInput) -> App {
    let mut app = App::new();
    let stack = app.stack("Hostile");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let container = ContainerDefinition::new(
        input.container.as_str(),
        ContainerImage::from_registry(input.image.as_str()),
    )
    .port(input.port)
    .env(input.env_name.as_str(), input.env_value.as_str());
    let desired = input.desired;
    LoadBalancedFargateService::builder(&cluster)
        .size(FargateSize::Cpu256Mem512)
        .container(container)
        .health_check_path(input.health_check_path.as_str())
        .health_check_grace_period(input.grace)
        .service(move |service| service.desired_count(desired))
        .build(stack, "Web");
    DatabaseCluster::builder(&vpc)
        .instances(input.instances)
        .instance_class(input.instance_class.as_str())
        .master_username(input.username.as_str())
        .backup_retention(input.backup)
        .preferred_backup_window(input.window.as_str())
        .port(input.database_port)
        .build(stack, "Database");
    app
}

/// The cfn-lint executable: `$CFN_LINT`, else the one `scripts/install-tools.sh` installs.
fn cfn_lint() -> PathBuf {
    std::env::var_os("CFN_LINT").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tools/venv/bin/cfn-lint"),
        PathBuf::from,
    )
}

/// Lints up to [`LINTED`] of the accepted templates, spread over the groups.
fn lint_accepted(groups: &[&BTreeMap<String, String>]) {
    let cfn_lint = cfn_lint();
    assert!(
        cfn_lint.exists(),
        "cfn-lint not found at {}: run scripts/install-tools.sh or set CFN_LINT",
        cfn_lint.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let per_group = LINTED / groups.len().max(1);
    let mut files = Vec::new();
    for group in groups {
        for (name, template) in group.iter().take(per_group) {
            let path = dir.path().join(format!("{name}.template.json"));
            std::fs::write(&path, template).expect("write template");
            files.push(path);
        }
    }
    let output = Command::new(&cfn_lint)
        .args(["--format", "parseable"])
        .args(&files)
        .output()
        .expect("run cfn-lint");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "cfn-lint refused templates that synthesis accepted:\n{report}"
    );
}

#[test]
fn hostile_builder_input_gives_a_valid_template_or_located_problems() {
    let (network, network_refused) = explore("Hostile", network_input(), network_app);
    let (messaging, messaging_refused) = explore("Hostile", messaging_input(), messaging_app);
    let (service, service_refused) = explore("Hostile", service_input(), service_app);
    let groups = [&network, &messaging, &service];
    // The strategies must reach both outcomes, or they test less than they claim.
    for (name, accepted, refused) in [
        ("network", network.len(), network_refused),
        ("messaging", messaging.len(), messaging_refused),
        ("service", service.len(), service_refused),
    ] {
        assert!(
            accepted > 0 && refused > 0,
            "{name}: {accepted} accepted, {refused} refused of {CASES} cases"
        );
        eprintln!(
            "{name}: {CASES} cases, {accepted} distinct templates accepted, {refused} refused"
        );
    }
    lint_accepted(&groups);
}
