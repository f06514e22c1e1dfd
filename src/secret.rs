//! What counts as a secret (SPEC 2.8): a property whose key is secret-like,
//! or a value that replaces a reference to a `secureString` / `secureObject`
//! parameter. Secrets never go into a template body and are never printed.

/// Keys (compared ignoring case) whose values are secrets; a key ending in
/// one of them is secret too (`accountKey`, `storageSasToken`).
pub const SECRET_KEYS: [&str; 16] = [
    "password",
    "pwd",
    "secret",
    "clientSecret",
    "accountKey",
    "key",
    "sasToken",
    "sasUri",
    "connectionString",
    "servicePrincipalKey",
    "servicePrincipalCredential",
    "encryptedCredential",
    "accessToken",
    "token",
    "apiKey",
    "credential",
];

/// Is a property with this key secret?
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|s| key.ends_with(&s.to_ascii_lowercase()))
}

/// Is the last key of a property path secret? `password.value` counts as
/// `password` (ADF's `{"type": "SecureString", "value": …}` shape).
pub fn is_secret_path<'k>(keys: impl DoubleEndedIterator<Item = &'k str>) -> bool {
    let mut keys = keys.rev();
    match keys.next() {
        Some(last) if is_secret_key(last) => true,
        Some(last) if last.eq_ignore_ascii_case("value") => keys.next().is_some_and(is_secret_key),
        _ => false,
    }
}

/// Does a literal value hold a credential? For a connection string or URI
/// only credential parts count (`Password=`, `AccountKey=`, `sig=`…): one that
/// authenticates with a managed identity holds none. Any other value of a
/// secret key is a credential.
pub fn holds_credential(key: &str, value: &str) -> bool {
    let key = key.to_ascii_lowercase();
    if !(key.ends_with("connectionstring") || key.ends_with("url") || key.ends_with("uri")) {
        return !value.trim().is_empty();
    }
    let value = value.to_ascii_lowercase().replace(' ', "");
    ["password=", "pwd=", "accountkey=", "sharedaccesskey=", "sig=", "secret=", "token="]
        .iter()
        .any(|part| value.contains(part))
}

/// Is a parameter type secure?
pub fn is_secure_type(declared: &str) -> bool {
    declared.eq_ignore_ascii_case("securestring") || declared.eq_ignore_ascii_case("secureobject")
}

/// Does a JSON value (text) reference a Key Vault secret instead of holding one?
/// (`{"type": "AzureKeyVaultSecret", "store": …, "secretName": …}`)
pub fn is_key_vault_reference(json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get("type")?.as_str().map(|t| t.eq_ignore_ascii_case("AzureKeyVaultSecret")))
        .unwrap_or(false)
}

/// `•••` and a short hash of `value`, so a reader sees *that* a secret changed, never what it is.
pub fn mask(value: &str) -> String {
    // FNV-1a: stable across runs and platforms; 6 hex digits say "changed" without helping a guess.
    let hash = value.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("••• ({:06x})", hash >> 40)
}

#[cfg(test)]
#[path = "secret_tests.rs"]
mod tests;
