//! Unit tests of `target_state`.

use std::path::PathBuf;

use super::*;

fn read_text(text: &str) -> (TargetState, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let id = sources.add(PathBuf::from("state.json"), text.to_string());
    let mut report = Report::default();
    let state = read(&[id], &sources, &mut report);
    (state, report.take())
}

fn states(state: &TargetState) -> Vec<(String, Option<RuntimeState>)> {
    state.objects.iter().map(|o| (o.id(), o.runtime_state)).collect()
}

#[test]
fn az_cli_trigger_list() {
    let (state, problems) = read_text(
        r#"[{"id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.DataFactory/factories/f/triggers/TR_A",
             "name": "TR_A", "type": "Microsoft.DataFactory/factories/triggers",
             "properties": {"type": "ScheduleTrigger", "runtimeState": "Started"}},
            {"name": "TR_B", "type": "Microsoft.DataFactory/factories/triggers", "properties": {"runtimeState": "Stopped"}}]"#,
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(state.files[0].1, Form::AzCli);
    assert_eq!(
        states(&state),
        [("trigger.TR_A".into(), Some(RuntimeState::Started)), ("trigger.TR_B".into(), Some(RuntimeState::Stopped))]
    );
    assert_eq!(state.objects[0].properties.as_ref().unwrap()["type"], "ScheduleTrigger");
}

#[test]
fn az_cli_lists_of_other_types_with_flattened_properties() {
    let (state, problems) = read_text(
        r#"{"value": [{"name": "PL_A", "type": "Microsoft.DataFactory/factories/pipelines", "activities": [], "etag": "x"},
                      {"name": "default/mpe", "type": "Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints", "properties": {}}]}"#,
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(state.objects[0].id(), "pipeline.PL_A");
    assert_eq!(state.objects[0].properties, Some(serde_json::json!({"activities": []})));
    assert_eq!(state.objects[1].id(), "managedPrivateEndpoint.mpe");
    assert_eq!(state.objects[1].parent.as_deref(), Some("default"));
}

#[test]
fn a_private_endpoint_named_without_its_network_takes_it_from_its_id() {
    let (state, _) = read_text(
        r#"[{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.DataFactory/factories/f/managedVirtualNetworks/vnet1/managedPrivateEndpoints/mpe",
             "name": "mpe", "type": "Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints", "properties": {}}]"#,
    );
    assert_eq!(state.objects[0].parent.as_deref(), Some("vnet1"));
}

#[test]
fn which_files_say_what_triggers_the_target_has() {
    assert!(read_text(r#"{}"#).0.knows_triggers(), "an empty state map: no triggers");
    assert!(read_text(r#"[{"Name": "TR_A", "RuntimeState": "Started"}]"#).0.knows_triggers());
    assert!(!read_text("[]").0.knows_triggers(), "an empty az list could be of any type");
    assert!(!read_text(r#"[{"name": "P", "type": "Microsoft.DataFactory/factories/pipelines"}]"#).0.knows_triggers());
}

#[test]
fn az_powershell_triggers_with_string_or_number_states() {
    let (state, _) = read_text(r#"[{"Name": "TR_A", "RuntimeState": "Started"}, {"Name": "TR_B", "RuntimeState": 1}]"#);
    assert_eq!(state.files[0].1, Form::AzPowerShell);
    assert_eq!(
        states(&state),
        [("trigger.TR_A".into(), Some(RuntimeState::Started)), ("trigger.TR_B".into(), Some(RuntimeState::Stopped))]
    );
    let (single, _) = read_text(r#"{"Name": "TR_One", "RuntimeState": "Stopped", "DataFactoryName": "f"}"#);
    assert_eq!(states(&single), [("trigger.TR_One".into(), Some(RuntimeState::Stopped))]);
}

#[test]
fn plain_map() {
    let (state, _) = read_text(r#"{"TR_A": "Started", "TR_B": "stopped"}"#);
    assert_eq!(state.files[0].1, Form::Map);
    assert_eq!(state.get(ObjectType::Trigger, "tr_b").unwrap().runtime_state, Some(RuntimeState::Stopped));
}

#[test]
fn anything_else_is_an_error_naming_the_forms() {
    for text in
        [r#"{"TR_A": 1}"#, r#"[{"foo": 1}]"#, "42", r#"[{"name": "x", "type": "Microsoft.Storage/storageAccounts"}]"#]
    {
        let (state, problems) = read_text(text);
        assert!(state.is_empty(), "{text}");
        assert_eq!(problems.len(), 1, "{text}");
        assert_eq!(problems[0].code, Code::TargetStateForm);
        assert!(problems[0].notes[0].contains("az datafactory"), "{text}");
    }
    let (_, problems) = read_text("[1,");
    assert_eq!(problems[0].code, Code::TargetStateJson);
}

#[test]
fn a_later_file_wins() {
    let mut sources = Sources::new();
    let a = sources.add(PathBuf::from("a.json"), r#"{"TR_A": "Started"}"#.into());
    let b = sources.add(PathBuf::from("b.json"), r#"{"TR_A": "Stopped"}"#.into());
    let state = read(&[a, b], &sources, &mut Report::default());
    assert_eq!(states(&state), [("trigger.TR_A".into(), Some(RuntimeState::Stopped))]);
}
