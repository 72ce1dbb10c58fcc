//! `GET /api/v1/sites/{site}/summary` (managers) and `GET /api/v1/sites/{site}/units?q=`
//! (desk, managers, security): role and site checked on every call.

use super::repo;
use crate::auth::extract::{AccessError, Authenticated};
use crate::http::error_response;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::access::Area;
use domain::ids::SiteId;
use domain::reference::{SiteSummary, UnitCard, UnitQuery};
use domain::visits::quota::monthly_visit_quota;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("not a site id")]
    BadSiteId,
    #[error("site not found")]
    SiteNotFound,
    #[error("query must name a room, e.g. 3-2-1502 or 1502")]
    BadQuery,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl IntoResponse for ReferenceError {
    fn into_response(self) -> Response {
        match self {
            ReferenceError::Access(e) => e.into_response(),
            ReferenceError::BadSiteId => {
                error_response(StatusCode::BAD_REQUEST, "bad_site_id", self.to_string())
            }
            ReferenceError::SiteNotFound => {
                error_response(StatusCode::NOT_FOUND, "site_not_found", self.to_string())
            }
            ReferenceError::BadQuery => {
                error_response(StatusCode::BAD_REQUEST, "bad_query", self.to_string())
            }
            ReferenceError::Db(e) => {
                tracing::error!(error = %e, "reference query failed");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
        }
    }
}

fn parse_site(s: &str) -> Result<SiteId, ReferenceError> {
    SiteId::parse(s).map_err(|_| ReferenceError::BadSiteId)
}

pub async fn site_summary(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
) -> Result<Json<SiteSummary>, ReferenceError> {
    auth.require(Area::CsBoard)
        .or_else(|_| auth.require(Area::EngBoard))
        .or_else(|_| auth.require(Area::Admin))?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let mut conn = state.pool.acquire().await?;
    let c = repo::site_counts(&mut conn, site)
        .await?
        .ok_or(ReferenceError::SiteNotFound)?;
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(Json(SiteSummary {
        site: repo::site_ref(site, &c),
        buildings: n(c.buildings),
        units: n(c.units),
        occupied_units: n(c.occupied_units),
        residents: n(c.residents),
        catalogue_items: n(c.catalogue_items),
        supplier_items: n(c.supplier_items),
        staff: n(c.staff),
        visit_quota: monthly_visit_quota(n(c.occupied_units)),
    }))
}

#[derive(Deserialize)]
pub struct UnitSearch {
    q: String,
}

pub async fn search_units(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(site): Path<String>,
    Query(UnitSearch { q }): Query<UnitSearch>,
) -> Result<Json<Vec<UnitCard>>, ReferenceError> {
    auth.require(Area::ResidentDirectory)?;
    let site = parse_site(&site)?;
    auth.require_site(site)?;
    let q = UnitQuery::parse(&q).ok_or(ReferenceError::BadQuery)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        repo::search_units(
            &mut conn,
            site,
            q.building.as_deref(),
            q.entrance.as_deref(),
            &q.room,
            20,
        )
        .await?,
    ))
}
