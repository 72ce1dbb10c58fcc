//! The survey REST API. Every handler checks the role (`domain::survey::may_enter` /
//! `may_manage`) and the site of what it touches.
//!
//! - `GET  /api/v1/sites/{site}/surveys` list · `POST` open one (managers)
//! - `GET  /api/v1/sites/{site}/survey-policy` · `PUT` pick the site's preset (managers)
//! - `GET  /api/v1/surveys/{id}` the survey, its items, policy and deadlines
//! - `GET  /api/v1/surveys/{id}/households?q=5-1-12` units with their questionnaire state
//! - `POST /api/v1/surveys/{id}/handouts` `{unit_ids}` or `{all_occupied: true}` (发放)
//! - `POST /api/v1/surveys/{id}/returns` one returned questionnaire (回收); a dissatisfied
//!   respondent gets a return visit in the same transaction
//! - `GET  /api/v1/surveys/{id}/results` every number of the 问卷结果统计表
//! - `POST /api/v1/surveys/{id}/close` (managers)
//! - `POST /api/v1/surveys/{id}/return-visits` schedules any missing return visit (managers;
//!   idempotent)

use super::repo;
use crate::auth::extract::{AccessError, Authenticated};
use crate::care::repo::calendar;
use crate::http::parse_id;
use crate::http::require_site_exists;
use crate::http::{ApiError, ApiJson};
use crate::work_orders::routes::parse_site;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use domain::calendar::WorkCalendar;
use domain::ids::SiteId;
use domain::reference::UnitQuery;
use domain::survey::items::{default_items, parse_items, SurveyItem};
use domain::survey::policy::{SurveyPolicy, SurveyVariant};
use domain::survey::results::{compute, Questionnaire};
use domain::survey::views::{
    parse_title, HandOutRequest, HandOutResponse, HouseholdRow, NewSurvey, ResultsView,
    ReturnInput, ReturnResponse, ReturnVisitsResponse, SitePolicyInput, SitePolicyView,
    SurveyStatus, SurveyView, MAX_HANDOUT_UNITS,
};
use domain::survey::{may_enter, may_manage, SurveyRefusal};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sites/{site}/surveys", get(list).post(create))
        .route(
            "/api/v1/sites/{site}/survey-policy",
            get(get_policy).put(put_policy),
        )
        .route("/api/v1/surveys/{id}", get(detail))
        .route("/api/v1/surveys/{id}/households", get(households))
        .route("/api/v1/surveys/{id}/handouts", post(hand_out))
        .route("/api/v1/surveys/{id}/returns", post(record_return))
        .route("/api/v1/surveys/{id}/results", get(results))
        .route("/api/v1/surveys/{id}/close", post(close))
        .route("/api/v1/surveys/{id}/return-visits", post(return_visits))
}

fn require_enter(auth: &Authenticated) -> Result<(), AccessError> {
    if may_enter(auth.profile().role) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

fn require_manage(auth: &Authenticated) -> Result<(), AccessError> {
    if may_manage(auth.profile().role) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

fn refused(e: SurveyRefusal) -> ApiError {
    let status = match e {
        SurveyRefusal::SurveyClosed
        | SurveyRefusal::NotHandedOut
        | SurveyRefusal::AlreadyReturned => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::coded(status, e.code(), e.to_string())
}

/// The survey, after the role and site checks.
async fn load(
    conn: &mut PgConnection,
    auth: &Authenticated,
    id: &str,
) -> Result<repo::StoredSurvey, ApiError> {
    require_enter(auth)?;
    let id = parse_id(id)?;
    let s = repo::survey(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("survey"))?;
    auth.require_site(s.site_id)?;
    Ok(s)
}

/// The survey with its deadlines counted on the site's work calendar.
fn view(s: &repo::StoredSurvey, calendar: &WorkCalendar) -> SurveyView {
    SurveyView {
        id: s.id,
        site_id: s.site_id,
        site_name: s.site_name.clone(),
        title: s.title.clone(),
        status: s.status,
        deadlines: s.policy.deadlines(s.handed_out_on, calendar),
        policy: s.policy.clone(),
        items: s.items.clone(),
        handed_out_on: s.handed_out_on,
        occupied_households: s.occupied_households,
        handed_out: s.handed_out,
        returned: s.returned,
        created_at: s.created_at,
        closed_at: s.closed_at,
    }
}

// --- policy ----------------------------------------------------------------------------------

async fn site_policy(conn: &mut PgConnection, site: SiteId) -> Result<SitePolicyView, ApiError> {
    let chosen = repo::site_policy(conn, site).await?;
    Ok(SitePolicyView {
        site_id: site,
        chosen: chosen.is_some(),
        policy: chosen.unwrap_or_default(),
    })
}

pub async fn get_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<SitePolicyView>, ApiError> {
    require_enter(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    Ok(Json(site_policy(&mut conn, site).await?))
}

fn preset(variant: &str, return_visit_days: Option<u32>) -> Result<SurveyPolicy, ApiError> {
    let mut p = SurveyVariant::parse(variant)
        .ok_or_else(|| {
            ApiError::coded(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_variant",
                "variant is s0_full_opinion, s0_twice_yearly or s0_satisfaction_procedure",
            )
        })?
        .preset();
    if let Some(d) = return_visit_days {
        p.return_visit_days = d;
    }
    p.validate().map_err(|reason| {
        ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, "invalid_policy", reason)
    })?;
    Ok(p)
}

pub async fn put_policy(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<SitePolicyInput>,
) -> Result<Json<SitePolicyView>, ApiError> {
    require_manage(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let policy = preset(&input.variant, input.return_visit_days)?;
    let mut conn = state.pool.acquire().await?;
    require_site_exists(&mut conn, site).await?;
    repo::save_site_policy(&mut conn, site, &policy, auth.profile().staff_id).await?;
    Ok(Json(SitePolicyView {
        site_id: site,
        policy,
        chosen: true,
    }))
}

// --- surveys ---------------------------------------------------------------------------------

pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<Vec<SurveyView>>, ApiError> {
    require_enter(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    let list = repo::site_surveys(&mut conn, site).await?;
    let calendar = calendar(&mut conn, site).await?;
    Ok(Json(list.iter().map(|s| view(s, &calendar)).collect()))
}

pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    ApiJson(input): ApiJson<NewSurvey>,
) -> Result<(StatusCode, Json<SurveyView>), ApiError> {
    require_manage(&auth)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let title = parse_title(&input.title).map_err(refused)?;
    let items: Vec<SurveyItem> = match input.items {
        Some(items) => parse_items(items).map_err(refused)?,
        None => default_items(),
    };
    let mut tx = state.pool.begin().await?;
    require_site_exists(&mut tx, site).await?;
    let policy = match input.variant.as_deref().filter(|v| !v.trim().is_empty()) {
        Some(v) => preset(v, input.return_visit_days)?,
        None => {
            let mut p = repo::site_policy(&mut tx, site).await?.unwrap_or_default();
            if let Some(d) = input.return_visit_days {
                p.return_visit_days = d;
            }
            p.validate().map_err(|reason| {
                ApiError::coded(StatusCode::UNPROCESSABLE_ENTITY, "invalid_policy", reason)
            })?;
            p
        }
    };
    let entrances = repo::site_entrances(&mut tx, site).await?;
    let occupied = entrances.iter().map(|e| e.occupied).sum();
    let id = Uuid::now_v7();
    repo::insert_survey(
        &mut tx,
        &repo::NewSurveyRow {
            id,
            site,
            title: &title,
            policy: &policy,
            items: &items,
            handed_out_on: input.handed_out_on,
            occupied_households: occupied,
            entrances: &entrances,
            by: auth.profile().staff_id,
            now: Utc::now(),
        },
    )
    .await?;
    let s = repo::survey(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("survey"))?;
    let v = view(&s, &calendar(&mut tx, s.site_id).await?);
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

pub async fn detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<SurveyView>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let s = load(&mut conn, &auth, &id).await?;
    Ok(Json(view(&s, &calendar(&mut conn, s.site_id).await?)))
}

pub async fn close(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<SurveyView>, ApiError> {
    require_manage(&auth)?;
    let mut tx = state.pool.begin().await?;
    let s = load(&mut tx, &auth, &id).await?;
    repo::lock_survey(&mut tx, s.id).await?;
    repo::close_survey(&mut tx, s.id, auth.profile().staff_id, Utc::now()).await?;
    let s = repo::survey(&mut tx, s.id)
        .await?
        .ok_or_else(|| ApiError::not_found("survey"))?;
    let v = view(&s, &calendar(&mut tx, s.site_id).await?);
    tx.commit().await?;
    Ok(Json(v))
}

// --- households ------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct HouseholdSearch {
    #[serde(default)]
    q: String,
}

pub async fn households(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    Query(HouseholdSearch { q }): Query<HouseholdSearch>,
) -> Result<Json<Vec<HouseholdRow>>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let s = load(&mut conn, &auth, &id).await?;
    let q = if q.trim().is_empty() {
        UnitQuery {
            building: None,
            entrance: None,
            room: String::new(),
        }
    } else {
        UnitQuery::parse(&q).ok_or_else(|| {
            ApiError::coded(StatusCode::BAD_REQUEST, "bad_query", "a unit like 5-1-1201")
        })?
    };
    Ok(Json(
        repo::search_households(
            &mut conn,
            s.id,
            s.site_id,
            q.building.as_deref(),
            q.entrance.as_deref(),
            &q.room,
            30,
        )
        .await?,
    ))
}

/// Locks an open survey of a site the caller may see.
async fn lock_open(
    conn: &mut PgConnection,
    auth: &Authenticated,
    id: &str,
) -> Result<repo::StoredSurvey, ApiError> {
    let s = load(conn, auth, id).await?;
    match repo::lock_survey(conn, s.id).await? {
        Some((_, SurveyStatus::Open)) => Ok(s),
        Some((_, SurveyStatus::Closed)) => Err(refused(SurveyRefusal::SurveyClosed)),
        None => Err(ApiError::not_found("survey")),
    }
}

pub async fn hand_out(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<HandOutRequest>,
) -> Result<Json<HandOutResponse>, ApiError> {
    let mut tx = state.pool.begin().await?;
    let s = lock_open(&mut tx, &auth, &id).await?;
    let units: Vec<Uuid> = if input.all_occupied {
        repo::occupied_units(&mut tx, s.site_id).await?
    } else {
        if input.unit_ids.is_empty() || input.unit_ids.len() > MAX_HANDOUT_UNITS {
            return Err(refused(SurveyRefusal::Invalid {
                field: "unit_ids",
                reason: "1 to 2000 units",
            }));
        }
        let ids: Vec<Uuid> = input.unit_ids.iter().map(|u| u.0).collect();
        let found = repo::units(&mut tx, &ids).await?;
        for id in &ids {
            match found.iter().find(|(u, _, _)| u == id) {
                Some((_, site, _)) if *site != s.site_id => {
                    return Err(refused(SurveyRefusal::UnitNotInSite))
                }
                None => return Err(refused(SurveyRefusal::UnitNotInSite)),
                Some((_, _, false)) => return Err(refused(SurveyRefusal::UnitVacant)),
                Some(_) => {}
            }
        }
        ids
    };
    let added = repo::hand_out(&mut tx, s.id, &units, auth.profile().staff_id, Utc::now()).await?;
    let s = repo::survey(&mut tx, s.id)
        .await?
        .ok_or_else(|| ApiError::not_found("survey"))?;
    tx.commit().await?;
    Ok(Json(HandOutResponse {
        added,
        handed_out: s.handed_out,
    }))
}

/// The text of a dissatisfied respondent's return visit: the survey and the items.
fn visit_subject(title: &str, items: &[&SurveyItem]) -> String {
    let names: Vec<&str> = items.iter().map(|i| i.name_zh.as_str()).collect();
    format!("满意度调查《{title}》不满意：{}", names.join("、"))
}

pub async fn record_return(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReturnInput>,
) -> Result<(StatusCode, Json<ReturnResponse>), ApiError> {
    let mut tx = state.pool.begin().await?;
    let s = lock_open(&mut tx, &auth, &id).await?;
    let (q, suggestion) = input.parse(s.policy.scale, &s.items).map_err(refused)?;
    let unit = input.unit_id;
    match repo::units(&mut tx, &[unit.0]).await?.first() {
        Some((_, site, _)) if *site == s.site_id => {}
        _ => return Err(refused(SurveyRefusal::UnitNotInSite)),
    }
    let household_id = match repo::household(&mut tx, s.id, unit).await? {
        None => return Err(refused(SurveyRefusal::NotHandedOut)),
        Some((_, true)) => return Err(refused(SurveyRefusal::AlreadyReturned)),
        Some((h, false)) => h,
    };
    // The boxes as entered, in the stored answers' order.
    let marks: Vec<Vec<String>> = q
        .answers
        .iter()
        .map(|a| {
            input
                .answers
                .iter()
                .find(|m| m.item == a.item)
                .map(|m| m.marks.iter().map(|x| x.trim().to_owned()).collect())
                .unwrap_or_default()
        })
        .collect();
    let now = Utc::now();
    let by = auth.profile().staff_id;
    repo::record_return(
        &mut tx,
        &repo::ReturnRecord {
            survey_id: s.id,
            household_id,
            questionnaire: &q,
            marks: &marks,
            suggestion: &suggestion,
            by,
            now,
        },
    )
    .await?;
    let dissatisfied = q.dissatisfied_items(&s.items);
    let return_visit_id = if dissatisfied.is_empty() {
        None
    } else {
        repo::schedule_return_visit(
            &mut tx,
            s.site_id,
            unit.0,
            household_id,
            &visit_subject(&s.title, &dissatisfied),
            s.policy.return_visit_days,
            now,
        )
        .await?
    };
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(ReturnResponse {
            household_id,
            abstained: q.answers.iter().filter(|a| a.rating.is_none()).count() as u32,
            dissatisfied_items: dissatisfied.iter().map(|i| i.code.clone()).collect(),
            return_visit_id,
        }),
    ))
}

// --- results ---------------------------------------------------------------------------------

pub async fn results(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ResultsView>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let s = load(&mut conn, &auth, &id).await?;
    let back = repo::returned(&mut conn, s.id).await?;
    let per_entrance = repo::handed_out_per_entrance(&mut conn, s.id).await?;
    let entrances: Vec<_> = s
        .entrances
        .iter()
        .cloned()
        .map(|mut e| {
            e.handed_out = per_entrance
                .iter()
                .find(|(b, en, _)| *b == e.building && *en == e.entrance)
                .map(|(_, _, n)| *n as u32)
                .unwrap_or(0);
            e
        })
        .collect();
    let questionnaires: Vec<Questionnaire> = back.into_iter().map(|r| r.questionnaire).collect();
    let results = compute(
        &s.policy,
        &s.items,
        s.occupied_households,
        &entrances,
        s.handed_out,
        &questionnaires,
    );
    let (open, total) = repo::return_visit_counts(&mut conn, s.id).await?;
    Ok(Json(ResultsView {
        survey: view(&s, &calendar(&mut conn, s.site_id).await?),
        results,
        return_visits_open: open as u32,
        return_visits_total: total as u32,
    }))
}

/// Schedules the return visit of every dissatisfied respondent that has none (a survey entered
/// before the care slice existed, or a visit policy changed); a second call adds nothing.
pub async fn return_visits(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ReturnVisitsResponse>, ApiError> {
    require_manage(&auth)?;
    let mut tx = state.pool.begin().await?;
    let s = load(&mut tx, &auth, &id).await?;
    let created = schedule_missing(&mut tx, &s).await?;
    tx.commit().await?;
    Ok(Json(created))
}

/// Used by the route above and the demo.
pub async fn schedule_missing(
    conn: &mut PgConnection,
    s: &repo::StoredSurvey,
) -> Result<ReturnVisitsResponse, sqlx::Error> {
    let now = Utc::now();
    let mut created = 0;
    let mut households = 0;
    for r in repo::returned(conn, s.id).await? {
        let dissatisfied = r.questionnaire.dissatisfied_items(&s.items);
        if dissatisfied.is_empty() {
            continue;
        }
        households += 1;
        if repo::schedule_return_visit(
            conn,
            s.site_id,
            r.unit_id,
            r.household_id,
            &visit_subject(&s.title, &dissatisfied),
            s.policy.return_visit_days,
            now,
        )
        .await?
        .is_some()
        {
            created += 1;
        }
    }
    Ok(ReturnVisitsResponse {
        created,
        dissatisfied_households: households,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_to_their_status() {
        let status = |e| match refused(e) {
            ApiError::Coded { status, .. } => status,
            _ => StatusCode::IM_A_TEAPOT,
        };
        assert_eq!(status(SurveyRefusal::SurveyClosed), StatusCode::CONFLICT);
        assert_eq!(
            status(SurveyRefusal::RatingOffScale {
                item: "x".into(),
                rating: "y".into()
            }),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status(SurveyRefusal::UnitNotInSite),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn subject_names_the_survey_and_items() {
        let items = default_items();
        let s = visit_subject("2026年全面意见征询", &[&items[0], &items[3]]);
        assert_eq!(
            s,
            "满意度调查《2026年全面意见征询》不满意：保安工作及保安员服务态度、维修人员技能、服务态度及维修及时性"
        );
    }
}
