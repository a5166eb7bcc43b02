//! Single sign-on with OpenID Connect: the redirect to the organisation's provider and the
//! callback it sends the browser back to. Both are browser navigations, so they answer with
//! redirects: to the provider, to `/` once signed in, or to `/sign-in?sso_error=<code>`.

use assay_core::api::ErrorResponse;
use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;
use tower_sessions::cookie::{Cookie, SameSite};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::session;
use crate::error::{Error, Result};
use crate::services::sso::{self, CallbackParams, MAX_PARAMETER_LEN, STATE_COOKIE};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_oidc))
        .routes(routes!(oidc_callback))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct StartQuery {
    /// The organisation's slug.
    #[param(example = "acme")]
    organization: Option<String>,
}

/// The query the provider sends back (RFC 6749 §4.1.2), read by hand so that any garbage
/// gets this API's error format.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters; the handler reads the raw query
struct CallbackQuery {
    /// The authorization code.
    #[param(example = "SplxlOBeZQQYbYS6WxSbIA")]
    code: Option<String>,
    /// The `state` Assay sent.
    #[param(example = "af0ifjsldkj")]
    state: Option<String>,
    /// The provider's error code, when the user or the provider refused.
    #[param(example = "access_denied")]
    error: Option<String>,
}

fn redirect(to: &str) -> Response {
    let mut response = axum::http::StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn sign_in_page(code: &str) -> Response {
    redirect(&format!("/sign-in?sso_error={code}"))
}

/// Starts single sign-on for an organisation: redirects (303) to its provider's
/// authorization endpoint (authorization code flow, PKCE S256, `state` and `nonce`) and sets
/// a short-lived cookie tying the attempt to this browser. When the organisation has no
/// single sign-on, redirects to `/sign-in?sso_error=not_configured` (or
/// `unknown_organization`, `provider_unavailable`).
#[utoipa::path(get, path = "/api/auth/oidc/start", tag = "auth", params(StartQuery),
    responses((status = 303, description = "To the provider's sign-in page", headers(("Location" = String, description = "e.g. https://login.acme.example/realms/staff/protocol/openid-connect/auth?response_type=code&client_id=assay&state=…&code_challenge=…&code_challenge_method=S256&redirect_uri=…&scope=openid+email+profile&nonce=…")))))]
async fn start_oidc(
    State(state): State<AppState>,
    Query(query): Query<StartQuery>,
) -> Result<Response> {
    let slug = query.organization.unwrap_or_default();
    let started = sso::start(&state.ctx(), &state.master_key, &state.sso, &slug).await?;
    let (url, sso_state) = match started {
        Ok(started) => started,
        Err(failure) => {
            tracing::info!(code = failure.code, reason = %failure.reason, "single sign-on not started");
            return Ok(sign_in_page(failure.code));
        }
    };
    let cookie = Cookie::build((STATE_COOKIE, sso_state))
        .path("/api/auth/oidc")
        .http_only(true)
        // Lax: the provider's redirect back is a top-level navigation from another site.
        .same_site(SameSite::Lax)
        .secure(state.settings.cookie_secure)
        .max_age(time::Duration::minutes(10))
        .build();
    let mut response = redirect(&url);
    let cookie = HeaderValue::from_str(&cookie.to_string()).map_err(Error::internal)?;
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

fn browser_state(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(std::result::Result::ok)
        .find(|c| c.name() == STATE_COOKIE)
        .map(|c| c.value().to_owned())
}

fn parse_callback(raw: Option<&str>) -> Result<CallbackParams> {
    let too_long = || Error::BadRequest {
        code: "invalid_callback",
        message: "This sign-in link is malformed. Start single sign-on again.".to_owned(),
    };
    let raw = raw.unwrap_or_default();
    if raw.len() > 4 * MAX_PARAMETER_LEN {
        return Err(too_long());
    }
    let mut params = CallbackParams::default();
    for (name, value) in openidconnect::url::form_urlencoded::parse(raw.as_bytes()) {
        if value.len() > MAX_PARAMETER_LEN || value.chars().any(char::is_control) {
            return Err(too_long());
        }
        let slot = match name.as_ref() {
            "code" => &mut params.code,
            "state" => &mut params.state,
            "error" => &mut params.error,
            _ => continue,
        };
        if slot.is_some() {
            return Err(too_long());
        }
        *slot = Some(value.into_owned());
    }
    Ok(params)
}

/// Where the provider sends the browser back (register `<public_url>/api/auth/oidc/callback`
/// at the provider). Exchanges the code, validates the ID token (issuer, audience, expiry,
/// signature against the provider's JWKS, nonce), checks the email's domain, provisions the
/// user on first sign-in with the mapped role, starts the session and redirects (303) to
/// `/`. A refused sign-in redirects to `/sign-in?sso_error=<code>` (`state_invalid`,
/// `provider_refused`, `provider_unavailable`, `token_invalid`, `token_expired`,
/// `email_missing`, `email_unverified`, `domain_not_allowed`, `account_elsewhere`,
/// `account_deactivated`, `not_configured`) and is audited with the reason; a malformed
/// query is a 400 (`invalid_callback`).
#[utoipa::path(get, path = "/api/auth/oidc/callback", tag = "auth", params(CallbackQuery),
    responses(
        (status = 303, description = "Signed in: to `/`; refused: to `/sign-in?sso_error=<code>`", headers(("Location" = String, description = "e.g. /sign-in?sso_error=domain_not_allowed"))),
        (status = 400, description = "Malformed query (`invalid_callback`)", body = ErrorResponse, example = json!({ "error": { "code": "invalid_callback", "message": "This sign-in link is malformed. Start single sign-on again.", "field": null } })),
    ))]
async fn oidc_callback(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    let params = parse_callback(query.as_deref())?;
    let browser = browser_state(&headers);
    let outcome = sso::callback(
        &state.ctx(),
        &state.master_key,
        &state.sso,
        params,
        browser.as_deref(),
    )
    .await?;
    match outcome {
        Ok(user) => {
            session::sign_in(&session, user.id, user.session_epoch).await?;
            Ok(redirect("/"))
        }
        Err(failure) => Ok(sign_in_page(failure.code)),
    }
}
