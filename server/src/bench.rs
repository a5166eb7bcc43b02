//! `assay bench seed`: a portfolio for benchmarks, made through the same services the API
//! calls (organisations, users, vendors, assessments sent with their invitations and
//! emails, answers saved and checked like the portal's), so that anyone can rebuild the
//! data behind the figures in docs/BENCHMARKS.md.

use std::time::Instant;

use assay_core::access::Role;
use assay_core::answer as validation;
use assay_core::api::{ContactInput, CreateAssessmentRequest, SaveAnswerRequest, VendorInput};
use assay_core::risk::{Criticality, DataType, SystemAccess};
use assay_core::template::{Question, QuestionKind, Template};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::auth::password::PasswordService;
use crate::caller::{UserCaller, VendorCaller};
use crate::db::entities::{assessment_invitation, organization};
use crate::services::mailer::Mailer;
use crate::services::templates::BASELINE_ID;
use crate::services::{accounts, assessments, vendors};
use crate::state::Ctx;

/// What to make.
#[derive(Debug, Clone)]
pub struct SeedPlan {
    pub tenants: u32,
    pub vendors: u32,
    pub assessments: u32,
    /// Of every hundred assessments, how many the vendor has answered in full.
    pub answered_percent: u32,
    /// The password of every seeded user.
    pub password: SecretString,
    /// Seed even though the database already holds organisations.
    pub force: bool,
}

/// Fills the database as the plan says and returns what a load tool needs: each tenant's
/// slug and users, and how long seeding took.
pub async fn seed(
    ctx: &Ctx,
    mailer: &Mailer,
    passwords: &PasswordService,
    plan: &SeedPlan,
) -> anyhow::Result<Value> {
    let existing = organization::Entity::find().count(&ctx.db).await?;
    if existing > 0 && !plan.force {
        anyhow::bail!(
            "the database already holds {existing} organisation(s): seeding benchmark data into it would mix with real data (add --force if it is a benchmark database)"
        );
    }
    let started = Instant::now();
    let template = crate::db::assessments::version_of(
        &ctx.db,
        BASELINE_ID,
        latest_baseline_version(ctx).await?,
    )
    .await?;
    let answers = sample_answers(&template);
    let mut tenants = Vec::new();
    let mut answered = 0u64;
    for t in 0..plan.tenants {
        let org = accounts::create_organization(ctx, &format!("Bench tenant {t}")).await?;
        let mut callers = Vec::new();
        for role in [Role::Admin, Role::Procurement, Role::RiskManager] {
            let email = format!("{}@t{t}.bench.test", role.as_str().replace('_', "-"));
            let user = accounts::create_user_with_password(
                ctx,
                passwords,
                &org.slug,
                &email,
                Some(role.label()),
                role,
                &plan.password,
            )
            .await?;
            callers.push(UserCaller {
                id: user.id,
                organization_id: org.id,
                email: user.email.clone(),
                display_name: user.display_name.clone(),
                role,
                epoch: user.session_epoch,
                mfa_enrolment_required: false,
                token: None,
            });
        }
        let procurement = &callers[1];
        let mut vendor_ids = Vec::new();
        for v in 0..plan.vendors.max(1) {
            let vendor = vendors::create(
                ctx,
                procurement,
                VendorInput {
                    legal_name: format!("Vendor {v} of tenant {t}"),
                    website: None,
                    services: "Payroll processing and HR records".to_owned(),
                    data_types: [DataType::Personal].into_iter().collect(),
                    system_access: SystemAccess::ReadOnly,
                    criticality: [Criticality::Low, Criticality::Medium, Criticality::High]
                        [(v % 3) as usize],
                    countries: vec!["DE".to_owned()],
                    tags: vec![format!("batch-{}", v % 5)],
                    owner_id: None,
                    contacts: vec![ContactInput {
                        name: "Dana Reyes".to_owned(),
                        email: format!("security@v{v}.t{t}.bench.test"),
                        role: Some("Security lead".to_owned()),
                    }],
                },
            )
            .await?;
            vendor_ids.push(vendor.id);
        }
        for a in 0..plan.assessments {
            let vendor_id = vendor_ids[(a as usize) % vendor_ids.len()];
            let sent = assessments::create_for_seed(
                ctx,
                mailer,
                procurement,
                CreateAssessmentRequest {
                    vendor_id,
                    template_id: BASELINE_ID,
                    due_date: "2099-12-31".to_owned(),
                    recipients: vec![ContactInput {
                        name: "Dana Reyes".to_owned(),
                        email: format!("contact{a}@t{t}.bench.test"),
                        role: None,
                    }],
                },
            )
            .await?;
            if a % 100 < plan.answered_percent {
                let invitation = assessment_invitation::Entity::find()
                    .filter(assessment_invitation::Column::AssessmentId.eq(sent.id))
                    .one(&ctx.db)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("assessment {} has no invitation", sent.id))?;
                let vendor = VendorCaller {
                    organization_id: org.id,
                    assessment_id: sent.id,
                    invitation_id: invitation.id,
                    section: None,
                    recipient_email: invitation.recipient_email,
                    recipient_name: invitation.recipient_name,
                };
                for (question, value) in &answers {
                    // A question hidden by an earlier answer refuses nothing; one whose
                    // condition is not met is simply left unanswered, as in the portal.
                    let saved = assessments::save_answer(
                        ctx,
                        &vendor,
                        question,
                        SaveAnswerRequest {
                            value: value.clone(),
                            version: 0,
                            justification: None,
                        },
                    )
                    .await;
                    if saved.is_ok() {
                        answered += 1;
                    }
                }
            }
            if (a + 1) % 1000 == 0 {
                tracing::info!(tenant = t, assessments = a + 1, "seeding");
            }
        }
        tenants.push(json!({
            "organisation": org.slug,
            "users": callers.iter().map(|c| json!({ "email": c.email, "role": c.role })).collect::<Vec<_>>(),
        }));
    }
    Ok(json!({
        "tenants": tenants,
        "vendors": u64::from(plan.tenants) * u64::from(plan.vendors.max(1)),
        "assessments": u64::from(plan.tenants) * u64::from(plan.assessments),
        "answers": answered,
        "seconds": started.elapsed().as_secs_f64().round(),
    }))
}

async fn latest_baseline_version(ctx: &Ctx) -> anyhow::Result<i32> {
    use crate::db::entities::template_version;
    use sea_orm::{QueryOrder, QuerySelect};
    template_version::Entity::find()
        .select_only()
        .column(template_version::Column::Version)
        .filter(template_version::Column::TemplateId.eq(BASELINE_ID))
        .order_by_desc(template_version::Column::Version)
        .into_tuple::<i32>()
        .one(&ctx.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the built-in baseline is not published"))
}

/// A plausible answer to every question of the template that takes one, in its order;
/// each checked by core as the portal would.
fn sample_answers(template: &Template) -> Vec<(String, String)> {
    template
        .questions()
        .filter_map(|q| {
            let target = validation::target(template, &q.id)?;
            candidates(q)
                .into_iter()
                .find_map(|value| validation::validate(target, &value, None).ok())
                .map(|value| (q.id.clone(), value))
        })
        .collect()
}

fn candidates(question: &Question) -> Vec<String> {
    match &question.kind {
        QuestionKind::YesNo => vec!["yes".to_owned()],
        QuestionKind::Check => vec!["true".to_owned(), "yes".to_owned(), "checked".to_owned()],
        QuestionKind::SingleChoice { choices } => {
            choices.iter().take(1).map(|c| c.id.clone()).collect()
        }
        QuestionKind::MultipleChoice { .. }
        | QuestionKind::Evidence
        | QuestionKind::Table { .. } => Vec::new(),
        QuestionKind::ShortText => vec!["Seeded for the benchmark".to_owned()],
        QuestionKind::LongText => {
            vec!["Seeded for the benchmark: a paragraph a vendor might write.".to_owned()]
        }
        QuestionKind::Number { .. } => vec!["10".to_owned()],
        QuestionKind::DurationHours => vec!["24".to_owned()],
        QuestionKind::Money => vec!["5000000 EUR".to_owned()],
        QuestionKind::Date => vec!["2026-06-30".to_owned()],
        QuestionKind::Country => vec!["DE".to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baseline_gets_a_valid_answer_for_most_of_its_questions() {
        let template: Template =
            serde_json::from_str(assay_core::baseline::BASELINE_JSON).expect("the baseline");
        let answers = sample_answers(&template);
        let questions = template.questions().count();
        assert!(
            answers.len() * 2 > questions,
            "{} of {questions} questions have a sample answer",
            answers.len()
        );
    }
}
