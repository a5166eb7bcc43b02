//! Evidence files: uploaded by the vendor through the portal, typed by their contents,
//! encrypted at rest, and verified against their SHA-256 on every download.

use assay_core::access::Permission;
use std::collections::{BTreeMap, BTreeSet};

use assay_core::api::{CursorPage, EvidenceView, VendorFileView};
use assay_core::scoring::EvidenceKind;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::entities::evidence;
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::services::pages::{PageRequest, foreign};
use crate::services::portal_scope::Scope;
use crate::state::Ctx;
use crate::storage::sniff::{self, FileType};
use crate::storage::{EvidenceStore, StorageError};

/// A file as received, with its form fields.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub question_id: Option<String>,
    pub kind: Option<String>,
    pub expires_on: Option<String>,
    pub issued_on: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub coverage_amount: Option<String>,
    pub coverage_currency: Option<String>,
}

/// The document's details, checked.
struct Details {
    kind: Option<String>,
    expires_on: Option<time::Date>,
    issued_on: Option<time::Date>,
    period_start: Option<time::Date>,
    period_end: Option<time::Date>,
    coverage_amount: Option<i64>,
    coverage_currency: Option<String>,
}

fn present(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn optional_date(field: &'static str, text: &Option<String>) -> Result<Option<time::Date>> {
    present(text)
        .map(|d| {
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|_| Error::validation(field, "Use a date like 2027-03-31."))
        })
        .transpose()
}

impl Details {
    fn parse(upload: &Upload) -> Result<Details> {
        let kind = match present(&upload.kind) {
            Some(k) => {
                let kind = EvidenceKind::parse(k).ok_or_else(|| {
                    Error::validation("kind", "Choose one of the offered kinds of evidence.")
                })?;
                Some(crate::db::stored(kind))
            }
            None => None,
        };
        let expires_on = optional_date("expires_on", &upload.expires_on)?;
        let issued_on = optional_date("issued_on", &upload.issued_on)?;
        let period_start = optional_date("period_start", &upload.period_start)?;
        let period_end = optional_date("period_end", &upload.period_end)?;
        if let (Some(start), Some(end)) = (period_start, period_end)
            && start > end
        {
            return Err(Error::validation(
                "period_end",
                "The period ends before it starts.",
            ));
        }
        if let (Some(issued), Some(expires)) = (issued_on, expires_on)
            && expires < issued
        {
            return Err(Error::validation(
                "expires_on",
                "The document expires before it was issued.",
            ));
        }
        let coverage_amount = present(&upload.coverage_amount)
            .map(|a| {
                let digits: String = a
                    .chars()
                    .filter(|c| *c != ',' && *c != '_' && *c != ' ')
                    .collect();
                digits
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| {
                        Error::validation(
                            "coverage_amount",
                            "Enter the limit as a whole amount, such as 5000000.",
                        )
                    })
            })
            .transpose()?;
        let coverage_currency = present(&upload.coverage_currency)
            .map(|c| {
                let code = c.to_ascii_uppercase();
                if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                    Ok(code)
                } else {
                    Err(Error::validation(
                        "coverage_currency",
                        "Use a currency code such as EUR or USD.",
                    ))
                }
            })
            .transpose()?;
        if coverage_amount.is_some() != coverage_currency.is_some() {
            return Err(Error::validation(
                if coverage_amount.is_some() {
                    "coverage_currency"
                } else {
                    "coverage_amount"
                },
                "Give the insurance limit together with its currency.",
            ));
        }
        Ok(Details {
            kind,
            expires_on,
            issued_on,
            period_start,
            period_end,
            coverage_amount,
            coverage_currency,
        })
    }
}

/// A file to send back.
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

fn view(model: evidence::Model) -> EvidenceView {
    EvidenceView {
        id: model.id,
        question_id: model.question_id,
        file_name: model.file_name,
        file_type: model.file_type,
        size: u64::try_from(model.size).unwrap_or_default(),
        sha256: model.sha256,
        kind: model.kind,
        expires_on: model.expires_on.map(|d| d.to_string()),
        issued_on: model.issued_on.map(|d| d.to_string()),
        period_start: model.period_start.map(|d| d.to_string()),
        period_end: model.period_end.map(|d| d.to_string()),
        coverage_amount: model.coverage_amount,
        coverage_currency: model.coverage_currency,
        uploaded_at: model.created_at.format(&Rfc3339).unwrap_or_default(),
    }
}

/// `GET /api/vendors/{id}/evidence`: which page of the vendor's files.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VendorFilesQuery {
    /// The `next` cursor of the previous page (of the same vendor).
    pub after: Option<String>,
    /// Files per page, 1 to 200; default 50.
    pub limit: Option<u64>,
}

/// A vendor's files across its assessments, newest first (by upload time, then id), a
/// keyset page at a time with the total, in a fixed number of queries (the vendor, a count,
/// the page, its assessments' template versions and those versions not cached). The files
/// are found through the vendor's assessments (`evidence` has no vendor column), so each
/// page sorts that one vendor's files: bounded by what one vendor sent, not by the
/// organisation.
pub async fn of_vendor(
    ctx: &Ctx,
    user: &UserCaller,
    vendor_id: Uuid,
    query: VendorFilesQuery,
) -> Result<CursorPage<VendorFileView>> {
    use crate::db::entities::assessment;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    user.require(Permission::ReadAssessments)?;
    let scope = json!([user.organization_id, vendor_id]).to_string();
    let page = PageRequest::parse_scoped(query.after.as_deref(), query.limit, 2, &scope)?;
    let after = match page.after() {
        None => None,
        Some([at, id]) => Some((
            time::OffsetDateTime::parse(at, &Rfc3339).map_err(|_| foreign())?,
            Uuid::parse_str(id).map_err(|_| foreign())?,
        )),
        Some(_) => return Err(foreign()),
    };
    let db = &ctx.db;
    crate::db::vendors::find(db, user.organization_id, vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let of_vendor = evidence::Entity::find()
        .filter(evidence::Column::OrganizationId.eq(user.organization_id))
        .filter(
            evidence::Column::AssessmentId.in_subquery(
                Query::select()
                    .column(assessment::Column::Id)
                    .from(assessment::Entity)
                    .and_where(assessment::Column::VendorId.eq(vendor_id))
                    .and_where(assessment::Column::OrganizationId.eq(user.organization_id))
                    .to_owned(),
            ),
        );
    let total = of_vendor.clone().count(db).await?;
    let mut rows = of_vendor;
    if let Some((at, id)) = after {
        rows = rows.filter(
            Expr::tuple([
                Expr::col(evidence::Column::CreatedAt),
                Expr::col(evidence::Column::Id),
            ])
            .lt(Expr::tuple([Expr::val(at), Expr::val(id)])),
        );
    }
    let files = rows
        .order_by_desc(evidence::Column::CreatedAt)
        .order_by_desc(evidence::Column::Id)
        .limit(page.fetch())
        .all(db)
        .await?;
    // The time as stored, offset and all, so the cursor compares as the rows do.
    let (files, next) = page.finish(files, |f| {
        vec![
            f.created_at.format(&Rfc3339).unwrap_or_default(),
            f.id.to_string(),
        ]
    });
    let ids: BTreeSet<Uuid> = files.iter().map(|f| f.assessment_id).collect();
    let versions: BTreeMap<Uuid, (Uuid, i32)> = assessment::Entity::find()
        .select_only()
        .column(assessment::Column::Id)
        .column(assessment::Column::TemplateId)
        .column(assessment::Column::TemplateVersion)
        .filter(assessment::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(Uuid, Uuid, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, template, version)| (id, (template, version)))
        .collect();
    let templates =
        crate::db::assessments::versions_of(db, versions.values().copied().collect()).await?;
    let items = files
        .into_iter()
        .map(|f| VendorFileView {
            assessment_id: f.assessment_id,
            assessment_title: versions
                .get(&f.assessment_id)
                .and_then(|key| templates.get(key))
                .map(|t| t.title.clone())
                .unwrap_or_default(),
            file: view(f),
        })
        .collect();
    Ok(CursorPage { items, total, next })
}

/// The evidence of one assessment, oldest first.
pub async fn list(conn: &impl ConnectionTrait, assessment_id: Uuid) -> Result<Vec<EvidenceView>> {
    Ok(evidence::Entity::find()
        .filter(evidence::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(evidence::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// For each of these assessments, the questions that have a file, in one query.
pub(crate) async fn questions_with_files(
    conn: &impl ConnectionTrait,
    assessment_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, BTreeSet<String>>> {
    let mut out: BTreeMap<Uuid, BTreeSet<String>> = BTreeMap::new();
    for (assessment_id, question_id) in evidence::Entity::find()
        .select_only()
        .column(evidence::Column::AssessmentId)
        .column(evidence::Column::QuestionId)
        .filter(evidence::Column::AssessmentId.is_in(assessment_ids.iter().copied()))
        .filter(evidence::Column::QuestionId.is_not_null())
        .into_tuple::<(Uuid, Option<String>)>()
        .all(conn)
        .await?
    {
        if let Some(question_id) = question_id {
            out.entry(assessment_id).or_default().insert(question_id);
        }
    }
    Ok(out)
}

fn file_type_named(name: &str) -> Option<FileType> {
    [
        FileType::Pdf,
        FileType::Png,
        FileType::Jpeg,
        FileType::Docx,
        FileType::Xlsx,
        FileType::Csv,
        FileType::Txt,
    ]
    .into_iter()
    .find(|t| t.extension() == name || (name == "jpeg" && *t == FileType::Jpeg))
}

/// Stores a vendor's upload for its assessment.
pub async fn upload(
    ctx: &Ctx,
    store: &EvidenceStore,
    vendor: &VendorCaller,
    upload: Upload,
) -> Result<EvidenceView> {
    let db = &ctx.db;
    if upload.bytes.is_empty() {
        return Err(Error::validation("file", "The file is empty."));
    }
    let file_type = sniff::detect(&upload.bytes, &upload.file_name).ok_or_else(|| {
        Error::UnsupportedMediaType(
            "Upload a PDF, PNG, JPEG, DOCX, XLSX, CSV or plain-text file.".to_owned(),
        )
    })?;
    let details = Details::parse(&upload)?;
    let open = crate::services::portal_scope::answerable(db, vendor).await?;
    let allowed = match upload.question_id.as_deref().map(str::trim) {
        Some(q) if !q.is_empty() => open.may_change(q),
        _ => open.only.is_none() || open.general_evidence,
    };
    if !allowed {
        return Err(Error::Conflict {
            code: "answers_locked",
            message: "Evidence can be added now only for the answers the reviewer asked about or that a remediation item is about."
                .to_owned(),
        });
    }
    let scope = Scope::of(vendor, open.template)?;
    let question_id = upload
        .question_id
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned);
    match &question_id {
        Some(q) if !scope.template.questions().any(|question| &question.id == q) => {
            return Err(Error::validation(
                "question_id",
                format!("The questionnaire has no question “{q}” here."),
            ));
        }
        None if scope.writable.is_some() => {
            return Err(Error::validation(
                "question_id",
                "Name the question of your section the file belongs to.",
            ));
        }
        _ => {}
    }
    let id = Uuid::now_v7();
    let size = upload.bytes.len() as i64;
    let stored = store.put(id, upload.bytes).await.map_err(storage_error)?;
    let uploader = vendor.recipient_email.clone();
    let txn = crate::db::begin_write(db).await?;
    let model = evidence::ActiveModel {
        id: Set(id),
        organization_id: Set(vendor.organization_id),
        assessment_id: Set(vendor.assessment_id),
        question_id: Set(question_id),
        file_name: Set(sniff::safe_file_name(&upload.file_name, file_type)),
        file_type: Set(file_type.extension().to_owned()),
        size: Set(size),
        sha256: Set(stored.sha256.clone()),
        wrapped_key: Set(B64.encode(&stored.wrapped_key)),
        kind: Set(details.kind),
        expires_on: Set(details.expires_on),
        issued_on: Set(details.issued_on),
        period_start: Set(details.period_start),
        period_end: Set(details.period_end),
        coverage_amount: Set(details.coverage_amount),
        coverage_currency: Set(details.coverage_currency),
        uploaded_by: Set(uploader.clone()),
        created_at: Set(ctx.clock.now()),
        // The scheduler's next round works out its first alert day.
        next_alert_on: Set(details
            .expires_on
            .filter(|d| *d >= ctx.clock.today())
            .map(|_| ctx.clock.today())),
    }
    .insert(&txn)
    .await?;
    crate::services::assessments::record_progress(&txn, &open.model).await?;
    audit::record(
        &txn,
        Event::by_vendor(
            vendor.organization_id,
            uploader,
            Action::EvidenceUploaded,
            ("evidence", id.to_string()),
            json!({ "assessment_id": vendor.assessment_id, "sha256": stored.sha256, "size": size }),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(view(model))
}

fn storage_error(e: StorageError) -> Error {
    Error::Internal(e.into())
}

pub(crate) async fn fetch(store: &EvidenceStore, model: evidence::Model) -> Result<Download> {
    let wrapped = B64
        .decode(&model.wrapped_key)
        .map_err(|e| Error::Internal(e.into()))?;
    // A hash mismatch means the stored file was altered or damaged: never serve it.
    let bytes = store
        .get(model.id, wrapped, model.sha256.clone())
        .await
        .map_err(storage_error)?;
    let file_type = file_type_named(&model.file_type).unwrap_or(FileType::Txt);
    Ok(Download {
        file_name: model.file_name,
        content_type: file_type.mime(),
        bytes,
    })
}

/// A file of the vendor session's own assessment.
pub async fn download_for_vendor(
    ctx: &Ctx,
    store: &EvidenceStore,
    vendor: &VendorCaller,
    id: Uuid,
) -> Result<Download> {
    let db = &ctx.db;
    let model = evidence::Entity::find_by_id(id)
        .filter(evidence::Column::AssessmentId.eq(vendor.assessment_id))
        .filter(evidence::Column::OrganizationId.eq(vendor.organization_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    if vendor.section.is_some() {
        // A delegate reaches only the files of their section's questions.
        let (_, template) = crate::services::portal_scope::portal_snapshot(db, vendor).await?;
        let scope = Scope::of(vendor, template)?;
        let mine = model
            .question_id
            .as_ref()
            .is_some_and(|q| scope.template.questions().any(|question| &question.id == q));
        if !mine {
            return Err(Error::NotFound);
        }
    }
    fetch(store, model).await
}

/// Removes a file the vendor uploaded by mistake, while answers may still change. The row
/// goes first (in a transaction with its audit entry), then the blob.
pub async fn remove(
    ctx: &Ctx,
    store: &EvidenceStore,
    vendor: &VendorCaller,
    id: Uuid,
) -> Result<()> {
    let db = &ctx.db;
    let txn = crate::db::begin_write(db).await?;
    let open = crate::services::portal_scope::answerable(&txn, vendor).await?;
    if open.only.is_some() {
        // After submission files stay: the review and the scorecard rely on them.
        return Err(Error::Conflict {
            code: "answers_locked",
            message: "Files can no longer be removed once the questionnaire was submitted."
                .to_owned(),
        });
    }
    let scope = Scope::of(vendor, open.template)?;
    let model = evidence::Entity::find_by_id(id)
        .filter(evidence::Column::AssessmentId.eq(vendor.assessment_id))
        .filter(evidence::Column::OrganizationId.eq(vendor.organization_id))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let in_scope = scope.writable.is_none()
        || model
            .question_id
            .as_ref()
            .is_some_and(|q| scope.template.questions().any(|question| &question.id == q));
    if !in_scope {
        return Err(Error::NotFound);
    }
    let by = vendor.recipient_email.clone();
    evidence::Entity::delete_by_id(id).exec(&txn).await?;
    if let Some(kind) = &model.kind {
        // Older files of its kind it silenced may be due for their alerts again.
        crate::db::due_dates::alert_kind_now(
            &txn,
            vendor.organization_id,
            open.model.vendor_id,
            kind,
            ctx.clock.today(),
        )
        .await?;
    }
    crate::services::assessments::record_progress(&txn, &open.model).await?;
    audit::record(
        &txn,
        Event::by_vendor(vendor.organization_id, by, Action::EvidenceRemoved, ("evidence", id.to_string()), json!({ "assessment_id": vendor.assessment_id, "sha256": model.sha256, "file_name": model.file_name })), ctx.clock.now())
    .await?;
    txn.commit().await?;
    if let Err(e) = store.delete(id).await {
        // The file is unreachable without its row; an orphaned blob is only wasted space.
        tracing::warn!(evidence_id = %id, error = %e, "could not delete an evidence blob");
    }
    Ok(())
}

/// A file of any assessment of the user's organisation.
pub async fn download_for_user(
    ctx: &Ctx,
    store: &EvidenceStore,
    user: &UserCaller,
    id: Uuid,
) -> Result<Download> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let model = evidence::Entity::find_by_id(id)
        .filter(evidence::Column::OrganizationId.eq(user.organization_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    fetch(store, model).await
}
