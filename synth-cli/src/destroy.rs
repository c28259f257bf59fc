//! Deleting stacks as a library: dependents first, waiting for each delete to finish and
//! reporting its events and failures.

use std::time::{Duration, Instant};

use crate::assembly::Assembly;
use crate::aws::Session;
use crate::deploy::delete_and_wait;
use crate::deploy::events::{DeployEvent, Reporter, Sink};
use crate::deploy::status;
use crate::error::EngineError;
use crate::schedule::{self, Direction};

/// How to destroy.
#[derive(Clone, Debug)]
pub struct DestroyOptions {
    /// How many independent stacks are deleted at once. Default: 1.
    pub concurrency: usize,
    /// How often to poll CloudFormation. Default: 2 s.
    pub poll_interval: Duration,
}

impl Default for DestroyOptions {
    fn default() -> Self {
        Self {
            concurrency: 1,
            poll_interval: Duration::from_secs(2),
        }
    }
}

/// How a stack's destroy ended, when it did not fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DestroyOutcome {
    /// The stack was deleted.
    Deleted,
    /// There was no such stack.
    NotDeployed,
}

/// Deletes the stacks `ids` of `assembly`, the stacks that depend on others first; a stack
/// whose dependent could not be deleted is skipped. Returns one result per stack.
pub async fn destroy(
    session: &Session,
    assembly: &Assembly,
    ids: &[String],
    options: &DestroyOptions,
    reporter: &dyn Reporter,
) -> Vec<(String, Result<DestroyOutcome, EngineError>)> {
    let sink = Sink { reporter };
    let dependencies = assembly.dependencies();
    schedule::run(
        ids,
        &dependencies,
        Direction::DependentsFirst,
        options.concurrency,
        "delete",
        |id| {
            let sink = &sink;
            async move {
                let started = Instant::now();
                let result = destroy_one(session, assembly, options, sink, &id).await;
                sink.emit(DeployEvent::Finished {
                    stack: id,
                    elapsed: started.elapsed(),
                });
                result
            }
        },
    )
    .await
}

async fn destroy_one(
    session: &Session,
    assembly: &Assembly,
    options: &DestroyOptions,
    sink: &Sink<'_>,
    id: &str,
) -> Result<DestroyOutcome, EngineError> {
    let Some(stack) = assembly.stack(id) else {
        return Err(EngineError::NotInAssembly {
            stack: id.to_owned(),
        });
    };
    let region = session.region_for(id, &stack.environment)?;
    session
        .check_account(id, &stack.environment, &region)
        .await?;
    sink.emit(DeployEvent::Started {
        stack: id.to_owned(),
        region: region.clone(),
    });
    let cfn = session.cloudformation(&region);
    let Some(info) = status::describe(&cfn, id, &stack.stack_name).await? else {
        sink.notice(id, "not deployed: nothing to delete".to_owned());
        return Ok(DestroyOutcome::NotDeployed);
    };
    if info.termination_protection {
        return Err(EngineError::NotDeployable {
            stack: id.to_owned(),
            status: info.status,
            advice: "termination protection is on: turn it off (set_termination_protection(false) and deploy) before destroying".to_owned(),
        });
    }
    sink.notice(id, format!("deleting (was {})", info.status.as_str()));
    delete_and_wait(
        &cfn,
        options.poll_interval,
        sink,
        id,
        &info,
        &stack.stack_name,
    )
    .await?;
    Ok(DestroyOutcome::Deleted)
}
