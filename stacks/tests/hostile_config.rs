//! Hostile per-environment configs (property-based, with `proptest`): each scenario's
//! `dev.json` with a field given any JSON value, a field removed, an unknown field added,
//! or the text cut short. Loading gives the config or an error that names the file and
//! its schema; a loaded config gives either templates (a sample of which then pass
//! cfn-lint) or problems, each with its construct path; nothing panics.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use construct_lib::{App, synthesize};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value as Json;
use stacks::blue_green::config::BlueGreenConfig;
use stacks::config::{ConfigError, ScenarioConfig, config_dir};
use stacks::ec2_cluster::config::Ec2ClusterConfig;
use stacks::gitana::config::GitanaConfig;
use stacks::java_webapp::config::JavaWebappConfig;
use stacks::web_service::config::WebServiceConfig;

/// Cases per scenario.
const CASES: u32 = 64;

/// At most this many accepted templates go to cfn-lint (about a second each).
const LINTED: usize = 15;

/// A scenario: where its dev config is, and how a config file becomes its app.
struct Scenario {
    name: &'static str,
    dev: PathBuf,
    app: fn(&Path) -> Result<App, ConfigError>,
}

fn scenarios() -> Vec<Scenario> {
    let dir = config_dir();
    vec![
        Scenario {
            name: "web-service",
            dev: dir.join("dev.json"),
            app: |path| {
                let config = WebServiceConfig::load_file(path)?;
                let mut app = App::new();
                stacks::web_service::web_service_stack(&mut app, "WebService", &config);
                Ok(app)
            },
        },
        Scenario {
            name: "gitana",
            dev: dir.join("gitana/dev.json"),
            app: |path| {
                let config = GitanaConfig::load_file(path)?;
                let mut app = App::new();
                stacks::gitana::gitana_stacks(&mut app, &config);
                Ok(app)
            },
        },
        Scenario {
            name: "ec2-cluster",
            dev: dir.join("ec2-cluster/dev.json"),
            app: |path| {
                let config = Ec2ClusterConfig::load_file(path)?;
                let mut app = App::new();
                stacks::ec2_cluster::ec2_cluster_stack(&mut app, &config);
                Ok(app)
            },
        },
        Scenario {
            name: "java-webapp",
            dev: dir.join("java-webapp/dev.json"),
            app: |path| {
                let config = JavaWebappConfig::load_file(path)?;
                let mut app = App::new();
                stacks::java_webapp::java_webapp_stacks(&mut app, &config);
                Ok(app)
            },
        },
        Scenario {
            name: "blue-green",
            dev: dir.join("blue-green/dev.json"),
            app: |path| {
                Ok(stacks::blue_green::blue_green_app(
                    &BlueGreenConfig::load_file(path)?,
                ))
            },
        },
    ]
}

/// One way to spoil a config.
#[derive(Clone, Debug)]
enum Spoil {
    /// The leaf at this position (in document order) given this value.
    Replace(usize, Json),
    /// The key at this position removed.
    Remove(usize),
    /// An unknown key added at the top.
    Unknown(String),
    /// The text cut after this many bytes.
    Truncate(usize),
}

/// A JSON value: mostly of the kinds configs hold (small numbers, short strings), with
/// extremes among them.
fn json() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        (0i64..100_000).prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        (-1e12f64..1e12).prop_map(Json::from),
        "[a-z0-9./:-]{0,24}".prop_map(Json::from),
        any::<String>().prop_map(Json::from),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
    ]
}

fn spoil() -> impl Strategy<Value = Spoil> {
    prop_oneof![
        6 => (0usize..200, json()).prop_map(|(at, value)| Spoil::Replace(at, value)),
        2 => (0usize..200).prop_map(Spoil::Remove),
        1 => "[a-z_]{1,12}".prop_map(Spoil::Unknown),
        1 => (0usize..3000).prop_map(Spoil::Truncate),
    ]
}

/// The paths of every leaf of `value` (object keys and list indexes), in document order.
fn leaves(value: &Json, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Json::Object(map) => {
            for (key, item) in map {
                at.push(key.clone());
                leaves(item, at, out);
                at.pop();
            }
        }
        Json::Array(items) if !items.is_empty() => {
            for (index, item) in items.iter().enumerate() {
                at.push(index.to_string());
                leaves(item, at, out);
                at.pop();
            }
        }
        _ => out.push(at.clone()),
    }
}

/// The value at `path`, if the path is there.
fn at_mut<'v>(value: &'v mut Json, path: &[String]) -> Option<&'v mut Json> {
    path.iter().try_fold(value, |value, key| match value {
        Json::Object(map) => map.get_mut(key),
        Json::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// The spoiled config text.
fn spoiled(original: &str, spoil: &Spoil) -> String {
    let mut config: Json = serde_json::from_str(original).expect("config JSON");
    let mut paths = Vec::new();
    leaves(&config, &mut Vec::new(), &mut paths);
    match spoil {
        Spoil::Truncate(at) => return original[..(*at).min(original.len())].to_owned(),
        Spoil::Replace(at, value) => {
            if let Some(leaf) = at_mut(&mut config, &paths[at % paths.len()]) {
                *leaf = value.clone();
            }
        }
        Spoil::Remove(at) => {
            let path = &paths[at % paths.len()];
            let (last, parent) = path.split_last().expect("a leaf has a key");
            if let Some(Json::Object(map)) = at_mut(&mut config, parent) {
                map.remove(last);
            }
        }
        Spoil::Unknown(key) => {
            if let Json::Object(map) = &mut config {
                map.insert(format!("{key}_unknown"), Json::from(1));
            }
        }
    }
    serde_json::to_string_pretty(&config).expect("JSON")
}

/// What one spoiled config came to: templates, or a reason it was refused.
fn outcome(scenario: &Scenario, path: &Path) -> Result<Vec<String>, TestCaseError> {
    let app = match (scenario.app)(path) {
        Ok(app) => app,
        Err(error) => {
            let message = error.to_string();
            prop_assert!(
                message.contains(&path.display().to_string()) && message.contains(".schema.json"),
                "a config error that names neither the file nor its schema: {}",
                message
            );
            return Ok(Vec::new());
        }
    };
    match synthesize(&app) {
        Ok(assembly) => Ok(assembly
            .stacks
            .iter()
            .map(|s| s.template_json.clone())
            .collect()),
        Err(errors) => {
            for problem in &errors.problems {
                prop_assert!(
                    !problem.path.is_empty() && !problem.allowed.is_empty(),
                    "a problem without its path or what is allowed: {:?}",
                    problem
                );
            }
            Ok(Vec::new())
        }
    }
}

/// Runs [`CASES`] spoiled configs of `scenario`; returns the distinct accepted templates.
fn explore(scenario: &Scenario, dir: &Path) -> BTreeSet<String> {
    let original = std::fs::read_to_string(&scenario.dev).expect("dev config");
    let path = dir.join(format!("{}.json", scenario.name));
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    // The same cases on every run; HOSTILE_RANDOM=1 explores new ones.
    let mut runner = if std::env::var_os("HOSTILE_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    };
    let accepted = std::cell::RefCell::new(BTreeSet::new());
    runner
        .run(&spoil(), |spoil| {
            std::fs::write(&path, spoiled(&original, &spoil)).expect("write config");
            accepted.borrow_mut().extend(outcome(scenario, &path)?);
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{}: {failure}", scenario.name));
    accepted.into_inner()
}

/// The cfn-lint executable: `$CFN_LINT`, else the one `scripts/install-tools.sh` installs.
fn cfn_lint() -> PathBuf {
    std::env::var_os("CFN_LINT").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tools/venv/bin/cfn-lint"),
        PathBuf::from,
    )
}

#[test]
fn hostile_configs_give_templates_or_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sample = Vec::new();
    for scenario in scenarios() {
        let accepted = explore(&scenario, dir.path());
        eprintln!(
            "{}: {CASES} cases, {} distinct templates accepted",
            scenario.name,
            accepted.len()
        );
        assert!(
            !accepted.is_empty(),
            "{}: no spoiled config was accepted",
            scenario.name
        );
        // The accepted templates that differ from the unspoiled ones are the interesting
        // ones; a few of each scenario go to cfn-lint.
        sample.extend(accepted.into_iter().take(LINTED / 5));
    }
    let cfn_lint = cfn_lint();
    assert!(
        cfn_lint.exists(),
        "cfn-lint not found at {}",
        cfn_lint.display()
    );
    let files: Vec<PathBuf> = sample
        .iter()
        .enumerate()
        .map(|(index, template)| {
            let file = dir.path().join(format!("T{index}.template.json"));
            std::fs::write(&file, template).expect("write template");
            file
        })
        .collect();
    let output = Command::new(&cfn_lint)
        .args(["--format", "parseable"])
        .args(&files)
        .output()
        .expect("run cfn-lint");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "cfn-lint refused templates from configs that loaded and synthesized:\n{report}"
    );
}
