//! The facilities REST API: the front office books, lends and rents out; the customer-service
//! and centre managers (and the administrator) set up the site's facilities.
//!
//! - `GET/POST /api/v1/sites/{site}/facilities`, `PUT /api/v1/facilities/{id}`
//! - `GET /api/v1/sites/{site}/bookings?from=YYYY-MM-DD`, `POST /api/v1/facilities/{id}/bookings`,
//!   `POST /api/v1/bookings/{id}/assign` `{date, start}`, `POST /api/v1/bookings/{id}/cancel`,
//!   `POST /api/v1/bookings/{id}/damage` `{description, compensation_fen}`
//! - `GET/POST /api/v1/sites/{site}/parking`, `POST /api/v1/parking/{id}/pay` `{receipt_no}`,
//!   `POST /api/v1/parking/{id}/card` `{card_no}`
//! - `GET/POST /api/v1/sites/{site}/loans?overdue=true`, `POST /api/v1/loans/{id}/return`

use super::repo;
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::parse_id;
use crate::http::{today_in_china, ApiError, ApiJson};
use crate::occupancy::routes::{body_with_unit, refusal};
use crate::work_orders::routes::parse_own_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{NaiveDate, NaiveTime, Utc};
use domain::facilities::views::{BookingView, LoanView, ParkingView};
use domain::facilities::{
    Booking, BookingRequest, Facility, FacilityInput, FacilityRefusal, Loan, LoanInput,
    ParkingInput, ParkingRental,
};
use domain::occupancy::is_front_office;
use domain::people::Role;
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sites/{site}/facilities",
            get(list_facilities).post(create_facility),
        )
        .route("/api/v1/facilities/{id}", put(update_facility))
        .route("/api/v1/sites/{site}/bookings", get(list_bookings))
        .route("/api/v1/facilities/{id}/bookings", post(request_booking))
        .route("/api/v1/bookings/{id}/assign", post(assign))
        .route("/api/v1/bookings/{id}/cancel", post(cancel))
        .route("/api/v1/bookings/{id}/damage", post(damage))
        .route(
            "/api/v1/sites/{site}/parking",
            get(list_parking).post(create_parking),
        )
        .route("/api/v1/parking/{id}/pay", post(pay_parking))
        .route("/api/v1/parking/{id}/card", post(issue_parking_card))
        .route("/api/v1/sites/{site}/loans", get(list_loans).post(lend))
        .route("/api/v1/loans/{id}/return", post(return_loan))
}

fn refused(e: FacilityRefusal) -> ApiError {
    refusal(e.code(), e.to_string())
}

fn front_office(auth: &Authenticated) -> Result<(), AccessError> {
    if is_front_office(auth.profile().role) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

/// The facility settings (hours, slot length) are the managers'.
fn manager(auth: &Authenticated) -> Result<(), AccessError> {
    if matches!(
        auth.profile().role,
        Role::CsMgr | Role::CenterMgr | Role::Admin
    ) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

// --- facilities ------------------------------------------------------------------------------

pub async fn list_facilities(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<Facility>>, ApiError> {
    front_office(&auth)?;
    let site = parse_own_site(&auth, &site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(repo::facilities(&mut conn, site).await?))
}

fn name_taken(e: sqlx::Error) -> ApiError {
    if crate::http::is_unique_violation(&e) {
        refusal("name_taken", "the site has a facility of this name".into())
    } else {
        e.into()
    }
}

pub async fn create_facility(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<FacilityInput>,
) -> Result<(StatusCode, Json<Facility>), ApiError> {
    manager(&auth)?;
    let site = parse_own_site(&auth, &site)?;
    let f = input.to_facility(Uuid::now_v7(), site).map_err(refused)?;
    let mut conn = state.pool.acquire().await?;
    if crate::work_orders::repo::site_name(&mut conn, site)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("site"));
    }
    repo::save_facility(&mut conn, &f)
        .await
        .map_err(name_taken)?;
    Ok((StatusCode::CREATED, Json(f)))
}

pub async fn update_facility(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FacilityInput>,
) -> Result<Json<Facility>, ApiError> {
    manager(&auth)?;
    let id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let old = repo::facility_by_id(&mut tx, id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("facility"))?;
    auth.require_site(old.site_id)?;
    let f = input.to_facility(id, old.site_id).map_err(refused)?;
    repo::save_facility(&mut tx, &f).await.map_err(name_taken)?;
    tx.commit().await?;
    Ok(Json(f))
}

// --- bookings --------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct BookingQuery {
    #[serde(default)]
    from: Option<NaiveDate>,
}

fn booking_view((record, facility_name, unit_label): (Booking, String, String)) -> BookingView {
    BookingView {
        record,
        facility_name,
        unit_label,
    }
}

pub async fn list_bookings(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<BookingQuery>,
) -> Result<Json<Vec<BookingView>>, ApiError> {
    front_office(&auth)?;
    let site = parse_own_site(&auth, &site)?;
    let mut conn = state.pool.acquire().await?;
    let from = q.from.unwrap_or_else(today_in_china);
    Ok(Json(
        repo::bookings(&mut conn, site, from)
            .await?
            .into_iter()
            .map(booking_view)
            .collect(),
    ))
}

pub async fn request_booking(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<BookingView>), ApiError> {
    front_office(&auth)?;
    let id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let f = repo::facility_by_id(&mut tx, id, false)
        .await?
        .ok_or_else(|| ApiError::not_found("facility"))?;
    auth.require_site(f.site_id)?;
    let (req, unit_label): (BookingRequest, String) =
        body_with_unit(&mut tx, f.site_id, body).await?;
    let b = Booking::request(
        Uuid::now_v7(),
        &f,
        &req,
        auth.profile().staff_id,
        Utc::now(),
    )
    .map_err(refused)?;
    repo::insert_booking(&mut tx, &b).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(BookingView {
            record: b,
            facility_name: f.name,
            unit_label,
        }),
    ))
}

#[derive(Deserialize)]
pub struct AssignInput {
    date: NaiveDate,
    start: NaiveTime,
}

/// Loads a booking of the actor's sites for a change, with its facility locked.
async fn booking_for_change(
    tx: &mut sqlx::PgConnection,
    auth: &Authenticated,
    id: &str,
) -> Result<(Booking, Facility, String), ApiError> {
    let id = parse_id(id)?;
    let (b, _, label) = repo::booking(tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("booking"))?;
    auth.require_site(b.site_id)?;
    let f = repo::facility_by_id(tx, b.facility_id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("facility"))?;
    // Re-read under the facility's lock: another assignment may have just committed.
    let (b, _, _) = repo::booking(tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("booking"))?;
    Ok((b, f, label))
}

pub async fn assign(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<Json<BookingView>, ApiError> {
    front_office(&auth)?;
    let mut tx = state.pool.begin().await?;
    let (b, f, label) = booking_for_change(&mut tx, &auth, &id).await?;
    let taken = repo::taken_slots(&mut tx, f.id, input.date, b.id).await?;
    let next = b
        .assign(&f, input.date, input.start, &taken, today_in_china())
        .map_err(refused)?;
    repo::update_booking(&mut tx, &next).await.map_err(|e| {
        if crate::http::is_unique_violation(&e) {
            refused(FacilityRefusal::SlotTaken)
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok(Json(BookingView {
        record: next,
        facility_name: f.name,
        unit_label: label,
    }))
}

pub async fn cancel(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<BookingView>, ApiError> {
    front_office(&auth)?;
    let mut tx = state.pool.begin().await?;
    let (b, f, label) = booking_for_change(&mut tx, &auth, &id).await?;
    let next = b.cancel().map_err(refused)?;
    repo::update_booking(&mut tx, &next).await?;
    tx.commit().await?;
    Ok(Json(BookingView {
        record: next,
        facility_name: f.name,
        unit_label: label,
    }))
}

#[derive(Deserialize)]
pub struct DamageInput {
    description: String,
    compensation_fen: i64,
}

pub async fn damage(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DamageInput>,
) -> Result<Json<BookingView>, ApiError> {
    front_office(&auth)?;
    let mut tx = state.pool.begin().await?;
    let (b, f, label) = booking_for_change(&mut tx, &auth, &id).await?;
    let next = b
        .record_damage(
            &input.description,
            input.compensation_fen,
            auth.profile().staff_id,
            Utc::now(),
        )
        .map_err(refused)?;
    repo::update_booking(&mut tx, &next).await?;
    tx.commit().await?;
    Ok(Json(BookingView {
        record: next,
        facility_name: f.name,
        unit_label: label,
    }))
}

// --- parking ---------------------------------------------------------------------------------

pub async fn list_parking(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<ParkingView>>, ApiError> {
    front_office(&auth)?;
    let site = parse_own_site(&auth, &site)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::parkings(&mut conn, site)
            .await?
            .into_iter()
            .map(|(record, unit_label)| ParkingView { record, unit_label })
            .collect(),
    ))
}

pub async fn create_parking(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<ParkingView>), ApiError> {
    front_office(&auth)?;
    let site = parse_own_site(&auth, &site)?;
    let mut tx = state.pool.begin().await?;
    let (input, unit_label): (ParkingInput, String) = body_with_unit(&mut tx, site, body).await?;
    let rented = repo::space_rented(&mut tx, site, input.space_no.trim()).await?;
    let r = ParkingRental::agree(
        Uuid::now_v7(),
        site,
        &input,
        rented,
        auth.profile().staff_id,
        Utc::now(),
    )
    .map_err(refused)?;
    repo::save_parking(&mut tx, &r, true).await.map_err(|e| {
        if crate::http::is_unique_violation(&e) {
            refused(FacilityRefusal::SpaceTaken)
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(ParkingView {
            record: r,
            unit_label,
        }),
    ))
}

#[derive(Deserialize)]
pub struct PayInput {
    receipt_no: String,
}

#[derive(Deserialize)]
pub struct CardInput {
    card_no: String,
}

async fn parking_step(
    state: &AppState,
    auth: &Authenticated,
    id: &str,
    step: impl FnOnce(&ParkingRental) -> Result<ParkingRental, FacilityRefusal>,
) -> Result<Json<ParkingView>, ApiError> {
    front_office(auth)?;
    let id = parse_id(id)?;
    let mut tx = state.pool.begin().await?;
    let (r, unit_label) = repo::parking(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("parking rental"))?;
    auth.require_site(r.site_id)?;
    let next = step(&r).map_err(refused)?;
    repo::save_parking(&mut tx, &next, false).await?;
    tx.commit().await?;
    Ok(Json(ParkingView {
        record: next,
        unit_label,
    }))
}

pub async fn pay_parking(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PayInput>,
) -> Result<Json<ParkingView>, ApiError> {
    parking_step(&state, &auth, &id, |r| r.pay(&input.receipt_no)).await
}

pub async fn issue_parking_card(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CardInput>,
) -> Result<Json<ParkingView>, ApiError> {
    parking_step(&state, &auth, &id, |r| r.issue_card(&input.card_no)).await
}

// --- loans -----------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct LoanQuery {
    #[serde(default)]
    overdue: bool,
}

pub async fn list_loans(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(q): Query<LoanQuery>,
) -> Result<Json<Vec<LoanView>>, ApiError> {
    front_office(&auth)?;
    let site = parse_own_site(&auth, &site)?;
    let today = today_in_china();
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::loans(&mut conn, site, q.overdue.then_some(today))
            .await?
            .into_iter()
            .map(|(l, u)| LoanView::new(l, u, today))
            .collect(),
    ))
}

pub async fn lend(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<LoanView>), ApiError> {
    front_office(&auth)?;
    let site = parse_own_site(&auth, &site)?;
    let today = today_in_china();
    let mut tx = state.pool.begin().await?;
    let (input, unit_label): (LoanInput, String) = body_with_unit(&mut tx, site, body).await?;
    let out = repo::item_out(&mut tx, site, input.item_name.trim()).await?;
    let l = Loan::lend(
        Uuid::now_v7(),
        site,
        &input,
        out,
        auth.profile().staff_id,
        Utc::now(),
        today,
    )
    .map_err(refused)?;
    repo::insert_loan(&mut tx, &l).await.map_err(|e| {
        if crate::http::is_unique_violation(&e) {
            refused(FacilityRefusal::ItemOut)
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(LoanView::new(l, unit_label, today)),
    ))
}

pub async fn return_loan(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<LoanView>, ApiError> {
    front_office(&auth)?;
    let id = parse_id(&id)?;
    let mut tx = state.pool.begin().await?;
    let (l, unit_label) = repo::loan(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("loan"))?;
    auth.require_site(l.site_id)?;
    let next = l.returned(Utc::now()).map_err(refused)?;
    repo::update_loan(&mut tx, &next).await?;
    tx.commit().await?;
    Ok(Json(LoanView::new(next, unit_label, today_in_china())))
}
