//! Running per-stack work in dependency order with bounded concurrency: a stack starts when
//! the stacks it depends on have succeeded (or, in reverse, when the stacks that depend on it
//! are gone); when one fails, the stacks waiting on it are skipped, not attempted.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::error::EngineError;

/// Which way dependencies point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Dependencies first (deploy).
    DependenciesFirst,
    /// Dependents first (destroy).
    DependentsFirst,
}

/// Runs `work` for every id of `ids` (given in dependency order), at most `concurrency` at a
/// time. `dependencies` maps an id to the ids it depends on; ids outside `ids` are ignored.
/// Returns one result per id, in the order the work finished.
pub async fn run<T, F, Fut>(
    ids: &[String],
    dependencies: &BTreeMap<String, Vec<String>>,
    direction: Direction,
    concurrency: usize,
    verb: &'static str,
    work: F,
) -> Vec<(String, Result<T, EngineError>)>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, EngineError>>,
{
    let mut plan = Plan::new(ids, dependencies, direction);
    let mut results = Vec::new();
    let mut running = FuturesUnordered::new();
    let concurrency = concurrency.max(1);
    loop {
        // Skip what waits on a failure, transitively, before starting anything new.
        while let Some((id, dependency)) = plan.next_skipped() {
            let skipped = EngineError::Skipped {
                stack: id.clone(),
                dependency,
                verb,
            };
            results.push((id, Err(skipped)));
        }
        while running.len() < concurrency {
            let Some(id) = plan.next_ready() else { break };
            let future = work(id.clone());
            running.push(async move { (id, future.await) });
        }
        let Some((id, result)) = running.next().await else {
            break;
        };
        plan.finished(&id, result.is_ok());
        results.push((id, result));
    }
    results
}

/// What is left to run, and what each id waits for.
struct Plan {
    pending: Vec<String>,
    waits_for: BTreeMap<String, BTreeSet<String>>,
    succeeded: BTreeSet<String>,
    failed: BTreeSet<String>,
}

impl Plan {
    fn new(
        ids: &[String],
        dependencies: &BTreeMap<String, Vec<String>>,
        direction: Direction,
    ) -> Self {
        let selected: BTreeSet<&String> = ids.iter().collect();
        let mut waits_for: BTreeMap<String, BTreeSet<String>> =
            ids.iter().map(|id| (id.clone(), BTreeSet::new())).collect();
        for id in ids {
            let within = dependencies.get(id).into_iter().flatten();
            for dependency in within.filter(|d| selected.contains(d)) {
                let (waiting, on) = match direction {
                    Direction::DependenciesFirst => (id, dependency),
                    Direction::DependentsFirst => (dependency, id),
                };
                waits_for
                    .entry(waiting.clone())
                    .or_default()
                    .insert(on.clone());
            }
        }
        let pending = match direction {
            Direction::DependenciesFirst => ids.to_vec(),
            Direction::DependentsFirst => ids.iter().rev().cloned().collect(),
        };
        Self {
            pending,
            waits_for,
            succeeded: BTreeSet::new(),
            failed: BTreeSet::new(),
        }
    }

    /// A pending id that waits on a failure, with that failure; it counts as failed.
    fn next_skipped(&mut self) -> Option<(String, String)> {
        let failed = &self.failed;
        let index = self.pending.iter().position(|id| {
            self.waits_for[id]
                .iter()
                .any(|other| failed.contains(other))
        })?;
        let id = self.pending.remove(index);
        let dependency = self.waits_for[&id]
            .iter()
            .find(|other| failed.contains(*other))
            .cloned()
            .unwrap_or_default();
        self.failed.insert(id.clone());
        Some((id, dependency))
    }

    /// A pending id whose dependencies all succeeded.
    fn next_ready(&mut self) -> Option<String> {
        let succeeded = &self.succeeded;
        let index = self.pending.iter().position(|id| {
            self.waits_for[id]
                .iter()
                .all(|other| succeeded.contains(other))
        })?;
        Some(self.pending.remove(index))
    }

    fn finished(&mut self, id: &str, ok: bool) {
        if ok {
            self.succeeded.insert(id.to_owned());
        } else {
            self.failed.insert(id.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn deps() -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([
            ("App".to_owned(), vec!["Network".to_owned()]),
            ("Jobs".to_owned(), vec!["App".to_owned()]),
        ])
    }

    fn ids() -> Vec<String> {
        ["Network", "Other", "App", "Jobs"]
            .map(str::to_owned)
            .to_vec()
    }

    #[tokio::test]
    async fn dependencies_run_first_and_failures_skip_dependents() {
        let started = Mutex::new(Vec::new());
        let results = run(
            &ids(),
            &deps(),
            Direction::DependenciesFirst,
            2,
            "deploy",
            |id| {
                started.lock().expect("lock").push(id.clone());
                async move {
                    if id == "App" {
                        Err(EngineError::NoRegion { stack: id })
                    } else {
                        Ok(())
                    }
                }
            },
        )
        .await;
        let started = started.into_inner().expect("lock");
        assert_eq!(started, ["Network", "Other", "App"]);
        let jobs = results.iter().find(|(id, _)| id == "Jobs").expect("Jobs");
        let message = jobs.1.as_ref().expect_err("skipped").to_string();
        assert_eq!(
            message,
            "stack Jobs was skipped: the stack it depends on, App, did not deploy"
        );
        assert_eq!(results.len(), 4);
    }

    #[tokio::test]
    async fn reverse_order_deletes_dependents_first() {
        let started = Mutex::new(Vec::new());
        let results = run(
            &ids(),
            &deps(),
            Direction::DependentsFirst,
            1,
            "delete",
            |id| {
                started.lock().expect("lock").push(id.clone());
                async move { Ok::<_, EngineError>(()) }
            },
        )
        .await;
        assert_eq!(results.len(), 4);
        assert_eq!(
            started.into_inner().expect("lock"),
            ["Jobs", "App", "Other", "Network"]
        );
    }
}
