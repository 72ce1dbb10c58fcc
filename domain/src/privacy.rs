//! Residents' personal data (requirements §2.20, §5.3 rule 38): numbers are masked by default;
//! showing one in full is an audited act with a reason; the police data-access procedure of
//! S0 第9篇 3.8 《查业户资料程序》 (介绍信及证件, 电话通知派出所, 经理, 查资料, 做记录).

use crate::ids::{SiteId, StaffId, UnitId};
use crate::people::{PhoneNumber, Role};
use crate::work_orders::Actor;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a reveal shows in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevealKind {
    /// 业户身份证号
    ResidentIdCard,
    /// 业户电话
    ResidentPhone,
    /// 装修施工人员身份证号
    WorkerIdCard,
    /// 装修施工人员电话
    WorkerPhone,
}

impl RevealKind {
    pub const fn code(self) -> &'static str {
        match self {
            RevealKind::ResidentIdCard => "resident_id_card",
            RevealKind::ResidentPhone => "resident_phone",
            RevealKind::WorkerIdCard => "worker_id_card",
            RevealKind::WorkerPhone => "worker_phone",
        }
    }
}

/// Roles that may see residents' personal data at all (a reveal still needs a reason).
pub fn may_reveal(role: Role) -> bool {
    matches!(
        role,
        Role::Desk | Role::CsMgr | Role::CenterMgr | Role::Security | Role::Admin
    )
}

/// Roles that read the audit log (nobody edits it).
pub fn reads_audit_log(role: Role) -> bool {
    matches!(role, Role::CsMgr | Role::CenterMgr | Role::Admin)
}

/// Roles that approve a police request (经理).
pub fn approves_police_requests(role: Role) -> bool {
    matches!(role, Role::CsMgr | Role::CenterMgr)
}

pub const MIN_REASON_CHARS: usize = 2;
pub const MAX_REASON_CHARS: usize = 200;

/// `POST /api/v1/reveal`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealRequest {
    pub kind: RevealKind,
    pub id: Uuid,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealResponse {
    pub value: String,
    pub audit_id: Uuid,
}

/// Why a reason is refused: too short to mean anything, or too long.
pub fn check_reason(reason: &str) -> Result<String, &'static str> {
    let t = reason.trim();
    let n = t.chars().count();
    if n < MIN_REASON_CHARS {
        return Err("reason_required");
    }
    if n > MAX_REASON_CHARS {
        return Err("reason_too_long");
    }
    Ok(t.to_owned())
}

/// One row of the audit log as managers read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub staff_name: String,
    pub staff_role: Role,
    /// `reveal`, `police_request`, `police_approve`, `police_decline`, `police_view`.
    pub action: String,
    /// What was shown (`resident_id_card` …), empty for procedure steps.
    pub kind: String,
    /// Whose data, in words (`吴租户（6栋2单元802）`).
    pub subject: String,
    pub reason: String,
}

// --- 公安查阅业户资料 -------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoliceLookupStatus {
    /// 待经理审批
    PendingApproval,
    Approved,
    Declined,
}

impl PoliceLookupStatus {
    pub const fn code(self) -> &'static str {
        match self {
            PoliceLookupStatus::PendingApproval => "pending_approval",
            PoliceLookupStatus::Approved => "approved",
            PoliceLookupStatus::Declined => "declined",
        }
    }
}

/// What the front desk records when the police come (公安部门 → 前台).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceRequestInput {
    pub id: Uuid,
    /// 来访民警姓名
    pub officers: String,
    /// 所属单位 (派出所 / 国家安全机关)
    pub agency: String,
    /// 证件号码
    pub credential_numbers: String,
    /// 验介绍信
    pub letter_checked: bool,
    /// 验证件
    pub credentials_checked: bool,
    /// 电话通知派出所: the number called (from the directory, not from the visitor) …
    pub station_phone: String,
    /// … and who there confirmed.
    pub confirmed_by: String,
    /// 查阅事由
    pub purpose: String,
    /// The units whose records are asked for.
    pub unit_ids: Vec<UnitId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceLookup {
    pub id: Uuid,
    pub site_id: SiteId,
    pub officers: String,
    pub agency: String,
    pub credential_numbers: String,
    pub station_phone: String,
    pub confirmed_by: String,
    pub purpose: String,
    pub unit_ids: Vec<UnitId>,
    pub requested_by: StaffId,
    pub requested_at: DateTime<Utc>,
    pub status: PoliceLookupStatus,
    #[serde(default)]
    pub decided_by: Option<StaffId>,
    #[serde(default)]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub decision_note: String,
    #[serde(default)]
    pub views: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PoliceCommand {
    Request(PoliceRequestInput),
    Approve {
        #[serde(default)]
        note: String,
    },
    Decline {
        note: String,
    },
    /// 查资料: one unit's records shown in full.
    View {
        unit_id: UnitId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoliceRefusal {
    #[error("your role may not do this")]
    Forbidden,
    #[error("you are not assigned to this site")]
    SiteForbidden,
    #[error("the introduction letter must be checked")]
    LetterNotChecked,
    #[error("the credentials must be checked")]
    CredentialsNotChecked,
    #[error("call the local police station back and note the number and who confirmed")]
    CallbackMissing,
    #[error("a manager (客服部经理 or 服务中心经理) approves")]
    ManagerApprovalRequired,
    #[error("the records are looked at only after the manager approved")]
    NotApproved,
    #[error("the unit is not part of this request")]
    UnitNotInRequest,
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    #[error("cannot {action} a request that is {from}")]
    WrongStatus {
        from: &'static str,
        action: &'static str,
    },
    #[error("no such request")]
    NotFound,
}

impl PoliceRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            PoliceRefusal::Forbidden => "forbidden",
            PoliceRefusal::SiteForbidden => "site_forbidden",
            PoliceRefusal::LetterNotChecked => "letter_not_checked",
            PoliceRefusal::CredentialsNotChecked => "credentials_not_checked",
            PoliceRefusal::CallbackMissing => "callback_missing",
            PoliceRefusal::ManagerApprovalRequired => "manager_approval_required",
            PoliceRefusal::NotApproved => "not_approved",
            PoliceRefusal::UnitNotInRequest => "unit_not_in_request",
            PoliceRefusal::Invalid { .. } => "invalid_input",
            PoliceRefusal::WrongStatus { .. } => "wrong_status",
            PoliceRefusal::NotFound => "not_found",
        }
    }
}

fn text(field: &'static str, s: &str, max: usize) -> Result<String, PoliceRefusal> {
    let t = s.trim();
    if t.is_empty() {
        return Err(PoliceRefusal::Invalid {
            field,
            reason: "required",
        });
    }
    if t.chars().count() > max {
        return Err(PoliceRefusal::Invalid {
            field,
            reason: "too long",
        });
    }
    Ok(t.to_owned())
}

/// The procedure's state machine. `site` is the site the request is made at; `unit_sites` the
/// sites of the units a `Request` names (a unit of another site is refused).
pub fn apply_police(
    current: Option<&PoliceLookup>,
    cmd: &PoliceCommand,
    actor: &Actor,
    site: SiteId,
    unit_sites: &[(UnitId, SiteId)],
    now: DateTime<Utc>,
) -> Result<PoliceLookup, PoliceRefusal> {
    if !actor.sites.contains(&site) {
        return Err(PoliceRefusal::SiteForbidden);
    }
    let desk_or_manager = matches!(actor.role, Role::Desk | Role::CsMgr | Role::CenterMgr);
    match (current, cmd) {
        (None, PoliceCommand::Request(r)) => {
            if !desk_or_manager {
                return Err(PoliceRefusal::Forbidden);
            }
            if !r.letter_checked {
                return Err(PoliceRefusal::LetterNotChecked);
            }
            if !r.credentials_checked {
                return Err(PoliceRefusal::CredentialsNotChecked);
            }
            let phone =
                PhoneNumber::parse(&r.station_phone).map_err(|_| PoliceRefusal::CallbackMissing)?;
            let confirmed_by = text("confirmed_by", &r.confirmed_by, 32)
                .map_err(|_| PoliceRefusal::CallbackMissing)?;
            if r.unit_ids.is_empty() || r.unit_ids.len() > 20 {
                return Err(PoliceRefusal::Invalid {
                    field: "unit_ids",
                    reason: "one to twenty units",
                });
            }
            for u in &r.unit_ids {
                match unit_sites.iter().find(|(id, _)| id == u) {
                    Some((_, s)) if *s == site => {}
                    _ => {
                        return Err(PoliceRefusal::Invalid {
                            field: "unit_ids",
                            reason: "unknown unit or another site's",
                        })
                    }
                }
            }
            let mut units = r.unit_ids.clone();
            units.sort();
            units.dedup();
            Ok(PoliceLookup {
                id: r.id,
                site_id: site,
                officers: text("officers", &r.officers, 64)?,
                agency: text("agency", &r.agency, 64)?,
                credential_numbers: text("credential_numbers", &r.credential_numbers, 128)?,
                station_phone: phone.as_str().to_owned(),
                confirmed_by,
                purpose: text("purpose", &r.purpose, 200)?,
                unit_ids: units,
                requested_by: actor.staff_id,
                requested_at: now,
                status: PoliceLookupStatus::PendingApproval,
                decided_by: None,
                decided_at: None,
                decision_note: String::new(),
                views: 0,
            })
        }
        (None, _) => Err(PoliceRefusal::NotFound),
        (Some(cur), cmd) => {
            if cur.site_id != site {
                return Err(PoliceRefusal::SiteForbidden);
            }
            let mut next = cur.clone();
            match cmd {
                PoliceCommand::Request(_) => {
                    return Err(PoliceRefusal::WrongStatus {
                        from: "recorded",
                        action: "record",
                    })
                }
                PoliceCommand::Approve { note } | PoliceCommand::Decline { note } => {
                    if !approves_police_requests(actor.role) {
                        return Err(PoliceRefusal::ManagerApprovalRequired);
                    }
                    if cur.status != PoliceLookupStatus::PendingApproval {
                        return Err(PoliceRefusal::WrongStatus {
                            from: cur.status.code(),
                            action: "decide",
                        });
                    }
                    let approve = matches!(cmd, PoliceCommand::Approve { .. });
                    next.decision_note = if approve {
                        note.trim().chars().take(200).collect()
                    } else {
                        text("note", note, 200)?
                    };
                    next.status = if approve {
                        PoliceLookupStatus::Approved
                    } else {
                        PoliceLookupStatus::Declined
                    };
                    next.decided_by = Some(actor.staff_id);
                    next.decided_at = Some(now);
                }
                PoliceCommand::View { unit_id } => {
                    if !desk_or_manager {
                        return Err(PoliceRefusal::Forbidden);
                    }
                    if cur.status != PoliceLookupStatus::Approved {
                        return Err(PoliceRefusal::NotApproved);
                    }
                    if !cur.unit_ids.contains(unit_id) {
                        return Err(PoliceRefusal::UnitNotInRequest);
                    }
                    next.views += 1;
                }
            }
            Ok(next)
        }
    }
}

/// A request as listed: the record with unit labels and names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceLookupView {
    pub record: PoliceLookup,
    pub units: Vec<(UnitId, String)>,
    pub requested_by_name: String,
    pub decided_by_name: Option<String>,
}

/// `POST /api/v1/police-lookups/{id}/decision`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceDecision {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

/// `POST /api/v1/police-lookups/{id}/view`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceViewRequest {
    pub unit_id: UnitId,
}

/// One resident's record shown in full to the police (logged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceResident {
    pub name: String,
    pub role: crate::reference::ResidentRole,
    pub phone: Option<String>,
    pub id_card: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceRecords {
    pub unit_label: String,
    pub residents: Vec<PoliceResident>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteId {
        SiteId(Uuid::from_u128(1))
    }
    fn unit() -> UnitId {
        UnitId(Uuid::from_u128(2))
    }
    fn actor(role: Role) -> Actor {
        Actor {
            staff_id: StaffId(Uuid::from_u128(9)),
            role,
            sites: vec![site()],
        }
    }
    fn input() -> PoliceRequestInput {
        PoliceRequestInput {
            id: Uuid::from_u128(3),
            officers: "王警官、李警官".into(),
            agency: "西湖区翠苑派出所".into(),
            credential_numbers: "警号 012345、012346".into(),
            letter_checked: true,
            credentials_checked: true,
            station_phone: "0571-87654321".into(),
            confirmed_by: "值班民警 赵".into(),
            purpose: "协查".into(),
            unit_ids: vec![unit()],
        }
    }
    fn req(i: PoliceRequestInput, role: Role) -> Result<PoliceLookup, &'static str> {
        apply_police(
            None,
            &PoliceCommand::Request(i),
            &actor(role),
            site(),
            &[(unit(), site())],
            DateTime::<Utc>::UNIX_EPOCH,
        )
        .map_err(|e| e.code())
    }
    fn step(
        cur: &PoliceLookup,
        cmd: PoliceCommand,
        role: Role,
    ) -> Result<PoliceLookup, &'static str> {
        apply_police(
            Some(cur),
            &cmd,
            &actor(role),
            site(),
            &[],
            DateTime::<Utc>::UNIX_EPOCH,
        )
        .map_err(|e| e.code())
    }

    #[test]
    fn every_check_of_the_procedure_is_required() {
        let mut i = input();
        i.letter_checked = false;
        assert_eq!(req(i, Role::Desk), Err("letter_not_checked"));
        let mut i = input();
        i.credentials_checked = false;
        assert_eq!(req(i, Role::Desk), Err("credentials_not_checked"));
        let mut i = input();
        i.station_phone = String::new();
        assert_eq!(req(i, Role::Desk), Err("callback_missing"));
        let mut i = input();
        i.confirmed_by = " ".into();
        assert_eq!(req(i, Role::Desk), Err("callback_missing"));
        let mut i = input();
        i.unit_ids = vec![UnitId(Uuid::from_u128(99))];
        assert_eq!(req(i, Role::Desk), Err("invalid_input"));
        assert_eq!(req(input(), Role::Tech), Err("forbidden"));
    }

    #[test]
    fn manager_approves_before_records_are_looked_at() {
        let r = req(input(), Role::Desk).expect("recorded");
        assert_eq!(r.status, PoliceLookupStatus::PendingApproval);
        let view = || PoliceCommand::View { unit_id: unit() };
        assert_eq!(step(&r, view(), Role::Desk), Err("not_approved"));
        let approve = || PoliceCommand::Approve {
            note: String::new(),
        };
        assert_eq!(
            step(&r, approve(), Role::Desk),
            Err("manager_approval_required")
        );
        assert_eq!(
            step(&r, approve(), Role::Admin),
            Err("manager_approval_required")
        );
        let a = step(&r, approve(), Role::CenterMgr).expect("approved");
        assert_eq!(step(&a, approve(), Role::CsMgr), Err("wrong_status"));
        let v = step(&a, view(), Role::Desk).expect("viewed");
        assert_eq!(v.views, 1);
        let other = PoliceCommand::View {
            unit_id: UnitId(Uuid::from_u128(77)),
        };
        assert_eq!(step(&a, other, Role::Desk), Err("unit_not_in_request"));
        let d = step(
            &r,
            PoliceCommand::Decline {
                note: "无介绍信原件".into(),
            },
            Role::CsMgr,
        )
        .expect("declined");
        assert_eq!(step(&d, view(), Role::Desk), Err("not_approved"));
    }

    #[test]
    fn another_sites_staff_is_refused() {
        let r = req(input(), Role::Desk).expect("recorded");
        let mut a = actor(Role::CenterMgr);
        a.sites = vec![SiteId(Uuid::from_u128(50))];
        let e = apply_police(
            Some(&r),
            &PoliceCommand::Approve {
                note: String::new(),
            },
            &a,
            site(),
            &[],
            DateTime::<Utc>::UNIX_EPOCH,
        );
        assert_eq!(e.map_err(|e| e.code()), Err("site_forbidden"));
    }

    #[test]
    fn reasons() {
        assert_eq!(check_reason(" "), Err("reason_required"));
        assert_eq!(check_reason("核对身份").as_deref(), Ok("核对身份"));
        assert_eq!(check_reason(&"长".repeat(201)), Err("reason_too_long"));
        assert_eq!(RevealKind::ResidentIdCard.code(), "resident_id_card");
        assert_eq!(
            serde_json::to_string(&RevealKind::ResidentPhone).expect("json"),
            "\"resident_phone\""
        );
    }
}
