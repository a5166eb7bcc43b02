//! Entities: the tables as sea-orm sees them. Only `db::*` query modules and services use
//! these; responses are built from DTOs, never from entities.

pub mod answer;
pub mod answer_review;
pub mod api_token;
pub mod assessment;
pub mod assessment_invitation;
pub mod assessment_total;
pub mod audit_chain_head;
pub mod audit_log;
pub mod clarification;
pub mod decision;
pub mod evidence;
pub mod exchange_rate_table;
pub mod incident;
pub mod incident_update;
pub mod invitation;
pub mod job_lease;
pub mod login_throttle;
pub mod notice;
pub mod organization;
pub mod outbox;
pub mod recovery_code;
pub mod remediation;
pub mod risk_acceptance;
pub mod schedule_settings;
pub mod score_override;
pub mod scorecard;
pub mod scoring_model;
pub mod session;
pub mod setup_token;
pub mod template;
pub mod template_version;
pub mod user;
pub mod vendor;
pub mod vendor_contact;
pub mod vendor_contract;
