//! `adfc completions SHELL` and `adfc man [COMMAND]`: generated from the same clap definition as the
//! parser, so they follow every new flag; snapshots make each change visible in review.

mod common;

use common::adfc;

/// stdout of `adfc <args>`, which must succeed with nothing on stderr.
fn stdout(args: &[&str]) -> String {
    let output = adfc().args(args).output().expect("run adfc");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "adfc {}: exit {:?}\n{stderr}", args.join(" "), output.status.code());
    assert!(stderr.is_empty(), "adfc {}: unexpected stderr\n{stderr}", args.join(" "));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The version in man pages, so a release does not rewrite the snapshots.
fn without_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn bash_completions() {
    insta::assert_snapshot!("completions_bash", stdout(&["completions", "bash"]));
}

#[test]
fn bash_completions_load_and_complete_commands_and_flags() {
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("adfc.bash");
    std::fs::write(&file, script).expect("write");
    // Source the script, then ask it what follows `adfc ` and `adfc plan --st`.
    let probe = r#"source "$1"
complete -p adfc
COMP_WORDS=(adfc ""); COMP_CWORD=1; _adfc adfc "" adfc; echo "commands: ${COMPREPLY[*]}"
COMP_WORDS=(adfc plan --st); COMP_CWORD=2; _adfc adfc --st plan; echo "plan: ${COMPREPLY[*]}""#;
    let output = std::process::Command::new("bash").args(["-c", probe, "probe"]).arg(&file).output().expect("bash");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}\n{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("complete ") && lines[0].ends_with(" -F _adfc adfc"), "{text}");
    let commands: Vec<&str> = lines[1].trim_start_matches("commands: ").split(' ').collect();
    for command in ["build", "ls", "check", "export", "plan", "diff", "completions", "man"] {
        assert!(commands.contains(&command), "{command} not completed: {commands:?}");
    }
    assert_eq!(lines[2], "plan: --stage --strict-dependencies --stop --start --start-retries", "{text}");
}

#[test]
fn every_shell_gets_a_script_naming_adfc() {
    let expected_start = [
        ("bash", "_adfc() {"),
        ("zsh", "#compdef adfc"),
        ("fish", "# Print an optspec"),
        ("powershell", "using namespace"),
    ];
    for (shell, start) in expected_start {
        let script = stdout(&["completions", shell]);
        assert!(script.trim_start().starts_with(start), "{shell}: {}", &script[..80]);
        assert!(script.contains("emit-scripts"), "{shell}: the plan flags are completed");
    }
    let elvish = stdout(&["completions", "elvish"]);
    assert!(elvish.contains("set edit:completion:arg-completer[adfc]"), "{elvish}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = adfc().args(["completions", "tcsh"]).output().expect("run adfc");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("possible values: bash, elvish, fish, powershell, zsh"), "{stderr}");
}

#[test]
fn man_page() {
    insta::assert_snapshot!("man_adfc", without_version(&stdout(&["man"])));
}

#[test]
fn man_page_of_a_command() {
    let page = without_version(&stdout(&["man", "plan"]));
    assert!(page.contains(".TH adfc-plan 1"), "{page}");
    insta::assert_snapshot!("man_adfc_plan", page);
}

#[test]
fn man_of_an_unknown_command_names_the_commands() {
    let output = adfc().args(["man", "deploy"]).output().expect("run adfc");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no command `deploy`; commands: build, ls, check, export, plan, diff, completions, man, help\n"
    );
}
