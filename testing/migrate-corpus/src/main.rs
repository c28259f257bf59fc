//! Proves `synth-cli migrate` on whole sets of templates: migrates each one into a Rust
//! module, compiles all the modules in one generated crate (against `construct-lib` with
//! every service), runs it to synthesize each module's stack, and compares every result
//! with its original template (`synth_cli::migrate::equal`). Prints how many templates of
//! each set migrate, compile, synthesize and come back equal, and why each other one does
//! not; fails when a set falls short of what it is expected to reach.
//!
//! ```text
//! migrate-corpus --work DIR [--set NAME=DIR[:MIN_EQUAL|:all]]...
//! ```
//! `DIR` is searched for `*.json`, `*.yaml` and `*.yml` (`*.template.json` when it holds a
//! `manifest.json`, a cloud assembly). `:all` requires every template of the set to come
//! back equal; a number requires at least that many.

mod compile;
mod corpus;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use corpus::{Expectation, Set};

struct Args {
    work: PathBuf,
    sets: Vec<Set>,
}

fn parse_args() -> Result<Args, String> {
    let mut work = None;
    let mut sets = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--work" => work = Some(PathBuf::from(value)),
            "--set" => sets.push(Set::parse(&value)?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let work = work.ok_or("--work DIR is required")?;
    if sets.is_empty() {
        return Err("give at least one --set NAME=DIR".to_owned());
    }
    Ok(Args { work, sets })
}

fn run() -> Result<bool, String> {
    let args = parse_args()?;
    let mut entries = corpus::collect(&args.sets)?;
    corpus::migrate_all(&mut entries);
    compile::build_and_run(&args.work, &mut entries)?;
    corpus::compare_all(&args.work, &mut entries);
    let text = report::render(&args.sets, &entries);
    print!("{text}");
    let _ = std::fs::write(args.work.join("REPORT.md"), &text);
    Ok(args.sets.iter().all(|set| {
        let met = report::meets(set, &entries);
        if !met {
            let wanted = match set.expectation {
                Expectation::All => "every template".to_owned(),
                Expectation::AtLeast(n) => format!("at least {n} templates"),
            };
            eprintln!(
                "error: set `{}` needs {wanted} to synthesize back equal",
                set.name
            );
        }
        met
    }))
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
