//! Renderers: every output format is a function over plain result data.

pub mod check;
pub mod diagnostics;
pub mod diff;
pub mod json;
pub mod listing;
pub mod plan;
pub mod summary;

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 error`, `2 errors`, `1,000 warnings`: a count and its noun (plural with an `s`).
pub fn counted(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", thousands(n))
}
