//! Who gets a link: recipients from the request or the vendor's contacts, one personal
//! link each (stored hashed, emailed sealed); re-sending replaces links, revoking
//! withdraws them.

use super::*;

/// The recipients of a request, checked: 1 to 20, each with a name and a valid address.
pub(super) fn recipients_of(requested: &[ContactInput]) -> Result<Vec<(String, String)>> {
    if requested.is_empty() || requested.len() > 20 {
        return Err(Error::validation("recipients", "Name 1 to 20 recipients."));
    }
    let mut recipients = Vec::new();
    for r in requested {
        let email = Email::parse(&r.email).map_err(|_| {
            Error::validation(
                "recipients",
                format!("“{}” is not a valid email address.", r.email),
            )
        })?;
        let name = crate::services::text_field("recipients", &r.name, 200, true)?;
        recipients.push((name, email.as_str().to_owned()));
    }
    Ok(recipients)
}

/// Sends each recipient their own link.
pub(crate) async fn invite_all(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    model: &entity::Model,
    recipients: &[(String, String)],
    now: OffsetDateTime,
) -> Result<()> {
    let (organization_name, vendor_name) = names(conn, model).await?;
    for (name, email) in recipients {
        invite(
            conn,
            mailer,
            &organization_name,
            &vendor_name,
            model,
            Recipient {
                name,
                email,
                delegation: None,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// The contacts (not delegates) an assessment went to, once each, in the order invited.
pub(crate) async fn contacts_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<(String, String)>> {
    let mut seen = BTreeSet::new();
    Ok(invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(assessment_id))
        .filter(invitation::Column::SectionId.is_null())
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .filter(|i| seen.insert(i.recipient_email.to_lowercase()))
        .map(|i| (i.recipient_name, i.recipient_email))
        .collect())
}

/// Who a link is for: a vendor contact, or a colleague a contact delegated one section to.
pub(super) struct Recipient<'a> {
    pub(super) name: &'a str,
    pub(super) email: &'a str,
    /// `(section id, delegating contact)` for a delegate.
    pub(super) delegation: Option<(&'a str, &'a str)>,
}

/// Creates one recipient's link and queues the email carrying it.
pub(super) async fn invite(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    organization_name: &str,
    vendor_name: &str,
    assessment: &entity::Model,
    recipient: Recipient<'_>,
    now: OffsetDateTime,
) -> Result<InvitationView> {
    let token = new_token()?;
    let Recipient {
        name,
        email,
        delegation,
    } = recipient;
    let model = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        assessment_id: Set(assessment.id),
        recipient_name: Set(name.to_owned()),
        recipient_email: Set(email.to_owned()),
        token_hash: Set(hash(&token)),
        expires_at: Set(now + INVITATION_LIFETIME),
        revoked_at: Set(None),
        opened_at: Set(None),
        created_at: Set(now),
        section_id: Set(delegation.map(|(s, _)| s.to_owned())),
        delegated_by: Set(delegation.map(|(_, by)| by.to_owned())),
    }
    .insert(conn)
    .await?;
    // The token is in the fragment: browsers never send it to a server or in Referer.
    let link = mailer.link(&format!("/portal#token={token}"));
    let template = snapshot(conn, assessment).await?;
    let questionnaire = letters::Questionnaire {
        organization: organization_name,
        vendor: vendor_name,
        title: &template.title,
        due: assessment.due_date,
    };
    let letter = match delegation {
        None => letters::assessment_invitation(name, &questionnaire, &link),
        Some((section, by)) => {
            let section_title = validation::section(&template, section)
                .map(|s| assay_core::import::vsaq::plain_text(&s.title))
                .unwrap_or_else(|| section.to_owned());
            letters::delegation(name, by, &section_title, &questionnaire, &link)
        }
    };
    mailer
        .queue(
            conn,
            mailer::Email {
                organization_id: Some(assessment.organization_id),
                to: email.to_owned(),
                kind: EmailKind::AssessmentInvitation,
                letter,
            },
            now,
        )
        .await?;
    Ok(InvitationView {
        recipient_name: model.recipient_name,
        recipient_email: model.recipient_email,
        opened: false,
        revoked: false,
        expires_at: rfc3339(model.expires_at),
        section_id: model.section_id,
        delegated_by: model.delegated_by,
    })
}

pub(super) async fn revoke_links(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64> {
    let result = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::AssessmentId.eq(assessment_id))
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Withdraws every link and sends each recipient a new one (Procurement, Admin).
pub async fn resend(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let model = find_for_write(&txn, user.organization_id, id).await?;
    if !status_of(&model)?.vendor_can_answer() {
        return Err(Error::Conflict {
            code: "not_with_vendor",
            message: "Links can only be re-sent while the vendor is answering.".to_owned(),
        });
    }
    let mut recipients: Vec<invitation::Model> = invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(id))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(&txn)
        .await?;
    // One new link per address and scope, however often it was re-sent before; a
    // delegate's new link is limited to the same section as the old one.
    recipients.sort_by(|a, b| {
        (&a.recipient_email, &a.section_id).cmp(&(&b.recipient_email, &b.section_id))
    });
    recipients
        .dedup_by(|a, b| a.recipient_email == b.recipient_email && a.section_id == b.section_id);
    revoke_links(&txn, id, ctx.clock.now()).await?;
    let (organization_name, vendor_name) = names(&txn, &model).await?;
    for r in &recipients {
        invite(
            &txn,
            mailer,
            &organization_name,
            &vendor_name,
            &model,
            Recipient {
                name: &r.recipient_name,
                email: &r.recipient_email,
                delegation: r.section_id.as_deref().zip(r.delegated_by.as_deref()),
            },
            ctx.clock.now(),
        )
        .await?;
    }
    audit::record(
        &txn,
        Event::by(
            user,
            Action::AssessmentResent,
            ("assessment", id.to_string()),
            json!({ "recipients": recipients.len() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}

/// Withdraws every link at once (e.g. one was forwarded by mistake).
pub async fn revoke(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let model = find_for_write(&txn, user.organization_id, id).await?;
    let revoked = revoke_links(&txn, id, ctx.clock.now()).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::AssessmentLinksRevoked,
            ("assessment", id.to_string()),
            json!({ "links": revoked }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}
