//! The organisation's settings: schedules (reminders, expiry alerts and the reassessment
//! cadence), exchange rates, the contract policy, and the regulatory presets and adequacy
//! lists Assay ships.

use assay_core::api::{ErrorResponse, ExchangeRatesRequest, ExchangeRatesView};
use assay_core::contract::ContractPolicy;
use assay_core::regime::ClientProfile;
use assay_core::schedule::ScheduleSettings;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::{contracts, exchange_rates, regulation, schedules, subprocessors};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_schedules, put_schedules))
        .routes(routes!(get_exchange_rates, put_exchange_rates))
        .routes(routes!(get_regimes))
        .routes(routes!(get_adequacy))
        .routes(routes!(get_policy, put_policy))
        .routes(routes!(get_client_profile, put_client_profile))
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

/// The regulatory presets Assay ships (versioned data in `core/data/regimes.json`): for each
/// regime (GDPR, UK GDPR, NIS2, DORA, HIPAA, the SEC's Form 8-K Item 1.05) the instrument and
/// its source, when it applies (client region and sector, data handled), and its clocks: the
/// article, who reports to whom, from when, within what, and how the wording was checked.
#[utoipa::path(get, path = "/api/settings/regimes", tag = "settings",
    responses((status = 200, body = Object, example = json!(examples::regimes())), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn get_regimes(user: UserCaller) -> Result<ApiJson<serde_json::Value>> {
    Ok(ApiJson(regulation::regimes(&user)?))
}

/// The adequacy lists Assay ships (`core/data/adequacy.json`), one per client region (EEA, UK,
/// Switzerland): each dated, with its authority and sources, whether it is known to be
/// complete, and each adequate country with its decision and any condition (e.g. only
/// recipients certified under the Data Privacy Framework).
#[utoipa::path(get, path = "/api/settings/adequacy", tag = "settings",
    responses((status = 200, body = Object, example = json!(examples::adequacy())), (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn get_adequacy(user: UserCaller) -> Result<ApiJson<serde_json::Value>> {
    Ok(ApiJson(regulation::adequacy(&user)?))
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
