//! `bootstrap`: deploys the staging stack (a bucket for templates over 51,200 bytes) in the
//! region of the AWS target.

use construct_lib::Environment;

use super::terminal::TerminalReporter;
use super::{CommandError, Out, interrupted, poll_interval, with_session};
use crate::assembly::Assembly;
use crate::bootstrap::toolkit_stack;
use crate::cli::BootstrapArgs;
use crate::deploy::{DeployOptions, RequireApproval, StackOutcome, deploy};

/// Runs `bootstrap`.
pub fn run(args: &BootstrapArgs, out: Out<'_>, _err: Out<'_>) -> Result<(), CommandError> {
    let environment = Environment {
        account: None,
        region: args.aws.region.clone(),
    };
    let stack = toolkit_stack(&args.toolkit_stack_name, environment)?;
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
    let report = with_session(&args.aws, async |session| {
        deploy(session, &assembly, &ids, &options, &reporter).await
    })
    .map_err(|error| match error {
        CommandError::Interrupted(_) => interrupted("deploying", &ids),
        other => other,
    })?;
    let mut errors = Vec::new();
    for stack in report.stacks {
        match stack.result {
            Ok(StackOutcome::NoChanges { .. }) => {
                reporter.print(&format!("{}: already bootstrapped\n", stack.stack));
            }
            Ok(_) => reporter.print(&format!(
                "{}: bootstrapped: templates over 51,200 bytes now deploy through its bucket\n",
                stack.stack
            )),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CommandError::Stacks(errors))
    }
}
