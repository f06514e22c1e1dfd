//! The README documents what the code does: every diagnostic code is in its table with the
//! description the code carries (the same text `--format json` consumers get).

mod common;

use adfc::Code;

fn readme() -> String {
    std::fs::read_to_string(common::root().join("README.md")).expect("README.md")
}

/// The table rows the README must hold, one per code, in [`Code::ALL`] order.
fn code_table() -> String {
    Code::ALL.iter().map(|c| format!("| `{}` | {} |\n", c.as_str(), c.description())).collect()
}

#[test]
fn readme_lists_every_diagnostic_code_with_its_description() {
    let table = code_table();
    assert!(
        readme().contains(&table),
        "the README's code table must be exactly these rows (copy them in):\n\n| code | meaning |\n|---|---|\n{table}"
    );
}

#[test]
fn code_ids_are_unique_and_well_formed() {
    let mut seen = std::collections::BTreeSet::new();
    for code in Code::ALL {
        let id = code.as_str();
        assert!(seen.insert(id), "duplicate code {id}");
        let (area, name) = id.split_once("::").expect("area::name");
        assert!(!area.is_empty() && !name.is_empty(), "{id}");
        assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{id}");
    }
}
