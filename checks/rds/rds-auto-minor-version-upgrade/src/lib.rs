//! Every RDS DB instance receives minor engine upgrades automatically.

use plumbline_guest::prelude::*;
use plumbline_guest::rds::{self, DbInstance};

struct RdsAutoMinorVersionUpgrade;

impl Check for RdsAutoMinorVersionUpgrade {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::RDS_AUTO_MINOR_VERSION_UPGRADE,
            severity: Severity::Low,
            description: "Checks every RDS DB instance in every region in scope: it passes when \
                          AutoMinorVersionUpgrade is on and fails otherwise, naming the engine \
                          version. A region without DB instances is not applicable.",
            rationale: "Minor engine versions carry security fixes; with automatic minor \
                        upgrades RDS applies them in the maintenance window instead of leaving \
                        known vulnerabilities in place until someone upgrades by hand.",
            remediation: "RDS > Databases > the instance > Modify > Maintenance > Auto minor \
                          version upgrade: Yes > Continue > Apply during the next maintenance \
                          window. CLI: `aws rds modify-db-instance --db-instance-identifier \
                          <instance> --auto-minor-version-upgrade --region <region>`.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(rds::for_each_db_instance(judge))
    }
}

fn judge(region: &str, instance: &DbInstance) -> Finding {
    let setting = if instance.auto_minor_version_upgrade {
        "on"
    } else {
        "off"
    };
    Finding::verdict(
        instance.auto_minor_version_upgrade,
        &instance.arn,
        region,
        format!(
            "{} at version {} has Auto Minor Version Upgrade {setting}",
            rds::describe(instance),
            instance.engine_version
        ),
    )
}

plumbline_guest::export_check!(RdsAutoMinorVersionUpgrade);
