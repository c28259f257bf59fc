//! The IAM statements and security-group rules two templates add or remove: the changes a
//! reviewer must see on their own, and that make a deploy ask for approval when they grant
//! more.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use super::show;

/// An IAM policy statement added or removed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatementChange {
    /// Added (`true`) or removed.
    pub added: bool,
    /// The logical ID of the resource holding the policy.
    pub resource: String,
    /// Where in it (`AssumeRolePolicyDocument`, `Policies[0]`, `ManagedPolicyArns`).
    pub location: String,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// The principal, for trust and resource policies.
    pub principal: String,
    /// The actions, comma-separated.
    pub actions: String,
    /// The resources, comma-separated.
    pub resources: String,
    /// The condition block, if any.
    pub condition: String,
}

/// A security-group rule added or removed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleChange {
    /// Added (`true`) or removed.
    pub added: bool,
    /// The security group (`${WebSg.GroupId}` or the logical ID holding the rule).
    pub group: String,
    /// `ingress` or `egress`.
    pub direction: String,
    /// `tcp`, `udp`, `icmp`, `-1` (all).
    pub protocol: String,
    /// The port or range (`443`, `1024-65535`, `all`).
    pub ports: String,
    /// The other side: a CIDR, a security group or a prefix list.
    pub peer: String,
}

/// IAM and security-group changes between two templates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecurityChanges {
    /// Policy statements added or removed.
    pub statements: Vec<StatementChange>,
    /// Security-group rules added or removed.
    pub rules: Vec<RuleChange>,
}

impl SecurityChanges {
    /// The changes from `old` to `new` (templates as JSON; `Null` for none).
    pub fn between(old: &Json, new: &Json) -> Self {
        let (old_statements, new_statements) = (statements(old), statements(new));
        let (old_rules, new_rules) = (rules(old), rules(new));
        let mut changes = Self::default();
        for statement in new_statements.difference(&old_statements) {
            changes.statements.push(StatementChange {
                added: true,
                ..statement.clone()
            });
        }
        for statement in old_statements.difference(&new_statements) {
            changes.statements.push(StatementChange {
                added: false,
                ..statement.clone()
            });
        }
        for rule in new_rules.difference(&old_rules) {
            changes.rules.push(RuleChange {
                added: true,
                ..rule.clone()
            });
        }
        for rule in old_rules.difference(&new_rules) {
            changes.rules.push(RuleChange {
                added: false,
                ..rule.clone()
            });
        }
        changes
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty() && self.rules.is_empty()
    }

    /// Whether the change grants more: an `Allow` statement or a managed policy added, a
    /// `Deny` statement removed (a TLS-only bucket policy taken away opens what it closed), or
    /// a security-group rule added.
    pub fn broadens(&self) -> bool {
        self.statements
            .iter()
            .any(|statement| statement.added != (statement.effect == "Deny"))
            || self.rules.iter().any(|rule| rule.added)
    }
}

fn resources(template: &Json) -> impl Iterator<Item = (&String, &str, &Json)> {
    template
        .get("Resources")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(id, resource)| {
            (
                id,
                resource.get("Type").and_then(Json::as_str).unwrap_or(""),
                resource.get("Properties").unwrap_or(&Json::Null),
            )
        })
}

/// Every statement of every policy document in the template (`added` left `false`).
fn statements(template: &Json) -> BTreeSet<StatementChange> {
    let mut found = BTreeSet::new();
    for (id, _, properties) in resources(template) {
        let Some(properties) = properties.as_object() else {
            continue;
        };
        for (name, value) in properties {
            match name.as_str() {
                "PolicyDocument" | "AssumeRolePolicyDocument" | "KeyPolicy" => {
                    document_statements(id, name, value, &mut found);
                }
                "Policies" => {
                    for (index, policy) in value.as_array().into_iter().flatten().enumerate() {
                        let location = match policy.get("PolicyName").and_then(Json::as_str) {
                            Some(policy_name) => format!("Policies[{policy_name}]"),
                            None => format!("Policies[{index}]"),
                        };
                        if let Some(document) = policy.get("PolicyDocument") {
                            document_statements(id, &location, document, &mut found);
                        }
                    }
                }
                "ManagedPolicyArns" => {
                    for arn in value.as_array().into_iter().flatten() {
                        found.insert(StatementChange {
                            added: false,
                            resource: id.clone(),
                            location: name.clone(),
                            effect: "Allow".to_owned(),
                            principal: String::new(),
                            actions: format!("managed policy {}", show(arn)),
                            resources: String::new(),
                            condition: String::new(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn document_statements(
    id: &str,
    location: &str,
    document: &Json,
    found: &mut BTreeSet<StatementChange>,
) {
    let statements = match document.get("Statement") {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    for statement in statements {
        let field = |name: &str| statement.get(name).map(show).unwrap_or_default();
        found.insert(StatementChange {
            added: false,
            resource: id.to_owned(),
            location: location.to_owned(),
            effect: statement
                .get("Effect")
                .and_then(Json::as_str)
                .unwrap_or("Allow")
                .to_owned(),
            principal: if statement.get("NotPrincipal").is_some() {
                format!("NOT {}", field("NotPrincipal"))
            } else {
                field("Principal")
            },
            actions: if statement.get("NotAction").is_some() {
                format!("NOT {}", field("NotAction"))
            } else {
                field("Action")
            },
            resources: if statement.get("NotResource").is_some() {
                format!("NOT {}", field("NotResource"))
            } else {
                field("Resource")
            },
            condition: field("Condition"),
        });
    }
}

/// Every security-group rule in the template, inline or as its own resource.
fn rules(template: &Json) -> BTreeSet<RuleChange> {
    let mut found = BTreeSet::new();
    for (id, resource_type, properties) in resources(template) {
        match resource_type {
            "AWS::EC2::SecurityGroup" => {
                let group = format!("${{{id}.GroupId}}");
                for (list, direction) in [
                    ("SecurityGroupIngress", "ingress"),
                    ("SecurityGroupEgress", "egress"),
                ] {
                    for rule in properties
                        .get(list)
                        .and_then(Json::as_array)
                        .into_iter()
                        .flatten()
                    {
                        found.insert(rule_of(&group, direction, rule));
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
                let direction = if resource_type.ends_with("Ingress") {
                    "ingress"
                } else {
                    "egress"
                };
                let group = properties
                    .get("GroupId")
                    .or_else(|| properties.get("GroupName"))
                    .map(show)
                    .unwrap_or_else(|| id.clone());
                found.insert(rule_of(&group, direction, properties));
            }
            _ => {}
        }
    }
    found
}

fn rule_of(group: &str, direction: &str, rule: &Json) -> RuleChange {
    let field = |name: &str| rule.get(name).map(show);
    let protocol = field("IpProtocol").unwrap_or_else(|| "-1".to_owned());
    let ports = match (field("FromPort"), field("ToPort")) {
        _ if protocol == "-1" => "all".to_owned(),
        (Some(from), Some(to)) if from == to => from,
        (Some(from), Some(to)) => format!("{from}-{to}"),
        (Some(port), None) | (None, Some(port)) => port,
        (None, None) => "all".to_owned(),
    };
    let peer = [
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "DestinationSecurityGroupId",
        "SourcePrefixListId",
        "DestinationPrefixListId",
    ]
    .iter()
    .find_map(|name| field(name))
    .unwrap_or_else(|| "(none)".to_owned());
    RuleChange {
        added: false,
        group: group.to_owned(),
        direction: direction.to_owned(),
        protocol,
        ports,
        peer,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn added_allow_statement_and_ingress_rule_broaden_access() {
        let old = json!({"Resources": {}});
        let new = json!({"Resources": {
            "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                               "Resource": {"Fn::GetAtt": ["Bucket", "Arn"]}}]}}},
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                          "CidrIp": "0.0.0.0/0"}]}}
        }});
        let changes = SecurityChanges::between(&old, &new);
        assert!(changes.broadens());
        assert_eq!(changes.statements[0].resources, "${Bucket.Arn}");
        assert_eq!(changes.statements[0].actions, "s3:GetObject");
        assert_eq!(changes.rules[0].ports, "443");
        assert_eq!(changes.rules[0].peer, "0.0.0.0/0");
        assert_eq!(changes.rules[0].group, "${Sg.GroupId}");
        let reverse = SecurityChanges::between(&new, &old);
        assert!(!reverse.broadens(), "removing access narrows it");
        assert_eq!(reverse.statements.len(), 1);
        assert!(!reverse.statements[0].added);
    }

    #[test]
    fn deny_statements_do_not_broaden() {
        let new = json!({"Resources": {"P": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "PolicyDocument": {"Statement": {"Effect": "Deny", "Action": "s3:*",
                "Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}}}}}});
        let changes = SecurityChanges::between(&Json::Null, &new);
        assert_eq!(changes.statements.len(), 1);
        assert!(!changes.broadens());
    }
}
