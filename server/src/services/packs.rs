//! Evidence packs: one ZIP archive of a decided assessment that an auditor can verify
//! without an account. It holds the answers as people read them, the scorecard the decision
//! froze, the decision, the review history and every evidence file, with `manifest.json`
//! listing each file's size and SHA-256 and `manifest.sig`, the organisation's Ed25519
//! signature over the manifest's exact bytes (see `assay_core::pack`).
//!
//! The archive is written to an unnamed temporary file, one evidence file in memory at a
//! time, so a pack of many large files costs disk, not memory; the route streams it out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Seek, Write};

use assay_core::access::Permission;
use assay_core::api::{AnswerView, AssessmentView, DecisionView, ScorecardView};
use assay_core::pack::{self, FileDigest, KeyInfo, Manifest, ManifestFile};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::crypto::MasterKey;
use crate::db::accounts;
use crate::db::assessments::find;
use crate::db::entities::evidence;
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::services::{assessments, compute, review, rfc3339, signing_keys};
use crate::state::Ctx;
use crate::storage::EvidenceStore;

/// A pack ready to send: the archive in a temporary file (deleted when dropped), read from
/// its start.
pub struct Pack {
    pub file: std::fs::File,
    pub size: u64,
    /// The vendor's name, for the download's file name.
    pub vendor_name: String,
}

/// The archive being written, and the manifest entry of every file in it so far.
struct Writer {
    zip: zip::ZipWriter<std::fs::File>,
    entries: Vec<ManifestFile>,
}

impl Writer {
    fn new() -> std::io::Result<Writer> {
        Ok(Writer {
            zip: zip::ZipWriter::new(tempfile::tempfile()?),
            entries: Vec::new(),
        })
    }

    /// Adds a file; `compress` for text (evidence is mostly compressed already).
    fn add(&mut self, path: &str, bytes: &[u8], compress: bool) -> std::io::Result<()> {
        let method = if compress {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(bytes.len() as u64 >= u64::from(u32::MAX));
        self.zip.start_file(path, options).map_err(zip_error)?;
        self.zip.write_all(bytes)?;
        if path != pack::MANIFEST && path != pack::SIGNATURE {
            self.entries.push(FileDigest::of(bytes).entry(path));
        }
        Ok(())
    }

    /// Adds a file on the blocking pool (compressing and hashing large files is CPU work).
    async fn add_blocking(mut self, path: String, bytes: Vec<u8>, compress: bool) -> Result<Self> {
        compute(move || self.add(&path, &bytes, compress).map(|()| self))
            .await?
            .map_err(Error::internal)
    }

    fn finish(self) -> std::io::Result<(std::fs::File, u64)> {
        let mut file = self.zip.finish().map_err(zip_error)?;
        let size = file.stream_position()?;
        file.rewind()?;
        Ok((file, size))
    }
}

fn zip_error(e: zip::result::ZipError) -> std::io::Error {
    std::io::Error::other(e)
}

/// A file name as a pack path's last part: ASCII letters, digits, `.`, `-` and `_`; spaces
/// become `-`, anything else `_`; never empty, never starting with a dot.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') => c,
            c if c.is_whitespace() => '-',
            _ => '_',
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned.chars().take(120).collect()
    }
}

/// `evidence/<name>`, numbered (`report-2.pdf`) when another file already has the name.
fn evidence_path(name: &str, taken: &mut BTreeSet<String>) -> String {
    let name = safe_name(name);
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_owned(), format!(".{ext}")),
        _ => (name.clone(), String::new()),
    };
    let mut path = format!("evidence/{name}");
    let mut n = 2;
    while !taken.insert(path.clone()) {
        path = format!("evidence/{stem}-{n}{extension}");
        n += 1;
    }
    path
}

fn pretty(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(Error::internal)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `GET /api/assessments/{id}/pack`: the signed pack of a decided assessment (Export
/// permission; another organisation's assessment is not found; 409 `not_decided` before the
/// decision). The organisation's key is created on its first pack. Audited as one download.
pub async fn assessment_pack(
    ctx: &Ctx,
    store: &EvidenceStore,
    master: &MasterKey,
    user: &UserCaller,
    id: Uuid,
) -> Result<Pack> {
    let db = &ctx.db;
    user.require(Permission::Export)?;
    let model = find(db, user.organization_id, id).await?;
    let decision = review::decision_of(db, id)
        .await?
        .ok_or_else(|| Error::Conflict {
            code: "not_decided",
            message: "An evidence pack holds the decision: decide the assessment first.".to_owned(),
        })?;
    let now = ctx.clock.now();
    let scorecard = review::view(db, &model, Some(decision.scorecard_version), now).await?;
    let assessment = assessments::get(ctx, user, id).await?;
    let organisation = accounts::find_organization(db, user.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    let key = signing_keys::get_or_create(ctx, master, user).await?;
    let info = key.info();

    let files = evidence::Entity::find()
        .filter(evidence::Column::AssessmentId.eq(id))
        .filter(evidence::Column::OrganizationId.eq(user.organization_id))
        .order_by_asc(evidence::Column::CreatedAt)
        .order_by_asc(evidence::Column::Id)
        .all(db)
        .await?;
    let mut taken = BTreeSet::new();
    let paths: BTreeMap<Uuid, String> = files
        .iter()
        .map(|f| (f.id, evidence_path(&f.file_name, &mut taken)))
        .collect();

    let readme = readme(&Readme {
        organisation: &organisation,
        assessment: &assessment,
        decision: &decision,
        key: &info,
        public_key_pem: &key.public_pem(),
        files: files.len(),
        created_at: &rfc3339(now),
    });
    let documents = [
        ("README.txt", readme.into_bytes()),
        ("answers.json", pretty(&answers(&assessment, &paths))?),
        ("scorecard.json", pretty(&frozen_scorecard(&scorecard))?),
        ("decision.json", pretty(&decision)?),
        ("review-history.json", pretty(&history(&scorecard))?),
    ];
    let mut writer = compute(Writer::new).await?.map_err(Error::internal)?;
    for (path, bytes) in documents {
        writer = writer.add_blocking(path.to_owned(), bytes, true).await?;
    }
    for model in files {
        let path = paths.get(&model.id).cloned().ok_or(Error::NotFound)?;
        let file = crate::services::evidence::fetch(store, model).await?;
        writer = writer.add_blocking(path, file.bytes, false).await?;
    }
    let manifest = Manifest {
        format: pack::FORMAT.to_owned(),
        format_version: pack::FORMAT_VERSION,
        organization: organisation.slug.clone(),
        assessment_id: id,
        created_at: rfc3339(now),
        signing_key: info.clone(),
        files: writer.entries.clone(),
    };
    let manifest_bytes = manifest.to_bytes();
    let signature = key.sign(&manifest_bytes).to_vec();
    let listed = manifest.files.len();
    let (file, size) = compute(move || {
        writer.add(pack::MANIFEST, &manifest_bytes, true)?;
        writer.add(pack::SIGNATURE, &signature, false)?;
        writer.finish()
    })
    .await?
    .map_err(Error::internal)?;
    // In its own transaction: the chain head's row lock orders concurrent downloads.
    let txn = crate::db::begin_write(db).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::EvidencePackDownloaded,
            ("assessment", id.to_string()),
            json!({
                "files": listed,
                "size_bytes": size,
                "scorecard_version": decision.scorecard_version,
                "key_fingerprint": info.fingerprint,
            }),
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Pack {
        file,
        size,
        vendor_name: assessment.vendor_name,
    })
}

/// `answers.json`: every question of the questionnaire as sent, in order, with its text,
/// the answer as people read it, the stored value and the pack paths of its files.
fn answers(assessment: &AssessmentView, paths: &BTreeMap<Uuid, String>) -> serde_json::Value {
    let template: Option<assay_core::template::Template> = assessment
        .template
        .clone()
        .and_then(|t| serde_json::from_value(t).ok());
    let files_of = |question: Option<&str>| -> Vec<&String> {
        assessment
            .evidence
            .iter()
            .filter(|e| e.question_id.as_deref() == question)
            .filter_map(|e| paths.get(&e.id))
            .collect()
    };
    let questions: Vec<serde_json::Value> = match &template {
        Some(template) => {
            let read = AnswerView::as_read(template, &assessment.answers);
            template
                .questions()
                .map(|q| {
                    let answer = assessment.answers.get(&q.id);
                    json!({
                        "id": q.id,
                        "question": assay_core::import::vsaq::plain_text(&q.text),
                        "answer": read.get(&q.id).filter(|_| answer.is_some()),
                        "value": answer.map(|a| &a.value),
                        "justification": answer.and_then(|a| a.justification.as_ref()),
                        "evidence": files_of(Some(&q.id)),
                    })
                })
                .collect()
        }
        // A snapshot that no longer parses: the stored values, still every answer.
        None => assessment
            .answers
            .iter()
            .map(|(id, a)| json!({ "id": id, "value": a.value, "justification": a.justification, "evidence": files_of(Some(id)) }))
            .collect(),
    };
    json!({
        "assessment_id": assessment.id,
        "vendor": assessment.vendor_name,
        "questionnaire": { "title": assessment.title, "version": assessment.template_version },
        "submitted_at": assessment.submitted_at,
        "questions": questions,
        "other_evidence": files_of(None),
        "evidence": assessment.evidence.iter().map(|e| json!({
            "path": paths.get(&e.id),
            "id": e.id,
            "file_name": e.file_name,
            "question_id": e.question_id,
            "kind": e.kind,
            "sha256": e.sha256,
            "size": e.size,
            "expires_on": e.expires_on,
            "uploaded_at": e.uploaded_at,
        })).collect::<Vec<_>>(),
    })
}

/// `scorecard.json`: the scorecard version the decision froze.
fn frozen_scorecard(s: &ScorecardView) -> serde_json::Value {
    json!({
        "assessment_id": s.assessment_id,
        "vendor": s.vendor_name,
        "version": s.version,
        "frozen": s.frozen,
        "as_of": s.as_of,
        "computed_at": s.computed_at,
        "card": s.card,
    })
}

/// `review-history.json`: what the reviewers did, as the review page shows it.
fn history(s: &ScorecardView) -> serde_json::Value {
    json!({
        "answer_reviews": s.reviews,
        "clarifications": s.clarifications,
        "overrides": s.overrides,
        "risk_acceptances": s.acceptances,
        "remediation_items": s.remediations,
        "scorecard_versions": s.versions,
    })
}

struct Readme<'a> {
    organisation: &'a crate::db::entities::organization::Model,
    assessment: &'a AssessmentView,
    decision: &'a DecisionView,
    key: &'a KeyInfo,
    public_key_pem: &'a str,
    files: usize,
    created_at: &'a str,
}

/// `README.txt`: what the pack is, who signed it with which key, and how to check it.
fn readme(r: &Readme<'_>) -> String {
    let slug = &r.organisation.slug;
    let conditions = if r.decision.conditions.is_empty() {
        String::new()
    } else {
        format!(
            "Conditions:\n{}\n",
            r.decision
                .conditions
                .iter()
                .map(|c| format!("  - {c}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    format!(
        "EVIDENCE PACK\n\
         =============\n\n\
         This archive is the record of one vendor assessment, signed by the organisation that\n\
         decided it. It was made by Assay on {created}.\n\n\
         Organisation:  {org} ({slug})\n\
         Vendor:        {vendor}\n\
         Assessment:    {title}, version {version} (id {id})\n\
         Decision:      {outcome}, by {by} on {at} (scorecard version {card})\n\
         {conditions}\
         Rationale:     {rationale}\n\n\
         WHAT IS IN IT\n\n\
         answers.json          every question with the answer as the vendor gave it\n\
         scorecard.json        the scorecard the decision froze\n\
         decision.json         the decision and its rationale\n\
         review-history.json   answer reviews, clarifications, overrides, risk acceptances,\n\
         \x20                     remediation items and scorecard versions\n\
         evidence/             the vendor's files ({files})\n\
         manifest.json         every other file's path, size and SHA-256\n\
         manifest.sig          the Ed25519 signature over the exact bytes of manifest.json\n\
         \x20                     (64 raw bytes)\n\n\
         THE SIGNING KEY\n\n\
         Algorithm:    {algorithm}\n\
         Public key:   {public_key} (hex)\n\
         Fingerprint:  {fingerprint}\n\
         Published at: /api/organizations/{slug}/signing-key on the organisation's Assay server\n\n\
         {pem}\n\
         HOW TO VERIFY\n\n\
         1. Get the public key from the organisation (the address above, or another channel you\n\
         \x20  trust) and check that its fingerprint is the one above. A key taken only from this\n\
         \x20  pack proves the files were not changed since it was signed, not who signed it.\n\
         2. Run:  assay pack verify PACK.zip --key {public_key}\n\
         \x20  It checks the signature and every file's size and SHA-256, names any file that was\n\
         \x20  changed, removed or added, and exits 0 only when everything matches.\n\
         \x20  Or open /verify-pack on the organisation's Assay server and choose this file: it is\n\
         \x20  checked in your browser, nothing of it is uploaded.\n\
         3. Without Assay: verify manifest.sig over manifest.json with the key, e.g.\n\
         \x20  openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in manifest.json -sigfile manifest.sig\n\
         \x20  then compare each file's SHA-256 (sha256sum) with manifest.json.\n",
        created = r.created_at,
        org = r.organisation.name,
        vendor = r.assessment.vendor_name,
        title = r.assessment.title,
        version = r.assessment.template_version,
        id = r.assessment.id,
        outcome = r.decision.outcome.label(),
        by = r.decision.decided_by,
        at = r.decision.decided_at,
        card = r.decision.scorecard_version,
        rationale = r.decision.rationale,
        files = match r.files {
            1 => "1 file".to_owned(),
            n => format!("{n} files"),
        },
        algorithm = r.key.algorithm,
        public_key = r.key.public_key,
        fingerprint = r.key.fingerprint,
        pem = r.public_key_pem,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_paths_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(
            evidence_path("SOC 2 report.pdf", &mut taken),
            "evidence/SOC-2-report.pdf"
        );
        assert_eq!(
            evidence_path("SOC 2 report.pdf", &mut taken),
            "evidence/SOC-2-report-2.pdf"
        );
        assert_eq!(
            evidence_path("../../etc/passwd", &mut taken),
            "evidence/_.._etc_passwd"
        );
        assert_eq!(evidence_path("...", &mut taken), "evidence/file");
        assert_eq!(
            evidence_path("Zertifikat-ä.pdf", &mut taken),
            "evidence/Zertifikat-_.pdf"
        );
    }
}
