//! Problems found before anything is rendered or written, and the error that carries them.

use std::fmt;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Synthesis fails; nothing is written.
    Error,
    /// Worth knowing (e.g. a template that must go through S3 at deploy); synthesis goes on.
    Warning,
}

/// One problem: where it is, what was given, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Whether synthesis fails because of it.
    pub severity: Severity,
    /// The construct path (`Network/Vpc/PublicSubnet1`), or the stack name for stack-wide
    /// problems.
    pub path: String,
    /// The property, setting or limit concerned (`CidrBlock`, `stack name`, `resources`).
    pub property: String,
    /// The value that was given, as the user wrote it or as counted.
    pub value: String,
    /// What is allowed, or what to do instead.
    pub allowed: String,
}

impl Problem {
    /// An error.
    pub fn error(
        path: impl Into<String>,
        property: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Problem {
            severity: Severity::Error,
            path: path.into(),
            property: property.into(),
            value: value.into(),
            allowed: allowed.into(),
        }
    }

    /// A warning.
    pub fn warning(
        path: impl Into<String>,
        property: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(path, property, value, allowed)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}: {}: {} = {}: {}",
            self.path, self.property, self.value, self.allowed
        )
    }
}

/// Synthesis refused: every error found, all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) found, nothing was written:\n{}", .problems.len(), render(.problems))]
pub struct ValidationErrors {
    /// The problems, errors first, each sorted by path.
    pub problems: Vec<Problem>,
}

fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Quotes a user value for a message.
pub(crate) fn quoted(value: &str) -> String {
    format!("{value:?}")
}
