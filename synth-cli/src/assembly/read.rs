//! Reading a cloud assembly directory (`--app DIR`): `manifest.json` and the templates its
//! stack artifacts name, as `synth` or the AWS CDK write them. The directory may come from
//! anywhere (another step of a pipeline, a download), so nothing in it is trusted: files
//! have a size limit and must be regular files, template paths stay inside the directory
//! (symbolic links included), every field a stack uses must have its type, stack names must
//! be CloudFormation's, and dependencies must not form a cycle. Reading writes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use construct_lib::Environment;
use serde_json::{Map, Value as Json};

use super::{Assembly, AssemblyError, DeployableStack};

/// The largest `manifest.json` read: the CDK's manifests of large apps are a few MB.
pub const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// The largest template file read: CloudFormation takes 1 MB without indentation, and an
/// indented template is a few times its compact size.
pub const MAX_TEMPLATE_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The artifact type of a stack; other artifacts (assets, trees) are skipped.
const STACK_ARTIFACT: &str = "aws:cloudformation:stack";

impl Assembly {
    /// Reads the cloud assembly in `dir` (`manifest.json` and the templates it names), as
    /// written by `synth` or by the AWS CDK. Every problem is an [`AssemblyError`] that
    /// names the file (and the artifact and field, for the manifest).
    pub fn read(dir: &Path) -> Result<Self, AssemblyError> {
        let manifest = Manifest::read(dir)?;
        let artifacts = manifest.artifacts()?;
        let mut stacks = Vec::new();
        for (id, artifact) in artifacts {
            if manifest.is_stack(id, artifact)? {
                stacks.push(manifest.stack(id, artifact, artifacts)?);
            }
        }
        manifest.check_cycles(&stacks)?;
        Ok(Self::ordered(stacks))
    }
}

/// The parsed manifest and where it was read.
struct Manifest<'a> {
    dir: &'a Path,
    path: PathBuf,
    json: Map<String, Json>,
}

impl<'a> Manifest<'a> {
    fn read(dir: &'a Path) -> Result<Self, AssemblyError> {
        let path = dir.join("manifest.json");
        let text = read_limited(&path, MAX_MANIFEST_BYTES)?;
        let json = parse_json(&path, &text)?;
        match json {
            Json::Object(json) => Ok(Self { dir, path, json }),
            other => Err(AssemblyError::NotManifest {
                path,
                problem: format!("expected a JSON object, found {}", kind(&other)),
            }),
        }
    }

    fn artifacts(&self) -> Result<&Map<String, Json>, AssemblyError> {
        static NONE: std::sync::LazyLock<Map<String, Json>> = std::sync::LazyLock::new(Map::new);
        match self.json.get("artifacts") {
            None => Ok(&NONE),
            Some(Json::Object(artifacts)) => Ok(artifacts),
            Some(other) => Err(AssemblyError::NotManifest {
                path: self.path.clone(),
                problem: format!("`artifacts` must be an object, found {}", kind(other)),
            }),
        }
    }

    fn problem(&self, artifact: &str, problem: impl Into<String>) -> AssemblyError {
        AssemblyError::Manifest {
            path: self.path.clone(),
            artifact: artifact.to_owned(),
            problem: problem.into(),
        }
    }

    /// Whether the artifact is a stack; an artifact that is not an object, or whose type is
    /// not a string, is an error rather than skipped.
    fn is_stack(&self, id: &str, artifact: &Json) -> Result<bool, AssemblyError> {
        let fields = self.fields(id, artifact, "")?;
        Ok(fields.string("type")? == Some(STACK_ARTIFACT))
    }

    fn fields<'j>(
        &'j self,
        id: &'j str,
        value: &'j Json,
        prefix: &'static str,
    ) -> Result<Fields<'j>, AssemblyError> {
        match value {
            Json::Object(object) => Ok(Fields {
                manifest: self,
                id,
                object,
                prefix,
            }),
            other => {
                let name = if prefix.is_empty() {
                    "the artifact".to_owned()
                } else {
                    prefix.trim_end_matches('.').to_owned()
                };
                Err(self.problem(
                    id,
                    format!("{name} must be an object, found {}", kind(other)),
                ))
            }
        }
    }

    fn stack(
        &self,
        id: &str,
        artifact: &Json,
        artifacts: &Map<String, Json>,
    ) -> Result<DeployableStack, AssemblyError> {
        let fields = self.fields(id, artifact, "")?;
        let properties = artifact
            .get("properties")
            .ok_or_else(|| self.problem(id, "properties.templateFile is missing"))?;
        let properties = self.fields(id, properties, "properties.")?;
        let template_file = properties
            .string("templateFile")?
            .ok_or_else(|| self.problem(id, "properties.templateFile is missing"))?;
        let template_path = self.inside(id, template_file)?;
        let template_body = read_limited(&template_path, MAX_TEMPLATE_FILE_BYTES)?;
        let template = parse_template(&template_path, &template_body)?;
        let environment = fields
            .string("environment")?
            .map(parse_environment)
            .transpose()
            .map_err(|message| self.problem(id, message))?
            .unwrap_or_else(Environment::agnostic);
        // The CDK also lists asset manifests and other artifacts as dependencies.
        let dependencies = fields
            .strings("dependencies")?
            .into_iter()
            .filter(|dependency| {
                artifacts.get(dependency).and_then(|a| a.get("type"))
                    == Some(&Json::from(STACK_ARTIFACT))
            })
            .collect();
        let stack_name = properties.string("stackName")?.unwrap_or(id);
        self.check_stack_name(id, stack_name)?;
        Ok(DeployableStack {
            id: id.to_owned(),
            stack_name: stack_name.to_owned(),
            environment,
            dependencies,
            tags: properties.tags("tags")?,
            termination_protection: properties.bool("terminationProtection")?.unwrap_or(false),
            template_body,
            template,
        })
    }

    /// The template's path, if `file` names a file inside the assembly directory.
    fn inside(&self, id: &str, file: &str) -> Result<PathBuf, AssemblyError> {
        let relative = Path::new(file);
        let plain = !file.is_empty()
            && relative
                .components()
                .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
        if !plain {
            return Err(self.problem(
                id,
                format!(
                    "properties.templateFile `{file}` must be a relative path inside the assembly directory (no `..`, no absolute path)"
                ),
            ));
        }
        let path = self.dir.join(relative);
        // A symbolic link inside the directory may still lead out of it.
        if let (Ok(real), Ok(root)) = (path.canonicalize(), self.dir.canonicalize())
            && !real.starts_with(&root)
        {
            return Err(self.problem(
                id,
                format!(
                    "properties.templateFile `{file}` leads outside the assembly directory (to {})",
                    real.display()
                ),
            ));
        }
        Ok(path)
    }

    /// CloudFormation's stack names: a letter, then letters, digits and hyphens, at most 128.
    fn check_stack_name(&self, id: &str, name: &str) -> Result<(), AssemblyError> {
        let mut chars = name.chars();
        let valid = name.len() <= 128
            && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-');
        if valid {
            return Ok(());
        }
        Err(self.problem(
            id,
            format!(
                "stack name `{}` is not a CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128 characters",
                shorten(name)
            ),
        ))
    }

    /// Stacks that depend on each other in a circle cannot be deployed in any order.
    fn check_cycles(&self, stacks: &[DeployableStack]) -> Result<(), AssemblyError> {
        let graph: BTreeMap<&str, &[String]> = stacks
            .iter()
            .map(|stack| (stack.id.as_str(), stack.dependencies.as_slice()))
            .collect();
        let mut done = BTreeSet::new();
        for stack in stacks {
            let mut path = Vec::new();
            if let Some(cycle) = find_cycle(&graph, &stack.id, &mut path, &mut done) {
                return Err(self.problem(
                    &stack.id,
                    format!(
                        "the stacks' dependencies form a cycle: {}",
                        cycle.join(" -> ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Depth-first search from `id`: the cycle it reaches, as ids from the repeated one back to
/// itself.
fn find_cycle<'g>(
    graph: &BTreeMap<&'g str, &'g [String]>,
    id: &'g str,
    path: &mut Vec<&'g str>,
    done: &mut BTreeSet<&'g str>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|seen| *seen == id) {
        let mut cycle: Vec<String> = path[start..].iter().map(|s| (*s).to_owned()).collect();
        cycle.push(id.to_owned());
        return Some(cycle);
    }
    if done.contains(id) {
        return None;
    }
    path.push(id);
    for dependency in graph.get(id).copied().unwrap_or_default() {
        if let Some(cycle) = find_cycle(graph, dependency, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(id);
    None
}

/// The fields of one object of the manifest, read with their types checked.
struct Fields<'j> {
    manifest: &'j Manifest<'j>,
    id: &'j str,
    object: &'j Map<String, Json>,
    prefix: &'static str,
}

impl<'j> Fields<'j> {
    fn wrong(&self, name: &str, expected: &str, found: &Json) -> AssemblyError {
        self.manifest.problem(
            self.id,
            format!(
                "{}{name} must be {expected}, found {}",
                self.prefix,
                kind(found)
            ),
        )
    }

    fn string(&self, name: &str) -> Result<Option<&'j str>, AssemblyError> {
        match self.object.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(text)) => Ok(Some(text)),
            Some(other) => Err(self.wrong(name, "a string", other)),
        }
    }

    fn bool(&self, name: &str) -> Result<Option<bool>, AssemblyError> {
        match self.object.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Bool(value)) => Ok(Some(*value)),
            Some(other) => Err(self.wrong(name, "true or false", other)),
        }
    }

    fn strings(&self, name: &str) -> Result<Vec<String>, AssemblyError> {
        match self.object.get(name) {
            None | Some(Json::Null) => Ok(Vec::new()),
            Some(Json::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Json::String(text) => Ok(text.clone()),
                    other => Err(self.wrong(name, "a list of strings", other)),
                })
                .collect(),
            Some(other) => Err(self.wrong(name, "a list of strings", other)),
        }
    }

    /// Tags are an object in our manifests and a list of `{Key, Value}` in some CDK
    /// versions.
    fn tags(&self, name: &str) -> Result<BTreeMap<String, String>, AssemblyError> {
        let expected = "an object of strings or a list of {Key, Value}";
        let mut tags = BTreeMap::new();
        match self.object.get(name) {
            None | Some(Json::Null) => {}
            Some(Json::Object(map)) => {
                for (key, value) in map {
                    let value = value
                        .as_str()
                        .ok_or_else(|| self.wrong(name, expected, value))?;
                    tags.insert(key.clone(), value.to_owned());
                }
            }
            Some(Json::Array(items)) => {
                for item in items {
                    let field = |field: &str| {
                        item.get(field)
                            .or_else(|| item.get(field.to_lowercase()))
                            .and_then(Json::as_str)
                    };
                    let (Some(key), Some(value)) = (field("Key"), field("Value")) else {
                        return Err(self.wrong(name, expected, item));
                    };
                    tags.insert(key.to_owned(), value.to_owned());
                }
            }
            Some(other) => return Err(self.wrong(name, expected, other)),
        }
        Ok(tags)
    }
}

/// The text of a regular file of at most `limit` bytes.
fn read_limited(path: &Path, limit: u64) -> Result<String, AssemblyError> {
    let io = |source| AssemblyError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Checked before opening: opening a FIFO would wait for a writer.
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    let too_large = |size: u64| AssemblyError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    // The file may have grown since its size was read.
    if text.len() as u64 > limit {
        return Err(too_large(text.len() as u64));
    }
    Ok(text)
}

fn parse_json(path: &Path, text: &str) -> Result<Json, AssemblyError> {
    serde_json::from_str(text).map_err(|source| AssemblyError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// A template: a JSON object whose `Resources`, if present, is an object.
fn parse_template(path: &Path, text: &str) -> Result<Json, AssemblyError> {
    let template = parse_json(path, text)?;
    let problem = match &template {
        Json::Object(object) => match object.get("Resources") {
            None | Some(Json::Object(_)) => None,
            Some(other) => Some(format!(
                "`Resources` must be an object, found {}",
                kind(other)
            )),
        },
        other => Some(format!("expected a JSON object, found {}", kind(other))),
    };
    match problem {
        None => Ok(template),
        Some(problem) => Err(AssemblyError::Template {
            path: path.to_path_buf(),
            problem,
        }),
    }
}

/// What a JSON value is, for messages: `a number (12)`, `an object`.
fn kind(value: &Json) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(value) => format!("a boolean ({value})"),
        Json::Number(value) => format!("a number ({value})"),
        Json::String(value) => format!("a string (\"{}\")", shorten(value)),
        Json::Array(_) => "a list".to_owned(),
        Json::Object(_) => "an object".to_owned(),
    }
}

/// At most 60 characters of `text` for a message (a hostile value may be megabytes).
fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

/// Parses `aws://ACCOUNT/REGION`, where `unknown-account` and `unknown-region` leave a part
/// to the credentials.
pub fn parse_environment(text: &str) -> Result<Environment, String> {
    let invalid = || {
        format!(
            "environment `{}` must look like aws://ACCOUNT/REGION",
            shorten(text)
        )
    };
    let rest = text.strip_prefix("aws://").ok_or_else(invalid)?;
    let (account, region) = rest.split_once('/').ok_or_else(invalid)?;
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

    #[test]
    fn a_cycle_is_found_with_its_stacks() {
        let a = vec!["B".to_owned()];
        let b = vec!["A".to_owned()];
        let graph: BTreeMap<&str, &[String]> = [("A", a.as_slice()), ("B", b.as_slice())].into();
        let cycle = find_cycle(&graph, "A", &mut Vec::new(), &mut BTreeSet::new());
        assert_eq!(cycle, Some(vec!["A".into(), "B".into(), "A".into()]));
    }
}
