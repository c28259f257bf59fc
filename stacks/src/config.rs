//! Loading the per-environment configs of every scenario: a typed struct read from a JSON
//! file, with errors that name the file, what is wrong, and the schema beside it.

use std::path::{Path, PathBuf};

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
