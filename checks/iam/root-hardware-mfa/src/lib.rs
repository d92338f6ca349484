//! The root user's MFA is a hardware device: MFA is enabled and no virtual
//! MFA device is assigned to the root user.

use plumbline_guest::iam::VirtualMfaDevice;
use plumbline_guest::prelude::*;

struct RootHardwareMfa;

impl Check for RootHardwareMfa {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::ROOT_HARDWARE_MFA,
            severity: Severity::High,
            description: "Checks that the root user has MFA enabled (IAM account summary \
                          `AccountMFAEnabled`) and that it is not a virtual device: no virtual \
                          MFA device is assigned to the root user (ListVirtualMFADevices), so \
                          the enabled device is a hardware key or token.",
            rationale: "A virtual MFA app lives on a phone or computer that can be lost, \
                        backed up to the cloud, or compromised along with the password. A \
                        dedicated hardware device keeps the second factor of the account's \
                        most powerful identity physically separate.",
            remediation: "Sign in as the root user, open Security credentials, register a \
                          hardware MFA device (FIDO security key or hardware TOTP token), then \
                          remove the virtual MFA device. Keep the hardware device in a safe \
                          place with a documented recovery procedure.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let root = account::root_arn();
        let summary = iam::account_summary()?;
        if account::summary_value(&summary, "AccountMFAEnabled")? != 1 {
            return Ok(vec![Finding::fail(
                root,
                GLOBAL_REGION,
                "MFA is not enabled for the root user (AccountMFAEnabled = 0), hardware or \
                 virtual",
            )]);
        }
        let devices = iam::virtual_mfa_devices()?;
        let root_serial = format!(
            "arn:{}:iam::{}:mfa/root-account-mfa-device",
            scan::partition(),
            scan::account_id()
        );
        let virtual_serials: Vec<&str> = devices
            .iter()
            .filter(|device| assigned_to_root(device, &root, &root_serial))
            .map(|device| device.serial_number.as_str())
            .collect();
        let finding = if virtual_serials.is_empty() {
            Finding::pass(
                root,
                GLOBAL_REGION,
                "MFA is enabled for the root user and no virtual MFA device is assigned to it, \
                 so it is a hardware device",
            )
        } else {
            Finding::fail(
                root,
                GLOBAL_REGION,
                format!(
                    "the root user's MFA is a virtual device ({}); use a hardware MFA device",
                    virtual_serials.join(", ")
                ),
            )
        };
        Ok(vec![finding])
    }
}

/// IAM gives the root user's virtual device the serial `root_serial`; with
/// several MFA devices per user the root user's may carry another name, and
/// is then known by its user, the root ARN.
fn assigned_to_root(device: &VirtualMfaDevice, root_arn: &str, root_serial: &str) -> bool {
    device.serial_number == root_serial || device.user_arn.as_deref() == Some(root_arn)
}

plumbline_guest::export_check!(RootHardwareMfa);
