//! Unit tests of `secret`.

use super::*;

#[test]
fn secret_keys_and_their_suffixes() {
    for key in
        ["password", "Password", "accountKey", "storageAccountKey", "sasUri", "connectionString", "apiKey", "pwd"]
    {
        assert!(is_secret_key(key), "{key}");
    }
    for key in ["url", "userName", "servicePrincipalId", "tenant", "keyVaultName", "credentialType"] {
        assert!(!is_secret_key(key), "{key}");
    }
}

#[test]
fn value_under_a_secret_key_is_secret() {
    assert!(is_secret_path(["typeProperties", "password", "value"].into_iter()));
    assert!(is_secret_path(["typeProperties", "connectionString"].into_iter()));
    assert!(!is_secret_path(["typeProperties", "url", "value"].into_iter()));
    assert!(!is_secret_path(std::iter::empty()));
}

#[test]
fn key_vault_references_are_not_secrets() {
    assert!(is_key_vault_reference(r#"{"type":"AzureKeyVaultSecret","store":{},"secretName":"x"}"#));
    assert!(!is_key_vault_reference(r#"{"type":"SecureString","value":"x"}"#));
    assert!(!is_key_vault_reference("\"text\""));
}

#[test]
fn masks_are_stable_and_differ() {
    assert_eq!(mask("a"), mask("a"));
    assert_ne!(mask("a"), mask("b"));
    assert!(mask("hunter2").starts_with("••• ("));
    assert!(!mask("hunter2").contains("hunter2"));
}
