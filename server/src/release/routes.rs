//! The release-pass REST API. Every handler checks the role and the site.
//!
//! - `GET /api/v1/sites/{site}/release/passes?status=issued|used|void&q=…` (desk, managers,
//!   security, admin), `POST` the same path (desk, customer-service and centre managers):
//!   issue a pass; 409 `unpaid_fees` while the unit has an open bill
//! - `GET /api/v1/release/passes/{id}`, `POST /api/v1/release/passes/{id}/void` (reason),
//!   `GET /api/v1/release/passes/{id}/qr.svg` (the code printed on the 通知联)
//! - `GET /api/v1/release/units/{unit}/bills`: what blocks a pass for the unit now
//! - `GET/PUT /api/v1/sites/{site}/release/policy` (C25; PUT: centre manager, admin)
//! - `GET/POST /api/v1/sites/{site}/release/other-bills` (finance records, the desk reads),
//!   `POST /api/v1/release/other-bills/{id}/clear` (finance)

use super::repo::{self, StoredPass};
use crate::auth::extract::allow;
use crate::auth::extract::Authenticated;
use crate::http::parse_id;
use crate::http::require_site_exists;
use crate::http::{ApiError, ApiJson};
use crate::work_orders::repo as wo_repo;
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Datelike, Utc};
use domain::ids::UnitId;
use domain::people::{IdCardNumber, Role};
use domain::release::pass::{
    apply_pass, issue, may_issue, may_read, IssueFacts, PassCommand, ReleaseError, SERIAL_PREFIX,
};
use domain::release::policy::ReleasePolicy;
use domain::release::views::{
    NewPassRequest, OtherBillInput, OtherBillView, PassView, UnitBills, VoidRequest,
};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sites/{site}/release/passes",
            get(list).post(create),
        )
        .route("/api/v1/release/passes/{id}", get(detail))
        .route("/api/v1/release/passes/{id}/void", post(void))
        .route("/api/v1/release/passes/{id}/qr.svg", get(qr))
        .route("/api/v1/release/units/{unit}/bills", get(unit_bills))
        .route(
            "/api/v1/sites/{site}/release/policy",
            get(get_policy).put(put_policy),
        )
        .route(
            "/api/v1/sites/{site}/release/other-bills",
            get(list_other_bills).post(record_other_bill),
        )
        .route(
            "/api/v1/release/other-bills/{id}/clear",
            post(clear_other_bill),
        )
}

/// A domain refusal as an HTTP answer; nothing was changed.
pub fn refusal(e: ReleaseError) -> ApiError {
    let status = match e {
        ReleaseError::UnpaidFees { .. } | ReleaseError::AlreadyUsed | ReleaseError::Void => {
            StatusCode::CONFLICT
        }
        ReleaseError::Forbidden | ReleaseError::SiteForbidden => StatusCode::FORBIDDEN,
        ReleaseError::NotIssued | ReleaseError::UnitNotInSite => StatusCode::NOT_FOUND,
        ReleaseError::AlreadyExists => StatusCode::CONFLICT,
        ReleaseError::IdentityIncomplete
        | ReleaseError::PhoneConfirmationNotAllowed
        | ReleaseError::NoItems
        | ReleaseError::SignatureMissing
        | ReleaseError::InvalidInput { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::coded(status, e.code(), e.to_string())
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    #[serde(default)]
    q: String,
}

pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<PassView>>, ApiError> {
    allow(may_read(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s @ ("issued" | "used" | "void")) => Some(s),
        Some(_) => {
            return Err(ApiError::coded(
                StatusCode::BAD_REQUEST,
                "bad_status",
                "status is issued, used or void",
            ))
        }
    };
    let q_text: String = q.q.trim().chars().take(32).collect();
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::list(&mut conn, site, status, &q_text, 200).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(req): ApiJson<NewPassRequest>,
) -> Result<(StatusCode, Json<PassView>), ApiError> {
    allow(may_issue(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let actor = auth.actor();
    let now = Utc::now();
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    // The same request again (a double tap, a retry after a lost answer): its pass.
    if let Some(existing) = repo::view_of(&mut tx, req.id).await? {
        if existing.pass.site_id == site && existing.pass.unit_id == req.draft.unit_id {
            return Ok((StatusCode::OK, Json(existing)));
        }
        return Err(refusal(ReleaseError::AlreadyExists));
    }
    let unit = crate::reference::repo::unit_site_and_label(&mut tx, req.draft.unit_id)
        .await?
        .filter(|(s, _)| *s == site);
    let policy = repo::policy(&mut tx, site).await?;
    let open_bills = match &unit {
        Some(_) => repo::open_bills(&mut tx, req.draft.unit_id, &policy).await?,
        None => Vec::new(),
    };
    let sha = req.draft.handler_signature.sha256.clone();
    let signature_uploaded = !crate::sync::repo::complete_blobs(&mut tx, &[sha])
        .await?
        .is_empty();
    let facts = IssueFacts {
        unit,
        open_bills,
        policy,
        handler_name: repo::staff_name(&mut tx, actor.staff_id).await?,
        signature_uploaded,
    };
    // Checked first with a placeholder, so a refused draft uses no serial number.
    issue(req.id, String::new(), &req.draft, &actor, &facts, now).map_err(refusal)?;
    let mover_id = IdCardNumber::parse(&req.draft.mover_id_number).map_err(|_| {
        refusal(ReleaseError::InvalidInput {
            field: "mover_id_number",
            reason: "not a valid ID card number",
        })
    })?;
    let china = now + chrono::Duration::hours(8);
    let period = format!("{:04}-{:02}", china.year(), china.month());
    // In this transaction: a refused or failed issue leaves no gap in the printed numbers
    // (S3 篇1: serially numbered, none lost); only the desk issues, so the row is not hot.
    let n = wo_repo::reserve_serials(&mut tx, site, SERIAL_PREFIX, &period, 1).await?;
    let pass = issue(
        req.id,
        domain::release::pass::serial(&period, n),
        &req.draft,
        &actor,
        &facts,
        now,
    )
    .map_err(refusal)?;
    repo::insert(&mut tx, &pass, mover_id.as_str(), now).await?;
    let stored = StoredPass { pass, version: 1 };
    super::sync::feed(&mut tx, &[&stored], now).await?;
    let view = repo::view_of(&mut tx, req.id)
        .await?
        .ok_or_else(|| ApiError::not_found("pass"))?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn readable(
    conn: &mut sqlx::PgConnection,
    auth: &Authenticated,
    id: &str,
) -> Result<PassView, ApiError> {
    allow(may_read(auth.profile().role))?;
    let id = parse_id(id)?;
    let v = repo::view_of(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("pass"))?;
    auth.require_site(v.pass.site_id)?;
    Ok(v)
}

pub async fn detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<PassView>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(readable(&mut conn, &auth, &id).await?))
}

pub async fn void(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<VoidRequest>,
) -> Result<Json<PassView>, ApiError> {
    allow(may_issue(auth.profile().role))?;
    let id = parse_id(&id)?;
    let now = Utc::now();
    let mut tx = state.pool.begin().await?;
    // Locked: a push using the pass at the same moment takes turns with this.
    let current = repo::lock(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("pass"))?;
    auth.require_site(current.pass.site_id)?;
    let cmd = PassCommand::Void { reason: req.reason };
    let pass = apply_pass(Some(&current.pass), &cmd, &auth.actor(), now).map_err(refusal)?;
    let stored = StoredPass {
        pass,
        version: current.version + 1,
    };
    repo::update(&mut tx, &[&stored], now).await?;
    super::sync::feed(&mut tx, &[&stored], now).await?;
    let view = repo::view_of(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("pass"))?;
    tx.commit().await?;
    Ok(Json(view))
}

pub async fn qr(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let v = readable(&mut conn, &auth, &id).await?;
    let svg = crate::patrol::qr::label_svg(&v.pass.number, &v.pass.unit_label).map_err(|e| {
        ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "qr_failed",
            format!("the number cannot be encoded: {e}"),
        )
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        svg,
    )
        .into_response())
}

pub async fn unit_bills(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(unit): Path<String>,
) -> Result<Json<UnitBills>, ApiError> {
    allow(may_issue(auth.profile().role))?;
    let unit = UnitId(parse_id(&unit)?);
    let mut conn = state.pool.acquire().await?;
    let (site, unit_label) = crate::reference::repo::unit_site_and_label(&mut conn, unit)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    auth.require_site(site)?;
    let policy = repo::policy(&mut conn, site).await?;
    let open_bills = repo::open_bills(&mut conn, unit, &policy).await?;
    Ok(Json(UnitBills {
        unit_id: unit,
        unit_label,
        open_bills,
        policy,
    }))
}

pub async fn get_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<ReleasePolicy>, ApiError> {
    allow(may_read(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    Ok(Json(repo::policy(&mut conn, site).await?))
}

pub async fn put_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(policy): ApiJson<ReleasePolicy>,
) -> Result<Json<ReleasePolicy>, ApiError> {
    allow(matches!(auth.profile().role, Role::CenterMgr | Role::Admin))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    repo::save_policy(
        &mut conn,
        site,
        &policy,
        auth.profile().staff_id,
        Utc::now(),
    )
    .await?;
    Ok(Json(policy))
}

fn reads_other_bills(role: Role) -> bool {
    matches!(
        role,
        Role::Finance | Role::Desk | Role::CsMgr | Role::CenterMgr | Role::Admin
    )
}

pub async fn list_other_bills(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<OtherBillView>>, ApiError> {
    allow(reads_other_bills(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::other_bills(&mut conn, site, None).await?))
}

pub async fn record_other_bill(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(req): ApiJson<OtherBillInput>,
) -> Result<(StatusCode, Json<OtherBillView>), ApiError> {
    allow(auth.profile().role == Role::Finance)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let description = req.description.trim();
    if description.is_empty() || description.chars().count() > 100 {
        return Err(ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "description: 1 to 100 characters",
        ));
    }
    if !(1..=100_000_000).contains(&req.amount_fen) {
        return Err(ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_out_of_range",
            "the amount is 0.01 to 1,000,000 yuan",
        ));
    }
    let mut tx = state.pool.begin().await?;
    match crate::reference::repo::unit_site_and_label(&mut tx, req.unit_id).await? {
        Some((s, _)) if s == site => {}
        _ => return Err(refusal(ReleaseError::UnitNotInSite)),
    }
    let id = Uuid::now_v7();
    repo::insert_other_bill(
        &mut tx,
        id,
        site,
        req.unit_id,
        description,
        req.amount_fen,
        auth.profile().staff_id,
        Utc::now(),
    )
    .await?;
    let view = repo::other_bills(&mut tx, site, Some(&[id]))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("bill"))?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

pub async fn clear_other_bill(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<OtherBillView>, ApiError> {
    allow(auth.profile().role == Role::Finance)?;
    let id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let (site, was_open) = repo::clear_other_bill(&mut tx, id, auth.profile().staff_id, Utc::now())
        .await?
        .ok_or_else(|| ApiError::not_found("bill"))?;
    // Checked before commit: a bill of another site stays as it was.
    auth.require_site(site)?;
    if !was_open {
        return Err(ApiError::coded(
            StatusCode::CONFLICT,
            "already_cleared",
            "this bill is cleared already",
        ));
    }
    let view = repo::other_bills(&mut tx, site, Some(&[id]))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("bill"))?;
    tx.commit().await?;
    Ok(Json(view))
}
