//! The ECS services a stack operation changes, followed while CloudFormation waits on them
//! (a release): each service's current deployment, reported when it changes: ECS's service
//! deployment where the endpoint offers it (status, lifecycle stage, the alarms that fired),
//! else the primary deployment's rollout state; and, when the operation fails, whether a
//! release failed and why.

use aws_sdk_cloudformation::Client as Cfn;
use aws_sdk_ecs::Client as Ecs;

use super::events::{ChangeRow, DeployEvent, Reporter};

/// What one service's current deployment looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceDeploymentState {
    /// ECS's status: a service deployment's (`IN_PROGRESS`, `SUCCESSFUL`,
    /// `ROLLBACK_SUCCESSFUL`, ...) or a primary deployment's rollout state (`IN_PROGRESS`,
    /// `COMPLETED`, `FAILED`).
    pub status: String,
    /// The blue/green lifecycle stage (`BAKE_TIME`, `PRODUCTION_TRAFFIC_SHIFT`, ...), if known.
    pub stage: Option<String>,
    /// Running tasks of the new revision.
    pub running: i32,
    /// Tasks it should run.
    pub desired: i32,
    /// ECS's reason, if any.
    pub reason: Option<String>,
    /// The rollback alarms that went into `ALARM`.
    pub triggered_alarms: Vec<String>,
}

impl ServiceDeploymentState {
    /// Whether the deployment failed or was rolled back.
    pub fn failed(&self) -> bool {
        self.status == "FAILED" || self.status.starts_with("ROLLBACK") || self.status == "STOPPED"
    }
}

/// One service followed.
struct Watched {
    logical_id: String,
    arn: Option<String>,
    last: Option<ServiceDeploymentState>,
}

/// Follows the services of one stack operation.
pub struct ServiceWatch {
    ecs: Ecs,
    cfn: Cfn,
    label: String,
    stack_id: String,
    services: Vec<Watched>,
    /// Whether the endpoint answers `ListServiceDeployments` (moto does not).
    service_deployments: bool,
    /// Set when the endpoint cannot tell (no ECS, no permission): the watch stops quietly
    /// after one notice, since the deploy itself does not depend on it.
    stopped: bool,
    /// Service deployments created before this (seconds since the epoch) belong to earlier
    /// operations: an old rollback must not be taken for this release's.
    since_epoch_seconds: i64,
}

impl ServiceWatch {
    /// A watch of the ECS services that `changes` add or modify; `None` when there are none.
    pub fn new(
        ecs: Ecs,
        cfn: Cfn,
        label: &str,
        stack_id: &str,
        changes: &[ChangeRow],
    ) -> Option<Self> {
        let services: Vec<Watched> = changes
            .iter()
            .filter(|row| row.resource_type == "AWS::ECS::Service" && row.action != "Remove")
            .map(|row| Watched {
                logical_id: row.logical_id.clone(),
                arn: None,
                last: None,
            })
            .collect();
        (!services.is_empty()).then(|| Self {
            ecs,
            cfn,
            label: label.to_owned(),
            stack_id: stack_id.to_owned(),
            services,
            service_deployments: true,
            stopped: false,
            since_epoch_seconds: operation_start(),
        })
    }

    /// Reads each service's deployment once and reports what changed.
    pub async fn poll(&mut self, reporter: &dyn Reporter) {
        for index in 0..self.services.len() {
            if self.stopped {
                return;
            }
            let Some(arn) = self.arn_of(index).await else {
                continue;
            };
            match self.state_of(&arn).await {
                Ok(Some(state)) => {
                    let watched = &mut self.services[index];
                    if watched.last.as_ref() != Some(&state) {
                        reporter.event(DeployEvent::ServiceDeployment {
                            stack: self.label.clone(),
                            service: watched.logical_id.clone(),
                            state: state.clone(),
                        });
                        watched.last = Some(state);
                    }
                }
                Ok(None) => {}
                Err(reason) => {
                    self.stopped = true;
                    reporter.event(DeployEvent::Notice {
                        stack: self.label.clone(),
                        message: format!("the services' deployments cannot be followed ({reason}); CloudFormation's events go on"),
                    });
                }
            }
        }
    }

    /// The first service whose last deployment failed or was rolled back, with its state.
    pub fn failed_release(&self) -> Option<(String, ServiceDeploymentState)> {
        self.services.iter().find_map(|watched| {
            let state = watched.last.as_ref()?;
            state
                .failed()
                .then(|| (watched.logical_id.clone(), state.clone()))
        })
    }

    /// The service's ARN (its physical id), once CloudFormation has one.
    async fn arn_of(&mut self, index: usize) -> Option<String> {
        if let Some(arn) = &self.services[index].arn {
            return Some(arn.clone());
        }
        let answer = self
            .cfn
            .describe_stack_resource()
            .stack_name(&self.stack_id)
            .logical_resource_id(&self.services[index].logical_id)
            .send()
            .await
            .ok()?;
        let arn = answer
            .stack_resource_detail()
            .and_then(|detail| detail.physical_resource_id())
            .filter(|id| id.starts_with("arn:"))?
            .to_owned();
        self.services[index].arn = Some(arn.clone());
        Some(arn)
    }

    async fn state_of(&mut self, arn: &str) -> Result<Option<ServiceDeploymentState>, String> {
        let cluster = cluster_of(arn);
        let answer = self
            .ecs
            .describe_services()
            .cluster(&cluster)
            .services(arn)
            .send()
            .await
            .map_err(|error| {
                aws_smithy_types::error::display::DisplayErrorContext(&error).to_string()
            })?;
        let Some(primary) = answer.services().first().and_then(|service| {
            service
                .deployments()
                .iter()
                .find(|d| d.status() == Some("PRIMARY"))
        }) else {
            return Ok(None);
        };
        let mut state = ServiceDeploymentState {
            status: primary
                .rollout_state()
                .map_or_else(|| "IN_PROGRESS".to_owned(), |s| s.as_str().to_owned()),
            stage: None,
            running: primary.running_count(),
            desired: primary.desired_count(),
            reason: primary.rollout_state_reason().map(str::to_owned),
            triggered_alarms: Vec::new(),
        };
        if self.service_deployments {
            match self.latest_service_deployment(arn, &cluster).await {
                Some(deployment) => deployment.apply_to(&mut state),
                None => self.service_deployments = false,
            }
        }
        Ok(Some(state))
    }

    /// ECS's latest service deployment of the service (status, stage, alarms), or `None`
    /// when the endpoint does not offer the service deployments API.
    async fn latest_service_deployment(
        &self,
        arn: &str,
        cluster: &str,
    ) -> Option<LatestDeployment> {
        let list = self
            .ecs
            .list_service_deployments()
            .service(arn)
            .cluster(cluster)
            .send()
            .await
            .ok()?;
        let latest = list.service_deployments().first().filter(|brief| {
            brief
                .created_at()
                .is_none_or(|created| created.secs() >= self.since_epoch_seconds)
        });
        let Some(latest) = latest.and_then(|brief| brief.service_deployment_arn()) else {
            return Some(LatestDeployment::default());
        };
        let described = self
            .ecs
            .describe_service_deployments()
            .service_deployment_arns(latest)
            .send()
            .await
            .ok()?;
        let deployment = described.service_deployments().first()?;
        Some(LatestDeployment {
            status: deployment.status().map(|s| s.as_str().to_owned()),
            stage: deployment.lifecycle_stage().map(|s| s.as_str().to_owned()),
            reason: deployment.status_reason().map(str::to_owned),
            triggered_alarms: deployment
                .alarms()
                .map(|alarms| alarms.triggered_alarm_names().to_vec())
                .unwrap_or_default(),
        })
    }
}

/// When the operation started, in seconds since the epoch, less five minutes for the
/// difference between this machine's clock and AWS's.
fn operation_start() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    i64::try_from(now).unwrap_or(i64::MAX) - 300
}

/// What a service deployment adds to the primary deployment's state.
#[derive(Debug, Default)]
struct LatestDeployment {
    status: Option<String>,
    stage: Option<String>,
    reason: Option<String>,
    triggered_alarms: Vec<String>,
}

impl LatestDeployment {
    fn apply_to(self, state: &mut ServiceDeploymentState) {
        if let Some(status) = self.status {
            state.status = status;
        }
        state.stage = self.stage;
        if self.reason.is_some() {
            state.reason = self.reason;
        }
        state.triggered_alarms = self.triggered_alarms;
    }
}

/// The cluster of a service ARN: `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME`, or
/// `default` for the old format without one.
fn cluster_of(arn: &str) -> String {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    let parts: Vec<&str> = resource.split('/').collect();
    match parts.as_slice() {
        ["service", cluster, _name] => (*cluster).to_owned(),
        _ => "default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cluster_comes_from_the_service_arn() {
        assert_eq!(
            cluster_of("arn:aws:ecs:eu-west-1:123456789012:service/web/api"),
            "web"
        );
        assert_eq!(
            cluster_of("arn:aws:ecs:eu-west-1:123456789012:service/api"),
            "default"
        );
    }
}
