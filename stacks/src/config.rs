//! Loading the per-environment configs of every scenario: a typed struct read from a JSON
//! file, with errors that name the file, what is wrong, and the schema beside it.

use std::path::{Path, PathBuf};

use construct_lib::logs::RetentionDays;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// Where the per-environment configs and their schemas live (`stacks/config`).
pub fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

/// Why a config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source} (the environments are the JSON files in {dir})")]
    Read {
        /// The file.
        path: PathBuf,
        /// The directory of configs.
        dir: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid config.
    #[error("{path}: {message} (see {schema} beside it)")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        message: String,
        /// The schema file's name.
        schema: &'static str,
    },
}

/// An unreadable file ends the command as an I/O error (exit 3); a file that is not a valid
/// config, as an invalid app (exit 1).
impl From<ConfigError> for construct_lib::cli::AppError {
    fn from(error: ConfigError) -> Self {
        match error {
            ConfigError::Read { .. } => Self::io(error),
            ConfigError::Invalid { .. } => Self::invalid(error),
        }
    }
}

impl ConfigError {
    /// `message` about the config at `path`, whose schema is `schema`.
    pub fn invalid(path: &Path, schema: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
            schema,
        }
    }
}

/// Reads the JSON config at `path` (unknown fields are errors where the type says so).
pub fn read_json<T: DeserializeOwned>(path: &Path, schema: &'static str) -> Result<T, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        source,
    })?;
    serde_json::from_str(&text)
        .map_err(|error| ConfigError::invalid(path, schema, error.to_string()))
}

/// A scenario's per-environment settings: read from `stacks/config/<DIR>/<env>.json`,
/// checked beyond what the schema says by [`ScenarioConfig::validate`], described by the
/// JSON Schema `SCHEMA` beside the files.
pub trait ScenarioConfig: DeserializeOwned + JsonSchema + Sized {
    /// The folder of the configs under `stacks/config` (empty: `stacks/config` itself).
    const DIR: &'static str;
    /// The schema file's name, beside the configs.
    const SCHEMA: &'static str;

    /// What the schema cannot say (a Fargate size, a retention period), as a message that
    /// names the field and what is allowed.
    fn validate(&self) -> Result<(), String>;

    /// Loads `stacks/config/<DIR>/<env>.json`.
    fn load(env: &str) -> Result<Self, ConfigError> {
        Self::load_file(&config_dir().join(Self::DIR).join(format!("{env}.json")))
    }

    /// Loads and checks a config file.
    fn load_file(path: &Path) -> Result<Self, ConfigError> {
        let config: Self = read_json(path, Self::SCHEMA)?;
        config
            .validate()
            .map_err(|message| ConfigError::invalid(path, Self::SCHEMA, message))?;
        Ok(config)
    }

    /// The JSON Schema of the config files.
    fn schema_json() -> String {
        let schema = schemars::schema_for!(Self);
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    }
}

/// The log retention of `days`, or a message listing CloudWatch Logs' periods.
pub fn retention(days: u32) -> Result<RetentionDays, String> {
    RetentionDays::from_days(i64::from(days)).ok_or_else(|| {
        let periods: Vec<String> = RetentionDays::FINITE
            .iter()
            .filter_map(|r| r.days())
            .map(|d| d.to_string())
            .collect();
        format!(
            "log_retention_days {days} is not a CloudWatch Logs period ({})",
            periods.join(", ")
        )
    })
}
