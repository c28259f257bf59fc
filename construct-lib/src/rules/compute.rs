//! ECS, ECR and EC2 instances: container privileges, host networking, logging and secrets,
//! Container Insights, image scanning and tags, IMDSv2, volume encryption, public IPs.

use serde_json::Value as Json;

use super::{ResourceView, Rule, Severity};

const TASK: &[&str] = &["AWS::ECS::TaskDefinition"];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "ECS1",
        severity: Severity::Error,
        title: "a privileged container",
        why: "a privileged container has root on its host: a compromise of the container is one of the instance",
        fix: "remove Privileged, and add the Linux capabilities the container needs",
        checkov: &[],
        cfn_lint: &[],
        resource_types: TASK,
        check: privileged,
    },
    Rule {
        id: "ECS2",
        severity: Severity::Warning,
        title: "a secret in a plain environment variable",
        why: "environment values are readable by anyone who can describe the task definition",
        fix: "pass it as a secret (ContainerDefinition::secret from Secrets Manager or SSM)",
        checkov: &[],
        cfn_lint: &[],
        resource_types: TASK,
        check: secret_in_environment,
    },
    Rule {
        id: "ECS3",
        severity: Severity::Warning,
        title: "a container without logging",
        why: "what the container writes is lost, and with it the trace of a failure",
        fix: "give it a log configuration (the library's containers log to CloudWatch by default)",
        checkov: &[],
        cfn_lint: &[],
        resource_types: TASK,
        check: no_logging,
    },
    Rule {
        id: "ECS4",
        severity: Severity::Warning,
        title: "a cluster without Container Insights",
        why: "without it there are no per-task CPU, memory and network metrics to investigate a slow or failing service",
        fix: "Cluster builder: container_insights(true) (CloudWatch charges for its metrics)",
        checkov: &["CKV_AWS_65"],
        cfn_lint: &[],
        resource_types: &["AWS::ECS::Cluster"],
        check: no_container_insights,
    },
    Rule {
        id: "ECR1",
        severity: Severity::Warning,
        title: "a repository without scan on push",
        why: "images with known vulnerabilities are pushed and run without anyone being told",
        fix: "Repository builder: scan_on_push(true)",
        checkov: &["CKV_AWS_163"],
        cfn_lint: &[],
        resource_types: &["AWS::ECR::Repository"],
        check: no_scan_on_push,
    },
    Rule {
        id: "ECR2",
        severity: Severity::Warning,
        title: "a repository with mutable tags",
        why: "a tag can be pushed again: what a task runs is then not what was tested under that tag",
        fix: "Repository builder: immutable_tags(true)",
        checkov: &["CKV_AWS_51"],
        cfn_lint: &[],
        resource_types: &["AWS::ECR::Repository"],
        check: mutable_tags,
    },
    Rule {
        id: "ECR3",
        severity: Severity::Warning,
        title: "a repository encrypted with AES-256 rather than KMS",
        why: "with KMS, reading the images also needs the key, and CloudTrail records each use",
        fix: "Repository builder: encryption_key(&key) (or EncryptionType KMS with AWS's key)",
        checkov: &["CKV_AWS_136"],
        cfn_lint: &[],
        resource_types: &["AWS::ECR::Repository"],
        check: not_kms,
    },
    Rule {
        id: "EC2-1",
        severity: Severity::Warning,
        title: "instances that accept IMDSv1",
        why: "IMDSv1 lets a server-side request forgery read the instance role's credentials",
        fix: "require tokens (MetadataOptions HttpTokens required; the library's launch templates do)",
        checkov: &["CKV_AWS_79"],
        cfn_lint: &[],
        resource_types: &["AWS::EC2::LaunchTemplate"],
        check: imds_v1,
    },
    Rule {
        id: "EC2-2",
        severity: Severity::Warning,
        title: "instances with unencrypted volumes",
        why: "a snapshot or a detached volume can be read by anyone who can reach it (unless the account encrypts new volumes by default)",
        fix: "set Ebs Encrypted true on each block device (the library's launch templates do)",
        checkov: &[],
        cfn_lint: &[],
        resource_types: &["AWS::EC2::LaunchTemplate"],
        check: unencrypted_volumes,
    },
    Rule {
        id: "EC2-3",
        severity: Severity::Warning,
        title: "instances with public IP addresses",
        why: "each instance is reachable from the internet as far as its security groups allow, not through a load balancer",
        fix: "launch in private subnets without AssociatePublicIpAddress, behind a load balancer or NAT",
        checkov: &[],
        cfn_lint: &[],
        resource_types: &["AWS::EC2::LaunchTemplate"],
        check: public_ip,
    },
    Rule {
        id: "ECS5",
        severity: Severity::Warning,
        title: "a task in host networking",
        why: "its containers share the instance's network stack: they reach whatever the instance reaches, its metadata service included",
        fix: "use awsvpc (own interface and security group) or bridge networking, unless the container must see the host's network",
        checkov: &[],
        cfn_lint: &[],
        resource_types: TASK,
        check: host_network,
    },
];

fn containers<'a>(view: &ResourceView<'a>) -> impl Iterator<Item = &'a Json> {
    view.at("/ContainerDefinitions")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
}

fn name(container: &Json) -> &str {
    container.get("Name").and_then(Json::as_str).unwrap_or("?")
}

/// The names of the containers `bad` finds, as a detail.
fn containers_where(
    view: &ResourceView<'_>,
    bad: impl Fn(&Json) -> bool,
    what: &str,
) -> Option<String> {
    let names: Vec<&str> = containers(view).filter(|c| bad(c)).map(name).collect();
    (!names.is_empty()).then(|| format!("{what}: {}", names.join(", ")))
}

fn privileged(view: &ResourceView<'_>) -> Option<String> {
    containers_where(
        view,
        |c| c.get("Privileged").and_then(Json::as_bool) == Some(true),
        "privileged",
    )
}

fn secret_in_environment(view: &ResourceView<'_>) -> Option<String> {
    let secret_like = |key: &str| {
        let key = key.to_ascii_uppercase();
        ["PASSWORD", "SECRET", "TOKEN", "PRIVATE_KEY", "API_KEY"]
            .iter()
            .any(|s| key.contains(s))
    };
    let found: Vec<String> = containers(view)
        .flat_map(|c| {
            c.get("Environment")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("Name").and_then(Json::as_str))
                .filter(|k| secret_like(k))
                .map(move |k| format!("{} {k}", name(c)))
        })
        .collect();
    (!found.is_empty()).then(|| format!("environment {}", found.join(", ")))
}

fn no_logging(view: &ResourceView<'_>) -> Option<String> {
    containers_where(
        view,
        |c| c.get("LogConfiguration").is_none(),
        "no LogConfiguration",
    )
}

fn no_container_insights(view: &ResourceView<'_>) -> Option<String> {
    let on = view
        .at("/ClusterSettings")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .any(|s| {
            s.get("Name").and_then(Json::as_str) == Some("containerInsights")
                && matches!(
                    s.get("Value").and_then(Json::as_str),
                    Some("enabled" | "enhanced")
                )
        });
    (!on).then(|| "containerInsights is not enabled".to_owned())
}

fn no_scan_on_push(view: &ResourceView<'_>) -> Option<String> {
    let on = view
        .at("/ImageScanningConfiguration/ScanOnPush")
        .and_then(Json::as_bool)
        == Some(true);
    (!on).then(|| "ScanOnPush is not true".to_owned())
}

fn mutable_tags(view: &ResourceView<'_>) -> Option<String> {
    let immutable = view
        .at("/ImageTagMutability")
        .and_then(Json::as_str)
        .is_some_and(|m| m.starts_with("IMMUTABLE"));
    (!immutable).then(|| "ImageTagMutability is not IMMUTABLE".to_owned())
}

fn not_kms(view: &ResourceView<'_>) -> Option<String> {
    let kms = view
        .at("/EncryptionConfiguration/EncryptionType")
        .and_then(Json::as_str)
        .is_some_and(|t| t.starts_with("KMS"));
    (!kms).then(|| "EncryptionType is AES256".to_owned())
}

fn imds_v1(view: &ResourceView<'_>) -> Option<String> {
    let required = view
        .at("/LaunchTemplateData/MetadataOptions/HttpTokens")
        .and_then(Json::as_str)
        == Some("required");
    (!required).then(|| "MetadataOptions.HttpTokens is not required".to_owned())
}

fn unencrypted_volumes(view: &ResourceView<'_>) -> Option<String> {
    let devices: Vec<&str> = view
        .at("/LaunchTemplateData/BlockDeviceMappings")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(|device| {
            device.get("Ebs").is_some()
                && device.pointer("/Ebs/Encrypted").and_then(Json::as_bool) != Some(true)
        })
        .map(|device| {
            device
                .get("DeviceName")
                .and_then(Json::as_str)
                .unwrap_or("?")
        })
        .collect();
    (!devices.is_empty()).then(|| format!("{} not encrypted", devices.join(", ")))
}

fn public_ip(view: &ResourceView<'_>) -> Option<String> {
    let public = view
        .at("/LaunchTemplateData/NetworkInterfaces")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .any(|interface| {
            interface
                .get("AssociatePublicIpAddress")
                .and_then(Json::as_bool)
                == Some(true)
        });
    public.then(|| "AssociatePublicIpAddress true".to_owned())
}

fn host_network(view: &ResourceView<'_>) -> Option<String> {
    (view.at("/NetworkMode").and_then(Json::as_str) == Some("host"))
        .then(|| "NetworkMode host".to_owned())
}
