//! The risks this repository's scenarios accept, each with its reason: the findings of the
//! rule pack (`construct_lib::rules`) that are not mended in code. Each function suppresses
//! one kind of finding on the construct it is given, so a reader sees in the scenario which
//! construct accepts what; the reason travels into the template (`Metadata.checkov.skip`),
//! where checkov reads it. What was mended instead: ECR repositories under KMS, DocumentDB
//! backups of 7 days or more, flow logs on every VPC, Container Insights on the clusters
//! (dev of scenario 3 excepted), OpenSearch audit logs, no `logs:` writes on `*` for
//! container instances.

use construct_lib::Scope;

/// Log groups keep CloudWatch Logs' own encryption at rest (rule LOGS1), for every log group
/// under `scope`.
pub fn log_groups_under_service_encryption(scope: &mut impl Scope) {
    scope.suppress(
        "LOGS1",
        "CloudWatch Logs encrypts these groups at rest with its own keys; they hold container \
         output (the containers read their secrets from Secrets Manager and SSM, they do not \
         log them), VPC flow records and search-engine logs, for which a customer key, with \
         its monthly charge and a key policy admitting logs.<region>.amazonaws.com, is not \
         used",
    );
}

/// A listener that serves plain HTTP (rule ELB1): `listener` is its path under `scope`, and
/// `why` says why it has no certificate.
pub fn plain_http_listener(scope: &mut impl Scope, listener: &str, why: &str) {
    scope.suppress_under(listener, "ELB1", &plain_http_reason(why));
}

/// A load balancer whose security group admits port 80 from the internet (rule SG2), for
/// the plain HTTP listener that [`plain_http_listener`] accepts.
pub fn http_open_to_internet(scope: &mut impl Scope, load_balancer: &str, why: &str) {
    scope.suppress_under(
        &format!("{load_balancer}/SecurityGroup"),
        "SG2",
        &plain_http_reason(why),
    );
}

/// A load balancer whose security group admits port 80 from the internet (rule SG2) for a
/// listener that only redirects to HTTPS.
pub fn http_redirect_open_to_internet(scope: &mut impl Scope, load_balancer: &str) {
    scope.suppress_under(
        &format!("{load_balancer}/SecurityGroup"),
        "SG2",
        "port 80 answers with a redirect to HTTPS only, so that addresses typed without \
         https:// reach the service",
    );
}

fn plain_http_reason(why: &str) -> String {
    format!("{why}, so it serves plain HTTP; given a certificate, it would serve HTTPS")
}

/// A blue/green test listener on plain HTTP (rule ELB1): it admits the VPC's addresses only
/// and serves the new tasks before they take traffic.
pub fn plain_http_test_listener(scope: &mut impl Scope, listener: &str) {
    scope.suppress_under(
        listener,
        "ELB1",
        "the test listener of a blue/green release reaches the new tasks before they take \
         traffic; it carries test requests only and admits the VPC's addresses only",
    );
}

/// A load balancer without access logs (rule ELB3).
pub fn load_balancer_without_access_logs(scope: &mut impl Scope, load_balancer: &str) {
    scope.suppress_under(
        load_balancer,
        "ELB3",
        "no access-log bucket in this scenario: the application's own request logs in \
         CloudWatch Logs and the load balancer's metrics are the record of requests",
    );
}

/// A topic that carries alarm and ECS event notifications without a KMS key (rule SNS1).
pub fn notification_topic_without_key(scope: &mut impl Scope, topic: &str) {
    scope.suppress_under(
        topic,
        "SNS1",
        "the topic carries alarm and ECS event notifications (names and states, no \
         application data); CloudWatch alarms cannot publish to a topic under AWS's aws/sns \
         key, and a customer key is not worth its charge for these",
    );
}

/// A bucket without server access logs (rule S3-1).
pub fn bucket_without_access_logs(scope: &mut impl Scope, bucket: &str) {
    scope.suppress_under(
        bucket,
        "S3-1",
        "server access logs would need a second bucket; object-level audit of this bucket is \
         left to CloudTrail data events, which the account turns on for the buckets it audits",
    );
}

/// A secret under AWS's managed key for Secrets Manager (rule SM1).
pub fn secret_under_aws_key(scope: &mut impl Scope, secret: &str) {
    scope.suppress_under(
        secret,
        "SM1",
        "only this application's roles are granted to read the secret; a customer key would \
         add a key policy to keep in step with those grants and nothing else",
    );
}
