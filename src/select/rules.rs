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

use crate::source::FileId;

use super::pattern::{NamePattern, PatternErrorKind};

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
        file: FileId,
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
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {kind}")]
pub struct RuleError {
    /// 1-based line in the rules file; always 1 for command-line rules.
    pub line: usize,
    /// 1-based column (in characters) in the line or argument.
    pub col: usize,
    /// What is wrong.
    pub kind: RuleErrorKind,
}

/// The part of a rule that the parts are named by in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Before the first `.`.
    Type,
    /// Between the `.` and the `@`.
    Name,
    /// After the `@`.
    Folder,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Type => "object type",
            Part::Name => "object name",
            Part::Folder => "folder",
        })
    }
}

const EXPECTED: &str = "expected `type.name` or `type.name@folder` (e.g. `pipeline.PL_*`)";

/// What is wrong with a rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleErrorKind {
    /// No `.` between type and name.
    #[error("rule `{text}` has no `.`: {EXPECTED}")]
    NoDot {
        /// The rule as written.
        text: String,
    },
    /// An `@` before the `.`.
    #[error("`@folder` must come after the name: {EXPECTED}")]
    FolderBeforeName,
    /// An empty type, name or folder.
    #[error("empty {0} in rule")]
    Empty(Part),
    /// A part that is not a valid pattern.
    #[error("invalid {part} pattern: {error}")]
    Pattern {
        /// Which part.
        part: Part,
        /// The pattern's problem.
        error: PatternErrorKind,
    },
    /// `+` in `--exclude`.
    #[error(
        "`+` (include) is not allowed in --exclude: every --exclude rule excludes; use --include for objects to include"
    )]
    IncludeInExclude,
    /// `-` in `--include`.
    #[error(
        "`-` (exclude) is not allowed in --include: every --include rule includes; use --exclude for objects to exclude"
    )]
    ExcludeInInclude,
}

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
/// Every well-formed rule, and every malformed one's error, in line order
/// (a bad line does not hide the others' problems).
pub fn parse_file(file: FileId, text: &str) -> (Vec<Rule>, Vec<RuleError>) {
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
                let origin = Origin::File { file, line: index + 1 };
                rules.push(parsed.into_rule(Sign::Include, origin));
            }
            Err(error) => errors.push(error),
        }
    }
    (rules, errors)
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
    let kind = if flag == "--exclude" { RuleErrorKind::IncludeInExclude } else { RuleErrorKind::ExcludeInInclude };
    RuleError { line: 1, col: col_at(arg, at), kind }
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
    fn error(&self, at: usize, kind: RuleErrorKind) -> RuleError {
        RuleError { line: self.line, col: col_at(self.src, at), kind }
    }

    /// Compiles the non-empty pattern `src[start..end]`.
    fn pattern(&self, start: usize, end: usize, part: Part) -> Result<NamePattern, RuleError> {
        if start == end {
            return Err(self.error(start, RuleErrorKind::Empty(part)));
        }
        NamePattern::new(&self.src[start..end])
            .map_err(|e| self.error(start + e.offset, RuleErrorKind::Pattern { part, error: e.kind }))
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
        Some(at) => Some(source.pattern(at + 1, end, Part::Folder)?),
        None => None,
    };
    Ok(Parsed {
        sign,
        text: entry.to_owned(),
        type_pattern: source.pattern(body, type_end, Part::Type)?,
        name_pattern: source.pattern(type_end + 1, name_end.unwrap_or(end), Part::Name)?,
        folder_pattern,
        col: col_at(src, start),
    })
}

/// Byte offsets of the `.` ending the type and of the `@` ending the name.
fn split_parts(source: &Source<'_>, body: usize, end: usize) -> Result<(usize, Option<usize>), RuleError> {
    let text = &source.src[body..end];
    let Some(dot) = text.find('.') else {
        return Err(source.error(body, RuleErrorKind::NoDot { text: text.to_string() }));
    };
    if let Some(at) = text[..dot].find('@') {
        return Err(source.error(body + at, RuleErrorKind::FolderBeforeName));
    }
    let at = text[dot + 1..].find('@').map(|at| body + dot + 1 + at);
    Ok((body + dot, at))
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
