//! `bootstrap`: deploys the staging stack (a bucket for templates over 51,200 bytes) in the
//! region of the AWS target.

use construct_lib::Environment;

use super::terminal::TerminalReporter;
use super::{
    EXIT_FAILED, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, Out, poll_interval, with_session,
};
use crate::assembly::Assembly;
use crate::bootstrap::toolkit_stack;
use crate::cli::BootstrapArgs;
use crate::deploy::{DeployOptions, RequireApproval, StackOutcome, deploy};

/// Runs `bootstrap`.
pub fn run(args: &BootstrapArgs, out: Out<'_>, err: Out<'_>) -> u8 {
    let environment = Environment {
        account: None,
        region: args.aws.region.clone(),
    };
    let stack = match toolkit_stack(&args.toolkit_stack_name, environment) {
        Ok(stack) => stack,
        Err(errors) => {
            let _ = writeln!(err, "{errors}");
            return EXIT_INVALID;
        }
    };
    let ids = vec![stack.id.clone()];
    let assembly = Assembly {
        stacks: vec![stack],
    };
    let options = DeployOptions {
        // The staging stack replaces nothing and grants nothing: no question to ask.
        require_approval: RequireApproval::Never,
        poll_interval: poll_interval(args.poll_interval),
        toolkit_stack: args.toolkit_stack_name.clone(),
        ..DeployOptions::default()
    };
    let reporter = TerminalReporter::new(out, "bootstrapping", true);
    let report = with_session(&args.aws, err, async |session| {
        deploy(session, &assembly, &ids, &options, &reporter).await
    });
    let report = match report {
        Ok(report) => report,
        Err(EXIT_INTERRUPTED) => {
            let _ = writeln!(
                err,
                "interrupted: stopped waiting. CloudFormation keeps deploying {} in AWS",
                args.toolkit_stack_name
            );
            return EXIT_INTERRUPTED;
        }
        Err(code) => return code,
    };
    let mut code = EXIT_OK;
    for stack in &report.stacks {
        match &stack.result {
            Ok(StackOutcome::NoChanges { .. }) => {
                reporter.print(&format!("{}: already bootstrapped\n", stack.stack));
            }
            Ok(_) => reporter.print(&format!(
                "{}: bootstrapped: templates over 51,200 bytes now deploy through its bucket\n",
                stack.stack
            )),
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                code = EXIT_FAILED;
            }
        }
    }
    code
}
