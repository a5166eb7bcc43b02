//! The schema, as an ordered list of frozen migrations. Never edit one that has shipped:
//! add a new file. Migrations never import the server's entities, so they keep describing
//! the schema as it was when they were written.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_accounts;
mod m20261122_000002_audit_log;
mod m20261122_000003_mfa;
mod m20261122_000004_login_throttle;
mod m20261123_000005_vendors;
mod m20261123_000006_templates;
mod m20261123_000007_assessments;
mod m20261123_000008_evidence;
mod m20261201_000009_answer_justification;
mod m20261201_000010_section_delegation;
mod m20261201_000011_evidence_details;
mod m20261201_000012_review;
mod m20261202_000013_delivery_and_schedules;
mod m20261202_000014_incidents;
mod m20261202_000015_portfolio_indexes;
mod m20261203_000016_vendor_pages;
mod m20261204_000017_sealed_outbox;
mod m20261205_000018_scorecard_events;
mod m20261206_000019_money_and_time;
mod m20261207_000020_assessment_pages;
mod m20261208_000021_scheduler_due_dates;
mod m20261209_000022_list_page_indexes;
mod m20261210_000023_vendor_pages;
mod m20261211_000024_assessment_totals;
mod m20261212_000025_setup_token;
mod m20261213_000026_delivery_tracking;
mod m20261214_000027_contract_versions;
mod m20261215_000028_signing_keys;
mod m20261216_000029_subprocessors;
mod m20261217_000030_bulk_sends;
mod m20261218_000031_sso;
mod m20261219_000032_sso_sign_ins;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_audit_log::Migration),
            Box::new(m20261122_000003_mfa::Migration),
            Box::new(m20261122_000004_login_throttle::Migration),
            Box::new(m20261123_000005_vendors::Migration),
            Box::new(m20261123_000006_templates::Migration),
            Box::new(m20261123_000007_assessments::Migration),
            Box::new(m20261123_000008_evidence::Migration),
            Box::new(m20261201_000009_answer_justification::Migration),
            Box::new(m20261201_000010_section_delegation::Migration),
            Box::new(m20261201_000011_evidence_details::Migration),
            Box::new(m20261201_000012_review::Migration),
            Box::new(m20261202_000013_delivery_and_schedules::Migration),
            Box::new(m20261202_000014_incidents::Migration),
            Box::new(m20261202_000015_portfolio_indexes::Migration),
            Box::new(m20261203_000016_vendor_pages::Migration),
            Box::new(m20261204_000017_sealed_outbox::Migration),
            Box::new(m20261205_000018_scorecard_events::Migration),
            Box::new(m20261206_000019_money_and_time::Migration),
            Box::new(m20261207_000020_assessment_pages::Migration),
            Box::new(m20261208_000021_scheduler_due_dates::Migration),
            Box::new(m20261209_000022_list_page_indexes::Migration),
            Box::new(m20261210_000023_vendor_pages::Migration),
            Box::new(m20261211_000024_assessment_totals::Migration),
            Box::new(m20261212_000025_setup_token::Migration),
            Box::new(m20261213_000026_delivery_tracking::Migration),
            Box::new(m20261214_000027_contract_versions::Migration),
            Box::new(m20261215_000028_signing_keys::Migration),
            Box::new(m20261216_000029_subprocessors::Migration),
            Box::new(m20261217_000030_bulk_sends::Migration),
            Box::new(m20261218_000031_sso::Migration),
            Box::new(m20261219_000032_sso_sign_ins::Migration),
        ]
    }
}
