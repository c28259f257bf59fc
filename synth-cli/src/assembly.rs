//! The stacks a command works on: synthesized from the app in this process, or read from a
//! cloud assembly directory another step wrote (`--app cdk.out`), and the selection of stacks
//! a command line names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use construct_lib::wildcard::matches;
use construct_lib::{CloudAssembly, Environment};
use serde_json::Value as Json;

/// One stack ready to deploy: its template text and what the manifest says about it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeployableStack {
    /// The artifact id in the manifest (the stack's name in the app).
    pub id: String,
    /// The CloudFormation stack name (the manifest's `stackName`; the id when absent).
    pub stack_name: String,
    /// Where it deploys; unresolved parts come from the credentials and `--region`.
    pub environment: Environment,
    /// Ids of the stacks that must be deployed first.
    pub dependencies: Vec<String>,
    /// Stack-level tags.
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection must be on.
    pub termination_protection: bool,
    /// The template as sent to CloudFormation.
    pub template_body: String,
    /// The parsed template.
    pub template: Json,
}

/// The stacks of an app or of a cloud assembly directory, in dependency order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assembly {
    /// Every stack; a stack comes after the stacks it depends on.
    pub stacks: Vec<DeployableStack>,
}

/// Why a cloud assembly directory could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AssemblyError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not valid JSON.
    #[error("{path} is not valid JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// The manifest lacks something a stack artifact needs.
    #[error("{path}: artifact {artifact}: {problem}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// The artifact id.
        artifact: String,
        /// What is wrong.
        problem: String,
    },
}

/// Why the stacks named on the command line do not select anything deployable.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SelectionError {
    /// A name or pattern matched no stack.
    #[error("no stack matches `{pattern}`; the stacks are: {available}")]
    NoMatch {
        /// What the user typed.
        pattern: String,
        /// The stack ids, comma-separated.
        available: String,
    },
    /// Several stacks and neither names nor `--all`.
    #[error("this app has {count} stacks ({available}): name the stacks to use, or pass --all")]
    Ambiguous {
        /// How many stacks there are.
        count: usize,
        /// The stack ids, comma-separated.
        available: String,
    },
    /// The app has no stacks.
    #[error("the app has no stacks (to use a cloud assembly directory, pass --app DIR)")]
    Empty,
}

/// Whether a selection also takes the stacks around the named ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extend {
    /// Only the named stacks (`--exclusively`).
    Exclusively,
    /// The named stacks and everything they depend on (what `deploy` needs).
    Upstream,
    /// The named stacks and everything that depends on them (what `destroy` needs).
    Downstream,
}

impl Assembly {
    /// The stacks of a synthesized app.
    pub fn from_cloud_assembly(assembly: &CloudAssembly) -> Self {
        let stacks = assembly
            .stacks
            .iter()
            .map(|stack| DeployableStack {
                id: stack.name.clone(),
                stack_name: stack.name.clone(),
                environment: stack.environment.clone(),
                dependencies: stack.dependencies.clone(),
                tags: stack.tags.clone(),
                termination_protection: stack.termination_protection,
                template_body: stack.template_json.clone(),
                template: stack.template.clone(),
            })
            .collect();
        Self::ordered(stacks)
    }

    /// Reads the cloud assembly in `dir` (`manifest.json` and the templates it names), as
    /// written by `synth` or by the AWS CDK.
    pub fn read(dir: &Path) -> Result<Self, AssemblyError> {
        let manifest_path = dir.join("manifest.json");
        let manifest = read_json(&manifest_path)?;
        let problem = |artifact: &str, problem: &str| AssemblyError::Manifest {
            path: manifest_path.clone(),
            artifact: artifact.to_owned(),
            problem: problem.to_owned(),
        };
        let mut stacks = Vec::new();
        let artifacts = manifest
            .get("artifacts")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        for (id, artifact) in &artifacts {
            if artifact.get("type").and_then(Json::as_str) != Some("aws:cloudformation:stack") {
                continue;
            }
            let properties = artifact.get("properties").cloned().unwrap_or(Json::Null);
            let template_file = properties
                .get("templateFile")
                .and_then(Json::as_str)
                .ok_or_else(|| problem(id, "properties.templateFile is missing"))?;
            let template_path = dir.join(template_file);
            let template_body =
                std::fs::read_to_string(&template_path).map_err(|source| AssemblyError::Io {
                    path: template_path.clone(),
                    source,
                })?;
            let template =
                serde_json::from_str(&template_body).map_err(|source| AssemblyError::Json {
                    path: template_path.clone(),
                    source,
                })?;
            let environment = artifact
                .get("environment")
                .and_then(Json::as_str)
                .map(parse_environment)
                .transpose()
                .map_err(|message| problem(id, &message))?
                .unwrap_or_else(Environment::agnostic);
            let strings = |value: Option<&Json>| -> Vec<String> {
                value
                    .and_then(Json::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|item| item.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let dependencies = strings(artifact.get("dependencies"))
                .into_iter()
                .filter(|dependency| {
                    // The CDK also lists asset manifests and other artifacts as dependencies.
                    artifacts.get(dependency).and_then(|a| a.get("type"))
                        == Some(&Json::from("aws:cloudformation:stack"))
                })
                .collect();
            stacks.push(DeployableStack {
                id: id.clone(),
                stack_name: properties
                    .get("stackName")
                    .and_then(Json::as_str)
                    .unwrap_or(id)
                    .to_owned(),
                environment,
                dependencies,
                tags: read_tags(properties.get("tags")),
                termination_protection: properties
                    .get("terminationProtection")
                    .and_then(Json::as_bool)
                    .unwrap_or(false),
                template_body,
                template,
            });
        }
        Ok(Self::ordered(stacks))
    }

    /// Each stack's dependencies, by stack id.
    pub fn dependencies(&self) -> BTreeMap<String, Vec<String>> {
        self.stacks
            .iter()
            .map(|stack| (stack.id.clone(), stack.dependencies.clone()))
            .collect()
    }

    /// The stack with this id.
    pub fn stack(&self, id: &str) -> Option<&DeployableStack> {
        self.stacks.iter().find(|stack| stack.id == id)
    }

    /// The ids of the stacks a command works on, in dependency order. `patterns` are stack
    /// ids, where `*` matches any run of characters; `all` takes every stack. With neither,
    /// an app of one stack selects that stack.
    pub fn select(
        &self,
        patterns: &[String],
        all: bool,
        extend: Extend,
    ) -> Result<Vec<String>, SelectionError> {
        let available = || {
            self.stacks
                .iter()
                .map(|stack| stack.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.stacks.is_empty() {
            return Err(SelectionError::Empty);
        }
        let mut chosen: BTreeSet<String> = BTreeSet::new();
        if all {
            chosen.extend(self.stacks.iter().map(|stack| stack.id.clone()));
        } else if patterns.is_empty() {
            if self.stacks.len() > 1 {
                return Err(SelectionError::Ambiguous {
                    count: self.stacks.len(),
                    available: available(),
                });
            }
            chosen.insert(self.stacks[0].id.clone());
        } else {
            for pattern in patterns {
                let matches: Vec<&DeployableStack> = self
                    .stacks
                    .iter()
                    .filter(|stack| {
                        matches(pattern, &stack.id) || matches(pattern, &stack.stack_name)
                    })
                    .collect();
                if matches.is_empty() {
                    return Err(SelectionError::NoMatch {
                        pattern: pattern.clone(),
                        available: available(),
                    });
                }
                chosen.extend(matches.into_iter().map(|stack| stack.id.clone()));
            }
        }
        loop {
            let before = chosen.len();
            for stack in &self.stacks {
                match extend {
                    Extend::Exclusively => {}
                    Extend::Upstream if chosen.contains(&stack.id) => {
                        chosen.extend(stack.dependencies.iter().cloned());
                    }
                    Extend::Downstream if stack.dependencies.iter().any(|d| chosen.contains(d)) => {
                        chosen.insert(stack.id.clone());
                    }
                    _ => {}
                }
            }
            if chosen.len() == before {
                break;
            }
        }
        Ok(self
            .stacks
            .iter()
            .filter(|stack| chosen.contains(&stack.id))
            .map(|stack| stack.id.clone())
            .collect())
    }

    /// Sorts stacks so that each comes after its dependencies, keeping the given order
    /// otherwise. Dependencies on stacks that are not present are ignored here; a cycle
    /// (which synthesis rejects) keeps the remaining stacks in their given order.
    fn ordered(mut remaining: Vec<DeployableStack>) -> Self {
        let mut stacks: Vec<DeployableStack> = Vec::with_capacity(remaining.len());
        while !remaining.is_empty() {
            let ids: BTreeSet<String> = remaining.iter().map(|s| s.id.clone()).collect();
            let ready = remaining
                .iter()
                .position(|stack| stack.dependencies.iter().all(|d| !ids.contains(d)))
                .unwrap_or(0);
            stacks.push(remaining.remove(ready));
        }
        Self { stacks }
    }
}

fn read_json(path: &Path) -> Result<Json, AssemblyError> {
    let text = std::fs::read_to_string(path).map_err(|source| AssemblyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| AssemblyError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// Tags are an object in our manifests and a list of `{Key, Value}` in some CDK versions.
fn read_tags(value: Option<&Json>) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    match value {
        Some(Json::Object(map)) => {
            for (key, value) in map {
                if let Some(value) = value.as_str() {
                    tags.insert(key.clone(), value.to_owned());
                }
            }
        }
        Some(Json::Array(items)) => {
            for item in items {
                let field = |name: &str| {
                    item.get(name)
                        .or_else(|| item.get(name.to_lowercase()))
                        .and_then(Json::as_str)
                };
                if let (Some(key), Some(value)) = (field("Key"), field("Value")) {
                    tags.insert(key.to_owned(), value.to_owned());
                }
            }
        }
        _ => {}
    }
    tags
}

/// Parses `aws://ACCOUNT/REGION`, where `unknown-account` and `unknown-region` leave a part
/// to the credentials.
pub fn parse_environment(text: &str) -> Result<Environment, String> {
    let rest = text
        .strip_prefix("aws://")
        .ok_or_else(|| format!("environment `{text}` must look like aws://ACCOUNT/REGION"))?;
    let (account, region) = rest
        .split_once('/')
        .ok_or_else(|| format!("environment `{text}` must look like aws://ACCOUNT/REGION"))?;
    let known = |part: &str, unknown: &str| (part != unknown).then(|| part.to_owned());
    Ok(Environment {
        account: known(account, "unknown-account"),
        region: known(region, "unknown-region"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_parses_unknown_parts() {
        let env = parse_environment("aws://unknown-account/eu-west-1").expect("valid");
        assert_eq!(env.account, None);
        assert_eq!(env.region.as_deref(), Some("eu-west-1"));
        let error = parse_environment("eu-west-1").expect_err("invalid");
        assert!(error.contains("aws://ACCOUNT/REGION"), "{error}");
    }
}
