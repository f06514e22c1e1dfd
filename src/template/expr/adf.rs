//! ADF-specific readings: object names from resource names, targets of dependsOn entries.

use super::{Expr, Piece, Scope, StrKind, classify, eval_value};

/// The ADF resource type prefix that precedes the factory name.
const FACTORY_TYPE: &str = "microsoft.datafactory/factories/";

/// Split `/a/b/c` into `["a", "b", "c"]`; `""` gives `[]`. Anything not
/// starting with `/`, or with an empty segment, gives `None`.
fn slash_segments(text: &str) -> Option<Vec<String>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.strip_prefix('/')?.split('/').map(|s| (!s.is_empty()).then(|| s.to_string())).collect()
}

fn is_param(piece: &Piece, name: &str) -> bool {
    matches!(piece, Piece::Param(p) if p.eq_ignore_ascii_case(name))
}

/// The name segments of an ADF resource `name` value, after the factory.
///
/// `[concat(parameters('factoryName'), '/default/mpe_sql')]` ->
/// `["default", "mpe_sql"]`; `[parameters('factoryName')]` -> `[]` (the
/// factory itself); a literal `myfactory/PL_A` -> `["PL_A"]` (the first
/// segment is the factory). The factory parameter name is compared
/// case-insensitively, as ARM does. Empty segments or any other shape give
/// `None`.
#[must_use]
pub fn resource_name_segments(name_value: &str, factory_param: &str, scope: &dyn Scope) -> Option<Vec<String>> {
    match classify(name_value) {
        StrKind::Literal(text) => {
            let mut parts = text.split('/');
            if parts.next().is_none_or(str::is_empty) {
                return None;
            }
            parts.map(|s| (!s.is_empty()).then(|| s.to_string())).collect()
        }
        StrKind::Expression(_) => match eval_value(name_value, scope)?.as_slice() {
            [p] if is_param(p, factory_param) => Some(Vec::new()),
            [p, Piece::Text(t)] if is_param(p, factory_param) => slash_segments(t),
            _ => None,
        },
    }
}

/// An ADF resource referenced by a `dependsOn` entry or `resourceId`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// Resource type path below the factory, e.g. `["datasets"]` or
    /// `["managedVirtualNetworks", "managedPrivateEndpoints"]`; empty for
    /// the factory itself.
    pub types: Vec<String>,
    /// Resource names matching `types` one to one.
    pub names: Vec<String>,
}

/// Resolve a `dependsOn` entry or resource-id value to the ADF resource it
/// names.
///
/// The value must evaluate to text ending in `Microsoft.DataFactory/factories/`
/// (case-insensitive; any prefix allowed), then `parameters(factory_param)`
/// (name compared case-insensitively), then optionally `/t1/n1/t2/n2...`.
/// Anything else — literals, other providers, odd segment counts — gives
/// `None`.
#[must_use]
pub fn dependency_target(value: &str, factory_param: &str, scope: &dyn Scope) -> Option<Target> {
    target_of_pieces(&eval_value(value, scope)?, factory_param)
}

/// [`dependency_target`] of an expression already parsed.
pub fn dependency_target_of(expr: &Expr, factory_param: &str, scope: &dyn Scope) -> Option<Target> {
    target_of_pieces(&super::eval_pieces(expr, scope)?, factory_param)
}

fn target_of_pieces(pieces: &[Piece], factory_param: &str) -> Option<Target> {
    let (prefix, param, rest) = match pieces {
        [Piece::Text(prefix), p] => (prefix, p, ""),
        [Piece::Text(prefix), p, Piece::Text(rest)] => (prefix, p, rest.as_str()),
        _ => return None,
    };
    let cut = prefix.len().checked_sub(FACTORY_TYPE.len())?;
    if !is_param(param, factory_param) || !prefix.get(cut..)?.eq_ignore_ascii_case(FACTORY_TYPE) {
        return None;
    }
    let mut target = Target::default();
    let mut segments = slash_segments(rest)?.into_iter();
    while let Some(ty) = segments.next() {
        target.types.push(ty);
        target.names.push(segments.next()?);
    }
    Some(target)
}
