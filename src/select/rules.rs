//! Selective-deployment rules: `[+|-]type.name[@folder]`.
//!
//! Rules come from rule files (one per line) or from `--include` /
//! `--exclude` arguments (comma-separated). Each part is a
//! [`NamePattern`], so it may use `*`, `?` and `[...]` and matches
//! case-insensitively.
//!
//! Parsing decisions:
//! * the sign is `+` (include), `-` (exclude) or absent (include in files
//!   and `--include`, exclude in `--exclude`); whitespace after the sign is
//!   skipped;
//! * the type is everything before the first `.`; the name runs from there
//!   to the first `@`; everything after that `@` is the folder. Splitting at
//!   the *first* `@` keeps folder paths (free-form, `/`-nested display
//!   strings) intact even if they contain `@`; an object name containing
//!   `@` (allowed by ADF, but rare) can still be targeted with `?`
//!   (e.g. `pipeline.PL?x` for `PL@x`). An `@` before the first `.` is an
//!   error;
//! * in files, blank lines and lines starting with `#` are ignored, and a
//!   `#` preceded by whitespace starts a trailing comment (a `#` glued to
//!   text, as in `pipeline.A#1`, is literal). A UTF-8 BOM and CRLF line
//!   endings are accepted;
//! * on the command line, entries are split at every `,` (so a name
//!   containing `,` cannot be given there; use `?` or a rule file).
//!
//! Columns are 1-based and count characters (not bytes).

use std::fmt;
use std::path::{Path, PathBuf};

use super::pattern::NamePattern;

/// Whether a rule includes or excludes the objects it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// `+` or no sign (outside `--exclude`).
    Include,
    /// `-`, or any rule given to `--exclude`.
    Exclude,
}

/// Where a rule was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A rule file and the 1-based line of the rule.
    File {
        /// The rules file as given to [`parse_file`].
        path: PathBuf,
        /// 1-based line number.
        line: usize,
    },
    /// A command-line argument.
    Cli {
        /// `"--include"` or `"--exclude"`.
        flag: &'static str,
    },
}

/// One parsed selection rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Include or exclude.
    pub sign: Sign,
    /// The rule as written, trimmed and without comment (e.g.
    /// `-linkedService.LS_Dev_*`).
    pub text: String,
    /// Pattern for the object type (e.g. `pipeline` or `*`); the caller
    /// validates it against known types.
    pub type_pattern: NamePattern,
    /// Pattern for the object name.
    pub name_pattern: NamePattern,
    /// Pattern for the folder path when the rule has `@folder`.
    pub folder_pattern: Option<NamePattern>,
    /// Where the rule comes from.
    pub origin: Origin,
    /// 1-based column of the rule text in its line (or in the argument).
    pub col: usize,
}

/// A syntax error in a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// 1-based line in the rules file; always 1 for command-line rules.
    pub line: usize,
    /// 1-based column (in characters) in the line or argument.
    pub col: usize,
    /// Human-readable description of the problem.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for RuleError {}

impl Rule {
    /// Does this rule match an object of this type (the caller's canonical
    /// type name, e.g. `pipeline`), name and folder? A rule with `@folder`
    /// never matches an object without a folder (`None` or empty); a rule
    /// without `@folder` ignores folders.
    #[must_use]
    pub fn matches(&self, object_type: &str, name: &str, folder: Option<&str>) -> bool {
        let folder_ok = || match &self.folder_pattern {
            None => true,
            Some(pattern) => folder.is_some_and(|f| !f.is_empty() && pattern.matches(f)),
        };
        // Cheapest and most selective first.
        self.type_pattern.matches(object_type) && self.name_pattern.matches(name) && folder_ok()
    }
}

/// The outcome of [`decide`] for one object.
#[derive(Clone, Copy, Debug)]
pub enum Decision<'r> {
    /// Deployed; carries the first matching include rule, or `None` when
    /// there are no include rules at all.
    Deployed(Option<&'r Rule>),
    /// Not deployed because of this (first matching) exclude rule.
    Excluded(&'r Rule),
    /// Not deployed: include rules exist but none matches.
    NotIncluded,
}

impl Decision<'_> {
    /// True for [`Decision::Deployed`].
    #[must_use]
    pub fn is_deployed(&self) -> bool {
        matches!(self, Decision::Deployed(_))
    }
}

/// Is an object deployed? Yes iff (there is no include rule, or at least
/// one include matches) and no exclude matches. Excludes win over
/// includes regardless of order.
#[must_use]
pub fn decide<'r>(rules: &'r [Rule], object_type: &str, name: &str, folder: Option<&str>) -> Decision<'r> {
    let hit = |rule: &&Rule| rule.matches(object_type, name, folder);
    let signed = |sign: Sign| rules.iter().filter(move |r| r.sign == sign);
    if let Some(rule) = signed(Sign::Exclude).find(hit) {
        return Decision::Excluded(rule);
    }
    let mut includes = signed(Sign::Include).peekable();
    if includes.peek().is_none() {
        return Decision::Deployed(None);
    }
    includes.find(hit).map_or(Decision::NotIncluded, |rule| Decision::Deployed(Some(rule)))
}

/// Parses a rules file (`text` is its content, `path` is recorded in each
/// rule's [`Origin`]).
///
/// # Errors
///
/// Every malformed rule, in line order.
pub fn parse_file(path: &Path, text: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let (start, end) = trimmed_span(line, strip_comment(line).len());
        if start == end {
            continue;
        }
        match parse_entry(line, index + 1, start, end) {
            Ok(parsed) => {
                let origin = Origin::File { path: path.to_path_buf(), line: index + 1 };
                rules.push(parsed.into_rule(Sign::Include, origin));
            }
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() { Ok(rules) } else { Err(errors) }
}

/// Parses one `--include` / `--exclude` argument: a comma-separated list,
/// entries trimmed, empty entries ignored. Unsigned entries take the
/// flag's sign; the opposite explicit sign is an error.
///
/// # Errors
///
/// The first malformed entry, with `line` 1 and `col` in `arg`.
pub fn parse_cli(flag_is_exclude: bool, arg: &str) -> Result<Vec<Rule>, RuleError> {
    let (flag, default, wrong) = if flag_is_exclude {
        ("--exclude", Sign::Exclude, Sign::Include)
    } else {
        ("--include", Sign::Include, Sign::Exclude)
    };
    let mut rules = Vec::new();
    let mut offset = 0;
    for entry in arg.split(',') {
        let (start, end) = trimmed_span(&arg[offset..], entry.len());
        if start != end {
            let parsed = parse_entry(arg, 1, offset + start, offset + end)?;
            if parsed.sign == Some(wrong) {
                return Err(wrong_sign(arg, offset + start, flag));
            }
            rules.push(parsed.into_rule(default, Origin::Cli { flag }));
        }
        offset += entry.len() + 1;
    }
    Ok(rules)
}

fn wrong_sign(arg: &str, at: usize, flag: &str) -> RuleError {
    let message = if flag == "--exclude" {
        "`+` (include) is not allowed in --exclude: every --exclude rule excludes; \
         use --include for objects to include"
    } else {
        "`-` (exclude) is not allowed in --include: every --include rule includes; \
         use --exclude for objects to exclude"
    };
    RuleError { line: 1, col: col_at(arg, at), message: message.to_owned() }
}

/// The line up to a comment: a `#` at the start or after whitespace.
fn strip_comment(line: &str) -> &str {
    let mut prev_is_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_is_space {
            return &line[..i];
        }
        prev_is_space = c.is_whitespace();
    }
    line
}

/// Byte span of `text[..len]` without surrounding whitespace.
fn trimmed_span(text: &str, len: usize) -> (usize, usize) {
    let part = &text[..len];
    let start = len - part.trim_start().len();
    (start, part.trim_end().len().max(start))
}

/// 1-based character column of byte offset `at` in `src`.
fn col_at(src: &str, at: usize) -> usize {
    src[..at].chars().count() + 1
}

/// A rule parsed from `src[start..end]`, before its origin is attached.
struct Parsed {
    sign: Option<Sign>,
    text: String,
    type_pattern: NamePattern,
    name_pattern: NamePattern,
    folder_pattern: Option<NamePattern>,
    col: usize,
}

impl Parsed {
    fn into_rule(self, default: Sign, origin: Origin) -> Rule {
        Rule {
            sign: self.sign.unwrap_or(default),
            text: self.text,
            type_pattern: self.type_pattern,
            name_pattern: self.name_pattern,
            folder_pattern: self.folder_pattern,
            origin,
            col: self.col,
        }
    }
}

/// The line (or argument) a rule is parsed from, for error positions.
struct Source<'a> {
    src: &'a str,
    line: usize,
}

impl Source<'_> {
    fn error(&self, at: usize, message: String) -> RuleError {
        RuleError { line: self.line, col: col_at(self.src, at), message }
    }

    /// Compiles the non-empty pattern `src[start..end]`.
    fn pattern(&self, start: usize, end: usize, what: &str) -> Result<NamePattern, RuleError> {
        if start == end {
            return Err(self.error(start, format!("empty {what} in rule")));
        }
        NamePattern::new(&self.src[start..end])
            .map_err(|e| self.error(start + e.offset, format!("invalid {what} pattern: {}", e.message)))
    }
}

fn parse_entry(src: &str, line: usize, start: usize, end: usize) -> Result<Parsed, RuleError> {
    let source = Source { src, line };
    let entry = &src[start..end];
    let sign = match entry.as_bytes().first() {
        Some(b'+') => Some(Sign::Include),
        Some(b'-') => Some(Sign::Exclude),
        _ => None,
    };
    let after_sign = start + usize::from(sign.is_some());
    let body = after_sign + (src[after_sign..end].len() - src[after_sign..end].trim_start().len());
    let (type_end, name_end) = split_parts(&source, body, end)?;
    let folder_pattern = match name_end {
        Some(at) => Some(source.pattern(at + 1, end, "folder")?),
        None => None,
    };
    Ok(Parsed {
        sign,
        text: entry.to_owned(),
        type_pattern: source.pattern(body, type_end, "object type")?,
        name_pattern: source.pattern(type_end + 1, name_end.unwrap_or(end), "object name")?,
        folder_pattern,
        col: col_at(src, start),
    })
}

/// Byte offsets of the `.` ending the type and of the `@` ending the name.
fn split_parts(source: &Source<'_>, body: usize, end: usize) -> Result<(usize, Option<usize>), RuleError> {
    let text = &source.src[body..end];
    let expected = "expected `type.name` or `type.name@folder` (e.g. `pipeline.PL_*`)";
    let Some(dot) = text.find('.') else {
        let message = format!("rule `{text}` has no `.`: {expected}");
        return Err(source.error(body, message));
    };
    if let Some(at) = text[..dot].find('@') {
        let message = format!("`@folder` must come after the name: {expected}");
        return Err(source.error(body + at, message));
    }
    let at = text[dot + 1..].find('@').map(|at| body + dot + 1 + at);
    Ok((body + dot, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "rules.txt";

    fn file(text: &str) -> Vec<Rule> {
        parse_file(Path::new(PATH), text).unwrap()
    }

    fn file_errors(text: &str) -> Vec<RuleError> {
        parse_file(Path::new(PATH), text).unwrap_err()
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
                Origin::File { path, line } => (path.to_str().unwrap(), *line),
                Origin::Cli { .. } => panic!("cli origin"),
            })
            .collect();
        assert_eq!(lines, [(PATH, 1), (PATH, 2), (PATH, 3), (PATH, 4), (PATH, 5)]);
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
        assert!(errors[2].message.contains("empty object name"), "{}", errors[2].message);
        assert!(errors[0].message.contains("no `.`"), "{}", errors[0].message);
        assert!(errors[1].message.contains("empty object type"), "{}", errors[1].message);
        assert!(errors[3].message.contains("empty folder"), "{}", errors[3].message);
    }

    #[test]
    fn error_columns_count_characters_and_skip_bom() {
        let errors = file_errors("\u{feff}ü.x ü.[z-a]\n+pipeline.\n");
        // Points at the start of the reversed range `z-a`.
        assert_eq!((errors[0].line, errors[0].col), (1, 8));
        assert!(errors[0].message.contains("invalid object name pattern"), "{}", errors[0].message);
        assert_eq!((errors[1].line, errors[1].col), (2, 11));
        assert!(errors[1].message.contains("empty object name"), "{}", errors[1].message);
        assert_eq!(errors[1].to_string(), "2:11: empty object name in rule");
    }

    #[test]
    fn at_sign_before_dot_is_an_error() {
        let errors = file_errors("pipeline@ETL/x.y\n");
        assert_eq!((errors[0].line, errors[0].col), (1, 9));
        assert!(errors[0].message.contains("must come after"), "{}", errors[0].message);
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
        assert!(err.message.contains("--include"), "{}", err.message);
        let err = parse_cli(false, "-pipeline.B").unwrap_err();
        assert_eq!(err.col, 1);
        assert!(err.message.contains("--exclude"), "{}", err.message);
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
                assert!(parse_file(&path, &text).is_ok(), "{name}");
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
}
