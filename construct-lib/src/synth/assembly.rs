//! The cloud assembly: `manifest.json` in the AWS CDK's format plus one template per stack,
//! so that the CDK CLI and other tools read it too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};

use crate::core::environment::Environment;
use crate::problem::Problem;

/// The version of the cloud assembly schema written to `manifest.json`. The CDK CLI compares
/// only the major (2.1148.1 accepts ≤ 55; the odd 3.0.0 accepts ≤ 43).
pub const MANIFEST_VERSION: &str = "36.0.0";

/// The template file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// `<Stack>.template.json` (what the manifest points at). Default.
    #[default]
    Json,
    /// Also `<Stack>.template.yaml` beside the JSON template (the CDK CLI reads JSON only).
    Yaml,
}

/// One synthesized stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackArtifact {
    /// The stack name.
    pub name: String,
    /// Where it deploys.
    pub environment: Environment,
    /// Names of the stacks it must be deployed after.
    pub dependencies: Vec<String>,
    /// Stack-level tags.
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
    /// Number of resources in the template.
    pub resource_count: usize,
    /// The template.
    pub template: Json,
    /// The template as written (`<Stack>.template.json`).
    pub template_json: String,
}

impl StackArtifact {
    /// The template file name, `<Stack>.template.json`.
    pub fn template_file(&self) -> String {
        format!("{}.template.json", self.name)
    }
}

/// Every stack of an app, rendered.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudAssembly {
    /// The stacks, in the order they were added to the app.
    pub stacks: Vec<StackArtifact>,
    /// Problems that did not stop synthesis.
    pub warnings: Vec<Problem>,
    /// What the rule pack ([`crate::rules`]) found, accepted (with the suppression's
    /// reason) or not; unaccepted errors stop synthesis instead.
    pub findings: Vec<crate::rules::Finding>,
}

/// Writing the assembly failed.
#[derive(Debug, thiserror::Error)]
#[error("writing {path}: {source}")]
pub struct WriteError {
    /// The file or directory concerned.
    pub path: PathBuf,
    /// The I/O error.
    #[source]
    pub source: std::io::Error,
}

/// The JSON text of a template: pretty-printed, one-space indent like the CDK, final newline.
pub(crate) fn to_json_text(template: &Json) -> String {
    let mut buffer = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
    // Serializing a `serde_json::Value` into memory cannot fail.
    let _ = serde::Serialize::serialize(template, &mut serializer);
    let mut text = String::from_utf8(buffer).unwrap_or_default();
    text.push('\n');
    // The buffer grew by doubling; an assembly keeps every stack's text until it is written.
    text.shrink_to_fit();
    text
}

/// The length of `text`, written by [`to_json_text`], without its indentation and line
/// breaks: the length of `serde_json::to_string` of the same template, counted without
/// writing the template a second time. Whitespace inside strings is escaped or kept, so
/// only whitespace outside strings is counted out.
pub(crate) fn compact_len(text: &str) -> usize {
    let mut in_string = false;
    let mut escaped = false;
    let mut layout = 0;
    for &byte in text.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
        } else if matches!(byte, b' ' | b'\n') {
            layout += 1;
        }
    }
    text.len() - layout
}

impl CloudAssembly {
    /// The `manifest.json` content.
    pub fn manifest(&self) -> Json {
        let mut artifacts = Map::new();
        for stack in &self.stacks {
            let mut properties = Map::new();
            properties.insert("templateFile".to_owned(), json!(stack.template_file()));
            properties.insert("stackName".to_owned(), json!(stack.name));
            if !stack.tags.is_empty() {
                properties.insert("tags".to_owned(), json!(stack.tags));
            }
            if stack.termination_protection {
                properties.insert("terminationProtection".to_owned(), json!(true));
            }
            let mut artifact = Map::new();
            artifact.insert("type".to_owned(), json!("aws:cloudformation:stack"));
            artifact.insert(
                "environment".to_owned(),
                json!(stack.environment.to_string()),
            );
            artifact.insert("displayName".to_owned(), json!(stack.name));
            artifact.insert("properties".to_owned(), Json::Object(properties));
            if !stack.dependencies.is_empty() {
                artifact.insert("dependencies".to_owned(), json!(stack.dependencies));
            }
            artifacts.insert(stack.name.clone(), Json::Object(artifact));
        }
        json!({ "version": MANIFEST_VERSION, "artifacts": artifacts })
    }

    /// A stack by name.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// Writes the assembly into `dir` (created if needed). Templates a previous synthesis
    /// wrote for stacks that no longer exist are removed. Returns the files written.
    pub fn write(&self, dir: &Path, format: Format) -> Result<Vec<PathBuf>, WriteError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let mut written = Vec::new();
        let wanted: Vec<String> = self
            .stacks
            .iter()
            .flat_map(|s| [s.template_file(), format!("{}.template.yaml", s.name)])
            .collect();
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default()
                .to_owned();
            let ours = file.ends_with(".template.json") || file.ends_with(".template.yaml");
            if ours && !wanted.contains(&file) {
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
        }
        for stack in &self.stacks {
            let path = dir.join(stack.template_file());
            std::fs::write(&path, &stack.template_json).map_err(io(&path))?;
            written.push(path);
            let yaml_path = dir.join(format!("{}.template.yaml", stack.name));
            if format == Format::Yaml {
                let yaml = serde_yaml_ng::to_string(&stack.template).map_err(|e| WriteError {
                    path: yaml_path.clone(),
                    source: std::io::Error::other(e),
                })?;
                std::fs::write(&yaml_path, yaml).map_err(io(&yaml_path))?;
                written.push(yaml_path);
            } else if yaml_path.exists() {
                std::fs::remove_file(&yaml_path).map_err(io(&yaml_path))?;
            }
        }
        let manifest_path = dir.join("manifest.json");
        std::fs::write(&manifest_path, to_json_text(&self.manifest()))
            .map_err(io(&manifest_path))?;
        written.push(manifest_path);
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_len_is_the_length_of_the_template_without_its_layout() {
        let template = json!({
            "Description": "a \"quoted\" text with  spaces,\nline breaks and \\ backslashes",
            "Resources": {
                "Empty": {"Type": "AWS::SNS::Topic", "Properties": {}},
                "List": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [], "N": [1, 2.5, true, null]}},
                "Unicode": {"Type": "AWS::S3::Bucket", "Metadata": {"note": "é ✓ \u{1F600}"}}
            }
        });
        let text = to_json_text(&template);
        let compact = serde_json::to_string(&template).expect("json");
        assert!(text.len() > compact.len());
        assert_eq!(compact_len(&text), compact.len());
    }
}
