//! The work order record and the commands that change it.

use crate::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use crate::money::Fen;
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
    /// 已报价, waiting for the resident's consent signature.
    Quoted,
    /// 维修中: the resident signed the quote.
    InProgress,
    /// 完工待验收: work and trial done, waiting for the acceptance signature.
    Finished,
    /// 业户不在家: a 留言条 was left; the desk rebooks.
    AwaitingRebook,
    /// 费用待定: the fee could not be settled on site; engineering and customer service decide.
    FeePending,
    /// 已完成: accepted by the resident (or the fee decided afterwards).
    Closed,
    /// 业户拒绝维修: back to the desk with the reason and the technician's signature.
    ResidentDeclined,
    /// 转介供应商: the item is on the supplier list; nothing is dispatched.
    Referred,
    /// 已答复: an item outside the fee standard, answered by the engineering manager.
    Answered,
}

impl WorkOrderStatus {
    pub const fn code(self) -> &'static str {
        match self {
            WorkOrderStatus::Reported => "reported",
            WorkOrderStatus::Assigned => "assigned",
            WorkOrderStatus::Accepted => "accepted",
            WorkOrderStatus::OnSite => "on_site",
            WorkOrderStatus::Quoted => "quoted",
            WorkOrderStatus::InProgress => "in_progress",
            WorkOrderStatus::Finished => "finished",
            WorkOrderStatus::AwaitingRebook => "awaiting_rebook",
            WorkOrderStatus::FeePending => "fee_pending",
            WorkOrderStatus::Closed => "closed",
            WorkOrderStatus::ResidentDeclined => "resident_declined",
            WorkOrderStatus::Referred => "referred",
            WorkOrderStatus::Answered => "answered",
        }
    }

    /// Nothing more happens to the job itself (a return visit may still follow).
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            WorkOrderStatus::Closed
                | WorkOrderStatus::ResidentDeclined
                | WorkOrderStatus::Referred
                | WorkOrderStatus::Answered
        )
    }

    pub const ALL: [WorkOrderStatus; 13] = [
        WorkOrderStatus::Reported,
        WorkOrderStatus::Assigned,
        WorkOrderStatus::Accepted,
        WorkOrderStatus::OnSite,
        WorkOrderStatus::Quoted,
        WorkOrderStatus::InProgress,
        WorkOrderStatus::Finished,
        WorkOrderStatus::AwaitingRebook,
        WorkOrderStatus::FeePending,
        WorkOrderStatus::Closed,
        WorkOrderStatus::ResidentDeclined,
        WorkOrderStatus::Referred,
        WorkOrderStatus::Answered,
    ];
}

/// What the request was matched against at intake (requirements §2.2 step 1x, §3.1–3.2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CatalogueMatch {
    /// Not matched yet, or outside both lists: the engineering manager replies (≤15 min).
    #[default]
    None,
    /// An item of 《管理处家庭维修服务项目一览表》, by code (`一-03`).
    Catalogue { code: String },
    /// An item of 《专业供应商名单和维修服务项目一览表》: the resident is referred.
    Supplier { code: String },
}

impl CatalogueMatch {
    pub fn is_none(&self) -> bool {
        matches!(self, CatalogueMatch::None)
    }
}

/// Who supplied a material (《返修申请表》 材料提供方).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialSource {
    /// The resident bought it: recorded for consumption, no charge.
    Resident,
    /// The office bought it for the resident: needs the resident's prior approval.
    Office,
}

/// One line of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuoteLine {
    /// A catalogue item at the site's fee standard.
    Item {
        code: String,
        quantity: u32,
        unit_price: Fen,
        /// For items whose catalogue remarks need the resident's acknowledgement (二-04).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        disclaimer_acknowledged: bool,
    },
    /// A material.
    Material {
        name: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        spec: String,
        quantity: u32,
        unit_price: Fen,
        source: MaterialSource,
        /// The resident approved price, quality and performance before it was bought.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        resident_approved: bool,
    },
}

/// The resident's rating of the repair (the 3-level scale of the documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 基本满意
    FairlySatisfied,
    /// 不满意
    Dissatisfied,
}

/// A signature as the device captures it: the image, who signed, and the hash of exactly what
/// was shown to them ([`super::signing`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    pub image: BlobRef,
    pub signer_name: String,
    pub content_hash: String,
}

/// A signature on the record: the input plus when it was made (trusted time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub image: BlobRef,
    pub signer_name: String,
    pub content_hash: String,
    pub signed_at: DateTime<Utc>,
}

/// The resident's acceptance (验收): opinion, name, rating, and their signature unless they
/// refused to sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptanceInput {
    #[serde(default)]
    pub signature: Option<SignatureInput>,
    #[serde(default)]
    pub opinion: String,
    #[serde(default)]
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub signature: Option<Signature>,
    pub opinion: String,
    pub rating: Option<Rating>,
    pub at: DateTime<Utc>,
}

/// A visit when nobody was home (留言条 left).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub by: StaffId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<BlobRef>,
}

/// The two sides that settle a fee-pending job together (S0 第4/12篇: 工程主管 + 客服).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeSide {
    Engineering,
    CustomerService,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeApproval {
    pub side: FeeSide,
    pub by: StaffId,
    pub at: DateTime<Utc>,
    /// The hash of the lines approved; both sides must approve the same lines.
    pub lines_hash: String,
}

/// The coordination record of an in-warranty quality complaint (保修期内质量投诉协调处理单).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarrantyCoordination {
    pub developer_notified_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub developer_contact: String,
    pub survey_at: Option<DateTime<Utc>>,
}

/// Why a closed job must get a return visit (requirements §5.2 rule 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MandatoryVisit {
    Dissatisfied,
    Unrated,
    Unsigned,
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
    /// When the call or visit came in (for the ≤5 min ticket clock); the create's own time
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "CatalogueMatch::is_none")]
    pub matched: CatalogueMatch,
    /// A leak (渗漏): the longer return deadline of S2 applies where the policy has one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leak: bool,
    /// The resident says the same fault was repaired before (二次返修).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub second_repair_reported: bool,
    /// Made from a fault found on patrol: the de-duplication key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patrol_source: Option<PatrolSource>,
}

/// The patrol fault an order was made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PatrolSource {
    pub round_id: crate::ids::RoundId,
    pub fault: crate::patrol::findings::FaultSource,
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
    /// 转介: the item is on the supplier list; the resident is referred (desk, managers, or the
    /// technician after looking at it).
    Refer {
        supplier_code: String,
    },
    /// The engineering manager's reply to an item outside the fee standard; `close` ends the
    /// job with the reply, otherwise it stays open for dispatch.
    Reply {
        text: String,
        #[serde(default)]
        close: bool,
    },
    /// The engineering manager visited a second repair before dispatch.
    ManagerVisit {
        note: String,
    },
    /// 确认维修范围 and 报价: the actual scope and the lines; a new quote needs a new consent.
    Quote {
        scope: String,
        lines: Vec<QuoteLine>,
    },
    /// The resident's consent signature on the quote; work may start.
    Consent {
        signature: SignatureInput,
    },
    /// Work and trial done.
    Finish {
        #[serde(default)]
        photos: Vec<BlobRef>,
    },
    /// The resident's acceptance: the job is closed.
    ResidentAccept {
        acceptance: AcceptanceInput,
    },
    /// The resident declines the repair: reason plus the technician's signature.
    ResidentDecline {
        reason: String,
        technician_signature: SignatureInput,
    },
    /// Nobody home: a 留言条 was left; the desk rebooks.
    NobodyHome {
        #[serde(default)]
        photo: Option<BlobRef>,
    },
    /// The desk books the next visit after nobody was home.
    Rebook {
        timing: Timing,
    },
    /// Work done but the fee can't be settled on site; the resident's acceptance is taken.
    FeePending {
        note: String,
        acceptance: AcceptanceInput,
    },
    /// One side's decision on a fee-pending job; the job closes when both sides approved the
    /// same lines.
    DecideFee {
        lines: Vec<QuoteLine>,
    },
    /// Missing materials or parts (S1 §5): the shortage clock starts.
    MaterialShortage {
        note: String,
    },
    MaterialsArrived,
    /// The developer's supervision department was told (in-warranty complaints).
    NotifyDeveloper {
        contact: String,
        #[serde(default)]
        survey_at: Option<DateTime<Utc>>,
    },
    /// The paperwork of an emergency job, completed afterwards.
    CompletePaperwork {
        reporter_name: String,
        reporter_phone: String,
        content: String,
    },
}

impl WorkOrderCommand {
    /// The blobs the command refers to; all must be uploaded before it is applied.
    pub fn blobs(&self) -> Vec<BlobRef> {
        use WorkOrderCommand as C;
        let acc = |a: &AcceptanceInput| a.signature.iter().map(|s| s.image.clone()).collect();
        match self {
            C::Create(n) => n.photos.clone(),
            C::Consent { signature } => vec![signature.image.clone()],
            C::Finish { photos } => photos.clone(),
            C::ResidentAccept { acceptance } | C::FeePending { acceptance, .. } => acc(acceptance),
            C::ResidentDecline {
                technician_signature,
                ..
            } => vec![technician_signature.image.clone()],
            C::NobodyHome { photo } => photo.iter().cloned().collect(),
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
            WorkOrderCommand::Refer { .. } => "work_order.refer",
            WorkOrderCommand::Reply { .. } => "work_order.reply",
            WorkOrderCommand::ManagerVisit { .. } => "work_order.manager_visit",
            WorkOrderCommand::Quote { .. } => "work_order.quote",
            WorkOrderCommand::Consent { .. } => "work_order.consent",
            WorkOrderCommand::Finish { .. } => "work_order.finish",
            WorkOrderCommand::ResidentAccept { .. } => "work_order.resident_accept",
            WorkOrderCommand::ResidentDecline { .. } => "work_order.resident_decline",
            WorkOrderCommand::NobodyHome { .. } => "work_order.nobody_home",
            WorkOrderCommand::Rebook { .. } => "work_order.rebook",
            WorkOrderCommand::FeePending { .. } => "work_order.fee_pending",
            WorkOrderCommand::DecideFee { .. } => "work_order.decide_fee",
            WorkOrderCommand::MaterialShortage { .. } => "work_order.material_shortage",
            WorkOrderCommand::MaterialsArrived => "work_order.materials_arrived",
            WorkOrderCommand::NotifyDeveloper { .. } => "work_order.notify_developer",
            WorkOrderCommand::CompletePaperwork { .. } => "work_order.complete_paperwork",
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
    // Everything below was added after v1 froze: optional, and left out of the JSON when empty,
    // so a v1 record reads and writes exactly as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacted_at: Option<DateTime<Utc>>,
    /// When engineering could first see the ticket: the server's receipt of the create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eng_notified_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "CatalogueMatch::is_none")]
    pub matched: CatalogueMatch,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leak: bool,
    /// An emergency: the job started before the ticket (紧急情况, 处理完后补办手续).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retroactive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paperwork_completed_at: Option<DateTime<Utc>>,
    /// 二次返修: the earlier order for the same unit and item within the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_repair_of: Option<SecondRepair>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_visited_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    /// The actual repair scope as confirmed on site (实际维修项目).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<QuoteLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Signature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after_photos: Vec<BlobRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Acceptance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declined: Option<DeclineRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<Attempt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fee_approvals: Vec<FeeApproval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortage: Option<Shortage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty: Option<WarrantyCoordination>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patrol_source: Option<PatrolSource>,
}

/// The earlier job a second repair repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondRepair {
    pub order_id: WorkOrderId,
    #[serde(default)]
    pub number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    pub at: DateTime<Utc>,
    pub by: StaffId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclineRecord {
    pub reason: String,
    pub technician_signature: Signature,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortage {
    pub note: String,
    pub reported_at: DateTime<Utc>,
    pub arrived_at: Option<DateTime<Utc>>,
}

impl WorkOrder {
    /// The sum of the quoted lines; `None` if it overflows (never for validated lines).
    pub fn total(&self) -> Option<Fen> {
        super::quote::total(&self.lines)
    }

    /// Why this closed job needs a return visit, if it must have one.
    pub fn mandatory_visit(&self) -> Option<MandatoryVisit> {
        // Return visits are to residents: common-area jobs have none.
        if self.status != WorkOrderStatus::Closed || self.common_area {
            return None;
        }
        let a = self.acceptance.as_ref()?;
        match (a.rating, &a.signature) {
            (Some(Rating::Dissatisfied), _) => Some(MandatoryVisit::Dissatisfied),
            (None, _) => Some(MandatoryVisit::Unrated),
            (_, None) => Some(MandatoryVisit::Unsigned),
            _ => None,
        }
    }

    /// Emergency paperwork still to complete.
    pub fn paperwork_pending(&self) -> bool {
        self.retroactive && self.paperwork_completed_at.is_none()
    }
}

/// Limits on typed text, in characters.
pub const MAX_CONTENT_CHARS: usize = 2000;
pub const MAX_SHORT_TEXT_CHARS: usize = 100;
pub const MAX_PHOTOS: usize = 9;
/// Lines on one quote.
pub const MAX_LINES: usize = 30;
/// Quantity of one line (metres for per-metre items).
pub const MAX_QUANTITY: u32 = 999;
/// The most a material may cost per unit: ¥5,000. Anything above is a typo.
pub const MAX_MATERIAL_UNIT_PRICE: Fen = Fen(500_000);
/// The most one repair may come to: ¥50,000.
pub const MAX_ORDER_TOTAL: Fen = Fen(5_000_000);
