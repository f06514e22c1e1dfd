//! The secrets of linked services. ADF's Git folder keeps them encrypted in
//! `typeProperties.encryptedCredential`, which means nothing to another
//! factory: ADF's exporter drops it and declares one secure parameter per
//! secret the connector holds (`<linked service>_<property>`), before any
//! other parameter. A connection string is itself the secret
//! (`"connectionString": "[parameters('LS_connectionString')]"`); any other
//! secret is written as `{"type": "SecureString", "value": "[parameters(…)]"}`
//! at the place the connector's model puts it.
//!
//! Which property holds the secret depends on the connector and how it
//! authenticates; the table below holds what real exports show (the folder
//! pairs and the corpus). An encrypted credential of any other connector is
//! dropped with a warning, since adfc cannot know what it held.

use serde_json::{Map, Value, json};

use super::parameters::{Parameters, reference, secure_declaration};

/// One secret property of a connector.
struct Secret {
    /// The linked service `type`.
    connector: &'static str,
    /// The secret property.
    property: &'static str,
    /// A member that must be present (how the connector authenticates).
    requires: &'static str,
    /// Members whose presence means another way of authenticating.
    unless: &'static [&'static str],
    /// The secret goes right after the last of these members present.
    after: &'static [&'static str],
}

const SQL_AFTER: &[&str] =
    &["server", "database", "encrypt", "trustServerCertificate", "authenticationType", "userName"];

const SECRETS: &[Secret] = &[
    secret("AzureBlobFS", "accountKey", "url", &["sasUri", "servicePrincipalId"], &["url"]),
    secret("AzureBlobFS", "servicePrincipalKey", "servicePrincipalId", &["sasUri"], &["url", "servicePrincipalId"]),
    secret("AzureDatabricks", "accessToken", "domain", &["authentication"], &["domain"]),
    secret("HDInsightOnDemand", "clusterPassword", "", &[], HDI_BEFORE_PASSWORD),
    secret("HDInsightOnDemand", "clusterSshPassword", "", &[], &["clusterPassword", "clusterSshUserName"]),
    secret("HDInsightOnDemand", "servicePrincipalKey", "", &[], &["clusterSshPassword"]),
    secret(
        "MySql",
        "password",
        "username",
        &[],
        &["server", "port", "database", "username", "sslMode", "useSystemTrustStore"],
    ),
    secret("SqlServer", "password", "userName", &[], SQL_AFTER),
    secret("AzureSqlDatabase", "password", "userName", &[], SQL_AFTER),
    secret("AzureSqlDW", "password", "userName", &[], SQL_AFTER),
    secret("AzureSqlMI", "password", "userName", &[], SQL_AFTER),
    secret(
        "SnowflakeV2",
        "password",
        "user",
        &[],
        &["authenticationType", "accountIdentifier", "user", "database", "warehouse", "role"],
    ),
    secret(
        "CommonDataServiceForApps",
        "servicePrincipalCredential",
        "servicePrincipalId",
        &[],
        &["servicePrincipalId"],
    ),
    secret("AzureDataExplorer", "servicePrincipalKey", "servicePrincipalId", &[], &["servicePrincipalId"]),
    secret("SharePointOnlineList", "servicePrincipalKey", "servicePrincipalId", &[], &["servicePrincipalId"]),
    secret("FileServer", "password", "userId", &[], &["host", "userId"]),
    secret(
        "HttpServer",
        "password",
        "userName",
        &[],
        &["url", "enableServerCertificateValidation", "authenticationType", "userName"],
    ),
    secret("Oracle", "password", "username", &[], &["server", "authenticationType", "username"]),
    secret("EventHubs", "accessKey", "accessKeyName", &[], &["namespaceName", "accessKeyName"]),
    secret("AzureFunction", "functionKey", "functionAppUrl", &[], &["functionAppUrl", "authentication"]),
];

const HDI_BEFORE_PASSWORD: &[&str] = &[
    "clusterType",
    "clusterSize",
    "timeToLive",
    "version",
    "hostSubscriptionId",
    "clusterResourceGroup",
    "servicePrincipalId",
    "tenant",
    "clusterNamePrefix",
    "clusterUserName",
];

const fn secret(
    connector: &'static str,
    property: &'static str,
    requires: &'static str,
    unless: &'static [&'static str],
    after: &'static [&'static str],
) -> Secret {
    Secret { connector, property, requires, unless, after }
}

/// What happened to a linked service's encrypted credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It had none.
    None,
    /// Replaced by these secure parameters (possibly none, e.g. a SAS URI parameterized later).
    Parameters(Vec<String>),
    /// Dropped: adfc does not know the connector's secrets.
    Unknown,
}

/// Drop the linked service's `encryptedCredential` and declare its secrets.
pub fn replace_encrypted_credential(properties: &mut Value, name: &str, parameters: &mut Parameters) -> Outcome {
    let connector = properties.get("type").and_then(Value::as_str).unwrap_or("").to_string();
    let Some(tp) = properties.get_mut("typeProperties").and_then(Value::as_object_mut) else { return Outcome::None };
    if tp.shift_remove("encryptedCredential").is_none() {
        return Outcome::None;
    }
    let mut declared = Vec::new();
    let mut declare = |property: &str| {
        let parameter = format!("{name}_{property}");
        parameters.declare(parameter.clone(), secure_declaration(property, name));
        declared.push(parameter.clone());
        reference(&parameter)
    };
    if tp.get("connectionString").is_some_and(Value::is_string) {
        tp["connectionString"] = declare("connectionString");
    }
    let known = SECRETS.iter().any(|s| s.connector == connector) || connector_without_secret(&connector, tp);
    for secret in SECRETS.iter().filter(|s| s.connector == connector) {
        if applies(secret, tp) {
            let value = json!({"type": "SecureString", "value": declare(secret.property)});
            insert_after(tp, secret.property, value, secret.after);
        }
    }
    if declared.is_empty() && !known { Outcome::Unknown } else { Outcome::Parameters(declared) }
}

/// Connectors whose encrypted credential holds nothing ADF parameterizes here
/// (a connection string, or a SAS URI that the definition makes secure).
fn connector_without_secret(connector: &str, tp: &Map<String, Value>) -> bool {
    tp.contains_key("connectionString") || (connector.starts_with("AzureBlob") && tp.contains_key("sasUri"))
}

fn applies(secret: &Secret, tp: &Map<String, Value>) -> bool {
    !tp.contains_key(secret.property)
        && (secret.requires.is_empty() || tp.contains_key(secret.requires))
        && !secret.unless.iter().any(|k| tp.contains_key(*k))
}

/// Insert `key` right after the last member of `map` named in `after` (at the end when none is).
pub fn insert_after(map: &mut Map<String, Value>, key: &str, value: Value, after: &[&str]) {
    let index = map.keys().enumerate().filter(|(_, k)| after.contains(&k.as_str())).map(|(i, _)| i + 1).next_back();
    let index = index.unwrap_or(map.len());
    map.shift_insert(index, key.to_string(), value);
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
