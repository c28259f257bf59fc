//! Hostile cloud assemblies (`--app DIR`), property-based with `proptest`: a valid assembly
//! of two stacks, then truncated, with fields of the wrong type, oversized, or with
//! template paths that leave the directory. Reading it gives the stacks or an error that
//! names the file (and, for the manifest, the artifact); it never panics, never reads
//! outside the directory, and writes nothing. The `synth-cli` binary then shows one case
//! of each kind as the user meets it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use construct_lib::cfn::sns;
use construct_lib::{App, Format, Scope, synthesize};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value as Json;
use synth_cli::assembly::{Assembly, MAX_MANIFEST_BYTES, MAX_TEMPLATE_FILE_BYTES};

/// Cases of hostile assemblies (each writes a small directory and reads it).
const CASES: u32 = 256;

/// Writes a valid assembly of two stacks (`Data`, then `Web` depending on it) into `dir`.
fn write_valid(dir: &Path) {
    let mut app = App::new();
    let data = app.stack("Data");
    data.add("Topic", sns::Topic::new());
    let data = data.id();
    let web = app.stack("Web");
    web.add("Topic", sns::Topic::new());
    web.add_dependency(data);
    synthesize(&app)
        .expect("valid")
        .write(dir, Format::Json)
        .expect("written");
}

/// One way to spoil an assembly.
#[derive(Clone, Debug)]
enum Spoil {
    /// The manifest cut after this many bytes.
    TruncateManifest(usize),
    /// The `Web` template cut after this many bytes.
    TruncateTemplate(usize),
    /// A field of the `Web` artifact (a path of keys) given this value.
    Field(Vec<&'static str>, Json),
    /// The manifest's `artifacts` given this value.
    Artifacts(Json),
    /// The whole manifest replaced by this JSON.
    Manifest(Json),
    /// `templateFile` of `Web` naming a directory of the assembly.
    Directory,
    /// The `Web` template replaced by this JSON.
    Template(Json),
    /// `templateFile` of `Web` set to this path.
    TemplateFile(String),
    /// `templateFile` of `Web` a symbolic link to a file outside the directory.
    SymlinkOutside,
    /// The `Web` template (or the manifest) grown past its limit.
    Oversized { manifest: bool },
    /// `Data` made to depend on `Web` too.
    Cycle,
}

/// Any JSON value, nested up to three levels.
fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        any::<String>().prop_map(Json::from),
        "[a-z]{1,8}".prop_map(Json::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::from),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|map| Json::Object(map.into_iter().collect())),
        ]
    })
}

fn spoil() -> impl Strategy<Value = Spoil> {
    let fields = prop::sample::select(vec![
        vec!["type"],
        vec!["environment"],
        vec!["dependencies"],
        vec!["properties"],
        vec!["properties", "templateFile"],
        vec!["properties", "stackName"],
        vec!["properties", "tags"],
        vec!["properties", "terminationProtection"],
    ]);
    let paths = prop_oneof![
        Just("../outside.json".to_owned()),
        Just("/etc/hostname".to_owned()),
        Just("sub/../../outside.json".to_owned()),
        Just(String::new()),
        Just(".".to_owned()),
        Just("Web.template.json/..".to_owned()),
        "[a-z./]{0,20}",
    ];
    prop_oneof![
        (0usize..2000).prop_map(Spoil::TruncateManifest),
        (0usize..400).prop_map(Spoil::TruncateTemplate),
        (fields, json()).prop_map(|(path, value)| Spoil::Field(path, value)),
        json().prop_map(Spoil::Artifacts),
        json().prop_map(Spoil::Manifest),
        Just(Spoil::Directory),
        json().prop_map(Spoil::Template),
        paths.prop_map(Spoil::TemplateFile),
        Just(Spoil::SymlinkOutside),
        any::<bool>().prop_map(|manifest| Spoil::Oversized { manifest }),
        Just(Spoil::Cycle),
    ]
}

/// Applies `spoil` to the valid assembly in `dir`; `outside` is a file beside (not in) it.
fn apply(spoil: &Spoil, dir: &Path, outside: &Path) {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).expect("manifest");
    let mut manifest: Json = serde_json::from_str(&text).expect("manifest JSON");
    match spoil {
        Spoil::TruncateManifest(at) => {
            std::fs::write(&manifest_path, &text.as_bytes()[..(*at).min(text.len())])
                .expect("write");
            return;
        }
        Spoil::TruncateTemplate(at) => {
            let path = dir.join("Web.template.json");
            let template = std::fs::read(&path).expect("template");
            std::fs::write(&path, &template[..(*at).min(template.len())]).expect("write");
            return;
        }
        Spoil::Field(path, value) => {
            let mut target = web(&mut manifest);
            for key in &path[..path.len() - 1] {
                target = &mut target[*key];
            }
            target[path[path.len() - 1]] = value.clone();
        }
        Spoil::Artifacts(value) => manifest["artifacts"] = value.clone(),
        Spoil::Manifest(value) => manifest = value.clone(),
        Spoil::Directory => {
            std::fs::create_dir(dir.join("sub")).expect("mkdir");
            web(&mut manifest)["properties"]["templateFile"] = "sub".into();
        }
        Spoil::Template(value) => {
            std::fs::write(dir.join("Web.template.json"), value.to_string()).expect("write");
        }
        Spoil::TemplateFile(path) => {
            web(&mut manifest)["properties"]["templateFile"] = path.clone().into()
        }
        Spoil::SymlinkOutside => {
            std::os::unix::fs::symlink(outside, dir.join("link.json")).expect("symlink");
            web(&mut manifest)["properties"]["templateFile"] = "link.json".into();
        }
        Spoil::Oversized { manifest: true } => {
            grow(&manifest_path, MAX_MANIFEST_BYTES + 1);
            return;
        }
        Spoil::Oversized { manifest: false } => {
            grow(&dir.join("Web.template.json"), MAX_TEMPLATE_FILE_BYTES + 1);
            return;
        }
        Spoil::Cycle => {
            manifest["artifacts"]["Data"]["dependencies"] = serde_json::json!(["Web"]);
        }
    }
    std::fs::write(&manifest_path, manifest.to_string()).expect("write manifest");
}

/// The `Web` artifact of a manifest.
fn web(manifest: &mut Json) -> &mut Json {
    &mut manifest["artifacts"]["Web"]
}

/// Makes the file `size` bytes long (sparse: nothing is written).
fn grow(path: &Path, size: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.set_len(size))
        .expect("grow");
}

/// Every file of `dir` with its size and modification time.
fn listing(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|entry| {
            let entry = entry.expect("entry");
            let meta = std::fs::symlink_metadata(entry.path()).expect("metadata");
            (entry.path(), (meta.len(), meta.modified().expect("mtime")))
        })
        .collect()
}

/// Checks one spoiled assembly; the error message (if any) for the summary.
fn check(spoil: &Spoil) -> Result<Option<String>, TestCaseError> {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("cdk.out");
    let outside = root.path().join("outside.json");
    std::fs::write(
        &outside,
        r#"{"Resources": {"Secret": {"Type": "AWS::SNS::Topic"}}}"#,
    )
    .expect("write");
    write_valid(&dir);
    apply(spoil, &dir, &outside);
    let before = listing(&dir);
    let result = Assembly::read(&dir);
    prop_assert_eq!(&listing(&dir), &before, "reading wrote into the directory");
    match result {
        Ok(assembly) => {
            // Whatever was accepted is whole: every stack has an object template read
            // from inside the directory.
            for stack in &assembly.stacks {
                prop_assert!(stack.template.is_object(), "{:?}", stack.template);
                prop_assert!(
                    !stack.template_body.contains("\"Secret\""),
                    "read the file outside the directory"
                );
            }
            Ok(None)
        }
        Err(error) => {
            let message = error.to_string();
            let names_file = message.contains(&dir.join("manifest.json").display().to_string())
                || message.contains(&dir.display().to_string());
            prop_assert!(
                names_file,
                "the error names no file of the assembly: {}",
                message
            );
            prop_assert!(message.len() < 2_000, "an error of {} bytes", message.len());
            Ok(Some(message))
        }
    }
}

#[test]
fn a_hostile_assembly_is_read_whole_or_refused_with_the_file_named() {
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: CASES,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let refused = std::cell::Cell::new(0);
    runner
        .run(&spoil(), |spoil| {
            if check(&spoil)?.is_some() {
                refused.set(refused.get() + 1);
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    eprintln!("{CASES} hostile assemblies: {} refused", refused.get());
    assert!(
        refused.get() > CASES as usize / 2,
        "{} refused",
        refused.get()
    );
}

/// The first line of the error for one spoiled assembly, read in process.
fn refusal(spoil: Spoil) -> String {
    check(&spoil)
        .expect("checked")
        .unwrap_or_else(|| panic!("{spoil:?} was accepted"))
}

/// Each kind of hostile assembly, with (part of) the message it must get.
fn kinds() -> Vec<(Spoil, String)> {
    let mut cases = file_kinds();
    cases.extend(manifest_kinds());
    cases
}

/// Template paths out of the directory, oversized files, mistyped fields, templates that
/// are not templates.
fn file_kinds() -> Vec<(Spoil, String)> {
    let cases = [
        (
            Spoil::TemplateFile("../outside.json".into()),
            "properties.templateFile `../outside.json` must be a relative path inside the assembly directory (no `..`, no absolute path)",
        ),
        (
            Spoil::TemplateFile("/etc/hostname".into()),
            "properties.templateFile `/etc/hostname` must be a relative path inside the assembly directory",
        ),
        (
            Spoil::SymlinkOutside,
            "properties.templateFile `link.json` leads outside the assembly directory",
        ),
        (
            Spoil::Oversized { manifest: false },
            &format!(
                "bytes: over the {MAX_TEMPLATE_FILE_BYTES} bytes an assembly file may have here"
            ),
        ),
        (
            Spoil::Oversized { manifest: true },
            &format!("bytes: over the {MAX_MANIFEST_BYTES} bytes an assembly file may have here"),
        ),
        (
            Spoil::Field(vec!["properties", "terminationProtection"], "yes".into()),
            "artifact Web: properties.terminationProtection must be true or false, found a string (\"yes\")",
        ),
        (
            Spoil::Field(vec!["properties", "stackName"], "web_1".into()),
            "artifact Web: stack name `web_1` is not a CloudFormation stack name",
        ),
        (
            Spoil::Field(vec!["dependencies"], "Data".into()),
            "artifact Web: dependencies must be a list of strings, found a string (\"Data\")",
        ),
        (
            Spoil::Field(vec!["properties"], Json::from(3)),
            "artifact Web: properties must be an object, found a number (3)",
        ),
        (
            Spoil::Artifacts(Json::from("x")),
            "is not a cloud assembly manifest: `artifacts` must be an object, found a string (\"x\")",
        ),
        (
            Spoil::Template(serde_json::json!([1])),
            "Web.template.json is not a CloudFormation template: expected a JSON object, found a list",
        ),
        (
            Spoil::Template(serde_json::json!({"Resources": []})),
            "is not a CloudFormation template: `Resources` must be an object, found a list",
        ),
    ];
    cases
        .into_iter()
        .map(|(spoil, expected)| (spoil, expected.to_owned()))
        .collect()
}

/// Cycles, manifests of the wrong form, mistyped tags, environments and types, a directory
/// as a template, truncated files.
fn manifest_kinds() -> Vec<(Spoil, String)> {
    let cases = [
        (Spoil::Cycle, "the stacks' dependencies form a cycle: "),
        (
            Spoil::Manifest(serde_json::json!([])),
            "manifest.json is not a cloud assembly manifest: expected a JSON object, found a list",
        ),
        (
            Spoil::Artifacts(serde_json::json!({"Web": 3})),
            "artifact Web: the artifact must be an object, found a number (3)",
        ),
        (
            Spoil::Field(vec!["properties", "tags"], serde_json::json!({"team": 1})),
            "artifact Web: properties.tags must be an object of strings or a list of {Key, Value}, found a number (1)",
        ),
        (
            Spoil::Field(vec!["environment"], "eu-west-1".into()),
            "artifact Web: environment `eu-west-1` must look like aws://ACCOUNT/REGION",
        ),
        (
            Spoil::Field(vec!["environment"], Json::from(5)),
            "artifact Web: environment must be a string, found a number (5)",
        ),
        (
            Spoil::Field(vec!["type"], Json::from(true)),
            "artifact Web: type must be a string, found a boolean (true)",
        ),
        (Spoil::Directory, "sub: not a regular file"),
        (
            Spoil::TruncateManifest(10),
            "manifest.json is not valid JSON: ",
        ),
        (
            Spoil::TruncateTemplate(10),
            "Web.template.json is not valid JSON: ",
        ),
    ];
    cases
        .into_iter()
        .map(|(spoil, expected)| (spoil, expected.to_owned()))
        .collect()
}

#[test]
fn each_kind_of_hostile_assembly_gets_its_own_message() {
    for (spoil, expected) in kinds() {
        let message = refusal(spoil.clone());
        assert!(
            message.contains(&expected),
            "{spoil:?}:\n{message}\nexpected: {expected}"
        );
    }
}

#[test]
fn the_command_line_refuses_a_hostile_assembly_and_writes_nothing() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("cdk.out");
    let outside = root.path().join("outside.json");
    std::fs::write(&outside, "{}").expect("write");
    write_valid(&dir);
    apply(
        &Spoil::TemplateFile("../outside.json".into()),
        &dir,
        &outside,
    );
    let before = listing(root.path());
    let output = Command::new(env!("CARGO_BIN_EXE_synth-cli"))
        .current_dir(root.path())
        .args(["list", "--app", "cdk.out"])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("synth-cli runs");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {}: artifact Web: properties.templateFile `../outside.json` must be a relative path inside the assembly directory (no `..`, no absolute path)",
            Path::new("cdk.out/manifest.json").display()
        )
    );
    assert_eq!(listing(root.path()), before, "the command wrote files");
    assert_eq!(listing(&dir).len(), 3, "manifest and two templates only");
}
