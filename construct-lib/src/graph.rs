//! Cycles in a dependency graph: containers that start after each other, stacks that use
//! each other's values, resources that wait for each other. One search for all three.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Every cycle of the graph once (by its members), each as the shortest path from its
/// first node (in `nodes` order) back to it: `[a, b, a]`. `next` gives a node's successors.
pub(crate) fn cycles<N, I>(
    nodes: impl IntoIterator<Item = N>,
    next: impl Fn(&N) -> I,
) -> Vec<Vec<N>>
where
    N: Ord + Clone,
    I: IntoIterator<Item = N>,
{
    let mut reported: BTreeSet<BTreeSet<N>> = BTreeSet::new();
    nodes
        .into_iter()
        .filter_map(|start| cycle_through(&start, &next))
        .filter(|cycle| reported.insert(cycle.iter().cloned().collect()))
        .collect()
}

/// The shortest path from `start` back to it, `start` first and last, if there is one.
fn cycle_through<N, I>(start: &N, next: &impl Fn(&N) -> I) -> Option<Vec<N>>
where
    N: Ord + Clone,
    I: IntoIterator<Item = N>,
{
    let mut previous: BTreeMap<N, N> = BTreeMap::new();
    let mut queue = VecDeque::from([start.clone()]);
    while let Some(node) = queue.pop_front() {
        for successor in next(&node) {
            if &successor == start {
                let mut path = vec![start.clone()];
                let mut at = node;
                while &at != start {
                    let before = previous.get(&at).cloned().unwrap_or_else(|| start.clone());
                    path.push(at);
                    at = before;
                }
                path.push(start.clone());
                path.reverse();
                return Some(path);
            }
            if !previous.contains_key(&successor) {
                previous.insert(successor.clone(), node.clone());
                queue.push_back(successor);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::cycles;

    #[test]
    fn each_cycle_is_found_once_as_the_shortest_way_back() {
        let edges = |n: &u8| -> Vec<u8> {
            match n {
                1 => vec![2],
                2 => vec![3, 1],
                3 => vec![1],
                4 => vec![5],
                _ => vec![],
            }
        };
        // From 2 the shortest way back is 2 -> 1 -> 2, already found from 1.
        assert_eq!(
            cycles([1, 2, 3, 4, 5], edges),
            [vec![1, 2, 1], vec![3, 1, 2, 3]]
        );
        assert!(cycles([4, 5], edges).is_empty());
    }
}
