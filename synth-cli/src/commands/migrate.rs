//! `migrate`: writes the Rust module of a CloudFormation template (see
//! [`crate::migrate`]), to standard output or a file, and says which services it needs.

use super::{CommandError, Out};
use crate::cli::MigrateArgs;
use crate::migrate::{MigrateOptions, migrate};

/// Runs `migrate`.
pub fn run(args: &MigrateArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    let text = std::fs::read_to_string(&args.template).map_err(|source| CommandError::Io {
        action: "read",
        path: args.template.clone(),
        source,
    })?;
    let source_name = args.template.file_name().map_or_else(
        || args.template.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let migrated = migrate(&text, &MigrateOptions { source_name })?;
    match &args.out {
        None => {
            let _ = out.write_all(migrated.source.as_bytes());
        }
        Some(path) => {
            if path.exists() && !args.force {
                return Err(CommandError::Usage(format!(
                    "{} exists: pass --force to replace it, or choose another --out",
                    path.display()
                )));
            }
            std::fs::write(path, &migrated.source).map_err(|source| CommandError::Io {
                action: "write",
                path: path.clone(),
                source,
            })?;
            let _ = writeln!(err, "wrote {}", path.display());
        }
    }
    let features: Vec<&str> = migrated.features.iter().map(String::as_str).collect();
    let _ = writeln!(err, "services used: {}", features.join(", "));
    if !migrated.features_to_enable.is_empty() {
        let extra: Vec<String> = migrated
            .features_to_enable
            .iter()
            .map(|f| format!("{f:?}"))
            .collect();
        let _ = writeln!(
            err,
            "not built by default, so add to the app's Cargo.toml (beside construct-lib): cfn-l1 = {{ path = \"<checkout>/construct-lib/cfn\", features = [{}] }} (or give construct-lib the `full` feature)",
            extra.join(", ")
        );
    }
    if !migrated.yaml_1_1_suspects.is_empty() {
        let _ = writeln!(
            err,
            "warning: CloudFormation reads YAML 1.1, where these values are booleans or numbers when written unquoted; they are kept as text here (quote them in the template, or change the module): {}",
            migrated.yaml_1_1_suspects.join(", ")
        );
    }
    if migrated.overrides > 0 {
        let _ = writeln!(
            err,
            "{} value(s) the typed structs cannot hold are kept as property overrides (search the module for add_property_override)",
            migrated.overrides
        );
    }
    Ok(())
}
