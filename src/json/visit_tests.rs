//! Unit tests of `visit`.

use super::*;

#[derive(Default)]
struct Collect {
    exprs: Vec<String>,
    refs: Vec<(RefName, String)>,
}

impl Visitor<'_> for Collect {
    fn expression(&mut self, text: &str) {
        self.exprs.push(text.to_string());
    }
    fn reference(&mut self, name: RefName, ref_type: &str) {
        self.refs.push((name, ref_type.to_string()));
    }
}

#[test]
fn finds_references_and_expressions() {
    let text = r#"{"a": {"type": "DatasetReference", "referenceName": "DS_1"},
        "b": [{"referenceName": {"value": "@x", "type": "Expression"}, "type": "PipelineReference"}],
        "c": "[parameters('p')]", "d": "plain", "e": {"type": "Other", "referenceName": "x"}}"#;
    let mut c = Collect::default();
    walk(text, &mut c);
    assert_eq!(c.exprs, vec!["[parameters('p')]"]);
    assert_eq!(c.refs.len(), 2);
    assert_eq!(c.refs[0], (RefName::Plain("DS_1".into()), "DatasetReference".into()));
    assert!(matches!(c.refs[1].0, RefName::Dynamic(_)));
}
