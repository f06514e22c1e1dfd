//! The parameterization definition: which properties of which resource types
//! ADF's exporter turns into template parameters. It is the folder's
//! `arm-template-parameters-definition.json` when present, else ADF's default
//! (`default-definition.json`, learned from ADF's documentation and exports).
//!
//! Grammar (Microsoft's "Custom parameters with the Resource Manager template"):
//! - the top level maps a resource type (case-insensitive) to a tree that
//!   mirrors the resource (`{"properties": {"typeProperties": {…}}}`); for
//!   linked services and datasets the tree is keyed by the object's `type`
//!   (`"AzureBlobFS"`), `"*"` being every other type;
//! - a key `"*"` matches every member at that level (one level, not
//!   recursively); an explicit key wins over `"*"`;
//! - an array `[element, "name.path"]` applies `element` to every element of
//!   the matching array; the optional path names each element's parameter
//!   (`pipelineReference.referenceName`) instead of its index;
//! - a string `<action>:<name>:<type>` parameterizes the property: action `=`
//!   keeps the current value as the default, `-` has no default, `|` is a
//!   secret (a Key Vault reference has its `secretName` parameterized; any
//!   other value becomes a secure parameter); name empty = the property's
//!   path, `-name` = `<object>_name`, `name` = the path with its last segment
//!   replaced; type `string`, `securestring`, `int`, `bool`, `float`,
//!   `object`, `secureobject` or `array` (default: from the value).

use std::ops::Range;

use crate::diag::{Code, Diagnostic, Location};
use crate::json::scan;
use crate::json::text::decode_str;
use crate::source::FileId;

/// ADF's default definition, used when the folder has none.
pub const DEFAULT: &str = include_str!("default-definition.json");

/// Resource types whose tree is keyed by the object's own `type`.
const BY_OBJECT_TYPE: [&str; 2] =
    ["Microsoft.DataFactory/factories/linkedServices", "Microsoft.DataFactory/factories/datasets"];

/// What happens to a matched property's current value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `=`: the current value becomes the parameter's default.
    KeepDefault,
    /// `-`: the parameter has no default.
    NoDefault,
    /// `|`: a secret.
    Secret,
}

/// How the parameter is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamName {
    /// `<object>_<path>` (`LS_properties_typeProperties_url`).
    Path,
    /// `-name`: `<object>_name`.
    Short(String),
    /// `name`: the path with its last segment replaced by `name`.
    Last(String),
}

/// A parameter type of the grammar (ARM's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string`
    String,
    /// `secureString`
    SecureString,
    /// `int`
    Int,
    /// `bool`
    Bool,
    /// `float`
    Float,
    /// `object`
    Object,
    /// `secureObject`
    SecureObject,
    /// `array`
    Array,
}

impl ParamType {
    /// Parse a type name case-insensitively.
    pub fn parse(text: &str) -> Option<ParamType> {
        Some(match text.to_ascii_lowercase().as_str() {
            "string" => ParamType::String,
            "securestring" => ParamType::SecureString,
            "int" => ParamType::Int,
            "bool" => ParamType::Bool,
            "float" => ParamType::Float,
            "object" => ParamType::Object,
            "secureobject" => ParamType::SecureObject,
            "array" => ParamType::Array,
            _ => return None,
        })
    }

    /// The name written in the template (`secureString`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::SecureString => "secureString",
            ParamType::Int => "int",
            ParamType::Bool => "bool",
            ParamType::Float => "float",
            ParamType::Object => "object",
            ParamType::SecureObject => "secureObject",
            ParamType::Array => "array",
        }
    }
}

/// One `<action>:<name>:<type>` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// What to do with the value.
    pub action: Action,
    /// How to name the parameter.
    pub name: ParamName,
    /// Declared type (`None`: from the value).
    pub ptype: Option<ParamType>,
}

/// Why a spec string is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// The action is not `=`, `-` or `|`.
    #[error("`{0}` does not start with an action (`=`, `-` or `|`)")]
    Action(String),
    /// An unknown type.
    #[error("unknown parameter type `{0}` (string, securestring, int, bool, float, object, secureobject, array)")]
    Type(String),
    /// More than three `:`-separated parts.
    #[error("`{0}` has more than three `:`-separated parts (<action>:<name>:<type>)")]
    Parts(String),
}

/// Parse `<action>:<name>:<type>`.
pub fn parse_spec(text: &str) -> Result<Spec, SpecError> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return Err(SpecError::Parts(text.to_string()));
    }
    let action = match parts[0] {
        "=" => Action::KeepDefault,
        "-" => Action::NoDefault,
        "|" => Action::Secret,
        _ => return Err(SpecError::Action(text.to_string())),
    };
    let name = match parts.get(1).copied().unwrap_or("") {
        "" => ParamName::Path,
        n => n.strip_prefix('-').map_or_else(|| ParamName::Last(n.to_string()), |s| ParamName::Short(s.to_string())),
    };
    let ptype = match parts.get(2).copied().unwrap_or("") {
        "" => None,
        t => Some(ParamType::parse(t).ok_or_else(|| SpecError::Type(t.to_string()))?),
    };
    Ok(Spec { action, name, ptype })
}

/// A node of a definition tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Parameterize the property.
    Leaf(Spec),
    /// Descend into an object's members (`"*"` = any member).
    Object(Vec<(String, Rule)>),
    /// Apply to every element; optionally name elements by a path of keys.
    Array(Box<Rule>, Option<Vec<String>>),
}

impl Rule {
    /// The rule for member `key`: an explicit key, else `"*"`.
    pub fn member(&self, key: &str) -> Option<&Rule> {
        let Rule::Object(members) = self else { return None };
        let find = |k: &str| members.iter().find(|(m, _)| m == k).map(|(_, r)| r);
        find(key).or_else(|| find("*"))
    }
}

/// A parsed definition file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Definition {
    types: Vec<(String, Rule)>,
}

impl Definition {
    /// The rule for a resource of ARM type `rtype` whose `properties.type` is `object_type`.
    pub fn rule_for(&self, rtype: &str, object_type: Option<&str>) -> Option<&Rule> {
        let rule = self.types.iter().find(|(t, _)| t.eq_ignore_ascii_case(rtype)).map(|(_, r)| r)?;
        if !BY_OBJECT_TYPE.iter().any(|t| t.eq_ignore_ascii_case(rtype)) {
            return Some(rule);
        }
        match object_type {
            Some(t) => rule.member(t),
            None => rule.member("*"),
        }
    }
}

/// Parse the definition text of `file` (all problems reported).
pub fn parse(text: &str, file: FileId) -> Result<Definition, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let definition = parse_text(text, &mut |span, message| {
        problems.push(Diagnostic::error(Code::ExportDefinition, message).at(Location::span(file, span)))
    });
    if problems.is_empty() { Ok(definition) } else { Err(problems) }
}

/// ADF's default definition.
pub fn default_definition() -> Definition {
    parse_text(DEFAULT, &mut |_, _| {})
}

fn parse_text(text: &str, problem: &mut dyn FnMut(Range<usize>, String)) -> Definition {
    let members = match scan::document(text) {
        Ok((_, Some(members))) => members,
        Ok((range, None)) => {
            problem(range.start..range.start + 1, "the parameterization definition is not a JSON object".into());
            return Definition::default();
        }
        Err(e) => {
            problem(e.offset..(e.offset + 1).min(text.len()), format!("invalid JSON: {e}"));
            return Definition::default();
        }
    };
    let mut at_slice = |slice: &str, message: String| problem(offset(text, slice), message);
    let types = members
        .into_iter()
        .map(|(key, value)| {
            (decode_str(key).map(|k| k.into_owned()).unwrap_or_default(), parse_rule(value, &mut at_slice))
        })
        .collect();
    Definition { types }
}

type Problem<'p, 't> = &'p mut dyn FnMut(&'t str, String);

fn parse_rule<'t>(raw: &'t str, problem: Problem<'_, 't>) -> Rule {
    match raw.as_bytes().first() {
        Some(b'"') => {
            let text = decode_str(raw).unwrap_or_default();
            match parse_spec(&text) {
                Ok(spec) => Rule::Leaf(spec),
                Err(e) => {
                    problem(raw, e.to_string());
                    Rule::Object(Vec::new())
                }
            }
        }
        Some(b'{') => {
            let members = scan::object_members(raw).unwrap_or_default();
            let rules = members
                .into_iter()
                .map(|(k, v)| (decode_str(k).map(|k| k.into_owned()).unwrap_or_default(), parse_rule(v, problem)))
                .collect();
            Rule::Object(rules)
        }
        Some(b'[') => parse_array_rule(raw, problem),
        _ => {
            problem(raw, "expected a string, an object or an array".to_string());
            Rule::Object(Vec::new())
        }
    }
}

fn parse_array_rule<'t>(raw: &'t str, problem: Problem<'_, 't>) -> Rule {
    let elements = scan::array_elements(raw).unwrap_or_default();
    let Some(first) = elements.first() else {
        problem(raw, "an array rule needs an element rule: `[{…}]` or `[{…}, \"name.path\"]`".to_string());
        return Rule::Object(Vec::new());
    };
    let namer = elements.get(1).and_then(|n| decode_str(n)).map(|n| n.split('.').map(str::to_string).collect());
    if let Some(extra) = elements.get(2) {
        problem(extra, "an array rule has at most two elements: the element rule and a naming path".to_string());
    }
    Rule::Array(Box::new(parse_rule(first, problem)), namer)
}

/// Byte range of `slice` within `text` (which it borrows from).
fn offset(text: &str, slice: &str) -> Range<usize> {
    let start = (slice.as_ptr() as usize).saturating_sub(text.as_ptr() as usize).min(text.len());
    start..(start + slice.len()).min(text.len())
}

#[cfg(test)]
#[path = "definition_tests.rs"]
mod tests;
