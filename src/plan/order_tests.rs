//! Unit tests of `plan::order`.

use super::*;

#[test]
fn edges_win_over_keys_and_keys_break_ties() {
    let keys = ["c", "b", "a", "d"];
    // d before a; everything else by key.
    assert_eq!(order(&keys, &[(3, 2)]), Ok(vec![1, 0, 3, 2]));
}

#[test]
fn a_chain_and_self_loops() {
    let keys = [1, 2, 3];
    assert_eq!(order(&keys, &[(2, 1), (1, 0), (0, 0)]), Ok(vec![2, 1, 0]));
}

#[test]
fn a_cycle_is_named() {
    let keys = [0, 1, 2, 3];
    let cycle = order(&keys, &[(0, 1), (1, 2), (2, 1), (2, 3)]).unwrap_err();
    assert_eq!(cycle, vec![1, 2]);
    let longer = order(&keys, &[(3, 0), (0, 1), (1, 2), (2, 0)]).unwrap_err();
    assert_eq!(longer, vec![0, 1, 2]);
}
