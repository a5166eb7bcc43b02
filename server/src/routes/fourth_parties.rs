//! Fourth parties: each vendor's subprocessor register (kept by the client, or changed by
//! the vendor through the portal) and the portfolio's concentration.

use assay_core::api::{ErrorResponse, FourthPartiesView, RegisterView};
use assay_core::subprocessor::Subprocessor;
use axum::extract::{Path, Query, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::subprocessors::{self as service, ChangeNotice};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_register, put_register))
        .routes(routes!(get_portal_register, post_portal_notice))
        .routes(routes!(get_fourth_parties))
        .routes(routes!(export_fourth_parties))
}

/// The vendor's subprocessor register (any role): each subprocessor with its data, where
/// it processes and stores it, the transfer mechanism, and its findings (added without the
/// contract's notice; personal data leaving the client's region without adequacy or
/// safeguards, naming the country and what is missing).
#[utoipa::path(get, path = "/api/vendors/{id}/subprocessors", tag = "vendors", params(("id" = Uuid, Path)),
    responses((status = 200, body = RegisterView, example = json!(examples::register())), (status = 404, body = ErrorResponse)))]
async fn get_register(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<RegisterView>> {
    Ok(ApiJson(service::register(&state.ctx(), &user, id).await?))
}

/// Replaces the vendor's register as the client received it (Procurement, Admin): a
/// subprocessor already on it (by name, legal forms and accents aside) is updated, a new
/// one added, one left out is removed today. A row that is not sane is refused naming it
/// (`subprocessors[2].name`), and nothing is saved.
#[utoipa::path(put, path = "/api/vendors/{id}/subprocessors", tag = "vendors", params(("id" = Uuid, Path)),
    request_body(content = Vec<Object>, example = json!(examples::register()["subprocessors"].as_array().map(|rows| rows.iter().map(|r| r["entry"].clone()).collect::<Vec<_>>()))),
    responses((status = 200, body = RegisterView, example = json!(examples::register())), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn put_register(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<Vec<Subprocessor>>,
) -> Result<ApiJson<RegisterView>> {
    Ok(ApiJson(
        service::replace(&state.ctx(), &user, id, body).await?,
    ))
}

/// The vendor's register as the client holds it, for the vendor (without the client's
/// findings).
#[utoipa::path(get, path = "/api/portal/subprocessors", tag = "portal",
    responses((status = 200, body = RegisterView, example = json!(examples::portal_register())), (status = 401, body = ErrorResponse)))]
async fn get_portal_register(
    State(state): State<AppState>,
    vendor: VendorCaller,
) -> Result<ApiJson<RegisterView>> {
    Ok(ApiJson(
        service::portal_register(&state.ctx(), &vendor).await?,
    ))
}

/// The vendor's change notice: `{"change": "add", "subprocessor": {...}}` (notice given
/// today unless an earlier `notice_given_on` is named) or `{"change": "remove", "name"}`.
/// Dated and audited; a subprocessor added inside the contract's notice period, or whose
/// transfers lack a mechanism, becomes a finding on the vendor's scorecard.
#[utoipa::path(post, path = "/api/portal/subprocessors", tag = "portal",
    request_body(content = ChangeNotice, example = json!({ "change": "add", "subprocessor": examples::register()["subprocessors"][0]["entry"].clone() })),
    responses((status = 200, body = RegisterView, example = json!(examples::portal_register())), (status = 401, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn post_portal_notice(
    State(state): State<AppState>,
    vendor: VendorCaller,
    ApiJson(body): ApiJson<ChangeNotice>,
) -> Result<ApiJson<RegisterView>> {
    Ok(ApiJson(
        service::portal_notice(&state.ctx(), &vendor, body).await?,
    ))
}

/// Which fourth parties the portfolio depends on (any role): the subprocessors and the
/// countries many active vendors share, most vendors first, with the tiers of the vendors
/// behind each ("14 vendors, 3 of them Critical, depend on Amazon Web Services."). The
/// subprocessors come 50 a page (`subprocessors_total` counts them all; pass `next` as
/// `after` for the following page); the countries all on every page.
#[utoipa::path(get, path = "/api/fourth-parties", tag = "vendors",
    params(("after" = Option<String>, Query, description = "The `next` of the page before")),
    responses((status = 200, body = FourthPartiesView, example = json!(examples::fourth_parties())), (status = 401, body = ErrorResponse),
        (status = 422, description = "`after` is not the `next` of a page", body = ErrorResponse)))]
async fn get_fourth_parties(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<PageQuery>,
) -> Result<ApiJson<FourthPartiesView>> {
    Ok(ApiJson(
        service::fourth_parties(&state.ctx(), &user, query.after.as_deref()).await?,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
struct PageQuery {
    after: Option<String>,
}

/// The concentration view as CSV (any role): one row per subprocessor, then one per
/// country, with how many vendors depend on it, how many of each tier, and which vendors.
/// Cells that start like a formula are defused.
#[utoipa::path(get, path = "/api/fourth-parties/export.csv", tag = "exports",
    responses((status = 200, content_type = "text/csv", description = "The concentration view, as an attachment",
        example = json!("Kind,Name,Vendors,Critical,High,Medium,Low,Which\r\nSubprocessor,Amazon Web Services EMEA SARL,2,1,1,0,0,Northwind Payroll Ltd; Contoso Hosting\r\n")),
        (status = 401, body = ErrorResponse)))]
async fn export_fourth_parties(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<axum::response::Response> {
    let view = service::portfolio(&state.ctx(), &user).await?;
    crate::routes::exports::download(
        "text/csv; charset=utf-8",
        "fourth-parties.csv",
        service::concentration_csv(&view),
    )
}
