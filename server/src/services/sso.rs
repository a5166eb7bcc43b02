//! Single sign-on with OpenID Connect: each organisation's provider settings (Admin), the
//! redirect to the provider (authorization code flow with PKCE S256, `state` and `nonce`),
//! and the callback that validates the ID token and signs the user in, provisioning them
//! on first sign-in and giving them, at every sign-in, the role the provider's claim maps
//! to (never to the break-glass Admin, never leaving the organisation without an active
//! Admin). Also the rule that refuses password sign-in when the organisation requires SSO.
//!
//! Sign-ins under way are rows in `sso_sign_ins` (hash of the state, nonce, PKCE verifier),
//! used at most once and for [`ATTEMPT_LIFETIME`], so the callback may reach any instance.
//! Provider metadata (discovery document and JWKS) is cached per issuer in this instance for
//! [`METADATA_TTL`]; an ID token signed with a key the cached JWKS lacks refetches both once
//! before it is refused, so a key rotation at the provider is picked up at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use assay_core::access::{Permission, Role};
use assay_core::api::{SsoRoleMapping, SsoSettingsRequest, SsoSettingsView};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    SignatureVerificationError, StandardErrorResponse, StandardTokenResponse,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::crypto::MasterKey;
use crate::db::accounts::{self, NewUser};
use crate::db::entities::{sso_settings, sso_sign_in, user};
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Actor, Event};
use crate::state::Ctx;

/// How long a sign-in may take between the redirect to the provider and its callback.
pub const ATTEMPT_LIFETIME: Duration = Duration::minutes(10);
/// How long this instance reuses an issuer's discovery document and JWKS.
pub const METADATA_TTL: StdDuration = StdDuration::from_secs(300);
/// The longest `code`, `state` or provider error the callback reads.
pub const MAX_PARAMETER_LEN: usize = 4096;
/// The cookie that ties a sign-in to the browser that started it (no login CSRF: a
/// callback link made by someone else finds no matching cookie).
pub const STATE_COOKIE: &str = "assay_sso_state";
/// The path of the callback, under `public_url`: the redirect URI to register.
pub const CALLBACK_PATH: &str = "/api/auth/oidc/callback";
const MAX_MAPPINGS: usize = 100;
const MAX_DOMAINS: usize = 100;

/// Claims of the ID token beyond the standard ones (the role claim is one of them).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OtherClaims {
    #[serde(flatten)]
    claims: HashMap<String, Value>,
}

impl AdditionalClaims for OtherClaims {}

type IdFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type OidcClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<IdFields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Each issuer's metadata (discovery document and JWKS), with when it was fetched.
type MetadataCache = HashMap<String, (Instant, Arc<CoreProviderMetadata>)>;

/// The HTTP client that talks to providers and this instance's metadata cache. Cheap to
/// clone; one per process.
#[derive(Clone)]
pub struct Providers {
    http: openidconnect::reqwest::Client,
    cache: Arc<Mutex<MetadataCache>>,
}

impl Providers {
    pub fn new() -> anyhow::Result<Self> {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider's answer point the server anywhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(StdDuration::from_secs(10))
            .build()?;
        Ok(Providers {
            http,
            cache: Arc::default(),
        })
    }

    /// The issuer's metadata: the cached copy while fresh, unless `refresh`.
    async fn metadata(
        &self,
        issuer: &str,
        refresh: bool,
    ) -> Result<Arc<CoreProviderMetadata>, Failure> {
        if !refresh
            && let Some((at, metadata)) = self.lock().get(issuer)
            && at.elapsed() < METADATA_TTL
        {
            return Ok(Arc::clone(metadata));
        }
        let url = IssuerUrl::new(issuer.to_owned())
            .map_err(|e| Failure::new("provider_unavailable", format!("issuer URL: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map(Arc::new)
            .map_err(|e| {
                Failure::new(
                    "provider_unavailable",
                    format!("discovery failed: {}", error_chain(&e)),
                )
            })?;
        self.lock()
            .insert(issuer.to_owned(), (Instant::now(), Arc::clone(&metadata)));
        Ok(metadata)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MetadataCache> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Why a sign-in with the provider did not complete: `code` goes to the sign-in page
/// (`/sign-in?sso_error=<code>`), `reason` to the log and the audit entry.
#[derive(Debug, Clone)]
pub struct Failure {
    pub code: &'static str,
    pub reason: String,
    organization_id: Option<Uuid>,
    email: Option<String>,
}

impl Failure {
    fn new(code: &'static str, reason: impl Into<String>) -> Self {
        Failure {
            code,
            reason: reason.into(),
            organization_id: None,
            email: None,
        }
    }
    fn of(mut self, organization_id: Uuid) -> Self {
        self.organization_id = Some(organization_id);
        self
    }
}

/// Settings as checked: every value usable.
struct Valid {
    enabled: bool,
    issuer_url: String,
    client_id: String,
    new_secret: Option<String>,
    allowed_domains: Vec<String>,
    role_claim: Option<String>,
    role_mapping: Vec<(String, Role)>,
    default_role: Role,
    sso_required: bool,
    break_glass_user_id: Option<Uuid>,
}

/// Whether `issuer` may be used: an https URL, or http to this machine only (a provider
/// started by tests or a developer).
fn check_issuer(issuer: &str) -> std::result::Result<(), &'static str> {
    let url = openidconnect::url::Url::parse(issuer)
        .map_err(|_| "Enter the provider's issuer URL, e.g. https://login.example.com.")?;
    let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" if url.host_str().is_some() => {}
        "http" if local => {}
        _ => return Err("The issuer URL must start with https://."),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("The issuer URL cannot have a query or a fragment.");
    }
    Ok(())
}

fn check_domain(raw: &str) -> Option<String> {
    let domain = raw.trim().trim_start_matches('@').to_lowercase();
    let valid = !domain.is_empty()
        && domain.len() <= 253
        && domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid.then_some(domain)
}

fn parse_role(raw: &str, field: String) -> Result<Role> {
    raw.trim().parse::<Role>().map_err(|_| {
        Error::validation(
            field,
            "Choose a role: admin, procurement, risk_manager or auditor.",
        )
    })
}

/// `Ok` when `ok`; otherwise a 422 naming `field`.
fn ensure(ok: bool, field: impl Into<String>, message: impl Into<String>) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::validation(field, message))
    }
}

/// Checks a request against the rules that need no database.
fn validate(request: SsoSettingsRequest) -> Result<Valid> {
    let issuer_url = request.issuer_url.trim().to_owned();
    check_issuer(&issuer_url).map_err(|m| Error::validation("issuer_url", m))?;
    ensure(
        issuer_url.len() <= 2048,
        "issuer_url",
        "The issuer URL is too long.",
    )?;
    let client_id = request.client_id.trim().to_owned();
    ensure(
        !client_id.is_empty() && client_id.len() <= 512,
        "client_id",
        "Enter the client id the provider gave Assay.",
    )?;
    let new_secret = request.client_secret.filter(|s| !s.is_empty());
    ensure(
        new_secret.as_ref().is_none_or(|s| s.len() <= 1024),
        "client_secret",
        "The client secret is too long.",
    )?;
    ensure(
        request.allowed_domains.len() <= MAX_DOMAINS,
        "allowed_domains",
        format!("At most {MAX_DOMAINS} domains."),
    )?;
    let mut allowed_domains: Vec<String> = Vec::new();
    for (i, raw) in request.allowed_domains.iter().enumerate() {
        let domain = check_domain(raw).ok_or_else(|| {
            Error::validation(
                format!("allowed_domains[{i}]"),
                "Enter a domain such as acme.example.",
            )
        })?;
        if !allowed_domains.contains(&domain) {
            allowed_domains.push(domain);
        }
    }
    let role_claim = request
        .role_claim
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    ensure(
        role_claim.as_ref().is_none_or(|c| c.len() <= 256),
        "role_claim",
        "The claim name is too long.",
    )?;
    ensure(
        request.role_mapping.len() <= MAX_MAPPINGS,
        "role_mapping",
        format!("At most {MAX_MAPPINGS} rows."),
    )?;
    let mut role_mapping = Vec::with_capacity(request.role_mapping.len());
    for (i, row) in request.role_mapping.iter().enumerate() {
        let value = row.claim_value.trim();
        ensure(
            !value.is_empty() && value.len() <= 256,
            format!("role_mapping[{i}].claim_value"),
            "Enter the claim value this row maps.",
        )?;
        let role = parse_role(&row.role, format!("role_mapping[{i}].role"))?;
        role_mapping.push((value.to_owned(), role));
    }
    let default_role = parse_role(&request.default_role, "default_role".to_owned())?;
    ensure(
        !request.sso_required || request.enabled,
        "sso_required",
        "Turn single sign-on on before requiring it.",
    )?;
    ensure(
        !request.sso_required || request.break_glass_user_id.is_some(),
        "break_glass_user_id",
        "Choose the Admin who may still sign in with a password if the provider fails.",
    )?;
    Ok(Valid {
        enabled: request.enabled,
        issuer_url,
        client_id,
        new_secret,
        allowed_domains,
        role_claim,
        role_mapping,
        default_role,
        sso_required: request.sso_required,
        break_glass_user_id: request.break_glass_user_id,
    })
}

fn redirect_uri(ctx: &Ctx) -> String {
    format!(
        "{}{CALLBACK_PATH}",
        ctx.settings.public_url.trim_end_matches('/')
    )
}

fn domains_of(row: &sso_settings::Model) -> Result<Vec<String>> {
    serde_json::from_str(&row.allowed_domains).map_err(Error::internal)
}

fn mapping_of(row: &sso_settings::Model) -> Result<Vec<SsoRoleMapping>> {
    serde_json::from_str(&row.role_mapping).map_err(Error::internal)
}

fn view(ctx: &Ctx, row: Option<&sso_settings::Model>) -> Result<SsoSettingsView> {
    Ok(match row {
        Some(row) => SsoSettingsView {
            enabled: row.enabled,
            issuer_url: row.issuer_url.clone(),
            client_id: row.client_id.clone(),
            has_secret: row.sealed_client_secret.is_some(),
            allowed_domains: domains_of(row)?,
            role_claim: row.role_claim.clone(),
            role_mapping: mapping_of(row)?,
            default_role: row.default_role.clone(),
            sso_required: row.sso_required,
            break_glass_user_id: row.break_glass_user_id,
            redirect_uri: redirect_uri(ctx),
        },
        None => SsoSettingsView {
            enabled: false,
            issuer_url: String::new(),
            client_id: String::new(),
            has_secret: false,
            allowed_domains: Vec::new(),
            role_claim: None,
            role_mapping: Vec::new(),
            default_role: Role::Auditor.as_str().to_owned(),
            sso_required: false,
            break_glass_user_id: None,
            redirect_uri: redirect_uri(ctx),
        },
    })
}

async fn settings_row(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<Option<sso_settings::Model>> {
    Ok(sso_settings::Entity::find_by_id(organization_id)
        .one(conn)
        .await?)
}

/// `GET /api/settings/sso` (Admin): the settings, without the secret.
pub async fn get(ctx: &Ctx, user: &UserCaller) -> Result<SsoSettingsView> {
    user.require(Permission::ManageOrganisation)?;
    view(
        ctx,
        settings_row(&ctx.db, user.organization_id).await?.as_ref(),
    )
}

/// `PUT /api/settings/sso` (Admin): replaces the settings (a left-out secret stays); the
/// change is audited with the values before and after, never the secret.
pub async fn put(
    ctx: &Ctx,
    key: &MasterKey,
    user: &UserCaller,
    request: SsoSettingsRequest,
) -> Result<SsoSettingsView> {
    user.require(Permission::ManageOrganisation)?;
    let valid = validate(request)?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    if let Some(id) = valid.break_glass_user_id {
        let admin = accounts::find_user_in_org(&txn, user.organization_id, id).await?;
        if !admin.is_some_and(|a| a.active && a.role == Role::Admin.as_str()) {
            return Err(Error::validation(
                "break_glass_user_id",
                "The break-glass account must be an active Admin of this organisation.",
            ));
        }
    }
    let before = settings_row(&txn, user.organization_id).await?;
    let sealed_secret = match &valid.new_secret {
        Some(secret) => Some(
            key.seal_text(secret, user.organization_id.as_bytes())
                .map_err(|e| Error::Internal(e.into()))?,
        ),
        None => before.as_ref().and_then(|b| b.sealed_client_secret.clone()),
    };
    let mapping: Vec<SsoRoleMapping> = valid
        .role_mapping
        .iter()
        .map(|(value, role)| SsoRoleMapping {
            claim_value: value.clone(),
            role: role.as_str().to_owned(),
        })
        .collect();
    let now = ctx.clock.now();
    let row = sso_settings::Model {
        organization_id: user.organization_id,
        enabled: valid.enabled,
        issuer_url: valid.issuer_url,
        client_id: valid.client_id,
        sealed_client_secret: sealed_secret,
        allowed_domains: serde_json::to_string(&valid.allowed_domains).map_err(Error::internal)?,
        role_claim: valid.role_claim,
        role_mapping: serde_json::to_string(&mapping).map_err(Error::internal)?,
        default_role: valid.default_role.as_str().to_owned(),
        sso_required: valid.sso_required,
        break_glass_user_id: valid.break_glass_user_id,
        updated_by: Some(user.id),
        updated_at: now,
    };
    sso_settings::Entity::insert(sso_settings::ActiveModel::from(row.clone()))
        .on_conflict(
            OnConflict::column(sso_settings::Column::OrganizationId)
                .update_columns([
                    sso_settings::Column::Enabled,
                    sso_settings::Column::IssuerUrl,
                    sso_settings::Column::ClientId,
                    sso_settings::Column::SealedClientSecret,
                    sso_settings::Column::AllowedDomains,
                    sso_settings::Column::RoleClaim,
                    sso_settings::Column::RoleMapping,
                    sso_settings::Column::DefaultRole,
                    sso_settings::Column::SsoRequired,
                    sso_settings::Column::BreakGlassUserId,
                    sso_settings::Column::UpdatedBy,
                    sso_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let after = view(ctx, Some(&row))?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::SsoSettingsUpdated,
            ("organization", user.organization_id.to_string()),
            json!({
                "before": view(ctx, before.as_ref())?,
                "after": after,
                "secret_changed": valid.new_secret.is_some(),
            }),
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Whether a user whose password was right may still not sign in with it: their
/// organisation requires single sign-on and they are not its break-glass Admin.
pub async fn password_refused(conn: &impl ConnectionTrait, user: &user::Model) -> Result<bool> {
    let Some(row) = settings_row(conn, user.organization_id).await? else {
        return Ok(false);
    };
    let break_glass = row.break_glass_user_id == Some(user.id) && user.role == Role::Admin.as_str();
    Ok(row.enabled && row.sso_required && !break_glass)
}

fn state_hash(state: &str) -> String {
    crate::services::accounts::hash_token(state)
}

fn client_for(
    metadata: &CoreProviderMetadata,
    row: &sso_settings::Model,
    secret: Option<String>,
    redirect: &str,
) -> Result<OidcClient, Failure> {
    let redirect = RedirectUrl::new(redirect.to_owned())
        .map_err(|e| Failure::new("not_configured", format!("redirect URI: {e}")))?;
    Ok(OidcClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(row.client_id.clone()),
        secret.map(ClientSecret::new),
    )
    .set_redirect_uri(redirect))
}

fn open_secret(key: &MasterKey, row: &sso_settings::Model) -> Result<Option<String>, Failure> {
    row.sealed_client_secret
        .as_deref()
        .map(|sealed| {
            key.open_text(sealed, row.organization_id.as_bytes())
                .map_err(|e| Failure::new("not_configured", format!("client secret: {e}")))
        })
        .transpose()
}

/// Where to send the browser to sign in with the organisation's provider, and the `state`
/// to keep in the browser's cookie. Records the attempt.
pub async fn start(
    ctx: &Ctx,
    key: &MasterKey,
    providers: &Providers,
    organization_slug: &str,
) -> Result<std::result::Result<(String, String), Failure>> {
    let slug = organization_slug.trim();
    let org = if slug.is_empty() || slug.len() > 200 {
        None
    } else {
        accounts::find_organization_by_slug(&ctx.db, slug).await?
    };
    let Some(org) = org else {
        return Ok(Err(Failure::new(
            "unknown_organization",
            "no such organisation",
        )));
    };
    let row = match settings_row(&ctx.db, org.id).await? {
        Some(row) if row.enabled => row,
        _ => {
            return Ok(Err(
                Failure::new("not_configured", "single sign-on is off").of(org.id)
            ));
        }
    };
    let prepared = async {
        let metadata = providers.metadata(&row.issuer_url, false).await?;
        let secret = open_secret(key, &row)?;
        let client = client_for(&metadata, &row, secret, &redirect_uri(ctx))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        Ok::<_, Failure>((url, state, nonce, verifier))
    }
    .await;
    let (url, state, nonce, verifier) = match prepared {
        Ok(prepared) => prepared,
        Err(failure) => {
            let failure = failure.of(org.id);
            record_failure(ctx, &failure).await?;
            return Ok(Err(failure));
        }
    };
    let now = ctx.clock.now();
    // Attempts nobody finished are useless after their lifetime; each start clears them.
    sso_sign_in::Entity::delete_many()
        .filter(sso_sign_in::Column::CreatedAt.lt(now - ATTEMPT_LIFETIME * 6))
        .exec(&ctx.db)
        .await?;
    sso_sign_in::Entity::insert(sso_sign_in::ActiveModel {
        state_hash: Set(state_hash(state.secret())),
        organization_id: Set(org.id),
        nonce: Set(nonce.secret().clone()),
        pkce_verifier: Set(verifier.secret().clone()),
        created_at: Set(now),
        used_at: Set(None),
    })
    .exec_without_returning(&ctx.db)
    .await?;
    Ok(Ok((url.to_string(), state.secret().clone())))
}

/// What the provider sent back to the callback.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// Finishes a sign-in: the attempt is claimed once, the code exchanged, the ID token
/// validated (issuer, audience, expiry against the app's clock, signature, nonce), the
/// email's domain checked; answers the user to start a session for (provisioned on first
/// sign-in, their role brought in line with the mapping on every one). A failure is logged and audited before it is returned.
pub async fn callback(
    ctx: &Ctx,
    key: &MasterKey,
    providers: &Providers,
    params: CallbackParams,
    browser_state: Option<&str>,
) -> Result<std::result::Result<user::Model, Failure>> {
    let outcome = finish(ctx, key, providers, params, browser_state).await?;
    if let Err(failure) = &outcome {
        record_failure(ctx, failure).await?;
    }
    Ok(outcome)
}

async fn record_failure(ctx: &Ctx, failure: &Failure) -> Result<()> {
    tracing::warn!(code = failure.code, reason = %failure.reason, "single sign-on refused");
    let txn = crate::db::begin_write(&ctx.db).await?;
    audit::record(
        &txn,
        Event {
            organization_id: failure.organization_id,
            actor: Actor::anonymous(),
            action: Action::SignInFailed,
            target: None,
            detail: json!({
                "method": "sso",
                "code": failure.code,
                "reason": failure.reason,
                "email": failure.email,
            }),
        },
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn finish(
    ctx: &Ctx,
    key: &MasterKey,
    providers: &Providers,
    params: CallbackParams,
    browser_state: Option<&str>,
) -> Result<std::result::Result<user::Model, Failure>> {
    let Some(state) = params.state.filter(|s| !s.is_empty()) else {
        return Ok(Err(Failure::new("state_invalid", "no state")));
    };
    if browser_state != Some(state.as_str()) {
        return Ok(Err(Failure::new(
            "state_invalid",
            "the state is not the one this browser started",
        )));
    }
    let now = ctx.clock.now();
    let hash = state_hash(&state);
    // Claimed by exactly one callback, however many instances receive it.
    let claimed = sso_sign_in::Entity::update_many()
        .col_expr(sso_sign_in::Column::UsedAt, Expr::value(now))
        .filter(sso_sign_in::Column::StateHash.eq(hash.as_str()))
        .filter(sso_sign_in::Column::UsedAt.is_null())
        .filter(sso_sign_in::Column::CreatedAt.gt(now - ATTEMPT_LIFETIME))
        .exec(&ctx.db)
        .await?
        .rows_affected
        == 1;
    let attempt = sso_sign_in::Entity::find_by_id(hash).one(&ctx.db).await?;
    let attempt = match (claimed, attempt) {
        (true, Some(attempt)) => attempt,
        (_, None) => return Ok(Err(Failure::new("state_invalid", "unknown state"))),
        (false, Some(attempt)) => {
            let reason = if attempt.used_at.is_some() {
                "state already used"
            } else {
                "sign-in attempt expired"
            };
            return Ok(Err(
                Failure::new("state_invalid", reason).of(attempt.organization_id)
            ));
        }
    };
    let org_id = attempt.organization_id;
    if let Some(error) = params.error {
        return Ok(Err(Failure::new(
            "provider_refused",
            format!("the provider answered {error}"),
        )
        .of(org_id)));
    }
    let Some(code) = params.code.filter(|c| !c.is_empty()) else {
        return Ok(Err(Failure::new("provider_refused", "no code").of(org_id)));
    };
    let row = match settings_row(&ctx.db, org_id).await? {
        Some(row) if row.enabled => row,
        _ => {
            return Ok(Err(
                Failure::new("not_configured", "single sign-on is off").of(org_id)
            ));
        }
    };
    let claims = match verified_claims(ctx, key, providers, &row, &attempt, code).await {
        Ok(claims) => claims,
        Err(failure) => return Ok(Err(failure.of(org_id))),
    };
    sign_in_user(ctx, &row, claims).await
}

/// What Assay keeps from a validated ID token.
struct Claims {
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
    role_claim: Option<Value>,
    subject: String,
}

async fn verified_claims(
    ctx: &Ctx,
    key: &MasterKey,
    providers: &Providers,
    row: &sso_settings::Model,
    attempt: &sso_sign_in::Model,
    code: String,
) -> std::result::Result<Claims, Failure> {
    let redirect = redirect_uri(ctx);
    let secret = open_secret(key, row)?;
    let metadata = providers.metadata(&row.issuer_url, false).await?;
    let client = client_for(&metadata, row, secret.clone(), &redirect)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| Failure::new("provider_unavailable", format!("no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()))
        .request_async(&providers.http)
        .await
        .map_err(|e| {
            Failure::new(
                "provider_refused",
                format!("code exchange failed: {}", error_chain(&e)),
            )
        })?;
    let id_token = response
        .extra_fields()
        .id_token()
        .ok_or_else(|| Failure::new("token_invalid", "the provider sent no ID token"))?;
    let nonce = Nonce::new(attempt.nonce.clone());
    let clock = ctx.clock.clone();
    let now = move || {
        let at = clock.now();
        chrono::DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
    };
    let verify = |client: &OidcClient| {
        let verifier = client.id_token_verifier().set_time_fn(now.clone());
        id_token.claims(&verifier, &nonce).map(|c| Claims {
            email: c.email().map(|e| e.as_str().to_owned()),
            email_verified: c.email_verified(),
            name: c
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            role_claim: row
                .role_claim
                .as_ref()
                .and_then(|name| c.additional_claims().claims.get(name).cloned()),
            subject: c.subject().as_str().to_owned(),
        })
    };
    let verified = match verify(&client) {
        // A key the cached JWKS lacks: the provider may have rotated its keys since.
        Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) => {
            tracing::info!(issuer = %row.issuer_url, "unknown signing key; fetching the provider's keys again");
            let metadata = providers.metadata(&row.issuer_url, true).await?;
            verify(&client_for(&metadata, row, secret, &redirect)?)
        }
        other => other,
    };
    verified.map_err(|e| {
        let code = match e {
            ClaimsVerificationError::Expired(_) => "token_expired",
            _ => "token_invalid",
        };
        Failure::new(code, format!("ID token refused: {}", error_chain(&e)))
    })
}

/// The role a user signing in gets: the first mapping row whose value the claim holds (a
/// string, or one of a list of strings), else the default.
fn mapped_role(row: &sso_settings::Model, claim: Option<&Value>) -> Result<Role> {
    let default = row.default_role.parse::<Role>().map_err(Error::internal)?;
    let Some(claim) = claim else {
        return Ok(default);
    };
    let holds = |value: &str| match claim {
        Value::String(s) => s == value,
        Value::Array(items) => items.iter().any(|i| i.as_str() == Some(value)),
        _ => false,
    };
    for mapping in mapping_of(row)? {
        if holds(&mapping.claim_value) {
            return mapping.role.parse::<Role>().map_err(Error::internal);
        }
    }
    Ok(default)
}

async fn sign_in_user(
    ctx: &Ctx,
    row: &sso_settings::Model,
    claims: Claims,
) -> Result<std::result::Result<user::Model, Failure>> {
    let org_id = row.organization_id;
    let refuse = |code: &'static str, reason: &str, email: Option<&str>| {
        let mut failure = Failure::new(code, reason).of(org_id);
        failure.email = email.map(str::to_owned);
        Ok(Err(failure))
    };
    let Some(email) = claims.email.as_deref() else {
        return refuse("email_missing", "the ID token has no email claim", None);
    };
    let Ok(email) = crate::services::accounts::Email::parse(email) else {
        return refuse("email_missing", "the email claim is not an address", None);
    };
    let email = email.as_str();
    if claims.email_verified == Some(false) {
        return refuse(
            "email_unverified",
            "the provider has not verified the email",
            Some(email),
        );
    }
    let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
    let domains = domains_of(row)?;
    if !domains.is_empty() && !domains.iter().any(|d| d == domain) {
        return refuse(
            "domain_not_allowed",
            "the email's domain is not allowed",
            Some(email),
        );
    }
    let role = mapped_role(row, claims.role_claim.as_ref())?;
    // Two first sign-ins of the same new person at once both try to provision them: the
    // one that loses the race on the unique email starts again and finds the user the
    // other made, so both are signed in and exactly one user exists.
    for _ in 0..PROVISION_ATTEMPTS {
        if let Some(outcome) = sign_in_once(ctx, row, &claims, email, role).await? {
            return Ok(outcome);
        }
    }
    Err(Error::Busy {
        retry_after_secs: 1,
    })
}

/// How often a sign-in that lost a provisioning race starts again: once is enough (the
/// winner's user is committed when the loser hears of the conflict); the bound only keeps
/// an impossible loop finite.
const PROVISION_ATTEMPTS: usize = 3;

/// The actor of changes single sign-on makes to accounts.
fn sso_actor() -> Actor {
    Actor {
        id: None,
        label: "single sign-on".to_owned(),
    }
}

/// One try at signing the person in: `None` when someone else provisioned the same email
/// first (this try's transaction is rolled back; the next finds their user).
async fn sign_in_once(
    ctx: &Ctx,
    row: &sso_settings::Model,
    claims: &Claims,
    email: &str,
    role: Role,
) -> Result<Option<std::result::Result<user::Model, Failure>>> {
    let org_id = row.organization_id;
    let refuse = |code: &'static str, reason: &str| {
        let mut failure = Failure::new(code, reason).of(org_id);
        failure.email = Some(email.to_owned());
        Ok(Some(Err(failure)))
    };
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let (user, provisioned, role_kept) =
        match accounts::find_user_by_email_for_write(&txn, email).await? {
            Some(user) if user.organization_id != org_id => {
                return refuse(
                    "account_elsewhere",
                    "the email belongs to a user of another organisation",
                );
            }
            Some(user) if !user.active => {
                return refuse("account_deactivated", "the user is deactivated");
            }
            Some(user) => {
                let (user, kept) = apply_role(&txn, row, user, role, now).await?;
                (user, false, kept)
            }
            None => {
                let name = claims
                    .name
                    .as_deref()
                    .and_then(|n| crate::services::accounts::parse_display_name(n).ok())
                    .unwrap_or_else(|| email.to_owned());
                let inserted = accounts::insert_user(
                    &txn,
                    NewUser {
                        organization_id: org_id,
                        email,
                        display_name: &name,
                        role: role.as_str(),
                        password_hash: None,
                        signed_in_with_sso: true,
                    },
                    now,
                )
                .await;
                let user = match inserted {
                    Ok(user) => user,
                    // The transaction is dropped (rolled back) and the sign-in starts again.
                    Err(e) if crate::services::accounts::unique_violation(&e) => {
                        return Ok(None);
                    }
                    Err(e) => return Err(e.into()),
                };
                audit::record(
                    &txn,
                    Event {
                        organization_id: Some(org_id),
                        actor: sso_actor(),
                        action: Action::UserCreated,
                        target: Some(("user", user.id.to_string())),
                        detail: json!({ "email": user.email, "role": user.role, "method": "sso" }),
                    },
                    now,
                )
                .await?;
                (user, true, None)
            }
        };
    let mut detail =
        json!({ "method": "sso", "provisioned": provisioned, "subject": claims.subject });
    if let Some(reason) = role_kept {
        detail["role_kept"] = json!(reason);
    }
    audit::record(
        &txn,
        Event::own_account(
            org_id,
            user.id,
            &user.email,
            Action::SignInSucceeded,
            detail,
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Some(Ok(user)))
}

/// Brings an existing user in line with the provider at each sign-in: the role the claim
/// maps to (or the default role) replaces theirs, audited as a change by single sign-on
/// that ends their other sessions, and the account is marked as signed in through single
/// sign-on. Two roles are never changed this way: the break-glass Admin's, and that of the
/// organisation's last active Admin; the user then keeps their role and the reason is
/// answered for the sign-in's audit entry.
async fn apply_role(
    txn: &impl ConnectionTrait,
    row: &sso_settings::Model,
    user: user::Model,
    role: Role,
    now: time::OffsetDateTime,
) -> Result<(user::Model, Option<&'static str>)> {
    let is_admin = user.role == Role::Admin.as_str();
    let kept = if user.role == role.as_str() {
        None
    } else if row.break_glass_user_id == Some(user.id) {
        Some("break_glass_admin")
    } else if is_admin && accounts::count_active_admins(txn, user.organization_id).await? <= 1 {
        Some("last_admin")
    } else {
        None
    };
    let change_role = user.role != role.as_str() && kept.is_none();
    if !change_role && user.signed_in_with_sso {
        return Ok((user, kept));
    }
    let mut active = user.clone().into_active_model();
    active.signed_in_with_sso = Set(true);
    if change_role {
        active.role = Set(role.as_str().to_owned());
        // As for a change by an Admin: sessions made under the old role end.
        active.session_epoch = Set(user.session_epoch + 1);
    }
    active.updated_at = Set(now);
    let updated = active.update(txn).await?;
    if change_role {
        audit::record(
            txn,
            Event {
                organization_id: Some(user.organization_id),
                actor: sso_actor(),
                action: Action::UserUpdated,
                target: Some(("user", user.id.to_string())),
                detail: json!({
                    "role": { "from": user.role, "to": updated.role },
                    "method": "sso",
                }),
            },
            now,
        )
        .await?;
    }
    Ok((updated, kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    #[test]
    fn issuers_must_be_https_except_on_this_machine() {
        assert!(check_issuer("https://login.example.com/realms/acme").is_ok());
        assert!(check_issuer("http://127.0.0.1:4444").is_ok());
        assert!(check_issuer("http://localhost:4444").is_ok());
        assert!(check_issuer("http://login.example.com").is_err());
        assert!(check_issuer("ftp://login.example.com").is_err());
        assert!(check_issuer("login.example.com").is_err());
        assert!(check_issuer("https://login.example.com/?x=1").is_err());
    }

    #[test]
    fn domains_are_lowercased_and_checked() {
        assert_eq!(
            check_domain(" @Acme.Example ").as_deref(),
            Some("acme.example")
        );
        assert_eq!(check_domain("acme"), None);
        assert_eq!(check_domain("acme..example"), None);
        assert_eq!(check_domain("ac me.example"), None);
    }

    fn row(mapping: &[(&str, &str)], default: &str) -> sso_settings::Model {
        let mapping: Vec<SsoRoleMapping> = mapping
            .iter()
            .map(|(v, r)| SsoRoleMapping {
                claim_value: (*v).to_owned(),
                role: (*r).to_owned(),
            })
            .collect();
        sso_settings::Model {
            organization_id: Uuid::nil(),
            enabled: true,
            issuer_url: String::new(),
            client_id: String::new(),
            sealed_client_secret: None,
            allowed_domains: "[]".to_owned(),
            role_claim: Some("groups".to_owned()),
            role_mapping: serde_json::to_string(&mapping).expect("json"),
            default_role: default.to_owned(),
            sso_required: false,
            break_glass_user_id: None,
            updated_by: None,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_first_mapping_row_the_claim_holds_gives_the_role() {
        let row = row(
            &[("risk", "risk_manager"), ("buyers", "procurement")],
            "auditor",
        );
        let role = |v: Value| mapped_role(&row, Some(&v)).expect("role");
        assert_eq!(role(json!("buyers")), Role::Procurement);
        assert_eq!(role(json!(["buyers", "risk"])), Role::RiskManager);
        assert_eq!(role(json!(["nobody"])), Role::Auditor);
        assert_eq!(role(json!(42)), Role::Auditor);
        assert_eq!(mapped_role(&row, None).expect("role"), Role::Auditor);
    }
}
