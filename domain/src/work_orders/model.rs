//! The work order record and the commands that change it.

use crate::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use crate::sync::wire::BlobRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How the request reached the service centre (requirements §2.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 电话
    Phone,
    /// 来访
    WalkIn,
    /// 书面
    Written,
    /// 其他员工转报
    Relayed,
    /// 现场（技术员或巡检员在现场发现）
    Field,
}

/// The kind of repair (requirements §2.1–2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairKind {
    /// 日常报修
    Daily,
    /// 保修期内质量投诉
    WarrantyComplaint,
    /// 急修
    Urgent,
    /// 紧急情况: act first, paperwork after.
    Emergency,
}

/// 即时维修 vs 预约维修.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Timing {
    Immediate,
    Appointment { at: DateTime<Utc> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkOrderStatus {
    /// 已报修, waiting for dispatch.
    Reported,
    /// 已派工, waiting for the technician to accept.
    Assigned,
    /// 已接单
    Accepted,
    /// 已到场
    OnSite,
}

impl WorkOrderStatus {
    pub const fn code(self) -> &'static str {
        match self {
            WorkOrderStatus::Reported => "reported",
            WorkOrderStatus::Assigned => "assigned",
            WorkOrderStatus::Accepted => "accepted",
            WorkOrderStatus::OnSite => "on_site",
        }
    }
}

/// Free-text fields that merge field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    /// 报修内容
    Content,
    /// 维修地址 / 位置说明
    Location,
}

/// A new repair request as the desk or a field worker enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRepairRequest {
    pub site_id: SiteId,
    /// The flat, for in-home repairs; `None` for a common area.
    pub unit_id: Option<UnitId>,
    pub common_area: bool,
    /// Where exactly (required for common areas: "3栋2单元 5楼楼梯间").
    pub location: String,
    pub channel: Channel,
    pub kind: RepairKind,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub content: String,
    pub timing: Timing,
    #[serde(default)]
    pub photos: Vec<BlobRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorkOrderCommand {
    Create(NewRepairRequest),
    /// 派工 (also reassignment) by the engineering manager.
    Assign {
        technician: StaffId,
    },
    /// 接单 by the assigned technician.
    Accept,
    /// The technician hands the job back to dispatch.
    Decline {
        reason: String,
    },
    /// 到场: the device's time of arrival is the mutation's `occurred_at`.
    Arrive,
    /// A text correction, merged against the value the device saw.
    EditText {
        field: TextField,
        base: String,
        value: String,
    },
}

impl WorkOrderCommand {
    pub fn blobs(&self) -> Vec<BlobRef> {
        match self {
            WorkOrderCommand::Create(n) => n.photos.clone(),
            _ => Vec::new(),
        }
    }

    pub const fn type_name(&self) -> &'static str {
        match self {
            WorkOrderCommand::Create(_) => "work_order.create",
            WorkOrderCommand::Assign { .. } => "work_order.assign",
            WorkOrderCommand::Accept => "work_order.accept",
            WorkOrderCommand::Decline { .. } => "work_order.decline",
            WorkOrderCommand::Arrive => "work_order.arrive",
            WorkOrderCommand::EditText { .. } => "work_order.edit_text",
        }
    }
}

/// One line of the order's history: who did what when (device time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub by: StaffId,
    pub action: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 维修单: the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkOrder {
    pub id: WorkOrderId,
    pub site_id: SiteId,
    /// The readable per-site serial (`BX-2026-11-0042`), given by the server when the create
    /// is applied; `None` on a device until then.
    pub number: Option<String>,
    pub unit_id: Option<UnitId>,
    pub common_area: bool,
    pub location: String,
    pub channel: Channel,
    pub kind: RepairKind,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub content: String,
    pub timing: Timing,
    pub photos: Vec<BlobRef>,
    pub status: WorkOrderStatus,
    pub assignee: Option<StaffId>,
    pub created_by: StaffId,
    pub reported_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub arrived_at: Option<DateTime<Utc>>,
    pub history: Vec<HistoryEntry>,
}

/// Limits on typed text, in characters.
pub const MAX_CONTENT_CHARS: usize = 2000;
pub const MAX_SHORT_TEXT_CHARS: usize = 100;
pub const MAX_PHOTOS: usize = 9;
