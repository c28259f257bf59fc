//! `CreationPolicy` and `UpdatePolicy` as the typed structs of `construct_lib`
//! (`CreationPolicy { signal_count: .. }`). A policy with a key those structs do not have
//! (`BeforeAllowTrafficHook`, say), or an empty part they would not write back, is left to
//! an override by returning `None`.

use serde_json::{Map, Value as Json};

use super::rust;
use super::shapes::Marker;
use super::values::{Values, Want, intrinsic};

/// The keys of `object` when they are all among `allowed` and there is at least one.
fn only<'a>(object: &'a Json, allowed: &[&str]) -> Option<&'a Map<String, Json>> {
    let map = object.as_object()?;
    let fits = !map.is_empty()
        && intrinsic(object).is_none()
        && map.keys().all(|k| allowed.contains(&k.as_str()));
    fits.then_some(map)
}

/// `name: Some(value)` for each of `fields` (template key, Rust field, type) in `map`.
fn fields(
    values: &mut Values<'_>,
    map: &Map<String, Json>,
    fields: &[(&str, &str, Marker)],
    at: &str,
) -> Vec<String> {
    fields
        .iter()
        .filter_map(|(key, field, marker)| {
            let value = map.get(*key)?;
            let code = values.value(value, &Want::Value(marker.clone()), &format!("{at}.{key}"));
            Some(format!("{field}: Some({})", code.field()))
        })
        .collect()
}

fn literal(fields: Vec<String>, type_name: &str) -> String {
    if fields.is_empty() {
        format!("{type_name}::default()")
    } else {
        format!(
            "{type_name} {{ {}, ..Default::default() }}",
            fields.join(", ")
        )
    }
}

/// `.creation_policy(CreationPolicy { .. })`, if the policy fits the struct.
pub(crate) fn creation_policy(values: &mut Values<'_>, policy: &Json, at: &str) -> Option<String> {
    let map = only(policy, &["ResourceSignal", "AutoScalingCreationPolicy"])?;
    let mut all = Vec::new();
    if let Some(signal) = map.get("ResourceSignal") {
        let signal = only(signal, &["Count", "Timeout"])?;
        let spec = [
            ("Count", "signal_count", Marker::I64),
            ("Timeout", "signal_timeout", Marker::String),
        ];
        all.extend(fields(
            values,
            signal,
            &spec,
            &format!("{at}.ResourceSignal"),
        ));
    }
    if let Some(scaling) = map.get("AutoScalingCreationPolicy") {
        let scaling = only(scaling, &["MinSuccessfulInstancesPercent"])?;
        let spec = [(
            "MinSuccessfulInstancesPercent",
            "min_successful_instances_percent",
            Marker::I64,
        )];
        all.extend(fields(
            values,
            scaling,
            &spec,
            &format!("{at}.AutoScalingCreationPolicy"),
        ));
    }
    Some(format!(
        "\n.creation_policy({})",
        literal(all, "CreationPolicy")
    ))
}

/// `AutoScalingRollingUpdate` as `Some(RollingUpdate { .. })`.
fn rolling_update(values: &mut Values<'_>, update: &Json, at: &str) -> Option<String> {
    const KEYS: &[&str] = &[
        "MaxBatchSize",
        "MinInstancesInService",
        "MinSuccessfulInstancesPercent",
        "PauseTime",
        "SuspendProcesses",
        "WaitOnResourceSignals",
    ];
    let map = only(update, KEYS)?;
    let spec = [
        ("MaxBatchSize", "max_batch_size", Marker::I64),
        (
            "MinInstancesInService",
            "min_instances_in_service",
            Marker::I64,
        ),
        (
            "MinSuccessfulInstancesPercent",
            "min_successful_instances_percent",
            Marker::I64,
        ),
        ("PauseTime", "pause_time", Marker::String),
        (
            "WaitOnResourceSignals",
            "wait_on_resource_signals",
            Marker::Bool,
        ),
    ];
    let mut all = fields(values, map, &spec, at);
    if let Some(processes) = map.get("SuspendProcesses") {
        let names: Option<Vec<String>> = processes
            .as_array()
            .filter(|items| !items.is_empty())?
            .iter()
            .map(|p| {
                p.as_str()
                    .map(|p| format!("{}.to_owned()", rust::string(p)))
            })
            .collect();
        all.push(format!("suspend_processes: vec![{}]", names?.join(", ")));
    }
    Some(format!("Some({})", literal(all, "RollingUpdate")))
}

/// `.update_policy(UpdatePolicy { .. })`, if the policy fits the struct.
pub(crate) fn update_policy(values: &mut Values<'_>, policy: &Json, at: &str) -> Option<String> {
    const KEYS: &[&str] = &[
        "AutoScalingRollingUpdate",
        "AutoScalingReplacingUpdate",
        "AutoScalingScheduledAction",
        "CodeDeployLambdaAliasUpdate",
        "EnableVersionUpgrade",
        "UseOnlineResharding",
    ];
    let map = only(policy, KEYS)?;
    let mut all = fields(
        values,
        map,
        &[
            (
                "EnableVersionUpgrade",
                "enable_version_upgrade",
                Marker::Bool,
            ),
            ("UseOnlineResharding", "use_online_resharding", Marker::Bool),
        ],
        at,
    );
    if let Some(update) = map.get("AutoScalingRollingUpdate") {
        let at = format!("{at}.AutoScalingRollingUpdate");
        all.push(format!(
            "rolling_update: {}",
            rolling_update(values, update, &at)?
        ));
    }
    if let Some(replacing) = map.get("AutoScalingReplacingUpdate") {
        let replacing = only(replacing, &["WillReplace"])?;
        let spec = [("WillReplace", "replacing_update", Marker::Bool)];
        all.extend(fields(values, replacing, &spec, at));
    }
    if let Some(scheduled) = map.get("AutoScalingScheduledAction") {
        let scheduled = only(scheduled, &["IgnoreUnmodifiedGroupSizeProperties"])?;
        let spec = [(
            "IgnoreUnmodifiedGroupSizeProperties",
            "ignore_unmodified_group_size_properties",
            Marker::Bool,
        )];
        all.extend(fields(values, scheduled, &spec, at));
    }
    if let Some(alias) = map.get("CodeDeployLambdaAliasUpdate") {
        all.push(code_deploy_alias_update(values, alias, at)?);
    }
    Some(format!(
        "\n.update_policy({})",
        literal(all, "UpdatePolicy")
    ))
}

/// `CodeDeployLambdaAliasUpdate` with exactly its application and deployment group.
fn code_deploy_alias_update(values: &mut Values<'_>, alias: &Json, at: &str) -> Option<String> {
    let alias = only(alias, &["ApplicationName", "DeploymentGroupName"])?;
    let (Some(application), Some(group)) = (
        alias.get("ApplicationName"),
        alias.get("DeploymentGroupName"),
    ) else {
        return None;
    };
    let string = Want::Value(Marker::String);
    let application = values.value(application, &string, at).field();
    let group = values.value(group, &string, at).field();
    Some(format!(
        "code_deploy_lambda_alias_update: Some(({application}, {group}))"
    ))
}
