//! Example bodies for the OpenAPI document that several operations share (a scorecard, an
//! assessment, a vendor…), written once so the same vendor and ids appear throughout.
//! `server/tests/api/openapi.rs` deserialises every example into the DTO it documents.

use serde_json::{Value, json};

pub const ORGANIZATION_ID: &str = "0193a5e0-1c2d-7a10-8b3e-5f6a7b8c9d01";
pub const USER_ID: &str = "0193a5e0-4f11-7b22-9c33-4d5e6f708192";
pub const VENDOR_ID: &str = "0193a5e1-2b4c-7d20-9e1f-0a1b2c3d4e5f";
pub const TEMPLATE_ID: &str = "0193a5e1-7e8f-7a01-8b12-c3d4e5f60718";
pub const ASSESSMENT_ID: &str = "0193a5f0-0000-7000-8000-000000000000";
pub const EVIDENCE_ID: &str = "0193a5f2-3c4d-7e5f-8a6b-7c8d9e0f1a2b";
pub const REMEDIATION_ID: &str = "0193a5f4-5a6b-7c7d-8e9f-a0b1c2d3e4f5";
const FINDING_KEY: &str = "knock_out:mfa_admin:No MFA for administrators";

/// `Me`: the signed-in user and their organisation.
pub fn me() -> Value {
    json!({ "user": user(), "organization": organization(), "mfa_enrolment_required": false })
}

/// `UserView`.
pub fn user() -> Value {
    json!({
        "id": USER_ID, "email": "priya.shah@acme.example", "display_name": "Priya Shah",
        "role": "risk_manager", "active": true, "has_password": true, "mfa_enabled": true, "status": "active"
    })
}

/// `OrganizationView`.
pub fn organization() -> Value {
    json!({ "id": ORGANIZATION_ID, "slug": "acme", "name": "Acme Insurance plc", "require_mfa": true, "time_zone": "Europe/London" })
}

/// `AuditEntryView`.
pub fn audit_entry() -> Value {
    json!({
        "id": 1042, "seq": 318, "occurred_at": "2026-12-01T14:03:27Z",
        "actor": "priya.shah@acme.example", "actor_id": USER_ID, "action": "vendor.updated",
        "target_type": "vendor", "target_id": VENDOR_ID,
        "request_id": "0193a5f3-9d8e-7f60-a1b2-c3d4e5f60789",
        "detail": { "changed": ["criticality"], "criticality": { "from": "medium", "to": "high" } },
        "hash": "9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d"
    })
}

/// The audit log as CSV: the header row and one entry.
pub fn audit_csv() -> Value {
    Value::String(
        concat!(
            "seq,occurred_at,actor,actor_id,action,target_type,target_id,request_id,detail,prev_hash,hash\r\n",
            "318,2026-12-01T14:03:27Z,priya.shah@acme.example,0193a5e0-4f11-7b22-9c33-4d5e6f708192,",
            "vendor.updated,vendor,0193a5e1-2b4c-7d20-9e1f-0a1b2c3d4e5f,0193a5f3-9d8e-7f60-a1b2-c3d4e5f60789,",
            "\"{\"\"changed\"\":[\"\"criticality\"\"]}\",",
            "4d7e0c1b9a8f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d,",
            "9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d\r\n",
        )
        .to_owned(),
    )
}

/// `VendorView`, with contract terms.
pub fn vendor() -> Value {
    json!({
        "id": VENDOR_ID, "legal_name": "Northwind Payroll Ltd", "website": "https://northwind-payroll.example",
        "services": "Payroll processing and payslip hosting",
        "data_types": ["personal", "payment"], "system_access": "read_write", "criticality": "high",
        "inherent_tier": "critical", "countries": ["GB", "IE"], "tags": ["hr", "finance"],
        "owner_id": USER_ID, "status": "active",
        "contacts": [{ "id": "0193a5e1-3c5d-7e6f-8a9b-0c1d2e3f4a5b", "name": "Dana Reyes",
            "email": "dana@northwind-payroll.example", "role": "Security lead" }],
        "contract": contract_view(),
        "created_at": "2026-10-06T09:12:44Z", "updated_at": "2026-12-01T14:03:27Z"
    })
}

/// `assay_core::contract::Contract`: a vendor's full contract terms.
pub fn contract_terms() -> Value {
    json!({
        "value": "180000 GBP", "breach_notification_hours": 24, "right_to_audit": true,
        "audit_notice_days": 30, "dpa_in_place": true, "dpa_signed": "2026-09-15",
        "liability_cap": "2000000 GBP", "required_liability_cap": "1000000 GBP",
        "minimum_insurance": "5000000 GBP", "sla_percent": 99.9, "service_credits": true,
        "rpo_hours": 4, "rto_hours": 8, "data_return_days": 30,
        "data_return_format": "CSV exports and PDF payslips", "staff_confidentiality": true,
        "subcontractor_confidentiality": true, "subprocessor_notice_days": 30,
        "right_to_object": true,
        "governing_law": { "country": "GB", "jurisdiction": "England and Wales" },
        "start_date": "2025-10-01", "renewal_date": "2027-09-30", "notice_date": "2027-06-30"
    })
}

/// `ContractView`: the contract in force, with what the policy raises.
pub fn contract_view() -> Value {
    let mut terms = contract_terms();
    terms["dpa_in_place"] = json!(null);
    terms["dpa_signed"] = json!(null);
    json!({
        "version": 3, "terms": terms, "changed_at": "2026-11-30T10:15:00Z",
        "changed_by": "Priya Shah",
        "findings": [{
            "code": "term_missing", "term": "dpa", "severity": "high",
            "message": "The policy requires a data processing agreement for vendors handling personal data; the contract has none."
        }]
    })
}

/// `ContractVersionView`: one saved version.
pub fn contract_version() -> Value {
    json!({
        "version": 3, "terms": contract_terms(), "changed_at": "2026-11-30T10:15:00Z",
        "changed_by": "Priya Shah"
    })
}

/// `assay_core::contract::ContractPolicy`: terms vendors' contracts must have.
pub fn contract_policy() -> Value {
    json!({
        "rules": [
            { "scope": { "data_types": ["personal", "health", "payment"] }, "require": { "term": "dpa" }, "severity": "high" },
            { "scope": { "min_criticality": "high" }, "require": { "term": "right_to_audit" } },
            { "scope": {}, "require": { "term": "min_liability_cap", "amount": "1000000 EUR" } },
            { "scope": { "min_tier": "high" }, "require": { "term": "min_sla_percent", "percent": 99.9 } }
        ]
    })
}

/// `VendorSummary`.
pub fn vendor_summary() -> Value {
    json!({
        "id": VENDOR_ID, "legal_name": "Northwind Payroll Ltd", "inherent_tier": "critical",
        "criticality": "high", "status": "active", "tags": ["hr", "finance"],
        "updated_at": "2026-12-01T14:03:27Z"
    })
}

/// An Assay template (`core/schema/template.schema.json`): one section, two questions, a
/// warning and their scoring rules.
pub fn template() -> Value {
    json!({
        "version": "2026.12.0",
        "title": "Supplier security review",
        "items": [{
            "type": "section", "id": "access", "title": "Access control",
            "items": [
                { "type": "question", "id": "mfa_admin", "text": "Is MFA enforced for every administrative account?",
                    "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false },
                { "type": "question", "id": "breach_notification_hours",
                    "text": "Within how many hours do you notify customers of a personal data breach?",
                    "kind": { "kind": "duration_hours" }, "required": true, "na_allowed": false },
                { "type": "warning", "id": "warn_no_mfa", "title": "No MFA for administrators",
                    "severity": "critical", "condition": "mfa_admin/no" }
            ]
        }],
        "scoring": {
            "questions": {
                "mfa_admin": { "category": "access_control", "weight": 2.0,
                    "rule": { "rule": "yes_no", "yes": 1.0, "no": 0.0 } },
                "breach_notification_hours": { "category": "breach_notification", "weight": 1.0,
                    "rule": { "rule": "at_most", "threshold": "contract_breach_notification_hours" } }
            },
            "knock_outs": [{ "question_id": "mfa_admin", "below": 1.0, "min_tier": "high",
                "title": "No MFA for administrators" }]
        }
    })
}

/// `TemplateView`; with `draft` as the single-template operations answer it.
pub fn template_view() -> Value {
    let mut view = template_summary_view();
    view["draft"] = template();
    view
}

/// `TemplateView` as the list shows it (without the draft).
pub fn template_summary_view() -> Value {
    json!({
        "id": TEMPLATE_ID, "title": "Supplier security review", "source_format": "json",
        "built_in": false,
        "summary": { "format": "json", "title": "Supplier security review", "sections": 1,
            "questions": 2, "choices": 0, "conditional_items": 1, "warnings": 1,
            "severities": { "critical": 1, "high": 0, "medium": 0 } },
        "versions": [{ "version": 1, "published_at": "2026-11-02T10:00:00Z",
            "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b" }],
        "updated_at": "2026-11-02T10:00:00Z",
        "unpublished_changes": false
    })
}

/// `EvidenceView`: a SOC 2 Type II report.
pub fn evidence() -> Value {
    json!({
        "id": EVIDENCE_ID, "question_id": "mfa_admin", "file_name": "northwind-soc2-type2-2026.pdf",
        "file_type": "pdf", "size": 1843201,
        "sha256": "e3b98a4da31a127d4bde6e43033f66ba274cab0eb7eb1c70ec41402bf6273dd8",
        "kind": "soc2_type2", "expires_on": "2027-10-31", "issued_on": "2026-11-15",
        "period_start": "2025-10-01", "period_end": "2026-09-30",
        "uploaded_at": "2026-11-20T16:41:09Z"
    })
}

/// `InvitationView`.
pub fn invitation() -> Value {
    json!({
        "recipient_name": "Dana Reyes", "recipient_email": "dana@northwind-payroll.example",
        "opened": true, "revoked": false, "expires_at": "2027-01-07T09:30:00Z",
        "status": "opened", "sent_at": "2026-11-17T09:30:00Z",
        "delivered_at": "2026-11-17T09:30:04Z", "opened_at": "2026-11-17T10:12:45Z"
    })
}

/// `AssessmentView` as the list shows it (without the template).
pub fn assessment_summary() -> Value {
    json!({
        "id": ASSESSMENT_ID, "vendor_id": VENDOR_ID, "vendor_name": "Northwind Payroll Ltd",
        "template_id": TEMPLATE_ID, "template_version": 1, "title": "Supplier security review",
        "status": "in_progress", "overdue": false, "due_date": "2026-12-31",
        "questions": 2, "answered": 1,
        "created_at": "2026-11-17T09:30:00Z", "submitted_at": null
    })
}

/// A row of the assessments list once the review decided.
pub fn decided_assessment_summary() -> Value {
    let mut row = assessment_summary();
    row["id"] = json!("0193a5f3-4d5e-7f6a-8b7c-9d0e1f2a3b4c");
    row["status"] = json!("completed");
    row["answered"] = json!(2);
    row["submitted_at"] = json!("2026-11-28T15:02:11Z");
    row["decision"] = json!("approved_with_conditions");
    row
}

/// `AssessmentView` without the template (as the JSON export carries it).
pub fn assessment_without_template() -> Value {
    let mut view = assessment_summary();
    view["invitations"] = json!([invitation()]);
    view["answers"] = json!({ "mfa_admin": { "value": "yes", "version": 1 } });
    view["evidence"] = json!([evidence()]);
    view
}

/// `AssessmentView`, with the template as sent.
pub fn assessment() -> Value {
    let mut view = assessment_without_template();
    view["template"] = template();
    view
}

/// `AssessmentView` in another status (`sent` right after sending, `cancelled`…).
pub fn assessment_in(status: &str) -> Value {
    let mut view = assessment();
    view["status"] = json!(status);
    view
}

/// `ClarificationView`: the reviewer's question.
pub fn clarification() -> Value {
    json!({
        "id": "0193a5f3-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "question_id": "breach_notification_hours",
        "author_kind": "reviewer", "author": "Priya Shah",
        "message": "Your DPA says 48 hours; which is right?", "created_at": "2026-11-25T11:20:00Z"
    })
}

/// `PortalRemediation`.
pub fn portal_remediation() -> Value {
    json!({
        "id": REMEDIATION_ID, "title": "No MFA for administrators", "question_id": "mfa_admin",
        "due_date": "2027-03-31", "vendor_committed_date": "2027-02-28",
        "closure_evidence": "Screenshot of the enforced MFA policy"
    })
}

/// `PortalAssessment`: what the vendor's portal shows.
pub fn portal_assessment() -> Value {
    json!({
        "id": ASSESSMENT_ID, "organization_name": "Acme Insurance plc",
        "title": "Supplier security review", "status": "in_progress", "due_date": "2026-12-31",
        "template": template(),
        "answers": { "mfa_admin": { "value": "yes", "version": 1 } },
        "evidence": [evidence()],
        "previous": { "breach_notification_hours": { "value": "24" } },
        "previous_submitted_at": "2025-12-04"
    })
}

/// `PortalAssessment` right after the vendor submitted.
pub fn submitted_portal_assessment() -> Value {
    let mut view = portal_assessment();
    view["status"] = json!("submitted");
    view["answers"]["breach_notification_hours"] = json!({ "value": "24", "version": 1 });
    if let Some(fields) = view.as_object_mut() {
        fields.remove("previous");
        fields.remove("previous_submitted_at");
    }
    view
}

/// `RemediationView`.
pub fn remediation() -> Value {
    json!({
        "id": REMEDIATION_ID, "vendor_id": VENDOR_ID, "vendor_name": "Northwind Payroll Ltd",
        "assessment_id": ASSESSMENT_ID, "finding_key": FINDING_KEY,
        "title": "No MFA for administrators", "severity": "critical", "question_id": "mfa_admin",
        "owner_id": USER_ID, "owner_name": "Priya Shah", "due_date": "2027-03-31",
        "vendor_committed_date": "2027-02-28",
        "closure_evidence": "Screenshot of the enforced MFA policy", "status": "open",
        "overdue": false, "created_at": "2026-11-30T15:02:11Z", "closed_at": null,
        "closing_note": null
    })
}

/// `RemediationView` once the reviewer accepted the fix.
pub fn closed_remediation() -> Value {
    let mut view = remediation();
    view["status"] = json!("closed");
    view["closed_at"] = json!("2027-02-20T10:44:31Z");
    view["closing_note"] = json!("MFA policy screenshot received and verified");
    view
}

/// `DashboardView` of a small portfolio.
pub fn dashboard() -> Value {
    json!({
        "vendors": 4,
        "by_residual_tier": [
            { "key": "critical", "count": 0 }, { "key": "high", "count": 1 },
            { "key": "medium", "count": 2 }, { "key": "low", "count": 0 }
        ],
        "not_assessed": 1,
        "heat_map": [
            { "inherent": "critical", "residual": "medium", "count": 1 },
            { "inherent": "high", "residual": "high", "count": 1 },
            { "inherent": "medium", "residual": "medium", "count": 1 }
        ],
        "assessments_by_status": [
            { "key": "in_progress", "count": 1 }, { "key": "completed", "count": 2 }
        ],
        "overdue": [{ "assessment_id": "0193a5f0-1111-7000-8000-000000000001",
            "vendor_id": "0193a5e1-4d5e-7f60-8a1b-2c3d4e5f6a7b", "vendor_name": "Contoso Cloud Backup GmbH",
            "due_date": "2026-11-28" }],
        "expiring_evidence": [{ "evidence_id": EVIDENCE_ID, "vendor_id": VENDOR_ID,
            "vendor_name": "Northwind Payroll Ltd", "assessment_id": ASSESSMENT_ID,
            "file_name": "northwind-cyber-insurance-2026.pdf", "kind": "cyber_insurance_certificate",
            "expires_on": "2026-12-19" }],
        "open_remediations": [remediation()],
        "frequent_findings": [{ "title": "No MFA for administrators", "vendors": 2 }]
    })
}

/// `WorkView` of a Risk manager: two submissions to review, one late remediation item,
/// nothing expiring and an incident whose notification deadline is near.
pub fn work() -> Value {
    json!({
        "lists": [
            { "kind": "awaiting_review", "total": 2, "items": [
                { "target": { "kind": "assessment", "id": ASSESSMENT_ID }, "vendor_id": VENDOR_ID,
                  "vendor_name": "Northwind Payroll Ltd", "subject": "Annual security review",
                  "when": "2026-11-27", "late": false },
                { "target": { "kind": "assessment", "id": "0193a5f0-1111-7000-8000-000000000001" },
                  "vendor_id": "0193a5e1-4d5e-7f60-8a1b-2c3d4e5f6a7b",
                  "vendor_name": "Contoso Cloud Backup GmbH", "subject": "Annual security review",
                  "when": "2026-11-29", "late": false }
            ] },
            { "kind": "expiring_evidence", "total": 0, "items": [] },
            { "kind": "remediation_past_due", "total": 1, "items": [
                { "target": { "kind": "assessment", "id": ASSESSMENT_ID }, "vendor_id": VENDOR_ID,
                  "vendor_name": "Northwind Payroll Ltd", "subject": "No MFA for administrators",
                  "when": "2026-11-30", "late": true }
            ] },
            { "kind": "incident_clocks", "total": 1, "items": [
                { "target": { "kind": "incident", "id": "0193a5f2-2222-7000-8000-000000000002" },
                  "vendor_id": VENDOR_ID, "vendor_name": "Northwind Payroll Ltd",
                  "subject": "Payroll export sent to the wrong customer",
                  "when": "2026-12-07T09:30:00Z", "late": false }
            ] }
        ],
        "first_steps": false
    })
}

/// `ScorecardView` of a decided assessment: one knock-out, an override, a clarification
/// thread, the decision and a remediation item.
pub fn scorecard() -> Value {
    json!({
        "assessment_id": ASSESSMENT_ID, "vendor_id": VENDOR_ID, "vendor_name": "Northwind Payroll Ltd",
        "status": "completed", "version": 2, "provisional": false, "frozen": true,
        "as_of": "2026-11-30", "computed_at": "2026-11-30T15:00:02Z",
        "card": {
            "method_version": "assay-scoring-1", "model_version": "2", "overall": 71.5,
            "categories": [
                { "category": "access_control", "weight": 1.0, "score": 50.0 },
                { "category": "breach_notification", "weight": 1.5, "score": 100.0 }
            ],
            "questions": [
                { "id": "mfa_admin", "category": "access_control", "weight": 2.0, "status": "scored",
                    "points": 1.0, "contribution": 28.6,
                    "overridden": { "override_id": "0193a5f3-6e7f-7a8b-9c0d-1e2f3a4b5c6d", "computed": 0.0 } },
                { "id": "breach_notification_hours", "category": "breach_notification", "weight": 1.0,
                    "status": "scored", "points": 1.0, "contribution": 42.9 }
            ],
            "findings": [{
                "kind": "knock_out", "severity": "critical", "question_id": "mfa_admin",
                "title": "No MFA for administrators",
                "reason": "Answered “no”: the residual tier is at least high.", "key": FINDING_KEY
            }],
            "inherent_tier": "critical", "residual_tier": "medium"
        },
        "overrides": [{
            "id": "0193a5f3-6e7f-7a8b-9c0d-1e2f3a4b5c6d", "question_id": "mfa_admin", "points": 1.0,
            "residual_tier": null, "reason": "Hardware keys verified on site visit 2026-11-30",
            "expires_on": "2027-03-31", "active": true, "withdrawn": false,
            "created_by": "Priya Shah", "created_at": "2026-11-30T14:58:40Z"
        }],
        "reviews": { "mfa_admin": "accepted", "breach_notification_hours": "answered" },
        "clarifications": [clarification(), {
            "id": "0193a5f3-2b3c-7d4e-8f5a-6b7c8d9e0f1a", "question_id": "breach_notification_hours",
            "author_kind": "vendor", "author": "Dana Reyes",
            "message": "48 hours; the questionnaire answer is corrected.",
            "created_at": "2026-11-26T08:05:00Z"
        }],
        "decision": {
            "outcome": "approved_with_conditions",
            "conditions": ["MFA for all administrators by 2027-03-31"],
            "rationale": "Strong controls apart from admin MFA, which is contracted.",
            "decided_by": "Priya Shah", "decided_at": "2026-11-30T15:00:02Z", "scorecard_version": 2
        },
        "remediations": [remediation()],
        "versions": [
            { "version": 2, "computed_at": "2026-11-30T15:00:02Z", "overall": 71.5, "residual_tier": "medium", "frozen": true },
            { "version": 1, "computed_at": "2026-11-24T17:31:55Z", "overall": 57.1, "residual_tier": "high", "frozen": false }
        ]
    })
}

/// `ScoringModelView`.
pub fn scoring_model() -> Value {
    json!({
        "version": 2, "category_weights": { "encryption": 2.0, "breach_notification": 1.5 },
        "strong": 80.0, "adequate": 60.0, "finding_floors": { "critical": "high", "high": "medium" },
        "note": "Weigh encryption double after the 2026 board review",
        "created_at": "2026-11-12T10:15:00Z", "created_by": "Priya Shah"
    })
}

/// `ApiTokenView`.
pub fn api_token() -> Value {
    json!({
        "id": "0193a5f5-8b9c-7d0e-9f1a-2b3c4d5e6f70", "name": "Board reporting", "scope": "read_only",
        "prefix": "assay_k3Xq9Z", "expires_at": "2027-07-01T00:00:00Z",
        "last_used_at": "2026-12-01T07:00:12Z", "revoked": false, "created_by": "Priya Shah",
        "created_at": "2026-11-28T12:00:00Z"
    })
}

/// The scorecard breakdown as CSV: the header row and one question.
pub fn scorecard_csv() -> Value {
    Value::String(
        concat!(
            "question_id,question,category,answer,status,points,weight,contribution,findings\r\n",
            "mfa_admin,Is MFA enforced for every administrative account?,Access control,no,Overridden,",
            "1.00,2,28.60,No MFA for administrators\r\n",
        )
        .to_owned(),
    )
}

/// The portfolio as CSV: the header row and one vendor.
pub fn portfolio_csv() -> Value {
    Value::String(
        concat!(
            "vendor,criticality,owner,tags,inherent_tier,residual_tier,overall,decision,last_assessed,open_findings\r\n",
            "Northwind Payroll Ltd,High,Priya Shah,\"hr, finance\",Critical,Medium,71.50,",
            "Approved with conditions,2026-11-24,1\r\n",
        )
        .to_owned(),
    )
}

/// The assessment export (`GET /api/assessments/{id}/export.json`).
pub fn assessment_export() -> Value {
    json!({
        "organisation": "Acme Insurance plc",
        "assessment": assessment_without_template(),
        "template": template(),
        "scorecard": scorecard()
    })
}

/// The OSCAL document (`GET /api/assessments/{id}/oscal`) of the example assessment and
/// scorecard, as the renderer writes it.
pub fn oscal_assessment_results() -> Value {
    let assessment: assay_core::api::AssessmentView =
        serde_json::from_value(assessment_without_template()).expect("the example assessment");
    let scorecard: assay_core::api::ScorecardView =
        serde_json::from_value(scorecard()).expect("the example scorecard");
    let texts = std::collections::BTreeMap::from([(
        "mfa_admin".to_owned(),
        "Is MFA enforced for every administrative account?".to_owned(),
    )]);
    let answers = std::collections::BTreeMap::from([("mfa_admin".to_owned(), "No".to_owned())]);
    crate::exports::oscal::assessment_results(&crate::exports::oscal::Input {
        organisation: "Acme Insurance plc",
        assessment: &assessment,
        scorecard: &scorecard,
        texts: &texts,
        answers: &answers,
        generated_at: time::macros::datetime!(2026-12-02 10:00 UTC),
    })
}

/// An answers workbook checked (`applied: false`) or stored (`applied: true`).
pub fn answer_import(applied: bool) -> Value {
    json!({
        "applied": applied, "apply": 2, "unchanged": 1, "not_asked": 0, "refused": 1,
        "rows": [
            { "row": 2, "question_id": "enc_rest", "question": "Is customer data encrypted at rest?", "answer": "Yes", "outcome": "apply" },
            { "row": 3, "question_id": "brn_hours", "question": "Within how many hours do you notify a breach?", "answer": "24 h", "outcome": "apply" },
            { "row": 4, "question_id": "mfa_admin", "question": "Is MFA enforced for every administrative account?", "answer": "Yes", "outcome": "unchanged" },
            { "row": 5, "question_id": "ins_cyber", "question": "Cyber insurance cover", "answer": "lots", "outcome": "refused",
              "message": "Enter an amount and its currency, such as EUR 5,000,000." }
        ]
    })
}

pub const INCIDENT_ID: &str = "0193a5f6-1a2b-7c3d-8e4f-5a6b7c8d9e0f";

/// `IncidentView`: reported by the vendor 50 hours after discovery, contained, with its
/// timeline.
pub fn incident() -> Value {
    json!({
        "id": INCIDENT_ID, "vendor_id": VENDOR_ID, "vendor_name": "Northwind Payroll Ltd",
        "title": "Exposed backup bucket",
        "description": "A storage bucket with nightly backups was publicly readable for two days.",
        "discovered_at": "2026-12-01T09:30:00Z", "reported_at": "2026-12-03T11:30:00Z",
        "deadline_at": "2026-12-04T09:30:00Z", "notification_hours": 72,
        "late": false, "hours_late": 0, "hours_to_deadline": 22,
        "data_types": ["personal", "payment"], "records_affected": 1200,
        "containment": "Public access removed; keys rotated.",
        "contact": "Dana Reyes, security@northwind.example, +44 20 7946 0000",
        "status": "contained", "reported_by": "vendor", "reported_by_name": "Dana Reyes",
        "closing_report": null, "resolved_at": null,
        "updates": [{
            "id": "0193a5f6-2b3c-7d4e-8f5a-6b7c8d9e0f1a", "author_kind": "vendor",
            "author": "Dana Reyes", "message": "Access keys rotated; no further downloads seen.",
            "status": "contained", "created_at": "2026-12-03T16:00:00Z"
        }]
    })
}

/// `RegimesView`: the shipped file's version, its first regime (GDPR) with an
/// organisation's reading of Art. 33(1) at 48 hours, and NIS2 left out.
pub fn regimes() -> Value {
    let version = assay_core::regime::presets_version().unwrap_or_default();
    let first: Vec<_> = assay_core::regime::presets()
        .unwrap_or_default()
        .into_iter()
        .take(1)
        .collect();
    json!({ "version": version, "regimes": first, "overrides": regime_overrides(), "left_out": [] })
}

/// `RegimeOverrides`: GDPR Art. 33(1) read as 48 hours, NIS2 not considered.
pub fn regime_overrides() -> Value {
    json!({ "regimes": {
        "gdpr": { "clocks": { "art33_1": { "limit": { "hours": 48.0 } } } },
        "nis2": { "enabled": false }
    } })
}

/// The adequacy lists: the shipped file with its first list (the EEA's), as served.
pub fn adequacy_lists() -> Value {
    let mut lists = serde_json::to_value(assay_core::transfer::shipped().ok()).unwrap_or_default();
    if let Some(all) = lists.get_mut("lists").and_then(Value::as_array_mut) {
        all.truncate(1);
    }
    lists
}

/// `AdequacyView`: the lists as an organisation edited them, with what the save changed.
pub fn adequacy() -> Value {
    let mut view = adequacy_lists();
    view["edited"] = json!(true);
    view["changes"] = json!([{
        "region": "eea", "country": "KR",
        "before": { "status": "adequate" }, "after": { "status": "not_adequate" },
        "vendors": 2
    }]);
    view
}

/// `RegisterView`: two subprocessors, one sending personal data where nothing covers it.
pub fn register() -> Value {
    json!({
        "vendor_id": VENDOR_ID,
        "client_country": "DE",
        "subprocessors": [
            {
                "id": "0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
                "entry": {
                    "name": "Amazon Web Services EMEA SARL", "service": "Hosting",
                    "data_types": ["personal", "payment"],
                    "processing_countries": ["IE"], "storage_countries": ["DE", "IE"],
                    "mechanism": { "kind": "adequacy" }, "meets": [],
                    "certification": "ISO 27001, SOC 2 Type II", "added_on": "2025-10-01"
                },
                "findings": []
            },
            {
                "id": "0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e10",
                "entry": {
                    "name": "Offshore Support Pvt Ltd", "service": "Payroll support desk",
                    "data_types": ["personal"], "processing_countries": ["IN"],
                    "storage_countries": [], "mechanism": { "kind": "none" }, "meets": [],
                    "added_on": "2026-11-02", "notice_given_on": "2026-10-20"
                },
                "findings": [{
                    "code": "transfer_without_mechanism", "term": "transfers", "severity": "high",
                    "message": "Personal data goes to Offshore Support Pvt Ltd in India (IN) without safeguards: India (IN) has no adequacy decision for transfers from the EEA, and no transfer mechanism is recorded. Put Standard Contractual Clauses or BCRs in place.",
                    "subject": "offshore support pvt:IN"
                }]
            }
        ]
    })
}

/// `FourthPartiesView`.
pub fn fourth_parties() -> Value {
    json!({
        "subprocessors": [{
            "key": "amazon web services emea", "name": "Amazon Web Services EMEA SARL",
            "vendors": 14, "by_tier": { "critical": 3, "high": 5, "medium": 6 },
            "vendor_ids": [VENDOR_ID],
            "sentence": "14 vendors, 3 of them Critical, depend on Amazon Web Services EMEA SARL."
        }],
        "subprocessors_total": 63,
        "next": "14~3~amazon web services emea",
        "countries": [{
            "key": "IE", "name": "Ireland", "vendors": 17, "by_tier": { "critical": 3, "high": 8, "medium": 6 },
            "vendor_ids": [VENDOR_ID],
            "sentence": "17 vendors, 3 of them Critical, depend on Ireland."
        }],
        "vendors": 41,
        "vendor_names": { VENDOR_ID: "Northwind Payroll Ltd" }
    })
}

/// `RegisterView` as the vendor reads it: the client's findings left out.
pub fn portal_register() -> Value {
    let mut register = register();
    register["client_country"] = Value::Null;
    if let Some(rows) = register["subprocessors"].as_array_mut() {
        for row in rows {
            row["findings"] = json!([]);
        }
    }
    register
}

/// `SigningKeyView`: the key that signs Acme's evidence packs.
pub fn signing_key() -> Value {
    json!({
        "organization": { "slug": "acme-insurance", "name": "Acme Insurance plc" },
        "algorithm": "ed25519",
        "public_key": "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
        "public_key_pem": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n",
        "fingerprint": "e744:c079:1320:c328:5460:eddb:523f:14c8",
        "created_at": "2026-12-15T09:30:00Z"
    })
}

/// Single sign-on settings as an Admin saves them.
pub fn sso_settings_request() -> Value {
    json!({
        "enabled": true,
        "issuer_url": "https://login.acme.example/realms/staff",
        "client_id": "assay",
        "client_secret": "kq8V3mN0xY7pR2tL5wZ9",
        "allowed_domains": ["acme.example"],
        "role_claim": "groups",
        "role_mapping": [
            { "claim_value": "assay-admins", "role": "admin" },
            { "claim_value": "risk", "role": "risk_manager" }
        ],
        "default_role": "auditor",
        "sso_required": true,
        "break_glass_user_id": USER_ID
    })
}

/// Single sign-on settings as `GET /api/settings/sso` shows them (never the secret).
pub fn sso_settings() -> Value {
    let mut view = sso_settings_request();
    if let Some(fields) = view.as_object_mut() {
        fields.remove("client_secret");
        fields.insert("has_secret".to_owned(), json!(true));
        fields.insert(
            "redirect_uri".to_owned(),
            json!("https://assay.acme.example/api/auth/oidc/callback"),
        );
    }
    view
}
