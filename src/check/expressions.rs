//! Parameters read by ADF expressions (`@pipeline().parameters.X`,
//! `@dataset().X`, `@linkedService().X`, `@pipeline().globalParameters.X`,
//! also inside `@{…}` interpolation) that the object or factory does not
//! declare: ADF accepts such a pipeline and it fails when it runs.

/// What an expression reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpressionRef {
    /// `pipeline().parameters.X`
    Pipeline(String),
    /// `pipeline().globalParameters.X`
    Global(String),
    /// `dataset().X`
    Dataset(String),
    /// `linkedService().X`
    LinkedService(String),
}

impl ExpressionRef {
    /// The parameter's name.
    pub fn name(&self) -> &str {
        match self {
            ExpressionRef::Pipeline(n)
            | ExpressionRef::Global(n)
            | ExpressionRef::Dataset(n)
            | ExpressionRef::LinkedService(n) => n,
        }
    }
}

/// Makes the reference an accessor reads.
type Make = fn(String) -> ExpressionRef;

/// Accessors and what they read, matched ignoring case (longest first).
const ACCESSORS: [(&str, Make); 4] = [
    ("pipeline().globalparameters", ExpressionRef::Global),
    ("pipeline().parameters", ExpressionRef::Pipeline),
    ("linkedservice()", ExpressionRef::LinkedService),
    ("dataset()", ExpressionRef::Dataset),
];

/// Every parameter a string value's expressions read. A value is an
/// expression when it starts with `@` (`@@` escapes a literal `@`); any value
/// can hold `@{…}` interpolations.
pub fn expression_refs(value: &str) -> Vec<ExpressionRef> {
    let mut refs = Vec::new();
    for expression in expressions(value) {
        let lower = expression.to_ascii_lowercase();
        let mut at = 0;
        while at < lower.len() {
            let found = ACCESSORS.iter().find(|(accessor, _)| lower[at..].starts_with(accessor));
            match found
                .and_then(|(accessor, make)| member(&expression[at + accessor.len()..]).map(|n| (accessor, make, n)))
            {
                Some((accessor, make, name)) => {
                    refs.push(make(name));
                    at += accessor.len();
                }
                None => at += lower[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
    }
    refs
}

/// The expression parts of a value.
fn expressions(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    if let Some(rest) = value.strip_prefix('@')
        && !rest.starts_with('@')
    {
        parts.push(rest);
        return parts;
    }
    let mut rest = value;
    while let Some(open) = rest.find("@{") {
        let inner = &rest[open + 2..];
        let close = inner.find('}').unwrap_or(inner.len());
        parts.push(&inner[..close]);
        rest = inner.get(close + 1..).unwrap_or("");
    }
    parts
}

/// The member read right after an accessor: `.X`, `?.X`, `['X']`, `["X"]`.
fn member(after: &str) -> Option<String> {
    let after = after.trim_start();
    let after = after.strip_prefix('?').unwrap_or(after);
    if let Some(dotted) = after.strip_prefix('.') {
        let name: String = dotted.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
        return (!name.is_empty()).then_some(name);
    }
    let quoted = after.strip_prefix('[')?.trim_start();
    let quote = quoted.chars().next().filter(|q| *q == '\'' || *q == '"')?;
    let inner = &quoted[1..];
    inner.find(quote).map(|end| inner[..end].to_string()).filter(|n| !n.is_empty())
}

#[cfg(test)]
#[path = "expressions_tests.rs"]
mod tests;
