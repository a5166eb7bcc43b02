//! Who gets a link: recipients from the request or the vendor's contacts, one personal
//! link each (stored hashed, emailed sealed, each invitation naming the outbox email that
//! carries it); re-sending replaces links, revoking withdraws them, for everyone or for one
//! recipient.

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
    let head = Letterhead::of(conn, model).await?;
    for (name, email) in recipients {
        invite(
            conn,
            mailer,
            &head,
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
/// What every invitation of one assessment says alike, read once for all its recipients:
/// the client's and the vendor's names and the questionnaire sent.
pub(super) struct Letterhead {
    organization: String,
    vendor: String,
    template: std::sync::Arc<Template>,
}

impl Letterhead {
    pub(super) async fn of(conn: &impl ConnectionTrait, model: &entity::Model) -> Result<Self> {
        let (organization, vendor) = names(conn, model).await?;
        Ok(Letterhead {
            organization,
            vendor,
            template: snapshot(conn, model).await?,
        })
    }
}

pub(super) async fn invite(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    head: &Letterhead,
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
    // The token is in the fragment: browsers never send it to a server or in Referer.
    let link = mailer.link(&format!("/portal#token={token}"));
    let template = &head.template;
    let questionnaire = letters::Questionnaire {
        organization: &head.organization,
        vendor: &head.vendor,
        title: &template.title,
        due: assessment.due_date,
    };
    let letter = match delegation {
        None => letters::assessment_invitation(name, &questionnaire, &link),
        Some((section, by)) => letters::delegation(
            name,
            by,
            &section_title(template, section),
            &questionnaire,
            &link,
        ),
    };
    let outbox_id = mailer
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
        outbox_id: Set(Some(outbox_id)),
    }
    .insert(conn)
    .await?;
    Ok(invitation_view(
        model,
        Some(&mailer::Delivery::queued()),
        template,
        now,
    ))
}

/// A section's title as people read it (its id, should the template not have it).
fn section_title(template: &Template, section: &str) -> String {
    validation::section(template, section)
        .map(|s| assay_core::import::vsaq::plain_text(&s.title))
        .unwrap_or_else(|| section.to_owned())
}

/// One link as procurement follows it: its scope, and where it and its email stand at
/// `now` (`delivery` is `None` for a link whose email was not recorded, or is gone).
pub(super) fn invitation_view(
    link: invitation::Model,
    delivery: Option<&mailer::Delivery>,
    template: &Template,
    now: OffsetDateTime,
) -> InvitationView {
    let status = RecipientStatus::of(
        link.revoked_at.is_some(),
        link.expires_at <= now,
        link.opened_at.is_some(),
        delivery.map(|d| d.state),
    );
    InvitationView {
        section_title: link
            .section_id
            .as_deref()
            .map(|s| section_title(template, s)),
        recipient_name: link.recipient_name,
        recipient_email: link.recipient_email,
        opened: link.opened_at.is_some(),
        revoked: link.revoked_at.is_some(),
        expires_at: rfc3339(link.expires_at),
        section_id: link.section_id,
        delegated_by: link.delegated_by,
        status,
        sent_at: rfc3339(link.created_at),
        delivered_at: delivery.and_then(|d| d.delivered_at).map(rfc3339),
        opened_at: link.opened_at.map(rfc3339),
        revoked_at: link.revoked_at.map(rfc3339),
        retry_at: delivery.and_then(|d| d.retry_at).map(rfc3339),
        delivery_error: delivery
            .and_then(|d| d.error.as_deref())
            .map(reason_for_people),
    }
}

/// Every link of an assessment, oldest first, with how its email went: two queries
/// however many recipients there are.
pub(super) async fn invitation_views(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    template: &Template,
    now: OffsetDateTime,
) -> Result<Vec<InvitationView>> {
    let links = invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(invitation::Column::CreatedAt)
        .order_by_asc(invitation::Column::Id)
        .all(conn)
        .await?;
    let deliveries =
        mailer::deliveries(conn, links.iter().filter_map(|l| l.outbox_id).collect()).await?;
    Ok(links
        .into_iter()
        .map(|link| {
            let delivery = link.outbox_id.and_then(|id| deliveries.get(&id));
            invitation_view(link, delivery, template, now)
        })
        .collect())
}

/// Withdraws the live links of an assessment: everyone's, or only those sent to `address`.
pub(super) async fn revoke_links(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    address: Option<&str>,
    now: OffsetDateTime,
) -> Result<u64> {
    let mut update = invitation::Entity::update_many()
        .col_expr(invitation::Column::RevokedAt, Expr::value(now))
        .filter(invitation::Column::AssessmentId.eq(assessment_id))
        .filter(invitation::Column::RevokedAt.is_null());
    if let Some(address) = address {
        update = update.filter(invitation::Column::RecipientEmail.eq(address));
    }
    Ok(update.exec(conn).await?.rows_affected)
}

/// Links are re-sent only while the vendor can still answer.
fn ensure_with_vendor(model: &entity::Model) -> Result<()> {
    if status_of(model)?.vendor_can_answer() {
        return Ok(());
    }
    Err(Error::Conflict {
        code: "not_with_vendor",
        message: "Links can only be re-sent while the vendor is answering.".to_owned(),
    })
}

/// Withdraws the live links of everyone `links` went to (or only of `address`) and sends
/// one new link per address and scope, however often it was re-sent before; a delegate's
/// new link is limited to the same section as the old one. Returns how many it sent.
async fn reissue(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    model: &entity::Model,
    mut links: Vec<invitation::Model>,
    address: Option<&str>,
    now: OffsetDateTime,
) -> Result<usize> {
    links.sort_by(|a, b| {
        (&a.recipient_email, &a.section_id).cmp(&(&b.recipient_email, &b.section_id))
    });
    links.dedup_by(|a, b| a.recipient_email == b.recipient_email && a.section_id == b.section_id);
    revoke_links(conn, model.id, address, now).await?;
    let head = Letterhead::of(conn, model).await?;
    for r in &links {
        invite(
            conn,
            mailer,
            &head,
            model,
            Recipient {
                name: &r.recipient_name,
                email: &r.recipient_email,
                delegation: r.section_id.as_deref().zip(r.delegated_by.as_deref()),
            },
            now,
        )
        .await?;
    }
    Ok(links.len())
}

/// Every link an assessment sent, oldest first; only those to `address` when given.
async fn links_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    address: Option<&str>,
) -> Result<Vec<invitation::Model>> {
    let mut query = invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(invitation::Column::CreatedAt);
    if let Some(address) = address {
        query = query.filter(invitation::Column::RecipientEmail.eq(address));
    }
    Ok(query.all(conn).await?)
}

/// The recipient a per-recipient request names: an address the assessment sent a link to,
/// checked against its links (422 naming `email` otherwise).
async fn recipient_links(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    request: &RecipientRequest,
) -> Result<(Email, Vec<invitation::Model>)> {
    let address = Email::parse(&request.email)?;
    let links = links_of(conn, assessment_id, Some(address.as_str())).await?;
    if links.is_empty() {
        return Err(Error::validation(
            "email",
            format!(
                "This assessment was not sent to “{}”.",
                request.email.trim()
            ),
        ));
    }
    Ok((address, links))
}

/// Assessment `id` of the caller's organisation, locked for a change to its links, in a
/// write transaction (Procurement, Admin).
async fn locked_for_sending(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
) -> Result<(crate::db::WriteTxn, entity::Model)> {
    user.require(Permission::SendAssessments)?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    let model = find_for_write(&txn, user.organization_id, id).await?;
    Ok((txn, model))
}

/// Records `action` on `model` in the audit log and commits, answering with the assessment
/// as it now stands.
async fn commit_audited(
    txn: crate::db::WriteTxn,
    user: &UserCaller,
    model: entity::Model,
    action: Action,
    detail: serde_json::Value,
    now: OffsetDateTime,
) -> Result<AssessmentView> {
    let target = ("assessment", model.id.to_string());
    audit::record(&txn, Event::by(user, action, target, detail), now).await?;
    let view = view(&txn, model, now).await?;
    txn.commit().await?;
    Ok(view)
}

/// Withdraws every link and sends each recipient a new one (Procurement, Admin).
pub async fn resend(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
) -> Result<AssessmentView> {
    let (txn, model) = locked_for_sending(ctx, user, id).await?;
    ensure_with_vendor(&model)?;
    let now = ctx.clock.now();
    let links = links_of(&txn, id, None).await?;
    let sent = reissue(&txn, mailer, &model, links, None, now).await?;
    let detail = json!({ "recipients": sent });
    commit_audited(txn, user, model, Action::AssessmentResent, detail, now).await
}

/// Withdraws one recipient's links and emails them a new one for each scope they had (the
/// whole questionnaire, or a delegate's section), while the vendor can answer
/// (Procurement, Admin).
pub async fn resend_to(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
    request: RecipientRequest,
) -> Result<AssessmentView> {
    let (txn, model) = locked_for_sending(ctx, user, id).await?;
    ensure_with_vendor(&model)?;
    let now = ctx.clock.now();
    let (address, links) = recipient_links(&txn, id, &request).await?;
    let sent = reissue(&txn, mailer, &model, links, Some(address.as_str()), now).await?;
    let detail = json!({ "email": address.as_str(), "links": sent });
    commit_audited(txn, user, model, Action::RecipientResent, detail, now).await
}

/// Withdraws every link at once (e.g. one was forwarded by mistake).
pub async fn revoke(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<AssessmentView> {
    let (txn, model) = locked_for_sending(ctx, user, id).await?;
    let now = ctx.clock.now();
    let revoked = revoke_links(&txn, id, None, now).await?;
    let detail = json!({ "links": revoked });
    commit_audited(
        txn,
        user,
        model,
        Action::AssessmentLinksRevoked,
        detail,
        now,
    )
    .await
}

/// Withdraws one recipient's links (a forwarded link, a person who left), leaving the
/// others working (Procurement, Admin).
pub async fn revoke_for(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: RecipientRequest,
) -> Result<AssessmentView> {
    let (txn, model) = locked_for_sending(ctx, user, id).await?;
    let now = ctx.clock.now();
    let (address, _) = recipient_links(&txn, id, &request).await?;
    let revoked = revoke_links(&txn, id, Some(address.as_str()), now).await?;
    let detail = json!({ "email": address.as_str(), "links": revoked });
    commit_audited(txn, user, model, Action::RecipientLinksRevoked, detail, now).await
}
