//! Text the commands print: the change table of a change set, the IAM and security-group
//! tables, a template diff, and a service's deployment during a release.

use comfy_table::{ContentArrangement, Table, presets};

use crate::deploy::ChangeRow;
use crate::deploy::services::ServiceDeploymentState;
use crate::diff::{ChangeKind, Impact, Moved, SecurityChanges, TemplateDiff, show};

fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::ASCII_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    table
}

/// One line for a service's deployment: `WebService: IN_PROGRESS (TEST_TRAFFIC_SHIFT), 1/2
/// tasks, alarms in ALARM: Errors, reason`.
pub fn service_deployment(service: &str, state: &ServiceDeploymentState) -> String {
    let mut line = format!("{service}: {}", state.status);
    if let Some(stage) = &state.stage {
        line.push_str(&format!(" ({stage})"));
    }
    line.push_str(&format!(", {}/{} tasks", state.running, state.desired));
    if !state.triggered_alarms.is_empty() {
        line.push_str(&format!(
            ", alarms in ALARM: {}",
            state.triggered_alarms.join(", ")
        ));
    }
    if let Some(reason) = &state.reason {
        line.push_str(&format!(", {reason}"));
    }
    line
}

/// The resource changes of a change set; replacements are flagged loudly.
pub fn change_table(changes: &[ChangeRow]) -> String {
    let mut table = table(&["Action", "Logical ID", "Type", "Replacement"]);
    for change in changes {
        let replacement = match change.replacement.as_str() {
            "True" => "!! REPLACE (True)".to_owned(),
            "Conditional" => "!! MAY REPLACE (Conditional)".to_owned(),
            "" => "-".to_owned(),
            other => other.to_owned(),
        };
        table.add_row(vec![
            change.action.clone(),
            change.logical_id.clone(),
            change.resource_type.clone(),
            replacement,
        ]);
    }
    table.to_string()
}

/// The IAM statement and security-group rule changes, each as its own table (empty text when
/// there are none).
pub fn security_tables(security: &SecurityChanges) -> String {
    let mut text = String::new();
    if !security.statements.is_empty() {
        let mut iam = table(&[
            "",
            "Resource",
            "Effect",
            "Principal",
            "Action",
            "Resource ARN",
            "Condition",
        ]);
        for statement in &security.statements {
            iam.add_row(vec![
                sign(statement.added).to_owned(),
                format!("{} {}", statement.resource, statement.location),
                statement.effect.clone(),
                statement.principal.clone(),
                statement.actions.clone(),
                statement.resources.clone(),
                statement.condition.clone(),
            ]);
        }
        text.push_str("IAM statement changes:\n");
        text.push_str(&iam.to_string());
        text.push('\n');
    }
    if !security.rules.is_empty() {
        let mut rules = table(&["", "Group", "Direction", "Protocol", "Ports", "Peer"]);
        for rule in &security.rules {
            rules.add_row(vec![
                sign(rule.added).to_owned(),
                rule.group.clone(),
                rule.direction.clone(),
                rule.protocol.clone(),
                rule.ports.clone(),
                rule.peer.clone(),
            ]);
        }
        text.push_str("Security group rule changes:\n");
        text.push_str(&rules.to_string());
        text.push('\n');
    }
    text
}

fn sign(added: bool) -> &'static str {
    if added { "+" } else { "-" }
}

/// Stack `stack`'s template diff as the `diff` command prints it: `[+]`, `[-]`, `[~]`, and
/// `[>]` for a renamed resource.
pub fn template_diff(stack: &str, diff: &TemplateDiff) -> String {
    if diff.is_empty() {
        return "There were no differences\n".to_owned();
    }
    let mut text = String::new();
    if !diff.resources.is_empty() {
        text.push_str("Resources\n");
    }
    for resource in &diff.resources {
        let impact = match (resource.kind, resource.impact) {
            (ChangeKind::Modified, Impact::Replace) => " !! requires replacement",
            (ChangeKind::Modified, Impact::MayReplace) => " !! may be replaced",
            (ChangeKind::Modified, Impact::Unknown) => " (unknown type: replacement not known)",
            _ => "",
        };
        let (sign, moved) = match &resource.moved {
            None => (resource.kind.sign(), String::new()),
            Some(Moved::From(at)) if at.stack == stack => {
                ('>', format!(" (renamed from {})", at.logical_id))
            }
            Some(Moved::From(at)) => (
                '>',
                format!(" (moved from stack {}, {})", at.stack, at.logical_id),
            ),
            Some(Moved::To(at)) => (
                '>',
                format!(" (moved to stack {}, {})", at.stack, at.logical_id),
            ),
        };
        text.push_str(&format!(
            "[{sign}] {} {}{moved}{impact}\n",
            resource.resource_type, resource.logical_id
        ));
        for attribute in &resource.attributes {
            text.push_str(&format!("    [~] {attribute}\n"));
        }
        for property in &resource.properties {
            let value = |value: &Option<serde_json::Value>| {
                value
                    .as_ref()
                    .map(show)
                    .unwrap_or_else(|| "(absent)".to_owned())
            };
            let note = match property.impact {
                Impact::Replace => " (requires replacement)",
                Impact::MayReplace => " (may cause replacement)",
                Impact::Update | Impact::Unknown => "",
            };
            text.push_str(&format!(
                "    [~] {}: {} -> {}{note}\n",
                property.path,
                value(&property.old),
                value(&property.new)
            ));
        }
    }
    let mut section = "";
    for change in &diff.sections {
        if change.section != section {
            section = &change.section;
            text.push_str(&format!("{section}\n"));
        }
        text.push_str(&format!("[{}] {}\n", change.kind.sign(), change.name));
    }
    text.push_str(&security_tables(&diff.security));
    text
}
