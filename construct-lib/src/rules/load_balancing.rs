//! Elastic Load Balancing: HTTPS and its TLS policy, access logs, invalid headers.

use serde_json::Value as Json;

use super::{ResourceView, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "ELB1",
        severity: Severity::Warning,
        title: "a listener serves plain HTTP",
        why: "requests and responses, cookies included, cross the network unencrypted",
        fix: "serve HTTPS with a certificate and redirect HTTP to it (ListenerSettings::https, ListenerAction::RedirectToHttps)",
        checkov: &["CKV_AWS_2", "CKV_AWS_103"],
        cfn_lint: &[],
        resource_types: &["AWS::ElasticLoadBalancingV2::Listener"],
        check: plain_http,
    },
    Rule {
        id: "ELB2",
        severity: Severity::Warning,
        title: "an HTTPS listener allows TLS older than 1.2",
        why: "TLS 1.0 and 1.1 have known weaknesses; without SslPolicy the listener takes ELB's default policy",
        fix: "set an SslPolicy of TLS 1.2 or newer (ELBSecurityPolicy-TLS13-1-2-2021-06)",
        checkov: &["CKV_AWS_103"],
        cfn_lint: &[],
        resource_types: &["AWS::ElasticLoadBalancingV2::Listener"],
        check: old_tls,
    },
    Rule {
        id: "ELB3",
        severity: Severity::Warning,
        title: "a load balancer without access logs",
        why: "without access logs there is no record of the requests it served when an incident is investigated",
        fix: "enable access logs to an S3 bucket (LoadBalancerAttributes access_logs.s3.enabled)",
        checkov: &["CKV_AWS_91"],
        cfn_lint: &[],
        resource_types: &["AWS::ElasticLoadBalancingV2::LoadBalancer"],
        check: no_access_logs,
    },
    Rule {
        id: "ELB4",
        severity: Severity::Warning,
        title: "an application load balancer keeps invalid header fields",
        why: "headers with invalid names reach the targets, which helps request-smuggling attacks",
        fix: "set routing.http.drop_invalid_header_fields.enabled to true (the library's load balancers do)",
        checkov: &["CKV_AWS_131"],
        cfn_lint: &[],
        resource_types: &["AWS::ElasticLoadBalancingV2::LoadBalancer"],
        check: keeps_invalid_headers,
    },
];

fn protocol<'a>(view: &ResourceView<'a>) -> &'a str {
    view.at("/Protocol")
        .and_then(Json::as_str)
        .unwrap_or_default()
}

fn plain_http(view: &ResourceView<'_>) -> Option<String> {
    if protocol(view) != "HTTP" {
        return None;
    }
    let redirects = view.at("/DefaultActions/0/Type").and_then(Json::as_str) == Some("redirect")
        && view
            .at("/DefaultActions/0/RedirectConfig/Protocol")
            .and_then(Json::as_str)
            == Some("HTTPS");
    let port = view.at("/Port").cloned().unwrap_or_default();
    (!redirects).then(|| format!("HTTP on port {port}"))
}

fn old_tls(view: &ResourceView<'_>) -> Option<String> {
    if protocol(view) != "HTTPS" {
        return None;
    }
    let policy = view.at("/SslPolicy").and_then(Json::as_str);
    let modern = [
        "ELBSecurityPolicy-FS-1-2",
        "ELBSecurityPolicy-TLS-1-2",
        "ELBSecurityPolicy-TLS13-1-2",
        "ELBSecurityPolicy-TLS13-1-3",
    ];
    match policy {
        Some(p) if modern.iter().any(|m| p.starts_with(m)) => None,
        Some(p) => Some(format!("SslPolicy {p}")),
        None => Some("no SslPolicy (ELB's default)".to_owned()),
    }
}

/// The value of load balancer attribute `key`.
fn attribute<'a>(view: &ResourceView<'a>, key: &str) -> Option<&'a Json> {
    view.at("/LoadBalancerAttributes")
        .and_then(Json::as_array)?
        .iter()
        .find(|a| a.get("Key").and_then(Json::as_str) == Some(key))
        .and_then(|a| a.get("Value"))
}

fn no_access_logs(view: &ResourceView<'_>) -> Option<String> {
    let enabled = attribute(view, "access_logs.s3.enabled").and_then(Json::as_str) == Some("true");
    (!enabled).then(|| "access_logs.s3.enabled is not true".to_owned())
}

fn keeps_invalid_headers(view: &ResourceView<'_>) -> Option<String> {
    let application = view
        .at("/Type")
        .and_then(Json::as_str)
        .unwrap_or("application")
        == "application";
    let dropped = attribute(view, "routing.http.drop_invalid_header_fields.enabled")
        .and_then(Json::as_str)
        == Some("true");
    (application && !dropped)
        .then(|| "routing.http.drop_invalid_header_fields.enabled is not true".to_owned())
}
