//! The JSON of the release-pass REST API (not the sync protocol), shared by the server that
//! writes it and the desk screens that read it.

use super::pass::{OpenBill, Pass, PassDraft};
use super::policy::ReleasePolicy;
use crate::ids::UnitId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /api/v1/sites/{site}/release/passes`: the id is made on the tablet, so a repeated
/// request answers the pass it made the first time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewPassRequest {
    pub id: Uuid,
    #[serde(flatten)]
    pub draft: PassDraft,
}

/// A pass with the names the screens show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassView {
    pub pass: Pass,
    pub version: i64,
    pub site_name: String,
    #[serde(default)]
    pub used_by_name: Option<String>,
    #[serde(default)]
    pub void_by_name: Option<String>,
}

/// `POST /api/v1/release/passes/{id}/void`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidRequest {
    pub reason: String,
}

/// `GET /api/v1/release/units/{unit}/bills`: what blocks a pass for the unit now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitBills {
    pub unit_id: UnitId,
    pub unit_label: String,
    pub open_bills: Vec<OpenBill>,
    pub policy: ReleasePolicy,
}

/// `POST /api/v1/sites/{site}/release/other-bills`: an open bill the site records beyond the
/// 付款请求书 (e.g. a management fee kept in another ledger). Finance clears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherBillInput {
    pub unit_id: UnitId,
    pub description: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherBillView {
    pub id: Uuid,
    pub unit_id: UnitId,
    pub unit_label: String,
    pub description: String,
    pub amount_fen: i64,
    pub recorded_at: DateTime<Utc>,
    #[serde(default)]
    pub cleared_at: Option<DateTime<Utc>>,
}
