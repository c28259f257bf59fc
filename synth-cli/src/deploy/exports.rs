//! The guard against removing an export that another stack still imports: CloudFormation
//! would refuse the update midway, after changing resources.

use aws_sdk_cloudformation::Client;
use serde_json::Value as Json;

use super::status::StackInfo;
use crate::error::EngineError;

/// Refuses a deploy that removes an export another stack still imports: CloudFormation would
/// fail the update only after changing resources. Export names that are not plain strings in
/// the new template cannot be compared, so then the check is left to CloudFormation.
pub(crate) async fn check_removed(
    cfn: &Client,
    label: &str,
    deployed: &StackInfo,
    template: &Json,
) -> Result<(), EngineError> {
    let Some(kept) = export_names(template) else {
        return Ok(());
    };
    for export in deployed
        .outputs
        .iter()
        .filter_map(|output| output.export_name.as_deref())
        .filter(|name| !kept.contains(name))
    {
        let importers = list_imports(cfn, label, export).await?;
        if !importers.is_empty() {
            return Err(EngineError::ExportInUse {
                stack: label.to_owned(),
                export: export.to_owned(),
                importers,
            });
        }
    }
    Ok(())
}

/// The export names of a template's outputs; `None` when one is not a plain string (it
/// cannot be compared before CloudFormation resolves it).
pub(crate) fn export_names(template: &Json) -> Option<Vec<&str>> {
    template
        .get("Outputs")
        .and_then(Json::as_object)
        .into_iter()
        .flat_map(|outputs| outputs.values())
        .filter_map(|output| output.get("Export").and_then(|export| export.get("Name")))
        .map(Json::as_str)
        .collect()
}

/// The stack names importing `export` (ListImports, every page; none when CloudFormation
/// says it is not imported).
pub(crate) async fn list_imports(
    cfn: &Client,
    label: &str,
    export: &str,
) -> Result<Vec<String>, EngineError> {
    let mut importers = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let answer = match cfn
            .list_imports()
            .export_name(export)
            .set_next_token(token.clone())
            .send()
            .await
        {
            Ok(answer) => answer,
            Err(error) => {
                let error = EngineError::aws(label, "ListImports", error);
                return match &error {
                    EngineError::Aws { message, .. }
                        if message.contains("is not imported by any stack") =>
                    {
                        Ok(importers)
                    }
                    _ => Err(error),
                };
            }
        };
        importers.extend(answer.imports().iter().cloned());
        token = answer.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(importers);
        }
    }
}
