//! The command-line grammar (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Synthesizes and lists the stacks of this app.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
pub struct Cli {
    /// The command; `synth` when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of `synth` when no command is given.
    #[command(flatten)]
    pub synth: SynthArgs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validates every stack and writes the cloud assembly (default command).
    Synth(SynthArgs),
    /// Lists the stacks of the app.
    List(ListArgs),
}

/// Options of `synth`.
#[derive(Debug, Args, Clone)]
pub struct SynthArgs {
    /// The cloud assembly directory.
    #[arg(long, short, default_value = "cdk.out")]
    pub out: PathBuf,
    /// The template format (YAML is written beside the JSON the manifest points at).
    #[arg(long, value_enum, default_value_t = TemplateFormat::Json)]
    pub format: TemplateFormat,
    /// Prints only problems.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `list`.
#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// Also prints each stack's environment and dependencies.
    #[arg(long, short)]
    pub long: bool,
}

/// Template formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// JSON templates.
    Json,
    /// JSON templates plus YAML copies.
    Yaml,
}
