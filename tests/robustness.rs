//! Robustness (issue 13): concurrent builds into one `--out-dir`, and secrets
//! that no command or output format ever shows.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Case, PARAMETERS, Run, TEMPLATE};

// ---------------------------------------------------------------------------------------------------------------
// Concurrency

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir").map(|e| e.expect("entry").path()) {
            if entry.is_dir() {
                stack.push(entry);
            } else {
                let rel = entry.strip_prefix(dir).expect("under dir").to_path_buf();
                files.insert(rel, std::fs::read(&entry).expect("read"));
            }
        }
    }
    files
}

fn build_command(case: &Case, config: &str, out: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adfc"));
    cmd.current_dir(case.dir.path())
        .args(["build", "--template", TEMPLATE, "--config", config, "--out-dir", out])
        .env_clear()
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn build_alone(case: &Case, config: &str, out: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let output = build_command(case, config, out).output().expect("run adfc");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    tree(&case.path(out))
}

/// Each process seeds its hash maps anew: the same inputs must still give the
/// same bytes, for every command that writes or prints a result.
#[test]
fn outputs_do_not_depend_on_hash_map_order() {
    let case = Case::of("example");
    for stage in ["prod", "uat"] {
        std::fs::copy(
            common::root().join(format!("deployment/config-{stage}.csv")),
            case.path(&format!("{stage}.csv")),
        )
        .expect("copy config");
    }
    let first = build_alone(&case, "prod.csv", "out-1");
    for round in 2..=4 {
        let again = build_alone(&case, "prod.csv", &format!("out-{round}"));
        assert!(first == again, "build {round} differs from build 1");
    }
    let env = [("ADFC_UAT_SQL_CONNECTION", "Server=x;Password=p"), ("ADFC_UAT_BLOB_KEY", "k"), ("ADFC_ENV", "uat")];
    let commands: [&[&str]; 4] = [
        &["ls", "--template", TEMPLATE, "--format", "json"],
        &["check", "--template", TEMPLATE, "--format", "json", "prod.csv", "uat.csv"],
        &["plan", "--template", TEMPLATE, "--config", "prod.csv", "--format", "json"],
        &["diff", "--template", TEMPLATE, "--config", "prod.csv", "--format", "json"],
    ];
    for args in commands {
        let runs: Vec<Run> = (0..3).map(|_| case.run(args, &env)).collect();
        assert!(runs.iter().all(|r| r.stdout == runs[0].stdout && r.stderr == runs[0].stderr), "{}", runs[0].what);
    }
}

#[test]
fn two_builds_into_one_out_dir_leave_one_complete_output() {
    let case = Case::of("example");
    // Two stages that differ in both files (a template value and a parameters value).
    case.config(
        "a.csv",
        "linkedService,LS_Rest,typeProperties.url,https://api-a.example.com/\nlinkedService,LS_KeyVault,typeProperties.baseUrl,https://kv-a.vault.azure.net/",
    );
    case.config(
        "b.csv",
        "linkedService,LS_Rest,typeProperties.url,https://api-b.example.com/\nlinkedService,LS_KeyVault,typeProperties.baseUrl,https://kv-b.vault.azure.net/",
    );
    let a = build_alone(&case, "a.csv", "ref-a");
    let b = build_alone(&case, "b.csv", "ref-b");
    assert_ne!(a.get(Path::new(TEMPLATE)), b.get(Path::new(TEMPLATE)));
    assert_ne!(a.get(Path::new(PARAMETERS)), b.get(Path::new(PARAMETERS)));
    for round in 0..8 {
        let out = format!("out-{round}");
        // Alternate who starts first; both race for the same fresh folder.
        let (first, second) = if round % 2 == 0 { ("a.csv", "b.csv") } else { ("b.csv", "a.csv") };
        let one = build_command(&case, first, &out).spawn().expect("spawn");
        let two = build_command(&case, second, &out).spawn().expect("spawn");
        for child in [one, two] {
            let output = child.wait_with_output().expect("wait");
            assert!(output.status.success(), "round {round}: {}", String::from_utf8_lossy(&output.stderr));
        }
        let left = tree(&case.path(&out));
        assert!(left == a || left == b, "round {round}: {out} holds a mix of both runs: {:?}", left.keys());
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets (SPEC 2.8)

/// Values of secret properties (from environment tokens and written literally in a config file).
const SECRETS: [&str; 6] = [
    "Blob-Conn-String-5ecret-91",
    "Blob-Account-Key-5ecret-92",
    "Sandbox-Pa55word-5ecret-93",
    "Sql-Literal-5ecret-94",
    "Rest-Api-Key-Literal-5ecret-95",
    "Bad-Row-Literal-5ecret-96",
];

/// Values from environment tokens on properties that are not secret (never printed either).
const ENV_VALUES: [&str; 1] = ["https://kv-env-value-97.vault.azure.net/"];

const ENV: [(&str, &str); 4] =
    [("BLOB_CONN", SECRETS[0]), ("BLOB_KEY", SECRETS[1]), ("SANDBOX_PW", SECRETS[2]), ("KV_URL", ENV_VALUES[0])];

/// A copy of the example factory with a `prod` stage full of secrets, and a
/// `bad` stage whose failing rows hold secrets too.
fn secret_case() -> Case {
    let case = Case::of("example");
    let rows = [
        "linkedService,LS_Blob,typeProperties.connectionString,\"$($Env:BLOB_CONN)\"",
        "linkedService,LS_Blob,+typeProperties.accountKey,${Env:BLOB_KEY}",
        "linkedService,LS_Dev_Sandbox,+typeProperties.password,$Env:SANDBOX_PW",
        &format!("linkedService,LS_Sql,typeProperties.connectionString,{}", SECRETS[3]),
        &format!("linkedService,LS_Rest,+typeProperties.apiKey,\"{}\"", SECRETS[4]),
        "linkedService,LS_KeyVault,typeProperties.baseUrl,$Env:KV_URL",
    ];
    case.config("deployment/config-prod.csv", &rows.join("\n"));
    let bad = [
        "linkedService,LS_Blob,typeProperties.connectionString,\"$($Env:BLOB_CONN)\"",
        &format!("linkedService,LS_Sql,typeProperties.nowhere.password,{}", SECRETS[5]),
        &format!("linkedService,LS_Nobody,typeProperties.password,{}", SECRETS[5]),
        "linkedService,LS_Blob,typeProperties.accountKey,$Env:BLOB_KEY",
    ];
    case.config("deployment/config-bad.csv", &bad.join("\n"));
    case.write("deployment/prod.rules", "-pipeline.PL_Dev_Debug\n-linkedService.LS_Dev_Sandbox\n");
    case
}

/// Every file under the case folder that adfc wrote (outputs), but parameters files.
fn written_files(case: &Case) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for (rel, _) in tree(case.dir.path()) {
        let written = ["out", "out-json", "out-plan", "out-diff"].iter().any(|o| rel.starts_with(o));
        let parameters = rel.file_name().is_some_and(|n| n.to_string_lossy().contains("Parameters"));
        if written && !parameters {
            found.push(rel);
        }
    }
    found
}

#[track_caller]
fn assert_shows_no_secret(run: &Run) {
    for value in SECRETS.iter().chain(&ENV_VALUES) {
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(!text.contains(value), "{}: {stream} shows {value:?}\n{text}", run.what);
        }
    }
}

#[test]
fn no_command_or_format_shows_a_secret() {
    let case = secret_case();
    let t = ["--template", TEMPLATE];
    let prod = ["--stage", "prod", "--rules", "deployment/prod.rules"];
    let mut commands: Vec<Vec<&str>> = vec![
        [&["build"][..], &t, &prod, &["--out-dir", "out", "--verbose"]].concat(),
        [&["build"][..], &t, &prod, &["--out-dir", "out-json", "--format", "json", "--verbose"]].concat(),
        [&["build"][..], &t, &prod, &["--out-dir", "out-plan", "--plan", "--format", "json"]].concat(),
        [&["build"][..], &t, &["--stage", "bad", "--out-dir", "out-bad"]].concat(),
        [&["build"][..], &t, &["--stage", "bad", "--out-dir", "out-bad", "--format", "json"]].concat(),
        [&["ls"][..], &t, &["--rules", "deployment/prod.rules"]].concat(),
        [&["ls"][..], &t, &["--format", "json"]].concat(),
        [&["plan"][..], &t, &prod].concat(),
        [&["plan"][..], &t, &prod, &["--format", "json"]].concat(),
        [&["plan"][..], &t, &["--stage", "bad", "--format", "json"]].concat(),
    ];
    commands.push([&["build"][..], &t, &prod, &["--out-dir", "out-diff", "--diff", "out-diff/diff.md"]].concat());
    for format in ["text", "markdown", "json", "unified"] {
        commands.push([&["diff"][..], &t, &prod, &["--format", format]].concat());
        commands.push([&["diff"][..], &t, &["--stage", "prod", "--stage", "bad", "--format", format]].concat());
    }
    commands.push([&["diff"][..], &t, &prod, &["--stat"]].concat());
    commands.push([&["diff"][..], &t, &prod, &["--name-only"]].concat());
    for format in ["human", "json", "github", "azure-devops", "sarif"] {
        commands.push([&["check"][..], &t, &["--format", format, "--verbose"]].concat());
        commands.push([&["check"][..], &t, &["--format", format, "--no-env"]].concat());
    }
    let mut outcomes = BTreeMap::new();
    for args in &commands {
        let run = case.run(args, &ENV);
        assert_shows_no_secret(&run);
        *outcomes.entry(run.code).or_insert(0) += 1;
    }
    // The output folders are read back as inputs too, and compared with the source.
    for out in ["out", "out-json", "out-plan"] {
        let run = case.run(&["ls", "--template", out, "--format", "json"], &[]);
        assert_shows_no_secret(&run);
        // Two templates carry no config rows, so a value that came from an environment variable
        // cannot be told from any other (README, diff decisions); secrets are still masked.
        for format in ["text", "json", "unified"] {
            let run = case.run(&["diff", TEMPLATE, out, "--format", format], &[]);
            for value in SECRETS {
                assert!(!run.stdout.contains(value) && !run.stderr.contains(value), "{}: shows {value:?}", run.what);
            }
        }
    }
    assert!(outcomes.contains_key(&Some(0)) && outcomes.contains_key(&Some(2)), "successes and failures: {outcomes:?}");
    let files = written_files(&case);
    assert!(files.iter().any(|f| f.ends_with("plan.json")), "build --plan wrote plan.json: {files:?}");
    assert!(files.iter().any(|f| f.ends_with("diff.md")), "build --diff wrote diff.md: {files:?}");
    for rel in files {
        let text =
            String::from_utf8_lossy(&std::fs::read(case.path(&rel.to_string_lossy())).expect("read")).into_owned();
        for value in SECRETS {
            assert!(!text.contains(value), "{} holds the secret {value:?}", rel.display());
        }
    }
    let parameters = std::fs::read_to_string(case.path("out").join(PARAMETERS)).expect("parameters file");
    for value in &SECRETS[..2] {
        assert!(parameters.contains(value), "the parameters file lacks the deployed secret {value:?}");
    }
}
