//! Unit tests of `apply`.

use super::query::normalized_path;
use super::resolve::closest;
use crate::config::path::Segment;

#[test]
fn normalized_paths_parse() {
    assert_eq!(
        normalized_path("$['properties']['activities'][0]['it\\'s']").unwrap(),
        vec![
            Segment::Key("properties".into()),
            Segment::Key("activities".into()),
            Segment::Index(0),
            Segment::Key("it's".into())
        ]
    );
}

#[test]
fn closest_finds_typos_only() {
    assert_eq!(closest("ur", ["url", "baseUrl"].into_iter()), Some("url"));
    assert_eq!(closest("zzzzzz", ["url"].into_iter()), None);
}
