//! The template library: the built-in baseline, imported templates (VSAQ, OSCAL, CSV,
//! Assay JSON) as drafts, and publishing, which freezes a draft as a numbered, immutable
//! version (what assessments will snapshot).

use std::collections::BTreeMap;

use assay_core::access::Permission;
use assay_core::api::{ImportTemplateRequest, TemplateVersionView, TemplateView};
use assay_core::baseline::BASELINE_JSON;
use assay_core::import::{self, TemplateFormat};
use assay_core::template::{ProblemLevel, Template};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::entities::{template, template_version};
use crate::error::{Error, Result};
use crate::exports::template_workbook;
use crate::services::audit::{self, Action, Event};
use crate::state::Ctx;
use crate::storage::sha256_hex;

/// The built-in baseline's fixed id, the same on every installation.
pub const BASELINE_ID: Uuid = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);

/// Makes sure the built-in baseline exists with its current content published (a new
/// version whenever Assay ships a changed baseline). Run at start-up.
pub async fn ensure_builtin(ctx: &Ctx) -> anyhow::Result<()> {
    let db = &ctx.db;
    let template: Template = serde_json::from_str(BASELINE_JSON)?;
    let content = serde_json::to_string(&template)?;
    let sha = sha256_hex(content.as_bytes());
    let txn = crate::db::begin_write(db).await?;
    // Several instances may start together: inserts that lose the race are no-ops.
    let now = ctx.clock.now();
    template::Entity::insert(template::ActiveModel {
        id: Set(BASELINE_ID),
        organization_id: Set(None),
        title: Set(template.title.clone()),
        source_format: Set(TemplateFormat::Json.to_string()),
        draft: Set(content.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(template::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let latest = latest_version(&txn, BASELINE_ID).await?;
    if latest.as_ref().is_none_or(|v| v.sha256 != sha) {
        template_version::Entity::insert(template_version::ActiveModel {
            id: Set(Uuid::now_v7()),
            template_id: Set(BASELINE_ID),
            version: Set(latest.map_or(1, |v| v.version + 1)),
            content: Set(content),
            sha256: Set(sha),
            published_at: Set(now),
            published_by: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                template_version::Column::TemplateId,
                template_version::Column::Version,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn latest_version(
    conn: &impl ConnectionTrait,
    template_id: Uuid,
) -> Result<Option<template_version::Model>, sea_orm::DbErr> {
    template_version::Entity::find()
        .filter(template_version::Column::TemplateId.eq(template_id))
        .order_by_desc(template_version::Column::Version)
        .one(conn)
        .await
}

async fn insert_version(
    conn: &impl ConnectionTrait,
    template_id: Uuid,
    version: i32,
    content: String,
    sha256: String,
    by: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<template_version::Model, sea_orm::DbErr> {
    template_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        template_id: Set(template_id),
        version: Set(version),
        content: Set(content),
        sha256: Set(sha256),
        published_at: Set(now),
        published_by: Set(by),
    }
    .insert(conn)
    .await
}

/// Templates visible to the organisation: its own and the built-in ones.
fn visible(organization_id: Uuid) -> Condition {
    Condition::any()
        .add(template::Column::OrganizationId.eq(organization_id))
        .add(template::Column::OrganizationId.is_null())
}

/// One template the organisation may see (its own or a built-in one); 404 otherwise.
async fn find_visible(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<template::Model> {
    template::Entity::find_by_id(id)
        .filter(visible(organization_id))
        .one(conn)
        .await?
        .ok_or(Error::NotFound)
}

/// The published versions of these templates, oldest first (number, hash and time, never
/// the content), in one query.
async fn versions_of(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<BTreeMap<Uuid, Vec<TemplateVersionView>>> {
    let rows: Vec<(Uuid, i32, String, OffsetDateTime)> = template_version::Entity::find()
        .select_only()
        .column(template_version::Column::TemplateId)
        .column(template_version::Column::Version)
        .column(template_version::Column::Sha256)
        .column(template_version::Column::PublishedAt)
        .filter(template_version::Column::TemplateId.is_in(ids))
        .order_by_asc(template_version::Column::Version)
        .into_tuple()
        .all(conn)
        .await?;
    let mut out: BTreeMap<Uuid, Vec<TemplateVersionView>> = BTreeMap::new();
    for (template_id, version, sha256, published_at) in rows {
        out.entry(template_id)
            .or_default()
            .push(TemplateVersionView {
                version: u32::try_from(version).unwrap_or_default(),
                sha256,
                published_at: published_at.format(&Rfc3339).unwrap_or_default(),
            });
    }
    Ok(out)
}

async fn view(conn: &impl ConnectionTrait, model: template::Model) -> Result<TemplateView> {
    let versions = versions_of(conn, [model.id])
        .await?
        .remove(&model.id)
        .unwrap_or_default();
    view_with(model, versions)
}

fn view_with(model: template::Model, versions: Vec<TemplateVersionView>) -> Result<TemplateView> {
    let draft: Template =
        serde_json::from_str(&model.draft).map_err(|e| Error::Internal(e.into()))?;
    let format: TemplateFormat = model.source_format.parse().unwrap_or(TemplateFormat::Json);
    let sha = sha256_hex(model.draft.as_bytes());
    let unpublished_changes = versions.last().is_none_or(|v| v.sha256 != sha);
    Ok(TemplateView {
        id: model.id,
        title: model.title,
        source_format: model.source_format,
        built_in: model.organization_id.is_none(),
        summary: serde_json::to_value(draft.summary(format))
            .map_err(|e| Error::Internal(e.into()))?,
        versions,
        updated_at: model.updated_at.format(&Rfc3339).unwrap_or_default(),
        draft: None,
        unpublished_changes,
    })
}

pub async fn list(ctx: &Ctx, user: &UserCaller) -> Result<Vec<TemplateView>> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let models = template::Entity::find()
        .filter(visible(user.organization_id))
        .order_by_asc(template::Column::Title)
        .all(db)
        .await?;
    // Every template's versions in one query, so the list costs the same whatever its length.
    let mut versions = versions_of(db, models.iter().map(|m| m.id)).await?;
    models
        .into_iter()
        .map(|model| {
            let of_this = versions.remove(&model.id).unwrap_or_default();
            view_with(model, of_this)
        })
        .collect()
}

pub async fn get(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<TemplateView> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let model = find_visible(db, user.organization_id, id).await?;
    let draft = serde_json::from_str(&model.draft).map_err(|e| Error::Internal(e.into()))?;
    let mut out = view(db, model).await?;
    out.draft = Some(draft);
    Ok(out)
}

/// Replaces a template's draft with an edited one (from the template editor). Published
/// versions, and so everything already sent, never change; errors in the draft (duplicate
/// ids, empty texts, choice questions without choices, knock-outs, evidence requirements
/// and contract checks the scoring cannot use) are refused naming the item.
pub async fn save_draft(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    draft: serde_json::Value,
) -> Result<TemplateView> {
    let db = &ctx.db;
    user.require(Permission::ManageTemplates)?;
    let template: Template = serde_json::from_value(draft)
        .map_err(|e| Error::validation("template", format!("Not a valid Assay template: {e}")))?;
    refuse_errors(&template)?;
    if template.questions().next().is_none() {
        return Err(Error::validation("template", "Add at least one question."));
    }
    let content = serde_json::to_string(&template).map_err(|e| Error::Internal(e.into()))?;
    if content.len() > 5_000_000 {
        return Err(Error::validation("template", "The template is too large."));
    }
    let txn = crate::db::begin_write(db).await?;
    let model = find_visible(&txn, user.organization_id, id).await?;
    if model.organization_id.is_none() {
        return Err(Error::Conflict {
            code: "built_in_template",
            message: "Built-in templates cannot be edited; import a copy to change it.".to_owned(),
        });
    }
    let mut active: template::ActiveModel = model.into();
    active.title = Set(template.title.chars().take(200).collect());
    active.draft = Set(content);
    active.updated_at = Set(ctx.clock.now());
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::TemplateDraftSaved,
            ("template", id.to_string()),
            json!({ "title": template.title, "questions": template.questions().count() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let mut out = view(&txn, model).await?;
    txn.commit().await?;
    out.draft = serde_json::to_value(&template).ok();
    Ok(out)
}

/// Imports a file as a new draft template of the organisation.
pub async fn import_template(
    ctx: &Ctx,
    user: &UserCaller,
    request: ImportTemplateRequest,
) -> Result<TemplateView> {
    user.require(Permission::ManageTemplates)?;
    let format = match request
        .format
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        Some(name) => name
            .parse::<TemplateFormat>()
            .map_err(|m| Error::validation("format", m))?,
        None => import::detect_format(&request.content).ok_or_else(|| {
            Error::validation(
                "format",
                "The file's format was not recognised; choose vsaq, oscal, csv or json.",
            )
        })?,
    };
    let template = import::import(&request.content, format)
        .map_err(|e| Error::validation("content", e.to_string()))?;
    insert_import(ctx, user, template, request.title.as_deref(), format).await
}

/// Imports an Excel workbook (the layout of `GET /api/templates/{id}/export.xlsx`) as a new
/// draft; errors name the sheet, row, column and item.
pub async fn import_workbook(
    ctx: &Ctx,
    user: &UserCaller,
    bytes: Vec<u8>,
    title: Option<&str>,
) -> Result<TemplateView> {
    user.require(Permission::ManageTemplates)?;
    // Decompressing and reading up to 32 MB is CPU work: off the request threads.
    let template = tokio::task::spawn_blocking(move || {
        template_workbook::read_template(&bytes, "Imported Excel questionnaire")
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?
    .map_err(|e| Error::validation("content", e.to_string()))?;
    insert_import(ctx, user, template, title, TemplateFormat::Xlsx).await
}

/// The template as an Excel workbook: its draft's questionnaire and question scoring, in
/// the layout [`import_workbook`] reads. Returns the title (for the file name) and the bytes.
pub async fn export_workbook(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<(String, Vec<u8>)> {
    user.require(Permission::ReadAssessments)?;
    let model = find_visible(&ctx.db, user.organization_id, id).await?;
    let template: Template =
        serde_json::from_str(&model.draft).map_err(|e| Error::Internal(e.into()))?;
    let bytes = tokio::task::spawn_blocking(move || template_workbook::write_template(&template))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(|e| Error::Internal(e.into()))?;
    Ok((model.title, bytes))
}

/// Stores an imported template as a new draft of the caller's organisation, titled `title`
/// when one is given.
async fn insert_import(
    ctx: &Ctx,
    user: &UserCaller,
    mut template: Template,
    title: Option<&str>,
    format: TemplateFormat,
) -> Result<TemplateView> {
    let db = &ctx.db;
    if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
        template.title = title.chars().take(200).collect();
    }
    if template.questions().next().is_none() {
        return Err(Error::validation("content", "The file holds no questions."));
    }
    let draft = serde_json::to_string(&template).map_err(|e| Error::Internal(e.into()))?;
    let now = ctx.clock.now();
    let id = Uuid::now_v7();
    let txn = crate::db::begin_write(db).await?;
    let model = template::ActiveModel {
        id: Set(id),
        organization_id: Set(Some(user.organization_id)),
        title: Set(template.title.clone()),
        source_format: Set(format.to_string()),
        draft: Set(draft),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::TemplateImported,
            ("template", id.to_string()),
            json!({ "title": template.title, "format": format.to_string() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model).await?;
    txn.commit().await?;
    Ok(view)
}

/// Refuses a template with an error (duplicate ids, empty texts, choice questions without
/// choices, tables with unusable columns, rules the scoring cannot use), naming the item.
fn refuse_errors(template: &Template) -> Result<()> {
    match template
        .problems()
        .into_iter()
        .find(|p| p.level == ProblemLevel::Error)
    {
        Some(problem) => {
            let message = match &problem.item {
                Some(item) => format!("{} (item “{item}”)", problem.message),
                None => problem.message,
            };
            Err(Error::validation("template", message))
        }
        None => Ok(()),
    }
}

/// Freezes the draft as the next version (refused, naming the item, while the draft has an
/// error: nothing that cannot be answered or scored is ever sent). Built-in templates are
/// published by Assay.
pub async fn publish(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<TemplateView> {
    let db = &ctx.db;
    user.require(Permission::ManageTemplates)?;
    let txn = crate::db::begin_write(db).await?;
    let model = find_visible(&txn, user.organization_id, id).await?;
    if model.organization_id.is_none() {
        return Err(Error::Conflict {
            code: "built_in_template",
            message: "Built-in templates are published by Assay; import a copy to change it."
                .to_owned(),
        });
    }
    let draft: Template = serde_json::from_str(&model.draft).map_err(Error::internal)?;
    refuse_errors(&draft)?;
    let sha = sha256_hex(model.draft.as_bytes());
    let latest = latest_version(&txn, id).await?;
    if let Some(latest) = &latest
        && latest.sha256 == sha
    {
        return Err(Error::Conflict {
            code: "nothing_to_publish",
            message: format!("The draft is unchanged since version {}.", latest.version),
        });
    }
    let version = latest.map_or(1, |v| v.version + 1);
    insert_version(
        &txn,
        id,
        version,
        model.draft.clone(),
        sha.clone(),
        Some(user.id),
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::TemplatePublished,
            ("template", id.to_string()),
            json!({ "version": version, "sha256": sha }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model).await?;
    txn.commit().await?;
    Ok(view)
}
