//! `POST /api/v1/sites/{site}/billing/batches` (finance, centre manager),
//! `GET /api/v1/sites/{site}/billing/requests?month=YYYY-MM&overdue=true` (finance, centre
//! manager, customer-service manager, desk) and `POST /api/v1/billing/requests/{id}/pay`
//! (finance only).

use super::repo::{self, Filter, NewRequest};
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::is_unique_violation;
use crate::http::{ApiError, ApiJson};
use crate::work_orders::repo as wo_repo;
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::people::Role;
use domain::work_orders::billing::{build_batch, charge_of, Charge, RequestDraft};
use domain::work_orders::policy::BillingPolicy;
use domain::work_orders::sla::month_bounds;
use domain::work_orders::views::{
    MarkPaidRequest, PaymentRequestView, RunBatchRequest, RunBatchResponse,
};
use serde::Deserialize;
use uuid::Uuid;

fn require_role(auth: &Authenticated, roles: &[Role]) -> Result<(), AccessError> {
    if roles.contains(&auth.profile().role) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

/// The first instant after `day` ends in China.
fn end_of_china_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    (midnight - Duration::hours(8)).and_utc()
}

/// The drafts of a run: one per household and batch, or one per job where residents pay at the
/// finance office.
fn drafts(charges: &[Charge], issued_on: NaiveDate, policy: &BillingPolicy) -> Vec<RequestDraft> {
    match policy {
        BillingPolicy::Monthly { .. } => build_batch(charges, issued_on, policy),
        BillingPolicy::AtFinance => charges
            .iter()
            .flat_map(|c| build_batch(std::slice::from_ref(c), issued_on, policy))
            .collect(),
    }
}

pub async fn run_batch(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(req): ApiJson<RunBatchRequest>,
) -> Result<Json<RunBatchResponse>, ApiError> {
    require_role(&auth, &[Role::Finance, Role::CenterMgr])?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let today = crate::http::today_in_china();
    let issued_on = req.issued_on.unwrap_or(today);
    if issued_on > today {
        return Err(ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "issued_on_in_future",
            "a batch cannot be dated after today",
        ));
    }
    let me = auth.profile().staff_id;
    let now = Utc::now();
    let mut tx = state.pool.begin().await?;
    if wo_repo::site_name(&mut tx, site).await?.is_none() {
        return Err(ApiError::coded(
            StatusCode::NOT_FOUND,
            "site_not_found",
            "site not found",
        ));
    }
    // Runs of this site take turns; each statement after the lock sees what the previous run
    // committed, so its jobs are no longer "unbilled".
    repo::lock_site(&mut tx, site).await?;
    let policy = wo_repo::policy(&mut tx, site).await?;
    let orders = wo_repo::unbilled_closed(&mut tx, site, end_of_china_day(issued_on)).await?;
    let charges: Vec<Charge> = orders.iter().filter_map(|s| charge_of(&s.order)).collect();
    let drafts = drafts(&charges, issued_on, &policy.billing);
    let mut created = Vec::new();
    if !drafts.is_empty() {
        let period = format!("{:04}-{:02}", issued_on.year(), issued_on.month());
        let count = i32::try_from(drafts.len()).unwrap_or(i32::MAX);
        // In this transaction: only billing uses the FK counter and runs take turns anyway, so
        // a run that rolls back leaves no gap.
        let first = wo_repo::reserve_serials(&mut tx, site, "FK", &period, count).await?;
        let requests: Vec<NewRequest<'_>> = drafts
            .iter()
            .zip(first..)
            .map(|(draft, n)| NewRequest {
                id: Uuid::now_v7(),
                number: wo_repo::serial("FK", &period, n),
                draft,
            })
            .collect();
        repo::insert(&mut tx, site, &requests, me, now)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    ApiError::coded(
                        StatusCode::CONFLICT,
                        "already_billed",
                        "another run billed some of these jobs; run again",
                    )
                } else {
                    e.into()
                }
            })?;
        let filter = Filter {
            ids: Some(requests.iter().map(|r| r.id).collect()),
            ..Filter::default()
        };
        created = repo::list(&mut tx, site, &filter, today).await?;
    }
    tx.commit().await?;
    Ok(Json(RunBatchResponse {
        issued_on,
        due_on: policy.billing.due_date(issued_on),
        created,
    }))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// `YYYY-MM`: requests issued in that month.
    month: Option<String>,
    /// Only unpaid requests past their due day (the door-collection list).
    #[serde(default)]
    overdue: bool,
}

pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<PaymentRequestView>>, ApiError> {
    require_role(
        &auth,
        &[Role::Finance, Role::CenterMgr, Role::CsMgr, Role::Desk],
    )?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let today = crate::http::today_in_china();
    let mut filter = Filter::default();
    if let Some(m) = q.month.as_deref().filter(|m| !m.is_empty()) {
        let (from, until) = month_bounds(m).ok_or_else(|| {
            ApiError::coded(
                StatusCode::BAD_REQUEST,
                "bad_month",
                "month must be YYYY-MM",
            )
        })?;
        filter.issued_from = Some(from);
        filter.issued_until = Some(until);
    }
    if q.overdue {
        filter.unpaid_due_before = Some(today);
    }
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::list(&mut conn, site, &filter, today).await?))
}

pub async fn pay(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<MarkPaidRequest>,
) -> Result<Json<PaymentRequestView>, ApiError> {
    require_role(&auth, &[Role::Finance])?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| ApiError::bad_id())?;
    let mut tx = state.pool.begin().await?;
    let (site, paid) = repo::lock_request(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("payment request"))?;
    auth.require_site(site)?;
    let already = || {
        ApiError::coded(
            StatusCode::CONFLICT,
            "already_paid",
            "this payment request is paid already",
        )
    };
    if paid {
        return Err(already());
    }
    if !repo::mark_paid(&mut tx, id, req.method, auth.profile().staff_id, Utc::now()).await? {
        return Err(already());
    }
    let filter = Filter {
        ids: Some(vec![id]),
        ..Filter::default()
    };
    let view = repo::list(&mut tx, site, &filter, crate::http::today_in_china())
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("payment request"))?;
    tx.commit().await?;
    Ok(Json(view))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_days_end_at_16_utc() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert_eq!(
            end_of_china_day(d(2026, 11, 15)).to_rfc3339(),
            "2026-11-15T16:00:00+00:00"
        );
    }
}
