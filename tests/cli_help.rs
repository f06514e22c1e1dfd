//! Snapshots of the command-line help, so any change to the interface (a renamed flag, a new default,
//! a reworded description) shows up in review. The CLI caps the help width at 100 columns and `adfc()`
//! clears the environment (no COLUMNS), so the output does not depend on the terminal.

mod common;

use common::adfc;

/// stdout of `adfc <args>`, which must succeed with nothing on stderr.
fn help(args: &[&str]) -> String {
    let output = adfc().args(args).output().expect("run adfc");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "adfc {}: exit {:?}\n{stderr}", args.join(" "), output.status.code());
    assert!(stderr.is_empty(), "adfc {}: unexpected stderr\n{stderr}", args.join(" "));
    String::from_utf8(output.stdout).expect("UTF-8 help")
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!("adfc_help", help(&["--help"]));
}

#[test]
fn build_help() {
    insta::assert_snapshot!("adfc_build_help", help(&["build", "--help"]));
}

#[test]
fn ls_help() {
    insta::assert_snapshot!("adfc_ls_help", help(&["ls", "--help"]));
}

#[test]
fn diff_help() {
    insta::assert_snapshot!("adfc_diff_help", help(&["diff", "--help"]));
}

#[test]
fn help_subcommand_matches_flag() {
    assert_eq!(help(&["help", "build"]), help(&["build", "--help"]));
    assert_eq!(help(&["help", "ls"]), help(&["ls", "--help"]));
    assert_eq!(help(&["help", "diff"]), help(&["diff", "--help"]));
}

#[test]
fn help_lines_fit_in_100_columns() {
    for args in [&["--help"][..], &["build", "--help"][..], &["ls", "--help"][..], &["diff", "--help"][..]] {
        for line in help(args).lines() {
            assert!(line.chars().count() <= 100, "adfc {}: line longer than 100 columns: {line:?}", args.join(" "));
        }
    }
}
