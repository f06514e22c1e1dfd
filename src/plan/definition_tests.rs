//! Unit tests of `plan::definition`.

use serde_json::json;

use super::*;

#[test]
fn template_values_resolve_parameters_and_unescape_literals() {
    let parameters = ParameterValues::from_texts([("Interval", Some("4")), ("none", None)].into_iter());
    let mut value = json!({"a": "[parameters('interval')]", "b": "[[x]", "c": "[concat('a', 'b')]",
                           "d": ["[parameters('none')]", "plain"]});
    resolve_template_values(&mut value, &parameters);
    assert_eq!(value, json!({"a": 4, "b": "[x]", "c": "[concat('a', 'b')]", "d": ["[parameters('none')]", "plain"]}));
}

#[test]
fn a_template_trigger_and_its_az_form_compare_equal() {
    let template = json!({"runtimeState": "Started", "type": "ScheduleTrigger", "annotations": [],
                          "typeProperties": {"recurrence": {"frequency": "Day", "interval": 1}}});
    let az = json!({"type": "ScheduleTrigger", "runtimeState": "Stopped", "description": null, "annotations": [],
                    "recurrence": {"interval": 1, "frequency": "Day", "endTime": null}});
    let (a, b) = (TriggerDefinition::new(template), TriggerDefinition::new(az));
    assert_eq!(a.body, b.body);
    assert_eq!(a.state, StateValue::Known(RuntimeState::Started));
    assert_eq!(b.state, StateValue::Known(RuntimeState::Stopped));
}

#[test]
fn tumbling_window_dependencies() {
    let t = TriggerDefinition::new(json!({"typeProperties": {"dependsOn": [
        {"type": "TumblingWindowTriggerDependencyReference", "referenceTrigger": {"referenceName": "TR_A", "type": "TriggerReference"}},
        {"type": "SelfDependencyTumblingWindowTriggerReference", "offset": "-01:00:00"}]},
        "runtimeState": "[parameters('state')]"}));
    assert_eq!(t.depends_on, ["TR_A"]);
    assert_eq!(t.state, StateValue::Unreadable("[parameters('state')]".into()));
}

#[test]
fn references_at_any_depth_but_not_dynamic_ones() {
    let value = json!({"activities": [{"typeProperties": {"pipeline": {"referenceName": "PL_B", "type": "PipelineReference"}}},
        {"linkedServiceName": {"referenceName": {"value": "@x", "type": "Expression"}, "type": "LinkedServiceReference"}}]});
    assert_eq!(references(&value), [ObjectRef { otype: ObjectType::Pipeline, name: "PL_B".into() }]);
}
