//! Gitana's network and data stack: the VPC over three zones, the DocumentDB cluster, the
//! OpenSearch domain, the attachments and configuration buckets, and the notification topic
//! feeding the UI's queue. Nothing here knows the services: they connect to it and are
//! granted its resources from their own stack.

use construct_lib::Duration;
use construct_lib::docdb::{DatabaseCluster, LogExport};
use construct_lib::ec2::{SubnetConfiguration, Vpc};
use construct_lib::kms::Key;
use construct_lib::opensearchservice::{Domain, LogType, MasterUser};
use construct_lib::s3::Bucket;
use construct_lib::sns::{Subscription, Topic};
use construct_lib::sqs::{Queue, QueueEncryption};
use construct_lib::{Output, RemovalPolicy, Scope, Stack};

use super::config::GitanaConfig;
use crate::accepted;
use crate::network::FLOW_LOG_RETENTION;

/// What the services stack uses of the data stack.
#[derive(Clone, Debug)]
pub struct Data {
    /// The VPC.
    pub vpc: Vpc,
    /// The DocumentDB cluster.
    pub database: DatabaseCluster,
    /// The OpenSearch domain.
    pub search: Domain,
    /// Binary attachments (read and written by the API).
    pub attachments: Bucket,
    /// Configuration files (read by the tasks).
    pub config: Bucket,
    /// Notifications the API publishes.
    pub notifications: Topic,
    /// The UI's queue, subscribed to the topic.
    pub ui_queue: Queue,
}

/// Adds the network and the data stores to `stack`.
pub fn build(stack: &mut Stack, config: &GitanaConfig) -> Data {
    let vpc = Vpc::builder()
        .cidr(config.vpc_cidr.as_str())
        .max_azs(config.max_azs)
        .nat_gateways(config.nat_gateways)
        .subnet_configuration([
            SubnetConfiguration::public("Public"),
            SubnetConfiguration::private_with_egress("Private"),
        ])
        .flow_logs(FLOW_LOG_RETENTION)
        .build(stack, "Vpc");
    let key = Key::builder()
        .alias(format!("alias/gitana-{}", config.environment))
        .description("Gitana messages at rest")
        .build(stack, "Key");
    let database = match &config.database.scope {
        Some(scope) => database(&mut stack.scope(scope), config, &vpc),
        None => database(stack, config, &vpc),
    };
    let search = search(stack, config, &vpc);
    let attachments = Bucket::builder()
        .versioned(true)
        .build(stack, "Attachments");
    let config_bucket = Bucket::builder().versioned(true).build(stack, "Config");
    accepted::bucket_without_access_logs(stack, "Attachments");
    accepted::bucket_without_access_logs(stack, "Config");
    let database_path = match &config.database.scope {
        Some(scope) => format!("{scope}/Database"),
        None => "Database".to_owned(),
    };
    accepted::secret_under_aws_key(stack, &format!("{database_path}/Secret"));
    accepted::secret_under_aws_key(stack, "Search/MasterUser");
    accepted::log_groups_under_service_encryption(stack);
    let notifications = Topic::builder()
        .display_name("Gitana notifications")
        .encryption_key(&key)
        .build(stack, "Notifications");
    let dead = Queue::builder()
        .encryption(QueueEncryption::Kms(key.clone()))
        .retention_period(Duration::days(14))
        .build(stack, "UiDeadLetters");
    let ui_queue = Queue::builder()
        .encryption(QueueEncryption::Kms(key.clone()))
        .visibility_timeout(Duration::minutes(2))
        .dead_letter_queue(&dead, 5)
        .build(stack, "UiQueue");
    notifications.add_subscription(
        stack,
        Subscription::sqs(&ui_queue).raw_message_delivery(true),
    );
    stack.output(
        "DatabaseEndpoint",
        Output::new(database.endpoint()).description("The DocumentDB writer endpoint"),
    );
    stack.output(
        "SearchEndpoint",
        Output::new(search.endpoint()).description("The OpenSearch endpoint"),
    );
    Data {
        vpc,
        database,
        search,
        attachments,
        config: config_bucket,
        notifications,
        ui_queue,
    }
}

fn database(scope: &mut impl Scope, config: &GitanaConfig, vpc: &Vpc) -> DatabaseCluster {
    let settings = &config.database;
    DatabaseCluster::builder(vpc)
        .instances(settings.instances)
        .instance_class(settings.instance_class.as_str())
        .master_username("gitana")
        .backup_retention(Duration::days(settings.backup_retention_days))
        .preferred_backup_window("02:00-03:00")
        .preferred_maintenance_window("sun:04:00-sun:05:00")
        .deletion_protection(settings.deletion_protection)
        .removal_policy(RemovalPolicy::Snapshot)
        .export_log(LogExport::Audit)
        .build(scope, "Database")
}

fn search(stack: &mut Stack, config: &GitanaConfig, vpc: &Vpc) -> Domain {
    let settings = &config.search;
    let mut domain = Domain::builder(vpc)
        .data_nodes(settings.data_nodes, settings.instance_type.as_str())
        .ebs_volume_gib(settings.volume_gib)
        .fine_grained_access_control(MasterUser::GeneratedSecret {
            username: "admin".into(),
        })
        .log(LogType::SearchSlowLogs)
        .log(LogType::ApplicationLogs)
        .log(LogType::AuditLogs);
    if let (Some(masters), Some(instance_type)) =
        (settings.master_nodes, &settings.master_instance_type)
    {
        domain = domain.dedicated_masters(masters, instance_type.as_str());
    }
    if let Some(zones) = settings.zone_awareness {
        domain = domain.zone_awareness(zones);
    }
    domain.build(stack, "Search")
}
