//! Snapshots of the command-line help, so any change to the interface (a renamed flag, a new default,
//! a reworded description) shows up in review. The CLI caps the help width at 100 columns and `adfc()`
//! clears the environment (no COLUMNS), so the output does not depend on the terminal.

mod common;

use common::adfc;

/// Every subcommand; each has a help snapshot `adfc_<command>_help`.
const COMMANDS: &[&str] = &["build", "ls", "check", "export", "plan", "diff", "completions", "man"];

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
    let text = help(&["--help"]);
    for command in COMMANDS {
        assert!(text.contains(&format!("\n  {command} ")), "`adfc --help` lacks {command}\n{text}");
    }
    insta::assert_snapshot!("adfc_help", text);
}

#[test]
fn every_command_help() {
    for command in COMMANDS {
        insta::assert_snapshot!(format!("adfc_{command}_help"), help(&[command, "--help"]));
    }
}

#[test]
fn help_subcommand_matches_flag() {
    for command in COMMANDS {
        assert_eq!(help(&["help", command]), help(&[command, "--help"]), "adfc help {command}");
    }
}

#[test]
fn help_lines_fit_in_100_columns() {
    for command in COMMANDS.iter().map(|c| vec![*c, "--help"]).chain([vec!["--help"]]) {
        for line in help(&command).lines() {
            assert!(line.chars().count() <= 100, "adfc {}: line longer than 100 columns: {line:?}", command.join(" "));
        }
    }
}
