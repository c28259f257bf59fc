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
    let selected: BTreeSet<&String> = ids.iter().collect();
    // What each id waits for, within the selection.
    let mut waits_for: BTreeMap<String, BTreeSet<String>> =
        ids.iter().map(|id| (id.clone(), BTreeSet::new())).collect();
    for id in ids {
        for dependency in dependencies.get(id).into_iter().flatten() {
            if !selected.contains(dependency) {
                continue;
            }
            match direction {
                Direction::DependenciesFirst => waits_for
                    .entry(id.clone())
                    .or_default()
                    .insert(dependency.clone()),
                Direction::DependentsFirst => waits_for
                    .entry(dependency.clone())
                    .or_default()
                    .insert(id.clone()),
            };
        }
    }
    let order: Vec<String> = match direction {
        Direction::DependenciesFirst => ids.to_vec(),
        Direction::DependentsFirst => ids.iter().rev().cloned().collect(),
    };
    let mut pending: Vec<String> = order;
    let mut succeeded: BTreeSet<String> = BTreeSet::new();
    let mut failed: BTreeSet<String> = BTreeSet::new();
    let mut results = Vec::new();
    let mut running = FuturesUnordered::new();
    let concurrency = concurrency.max(1);
    loop {
        // Skip what waits on a failure, transitively, before starting anything new.
        loop {
            let skipped = pending
                .iter()
                .position(|id| waits_for[id].iter().any(|other| failed.contains(other)));
            let Some(index) = skipped else { break };
            let id = pending.remove(index);
            let dependency = waits_for[&id]
                .iter()
                .find(|other| failed.contains(*other))
                .cloned()
                .unwrap_or_default();
            failed.insert(id.clone());
            results.push((
                id.clone(),
                Err(EngineError::Skipped {
                    stack: id,
                    dependency,
                    verb,
                }),
            ));
        }
        while running.len() < concurrency {
            let ready = pending
                .iter()
                .position(|id| waits_for[id].iter().all(|other| succeeded.contains(other)));
            let Some(index) = ready else { break };
            let id = pending.remove(index);
            let future = work(id.clone());
            running.push(async move { (id, future.await) });
        }
        let Some((id, result)) = running.next().await else {
            break;
        };
        if result.is_ok() {
            succeeded.insert(id.clone());
        } else {
            failed.insert(id.clone());
        }
        results.push((id, result));
    }
    results
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
