//! The organisation's settings: schedules (reminders, expiry alerts and the reassessment
//! cadence), exchange rates, the contract policy, and the regulatory presets and adequacy
//! lists Assay ships.

use assay_core::api::{
    AdequacyView, ErrorResponse, ExchangeRatesRequest, ExchangeRatesView, RegimesView,
    SsoSettingsRequest, SsoSettingsView,
};
use assay_core::contract::ContractPolicy;
use assay_core::regime::{ClientProfile, RegimeOverrides};
use assay_core::schedule::ScheduleSettings;
use assay_core::transfer::AdequacyLists;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::{contracts, exchange_rates, regulation, schedules, sso, subprocessors};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_schedules, put_schedules))
        .routes(routes!(get_exchange_rates, put_exchange_rates))
        .routes(routes!(get_regimes, put_regimes))
        .routes(routes!(get_adequacy, put_adequacy))
        .routes(routes!(get_policy, put_policy))
        .routes(routes!(get_client_profile, put_client_profile))
        .routes(routes!(get_sso, put_sso))
}

/// The organisation's single sign-on (OpenID Connect) settings (Admin): the provider's
/// issuer, Assay's client id there (`has_secret` says whether a client secret is stored; it
/// is never shown), the email domains allowed, the claim that maps to a role for new users
/// and the default role, whether password sign-in is refused ("SSO required") and the
/// break-glass Admin who may still use a password. `redirect_uri` is what to register at
/// the provider.
#[utoipa::path(get, path = "/api/settings/sso", tag = "settings",
    responses((status = 200, body = SsoSettingsView, example = json!(examples::sso_settings())), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn get_sso(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<SsoSettingsView>> {
    Ok(ApiJson(sso::get(&state.ctx(), &user).await?))
}

/// Replaces the single sign-on settings (Admin). `client_secret` left out keeps the stored
/// one (it is sealed with the master key). The issuer must be https (http only to
/// 127.0.0.1 or localhost); roles are `admin`, `procurement`, `risk_manager`, `auditor`;
/// `sso_required` needs `break_glass_user_id`, an active Admin. A refused value is named in
/// `field` (`role_mapping[1].role`). Audited, without the secret.
#[utoipa::path(put, path = "/api/settings/sso", tag = "settings",
    request_body(content = SsoSettingsRequest, example = json!(examples::sso_settings_request())),
    responses((status = 200, body = SsoSettingsView, example = json!(examples::sso_settings())), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_sso(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<SsoSettingsRequest>,
) -> Result<ApiJson<SsoSettingsView>> {
    Ok(ApiJson(
        sso::put(&state.ctx(), &state.master_key, &user, body).await?,
    ))
}

/// The organisation's own profile: its country (whose region, EEA, UK or Switzerland,
/// transfers of personal data are judged from), its sectors (which select regulatory
/// regimes) and the hours it keeps between a vendor's notice and its own deadline. `null`
/// until an Admin sets it; until then only the contract's change notice is checked on
/// subprocessor registers.
#[utoipa::path(get, path = "/api/settings/client-profile", tag = "settings",
    responses((status = 200, body = Object, example = json!({ "country": "DE", "sectors": ["financial_entity"], "margin_hours": 24 })), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn get_client_profile(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<Option<ClientProfile>>> {
    Ok(ApiJson(subprocessors::profile(&state.ctx(), &user).await?))
}

/// Sets the organisation's profile (Admin); every submitted assessment's scorecard is
/// recorded again (transfers are judged from the new region).
#[utoipa::path(put, path = "/api/settings/client-profile", tag = "settings",
    request_body(content = Object, example = json!({ "country": "DE", "sectors": ["financial_entity"], "margin_hours": 24 })),
    responses((status = 200, body = Object, example = json!({ "country": "DE", "sectors": ["financial_entity"], "margin_hours": 24 })), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_client_profile(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ClientProfile>,
) -> Result<ApiJson<ClientProfile>> {
    Ok(ApiJson(
        subprocessors::set_profile(&state.ctx(), &user, body).await?,
    ))
}

/// The organisation's contract policy: terms every vendor in a rule's scope must have in
/// its contract (a DPA for vendors handling personal data, a minimum liability cap…). A
/// contract that lacks one, or sets it too weakly, is a finding on the vendor that holds
/// its residual tier up. No rules until an Admin sets them.
#[utoipa::path(get, path = "/api/settings/policy", tag = "settings",
    responses((status = 200, body = Object, example = json!(examples::contract_policy())), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn get_policy(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<ContractPolicy>> {
    Ok(ApiJson(contracts::policy(&state.ctx(), &user).await?))
}

/// Replaces the contract policy (Admin). Each rule: `scope` (any of `data_types`,
/// `min_tier`, `min_criticality`; empty: every vendor), `require` (a term, with its figure
/// where it has one) and an optional `severity`. A rule that cannot be checked is refused
/// naming it; every submitted assessment's scorecard is recorded again under the new policy.
#[utoipa::path(put, path = "/api/settings/policy", tag = "settings",
    request_body(content = Object, example = json!(examples::contract_policy())),
    responses((status = 200, body = Object, example = json!(examples::contract_policy())), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_policy(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ContractPolicy>,
) -> Result<ApiJson<ContractPolicy>> {
    Ok(ApiJson(
        contracts::set_policy(&state.ctx(), &user, body).await?,
    ))
}

/// The regulatory regimes the organisation judges incidents and contracts by: the presets
/// Assay ships (versioned data in `core/data/regimes.json`: GDPR, UK GDPR, NIS2, DORA, HIPAA,
/// the SEC's Form 8-K Item 1.05) with the organisation's changes. Each regime has its
/// instrument and source, when it applies (client region and sector, data handled), and its
/// clocks: the article, who reports to whom, from when, within what, and how the wording was
/// checked (`organisation` for a clock the organisation changed). `overrides` are the
/// changes themselves.
#[utoipa::path(get, path = "/api/settings/regimes", tag = "settings",
    responses((status = 200, body = Object, example = json!(examples::regimes())), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn get_regimes(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<RegimesView>> {
    Ok(ApiJson(regulation::regimes(&state.ctx(), &user).await?))
}

/// Replaces the organisation's changes to the presets (Admin): by regime id, `enabled:
/// false` leaves a regime out; by clock id, a `limit` (`{"hours": 48}`, `{"calendar_days":
/// 3}`, `{"business_days": 4}`, `{"months": 1}`) or `without_undue_delay` replaces the
/// preset's. A regime or clock the presets lack, or a clock left without any limit, is
/// refused naming it. `{"regimes": {}}` returns to the presets.
#[utoipa::path(put, path = "/api/settings/regimes", tag = "settings",
    request_body(content = Object, example = json!(examples::regime_overrides())),
    responses((status = 200, body = Object, example = json!(examples::regimes())), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_regimes(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<RegimeOverrides>,
) -> Result<ApiJson<RegimesView>> {
    Ok(ApiJson(
        regulation::set_regimes(&state.ctx(), &user, body).await?,
    ))
}

/// The adequacy lists transfers of personal data are judged by, one per client region (EEA,
/// UK, Switzerland): the lists Assay ships (`core/data/adequacy.json`) until an Admin saves
/// the organisation's own (`edited`). Each list is dated, with its authority and sources,
/// whether it is known to be complete, and each adequate country with its decision and any
/// condition (e.g. only recipients certified under the Data Privacy Framework).
#[utoipa::path(get, path = "/api/settings/adequacy", tag = "settings",
    responses((status = 200, body = Object, example = json!(examples::adequacy())), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn get_adequacy(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<AdequacyView>> {
    Ok(ApiJson(regulation::adequacy(&state.ctx(), &user).await?))
}

/// Saves the organisation's own adequacy lists (Admin; `version` and `lists` as `GET`
/// returns them). A list that is not sane is refused naming the field
/// (`lists[0].entries[3].source`). `changes` names each country whose status changes today
/// and how many vendors have a subprocessor there: for transfers out of the organisation's
/// region, those vendors' submitted scorecards are recorded again today.
#[utoipa::path(put, path = "/api/settings/adequacy", tag = "settings",
    request_body(content = Object, example = json!(examples::adequacy_lists())),
    responses((status = 200, body = Object, example = json!(examples::adequacy())), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_adequacy(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<AdequacyLists>,
) -> Result<ApiJson<AdequacyView>> {
    Ok(ApiJson(
        regulation::set_adequacy(&state.ctx(), &user, body).await?,
    ))
}

/// When Assay reminds vendor contacts, alerts vendor owners of expiring evidence and
/// prepares reassessments (the defaults until an Admin changes them).
#[utoipa::path(get, path = "/api/settings/schedules", tag = "settings",
    responses((status = 200, body = ScheduleSettings, example = json!({
        "reminders_enabled": true, "reminder_days": [7, 3, 1], "expiry_alert_days": [30, 7, 1],
        "reassessment_enabled": true,
        "reassessment_months": { "critical": 6, "high": 12, "medium": 24, "low": 36 },
        "auto_send_reassessments": false, "reassessment_due_days": 30, "renewal_notice_days": [90, 30]
    })), (status = 403, body = ErrorResponse)))]
async fn get_schedules(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<ScheduleSettings>> {
    Ok(ApiJson(schedules::get(&state.ctx(), &user).await?))
}

/// Replaces the schedules (Admin). Day lists are stored from the earliest notice down,
/// without repeats; the change is audited with the values before and after.
#[utoipa::path(put, path = "/api/settings/schedules", tag = "settings",
    request_body(content = ScheduleSettings, example = json!({
        "reminders_enabled": true, "reminder_days": [14, 7, 1], "expiry_alert_days": [60, 30, 7],
        "reassessment_enabled": true,
        "reassessment_months": { "critical": 6, "high": 12, "medium": 24, "low": 36 },
        "auto_send_reassessments": true, "reassessment_due_days": 21, "renewal_notice_days": [120, 60, 30]
    })),
    responses((status = 200, body = ScheduleSettings, example = json!({
        "reminders_enabled": true, "reminder_days": [14, 7, 1], "expiry_alert_days": [60, 30, 7],
        "reassessment_enabled": true,
        "reassessment_months": { "critical": 6, "high": 12, "medium": 24, "low": 36 },
        "auto_send_reassessments": true, "reassessment_due_days": 21, "renewal_notice_days": [120, 60, 30]
    })), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_schedules(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ScheduleSettings>,
) -> Result<ApiJson<ScheduleSettings>> {
    Ok(ApiJson(schedules::put(&state.ctx(), &user, body).await?))
}

/// The exchange-rate table scoring converts amounts with (the newest an Admin saved) and
/// the earlier ones. Without a table, amounts compare only within one currency.
#[utoipa::path(get, path = "/api/settings/exchange-rates", tag = "settings",
    responses((status = 200, body = ExchangeRatesView, example = json!({
        "current": { "base": "EUR", "quoted_on": "2026-12-01",
            "rates": [{ "currency": "GBP", "rate": 1.17 }, { "currency": "USD", "rate": 0.92 }],
            "recorded_by": "Priya Shah", "recorded_at": "2026-12-01T09:12:00Z" },
        "earlier": []
    })), (status = 403, body = ErrorResponse)))]
async fn get_exchange_rates(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<ExchangeRatesView>> {
    Ok(ApiJson(exchange_rates::get(&state.ctx(), &user).await?))
}

/// Saves a new exchange-rate table (Admin): the value of one unit of each currency in the
/// base, quoted for a day. The earlier tables are kept; the change is audited, and every
/// submitted scorecard is recorded again with the new rates by the scheduler's next sweep.
#[utoipa::path(put, path = "/api/settings/exchange-rates", tag = "settings",
    request_body(content = ExchangeRatesRequest, example = json!({
        "base": "EUR", "quoted_on": "2026-12-01",
        "rates": [{ "currency": "USD", "rate": 0.92 }, { "currency": "GBP", "rate": 1.17 }]
    })),
    responses((status = 200, body = ExchangeRatesView, example = json!({
        "current": { "base": "EUR", "quoted_on": "2026-12-01",
            "rates": [{ "currency": "GBP", "rate": 1.17 }, { "currency": "USD", "rate": 0.92 }],
            "recorded_by": "Priya Shah", "recorded_at": "2026-12-01T09:12:00Z" },
        "earlier": []
    })), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_exchange_rates(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ExchangeRatesRequest>,
) -> Result<ApiJson<ExchangeRatesView>> {
    Ok(ApiJson(
        exchange_rates::put(&state.ctx(), &user, body).await?,
    ))
}
