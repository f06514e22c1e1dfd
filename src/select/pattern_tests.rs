//! Unit tests of `pattern`.

use super::*;

fn p(text: &str) -> NamePattern {
    NamePattern::new(text).unwrap()
}

fn yes(pattern: &str, names: &[&str]) {
    let pat = p(pattern);
    for name in names {
        assert!(pat.matches(name), "{pattern:?} should match {name:?}");
    }
}

fn no(pattern: &str, names: &[&str]) {
    let pat = p(pattern);
    for name in names {
        assert!(!pat.matches(name), "{pattern:?} should not match {name:?}");
    }
}

#[test]
fn prefix_and_star_fast_paths_agree_with_the_general_matcher() {
    for (pattern, name, expected) in [
        ("PL_*", "pl_copy", true),
        ("PL_*", "PL_", true),
        ("PL_*", "P", false),
        ("pl_*", "PL_ü", true),
        ("*", "", true),
        ("ü*", "Üx", true),
    ] {
        assert_eq!(NamePattern::new(pattern).unwrap().matches(name), expected, "{pattern} {name}");
    }
}

#[test]
fn prefix_star() {
    yes("PL_*", &["PL_", "PL_Copy", "pl_copy", "PL_a/b.c d"]);
    no("PL_*", &["PL", "XPL_Copy", "PLCopy"]);
}

#[test]
fn lone_star_matches_everything() {
    yes("*", &["", "a", "ETL/Daily/Sub", "x.y z", "ü"]);
    yes("**", &["", "a/b", "ü/ä"]);
}

#[test]
fn double_star_has_no_path_semantics() {
    yes("**/b", &["a/b", "/b", "x/y/b"]);
    no("**/b", &["b"]);
    yes("a**b", &["ab", "a/x/b"]);
}

#[test]
fn question_mark_is_one_character() {
    yes("PL?Copy", &["PL_Copy", "PL Copy", "pl-copy", "PL/Copy", "PLüCopy"]);
    no("PL?Copy", &["PLCopy", "PL__Copy"]);
    yes("??", &["üä", "ab"]);
    no("??", &["ü", "abc"]);
}

#[test]
fn negated_class() {
    yes("[!a]*", &["b", "Bxx", "_a", "ü"]);
    no("[!a]*", &["a", "A", "abc", ""]);
    yes("x[^a]", &["xb"]);
}

#[test]
fn class_and_range() {
    yes("[a-c]x", &["ax", "bx", "Cx", "BX"]);
    no("[a-c]x", &["dx", "x", "abx"]);
    yes("[abc]", &["a", "C"]);
    yes("[]]x", &["]x"]);
    yes("[a-]", &["a", "-"]);
    yes("[ü-ÿ]", &["Ü", "ü"]);
}

#[test]
fn case_insensitive_literal() {
    let pat = p("pl_copy");
    assert_eq!(pat.literal(), Some("pl_copy"));
    assert!(pat.matches("PL_Copy"));
    assert!(!pat.matches("PL_Copy2"));
}

#[test]
fn spaces_dots_slashes_are_literal() {
    yes("Multiple Waits", &["multiple waits", "MULTIPLE WAITS"]);
    no("Multiple Waits", &["MultipleWaits", "Multiple  Waits"]);
    yes("a.b", &["A.B"]);
    no("a.b", &["axb"]);
    yes("ETL/Daily", &["etl/daily"]);
    yes("ETL/*", &["ETL/Daily", "ETL/Daily/Sub", "ETL/"]);
    no("ETL/*", &["ETL", "ETLX/Daily"]);
    yes("*.json", &["a.json"]);
    no("*.json", &["ajson"]);
}

#[test]
fn braces_commas_backslashes_are_literal() {
    let pat = p("a{b}");
    assert_eq!(pat.literal(), Some("a{b}"));
    yes("a{b}", &["a{b}", "A{B}"]);
    no("a{b}", &["ab", "a"]);
    yes("a{b,c}*", &["a{b,c}", "A{B,C}x"]);
    no("a{b,c}*", &["ab", "ac", "abx"]);
    yes("a\\b*", &["a\\b", "a\\bc"]);
    no("a\\b*", &["ab", "a/b"]);
    yes("*\\*", &["x\\"]);
    yes("a,b", &["a,b"]);
}

#[test]
fn unicode_case_folding() {
    yes("Pipeline ü", &["PIPELINE Ü", "pipeline ü"]);
    yes("Pipeline ü*", &["PIPELINE Ü 2"]);
    yes("pipeline*", &["PIPELINE Ü"]);
    yes("ΣΟΦΙΑ", &["σοφια"]);
    yes("*ς", &["Σ", "σ"]);
    no("Pipeline ü", &["Pipeline u"]);
}

#[test]
fn unmatched_bracket_is_literal() {
    let pat = p("a[b");
    assert_eq!(pat.literal(), Some("a[b"));
    yes("a[b", &["A[B"]);
    no("a[b", &["ab"]);
    yes("[", &["["]);
    yes("x[!]", &["x[!]"]);
    yes("a[*", &["a[", "a[xyz"]);
    no("a[*", &["ab"]);
    yes("a[]", &["a[]"]);
}

#[test]
fn reversed_range_is_an_error() {
    let err = NamePattern::new("ab[z-a]").unwrap_err();
    assert_eq!(err.offset, 3);
    assert!(err.to_string().contains("z-a"), "{err}");
    // Unclosed: literal, no error.
    assert!(NamePattern::new("ab[z-a").is_ok());
}

#[test]
fn literal_only_without_wildcards() {
    assert_eq!(p("PL_Copy").literal(), Some("PL_Copy"));
    assert_eq!(p("").literal(), Some(""));
    assert!(p("").matches(""));
    assert_eq!(p("PL_*").literal(), None);
    assert_eq!(p("PL?").literal(), None);
    assert_eq!(p("[ab]").literal(), None);
    assert_eq!(p("PL_*").as_str(), "PL_*");
}

#[test]
fn case_key_agrees_with_literal_matching() {
    for (a, b) in [("PL_Copy", "pl_copy"), ("Pipeline ü", "PIPELINE Ü"), ("x", "y")] {
        assert_eq!(case_key(a) == case_key(b), p(a).matches(b), "{a} {b}");
    }
}

#[test]
fn globset_path_is_used_only_for_ascii() {
    let Kind::Wild { glob, .. } = &p("PL_?x*").kind else {
        panic!("not wild");
    };
    assert!(glob.is_some());
    let Kind::Wild { glob, .. } = &p("ü*").kind else {
        panic!("not wild");
    };
    assert!(glob.is_none());
}

/// The globset engine and the character engine agree on ASCII input.
#[test]
fn engines_agree_on_ascii() {
    let patterns = [
        "*", "a*", "*a", "a*b*c", "?", "a?c", "[abc]", "[!abc]", "[a-c]*", "[]]", "[]-a]", "[!]]", "[a-]", "[-a]",
        "[Z-a]", "[\\]", "[[]", "[&&]", "[a-b-d]", "a{b,c}", "a\\b*", "*.*", "**/x", "[!a]*", "x[^a]", "A[b", "*[*",
        "[*]", "[?]x",
    ];
    let names = [
        "", "a", "A", "b", "c", "d", "abc", "aXbYc", "]", "^", "\\", "[", "&", "-", "_", "x", "a{b,c}", "a\\bz", "a.b",
        "/x", "a/x", "ab", "xa", "xb", "A[b", "a[x", "*", "?x", "Z", "z", "`",
    ];
    for pattern in patterns {
        let pat = p(pattern);
        let Kind::Wild { tokens, glob: Some(glob) } = &pat.kind else {
            continue;
        };
        for name in names {
            let (g, t) = (glob.is_match(name), match_tokens(tokens, name));
            assert_eq!(g, t, "pattern {pattern:?} name {name:?}: glob {g}, tokens {t}");
        }
    }
}

#[test]
fn backtracking_is_not_exponential() {
    let pat = p("*a*a*a*a*a*a*a*a*b");
    let name = "ä".repeat(10) + &"a".repeat(200);
    assert!(!pat.matches(&name));
}
