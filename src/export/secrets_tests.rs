//! Unit tests of replacing encrypted credentials by secure parameters.

use super::*;

fn replace(properties: Value) -> (Value, Outcome, Vec<(String, Value)>) {
    let mut properties = properties;
    let mut parameters = Parameters::default();
    let outcome = replace_encrypted_credential(&mut properties, "LS", &mut parameters);
    let declared = parameters.iter().map(|p| (p.name.clone(), p.declaration.clone())).collect();
    (properties, outcome, declared)
}

fn keys(value: &Value) -> Vec<&str> {
    value["typeProperties"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default()
}

#[test]
fn a_connection_string_becomes_the_secure_parameter() {
    let (out, outcome, declared) = replace(
        json!({"type": "AzureBlobStorage", "typeProperties": {"connectionString": "AccountName=a;", "encryptedCredential": "x"}}),
    );
    assert_eq!(out["typeProperties"], json!({"connectionString": "[parameters('LS_connectionString')]"}));
    assert_eq!(outcome, Outcome::Parameters(vec!["LS_connectionString".into()]));
    assert_eq!(
        declared,
        [(
            "LS_connectionString".into(),
            json!({"type": "secureString", "metadata": "Secure string for 'connectionString' of 'LS'"})
        )]
    );
}

#[test]
fn other_secrets_go_where_the_connector_model_puts_them() {
    let (out, _, _) = replace(
        json!({"type": "AzureDatabricks", "typeProperties": {"domain": "https://adb", "clusterOption": "Fixed", "encryptedCredential": "x"}}),
    );
    assert_eq!(keys(&out), ["domain", "accessToken", "clusterOption"]);
    assert_eq!(
        out["typeProperties"]["accessToken"],
        json!({"type": "SecureString", "value": "[parameters('LS_accessToken')]"})
    );
    let hdi = json!({"type": "HDInsightOnDemand", "typeProperties": {"clusterType": "hadoop", "tenant": "t", "clusterNamePrefix": "", "linkedServiceName": {}, "encryptedCredential": "x"}});
    let (out, outcome, _) = replace(hdi);
    assert_eq!(
        keys(&out),
        [
            "clusterType",
            "tenant",
            "clusterNamePrefix",
            "clusterPassword",
            "clusterSshPassword",
            "servicePrincipalKey",
            "linkedServiceName"
        ]
    );
    assert_eq!(
        outcome,
        Outcome::Parameters(vec![
            "LS_clusterPassword".into(),
            "LS_clusterSshPassword".into(),
            "LS_servicePrincipalKey".into()
        ])
    );
}

#[test]
fn the_secret_depends_on_how_the_connector_authenticates() {
    let account_key =
        json!({"type": "AzureBlobFS", "typeProperties": {"url": "https://a", "encryptedCredential": "x"}});
    assert_eq!(keys(&replace(account_key).0), ["url", "accountKey"]);
    let sas = json!({"type": "AzureBlobFS", "typeProperties": {"sasUri": "https://a", "encryptedCredential": "x"}});
    let (out, outcome, declared) = replace(sas);
    assert_eq!((keys(&out), outcome, declared.len()), (vec!["sasUri"], Outcome::Parameters(vec![]), 0));
    let sql = json!({"type": "SqlServer", "typeProperties": {"server": "s", "encrypt": "mandatory", "userName": "u",
        "alwaysEncryptedSettings": {}, "encryptedCredential": "x"}});
    assert_eq!(keys(&replace(sql).0), ["server", "encrypt", "userName", "password", "alwaysEncryptedSettings"]);
    let managed_identity = json!({"type": "SqlServer", "typeProperties": {"server": "s", "encryptedCredential": "x"}});
    assert_eq!(keys(&replace(managed_identity).0), ["server"]);
}

#[test]
fn an_unknown_connector_loses_its_credential_and_says_so() {
    let (out, outcome, declared) =
        replace(json!({"type": "Teradata", "typeProperties": {"server": "s", "encryptedCredential": "x"}}));
    assert_eq!((keys(&out), outcome, declared.len()), (vec!["server"], Outcome::Unknown, 0));
}

#[test]
fn without_an_encrypted_credential_nothing_changes() {
    let properties = json!({"type": "AzureBlobFS", "typeProperties": {"url": "https://a"}});
    let (out, outcome, _) = replace(properties.clone());
    assert_eq!((out, outcome), (properties, Outcome::None));
}
