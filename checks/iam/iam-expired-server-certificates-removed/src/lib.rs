//! Expired SSL/TLS server certificates are removed from IAM.

use plumbline_guest::bindings::plumbline::check::iam::ServerCertificate;
use plumbline_guest::prelude::*;

struct ExpiredCertificatesRemoved;

impl Check for ExpiredCertificatesRemoved {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_EXPIRED_SERVER_CERTIFICATES_REMOVED,
            severity: Severity::Medium,
            description: "Lists the SSL/TLS server certificates stored in IAM and fails each \
                          one whose expiration date is before the scan's time.",
            rationale: "An expired certificate left in IAM can still be picked for a load \
                        balancer or CloudFront distribution by mistake, breaking TLS for \
                        clients and eroding trust in the service. Removing them keeps the store \
                        to what is valid.",
            remediation: "Check the certificate is no longer deployed, then delete it: `aws iam \
                          delete-server-certificate --server-certificate-name <name>`. Prefer \
                          AWS Certificate Manager, which renews certificates itself.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        let certificates = iam::server_certificates()?;
        if certificates.is_empty() {
            return Ok(vec![Finding::pass(
                account::account_resource(),
                GLOBAL_REGION,
                "IAM stores no server certificates",
            )]);
        }
        let now = scan::now();
        Ok(certificates
            .iter()
            .map(|certificate| judge(certificate, now))
            .collect())
    }
}

fn judge(certificate: &ServerCertificate, now: i64) -> Finding {
    let name = &certificate.name;
    match certificate.expiration {
        None => Finding::error(
            &certificate.arn,
            GLOBAL_REGION,
            format!("IAM gave no expiration date for server certificate {name}"),
        ),
        Some(expiration) if expiration < now => Finding::fail(
            &certificate.arn,
            GLOBAL_REGION,
            format!(
                "server certificate {name} expired on {} ({} days ago); delete it",
                time::date(expiration),
                time::days_between(expiration, now)
            ),
        ),
        Some(expiration) => Finding::pass(
            &certificate.arn,
            GLOBAL_REGION,
            format!(
                "server certificate {name} is valid until {}",
                time::date(expiration)
            ),
        ),
    }
}

plumbline_guest::export_check!(ExpiredCertificatesRemoved);
