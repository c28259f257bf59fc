//! Every validation rule: a test that triggers it and checks the message (path, property,
//! value, what is allowed), and that nothing is produced.

use construct_lib::cfn::{ec2, sns};
use construct_lib::{App, Condition, Environment, Mapping, Parameter, Scope, synthesize};

fn errors(app: &App) -> String {
    synthesize(app).expect_err("invalid app").to_string()
}

fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

#[test]
fn stack_names() {
    let mut app = App::new();
    app.stack("1-bad_name");
    app.stack(&"A".repeat(129));
    app.stack("Dup");
    app.stack("Dup");
    let text = errors(&app);
    assert_has(
        &text,
        "error: 1-bad_name: stack name = \"1-bad_name\": 1 to 128 characters: a letter, then letters, digits and hyphens",
    );
    assert_has(&text, &format!("{}: stack name", "A".repeat(129)));
    assert_has(
        &text,
        "error: Dup: stack name = \"Dup\": a name no other stack of the app uses",
    );
    assert_has(&text, "3 problem(s) found, nothing was written");
}

#[test]
fn environment() {
    let mut app = App::new();
    app.stack_in("S", Environment::new("1234", "mars-1"));
    let text = errors(&app);
    assert_has(
        &text,
        "S: environment account = \"1234\": an AWS account id is 12 digits",
    );
    assert_has(
        &text,
        "S: environment region = \"mars-1\": a region name such as `eu-west-1`",
    );
}

#[test]
fn construct_ids() {
    let mut app = App::new();
    let stack = app.stack("S");
    let topic = stack.add("Topic", sns::Topic::new());
    stack.add("Topic", sns::Topic::new());
    stack.add("a/b", sns::Topic::new());
    stack.add("", sns::Topic::new());
    // Ids are unique per template section: an output may be named as a resource, not as
    // another output.
    stack.output("Topic", topic.ref_value());
    stack.output("Out", topic.ref_value());
    stack.output("Out", topic.ref_value());
    let text = errors(&app);
    // One line per mistake: the repeated id is not reported again as a repeated logical ID.
    assert_eq!(
        text.lines().skip(1).map(str::trim).collect::<Vec<_>>(),
        [
            "error: S: construct id = \"\": a non-empty id without `/` (it is a path separator)",
            "error: S: construct id = \"a/b\": a non-empty id without `/` (it is a path separator)",
            "error: S/Out: construct id = \"Out\": an id not used by another child of `S`",
            "error: S/Topic: construct id = \"Topic\": an id not used by another child of `S`",
        ],
        "{text}"
    );
}

#[test]
fn logical_ids() {
    let mut app = App::new();
    let stack = app.stack("S");
    let a = stack.add("A", sns::Topic::new());
    let b = stack.add("B", sns::Topic::new());
    stack.resource_options(&a).override_logical_id("my-topic!");
    stack.resource_options(&b).override_logical_id("Same");
    stack.parameter("Same", Parameter::string());
    let text = errors(&app);
    assert_has(
        &text,
        "S/A: logical ID = \"my-topic!\": 1 to 255 ASCII letters and digits",
    );
    assert_has(
        &text,
        "S/Same: logical ID = \"Same\": a logical ID not already used by `S/B`",
    );
}

#[test]
fn resource_count_limit() {
    let app_with = |count: usize| {
        let mut app = App::new();
        let stack = app.stack("Big");
        for i in 0..count {
            stack.add(&format!("T{i}"), sns::Topic::new());
        }
        app
    };
    synthesize(&app_with(500)).expect("exactly 500 resources are allowed");
    assert_has(
        &errors(&app_with(501)),
        "Big: resources = 501: at most 500 per template; split the stack",
    );
}

#[test]
fn parameter_mapping_and_output_limits() {
    let app_with = |count: usize| {
        let mut app = App::new();
        let stack = app.stack("Many");
        for i in 0..count {
            stack.parameter(&format!("P{i}"), Parameter::string().default("x"));
            stack.mapping(&format!("M{i}"), Mapping::new().entry("a", "b", "c"));
            stack.output(&format!("O{i}"), construct_lib::cfn::model::fns::region());
        }
        app
    };
    synthesize(&app_with(200)).expect("exactly 200 of each are allowed");
    let text = errors(&app_with(201));
    assert_has(&text, "Many: parameters = 201: at most 200 per template");
    assert_has(&text, "Many: mappings = 201: at most 200 per template");
    assert_has(
        &text,
        "Many: outputs (exports for other stacks included) = 201: at most 200 per template",
    );
}

#[test]
fn mapping_attributes_and_keys() {
    let wide = |count: usize| {
        (0..count).fold(Mapping::new(), |mapping, i| {
            mapping.entry(format!("k{i}"), "v", 1)
        })
    };
    let mut app = App::new();
    app.stack("S").mapping("Wide", wide(200));
    synthesize(&app).expect("exactly 200 attributes are allowed");
    let mut app = App::new();
    let stack = app.stack("S");
    let mut mapping = Mapping::new();
    for i in 0..201 {
        mapping = mapping.entry(format!("k{i}"), "v", 1);
    }
    stack.mapping("Wide", mapping);
    stack.mapping("Keys", Mapping::new().entry("bad key", "v", 1));
    let text = errors(&app);
    assert_has(&text, "S/Wide: mapping attributes = 201: at most 200");
    assert_has(
        &text,
        "S/Keys: mapping key = \"bad key\": letters, digits, `-` and `.`",
    );
}

#[test]
fn over_long_element_ids_are_shortened_to_valid_names() {
    let mut app = App::new();
    app.stack("S")
        .output(&"O".repeat(300), construct_lib::cfn::model::fns::region());
    let assembly = synthesize(&app).expect("ids are derived, so always valid");
    let outputs = assembly.stacks[0].template["Outputs"]
        .as_object()
        .expect("outputs")
        .clone();
    let name = outputs.keys().next().expect("one output");
    assert_eq!(name.len(), 248);
}

#[test]
fn description_size() {
    let mut app = App::new();
    app.stack("S").set_description("x".repeat(1025));
    assert_has(
        &errors(&app),
        "S: Description = 1025 bytes: at most 1024 bytes",
    );
}

#[test]
fn template_size_error_and_inline_warning() {
    let mut app = App::new();
    let stack = app.stack("Huge");
    for i in 0..400 {
        stack.add(
            &format!("T{i}"),
            sns::Topic::new().display_name("x".repeat(3000)),
        );
    }
    assert_has(&errors(&app), "at most 1048576 bytes; split the stack");

    let mut app = App::new();
    let stack = app.stack("Large");
    for i in 0..30 {
        stack.add(
            &format!("T{i}"),
            sns::Topic::new().display_name("x".repeat(2000)),
        );
    }
    let assembly = synthesize(&app).expect("a warning does not stop synthesis");
    let warning = assembly.warnings[0].to_string();
    assert!(
        warning.starts_with("warning: Large: template size = "),
        "{warning}"
    );
    assert!(
        warning.contains(
            "over 51200 bytes without indentation: deploy uploads it to the staging bucket"
        ),
        "{warning}"
    );
}

#[test]
fn dynamic_reference_limit() {
    let app_with = |count: usize| {
        let mut app = App::new();
        let stack = app.stack("S");
        for i in 0..count {
            stack.add(
                &format!("T{i}"),
                sns::Topic::new().display_name(construct_lib::cfn::model::fns::dynamic::ssm(
                    &format!("/p{i}"),
                    None,
                )),
            );
        }
        app
    };
    synthesize(&app_with(60)).expect("exactly 60 dynamic references are allowed");
    assert_has(
        &errors(&app_with(61)),
        "S: dynamic references = 61: at most 60 per template",
    );
}

#[test]
fn parameter_constraints() {
    let mut app = App::new();
    let stack = app.stack("S");
    stack.parameter(
        "Tier",
        Parameter::string().allowed_values(["a", "b"]).default("c"),
    );
    stack.parameter("Count", Parameter::number().default("many"));
    stack.parameter("Range", Parameter::number().min_value(5.0).max_value(1.0));
    stack.parameter("Short", Parameter::string().min_length(3).default("ab"));
    stack.parameter("Len", Parameter::string().min_length(5).max_length(2));
    stack.parameter("NotNumber", Parameter::string().min_value(1.0));
    stack.parameter("Big", Parameter::number().max_value(10.0).default(11));
    // A list's items are checked one by one ("a, b" is two allowed items).
    stack.parameter(
        "Tiers",
        Parameter::comma_delimited_list()
            .allowed_values(["a", "b"])
            .default("a, b"),
    );
    stack.parameter(
        "BadTiers",
        Parameter::comma_delimited_list()
            .allowed_values(["a", "b"])
            .default("a,c"),
    );
    let text = errors(&app);
    assert_eq!(
        text.lines().skip(1).map(str::trim).collect::<Vec<_>>(),
        [
            "error: S/BadTiers: Default = \"a,c\": each item one of the AllowedValues: a, b",
            "error: S/Big: Default = \"11\": a number of at most MaxValue 10",
            "error: S/Count: Default = \"many\": a number (the parameter is a Number)",
            "error: S/Len: MinLength = 5: at most MaxLength (2)",
            "error: S/NotNumber: MinValue/MaxValue = set: only on Number parameters",
            "error: S/Range: MinValue = 5: at most MaxValue (1)",
            "error: S/Short: Default = \"ab\": a length of at least MinLength 3",
            "error: S/Tier: Default = \"c\": one of the AllowedValues: a, b",
        ],
        "{text}"
    );
}

#[test]
fn condition_operand_counts() {
    let mut app = App::new();
    let stack = app.stack("S");
    let p = stack.parameter("P", Parameter::string());
    stack.condition("One", Condition::and([Condition::equals(p.value(), "a")]));
    assert_has(
        &errors(&app),
        "S/One: Fn::And = 1 condition(s): 2 to 10 conditions",
    );
}

#[test]
fn tags() {
    let mut app = App::new();
    app.stack("S")
        .add_tag("aws:reserved", "x")
        .add_tag("Long", "v".repeat(257));
    let text = errors(&app);
    assert_has(
        &text,
        "S: tag key = \"aws:reserved\": 1 to 128 characters, not starting with `aws:`",
    );
    assert_has(
        &text,
        "S: tag `Long` value = 257 characters: at most 256 characters",
    );
}

#[test]
fn options_through_a_handle_of_another_stack() {
    let mut app = App::new();
    let topic = app.stack("A").add("Topic", sns::Topic::new());
    let b = app.stack("B");
    b.resource_options(&topic).override_logical_id("X");
    assert!(b.l1_mut(&topic).is_none());
    assert_has(
        &errors(&app),
        "B: resource_options = a `AWS::SNS::Topic` handle of another stack: change a resource's options through the stack that owns it",
    );
}

#[test]
fn depends_on_and_condition_of_another_stack() {
    let mut app = App::new();
    let a = app.stack("A");
    let p = a.parameter("P", Parameter::string());
    let cond = a.condition("C", Condition::equals(p.value(), "x"));
    let topic = a.add("Topic", sns::Topic::new());
    let b = app.stack("B");
    let vpc = b.add("Vpc", ec2::VPC::new());
    b.resource_options(&vpc).depends_on(topic).condition(cond);
    let text = errors(&app);
    assert_has(
        &text,
        "B/Vpc: DependsOn = a resource of another stack: depend on resources of the same stack; for another stack use Stack::add_dependency",
    );
    assert_has(
        &text,
        "B/Vpc: condition = a condition of stack `A`: conditions can only be used in their own stack; declare one in `B`",
    );
}

#[test]
fn output_condition_of_another_stack() {
    let mut app = App::new();
    let a = app.stack("A");
    let p = a.parameter("P", Parameter::string());
    let cond = a.condition("C", Condition::equals(p.value(), "x"));
    app.stack("B").output(
        "Region",
        construct_lib::Output::new(construct_lib::cfn::model::fns::region()).condition(cond),
    );
    assert_has(
        &errors(&app),
        "B/Region: condition = a condition of stack `A`: conditions can only be used in their own stack",
    );
}

#[test]
fn export_value_of_another_stack_or_of_a_literal() {
    let mut app = App::new();
    let topic = app.stack("A").add("Topic", sns::Topic::new());
    let b = app.stack("B");
    b.export_value(topic.ref_value());
    b.export_value(construct_lib::cfn::model::Value::<String>::from("literal"));
    let text = errors(&app);
    assert_has(
        &text,
        "B: export_value = a value of another stack: export values of the stack itself",
    );
    assert_has(
        &text,
        "B: export_value = \"literal\": a Ref or GetAtt of a resource or parameter of this stack",
    );
}

#[test]
fn bad_property_override_path() {
    let mut app = App::new();
    let stack = app.stack("S");
    let topic = stack.add("Topic", sns::Topic::new().display_name("x"));
    stack.resource_options(&topic).add_property_override(
        "DisplayName.Inner",
        construct_lib::cfn::model::Value::<String>::from("y"),
    );
    assert_has(
        &errors(&app),
        "S/Topic: override = \"Properties.DisplayName.Inner\": a path that fits the rendered resource",
    );
}

#[test]
fn every_problem_is_reported_at_once_and_nothing_is_written() {
    let mut app = App::new();
    app.stack("bad_name").set_description("x".repeat(2000));
    app.stack_in("Other", Environment::new("1", "x"));
    let result = synthesize(&app);
    let errors = result.expect_err("invalid");
    assert_eq!(errors.problems.len(), 4, "{errors}");
}

#[test]
fn a_raw_section_may_not_be_one_the_stack_writes() {
    let mut app = App::new();
    app.stack("S")
        .add_section("Resources", construct_lib::cfn::model::Expr::string("x"));
    assert_has(
        &errors(&app),
        "S: add_section = \"Resources\": a section the stack does not write itself (Globals, say); use the stack's own methods for this one",
    );
}
