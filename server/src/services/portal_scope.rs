//! What a vendor session may see and change of its assessment: everything while it is
//! with the vendor; after submission only what the reviewer asked about or an open
//! remediation item is about; for a delegate, one section. Shared by the portal's answers,
//! files, clarifications and remediation items.

use std::collections::BTreeSet;
use std::sync::Arc;

use assay_core::answer as validation;
use assay_core::assessment::AssessmentStatus;
use assay_core::review::ReviewStatus;
use assay_core::template::Template;
use sea_orm::ConnectionTrait;

use crate::caller::VendorCaller;
use crate::db::assessments::{find, snapshot, status_of};
use crate::db::entities::assessment as entity;
use crate::error::{Error, Result};

pub(crate) async fn portal_model(
    conn: &impl ConnectionTrait,
    vendor: &VendorCaller,
) -> Result<entity::Model> {
    find(conn, vendor.organization_id, vendor.assessment_id).await
}

/// The vendor session's assessment as far as its answers may change now: every answer
/// while it is with the vendor; while returned for clarification, the answers the reviewer
/// asked about; at any later point, the answers open remediation items are about. 409
/// `answers_locked` when none may change.
pub(crate) struct Answerable {
    pub model: entity::Model,
    pub template: Arc<Template>,
    /// `None`: every key; otherwise only these.
    pub only: Option<BTreeSet<String>>,
    /// Evidence about no question may be uploaded.
    pub general_evidence: bool,
}

impl Answerable {
    pub(crate) fn may_change(&self, key: &str) -> bool {
        self.only.as_ref().is_none_or(|keys| keys.contains(key))
    }
}

/// The answer keys of these questions (a question's own id and its choices' ids).
fn keys_of(template: &Template, questions: &BTreeSet<String>) -> BTreeSet<String> {
    template
        .questions()
        .filter(|q| questions.contains(&q.id))
        .flat_map(|q| std::iter::once(q.id.clone()).chain(q.choices().iter().map(|c| c.id.clone())))
        .collect()
}

pub(crate) async fn answerable(
    conn: &impl ConnectionTrait,
    vendor: &VendorCaller,
) -> Result<Answerable> {
    let model = portal_model(conn, vendor).await?;
    let status = status_of(&model)?;
    let template = snapshot(conn, &model).await?;
    let locked = || Error::Conflict {
        code: "answers_locked",
        message: "This questionnaire has been submitted; answers can no longer change.".to_owned(),
    };
    if status == AssessmentStatus::Cancelled {
        return Err(locked());
    }
    if status.vendor_can_answer() && status != AssessmentStatus::ReturnedForClarification {
        return Ok(Answerable {
            model,
            template,
            only: None,
            general_evidence: true,
        });
    }
    let (mut questions, general_evidence) = crate::db::portal::open_scope(conn, model.id).await?;
    if status == AssessmentStatus::ReturnedForClarification {
        questions.extend(
            crate::db::portal::reviews_of(conn, model.id)
                .await?
                .into_iter()
                .filter(|(_, s)| *s != ReviewStatus::Accepted)
                .map(|(q, _)| q),
        );
    }
    if questions.is_empty() && !general_evidence {
        return Err(locked());
    }
    let only = Some(keys_of(&template, &questions));
    Ok(Answerable {
        model,
        template,
        only,
        general_evidence,
    })
}

/// What a vendor session may see and change of `template`: everything for a contact; for
/// a delegate the one section (as a template of its own), its answer keys, and the keys
/// its conditions read elsewhere (shown to evaluate conditions, never changeable).
/// The vendor session's assessment and its snapshot, whatever its status.
pub(crate) async fn portal_snapshot(
    conn: &impl ConnectionTrait,
    vendor: &VendorCaller,
) -> Result<(entity::Model, Arc<Template>)> {
    let model = portal_model(conn, vendor).await?;
    let template = snapshot(conn, &model).await?;
    Ok((model, template))
}

/// The questions a delegate's section holds; `None` for a contact, who reaches them all.
/// Clarifications, remediation items and files of other sections stay out of a
/// delegate's reach.
pub(crate) async fn delegate_questions(
    conn: &impl ConnectionTrait,
    vendor: &VendorCaller,
) -> Result<Option<BTreeSet<String>>> {
    if vendor.section.is_none() {
        return Ok(None);
    }
    let (_, template) = portal_snapshot(conn, vendor).await?;
    let scope = Scope::of(vendor, template)?;
    Ok(Some(
        scope.template.questions().map(|q| q.id.clone()).collect(),
    ))
}

pub(crate) struct Scope {
    pub template: Arc<Template>,
    /// `None`: every key.
    pub writable: Option<BTreeSet<String>>,
    pub readable: Option<BTreeSet<String>>,
}

impl Scope {
    pub(crate) fn of(vendor: &VendorCaller, template: Arc<Template>) -> Result<Scope> {
        let Some(section) = &vendor.section else {
            return Ok(Scope {
                template,
                writable: None,
                readable: None,
            });
        };
        // A section that vanished from the snapshot cannot happen (snapshots are frozen);
        // treat it as nothing to see rather than everything.
        let (scoped, own, referenced) =
            validation::delegated(&template, section).ok_or(Error::NotFound)?;
        let writable: BTreeSet<String> = own.into_iter().collect();
        let mut readable = writable.clone();
        readable.extend(referenced);
        Ok(Scope {
            template: Arc::new(scoped),
            writable: Some(writable),
            readable: Some(readable),
        })
    }

    pub(crate) fn may_write(&self, key: &str) -> bool {
        self.writable.as_ref().is_none_or(|keys| keys.contains(key))
    }

    pub(crate) fn may_read(&self, key: &str) -> bool {
        self.readable.as_ref().is_none_or(|keys| keys.contains(key))
    }
}
