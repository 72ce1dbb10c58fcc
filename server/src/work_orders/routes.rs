//! `GET /api/v1/work-orders/{id}` (the order with the names its page and printout need) and
//! `GET`/`PUT /api/v1/sites/{site}/policy` (the site's repair policy).

use super::repo;
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::{ApiError, ApiJson};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use domain::ids::{SiteId, WorkOrderId};
use domain::people::Role;
use domain::work_orders::policy::RepairPolicy;
use domain::work_orders::views::OrderDetail;
use domain::work_orders::{CatalogueMatch, QuoteLine, WorkOrder};
use uuid::Uuid;

pub(crate) fn parse_site(s: &str) -> Result<SiteId, ApiError> {
    SiteId::parse(s)
        .map_err(|_| ApiError::coded(StatusCode::BAD_REQUEST, "bad_site_id", "not a site id"))
}

/// The site in the path, which the signed-in staff member must be assigned to.
pub(crate) fn parse_own_site(
    auth: &crate::auth::extract::Authenticated,
    s: &str,
) -> Result<SiteId, ApiError> {
    let site = parse_site(s)?;
    auth.require_site(site)?;
    Ok(site)
}

/// Roles that see only the orders they take part in (as in pull).
fn sees_own_only(role: Role) -> bool {
    matches!(role, Role::Tech | Role::Patrol | Role::Security)
}

/// Everyone the order names: creator, assignee, the history, the reply, visits, fee decisions.
fn named_staff(o: &WorkOrder) -> Vec<Uuid> {
    let mut ids = vec![o.created_by.0];
    ids.extend(o.assignee.map(|a| a.0));
    ids.extend(o.history.iter().map(|h| h.by.0));
    ids.extend(o.reply.iter().map(|r| r.by.0));
    ids.extend(o.attempts.iter().map(|a| a.by.0));
    ids.extend(o.fee_approvals.iter().map(|a| a.by.0));
    ids.sort();
    ids.dedup();
    ids
}

/// The catalogue and supplier codes the order names.
fn named_items(o: &WorkOrder) -> Vec<String> {
    let mut codes: Vec<String> = o
        .lines
        .iter()
        .filter_map(|l| match l {
            QuoteLine::Item { code, .. } => Some(code.clone()),
            QuoteLine::Material { .. } => None,
        })
        .collect();
    match &o.matched {
        CatalogueMatch::Catalogue { code } | CatalogueMatch::Supplier { code } => {
            codes.push(code.clone())
        }
        CatalogueMatch::None => {}
    }
    codes.extend(o.referred_to.clone());
    codes.sort();
    codes.dedup();
    codes
}

pub async fn detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<OrderDetail>, ApiError> {
    let id = WorkOrderId::parse(&id).map_err(|_| ApiError::bad_id())?;
    let mut conn = state.pool.acquire().await?;
    let row = repo::detail(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("work order"))?;
    let order = row.stored.order;
    auth.require_site(order.site_id)?;
    let me = auth.profile();
    if sees_own_only(me.role) && !named_staff(&order).contains(&me.staff_id.0) {
        return Err(AccessError::Forbidden.into());
    }
    let staff_names = repo::staff_names(&mut conn, &named_staff(&order)).await?;
    let item_names = repo::item_names(&mut conn, order.site_id, &named_items(&order)).await?;
    let policy = repo::policy(&mut conn, order.site_id).await?;
    Ok(Json(OrderDetail {
        version: row.stored.version,
        site_name: row.site_name,
        unit_label: row.unit_label,
        staff_names,
        item_names,
        policy,
        received_at: row.received_at,
        updated_at: row.updated_at,
        order,
    }))
}

pub async fn get_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<RepairPolicy>, ApiError> {
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::policy(&mut conn, site).await?))
}

pub async fn put_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(policy): ApiJson<RepairPolicy>,
) -> Result<Json<RepairPolicy>, ApiError> {
    if !matches!(auth.profile().role, Role::CenterMgr | Role::Admin) {
        return Err(AccessError::Forbidden.into());
    }
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    policy.validate().map_err(|reason| {
        ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, "invalid_policy", reason)
    })?;
    let mut conn = state.pool.acquire().await?;
    if repo::site_name(&mut conn, site).await?.is_none() {
        return Err(ApiError::coded(
            StatusCode::NOT_FOUND,
            "site_not_found",
            "site not found",
        ));
    }
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
