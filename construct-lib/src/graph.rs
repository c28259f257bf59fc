//! Cycles in a dependency graph: containers that start after each other, stacks that use
//! each other's values, resources that wait for each other. One search for all three.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Every cycle of the graph once (by its members), each as the shortest path from its
/// first node (in `nodes` order) back to it: `[a, b, a]`. `next` gives a node's successors.
///
/// Only nodes on some cycle are searched from (found first in time linear in the graph), so
/// a graph without cycles, the usual case, costs one pass rather than a search per node.
pub(crate) fn cycles<N, I>(
    nodes: impl IntoIterator<Item = N>,
    next: impl Fn(&N) -> I,
) -> Vec<Vec<N>>
where
    N: Ord + Clone,
    I: IntoIterator<Item = N>,
{
    let nodes: Vec<N> = nodes.into_iter().collect();
    let on_cycle = on_some_cycle(&nodes, &next);
    let mut reported: BTreeSet<BTreeSet<N>> = BTreeSet::new();
    nodes
        .into_iter()
        .filter(|node| on_cycle.contains(node))
        .filter_map(|start| cycle_through(&start, &next))
        .filter(|cycle| reported.insert(cycle.iter().cloned().collect()))
        .collect()
}

/// The nodes reachable from `starts`, numbered, with their successors by number.
struct Numbered<N> {
    number: BTreeMap<N, usize>,
    nodes: Vec<N>,
    successors: Vec<Vec<usize>>,
}

impl<N: Ord + Clone> Numbered<N> {
    fn of<I: IntoIterator<Item = N>>(starts: &[N], next: &impl Fn(&N) -> I) -> Self {
        let mut numbered = Self {
            number: BTreeMap::new(),
            nodes: Vec::new(),
            successors: Vec::new(),
        };
        for start in starts {
            numbered.number_of(start);
        }
        let mut done = 0;
        while done < numbered.nodes.len() {
            let node = numbered.nodes[done].clone();
            let successors = next(&node)
                .into_iter()
                .map(|successor| numbered.number_of(&successor))
                .collect();
            numbered.successors[done] = successors;
            done += 1;
        }
        numbered
    }

    fn number_of(&mut self, node: &N) -> usize {
        if let Some(&number) = self.number.get(node) {
            return number;
        }
        let number = self.nodes.len();
        self.number.insert(node.clone(), number);
        self.nodes.push(node.clone());
        self.successors.push(Vec::new());
        number
    }
}

/// The nodes that lie on some cycle: members of a strongly connected component of more than
/// one node, or with an edge to themselves (Tarjan's algorithm, without recursion, so that
/// a long chain cannot overflow the stack).
fn on_some_cycle<N, I>(starts: &[N], next: &impl Fn(&N) -> I) -> BTreeSet<N>
where
    N: Ord + Clone,
    I: IntoIterator<Item = N>,
{
    const UNSEEN: usize = usize::MAX;
    let graph = Numbered::of(starts, next);
    let count = graph.nodes.len();
    let (mut order, mut low) = (vec![UNSEEN; count], vec![0; count]);
    let mut on_stack = vec![false; count];
    let (mut stack, mut found) = (Vec::new(), BTreeSet::new());
    let mut counter = 0;
    for root in 0..count {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, how many of its successors were visited)
        let mut work = vec![(root, 0)];
        (order[root], low[root], counter) = (counter, counter, counter + 1);
        stack.push(root);
        on_stack[root] = true;
        while let Some(top) = work.last_mut() {
            let node = top.0;
            if let Some(&successor) = graph.successors[node].get(top.1) {
                top.1 += 1;
                if order[successor] == UNSEEN {
                    (order[successor], low[successor], counter) = (counter, counter, counter + 1);
                    stack.push(successor);
                    on_stack[successor] = true;
                    work.push((successor, 0));
                } else if on_stack[successor] {
                    low[node] = low[node].min(order[successor]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 || graph.successors[node].contains(&node) {
                    found.extend(component.into_iter().map(|m| graph.nodes[m].clone()));
                }
            }
        }
    }
    found
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

    #[test]
    fn a_node_waiting_for_itself_is_a_cycle() {
        let edges = |n: &u8| -> Vec<u8> { if *n == 7 { vec![7, 8] } else { vec![] } };
        assert_eq!(cycles([7, 8], edges), [vec![7, 7]]);
    }

    #[test]
    fn a_cycle_reached_only_through_unlisted_nodes_is_found_from_the_listed_ones() {
        // 1 -> 10 -> 11 -> 1: 10 and 11 are not listed, as successors of another graph's
        // nodes may not be.
        let edges = |n: &u16| -> Vec<u16> {
            match n {
                1 => vec![10],
                10 => vec![11],
                11 => vec![1],
                _ => vec![],
            }
        };
        assert_eq!(cycles([1, 2], edges), [vec![1, 10, 11, 1]]);
    }

    #[test]
    fn a_long_chain_is_searched_without_recursion() {
        let edges = |n: &u32| -> Vec<u32> { if *n < 200_000 { vec![n + 1] } else { vec![0] } };
        let found = cycles([0], edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), 200_002);
        assert!(
            cycles([0u32], |n: &u32| if *n < 200_000 {
                vec![n + 1]
            } else {
                vec![]
            })
            .is_empty()
        );
    }
}
