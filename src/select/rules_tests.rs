//! Unit tests of `rules`.

use std::path::{Path, PathBuf};

use super::*;
use crate::source::Sources;

fn file_id() -> FileId {
    Sources::new().add(PathBuf::from("rules.txt"), String::new())
}

fn file(text: &str) -> Vec<Rule> {
    let (rules, errors) = parse_file(file_id(), text);
    assert!(errors.is_empty(), "{errors:?}");
    rules
}

fn file_errors(text: &str) -> Vec<RuleError> {
    parse_file(file_id(), text).1
}

fn one(text: &str) -> Rule {
    let mut rules = file(text);
    assert_eq!(rules.len(), 1, "{text:?}");
    rules.remove(0)
}

fn texts(rules: &[Rule]) -> Vec<&str> {
    rules.iter().map(|r| r.text.as_str()).collect()
}

fn deployed(rules: &[Rule], ty: &str, name: &str, folder: Option<&str>) -> bool {
    decide(rules, ty, name, folder).is_deployed()
}

#[test]
fn parses_signs_and_parts() {
    let rules = file(
        "+pipeline.PL_Copy*\n\
         dataset.*                 # no sign means include\n\
         -*.*@Sandbox*             # everything in folders starting with Sandbox\n\
         -linkedService.LS_Dev_*\n\
         -integrationRuntime.*\n",
    );
    let signs: Vec<Sign> = rules.iter().map(|r| r.sign).collect();
    use Sign::{Exclude as E, Include as I};
    assert_eq!(signs, [I, I, E, E, E]);
    assert_eq!(
        texts(&rules),
        ["+pipeline.PL_Copy*", "dataset.*", "-*.*@Sandbox*", "-linkedService.LS_Dev_*", "-integrationRuntime.*"]
    );
    assert_eq!(rules[0].type_pattern.as_str(), "pipeline");
    assert_eq!(rules[0].name_pattern.as_str(), "PL_Copy*");
    assert!(rules[0].folder_pattern.is_none());
    assert_eq!(rules[2].type_pattern.as_str(), "*");
    assert_eq!(rules[2].folder_pattern.as_ref().map(|p| p.as_str()), Some("Sandbox*"));
    let lines: Vec<_> = rules
        .iter()
        .map(|r| match &r.origin {
            Origin::File { line, .. } => ("rules.txt", *line),
            Origin::Cli { .. } => panic!("cli origin"),
        })
        .collect();
    assert_eq!(lines, [("rules.txt", 1), ("rules.txt", 2), ("rules.txt", 3), ("rules.txt", 4), ("rules.txt", 5)]);
}

#[test]
fn name_may_contain_dots_type_is_before_first_dot() {
    let rule = one("+*.mani.json");
    assert_eq!(rule.type_pattern.as_str(), "*");
    assert_eq!(rule.name_pattern.as_str(), "mani.json");
    assert!(rule.matches("pipeline", "MANI.json", None));
    let rule = one("pipeline.X@a.b/c");
    assert_eq!(rule.name_pattern.as_str(), "X");
    assert_eq!(rule.folder_pattern.as_ref().map(|p| p.as_str()), Some("a.b/c"));
}

#[test]
fn folder_splits_at_first_at_sign() {
    let rule = one("-*.*@Team@A/B");
    assert_eq!(rule.name_pattern.as_str(), "*");
    assert_eq!(rule.folder_pattern.as_ref().map(|p| p.as_str()), Some("Team@A/B"));
    assert!(rule.matches("dataset", "DS", Some("Team@A/B")));
    // A name containing `@` is reachable through `?`.
    assert!(one("pipeline.PL?x").matches("pipeline", "PL@x", None));
}

#[test]
fn comments_blank_lines_and_whitespace() {
    let rules = file(
        "# header comment\n\n   \n  # indented comment\n\
         \t+pipeline.A   # trailing\n\
         pipeline.B#C\n\
         pipeline.Multiple Waits\t\n",
    );
    assert_eq!(texts(&rules), ["+pipeline.A", "pipeline.B#C", "pipeline.Multiple Waits"]);
    assert_eq!(rules[0].col, 2);
    assert!(rules[2].matches("pipeline", "multiple waits", None));
    assert!(matches!(rules[0].origin, Origin::File { line: 5, .. }));
}

#[test]
fn crlf_bom_and_missing_final_newline() {
    let rules = file("\u{feff}+pipeline.A\r\n\r\n-dataset.B\r\ntrigger.T");
    assert_eq!(texts(&rules), ["+pipeline.A", "-dataset.B", "trigger.T"]);
    assert_eq!(rules[0].col, 1);
    assert!(matches!(rules[2].origin, Origin::File { line: 4, .. }));
    assert!(rules[1].matches("dataset", "b", None));
}

#[test]
fn empty_file_has_no_rules() {
    assert!(file("").is_empty());
    assert!(file("\u{feff}").is_empty());
    assert!(file("\n\r\n# only comments\n").is_empty());
}

#[test]
fn whitespace_after_sign_is_skipped() {
    let rule = one("-  pipeline.X");
    assert_eq!(rule.sign, Sign::Exclude);
    assert_eq!(rule.type_pattern.as_str(), "pipeline");
}

#[test]
fn errors_report_line_and_column() {
    let errors = file_errors("pipeline.ok\n  pipeline\n+.X\n  -pipeline.\n-pipeline.A@\n");
    let at: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.col)).collect();
    assert_eq!(at, [(2, 3), (3, 2), (4, 13), (5, 13)]);
    assert!(errors[2].kind.to_string().contains("empty object name"), "{}", errors[2].kind.to_string());
    assert!(errors[0].kind.to_string().contains("no `.`"), "{}", errors[0].kind.to_string());
    assert!(errors[1].kind.to_string().contains("empty object type"), "{}", errors[1].kind.to_string());
    assert!(errors[3].kind.to_string().contains("empty folder"), "{}", errors[3].kind.to_string());
}

#[test]
fn error_columns_count_characters_and_skip_bom() {
    let errors = file_errors("\u{feff}ü.x ü.[z-a]\n+pipeline.\n");
    // Points at the start of the reversed range `z-a`.
    assert_eq!((errors[0].line, errors[0].col), (1, 8));
    assert!(errors[0].kind.to_string().contains("invalid object name pattern"), "{}", errors[0].kind.to_string());
    assert_eq!((errors[1].line, errors[1].col), (2, 11));
    assert!(errors[1].kind.to_string().contains("empty object name"), "{}", errors[1].kind.to_string());
    assert_eq!(errors[1].to_string(), "2:11: empty object name in rule");
}

#[test]
fn at_sign_before_dot_is_an_error() {
    let errors = file_errors("pipeline@ETL/x.y\n");
    assert_eq!((errors[0].line, errors[0].col), (1, 9));
    assert!(errors[0].kind.to_string().contains("must come after"), "{}", errors[0].kind.to_string());
}

#[test]
fn folder_rules() {
    let nested = one("*.*@ETL/*");
    assert!(nested.matches("pipeline", "P", Some("ETL/Daily")));
    assert!(nested.matches("pipeline", "P", Some("etl/daily/sub")));
    assert!(!nested.matches("pipeline", "P", Some("ETL")));
    assert!(!nested.matches("pipeline", "P", None));
    let exact = one("*.*@ETL");
    assert!(exact.matches("dataset", "D", Some("etl")));
    assert!(!exact.matches("dataset", "D", Some("ETL/Daily")));
    assert!(!exact.matches("dataset", "D", None));
    assert!(!one("*.*@*").matches("dataset", "D", Some("")));
    let no_folder = one("pipeline.*");
    assert!(no_folder.matches("pipeline", "P", None));
    assert!(no_folder.matches("pipeline", "P", Some("Any/Thing")));
}

#[test]
fn case_and_wildcards() {
    let rule = one("PIPELINE.pl_?opy");
    assert!(rule.matches("pipeline", "PL_Copy", None));
    assert!(!rule.matches("dataset", "PL_Copy", None));
    let rule = one("*.[!x]*");
    assert!(rule.matches("trigger", "T1", None));
    assert!(!rule.matches("trigger", "X1", None));
    assert!(!rule.matches("trigger", "x1", None));
}

#[test]
fn cli_lists() {
    let rules = parse_cli(false, " pipeline.A , ,pipeline.B,").unwrap();
    assert_eq!(texts(&rules), ["pipeline.A", "pipeline.B"]);
    assert_eq!((rules[0].col, rules[1].col), (2, 16));
    assert!(rules.iter().all(|r| r.sign == Sign::Include));
    assert_eq!(rules[0].origin, Origin::Cli { flag: "--include" });
    let rules = parse_cli(true, "pipeline.A,-dataset.*").unwrap();
    assert!(rules.iter().all(|r| r.sign == Sign::Exclude));
    assert_eq!(rules[1].origin, Origin::Cli { flag: "--exclude" });
    assert!(parse_cli(true, "").unwrap().is_empty());
    assert_eq!(parse_cli(false, "+pipeline.A").unwrap()[0].sign, Sign::Include);
}

#[test]
fn cli_wrong_sign_and_syntax_errors() {
    let err = parse_cli(true, "pipeline.A, +pipeline.B").unwrap_err();
    assert_eq!((err.line, err.col), (1, 13));
    assert!(err.kind.to_string().contains("--include"), "{}", err.kind.to_string());
    let err = parse_cli(false, "-pipeline.B").unwrap_err();
    assert_eq!(err.col, 1);
    assert!(err.kind.to_string().contains("--exclude"), "{}", err.kind.to_string());
    let err = parse_cli(false, "pipeline.A,pipeline").unwrap_err();
    assert_eq!((err.line, err.col), (1, 12));
}

#[test]
fn decide_semantics() {
    let rules = file("+pipeline.PL_*\n-pipeline.PL_Dev*\n-*.*@Sandbox*\ndataset.*\n");
    assert!(matches!(
        decide(&rules, "pipeline", "PL_Copy", None),
        Decision::Deployed(Some(r)) if r.text == "+pipeline.PL_*"
    ));
    assert!(matches!(
        decide(&rules, "pipeline", "pl_dev1", None),
        Decision::Excluded(r) if r.text == "-pipeline.PL_Dev*"
    ));
    assert!(matches!(
        decide(&rules, "dataset", "DS", Some("Sandbox/x")),
        Decision::Excluded(r) if r.text == "-*.*@Sandbox*"
    ));
    assert!(deployed(&rules, "dataset", "DS", Some("Prod")));
    assert!(matches!(decide(&rules, "trigger", "T", None), Decision::NotIncluded));
    assert!(!deployed(&rules, "pipeline", "Other", None));
}

#[test]
fn decide_without_includes_or_rules() {
    assert!(matches!(decide(&[], "pipeline", "P", None), Decision::Deployed(None)));
    let rules = file("-linkedService.LS_Dev_*\n-integrationRuntime.*\n");
    assert!(matches!(decide(&rules, "pipeline", "P", None), Decision::Deployed(None)));
    assert!(!deployed(&rules, "integrationRuntime", "IR", None));
    assert!(!deployed(&rules, "linkedService", "ls_dev_1", None));
    assert!(deployed(&rules, "linkedService", "LS_Prod", None));
}

#[test]
fn decide_first_matching_rule_wins() {
    let rules = file("pipeline.*\n+pipeline.A\n-*.A\n-pipeline.A\n");
    assert!(matches!(decide(&rules, "pipeline", "A", None), Decision::Excluded(r) if r.text == "-*.A"));
    assert!(matches!(
        decide(&rules, "pipeline", "B", None),
        Decision::Deployed(Some(r)) if r.text == "pipeline.*"
    ));
}

#[test]
fn big_factory_filter_option1() {
    let rules = file("+pipeline.*\n-*.SharedIR*\n-*.LS_SqlServer_DEV19_AW2017\ntrigger.*\n\n\n");
    assert_eq!(rules.len(), 4);
    assert!(deployed(&rules, "pipeline", "PL_Wait", None));
    assert!(deployed(&rules, "trigger", "TR_Daily", None));
    assert!(!deployed(&rules, "integrationRuntime", "SharedIR-DEV2019", None));
    assert!(!deployed(&rules, "linkedService", "LS_SqlServer_DEV19_AW2017", None));
    assert!(!deployed(&rules, "dataset", "DS_Any", None));
}

#[test]
fn partial_deploy_config_mix() {
    let rules = file(
        "+pipeline.*@Comm\npipeline.PL_SAMPLE_WAIT\nlinkedService.LS_ADLS_2_SELECTIVE_DEPLOY\n\
         dataset.*\n-pipeline.PL_WAIT_1\n",
    );
    assert!(deployed(&rules, "pipeline", "PL_X", Some("Comm")));
    assert!(!deployed(&rules, "pipeline", "PL_X", None));
    assert!(!deployed(&rules, "pipeline", "PL_X", Some("Comm/Sub")));
    assert!(deployed(&rules, "pipeline", "PL_SAMPLE_WAIT", None));
    assert!(!deployed(&rules, "pipeline", "PL_WAIT_1", Some("Comm")));
    assert!(deployed(&rules, "dataset", "DS", Some("Any")));
    assert!(deployed(&rules, "linkedService", "ls_adls_2_selective_deploy", None));
    assert!(!deployed(&rules, "linkedService", "LS_Other", None));
}

/// Every rules file in the shared corpus parses (skipped when absent).
#[test]
fn shared_rule_files_parse() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let roots = [shared.join("compat"), shared.join("corpus")];
    let mut parsed = 0;
    for path in roots.iter().flat_map(|root| txt_files(root)) {
        let name = path.to_string_lossy().to_lowercase();
        let is_rules = ["filter", "rules", "deploy", "includeexclude"].iter().any(|k| name.contains(k));
        if let (true, Ok(text)) = (is_rules, std::fs::read_to_string(&path)) {
            assert!(parse_file(file_id(), &text).1.is_empty(), "{name}");
            parsed += 1;
        }
    }
    assert!(parsed >= 12 || !roots[0].exists(), "only {parsed} rule files found");
}

fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() {
            found.extend(txt_files(&path));
        } else if path.extension().is_some_and(|e| e == "txt") {
            found.push(path);
        }
    }
    found
}
