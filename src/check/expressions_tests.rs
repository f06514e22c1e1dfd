//! Unit tests of `expressions`.

use super::*;

fn names(value: &str) -> Vec<String> {
    expression_refs(value)
        .iter()
        .map(|r| match r {
            ExpressionRef::Pipeline(n) => format!("p:{n}"),
            ExpressionRef::Global(n) => format!("g:{n}"),
            ExpressionRef::Dataset(n) => format!("d:{n}"),
            ExpressionRef::LinkedService(n) => format!("l:{n}"),
        })
        .collect()
}

#[test]
fn whole_value_expressions_and_interpolations() {
    assert_eq!(names("@pipeline().parameters.WaitInSec"), ["p:WaitInSec"]);
    assert_eq!(names("@concat(pipeline().parameters.A, dataset().B)"), ["p:A", "d:B"]);
    assert_eq!(names("copy @{pipeline().globalParameters.GP-Int} rows of @{linkedService().db}"), ["g:GP-Int", "l:db"]);
    assert_eq!(names("@PIPELINE().Parameters['My Param']"), ["p:My Param"]);
    assert_eq!(names("@pipeline()?.parameters?.x"), Vec::<String>::new());
    assert_eq!(names("@pipeline().parameters?.x"), ["p:x"]);
}

#[test]
fn literals_are_not_expressions() {
    assert!(names("@@pipeline().parameters.A").is_empty());
    assert!(names("pipeline().parameters.A").is_empty());
    assert!(names("mail@example.com").is_empty());
    assert!(names("@pipeline().RunId").is_empty());
}
