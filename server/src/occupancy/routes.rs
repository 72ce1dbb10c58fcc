//! The move-in / move-out REST API. The front office (desk, customer-service and centre
//! managers, administrator) runs move-ins and move-outs; finance records fees and settles; the
//! engineering manager reports rectification items fixed; security reviews move-outs and takes
//! back the cards. Every handler checks the role and the record's site.
//!
//! - `GET/POST /api/v1/sites/{site}/move-ins`, `GET /api/v1/move-ins/{id}`,
//!   `POST /api/v1/move-ins/{id}/commands` (a `MoveInCommand`)
//! - `GET/POST /api/v1/sites/{site}/move-outs`, `GET /api/v1/move-outs/{id}`,
//!   `POST /api/v1/move-outs/{id}/commands` (a `MoveOutCommand`)
//! - `GET/POST /api/v1/sites/{site}/resident-cards?unit=8-1-801`,
//!   `POST /api/v1/resident-cards/{id}/return`
//! - `GET/POST /api/v1/sites/{site}/tail-lines`
//!
//! Bodies name the unit as typed (`"unit": "8-1-801"`) or by `unit_id`.

use super::repo;
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::parse_id;
use crate::http::require_site_exists;
use crate::http::{today_in_china, ApiError, ApiJson};
use crate::work_orders::routes::parse_own_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use domain::ids::{SiteId, UnitId};
use domain::occupancy::cards::{collect_tail_line, issue_card, CardRefusal, CardRequest};
use domain::occupancy::is_front_office;
use domain::occupancy::move_in::{MoveIn, MoveInCommand, MoveInRefusal, NewMoveIn};
use domain::occupancy::move_out::{MoveOut, MoveOutCommand, MoveOutRefusal, NewMoveOut};
use domain::occupancy::views::{CardView, MoveInView, MoveOutView, TailLineView};
use domain::people::Role;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sites/{site}/move-ins",
            get(list_move_ins).post(create_move_in),
        )
        .route("/api/v1/move-ins/{id}", get(get_move_in))
        .route("/api/v1/move-ins/{id}/commands", post(move_in_command))
        .route(
            "/api/v1/sites/{site}/move-outs",
            get(list_move_outs).post(create_move_out),
        )
        .route("/api/v1/move-outs/{id}", get(get_move_out))
        .route("/api/v1/move-outs/{id}/commands", post(move_out_command))
        .route(
            "/api/v1/sites/{site}/resident-cards",
            get(list_cards).post(create_card),
        )
        .route("/api/v1/resident-cards/{id}/return", post(return_card))
        .route(
            "/api/v1/sites/{site}/tail-lines",
            get(list_tail_lines).post(create_tail_line),
        )
}

// --- shared ----------------------------------------------------------------------------------

fn require(auth: &Authenticated, ok: fn(Role) -> bool) -> Result<(), AccessError> {
    if ok(auth.profile().role) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

fn reads_move_ins(r: Role) -> bool {
    is_front_office(r) || matches!(r, Role::Finance | Role::EngMgr)
}

fn reads_move_outs(r: Role) -> bool {
    is_front_office(r) || matches!(r, Role::Finance | Role::Security)
}

fn reads_cards(r: Role) -> bool {
    is_front_office(r) || r == Role::Security
}

/// A refusal's HTTP status: input errors 422, role errors 403, the rest (state) 409.
pub(crate) fn refusal(code: &'static str, message: String) -> ApiError {
    let status = match code {
        "invalid_input" | "unknown_unit" => StatusCode::UNPROCESSABLE_ENTITY,
        "forbidden" | "finance_only" => StatusCode::FORBIDDEN,
        _ => StatusCode::CONFLICT,
    };
    ApiError::coded(status, code, message)
}

fn move_in_refused(e: MoveInRefusal) -> ApiError {
    refusal(e.code(), e.to_string())
}

fn move_out_refused(e: MoveOutRefusal) -> ApiError {
    refusal(e.code(), e.to_string())
}

fn card_refused(e: CardRefusal) -> ApiError {
    refusal(e.code(), e.to_string())
}

fn unknown_unit() -> ApiError {
    refusal("unknown_unit", "no such unit at this site".into())
}

/// Resolves `"unit": "8-1-801"` (or checks `unit_id`) against `site`, puts `unit_id` into the
/// body and parses it as `T`. Returns the unit's label too.
pub(crate) async fn body_with_unit<T: DeserializeOwned>(
    conn: &mut PgConnection,
    site: SiteId,
    mut body: serde_json::Value,
) -> Result<(T, String), ApiError> {
    let obj = body.as_object_mut().ok_or_else(|| {
        ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "an object",
        )
    })?;
    let label = if let Some(code) = obj.get("unit").and_then(|v| v.as_str()) {
        let (id, label) = repo::resolve_unit(conn, site, code)
            .await?
            .ok_or_else(unknown_unit)?;
        obj.insert("unit_id".into(), serde_json::json!(id));
        label
    } else {
        let id = obj
            .get("unit_id")
            .and_then(|v| v.as_str())
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(unknown_unit)?;
        match crate::reference::repo::unit_site_and_label(conn, UnitId(id)).await? {
            Some((s, label)) if s == site => label,
            _ => return Err(unknown_unit()),
        }
    };
    obj.remove("unit");
    let parsed = serde_json::from_value(body).map_err(|e| {
        ApiError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            e.to_string(),
        )
    })?;
    Ok((parsed, label))
}

// --- move-ins --------------------------------------------------------------------------------

pub async fn list_move_ins(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<MoveInView>>, ApiError> {
    require(&auth, reads_move_ins)?;
    let site = parse_own_site(&auth, &site)?;
    let mut conn = state.pool.acquire().await?;
    let today = today_in_china();
    Ok(Json(
        repo::move_ins(&mut conn, site, 100)
            .await?
            .into_iter()
            .map(|(m, l)| MoveInView::new(m, l, today))
            .collect(),
    ))
}

pub async fn create_move_in(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<MoveInView>), ApiError> {
    require(&auth, is_front_office)?;
    let site = parse_own_site(&auth, &site)?;
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    let (input, label): (NewMoveIn, String) = body_with_unit(&mut tx, site, body).await?;
    let m = MoveIn::open(
        Uuid::now_v7(),
        site,
        &input,
        auth.profile().staff_id,
        Utc::now(),
    )
    .map_err(move_in_refused)?;
    repo::insert_move_in(&mut tx, &m).await.map_err(|e| {
        if crate::http::is_unique_violation(&e) {
            refusal("move_in_open", "this unit has a move-in under way".into())
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(MoveInView::new(m, label, today_in_china())),
    ))
}

pub async fn get_move_in(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<MoveInView>, ApiError> {
    require(&auth, reads_move_ins)?;
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let (m, l) = repo::move_in(&mut conn, id, false)
        .await?
        .ok_or_else(|| ApiError::not_found("move-in"))?;
    auth.require_site(m.site_id)?;
    Ok(Json(MoveInView::new(m, l, today_in_china())))
}

pub async fn move_in_command(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(cmd): ApiJson<MoveInCommand>,
) -> Result<Json<MoveInView>, ApiError> {
    require(&auth, reads_move_ins)?;
    let id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let (m, l) = repo::move_in(&mut tx, id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("move-in"))?;
    auth.require_site(m.site_id)?;
    let now = Utc::now();
    let today = today_in_china();
    let p = auth.profile();
    let next = m
        .apply(&cmd, p.staff_id, p.role, now, today)
        .map_err(move_in_refused)?;
    repo::update_move_in(&mut tx, &next, now).await?;
    tx.commit().await?;
    Ok(Json(MoveInView::new(next, l, today)))
}

// --- move-outs -------------------------------------------------------------------------------

pub async fn list_move_outs(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<MoveOutView>>, ApiError> {
    require(&auth, reads_move_outs)?;
    let site = parse_own_site(&auth, &site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::move_outs(&mut conn, site, 100)
            .await?
            .into_iter()
            .map(|(record, unit_label)| MoveOutView { record, unit_label })
            .collect(),
    ))
}

pub async fn create_move_out(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<MoveOutView>), ApiError> {
    require(&auth, is_front_office)?;
    let site = parse_own_site(&auth, &site)?;
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    let (input, unit_label): (NewMoveOut, String) = body_with_unit(&mut tx, site, body).await?;
    let m = MoveOut::open(
        Uuid::now_v7(),
        site,
        &input,
        auth.profile().staff_id,
        Utc::now(),
    )
    .map_err(move_out_refused)?;
    repo::insert_move_out(&mut tx, &m).await.map_err(|e| {
        if crate::http::is_unique_violation(&e) {
            refusal("move_out_open", "this unit has a move-out under way".into())
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(MoveOutView {
            record: m,
            unit_label,
        }),
    ))
}

pub async fn get_move_out(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<MoveOutView>, ApiError> {
    require(&auth, reads_move_outs)?;
    let id = parse_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let (record, unit_label) = repo::move_out(&mut conn, id, false)
        .await?
        .ok_or_else(|| ApiError::not_found("move-out"))?;
    auth.require_site(record.site_id)?;
    Ok(Json(MoveOutView { record, unit_label }))
}

pub async fn move_out_command(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(cmd): ApiJson<MoveOutCommand>,
) -> Result<Json<MoveOutView>, ApiError> {
    require(&auth, reads_move_outs)?;
    let id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let (m, unit_label) = repo::move_out(&mut tx, id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("move-out"))?;
    auth.require_site(m.site_id)?;
    let now = Utc::now();
    let p = auth.profile();
    // Decided first without touching the cards, so a refusal changes nothing.
    let mut next = m
        .apply(&cmd, p.staff_id, p.role, 0, now, today_in_china())
        .map_err(move_out_refused)?;
    if matches!(cmd, MoveOutCommand::ReturnPasses { .. }) {
        next.cards_returned = repo::return_tenant_cards(&mut tx, m.unit_id, now).await? as u32;
    }
    repo::update_move_out(&mut tx, &next, now).await?;
    tx.commit().await?;
    Ok(Json(MoveOutView {
        record: next,
        unit_label,
    }))
}

// --- resident cards --------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct CardQuery {
    #[serde(default)]
    unit: Option<String>,
}

pub async fn list_cards(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<CardQuery>,
) -> Result<Json<Vec<CardView>>, ApiError> {
    require(&auth, reads_cards)?;
    let site = parse_own_site(&auth, &site)?;
    let mut conn = state.pool.acquire().await?;
    let unit = match q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(
            repo::resolve_unit(&mut conn, site, code)
                .await?
                .ok_or_else(unknown_unit)?
                .0,
        ),
    };
    Ok(Json(
        repo::cards(&mut conn, site, unit)
            .await?
            .iter()
            .map(|(c, l)| CardView::new(c, l.clone()))
            .collect(),
    ))
}

pub async fn create_card(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<CardView>), ApiError> {
    require(&auth, is_front_office)?;
    let site = parse_own_site(&auth, &site)?;
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    let (req, label): (CardRequest, String) = body_with_unit(&mut tx, site, body).await?;
    repo::lock_cards(&mut tx, site).await?;
    let key = domain::people::IdCardNumber::parse(&req.id_card)
        .map(|i| i.as_str().to_owned())
        .unwrap_or_default();
    let active = repo::person_has_active_card(&mut tx, site, &key).await?;
    let card_no = repo::next_card_no(&mut tx, site).await?;
    let card = issue_card(
        Uuid::now_v7(),
        site,
        card_no,
        &req,
        active,
        auth.profile().staff_id,
        Utc::now(),
    )
    .map_err(card_refused)?;
    repo::insert_card(&mut tx, &card).await.map_err(|e| {
        if crate::http::is_unique_violation(&e) {
            card_refused(CardRefusal::CardAlreadyActive)
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CardView::new(&card, label))))
}

pub async fn return_card(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<CardView>, ApiError> {
    require(&auth, is_front_office)?;
    let id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let (c, l) = repo::card(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("card"))?;
    auth.require_site(c.site_id)?;
    let next = c.returned(Utc::now()).map_err(card_refused)?;
    repo::set_card_returned(&mut tx, &next).await?;
    tx.commit().await?;
    Ok(Json(CardView::new(&next, l)))
}

// --- tail lines ------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct TailLineInput {
    unit_id: UnitId,
    collector_name: String,
    /// 在登记表上签字.
    register_signed: bool,
}

pub async fn list_tail_lines(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<TailLineView>>, ApiError> {
    require(&auth, is_front_office)?;
    let site = parse_own_site(&auth, &site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::tail_lines(&mut conn, site).await?))
}

pub async fn create_tail_line(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<TailLineView>), ApiError> {
    require(&auth, is_front_office)?;
    let site = parse_own_site(&auth, &site)?;
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    let (input, unit_label): (TailLineInput, String) = body_with_unit(&mut tx, site, body).await?;
    let collector = input.collector_name.trim();
    if collector.is_empty() || collector.chars().count() > 64 {
        return Err(card_refused(CardRefusal::InvalidInput {
            field: "collector_name",
            reason: "required",
        }));
    }
    let already = repo::tail_line_collected(&mut tx, input.unit_id).await?;
    collect_tail_line(already, input.register_signed).map_err(card_refused)?;
    let now = Utc::now();
    if !repo::insert_tail_line(
        &mut tx,
        site,
        input.unit_id,
        collector,
        auth.profile().staff_id,
        now,
    )
    .await?
    {
        return Err(card_refused(CardRefusal::TailLineAlreadyCollected));
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(TailLineView {
            unit_id: input.unit_id,
            unit_label,
            collector_name: collector.to_owned(),
            issued_at: now,
        }),
    ))
}
