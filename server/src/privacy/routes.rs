//! Personal data on the wire: masked everywhere, shown in full only through these endpoints,
//! each of which appends to the audit log in the same transaction as it reads.
//!
//! - `POST /api/v1/reveal` {kind, id, reason} → the full value
//! - `GET /api/v1/sites/{site}/audit` the log (客服部经理, 服务中心经理, administrator)
//! - `GET/POST /api/v1/sites/{site}/police-lookups`, `POST /api/v1/police-lookups/{id}/decision`,
//!   `POST /api/v1/police-lookups/{id}/view` (查业户资料程序)

use super::repo::{self, NewAudit};
use crate::auth::extract::allow;
use crate::auth::extract::{AccessError, Authenticated};
use crate::desk::repo as desk_repo;
use crate::http::{ApiError, ApiJson};
use crate::work_orders::repo as wo_repo;
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use domain::ids::{SiteId, UnitId};
use domain::privacy::{
    apply_police, check_reason, may_reveal, reads_audit_log, AuditEntry, PoliceCommand,
    PoliceDecision, PoliceLookup, PoliceLookupView, PoliceRecords, PoliceRefusal,
    PoliceRequestInput, PoliceResident, PoliceViewRequest, RevealKind, RevealRequest,
    RevealResponse,
};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reveal", post(reveal))
        .route("/api/v1/sites/{site}/audit", get(audit_log))
        .route(
            "/api/v1/sites/{site}/police-lookups",
            get(list_police).post(create_police),
        )
        .route("/api/v1/police-lookups/{id}/decision", post(decide_police))
        .route("/api/v1/police-lookups/{id}/view", post(view_police))
}

/// One audit row by the signed-in staff member (every column of the row is an argument).
#[allow(clippy::too_many_arguments)]
fn audit<'a>(
    auth: &'a Authenticated,
    site: SiteId,
    action: &'static str,
    kind: &'a str,
    subject_id: Option<Uuid>,
    subject: &'a str,
    reason: &'a str,
    detail: serde_json::Value,
) -> NewAudit<'a> {
    let p = auth.profile();
    NewAudit {
        site_id: Some(site),
        staff_id: p.staff_id.0,
        staff_name: &p.display_name,
        staff_role: p.role,
        action,
        kind,
        subject_id,
        subject,
        reason,
        detail,
    }
}

fn no_value() -> ApiError {
    ApiError::coded(
        StatusCode::NOT_FOUND,
        "no_value",
        "nothing of this kind is on file",
    )
}

pub async fn reveal(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(req): ApiJson<RevealRequest>,
) -> Result<Json<RevealResponse>, ApiError> {
    allow(may_reveal(auth.profile().role))?;
    let reason = check_reason(&req.reason)
        .map_err(|code| ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, code, "give a reason"))?;
    let mut tx = state.pool.begin().await?;
    let (site, value, subject) = match req.kind {
        RevealKind::ResidentIdCard | RevealKind::ResidentPhone => {
            let r = repo::resident(&mut tx, req.id)
                .await?
                .ok_or_else(|| ApiError::not_found("resident"))?;
            auth.require_site(r.site_id)?;
            let label = crate::reference::repo::unit_site_and_label(&mut tx, UnitId(r.unit_id))
                .await?
                .map(|(_, l)| l)
                .unwrap_or_default();
            let v = if req.kind == RevealKind::ResidentIdCard {
                r.id_card
            } else {
                r.phone
            };
            (r.site_id, v, format!("{}（{label}）", r.name))
        }
        RevealKind::WorkerIdCard | RevealKind::WorkerPhone => {
            let r = desk_repo::renovation_of_worker(&mut tx, req.id)
                .await?
                .ok_or_else(|| ApiError::not_found("worker"))?;
            auth.require_site(r.site_id)?;
            let w = r
                .workers
                .iter()
                .find(|w| w.id == req.id)
                .ok_or_else(|| ApiError::not_found("worker"))?;
            let v = if req.kind == RevealKind::WorkerIdCard {
                w.id_card.clone()
            } else {
                w.phone.clone()
            };
            let label = crate::reference::repo::unit_site_and_label(&mut tx, r.unit_id)
                .await?
                .map(|(_, l)| l)
                .unwrap_or_default();
            (
                r.site_id,
                Some(v),
                format!("施工人员 {}（{label}）", w.name),
            )
        }
    };
    let value = value.filter(|v| !v.is_empty()).ok_or_else(no_value)?;
    let now = Utc::now();
    let audit_id = repo::append(
        &mut tx,
        &audit(
            &auth,
            site,
            "reveal",
            req.kind.code(),
            Some(req.id),
            &subject,
            &reason,
            serde_json::Value::Null,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(RevealResponse { value, audit_id }))
}

pub async fn audit_log(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    allow(reads_audit_log(auth.profile().role))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::entries(&mut conn, site, 500).await?))
}

fn police_refused(e: PoliceRefusal) -> ApiError {
    let status = match e {
        PoliceRefusal::Forbidden
        | PoliceRefusal::SiteForbidden
        | PoliceRefusal::ManagerApprovalRequired => StatusCode::FORBIDDEN,
        PoliceRefusal::NotFound => StatusCode::NOT_FOUND,
        PoliceRefusal::WrongStatus { .. } | PoliceRefusal::NotApproved => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::coded(status, e.code(), e.to_string())
}

fn police_roles(auth: &Authenticated) -> Result<(), AccessError> {
    allow(matches!(
        auth.profile().role,
        domain::people::Role::Desk
            | domain::people::Role::CsMgr
            | domain::people::Role::CenterMgr
            | domain::people::Role::Admin
    ))
}

async fn police_view(
    conn: &mut sqlx::PgConnection,
    record: PoliceLookup,
) -> Result<PoliceLookupView, ApiError> {
    let ids: Vec<Uuid> = record.unit_ids.iter().map(|u| u.0).collect();
    let labels = desk_repo::unit_labels(conn, &ids).await?;
    let units = record
        .unit_ids
        .iter()
        .map(|u| {
            let l = labels
                .iter()
                .find(|(id, _)| *id == u.0)
                .map(|(_, l)| l.clone())
                .unwrap_or_default();
            (*u, l)
        })
        .collect();
    let mut staff = vec![record.requested_by.0];
    staff.extend(record.decided_by.map(|d| d.0));
    let names = wo_repo::staff_names(conn, &staff).await?;
    let name = |id: Uuid| {
        names
            .iter()
            .find(|(s, _)| s.0 == id)
            .map(|(_, n)| n.clone())
    };
    Ok(PoliceLookupView {
        requested_by_name: name(record.requested_by.0).unwrap_or_default(),
        decided_by_name: record.decided_by.and_then(|d| name(d.0)),
        units,
        record,
    })
}

pub async fn list_police(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<PoliceLookupView>>, ApiError> {
    police_roles(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    let mut out = Vec::new();
    for r in repo::police_list(&mut conn, site).await? {
        out.push(police_view(&mut conn, r).await?);
    }
    Ok(Json(out))
}

pub async fn create_police(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<PoliceRequestInput>,
) -> Result<(StatusCode, Json<PoliceLookupView>), ApiError> {
    police_roles(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut tx = state.pool.begin().await?;
    if repo::load_police(&mut tx, input.id, false).await?.is_some() {
        return Err(police_refused(PoliceRefusal::WrongStatus {
            from: "recorded",
            action: "record",
        }));
    }
    let ids: Vec<Uuid> = input.unit_ids.iter().map(|u| u.0).collect();
    let unit_sites: Vec<(UnitId, SiteId)> = repo::unit_sites(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|(u, s)| (UnitId(u), SiteId(s)))
        .collect();
    let now = Utc::now();
    let record = apply_police(
        None,
        &PoliceCommand::Request(input),
        &auth.actor(),
        site,
        &unit_sites,
        now,
    )
    .map_err(police_refused)?;
    repo::save_police(&mut tx, &record, now).await?;
    let subject = format!("{}（{}）", record.agency, record.officers);
    let detail = serde_json::json!({
        "lookup_id": record.id,
        "credential_numbers": record.credential_numbers,
        "station_phone": record.station_phone,
        "confirmed_by": record.confirmed_by,
        "units": record.unit_ids,
    });
    repo::append(
        &mut tx,
        &audit(
            &auth,
            site,
            "police_request",
            "",
            Some(record.id),
            &subject,
            &record.purpose,
            detail,
        ),
        now,
    )
    .await?;
    let view = police_view(&mut tx, record).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

pub async fn decide_police(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<PoliceDecision>,
) -> Result<Json<PoliceLookupView>, ApiError> {
    police_roles(&auth)?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| ApiError::bad_id())?;
    let mut tx = state.pool.begin().await?;
    let cur = repo::load_police(&mut tx, id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("police request"))?;
    auth.require_site(cur.site_id)?;
    let cmd = if d.approve {
        PoliceCommand::Approve { note: d.note }
    } else {
        PoliceCommand::Decline { note: d.note }
    };
    let now = Utc::now();
    let next = apply_police(Some(&cur), &cmd, &auth.actor(), cur.site_id, &[], now)
        .map_err(police_refused)?;
    repo::save_police(&mut tx, &next, now).await?;
    let subject = format!("{}（{}）", next.agency, next.officers);
    repo::append(
        &mut tx,
        &audit(
            &auth,
            next.site_id,
            if d.approve {
                "police_approve"
            } else {
                "police_decline"
            },
            "",
            Some(next.id),
            &subject,
            &next.decision_note,
            serde_json::json!({ "lookup_id": next.id }),
        ),
        now,
    )
    .await?;
    let view = police_view(&mut tx, next).await?;
    tx.commit().await?;
    Ok(Json(view))
}

pub async fn view_police(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<PoliceViewRequest>,
) -> Result<Json<PoliceRecords>, ApiError> {
    police_roles(&auth)?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| ApiError::bad_id())?;
    let mut tx = state.pool.begin().await?;
    let cur = repo::load_police(&mut tx, id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("police request"))?;
    auth.require_site(cur.site_id)?;
    let now = Utc::now();
    let next = apply_police(
        Some(&cur),
        &PoliceCommand::View { unit_id: v.unit_id },
        &auth.actor(),
        cur.site_id,
        &[],
        now,
    )
    .map_err(police_refused)?;
    repo::save_police(&mut tx, &next, now).await?;
    let label = crate::reference::repo::unit_site_and_label(&mut tx, v.unit_id)
        .await?
        .map(|(_, l)| l)
        .unwrap_or_default();
    let residents: Vec<PoliceResident> = desk_repo::unit_residents(&mut tx, v.unit_id)
        .await?
        .into_iter()
        .map(|r| PoliceResident {
            name: r.name,
            role: r.role,
            phone: r.phone,
            id_card: r.id_card,
        })
        .collect();
    let subject = format!("{label}（{}，{}）", next.agency, next.officers);
    repo::append(
        &mut tx,
        &audit(
            &auth,
            next.site_id,
            "police_view",
            "unit_records",
            Some(v.unit_id.0),
            &subject,
            &next.purpose,
            serde_json::json!({ "lookup_id": next.id, "residents": residents.len() }),
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(PoliceRecords {
        unit_label: label,
        residents,
    }))
}
