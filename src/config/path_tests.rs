//! Unit tests of `path`.

use super::*;

fn steps(text: &str) -> (Action, Root, Vec<Segment>) {
    match parse(text) {
        Ok(Path::Steps { action, root, steps }) => (action, root, steps.into_iter().map(|s| s.segment).collect()),
        other => panic!("{text}: {other:?}"),
    }
}

fn key(k: &str) -> Segment {
    Segment::Key(k.to_owned())
}

fn named(n: &str) -> Segment {
    Segment::Named(n.to_owned())
}

fn err(text: &str) -> PathError {
    match parse(text) {
        Err(e) => e,
        Ok(p) => panic!("{text}: parsed as {p:?}"),
    }
}

fn query(text: &str) -> (Action, String) {
    match parse(text) {
        Ok(Path::Query { action, text }) => (action, text),
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn plain_path_is_relative_to_properties() {
    let (action, root, segs) = steps("typeProperties.recurrence.interval");
    assert_eq!((action, root), (Action::Update, Root::Properties));
    assert_eq!(segs, [key("typeProperties"), key("recurrence"), key("interval")]);
    assert_eq!(steps("parameters.WaitInSec").2, [key("parameters"), key("WaitInSec")]);
}

#[test]
fn action_signs() {
    let (action, root, segs) = steps("-typeProperties.encryptedCredential");
    assert_eq!((action, root), (Action::Remove, Root::Properties));
    assert_eq!(segs, [key("typeProperties"), key("encryptedCredential")]);
    let (action, root, segs) = steps("+$.properties.typeProperties.existingClusterId");
    assert_eq!((action, root), (Action::Add, Root::Resource));
    assert_eq!(segs.len(), 3);
}

#[test]
fn dollar_dot_is_relative_to_resource() {
    let (_, root, segs) = steps("$.dependsOn");
    assert_eq!((root, segs), (Root::Resource, vec![key("dependsOn")]));
}

#[test]
fn quoted_keys() {
    let segs = steps("$.properties.globalParameters.'GP-String'.value").2;
    assert_eq!(segs, [key("properties"), key("globalParameters"), key("GP-String"), key("value")]);
    assert_eq!(steps("$.properties.globalParameters.'ENV'.value").2[2], key("ENV"));
    assert_eq!(steps("a.\"x.y [z]\".b").2[1], key("x.y [z]"));
    assert_eq!(steps("'it''s'.'a\\'b'.'c\\\\'.'d\\e'").2, [key("it's"), key("a'b"), key("c\\"), key("d\\e")]);
}

#[test]
fn unquoted_keys_accept_unicode_dash_and_at() {
    assert_eq!(steps("caf\u{e9}.GP-Int.@odata").2, [key("caf\u{e9}"), key("GP-Int"), key("@odata")]);
}

#[test]
fn selectors_and_chains() {
    let segs = steps("activities[1].typeProperties.ifTrueActivities[0].name").2;
    assert_eq!(segs[1], Segment::Index(1));
    assert_eq!(segs[4], Segment::Index(0));
    let segs = steps("activities[\"If\"].typeProperties.ifTrueActivities['Wait 3'].name").2;
    assert_eq!(
        segs,
        [key("activities"), named("If"), key("typeProperties"), key("ifTrueActivities"), named("Wait 3"), key("name")]
    );
    assert_eq!(steps("a[0][1]").2, [key("a"), Segment::Index(0), Segment::Index(1)]);
    assert_eq!(steps("a[\"x\"][ 0 ]").2, [key("a"), named("x"), Segment::Index(0)]);
    assert_eq!(steps("'GP-Array'[2]").2, [key("GP-Array"), Segment::Index(2)]);
}

#[test]
fn step_spans_are_offsets_in_the_cell() {
    let Ok(Path::Steps { steps, .. }) = parse("+$.a['Copy Data'].'b-c'[10]") else { panic!() };
    let spans: Vec<_> = steps.iter().map(|s| s.span.clone()).collect();
    assert_eq!(spans, [3..4, 4..17, 18..23, 23..27]);
}

#[test]
fn wrong_separator_points_at_it() {
    let e = err("typeProperties:baseUrl");
    assert_eq!((e.offset, e.len), (14, 1));
    assert!(e.to_string().contains('.'));
    assert_eq!(err("+a.b c").offset, 4);
    assert_eq!(err("a]").offset, 1);
    assert_eq!(err("a.$b").offset, 2);
    assert_eq!(err("caf\u{e9}/x").offset, 5);
}

#[test]
fn structural_errors() {
    assert!(err("$").to_string().contains("alone"));
    assert_eq!(err("-$").offset, 1);
    assert_eq!((err("$x").offset, err("$x").len), (1, 1));
    assert_eq!(err("$\u{e9}").len, 2);
    assert_eq!(err("+").to_string(), "empty path");
    assert_eq!(err("").offset, 0);
    assert_eq!(err("$.").offset, 2);
    assert_eq!(err("a..b").offset, 2);
    assert_eq!(err("a.").offset, 1);
    assert_eq!(err(".a").offset, 0);
    assert_eq!(err("[0].a").offset, 0);
    assert_eq!(err("a.[0]").offset, 2);
}

#[test]
fn selector_errors() {
    assert_eq!(err("a[]").offset, 2);
    assert_eq!(err("a[x]").offset, 2);
    assert_eq!(err("a[0").offset, 1);
    assert_eq!(err("a[0x]").offset, 3);
    assert_eq!(err("a['x").offset, 2);
    assert_eq!(err("a['']").offset, 2);
    assert_eq!(err("a[-1]").offset, 2);
    assert!(err("a[*]").to_string().contains("JSONPath"));
    assert!(err("a.*").to_string().contains("JSONPath"));
    assert!(err("a[99999999999999999999999]").to_string().contains("too large"));
}

#[test]
fn jsonpath_queries_are_kept_verbatim() {
    let q = "$.properties.activities[?(@.type=='Copy')].policy.timeout";
    assert_eq!(query(q), (Action::Update, q.to_owned()));
    assert_eq!(query("$..url"), (Action::Update, "$..url".to_owned()));
    assert_eq!(query("+$.a.*.b").0, Action::Add);
    assert_eq!(query("-$.a[*]"), (Action::Remove, "$.a[*]".to_owned()));
    for q in ["$.a[0:2]", "$.a[0,1]", "$.a['x','y']", "$.a[-1]", "$['properties']", "$.a[ ?(@.x)]"] {
        assert_eq!(query(q).1, q);
    }
}

#[test]
fn quoted_text_does_not_make_a_query() {
    let segs = steps("$.properties.'a..b*'.c[\"x,y:z\"]").2;
    assert_eq!(segs, [key("properties"), key("a..b*"), key("c"), named("x,y:z")]);
}

#[test]
fn display_quotes_only_when_needed() {
    let segs = [key("typeProperties"), key("GP-String"), key("value")];
    assert_eq!(display_steps(&segs), "typeProperties.'GP-String'.value");
    assert_eq!(display_steps(&[key("activities"), named("Copy Data")]), "activities[\"Copy Data\"]");
    assert_eq!(display_steps(&[key("a"), Segment::Index(0)]), "a[0]");
    assert_eq!(display_steps(&[key("it's"), named("say \"hi\"")]), "'it\\'s'[\"say \\\"hi\\\"\"]");
    assert_eq!(display_steps(&[]), "");
}

#[test]
fn display_round_trips() {
    let segs = vec![key("a b"), named("x'y\"z\\"), Segment::Index(3), key("caf\u{e9}"), key("c\\")];
    assert_eq!(steps(&display_steps(&segs)).2, segs);
}
