//! The stacks a command works on: synthesized from the app in this process, or read from a
//! cloud assembly directory another step wrote (`--app cdk.out`), and the selection of stacks
//! a command line names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

mod read;

pub use read::{MAX_MANIFEST_BYTES, MAX_TEMPLATE_FILE_BYTES, parse_environment};

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
    /// A file is larger than an assembly file may be.
    #[error(
        "{path} is {size} bytes: over the {limit} bytes an assembly file may have here (CloudFormation takes templates up to 1 MB)"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, or the bytes read before the limit was passed.
        size: u64,
        /// The limit for this kind of file.
        limit: u64,
    },
    /// A template file holds JSON that is not a CloudFormation template.
    #[error("{path} is not a CloudFormation template: {problem}")]
    Template {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The manifest is not a cloud assembly manifest.
    #[error("{path} is not a cloud assembly manifest: {problem}")]
    NotManifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The manifest lacks something a stack artifact needs, or has it in the wrong form.
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
    /// (which synthesis and the assembly reader reject) keeps the remaining stacks in their
    /// given order.
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
