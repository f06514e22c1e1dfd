//! Ordering things that depend on each other: triggers to stop or start,
//! objects to delete.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Order nodes `0..keys.len()` so that for every edge `(a, b)` node `a` comes
/// before node `b`; among the nodes that may come next, the smallest key
/// first (so the order is deterministic). When the edges hold a cycle, the
/// error is one cycle, as nodes in edge order.
pub(crate) fn order<K: Ord + Clone>(keys: &[K], edges: &[(usize, usize)]) -> Result<Vec<usize>, Vec<usize>> {
    let n = keys.len();
    let mut successors = vec![Vec::new(); n];
    let mut incoming = vec![0usize; n];
    for &(a, b) in edges.iter().filter(|(a, b)| a != b && *a < n && *b < n) {
        successors[a].push(b);
        incoming[b] += 1;
    }
    let mut ready: BinaryHeap<Reverse<(K, usize)>> =
        (0..n).filter(|&i| incoming[i] == 0).map(|i| Reverse((keys[i].clone(), i))).collect();
    let mut ordered = Vec::with_capacity(n);
    while let Some(Reverse((_, node))) = ready.pop() {
        ordered.push(node);
        for &next in &successors[node] {
            incoming[next] -= 1;
            if incoming[next] == 0 {
                ready.push(Reverse((keys[next].clone(), next)));
            }
        }
    }
    if ordered.len() == n {
        return Ok(ordered);
    }
    Err(find_cycle(&successors, &incoming))
}

/// A cycle among the nodes left unordered: each has an incoming edge from
/// another node left (else its count would have dropped to zero), so walking
/// those edges backwards must come back to a node already seen.
fn find_cycle(successors: &[Vec<usize>], incoming: &[usize]) -> Vec<usize> {
    let left = |i: usize| incoming[i] > 0;
    let mut predecessor = vec![None; incoming.len()];
    for (a, nexts) in successors.iter().enumerate().filter(|(a, _)| left(*a)) {
        for &b in nexts {
            predecessor[b] = Some(a);
        }
    }
    let Some(start) = (0..incoming.len()).find(|&i| left(i)) else { return Vec::new() };
    let mut path = vec![start];
    let mut seen = vec![None; incoming.len()];
    seen[start] = Some(0);
    let mut node = start;
    while let Some(previous) = predecessor[node] {
        if let Some(at) = seen[previous] {
            let mut cycle = path.split_off(at);
            cycle.reverse();
            // Start from the lowest node, so the same cycle always reads the same.
            let lowest = cycle.iter().enumerate().min_by_key(|(_, n)| **n).map_or(0, |(i, _)| i);
            cycle.rotate_left(lowest);
            return cycle;
        }
        seen[previous] = Some(path.len());
        path.push(previous);
        node = previous;
    }
    path
}

#[cfg(test)]
#[path = "order_tests.rs"]
mod tests;
