//! The templates of each set, and what became of each: migrated, compiled, synthesized,
//! equal.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use synth_cli::migrate::{MigrateOptions, equal, migrate};

/// What a set must reach.
#[derive(Clone, Copy, Debug)]
pub enum Expectation {
    /// Every template comes back equal.
    All,
    /// At least this many do.
    AtLeast(usize),
}

/// A named set of templates.
#[derive(Clone, Debug)]
pub struct Set {
    pub name: String,
    pub dir: PathBuf,
    pub expectation: Expectation,
}

impl Set {
    /// `NAME=DIR`, `NAME=DIR:all` or `NAME=DIR:COUNT`.
    pub fn parse(text: &str) -> Result<Set, String> {
        let (name, rest) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not NAME=DIR[:all|:COUNT]"))?;
        let (dir, expectation) = match rest.rsplit_once(':') {
            Some((dir, "all")) => (dir, Expectation::All),
            Some((dir, count)) if count.parse::<usize>().is_ok() => {
                (dir, Expectation::AtLeast(count.parse().unwrap_or_default()))
            }
            _ => (rest, Expectation::AtLeast(0)),
        };
        Ok(Set {
            name: name.to_owned(),
            dir: PathBuf::from(dir),
            expectation,
        })
    }
}

/// How far a template got.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// `migrate` refused it: why.
    NotMigrated(String),
    /// Migrated; not compiled yet.
    Migrated,
    /// The module did not compile: the first error.
    NotCompiled(String),
    /// Compiled; not run yet.
    Compiled,
    /// The stack did not synthesize: why.
    NotSynthesized(String),
    /// Synthesized to another template: the first differences.
    Differs(Vec<String>),
    /// Synthesized back to an equal template.
    Equal,
}

/// One template.
#[derive(Debug)]
pub struct Entry {
    /// The set's name.
    pub set: String,
    /// The template's path under the set's directory.
    pub name: String,
    pub path: PathBuf,
    /// The Rust module name (`t0001`).
    pub module: String,
    /// The migrated source.
    pub source: String,
    pub overrides: usize,
    pub outcome: Outcome,
}

fn is_template(path: &Path, assembly: bool) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if assembly {
        name.ends_with(".template.json")
    } else {
        name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml")
    }
}

fn walk(dir: &Path, assembly: bool, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            walk(&path, assembly, out)?;
        } else if is_template(&path, assembly) {
            out.push(path);
        }
    }
    Ok(())
}

/// Every template of every set, in path order.
pub fn collect(sets: &[Set]) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for set in sets {
        let assembly = set.dir.join("manifest.json").exists();
        let mut paths = Vec::new();
        walk(&set.dir, assembly, &mut paths)?;
        paths.sort();
        if paths.is_empty() {
            return Err(format!(
                "set `{}`: no template under {}",
                set.name,
                set.dir.display()
            ));
        }
        for path in paths {
            let name = path
                .strip_prefix(&set.dir)
                .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
            entries.push(Entry {
                set: set.name.clone(),
                name,
                module: format!("t{:04}", entries.len() + 1),
                path,
                source: String::new(),
                overrides: 0,
                outcome: Outcome::Migrated,
            });
        }
    }
    Ok(entries)
}

/// Runs `migrate` over every entry.
pub fn migrate_all(entries: &mut [Entry]) {
    for entry in entries {
        let text = match std::fs::read_to_string(&entry.path) {
            Ok(text) => text,
            Err(e) => {
                entry.outcome = Outcome::NotMigrated(format!("unreadable: {e}"));
                continue;
            }
        };
        let options = MigrateOptions {
            source_name: entry.name.clone(),
        };
        match migrate(&text, &options) {
            Ok(migrated) => {
                entry.source = migrated.source;
                entry.overrides = migrated.overrides;
            }
            Err(error) => entry.outcome = Outcome::NotMigrated(error.to_string()),
        }
    }
}

/// Compares each synthesized template (`OUT/<module>.json`, or `<module>.error.txt`) with
/// its original.
pub fn compare_all(work: &Path, entries: &mut [Entry]) {
    let out = work.join("out");
    for entry in entries
        .iter_mut()
        .filter(|e| matches!(e.outcome, Outcome::Compiled))
    {
        let error_path = out.join(format!("{}.error.txt", entry.module));
        if let Ok(error) = std::fs::read_to_string(&error_path) {
            entry.outcome = Outcome::NotSynthesized(error);
            continue;
        }
        let synthesized = std::fs::read_to_string(out.join(format!("{}.json", entry.module)))
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Json>(&text).map_err(|e| e.to_string()));
        let original = std::fs::read_to_string(&entry.path)
            .map_err(|e| e.to_string())
            .and_then(|text| synth_cli::template_text::parse(&text));
        entry.outcome = match (original, synthesized) {
            (Ok(original), Ok(synthesized)) => {
                let differences = equal::differences(&original, &synthesized, 5);
                if differences.is_empty() {
                    Outcome::Equal
                } else {
                    Outcome::Differs(differences)
                }
            }
            (Err(e), _) | (_, Err(e)) => Outcome::NotSynthesized(format!("no template: {e}")),
        };
    }
}
