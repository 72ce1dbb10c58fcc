//! The JSON the REST API answers for repairs and billing (not the sync protocol): shared by the
//! server that writes it and the screens that read it.

use super::model::WorkOrder;
use super::policy::RepairPolicy;
use crate::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use crate::money::Fen;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /api/v1/work-orders/{id}`: one order with the names a printout needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: WorkOrder,
    pub version: i64,
    pub site_name: String,
    /// `3栋2单元1502`, for in-home jobs.
    pub unit_label: Option<String>,
    /// Display names of every staff member the order names (creator, assignee, history).
    pub staff_names: Vec<(StaffId, String)>,
    /// Catalogue names by code, for the lines.
    pub item_names: Vec<(String, String)>,
    pub policy: RepairPolicy,
    /// When the server received the order first and last.
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How a payment request was settled (no technician ever records cash).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// 银行转账
    BankTransfer,
    /// 网上支付
    Online,
    /// 服务中心收银台
    CashAtOffice,
    /// 上门收费
    DoorCollection,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLineView {
    pub order_id: WorkOrderId,
    pub order_number: String,
    pub description: String,
    pub amount: Fen,
    pub closed_at: DateTime<Utc>,
}

/// 付款请求书
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRequestView {
    pub id: Uuid,
    /// `FK-2026-11-0001`
    pub number: String,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub unit_label: String,
    /// The owner (or first resident) on file, for the letter.
    pub payer_name: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub total: Fen,
    pub lines: Vec<PaymentLineView>,
    pub paid_at: Option<DateTime<Utc>>,
    pub paid_method: Option<PaymentMethod>,
    pub paid_by: Option<String>,
    /// Unpaid after the due day: on the door-collection list.
    pub overdue: bool,
}

/// `POST /api/v1/sites/{site}/billing/batches`: issue the batch dated `issued_on` (today, China
/// time, when absent). Running it twice bills nothing twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunBatchRequest {
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunBatchResponse {
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    /// The requests this run created (empty when nothing was left to bill).
    pub created: Vec<PaymentRequestView>,
}

/// `POST /api/v1/billing/requests/{id}/pay` (finance only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkPaidRequest {
    pub method: PaymentMethod,
}
