//! The vendor's side: a link exchanged for a session, the questionnaire as the session
//! may see it (with pre-fill from the last completed assessment), and delegation of one
//! section to a colleague.

use super::*;

/// Exchanges an invitation token for a vendor session scoped to its assessment. Unknown
/// tokens and other tenants' tokens look the same (404); expired or revoked ones say so (410).
pub async fn open_portal(ctx: &Ctx, token: &str) -> Result<VendorCaller> {
    let db = &ctx.db;
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let now = ctx.clock.now();
    if found.revoked_at.is_some() {
        return Err(Error::Gone(
            "This link has been withdrawn. Ask your contact for a new one.".to_owned(),
        ));
    }
    if found.expires_at <= now {
        return Err(Error::Gone(
            "This link has expired. Ask your contact for a new one.".to_owned(),
        ));
    }
    let model = entity::Entity::find_by_id(found.assessment_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    if status_of(&model)? == AssessmentStatus::Cancelled {
        return Err(Error::Gone("This questionnaire was cancelled.".to_owned()));
    }
    let txn = crate::db::begin_write(db).await?;
    if found.opened_at.is_none() {
        let mut opened = found.clone().into_active_model();
        opened.opened_at = Set(Some(now));
        opened.update(&txn).await?;
    }
    audit::record(
        &txn,
        Event::by_vendor(
            model.organization_id,
            found.recipient_email.clone(),
            Action::PortalOpened,
            ("assessment", model.id.to_string()),
            json!({}),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(VendorCaller {
        organization_id: model.organization_id,
        assessment_id: model.id,
        invitation_id: found.id,
        section: found.section_id.clone(),
        recipient_email: found.recipient_email.clone(),
        recipient_name: found.recipient_name.clone(),
    })
}

/// The vendor's last completed assessment of the same template (the pre-fill source).
pub(super) async fn previous_completed(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
) -> Result<Option<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(model.organization_id))
        .filter(entity::Column::VendorId.eq(model.vendor_id))
        .filter(entity::Column::TemplateId.eq(model.template_id))
        .filter(entity::Column::Id.ne(model.id))
        .filter(entity::Column::Status.eq(stored(AssessmentStatus::Completed)))
        .order_by_desc(entity::Column::SubmittedAt)
        .one(conn)
        .await?)
}

pub async fn portal_view(ctx: &Ctx, vendor: &VendorCaller) -> Result<PortalAssessment> {
    let db = &ctx.db;
    let model = portal_model(db, vendor).await?;
    let status = status_of(&model)?;
    let scope = Scope::of(vendor, snapshot(db, &model).await?)?;
    let org = accounts::find_organization(db, model.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut answers = answers_of(db, model.id).await?;
    answers.retain(|key, _| scope.may_read(key));
    let keys: BTreeSet<String> = validation::keys(&scope.template.items)
        .into_iter()
        .collect();
    let questions: BTreeSet<String> = scope.template.questions().map(|q| q.id.clone()).collect();
    let mut evidence = crate::services::evidence::list(db, model.id).await?;
    if scope.writable.is_some() {
        evidence.retain(|e| {
            e.question_id
                .as_ref()
                .is_some_and(|q| questions.contains(q))
        });
    }
    // Pre-fill: offered for keys this scope may answer that have no answer yet, and only
    // while the vendor can still answer.
    let mut previous = BTreeMap::new();
    let mut previous_submitted_at = None;
    if status.vendor_can_answer()
        && let Some(last) = previous_completed(db, &model).await?
    {
        for (key, old) in answers_of(db, last.id).await? {
            let unanswered = answers.get(&key).is_none_or(|a| a.value.trim().is_empty());
            if keys.contains(&key) && scope.may_write(&key) && unanswered && !old.value.is_empty() {
                previous.insert(
                    key,
                    PreviousAnswer {
                        value: old.value,
                        justification: old.justification,
                    },
                );
            }
        }
        previous_submitted_at = last.submitted_at.map(rfc3339);
    }
    let delegated_by = match &vendor.section {
        Some(_) => invitation::Entity::find_by_id(vendor.invitation_id)
            .one(db)
            .await?
            .and_then(|i| i.delegated_by),
        None => None,
    };
    Ok(PortalAssessment {
        id: model.id,
        organization_name: org.name,
        title: scope.template.title.clone(),
        status,
        due_date: model.due_date.to_string(),
        template: serde_json::to_value(scope.template.without_scoring())
            .map_err(|e| Error::Internal(e.into()))?,
        answers,
        evidence,
        section: vendor.section.clone(),
        delegated_by,
        previous,
        previous_submitted_at,
        clarifications: crate::services::review::clarifications_of(db, model.id)
            .await?
            .into_iter()
            .filter(|c| questions.contains(&c.question_id))
            .collect(),
        changeable: match answerable(db, vendor).await {
            Ok(Answerable {
                only: Some(keys), ..
            }) => keys.into_iter().filter(|k| questions.contains(k)).collect(),
            _ => Vec::new(),
        },
        remediations: crate::services::remediations::for_portal(
            db,
            model.id,
            scope.writable.is_some().then_some(&questions),
        )
        .await?,
    })
}

/// A vendor contact delegates one section to a colleague, who gets a link of their own
/// limited to that section. Delegates cannot delegate further.
pub async fn delegate(
    ctx: &Ctx,
    mailer: &Mailer,
    vendor: &VendorCaller,
    request: DelegateSectionRequest,
) -> Result<InvitationView> {
    let db = &ctx.db;
    if vendor.section.is_some() {
        return Err(Error::Forbidden(
            "Only the questionnaire's recipient can delegate sections.".to_owned(),
        ));
    }
    let email = Email::parse(&request.email)
        .map_err(|_| Error::validation("email", "Enter a valid email address."))?;
    let name = crate::services::text_field("name", &request.name, 200, true)?;
    let name = name.as_str();
    let txn = crate::db::begin_write(db).await?;
    let Answerable {
        model,
        template,
        only: None,
        ..
    } = answerable(&txn, vendor).await?
    else {
        return Err(Error::Conflict {
            code: "answers_locked",
            message: "Sections can be delegated only while the questionnaire is being answered."
                .to_owned(),
        });
    };
    let section = validation::section(&template, request.section_id.trim())
        .ok_or_else(|| Error::validation("section_id", "The questionnaire has no such section."))?;
    let section_id = section.id.clone().unwrap_or_default();
    let by = vendor.recipient_email.clone();
    let head = invitations::Letterhead::of(&txn, &model).await?;
    let created = invite(
        &txn,
        mailer,
        &head,
        &model,
        Recipient {
            name,
            email: email.as_str(),
            delegation: Some((&section_id, &by)),
        },
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        &txn,
        Event::by_vendor(
            model.organization_id,
            by.clone(),
            Action::SectionDelegated,
            ("assessment", model.id.to_string()),
            json!({ "section_id": section_id, "to": email.as_str() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}
