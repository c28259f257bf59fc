//! The stacks of an app synthesize independently (names, rendering, rule checks, template
//! text), so the work is shared among the machine's cores. Small apps stay on one thread:
//! starting threads costs more than a few stacks take.

use std::num::NonZeroUsize;

/// Below this many resources in all, everything runs on the calling thread.
const PARALLEL_FROM_RESOURCES: usize = 1_000;

/// How many threads to use for `items` items holding `resources` resources in all.
pub(crate) fn threads_for(items: usize, resources: usize) -> usize {
    if resources < PARALLEL_FROM_RESOURCES {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(items)
        .max(1)
}

/// `work` applied to each item, on `threads` threads, results in the order of `items`.
pub(crate) fn map<T: Send, R: Send>(
    items: Vec<T>,
    threads: usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return items.into_iter().map(work).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut items = items.into_iter();
    loop {
        let next: Vec<T> = items.by_ref().take(chunk).collect();
        if next.is_empty() {
            break;
        }
        chunks.push(next);
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(work).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                // A panic in synthesis is a bug; let it surface as it would on one thread.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_on_any_number_of_threads() {
        let items: Vec<usize> = (0..37).collect();
        for threads in 1..=5 {
            let doubled = map(items.clone(), threads, |n| n * 2);
            assert_eq!(doubled, (0..37).map(|n| n * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn small_apps_stay_on_one_thread() {
        assert_eq!(threads_for(50, 999), 1);
        assert_eq!(threads_for(1, 20_000), 1);
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        assert_eq!(threads_for(50, 20_000), cores.min(50));
        assert_eq!(threads_for(2, 20_000), cores.min(2));
    }
}
