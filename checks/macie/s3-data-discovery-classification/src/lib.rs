//! Evidence, per region, of Amazon Macie's sensitive data discovery for the
//! manual review of "all data in S3 has been discovered and classified".

use plumbline_guest::bindings::plumbline::check::macie::{ClassificationJob, MacieSession};
use plumbline_guest::macie;
use plumbline_guest::prelude::*;

struct S3DataDiscoveryClassification;

impl Check for S3DataDiscoveryClassification {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::S3_DATA_DISCOVERY_CLASSIFICATION,
            severity: Severity::Low,
            description: "Gives, for every region in scope, one manual finding with Amazon \
                          Macie's state as evidence: Macie enabled, paused or not enabled; \
                          automated sensitive data discovery enabled or disabled; how many \
                          classification jobs exist and how many are running or scheduled. \
                          Decision: every finding is manual, also where Macie is not enabled, \
                          because CIS accepts other tools or processes for discovering and \
                          classifying S3 data, and whether every bucket's data has been \
                          classified is a judgement no API gives.",
            rationale: "Knowing where sensitive data lives (personal data, credentials, \
                        financial records) is what lets an organisation protect it \
                        appropriately and notice when it turns up where it should not.",
            remediation: "Where Macie is the chosen tool: Amazon Macie > Get started > Enable \
                          Macie in each region holding S3 data (`aws macie2 enable-macie \
                          --region <region>`), then turn on automated sensitive data discovery \
                          (`aws macie2 update-automated-discovery-configuration --status \
                          ENABLED`) or create scheduled classification jobs (`aws macie2 \
                          create-classification-job --job-type SCHEDULED ...`). Otherwise \
                          record the tool and process that discovers and classifies the data.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        Ok(regional::for_each_region(
            read_discovery,
            |region, discovery| {
                vec![Finding::manual(
                    region_resource(region),
                    region,
                    describe(&discovery),
                )]
            },
            region_resource,
        ))
    }
}

/// What Macie does in one region. Its automated discovery and jobs are read
/// only where Macie is enabled: elsewhere there are none.
enum Discovery {
    NotEnabled,
    Enabled {
        session: MacieSession,
        automated_discovery: String,
        jobs: Vec<ClassificationJob>,
    },
}

fn read_discovery(region: &str) -> Result<Discovery, DataError> {
    let Some(session) = macie::session(region)? else {
        return Ok(Discovery::NotEnabled);
    };
    Ok(Discovery::Enabled {
        session,
        automated_discovery: macie::automated_discovery_status(region)?,
        jobs: macie::classification_jobs(region)?,
    })
}

fn region_resource(region: &str) -> String {
    regional::region_resource("macie2", region, "session")
}

/// Jobs that are still discovering: running now, or scheduled to run again
/// (a scheduled job waits in `IDLE` between runs).
fn is_active(job: &ClassificationJob) -> bool {
    job.status == "RUNNING" || (job.job_type == "SCHEDULED" && job.status == "IDLE")
}

fn describe(discovery: &Discovery) -> String {
    match discovery {
        Discovery::NotEnabled => "Macie is not enabled in this region; review whether another \
                                  tool discovers and classifies its S3 data"
            .to_string(),
        Discovery::Enabled {
            session,
            automated_discovery,
            jobs,
        } => {
            let active = jobs.iter().filter(|job| is_active(job)).count();
            format!(
                "Macie is {}; automated sensitive data discovery {}; {} classification \
                 job(s), {active} running or scheduled; review that every bucket's data is \
                 covered",
                session.status.to_lowercase(),
                automated_discovery.to_lowercase(),
                jobs.len()
            )
        }
    }
}

plumbline_guest::export_check!(S3DataDiscoveryClassification);
