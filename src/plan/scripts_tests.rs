//! Unit tests of `plan::scripts`.

use super::*;

#[test]
fn bash_names_are_one_single_quoted_word() {
    assert_eq!(bash_quote("x'; rm -rf / #"), r"'x'\''; rm -rf / #'");
    assert_eq!(bash_quote("$(touch pwned)"), "'$(touch pwned)'");
}

#[test]
fn powershell_names_double_every_single_quote() {
    assert_eq!(powershell_quote("it's"), "'it''s'");
    assert_eq!(powershell_quote("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
    assert_eq!(powershell_quote("$env:X `n"), "'$env:X `n'");
}

#[test]
fn url_segments_encode_everything_but_unreserved() {
    assert_eq!(url_segment("cred a/b?é"), "cred%20a%2Fb%3F%C3%A9");
}
