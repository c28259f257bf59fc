//! The same program gives byte-identical output, whatever the order constructs are built in.

use construct_lib::cfn::{ec2, sns};
use construct_lib::{App, Format, Scope, synthesize};

fn build(reversed: bool) -> App {
    let mut app = App::new();
    let stack = app.stack("Det");
    stack.add_tag("B", "2").add_tag("A", "1");
    let names: Vec<&str> = if reversed {
        vec!["Zeta", "Alpha", "Mid"]
    } else {
        vec!["Alpha", "Mid", "Zeta"]
    };
    for name in names {
        let mut scope = stack.scope(name);
        scope.add("Topic", sns::Topic::new().display_name(name));
        scope.add("Vpc", ec2::VPC::new().cidr_block("10.0.0.0/16"));
    }
    app
}

#[test]
fn reordered_code_gives_identical_templates() {
    let a = synthesize(&build(false)).expect("valid");
    let b = synthesize(&build(true)).expect("valid");
    assert_eq!(a.stacks[0].template_json, b.stacks[0].template_json);
}

#[test]
fn repeated_synthesis_writes_identical_files() {
    let dir1 = tempfile::tempdir().expect("tempdir");
    let dir2 = tempfile::tempdir().expect("tempdir");
    synthesize(&build(false))
        .expect("valid")
        .write(dir1.path(), Format::Yaml)
        .expect("write");
    synthesize(&build(false))
        .expect("valid")
        .write(dir2.path(), Format::Yaml)
        .expect("write");
    for file in ["manifest.json", "Det.template.json", "Det.template.yaml"] {
        let one = std::fs::read(dir1.path().join(file)).expect("read");
        let two = std::fs::read(dir2.path().join(file)).expect("read");
        assert_eq!(one, two, "{file}");
    }
    let yaml = std::fs::read_to_string(dir1.path().join("Det.template.yaml")).expect("yaml");
    assert!(yaml.starts_with("AWSTemplateFormatVersion: "), "{yaml}");
}

#[test]
fn writing_removes_templates_of_stacks_that_are_gone() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("Old.template.json"), "{}").expect("write");
    synthesize(&build(false))
        .expect("valid")
        .write(dir.path(), Format::Json)
        .expect("write");
    assert!(!dir.path().join("Old.template.json").exists());
    assert!(dir.path().join("Det.template.json").exists());
}
