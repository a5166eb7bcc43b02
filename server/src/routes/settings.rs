//! The organisation's schedules: reminders, expiry alerts and the reassessment cadence.

use assay_core::api::ErrorResponse;
use assay_core::schedule::ScheduleSettings;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::services::schedules;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_schedules, put_schedules))
}

/// When Assay reminds vendor contacts, alerts vendor owners of expiring evidence and
/// prepares reassessments (the defaults until an Admin changes them).
#[utoipa::path(get, path = "/api/settings/schedules", tag = "settings",
    responses((status = 200, body = ScheduleSettings, example = json!({
        "reminders_enabled": true, "reminder_days": [7, 3, 1], "expiry_alert_days": [30, 7, 1],
        "reassessment_enabled": true,
        "reassessment_months": { "critical": 6, "high": 12, "medium": 24, "low": 36 },
        "auto_send_reassessments": false, "reassessment_due_days": 30
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
        "auto_send_reassessments": true, "reassessment_due_days": 21
    })),
    responses((status = 200, body = ScheduleSettings, example = json!({
        "reminders_enabled": true, "reminder_days": [14, 7, 1], "expiry_alert_days": [60, 30, 7],
        "reassessment_enabled": true,
        "reassessment_months": { "critical": 6, "high": 12, "medium": 24, "low": 36 },
        "auto_send_reassessments": true, "reassessment_due_days": 21
    })), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn put_schedules(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ScheduleSettings>,
) -> Result<ApiJson<ScheduleSettings>> {
    Ok(ApiJson(schedules::put(&state.ctx(), &user, body).await?))
}
