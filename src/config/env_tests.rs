//! Unit tests of `env`.

use super::*;

fn env(name: &str) -> Option<String> {
    match name {
        "USERNAME" => Some("bob".to_owned()),
        "USERDOMAIN" => Some("corp".to_owned()),
        "ProjectName" => Some("proj".to_owned()),
        "Environment" => Some("prod".to_owned()),
        "EMPTY" => Some(String::new()),
        "DOLLAR" => Some("$Env:USERNAME".to_owned()),
        _ => None,
    }
}

fn ok(text: &str) -> String {
    match expand(text, &env) {
        Ok(out) => out,
        Err(errors) => panic!("{text}: {errors:?}"),
    }
}

fn errs(text: &str) -> Vec<EnvError> {
    match expand(text, &env) {
        Ok(out) => panic!("{text}: expanded to {out}"),
        Err(errors) => errors,
    }
}

fn unset(offset: usize, len: usize, name: &str) -> EnvError {
    EnvError { offset, len, kind: EnvErrorKind::Unset(name.to_owned()) }
}

#[test]
fn three_token_forms() {
    assert_eq!(ok("$Env:USERNAME"), "bob");
    assert_eq!(ok("a$($Env:USERNAME)b"), "abobb");
    assert_eq!(ok("a${Env:USERNAME}b"), "abobb");
    assert_eq!(ok("$( $Env:USERNAME )"), "bob");
}

#[test]
fn env_prefix_is_case_insensitive() {
    assert_eq!(ok("$env:USERNAME $ENV:USERNAME ${eNv:USERNAME} $($ENV:USERNAME)"), "bob bob bob bob");
}

#[test]
fn bare_token_ends_at_first_non_name_char() {
    assert_eq!(ok("$Env:USERNAME@$Env:USERDOMAIN"), "bob@corp");
    assert_eq!(ok("$Env:USERDOMAIN.database.windows.net"), "corp.database.windows.net");
    assert_eq!(
        ok("https://datalake$($Env:ProjectName)$($Env:Environment).dfs.core.windows.net/"),
        "https://datalakeprojprod.dfs.core.windows.net/"
    );
}

#[test]
fn literal_dollars_stay() {
    for text in ["$.x", "price: 5$", "${notenv}", "$", "$$", "$Env:", "${Env:USERNAME", "$Env-x", "\u{e9}$\u{e9}", "$E"]
    {
        assert_eq!(ok(text), text);
    }
    assert_eq!(ok("${Env:USERNAME-x}"), "${Env:USERNAME-x}");
}

#[test]
fn replacement_is_not_rescanned() {
    assert_eq!(ok("$Env:DOLLAR"), "$Env:USERNAME");
    assert_eq!(ok("[$Env:EMPTY]"), "[]");
}

#[test]
fn every_unset_variable_is_reported() {
    let errors = errs("x$Env:NOPE/$($Env:USERNAME)/${Env:ALSO_NOPE}/$env:NOPE");
    assert_eq!(errors, [unset(1, 9, "NOPE"), unset(28, 16, "ALSO_NOPE"), unset(45, 9, "NOPE")]);
    assert_eq!(errors[0].to_string(), "environment variable `NOPE` is not set");
}

#[test]
fn subexpressions_are_errors_with_their_extent() {
    let errors = errs("a$(Get-Date)b$($x.y)c$(Env:X)$(f (1) ')')d");
    let texts: Vec<_> = errors
        .iter()
        .map(|e| match &e.kind {
            EnvErrorKind::Subexpression(text) => (e.offset, text.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(texts, [(1, "$(Get-Date)"), (13, "$($x.y)"), (21, "$(Env:X)"), (29, "$(f (1) ')')")]);
    assert!(errors[0].to_string().contains("only environment tokens"));
}

#[test]
fn unclosed_subexpression_runs_to_end() {
    let errors = errs("x $(Get-Date $Env:NOPE");
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].offset, errors[0].len), (2, 20));
    assert_eq!(errs("$(\"a")[0].len, 4);
}

#[test]
fn paren_token_needs_its_closing_paren() {
    let errors = errs("$($Env:USERNAME x)");
    assert_eq!(errors[0].kind, EnvErrorKind::Subexpression("$($Env:USERNAME x)".to_owned()));
}

#[test]
fn names_of_tokens() {
    let text = "$Env:A-${env:B}-$($ENV:A)-$(Get $Env:C)-$.x-${notenv}";
    assert_eq!(token_names(text), ["A", "B"]);
    assert!(token_names("plain").is_empty());
}

#[test]
fn sample_config_values() {
    let text = "Integrated Security=False;Data Source=$Env:USERDOMAIN.database.windows.net;User ID=$Env:USERNAME@$Env:USERDOMAIN";
    assert_eq!(token_names(text), ["USERDOMAIN", "USERNAME"]);
    assert!(ok(text).ends_with("Data Source=corp.database.windows.net;User ID=bob@corp"));
    assert_eq!(
        token_names("https://kv-$($Env:SYSTEM_STAGEDISPLAYNAME)Stage.vault.azure.net/"),
        ["SYSTEM_STAGEDISPLAYNAME"]
    );
}
