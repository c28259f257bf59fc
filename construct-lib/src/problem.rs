//! Problems found before anything is rendered or written, the one way constructs report
//! them ([`Problems`]), and the error that carries them.

use std::fmt;
use std::ops::RangeInclusive;

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
///
/// Its `Debug` form is the readable list too, so that `fn main() -> Result<(), ...>` with
/// `synthesize(&app)?` prints the problems, not the struct.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) found, nothing was written:\n{}", .problems.len(), render(.problems))]
pub struct ValidationErrors {
    /// The problems, errors first, each sorted by path.
    pub problems: Vec<Problem>,
}

impl fmt::Debug for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Collects the problems of one construct: each is reported with the construct's path, the
/// setting (named as the builder method the user called: `max_azs`,
/// `container[app].health_check.interval`), the value as the user wrote it, and what is
/// allowed. Every construct reports through one of these, from
/// [`Scope::problems`](crate::Scope::problems), so that messages read the same everywhere.
///
/// ```
/// use construct_lib::{App, Duration, Scope, synthesize};
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// let mut construct = stack.scope("Worker");
/// let mut problems = construct.problems();
/// problems.range("desired_count", 12, 0..=10, "tasks");
/// problems.range("stop_timeout", Duration::minutes(3), Duration::seconds(0)..=Duration::seconds(120), "");
/// let text = synthesize(&app).expect_err("invalid").to_string();
/// assert!(text.contains("error: Web/Worker: desired_count = 12 tasks: 0 to 10 tasks"), "{text}");
/// assert!(text.contains("error: Web/Worker: stop_timeout = 3 minutes: 0 seconds to 120 seconds"), "{text}");
/// ```
#[derive(Debug)]
pub struct Problems<'a> {
    path: String,
    out: &'a mut Vec<Problem>,
}

impl<'a> Problems<'a> {
    /// Problems of the construct at `path`, added to `out`.
    pub(crate) fn new(path: String, out: &'a mut Vec<Problem>) -> Self {
        Self { path, out }
    }

    /// The construct path problems are reported at.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// An error: `setting` = `value` is not allowed; `allowed` says what is, or what to do.
    pub fn error(&mut self, setting: &str, value: impl fmt::Display, allowed: impl fmt::Display) {
        self.push(Severity::Error, setting, value, allowed);
    }

    /// A warning: synthesis goes on, and the message says why the setting is doubtful.
    pub fn warning(&mut self, setting: &str, value: impl fmt::Display, allowed: impl fmt::Display) {
        self.push(Severity::Warning, setting, value, allowed);
    }

    fn push(
        &mut self,
        severity: Severity,
        setting: &str,
        value: impl fmt::Display,
        allowed: impl fmt::Display,
    ) {
        self.out.push(Problem {
            severity,
            path: self.path.clone(),
            property: setting.to_owned(),
            value: value.to_string(),
            allowed: allowed.to_string(),
        });
    }

    /// Checks that `value` lies in `range`; `unit` follows every number in the message
    /// (`"GiB"`, `"tasks"`, or `""` for values that name their unit, such as durations).
    /// Returns whether it does.
    pub fn range<T: PartialOrd + fmt::Display>(
        &mut self,
        setting: &str,
        value: T,
        range: RangeInclusive<T>,
        unit: &str,
    ) -> bool {
        if range.contains(&value) {
            return true;
        }
        let (start, end) = range.into_inner();
        self.error(
            setting,
            with_unit(&value, unit),
            format!("{start} to {}", with_unit(&end, unit)),
        );
        false
    }

    /// Checks that `value` is at most `max`. Returns whether it is.
    pub fn at_most<T: PartialOrd + fmt::Display>(
        &mut self,
        setting: &str,
        value: T,
        max: T,
        unit: &str,
    ) -> bool {
        if value <= max {
            return true;
        }
        self.error(
            setting,
            with_unit(&value, unit),
            format!("at most {}", with_unit(&max, unit)),
        );
        false
    }

    /// Checks that `value` is at least `min`. Returns whether it is.
    pub fn at_least<T: PartialOrd + fmt::Display>(
        &mut self,
        setting: &str,
        value: T,
        min: T,
        unit: &str,
    ) -> bool {
        if value >= min {
            return true;
        }
        self.error(
            setting,
            with_unit(&value, unit),
            format!("at least {}", with_unit(&min, unit)),
        );
        false
    }

    /// Checks that `value` is one of `allowed`. Returns whether it is.
    pub fn one_of(&mut self, setting: &str, value: &str, allowed: &[&str]) -> bool {
        if allowed.contains(&value) {
            return true;
        }
        self.error(
            setting,
            quoted(value),
            format!("one of {}", allowed.join(", ")),
        );
        false
    }

    /// Checks that `value` follows `rule`. Returns whether it does.
    pub fn name(&mut self, setting: &str, value: &str, rule: &NameRule) -> bool {
        if rule.accepts(value) {
            return true;
        }
        self.error(setting, quoted(value), rule.description);
        false
    }

    /// Checks a setting that needs another: when `holds` is false, `setting` = `value` is
    /// reported with `requirement` (`"versioned(true)"`). Returns `holds`.
    pub fn requires(
        &mut self,
        holds: bool,
        setting: &str,
        value: impl fmt::Display,
        requirement: &str,
    ) -> bool {
        if !holds {
            self.error(setting, value, format!("only together with {requirement}"));
        }
        holds
    }
}

/// `12 tasks`, `3 minutes`.
fn with_unit(value: &impl fmt::Display, unit: &str) -> String {
    match unit {
        "" => value.to_string(),
        "%" => format!("{value}%"),
        unit => format!("{value} {unit}"),
    }
}

/// What a name may be made of: its length, its characters and its first character.
#[derive(Clone, Copy, Debug)]
pub struct NameRule {
    /// The fewest characters.
    pub min_len: usize,
    /// The most characters.
    pub max_len: usize,
    /// Which characters are allowed anywhere.
    pub allowed: fn(char) -> bool,
    /// Which characters may come first, when that is stricter. Default: any allowed one.
    pub first: Option<fn(char) -> bool>,
    /// The rule in words, for messages (`"1 to 255 letters, digits, hyphens and
    /// underscores"`).
    pub description: &'static str,
}

impl NameRule {
    /// Whether `name` follows the rule.
    pub fn accepts(&self, name: &str) -> bool {
        let count = name.chars().count();
        let first_ok = match (self.first, name.chars().next()) {
            (Some(first), Some(c)) => first(c),
            _ => true,
        };
        (self.min_len..=self.max_len).contains(&count) && first_ok && name.chars().all(self.allowed)
    }
}

/// A mistake found in a value made without a scope (an existing secret by name, say),
/// reported where the value is used: the construct that uses it names it in the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LateProblem {
    setting: &'static str,
    value: String,
    allowed: &'static str,
}

impl LateProblem {
    /// `setting` = `value` (quoted) is not allowed; `allowed` says what is.
    pub(crate) fn new(setting: &'static str, value: &str, allowed: &'static str) -> Self {
        Self {
            setting,
            value: quoted(value),
            allowed,
        }
    }

    /// `Some` problem when `name` breaks `rule`.
    pub(crate) fn unless_name(setting: &'static str, name: &str, rule: &NameRule) -> Option<Self> {
        (!rule.accepts(name)).then(|| Self::new(setting, name, rule.description))
    }

    /// Reports the problem through `problems`.
    pub(crate) fn report(&self, problems: &mut Problems<'_>) {
        problems.error(self.setting, &self.value, self.allowed);
    }
}

/// Quotes a user value for a message: `"App"`.
pub(crate) fn quoted(value: &str) -> String {
    format!("{value:?}")
}
