//! One insta snapshot per stack of every app: a change to any template is a reviewed change.

use construct_lib::synthesize;

#[test]
fn every_stack_matches_its_reviewed_snapshot() {
    for (app_name, app) in snapshots::all_apps() {
        let assembly = synthesize(&app).unwrap_or_else(|e| panic!("{app_name}: {e}"));
        for stack in &assembly.stacks {
            insta::assert_snapshot!(format!("{app_name}__{}", stack.name), stack.template_json);
        }
        insta::assert_snapshot!(
            format!("{app_name}__manifest"),
            serde_json::to_string_pretty(&assembly.manifest()).unwrap_or_default()
        );
    }
}
