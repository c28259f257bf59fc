//! The options the app side of the command line shares with `synth-cli`: `synth`'s options,
//! `-c KEY=VALUE` context values, and the app's own options.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Options of `synth`.
#[derive(Debug, Args, Clone, PartialEq, Eq)]
pub struct SynthArgs {
    /// The cloud assembly directory.
    #[arg(long, short, default_value = "cdk.out")]
    pub out: PathBuf,
    /// The template format (YAML is written beside the JSON the manifest points at).
    #[arg(long, value_enum, default_value_t = TemplateFormat::Json)]
    pub format: TemplateFormat,
    /// Prints only problems (not the stacks, nor the rule findings table).
    #[arg(long, short)]
    pub quiet: bool,
    /// Fails (exit 1, nothing written) when a rule finds something not accepted with a
    /// reason, warnings included.
    #[arg(long)]
    pub strict: bool,
    /// Writes the rule findings to FILE: SARIF 2.1.0 when it ends in `.sarif` (for code
    /// scanning), JSON otherwise. Written with `--strict` too, when it fails.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

impl Default for SynthArgs {
    /// `cdk.out`, JSON, not quiet, not strict, no report.
    fn default() -> Self {
        Self {
            out: PathBuf::from("cdk.out"),
            format: TemplateFormat::Json,
            quiet: false,
            strict: false,
            report: None,
        }
    }
}

/// The message when `synth`'s options were given before another command (`--out x list`),
/// where they would do nothing; `None` when they were not (or only with their defaults).
pub fn misplaced_synth_options(synth: &SynthArgs, command: &str) -> Option<String> {
    (*synth != SynthArgs::default()).then(|| {
        format!(
            "error: synth's options (--out, --format, --quiet, --strict, --report) were given \
             before the command `{command}`: give them after `synth`, or with no command"
        )
    })
}

/// Template formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// JSON templates.
    Json,
    /// JSON templates plus YAML copies.
    Yaml,
}

/// `-c KEY=VALUE` (or `--context KEY=VALUE`), repeatable, before or after the command: values
/// the app reads while it builds its stacks, as the AWS CDK CLI passes context to an app.
#[derive(Debug, Args, Clone, Default)]
pub struct ContextArgs {
    /// A context value for the app, KEY=VALUE (repeatable; a later value of a key wins).
    #[arg(
        short = 'c',
        long = "context",
        value_name = "KEY=VALUE",
        value_parser = parse_context_value,
        global = true
    )]
    pub values: Vec<(String, String)>,
}

fn parse_context_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() && !key.contains(char::is_whitespace) => {
            Ok((key.to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "context value `{text}` must look like KEY=VALUE with a KEY without spaces, such as \
             -c stage=prod"
        )),
    }
}

/// The context values given with `-c KEY=VALUE`, by key; when a key is given twice, the
/// later value wins.
///
/// ```
/// use construct_lib::cli::Context;
/// let context = Context::from_pairs([("stage", "prod"), ("stage", "dev")]);
/// assert_eq!(context.get("stage"), Some("dev"));
/// assert_eq!(context.get("missing"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, String>,
}

impl Context {
    /// A context of these pairs, in order (a later value of a key wins).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            values: pairs
                .into_iter()
                .map(|(key, value)| (key.into(), value.into()))
                .collect(),
        }
    }

    /// The value of `key`, if it was given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Every key and value, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether no value was given.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl From<&ContextArgs> for Context {
    fn from(args: &ContextArgs) -> Self {
        Self::from_pairs(args.values.iter().cloned())
    }
}

/// The app options of an app that has none: the `A` of [`super::run_with`] for apps that take
/// only the command line's own options.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct NoOptions {}

/// Options of `list`.
#[derive(Debug, Args, Clone, Default)]
pub struct ListArgs {
    /// Also prints each stack's environment and the stacks it depends on.
    #[arg(long, short)]
    pub long: bool,
}
