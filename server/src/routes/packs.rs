//! Evidence packs: a decided assessment's signed archive, and the organisation's published
//! signing key that anyone checks it against.

use assay_core::api::{ErrorResponse, SigningKeyView};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use tokio::io::AsyncReadExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Error, Result};
use crate::routes::examples;
use crate::routes::exports::{download, slug};
use crate::services::{packs, signing_keys};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(download_pack))
        .routes(routes!(get_signing_key))
}

/// The evidence pack of a decided assessment: a ZIP with `README.txt`, `answers.json`,
/// `scorecard.json` (the frozen scorecard), `decision.json`, `review-history.json`,
/// `evidence/…` (every file the vendor gave), `manifest.json` (every other file's path,
/// size and SHA-256) and `manifest.sig` (the organisation's Ed25519 signature over the
/// exact bytes of `manifest.json`, 64 raw bytes). Check it with `assay pack verify`. The
/// organisation's signing key is created with its first pack.
#[utoipa::path(get, path = "/api/assessments/{id}/pack", tag = "exports", params(("id" = Uuid, Path)),
    responses(
        (status = 200, content_type = "application/zip", description = "The signed evidence pack, as an attachment (`evidence-pack-<vendor>.zip`)"),
        (status = 403, description = "The role may not export", body = ErrorResponse),
        (status = 404, description = "No such assessment in the caller's organisation", body = ErrorResponse),
        (status = 409, description = "`not_decided`: the assessment has no decision yet", body = ErrorResponse,
            example = json!({ "error": { "code": "not_decided", "message": "An evidence pack holds the decision: decide the assessment first." } }))))]
async fn download_pack(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let pack =
        packs::assessment_pack(&state.ctx(), &state.evidence, &state.master_key, &user, id).await?;
    let name = format!("evidence-pack-{}.zip", slug(&pack.vendor_name));
    let mut response = download("application/zip", &name, file_body(pack.file))?;
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(pack.size));
    Ok(response)
}

/// The temporary file, streamed a chunk at a time.
fn file_body(file: std::fs::File) -> Body {
    const CHUNK: usize = 64 * 1024;
    let file = tokio::fs::File::from_std(file);
    let chunks = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0u8; CHUNK];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buffer)), Some(file)))
            }
            Err(e) => {
                tracing::error!(error = %e, "evidence pack failed mid-stream");
                Some((Err(e), None))
            }
        }
    });
    // Fused: the compression layer polls once more after the end, which an unfused
    // `unfold` answers with a panic (the connection then dropped mid-download).
    Body::from_stream(futures_util::StreamExt::fuse(chunks))
}

/// The public key that signs the organisation's evidence packs, for anyone to check a pack
/// against: no session needed. The key is hex (`assay pack verify --key`) and PEM (OpenSSL);
/// the fingerprint is the one each pack's README prints. 404 for an unknown organisation and
/// for one that has not made a pack yet (reading never creates a key).
#[utoipa::path(get, path = "/api/organizations/{slug}/signing-key", tag = "exports",
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 200, description = "The organisation's published signing key", body = SigningKeyView,
            example = json!(examples::signing_key())),
        (status = 404, description = "No such organisation, or it has no key yet", body = ErrorResponse)))]
async fn get_signing_key(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<ApiJson<SigningKeyView>> {
    if slug.len() > 200 {
        return Err(Error::NotFound);
    }
    Ok(ApiJson(signing_keys::published(&state.db, &slug).await?))
}
