//! `assert_stack_snapshot!` (feature `insta`) snapshots a stack's template.

use construct_lib::cfn::sns;
use construct_lib::{App, Scope};

#[test]
fn a_stack_template_is_snapshotted() {
    let mut app = App::new();
    app.stack("Alerts")
        .add("Topic", sns::Topic::new().display_name("alerts"));
    construct_lib::assert_stack_snapshot!(app, "Alerts");
}
