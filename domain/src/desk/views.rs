//! REST JSON of the front-desk procedures. Personal numbers leave the server masked.

use super::lock_opening::{DocumentType, LockOpening, OrderForm};
use super::renovation::{Renovation, WorkerPass};
use super::OfficeHours;
use crate::ids::{ResidentId, UnitId};
use crate::people::{mask_middle, IdCardNumber, PhoneNumber};
use crate::reference::ResidentRole;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /api/v1/sites/{site}/desk/settings`: the office hours and what they mean now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskSettings {
    pub office_hours: OfficeHours,
    /// Whether it is office hours at the server's `now` (物业部 handles lock-openings).
    pub in_office_hours: bool,
    pub now: DateTime<Utc>,
}

/// A resident of a unit, for choosing who asks (masked numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResident {
    pub id: ResidentId,
    pub name: String,
    pub role: ResidentRole,
    pub phone_masked: Option<String>,
    pub id_card_masked: Option<String>,
    pub has_id_on_file: bool,
}

/// `GET /api/v1/units/{id}/residents`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResidents {
    pub unit_id: UnitId,
    pub label: String,
    pub residents: Vec<UnitResident>,
}

/// The engineering order a lock-opening made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedOrder {
    pub id: Uuid,
    pub number: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LockOpeningView {
    pub record: LockOpening,
    pub unit_label: String,
    pub verified_by_name: String,
    pub order: Option<LinkedOrder>,
}

impl LockOpeningView {
    pub fn form(&self) -> Option<OrderForm> {
        self.record.form
    }
}

/// `POST /api/v1/sites/{site}/lock-openings` (the `Verify` step).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewLockOpening {
    pub id: Uuid,
    pub unit_id: UnitId,
    pub resident_id: ResidentId,
    pub documents: Vec<DocumentType>,
    pub id_number: String,
    #[serde(default)]
    pub reason: String,
}

/// A worker pass as sent: numbers masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerPassView {
    pub id: Uuid,
    pub number: u32,
    pub name: String,
    pub id_card_masked: String,
    pub phone_masked: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_reason: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&WorkerPass> for WorkerPassView {
    fn from(w: &WorkerPass) -> Self {
        WorkerPassView {
            id: w.id,
            number: w.number,
            name: w.name.clone(),
            id_card_masked: IdCardNumber::parse(&w.id_card)
                .map(|i| i.masked())
                .unwrap_or_else(|_| mask_middle(&w.id_card, 4, 4)),
            phone_masked: PhoneNumber::parse(&w.phone)
                .map(|p| p.masked())
                .unwrap_or_else(|_| mask_middle(&w.phone, 3, 4)),
            issued_at: w.issued_at,
            revoked_reason: w.revoked.as_ref().map(|r| r.reason.clone()),
            revoked_at: w.revoked.as_ref().map(|r| r.at),
        }
    }
}

/// A renovation as sent: the record with the workers' and applicant's numbers masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenovationView {
    pub record: Renovation,
    pub unit_label: String,
    pub workers: Vec<WorkerPassView>,
    pub applicant_phone_masked: String,
    pub review_overdue: bool,
    pub extension_deadline: NaiveDate,
    /// Names of the staff in the history and patrols, by id.
    pub staff_names: Vec<(Uuid, String)>,
}

impl RenovationView {
    /// Masks what must not leave the server in full.
    pub fn new(
        mut record: Renovation,
        unit_label: String,
        today: NaiveDate,
        staff_names: Vec<(Uuid, String)>,
    ) -> Self {
        let workers = record.workers.iter().map(WorkerPassView::from).collect();
        for w in &mut record.workers {
            w.id_card = String::new();
            w.phone = String::new();
        }
        let applicant_phone_masked = PhoneNumber::parse(&record.applicant_phone)
            .map(|p| p.masked())
            .unwrap_or_else(|_| mask_middle(&record.applicant_phone, 3, 4));
        record.applicant_phone = String::new();
        RenovationView {
            review_overdue: record.review_overdue(today),
            extension_deadline: record.extension_deadline(),
            record,
            unit_label,
            workers,
            applicant_phone_masked,
            staff_names,
        }
    }
}

/// One line of the renovation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenovationSummary {
    pub id: Uuid,
    pub unit_label: String,
    pub applicant: String,
    pub company: String,
    pub status: String,
    pub review_due: NaiveDate,
    pub review_overdue: bool,
    pub planned_start: NaiveDate,
    pub declared_end: NaiveDate,
    pub patrols: u32,
    pub violations: u32,
}

/// One line of the lock-opening list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockOpeningSummary {
    pub id: Uuid,
    pub unit_label: String,
    pub resident_name: String,
    pub requester: ResidentRole,
    pub status: String,
    pub verified_at: DateTime<Utc>,
    pub order_number: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::renovation::{Renovation, RenovationStatus};
    use crate::ids::{SiteId, StaffId};
    use crate::money::Fen;

    #[test]
    fn renovation_view_masks_worker_and_applicant_numbers() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("d");
        let r = Renovation {
            id: Uuid::from_u128(1),
            site_id: SiteId(Uuid::from_u128(2)),
            unit_id: UnitId(Uuid::from_u128(3)),
            applicant: "周".into(),
            applicant_phone: "13800138000".into(),
            company: "c".into(),
            scope: String::new(),
            planned_start: d,
            declared_end: d,
            documents: vec![],
            applied_at: now,
            review_due: d,
            status: RenovationStatus::PermitIssued,
            review_note: String::new(),
            reviewed_at: None,
            deposit: Fen(1),
            fees: Fen(0),
            paid_at: None,
            permit_number: None,
            permit_issued_at: None,
            workers: vec![WorkerPass {
                id: Uuid::from_u128(4),
                number: 1,
                name: "张".into(),
                id_card: "11010519491231002X".into(),
                phone: "13900139000".into(),
                issued_at: now,
                revoked: None,
            }],
            patrols: vec![],
            extensions: vec![],
            completion_requested_at: None,
            inspection: None,
            refunded_at: None,
            history: vec![],
        };
        let _ = StaffId(Uuid::nil());
        let v = RenovationView::new(r, "6栋1单元801".into(), d, vec![]);
        let json = serde_json::to_string(&v).expect("json");
        assert!(!json.contains("11010519491231002X"));
        assert!(!json.contains("13900139000"));
        assert!(!json.contains("13800138000"));
        assert_eq!(v.workers[0].id_card_masked, "1101**********002X");
        assert_eq!(v.applicant_phone_masked, "138****8000");
    }
}
