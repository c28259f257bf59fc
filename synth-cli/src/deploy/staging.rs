//! Templates over 51,200 bytes: uploaded to the staging bucket of the region's staging stack
//! (deployed by `bootstrap`), then passed to CloudFormation by URL.

use sha2::{Digest, Sha256};

use super::change_set::TemplateSource;
use crate::aws::Session;
use crate::bootstrap::STAGING_BUCKET_ID;
use crate::error::EngineError;

/// The largest template CloudFormation takes in the request body.
pub const MAX_TEMPLATE_BODY: usize = 51_200;

/// The largest template CloudFormation reads from S3.
pub const MAX_TEMPLATE_URL: usize = 1_000_000;

/// Where the template goes: in the request when it fits, else staged in S3.
pub async fn template_source(
    session: &Session,
    region: &str,
    toolkit_stack: &str,
    label: &str,
    stack_name: &str,
    body: &str,
) -> Result<TemplateSource, EngineError> {
    let compact = (body.len() > MAX_TEMPLATE_BODY)
        .then(|| compact_json(body))
        .flatten();
    let body = compact.as_deref().unwrap_or(body);
    if body.len() <= MAX_TEMPLATE_BODY {
        return Ok(TemplateSource::Body(body.to_owned()));
    }
    if body.len() > MAX_TEMPLATE_URL {
        return Err(EngineError::TemplateTooLarge {
            stack: label.to_owned(),
            size: body.len(),
        });
    }
    let bucket = staging_bucket(session, region, toolkit_stack, label, body.len()).await?;
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    let key = format!("templates/{stack_name}/{hex}.json");
    session
        .s3(region)
        .put_object()
        .bucket(&bucket)
        .key(&key)
        .content_type("application/json")
        .body(body.as_bytes().to_vec().into())
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "PutObject", error))?;
    Ok(TemplateSource::Url(template_url(&bucket, region, &key)))
}

/// A JSON template without its indentation: CloudFormation counts whitespace against its
/// limits, and the written template is indented for people (like the CDK's). `None` for a
/// body that is not JSON (a YAML template is sent as written).
fn compact_json(body: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .map(|template| template.to_string())
}

/// The bucket of the staging stack, or a message that tells the user to bootstrap.
async fn staging_bucket(
    session: &Session,
    region: &str,
    toolkit_stack: &str,
    label: &str,
    size: usize,
) -> Result<String, EngineError> {
    let not_bootstrapped = || EngineError::NotBootstrapped {
        stack: label.to_owned(),
        size,
        region: region.to_owned(),
        toolkit: toolkit_stack.to_owned(),
    };
    let answer = session
        .cloudformation(region)
        .describe_stack_resource()
        .stack_name(toolkit_stack)
        .logical_resource_id(STAGING_BUCKET_ID)
        .send()
        .await;
    match answer {
        Ok(answer) => answer
            .stack_resource_detail()
            .and_then(|detail| detail.physical_resource_id())
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .ok_or_else(not_bootstrapped),
        Err(error) => {
            let error = EngineError::aws(label, "DescribeStackResource", error);
            match &error {
                EngineError::Aws {
                    code: Some(code), ..
                } if code == "ValidationError" => Err(not_bootstrapped()),
                _ => Err(error),
            }
        }
    }
}

/// The virtual-hosted URL CloudFormation reads the template from.
fn template_url(bucket: &str, region: &str, key: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{bucket}.s3.{region}.{suffix}/{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_use_the_regional_virtual_hosted_form() {
        assert_eq!(
            template_url("b", "eu-west-1", "templates/S/x.json"),
            "https://b.s3.eu-west-1.amazonaws.com/templates/S/x.json"
        );
        assert_eq!(
            template_url("b", "cn-north-1", "k"),
            "https://b.s3.cn-north-1.amazonaws.com.cn/k"
        );
    }
}
