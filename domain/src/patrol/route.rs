//! Checkpoints and routes as the customer-service manager defines them, and the round a route
//! gives for a day (requirements §2.10: daily per building; extra rounds in rain, snow or wind
//! for balconies, and at holidays for the homes of residents who are away).

use super::checklist::{AreaType, ChecklistItem};
use super::round::{GeoPoint, Round, RoundStatus, Stop};
use crate::ids::{CheckpointId, RoundId, RouteId, SiteId, StaffId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 巡检点: a place with a QR label and its checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub id: CheckpointId,
    pub site_id: SiteId,
    /// What the QR code holds and what is printed under it for typing: `CP-3-RF`.
    pub code: String,
    /// `3栋 楼顶天台`
    pub name_zh: String,
    pub area: AreaType,
    #[serde(default)]
    pub building: Option<String>,
    #[serde(default)]
    pub position: Option<GeoPoint>,
    /// The site's copy of the area template (editable per site).
    pub items: Vec<ChecklistItem>,
    pub active: bool,
}

/// When a route is walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// 每日巡楼
    Daily,
    /// 雨雪大风天气检查阳台: started by hand when the weather calls for it.
    Weather,
    /// 节假日检查空置住户: started by hand at holidays.
    Holiday,
}

/// 巡检路线
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub id: RouteId,
    pub site_id: SiteId,
    pub name: String,
    /// Walk the checkpoints in this order (lateness is reported, never refused).
    pub ordered: bool,
    pub checkpoints: Vec<CheckpointId>,
    pub schedule: Schedule,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("the route is unknown, inactive or of another site")]
    UnknownRoute,
    #[error("a checkpoint of the route is unknown or inactive")]
    UnknownCheckpoint,
    #[error("the route has no checkpoints")]
    Empty,
}

/// The round `officer` walks of `route` on `date`, planned from the checkpoints as they are now.
pub fn plan_round(
    id: RoundId,
    route: &Route,
    checkpoints: &[Checkpoint],
    officer: StaffId,
    date: NaiveDate,
) -> Result<Round, RouteError> {
    if !route.active {
        return Err(RouteError::UnknownRoute);
    }
    if route.checkpoints.is_empty() {
        return Err(RouteError::Empty);
    }
    let stops = route
        .checkpoints
        .iter()
        .map(|cid| {
            checkpoints
                .iter()
                .find(|c| c.id == *cid && c.active && c.site_id == route.site_id)
                .map(|c| Stop {
                    checkpoint_id: c.id,
                    code: c.code.clone(),
                    name_zh: c.name_zh.clone(),
                    area: c.area,
                    items: c.items.clone(),
                    position: c.position,
                })
                .ok_or(RouteError::UnknownCheckpoint)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Round {
        id,
        site_id: route.site_id,
        officer,
        date,
        route_name: route.name.clone(),
        ordered: route.ordered,
        stops,
        status: RoundStatus::Planned,
        started_at: None,
        finished_at: None,
        early_reason: None,
        scans: Vec::new(),
        answers: Vec::new(),
        findings: Vec::new(),
    })
}
