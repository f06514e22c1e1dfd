//! Unit tests of `object`.

use super::*;

#[test]
fn types_parse_case_insensitively() {
    assert_eq!(ObjectType::parse("linkedservice"), Some(ObjectType::LinkedService));
    assert_eq!(ObjectType::parse("ultratrigger"), None);
    assert_eq!(
        ObjectType::from_resource_type(
            "Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints"
        ),
        Some(ObjectType::ManagedPrivateEndpoint)
    );
    assert_eq!(ObjectType::from_resource_type("Microsoft.DataFactory/factories"), Some(ObjectType::Factory));
    assert_eq!(ObjectType::from_resource_type("Microsoft.Storage/storageAccounts"), None);
    assert_eq!(ObjectType::from_reference_type("LinkedServiceReference"), Some(ObjectType::LinkedService));
}
