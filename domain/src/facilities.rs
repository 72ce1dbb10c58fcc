//! 设施使用 / 预定: facility booking, parking-space rental and lending (requirements §2.16).
//! Bookings are applied for in advance and the office assigns the time slot ("预定公共设施需提前
//! 申请,由物业安排时间"); damage is recorded against the booking with its compensation. The
//! seeds set no slot length, hours or fees (§6), so each facility carries its own opening hours
//! and slot length (a per-site setting). Parking (租车位程序, S0 第9篇 3.6): 车位协议书, rent and
//! 车卡押金 paid, the car card issued. Wheelchairs and tools are lent against the room number,
//! name, phone and a valid ID shown (S4 item 35); returns are recorded, and late ones listed.

use crate::ids::{SiteId, StaffId, UnitId};
use crate::money::Fen;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FacilityRefusal {
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    #[error("the facility is closed for bookings")]
    FacilityInactive,
    #[error("the slot is outside the facility's opening hours")]
    OutsideOpeningHours,
    #[error("slots start on the facility's slot grid")]
    SlotMisaligned,
    #[error("the slot is in the past")]
    SlotInPast,
    #[error("the slot is booked already")]
    SlotTaken,
    #[error("the booking is not waiting for a slot")]
    NotRequested,
    #[error("damage is recorded against a booking that had its slot")]
    NoSlot,
    #[error("the parking agreement (车位协议书) is not signed")]
    AgreementNotSigned,
    #[error("the space is rented already")]
    SpaceTaken,
    #[error("rent and card deposit are paid before the car card is issued")]
    CardBeforePayment,
    #[error("the rental is paid already")]
    AlreadyPaid,
    #[error("a valid ID is shown before lending")]
    IdNotShown,
    #[error("the item is lent out")]
    ItemOut,
    #[error("returned already")]
    AlreadyReturned,
    #[error("cannot {action} what is {from}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
}

impl FacilityRefusal {
    pub const fn code(&self) -> &'static str {
        match self {
            FacilityRefusal::InvalidInput { .. } => "invalid_input",
            FacilityRefusal::FacilityInactive => "facility_inactive",
            FacilityRefusal::OutsideOpeningHours => "outside_opening_hours",
            FacilityRefusal::SlotMisaligned => "slot_misaligned",
            FacilityRefusal::SlotInPast => "slot_in_past",
            FacilityRefusal::SlotTaken => "slot_taken",
            FacilityRefusal::NotRequested => "not_requested",
            FacilityRefusal::NoSlot => "no_slot",
            FacilityRefusal::AgreementNotSigned => "agreement_not_signed",
            FacilityRefusal::SpaceTaken => "space_taken",
            FacilityRefusal::CardBeforePayment => "card_before_payment",
            FacilityRefusal::AlreadyPaid => "already_paid",
            FacilityRefusal::IdNotShown => "id_not_shown",
            FacilityRefusal::ItemOut => "item_out",
            FacilityRefusal::AlreadyReturned => "already_returned",
            FacilityRefusal::InvalidTransition { .. } => "invalid_transition",
        }
    }
}

fn invalid(field: &'static str, reason: &'static str) -> FacilityRefusal {
    FacilityRefusal::InvalidInput { field, reason }
}

fn text(field: &'static str, s: &str, max: usize) -> Result<String, FacilityRefusal> {
    let t = s.trim();
    if t.is_empty() {
        Err(invalid(field, "required"))
    } else if t.chars().count() > max {
        Err(invalid(field, "too long"))
    } else {
        Ok(t.to_owned())
    }
}

fn money(field: &'static str, v: i64) -> Result<Fen, FacilityRefusal> {
    if (0..=Fen::MAX_LINE.0).contains(&v) {
        Ok(Fen(v))
    } else {
        Err(invalid(field, "out of range"))
    }
}

// --- facilities and bookings -----------------------------------------------------------------

/// A bookable facility of a site (网球场, 活动室, …) with its own hours and slot length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facility {
    pub id: Uuid,
    pub site_id: SiteId,
    pub name: String,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub slot_minutes: u32,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilityInput {
    pub name: String,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub slot_minutes: u32,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl FacilityInput {
    pub fn to_facility(&self, id: Uuid, site_id: SiteId) -> Result<Facility, FacilityRefusal> {
        let name = text("name", &self.name, 32)?;
        if !(15..=480).contains(&self.slot_minutes) {
            return Err(invalid("slot_minutes", "between 15 and 480"));
        }
        if self.closes <= self.opens {
            return Err(invalid("closes", "after opening"));
        }
        let span = (self.closes - self.opens).num_minutes();
        if span < i64::from(self.slot_minutes) {
            return Err(invalid("slot_minutes", "longer than the opening hours"));
        }
        Ok(Facility {
            id,
            site_id,
            name,
            opens: self.opens,
            closes: self.closes,
            slot_minutes: self.slot_minutes,
            active: self.active,
        })
    }
}

impl Facility {
    /// The slot starting at `start`, if it lies on the grid and within the hours.
    pub fn slot_at(&self, start: NaiveTime) -> Result<(NaiveTime, NaiveTime), FacilityRefusal> {
        if start < self.opens {
            return Err(FacilityRefusal::OutsideOpeningHours);
        }
        let offset = (start - self.opens).num_minutes();
        let len = i64::from(self.slot_minutes);
        if offset % len != 0 {
            return Err(FacilityRefusal::SlotMisaligned);
        }
        let end = start + Duration::minutes(len);
        if end > self.closes || end <= start {
            return Err(FacilityRefusal::OutsideOpeningHours);
        }
        Ok((start, end))
    }

    /// Every slot start of a day.
    pub fn slot_starts(&self) -> Vec<NaiveTime> {
        let mut out = Vec::new();
        let mut t = self.opens;
        let len = Duration::minutes(i64::from(self.slot_minutes));
        while t + len <= self.closes && t + len > t {
            out.push(t);
            t += len;
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// 申请: waiting for the office to assign a slot.
    Requested,
    /// 已安排
    Assigned,
    Cancelled,
}

impl BookingStatus {
    pub const fn code(self) -> &'static str {
        match self {
            BookingStatus::Requested => "requested",
            BookingStatus::Assigned => "assigned",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<BookingStatus> {
        [
            BookingStatus::Requested,
            BookingStatus::Assigned,
            BookingStatus::Cancelled,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

/// One slot on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// 损坏公共设施: what was damaged and what the resident pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Damage {
    pub description: String,
    pub compensation: Fen,
    pub recorded_by: StaffId,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub id: Uuid,
    pub site_id: SiteId,
    pub facility_id: Uuid,
    pub unit_id: UnitId,
    pub resident_name: String,
    pub phone_masked: String,
    /// What the resident asked for (a day, a time of day), in their words.
    pub wanted: String,
    pub status: BookingStatus,
    pub slot: Option<Slot>,
    pub damage: Option<Damage>,
    pub created_by: StaffId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRequest {
    pub unit_id: UnitId,
    pub resident_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub wanted: String,
}

fn masked_phone(s: &str) -> Result<String, FacilityRefusal> {
    if s.trim().is_empty() {
        return Ok(String::new());
    }
    crate::people::PhoneNumber::parse(s)
        .map(|p| p.masked())
        .map_err(|_| invalid("phone", "not a phone number"))
}

impl Booking {
    pub fn request(
        id: Uuid,
        facility: &Facility,
        req: &BookingRequest,
        by: StaffId,
        now: DateTime<Utc>,
    ) -> Result<Booking, FacilityRefusal> {
        if !facility.active {
            return Err(FacilityRefusal::FacilityInactive);
        }
        let resident_name = text("resident_name", &req.resident_name, 64)?;
        let wanted = req.wanted.trim().to_owned();
        if wanted.chars().count() > 200 {
            return Err(invalid("wanted", "too long"));
        }
        Ok(Booking {
            id,
            site_id: facility.site_id,
            facility_id: facility.id,
            unit_id: req.unit_id,
            resident_name,
            phone_masked: masked_phone(&req.phone)?,
            wanted,
            status: BookingStatus::Requested,
            slot: None,
            damage: None,
            created_by: by,
            created_at: now,
        })
    }

    /// 由物业安排时间: the office assigns a slot. `taken`: the facility's slots already assigned
    /// (to other bookings) on that date.
    pub fn assign(
        &self,
        facility: &Facility,
        date: NaiveDate,
        start: NaiveTime,
        taken: &[Slot],
        today: NaiveDate,
    ) -> Result<Booking, FacilityRefusal> {
        if self.status != BookingStatus::Requested {
            return Err(FacilityRefusal::NotRequested);
        }
        if !facility.active {
            return Err(FacilityRefusal::FacilityInactive);
        }
        if date < today {
            return Err(FacilityRefusal::SlotInPast);
        }
        let (start, end) = facility.slot_at(start)?;
        if taken
            .iter()
            .any(|s| s.date == date && s.start < end && start < s.end)
        {
            return Err(FacilityRefusal::SlotTaken);
        }
        let mut next = self.clone();
        next.status = BookingStatus::Assigned;
        next.slot = Some(Slot { date, start, end });
        Ok(next)
    }

    pub fn cancel(&self) -> Result<Booking, FacilityRefusal> {
        if self.status == BookingStatus::Cancelled {
            return Err(FacilityRefusal::InvalidTransition {
                from: self.status.code(),
                action: "cancel",
            });
        }
        let mut next = self.clone();
        next.status = BookingStatus::Cancelled;
        Ok(next)
    }

    /// 损坏公共设施要赔偿: damage recorded against a booking that had its slot.
    pub fn record_damage(
        &self,
        description: &str,
        compensation_fen: i64,
        by: StaffId,
        now: DateTime<Utc>,
    ) -> Result<Booking, FacilityRefusal> {
        if self.status != BookingStatus::Assigned {
            return Err(FacilityRefusal::NoSlot);
        }
        let description = text("description", description, 500)?;
        let compensation = money("compensation_fen", compensation_fen)?;
        let mut next = self.clone();
        next.damage = Some(Damage {
            description,
            compensation,
            recorded_by: by,
            recorded_at: now,
        });
        Ok(next)
    }
}

// --- parking ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParkingStatus {
    /// 填写车位协议书
    Agreed,
    /// 交租金车卡押金, 收费开单, 收费数据入电脑
    Paid,
    /// 发车卡: the car may enter.
    CardIssued,
}

impl ParkingStatus {
    pub const fn code(self) -> &'static str {
        match self {
            ParkingStatus::Agreed => "agreed",
            ParkingStatus::Paid => "paid",
            ParkingStatus::CardIssued => "card_issued",
        }
    }

    pub fn parse(s: &str) -> Option<ParkingStatus> {
        [
            ParkingStatus::Agreed,
            ParkingStatus::Paid,
            ParkingStatus::CardIssued,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkingRental {
    pub id: Uuid,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub space_no: String,
    pub holder_name: String,
    pub plate: String,
    pub rent: Fen,
    pub card_deposit: Fen,
    pub months: u32,
    pub receipt_no: Option<String>,
    pub card_no: Option<String>,
    pub status: ParkingStatus,
    pub created_by: StaffId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkingInput {
    pub unit_id: UnitId,
    pub space_no: String,
    pub holder_name: String,
    pub plate: String,
    pub rent_fen: i64,
    pub card_deposit_fen: i64,
    pub months: u32,
    /// 车位协议书 filled in and signed at the front desk.
    pub agreement_signed: bool,
}

/// A plate as people type it: letters, digits and one leading province character.
fn plate(s: &str) -> Result<String, FacilityRefusal> {
    let p: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '·')
        .collect::<String>()
        .to_uppercase();
    let n = p.chars().count();
    if !(5..=10).contains(&n) || !p.chars().skip(1).all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid("plate", "not a plate number"));
    }
    Ok(p)
}

impl ParkingRental {
    /// `space_rented`: whether the space has a live rental already.
    pub fn agree(
        id: Uuid,
        site_id: SiteId,
        input: &ParkingInput,
        space_rented: bool,
        by: StaffId,
        now: DateTime<Utc>,
    ) -> Result<ParkingRental, FacilityRefusal> {
        let space_no = text("space_no", &input.space_no, 16)?;
        let holder_name = text("holder_name", &input.holder_name, 64)?;
        let plate = plate(&input.plate)?;
        let rent = money("rent_fen", input.rent_fen)?;
        let card_deposit = money("card_deposit_fen", input.card_deposit_fen)?;
        if !(1..=120).contains(&input.months) {
            return Err(invalid("months", "between 1 and 120"));
        }
        if rent.0 == 0 {
            return Err(invalid("rent_fen", "required"));
        }
        if !input.agreement_signed {
            return Err(FacilityRefusal::AgreementNotSigned);
        }
        if space_rented {
            return Err(FacilityRefusal::SpaceTaken);
        }
        Ok(ParkingRental {
            id,
            site_id,
            unit_id: input.unit_id,
            space_no,
            holder_name,
            plate,
            rent,
            card_deposit,
            months: input.months,
            receipt_no: None,
            card_no: None,
            status: ParkingStatus::Agreed,
            created_by: by,
            created_at: now,
        })
    }

    /// 交租金车卡押金 → 收费开单.
    pub fn pay(&self, receipt_no: &str) -> Result<ParkingRental, FacilityRefusal> {
        if self.status != ParkingStatus::Agreed {
            return Err(FacilityRefusal::AlreadyPaid);
        }
        let mut next = self.clone();
        next.receipt_no = Some(text("receipt_no", receipt_no, 32)?);
        next.status = ParkingStatus::Paid;
        Ok(next)
    }

    /// 发车卡.
    pub fn issue_card(&self, card_no: &str) -> Result<ParkingRental, FacilityRefusal> {
        match self.status {
            ParkingStatus::Agreed => return Err(FacilityRefusal::CardBeforePayment),
            ParkingStatus::Paid => {}
            ParkingStatus::CardIssued => {
                return Err(FacilityRefusal::InvalidTransition {
                    from: self.status.code(),
                    action: "issue_card",
                })
            }
        }
        let mut next = self.clone();
        next.card_no = Some(text("card_no", card_no, 32)?);
        next.status = ParkingStatus::CardIssued;
        Ok(next)
    }
}

// --- lending ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanItem {
    /// 轮椅 (free, S4 item 35)
    Wheelchair,
    /// 便民工具 (pump, trolley, tools: S1 free services)
    Tool,
}

impl LoanItem {
    pub const fn code(self) -> &'static str {
        match self {
            LoanItem::Wheelchair => "wheelchair",
            LoanItem::Tool => "tool",
        }
    }

    pub fn parse(s: &str) -> Option<LoanItem> {
        [LoanItem::Wheelchair, LoanItem::Tool]
            .into_iter()
            .find(|x| x.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loan {
    pub id: Uuid,
    pub site_id: SiteId,
    pub item: LoanItem,
    pub item_name: String,
    pub unit_id: UnitId,
    pub borrower_name: String,
    pub phone_masked: String,
    /// 出示有效证件: which document was shown (身份证, 驾驶证, …).
    pub id_shown: String,
    pub lent_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub returned_at: Option<DateTime<Utc>>,
    pub lent_by: StaffId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanInput {
    pub item: LoanItem,
    pub item_name: String,
    pub unit_id: UnitId,
    pub borrower_name: String,
    pub phone: String,
    /// The document shown; empty when none was.
    #[serde(default)]
    pub id_shown: String,
    pub due_on: NaiveDate,
}

impl Loan {
    /// `item_out`: whether this item (by name) is lent and not back.
    #[allow(clippy::too_many_arguments)]
    pub fn lend(
        id: Uuid,
        site_id: SiteId,
        input: &LoanInput,
        item_out: bool,
        by: StaffId,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Loan, FacilityRefusal> {
        let item_name = text("item_name", &input.item_name, 32)?;
        let borrower_name = text("borrower_name", &input.borrower_name, 64)?;
        let phone = crate::people::PhoneNumber::parse(&input.phone)
            .map_err(|_| invalid("phone", "not a phone number"))?;
        if input.id_shown.trim().is_empty() {
            return Err(FacilityRefusal::IdNotShown);
        }
        let id_shown = text("id_shown", &input.id_shown, 16)?;
        if input.due_on < today {
            return Err(invalid("due_on", "in the past"));
        }
        if item_out {
            return Err(FacilityRefusal::ItemOut);
        }
        Ok(Loan {
            id,
            site_id,
            item: input.item,
            item_name,
            unit_id: input.unit_id,
            borrower_name,
            phone_masked: phone.masked(),
            id_shown,
            lent_at: now,
            due_on: input.due_on,
            returned_at: None,
            lent_by: by,
        })
    }

    pub fn returned(&self, now: DateTime<Utc>) -> Result<Loan, FacilityRefusal> {
        if self.returned_at.is_some() {
            return Err(FacilityRefusal::AlreadyReturned);
        }
        let mut next = self.clone();
        next.returned_at = Some(now);
        Ok(next)
    }

    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.returned_at.is_none() && self.due_on < today
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap()
    }
    fn staff() -> StaffId {
        StaffId(Uuid::nil())
    }
    fn court() -> Facility {
        FacilityInput {
            name: "网球场".into(),
            opens: t(8, 0),
            closes: t(21, 0),
            slot_minutes: 60,
            active: true,
        }
        .to_facility(Uuid::nil(), SiteId(Uuid::nil()))
        .unwrap()
    }
    fn booking(f: &Facility) -> Booking {
        Booking::request(
            Uuid::nil(),
            f,
            &BookingRequest {
                unit_id: UnitId(Uuid::nil()),
                resident_name: "林先生".into(),
                phone: "13800138000".into(),
                wanted: "周六上午".into(),
            },
            staff(),
            now(),
        )
        .unwrap()
    }

    #[test]
    fn facility_settings_are_checked() {
        let mut i = FacilityInput {
            name: "活动室".into(),
            opens: t(9, 0),
            closes: t(9, 0),
            slot_minutes: 60,
            active: true,
        };
        let f = |i: &FacilityInput| i.to_facility(Uuid::nil(), SiteId(Uuid::nil()));
        assert_eq!(f(&i).unwrap_err(), invalid("closes", "after opening"));
        i.closes = t(9, 30);
        assert_eq!(
            f(&i).unwrap_err(),
            invalid("slot_minutes", "longer than the opening hours")
        );
        i.slot_minutes = 5;
        assert_eq!(f(&i).unwrap_err().code(), "invalid_input");
        assert_eq!(court().slot_starts().len(), 13);
    }

    #[test]
    fn the_office_assigns_a_slot_and_a_second_booking_of_it_is_refused() {
        let f = court();
        let b = booking(&f);
        assert_eq!(b.phone_masked, "138****8000");
        let a = b.assign(&f, day(21), t(9, 0), &[], day(20)).unwrap();
        assert_eq!(a.status, BookingStatus::Assigned);
        let taken = [a.slot.unwrap()];
        let other = booking(&f);
        let refused = other.assign(&f, day(21), t(9, 0), &taken, day(20));
        assert_eq!(refused.unwrap_err().code(), "slot_taken");
        // Another hour of the same day, or the same hour of another day, is free.
        assert!(other.assign(&f, day(21), t(10, 0), &taken, day(20)).is_ok());
        assert!(other.assign(&f, day(22), t(9, 0), &taken, day(20)).is_ok());
        // Assigned already: not again.
        assert_eq!(
            a.assign(&f, day(22), t(9, 0), &[], day(20)).unwrap_err(),
            FacilityRefusal::NotRequested
        );
    }

    #[test]
    fn slots_keep_to_the_hours_and_the_grid() {
        let f = court();
        let b = booking(&f);
        let r = |d, s| b.assign(&f, d, s, &[], day(20)).unwrap_err().code();
        assert_eq!(r(day(21), t(7, 0)), "outside_opening_hours");
        assert_eq!(r(day(21), t(20, 30)), "slot_misaligned");
        assert_eq!(r(day(21), t(21, 0)), "outside_opening_hours");
        assert_eq!(r(day(19), t(9, 0)), "slot_in_past");
        let mut closed = f.clone();
        closed.active = false;
        assert_eq!(
            b.assign(&closed, day(21), t(9, 0), &[], day(20))
                .unwrap_err(),
            FacilityRefusal::FacilityInactive
        );
    }

    #[test]
    fn damage_is_recorded_against_a_booking_with_its_slot() {
        let f = court();
        let b = booking(&f);
        assert_eq!(
            b.record_damage("球网撕破", 5000, staff(), now())
                .unwrap_err(),
            FacilityRefusal::NoSlot
        );
        let a = b.assign(&f, day(21), t(9, 0), &[], day(20)).unwrap();
        let d = a.record_damage("球网撕破", 5000, staff(), now()).unwrap();
        assert_eq!(d.damage.unwrap().compensation, Fen(5000));
        assert_eq!(
            a.record_damage("", 5000, staff(), now())
                .unwrap_err()
                .code(),
            "invalid_input"
        );
        assert_eq!(
            a.record_damage("x", -1, staff(), now()).unwrap_err().code(),
            "invalid_input"
        );
    }

    fn parking_input() -> ParkingInput {
        ParkingInput {
            unit_id: UnitId(Uuid::nil()),
            space_no: "B1-023".into(),
            holder_name: "林先生".into(),
            plate: "浙A 12345".into(),
            rent_fen: 30000,
            card_deposit_fen: 10000,
            months: 12,
            agreement_signed: true,
        }
    }

    #[test]
    fn parking_needs_the_agreement_payment_before_the_card_and_a_free_space() {
        let s = SiteId(Uuid::nil());
        let mut i = parking_input();
        i.agreement_signed = false;
        let agree = |i: &ParkingInput, taken| {
            ParkingRental::agree(Uuid::nil(), s, i, taken, staff(), now())
        };
        assert_eq!(agree(&i, false).unwrap_err().code(), "agreement_not_signed");
        i.agreement_signed = true;
        assert_eq!(agree(&i, true).unwrap_err().code(), "space_taken");
        let r = agree(&i, false).unwrap();
        assert_eq!(r.plate, "浙A12345");
        assert_eq!(
            r.issue_card("C-001").unwrap_err().code(),
            "card_before_payment"
        );
        let paid = r.pay("SK-2026-001").unwrap();
        assert_eq!(paid.pay("again").unwrap_err().code(), "already_paid");
        let issued = paid.issue_card("C-001").unwrap();
        assert_eq!(issued.status, ParkingStatus::CardIssued);
        i.plate = "??".into();
        assert_eq!(agree(&i, false).unwrap_err().code(), "invalid_input");
    }

    #[test]
    fn lending_needs_an_id_shown_and_late_returns_are_listed() {
        let s = SiteId(Uuid::nil());
        let mut i = LoanInput {
            item: LoanItem::Wheelchair,
            item_name: "轮椅1号".into(),
            unit_id: UnitId(Uuid::nil()),
            borrower_name: "王阿姨".into(),
            phone: "13900001111".into(),
            id_shown: String::new(),
            due_on: day(22),
        };
        let lend = |i: &LoanInput, out| Loan::lend(Uuid::nil(), s, i, out, staff(), now(), day(20));
        assert_eq!(lend(&i, false).unwrap_err().code(), "id_not_shown");
        i.id_shown = "身份证".into();
        assert_eq!(lend(&i, true).unwrap_err().code(), "item_out");
        i.phone = "123".into();
        assert_eq!(lend(&i, false).unwrap_err().code(), "invalid_input");
        i.phone = "13900001111".into();
        let l = lend(&i, false).unwrap();
        assert_eq!(l.phone_masked, "139****1111");
        assert!(!l.overdue(day(22)));
        assert!(l.overdue(day(23)));
        let back = l.returned(now()).unwrap();
        assert!(!back.overdue(day(23)));
        assert_eq!(back.returned(now()).unwrap_err().code(), "already_returned");
    }
}

/// REST views: records with their unit's label.
pub mod views {
    use super::{Booking, Loan, ParkingRental};
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct BookingView {
        pub record: Booking,
        pub facility_name: String,
        pub unit_label: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ParkingView {
        pub record: ParkingRental,
        pub unit_label: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct LoanView {
        pub record: Loan,
        pub unit_label: String,
        pub overdue: bool,
    }

    impl LoanView {
        pub fn new(record: Loan, unit_label: String, today: NaiveDate) -> LoanView {
            let overdue = record.overdue(today);
            LoanView {
                record,
                unit_label,
                overdue,
            }
        }
    }
}
