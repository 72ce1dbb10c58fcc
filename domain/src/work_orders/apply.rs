//! The transition function.

use super::model::*;
use super::policy::RepairPolicy;
use super::quote;
use crate::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use crate::money::Fen;
use crate::people::{PhoneNumber, Role};
use crate::sync::merge::{merge_text, TextMerge};
use crate::sync::wire::BlobRef;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// Who is acting.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub staff_id: StaffId,
    pub role: Role,
    pub sites: Vec<SiteId>,
}

/// What a staff member is, as the reference data says.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffFacts {
    pub role: Role,
    pub active: bool,
    pub sites: Vec<SiteId>,
}

/// A catalogue item as `apply` needs it: the fee standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueFact {
    pub price: Fen,
    pub requires_disclaimer: bool,
    pub active: bool,
}

/// A closed earlier job at a unit, for second-repair detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorRepair {
    pub order_id: WorkOrderId,
    pub number: Option<String>,
    pub code: String,
    pub closed_at: DateTime<Utc>,
}

/// Reference facts `apply` needs, loaded by the caller (the server from SQL, the device from its
/// local store). Keeps `apply` pure.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub unit_sites: HashMap<UnitId, SiteId>,
    pub staff: HashMap<StaffId, StaffFacts>,
    /// The fee standard by (site, code).
    pub catalogue: HashMap<(SiteId, String), CatalogueFact>,
    /// Supplier-list codes by site.
    pub suppliers: HashSet<(SiteId, String)>,
    /// Closed jobs by unit.
    pub prior_repairs: HashMap<UnitId, Vec<PriorRepair>>,
    /// Each site's policy; the default where a site has none.
    pub policies: HashMap<SiteId, RepairPolicy>,
}

impl Facts {
    pub fn policy(&self, site: SiteId) -> RepairPolicy {
        self.policies.get(&site).copied().unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkOrderError {
    #[error("this work order already exists")]
    AlreadyExists,
    #[error("no such work order")]
    NotFound,
    #[error("your role may not {0}")]
    Forbidden(&'static str),
    #[error("you are not assigned to this site")]
    SiteForbidden,
    #[error("the unit is unknown or belongs to another site")]
    UnitNotInSite,
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    #[error("cannot {action} a work order that is {from}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
    #[error("only the assigned technician may do this")]
    NotAssignee,
    #[error("the technician is unknown, inactive, not a technician or not at this site")]
    UnknownStaff,
    #[error("both you and someone else changed this text")]
    TextConflict,
    #[error("the item is not in this site's repair catalogue")]
    UnknownCatalogueItem,
    #[error("the item is not on this site's supplier list")]
    UnknownSupplierItem,
    #[error("the price differs from the site's fee standard")]
    PriceMismatch,
    #[error("the amount is negative or too large")]
    AmountOutOfRange,
    #[error("the signature was made for different content; sign again")]
    SignatureMismatch,
    #[error("a second repair needs the engineering manager's visit before dispatch")]
    SecondRepairNeedsVisit,
    #[error("this job is {0} already")]
    AlreadyFinal(&'static str),
}

fn invalid(field: &'static str, reason: &'static str) -> WorkOrderError {
    WorkOrderError::InvalidInput { field, reason }
}

fn text(
    field: &'static str,
    s: &str,
    max: usize,
    required: bool,
) -> Result<String, WorkOrderError> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(invalid(field, "required"));
    }
    if t.chars().count() > max {
        return Err(invalid(field, "too long"));
    }
    Ok(t.to_owned())
}

fn forbidden_unless(ok: bool, what: &'static str) -> Result<(), WorkOrderError> {
    if ok {
        Ok(())
    } else {
        Err(WorkOrderError::Forbidden(what))
    }
}

fn transition(from: WorkOrderStatus, cmd: &WorkOrderCommand) -> WorkOrderError {
    WorkOrderError::InvalidTransition {
        from: from.code(),
        action: cmd.type_name(),
    }
}

fn photos(field: &'static str, p: &[BlobRef]) -> Result<(), WorkOrderError> {
    if p.len() > MAX_PHOTOS {
        return Err(invalid(field, "too many"));
    }
    if !p.iter().all(|b| b.is_valid()) {
        return Err(invalid(field, "not a valid photo reference"));
    }
    Ok(())
}

/// Checks a captured signature against the hash of what it must approve.
fn signature(
    input: &SignatureInput,
    expected_hash: &str,
    at: DateTime<Utc>,
) -> Result<Signature, WorkOrderError> {
    if !input.image.is_valid() || !input.image.content_type.starts_with("image/") {
        return Err(invalid("signature", "not a valid signature image"));
    }
    let signer_name = text(
        "signer_name",
        &input.signer_name,
        MAX_SHORT_TEXT_CHARS,
        true,
    )?;
    if input.content_hash != expected_hash {
        return Err(WorkOrderError::SignatureMismatch);
    }
    Ok(Signature {
        image: input.image.clone(),
        signer_name,
        content_hash: input.content_hash.clone(),
        signed_at: at,
    })
}

fn acceptance(
    wo: &WorkOrder,
    input: &AcceptanceInput,
    at: DateTime<Utc>,
) -> Result<Acceptance, WorkOrderError> {
    let opinion = text("opinion", &input.opinion, MAX_SHORT_TEXT_CHARS * 5, false)?;
    let expected = quote::acceptance_hash(wo.id, &wo.scope, &wo.lines);
    let signature = input
        .signature
        .as_ref()
        .map(|s| signature(s, &expected, at))
        .transpose()?;
    Ok(Acceptance {
        signature,
        opinion,
        rating: input.rating,
        at,
    })
}

/// Applies `cmd` to the order `current` (None for a create) on behalf of `actor`, at `at` (the
/// trusted time of the act). Returns the new record; the caller bumps the version.
pub fn apply(
    current: Option<&WorkOrder>,
    id: WorkOrderId,
    cmd: &WorkOrderCommand,
    actor: &Actor,
    facts: &Facts,
    at: DateTime<Utc>,
) -> Result<WorkOrder, WorkOrderError> {
    use Role::*;
    use WorkOrderCommand as C;
    use WorkOrderStatus::*;
    if let C::Create(new) = cmd {
        if current.is_some() {
            return Err(WorkOrderError::AlreadyExists);
        }
        return create(id, new, actor, facts, at);
    }
    let wo = current.ok_or(WorkOrderError::NotFound)?;
    if !actor.sites.contains(&wo.site_id) {
        return Err(WorkOrderError::SiteForbidden);
    }
    let manager = matches!(actor.role, EngMgr | CenterMgr);
    let office = matches!(actor.role, Desk | EngMgr | CsMgr | CenterMgr);
    let is_assignee = actor.role == Tech && wo.assignee == Some(actor.staff_id);
    // Steps only the assigned technician takes, in the resident's home.
    let technician = || -> Result<(), WorkOrderError> {
        if actor.role != Tech {
            return Err(WorkOrderError::Forbidden("act as the technician"));
        }
        if wo.assignee != Some(actor.staff_id) {
            return Err(WorkOrderError::NotAssignee);
        }
        Ok(())
    };
    // A second completion (or any step) on a finished job says so plainly.
    if wo.status.is_final() && !matches!(cmd, C::EditText { .. } | C::CompletePaperwork { .. }) {
        return Err(WorkOrderError::AlreadyFinal(wo.status.code()));
    }
    let mut next = wo.clone();
    let mut note = String::new();
    match cmd {
        C::Create(_) => return Err(WorkOrderError::AlreadyExists),
        C::Assign { technician } => {
            forbidden_unless(manager, "assign work orders")?;
            if !matches!(wo.status, Reported | Assigned | Accepted | AwaitingRebook) {
                return Err(transition(wo.status, cmd));
            }
            if wo.second_repair_of.is_some() && wo.manager_visited_at.is_none() {
                return Err(WorkOrderError::SecondRepairNeedsVisit);
            }
            let ok = facts
                .staff
                .get(technician)
                .is_some_and(|s| s.active && s.role == Tech && s.sites.contains(&wo.site_id));
            if !ok {
                return Err(WorkOrderError::UnknownStaff);
            }
            next.status = Assigned;
            next.assignee = Some(*technician);
            next.assigned_at = Some(at);
            next.accepted_at = None;
        }
        C::Accept | C::Decline { .. } | C::Arrive => {
            technician()?;
            match (cmd, wo.status) {
                (C::Accept, Assigned) => {
                    next.status = Accepted;
                    next.accepted_at = Some(at);
                }
                (C::Decline { reason }, Assigned | Accepted) => {
                    note = text("reason", reason, MAX_SHORT_TEXT_CHARS, true)?;
                    next.status = Reported;
                    next.assignee = None;
                    next.assigned_at = None;
                    next.accepted_at = None;
                }
                // Arriving implies accepting: a technician without signal may not have sent
                // the accept yet, and the resident is waiting at the door.
                (C::Arrive, Assigned | Accepted) => {
                    next.status = OnSite;
                    next.accepted_at = next.accepted_at.or(Some(at));
                    next.arrived_at = Some(at);
                }
                (c, s) => return Err(transition(s, c)),
            }
        }
        C::EditText { field, base, value } => {
            if !office && actor.staff_id != wo.created_by && !is_assignee {
                return Err(WorkOrderError::Forbidden("edit this work order"));
            }
            let (name, max, slot) = match field {
                TextField::Content => ("content", MAX_CONTENT_CHARS, &mut next.content),
                TextField::Location => ("location", MAX_SHORT_TEXT_CHARS, &mut next.location),
            };
            // A common-area order must keep saying where it is.
            let value = text(
                name,
                value,
                max,
                *field == TextField::Content || wo.common_area,
            )?;
            match merge_text(base, slot, &value) {
                TextMerge::Take => *slot = value,
                TextMerge::Keep => {}
                TextMerge::Conflict => return Err(WorkOrderError::TextConflict),
            }
        }
        C::Refer { supplier_code } => {
            forbidden_unless(office || is_assignee, "refer this request")?;
            if !matches!(wo.status, Reported | Assigned | Accepted | OnSite | Quoted) {
                return Err(transition(wo.status, cmd));
            }
            if !facts
                .suppliers
                .contains(&(wo.site_id, supplier_code.clone()))
            {
                return Err(WorkOrderError::UnknownSupplierItem);
            }
            next.status = Referred;
            next.matched = CatalogueMatch::Supplier {
                code: supplier_code.clone(),
            };
            next.referred_to = Some(supplier_code.clone());
            next.closed_at = Some(at);
        }
        C::Reply { text: reply, close } => {
            forbidden_unless(manager, "reply for engineering")?;
            if !matches!(wo.status, Reported | Assigned | Accepted) {
                return Err(transition(wo.status, cmd));
            }
            let reply = text("text", reply, MAX_CONTENT_CHARS, true)?;
            next.reply = Some(Reply {
                text: reply,
                at,
                by: actor.staff_id,
            });
            if *close {
                next.status = Answered;
                next.closed_at = Some(at);
            }
        }
        C::ManagerVisit { note: n } => {
            forbidden_unless(manager, "record the manager's visit")?;
            if wo.second_repair_of.is_none() {
                return Err(invalid(
                    "note",
                    "only a second repair needs the manager's visit",
                ));
            }
            note = text("note", n, MAX_CONTENT_CHARS, true)?;
            next.manager_visited_at = Some(at);
        }
        C::Quote { scope, lines } => {
            technician()?;
            if !matches!(wo.status, OnSite | Quoted | InProgress) {
                return Err(transition(wo.status, cmd));
            }
            let scope = text("scope", scope, MAX_CONTENT_CHARS, true)?;
            quote::validate_lines(lines, wo.site_id, wo.kind, facts)?;
            next.scope = scope;
            next.lines = lines.clone();
            next.quoted_at = Some(at);
            // Any change to what the resident approved needs their signature again.
            next.consent = None;
            next.status = Quoted;
        }
        C::Consent { signature: sig } => {
            technician()?;
            if wo.status != Quoted {
                return Err(transition(wo.status, cmd));
            }
            let expected = quote::consent_hash(wo.id, &wo.scope, &wo.lines);
            next.consent = Some(signature(sig, &expected, at)?);
            next.status = InProgress;
        }
        C::Finish { photos: p } => {
            technician()?;
            // A common-area job has no resident to quote to: it may finish straight from site.
            let ready = wo.status == InProgress || (wo.common_area && wo.status == OnSite);
            if !ready {
                return Err(transition(wo.status, cmd));
            }
            photos("photos", p)?;
            next.after_photos = p.clone();
            next.finished_at = Some(at);
            next.status = Finished;
        }
        C::ResidentAccept { acceptance: a } => {
            technician()?;
            if wo.status != Finished {
                return Err(transition(wo.status, cmd));
            }
            next.acceptance = Some(acceptance(wo, a, at)?);
            next.status = Closed;
            next.closed_at = Some(at);
        }
        C::ResidentDecline {
            reason,
            technician_signature,
        } => {
            technician()?;
            if !matches!(wo.status, OnSite | Quoted) {
                return Err(transition(wo.status, cmd));
            }
            let reason = text("reason", reason, MAX_SHORT_TEXT_CHARS * 5, true)?;
            let expected = quote::decline_hash(wo.id, &reason);
            let sig = signature(technician_signature, &expected, at)?;
            note = reason.clone();
            next.declined = Some(DeclineRecord {
                reason,
                technician_signature: sig,
            });
            next.status = ResidentDeclined;
            next.closed_at = Some(at);
        }
        C::NobodyHome { photo } => {
            technician()?;
            if !matches!(wo.status, Assigned | Accepted) {
                return Err(transition(wo.status, cmd));
            }
            if let Some(p) = photo {
                photos("photo", std::slice::from_ref(p))?;
            }
            next.attempts.push(Attempt {
                at,
                by: actor.staff_id,
                photo: photo.clone(),
            });
            next.accepted_at = next.accepted_at.or(Some(at));
            next.status = AwaitingRebook;
        }
        C::Rebook { timing } => {
            forbidden_unless(office, "rebook visits")?;
            if wo.status != AwaitingRebook {
                return Err(transition(wo.status, cmd));
            }
            next.timing = *timing;
            // The same technician keeps the job; without one it goes back to dispatch.
            next.status = if wo.assignee.is_some() {
                Accepted
            } else {
                Reported
            };
        }
        C::FeePending {
            note: n,
            acceptance: a,
        } => {
            technician()?;
            if wo.status != Finished {
                return Err(transition(wo.status, cmd));
            }
            note = text("note", n, MAX_CONTENT_CHARS, true)?;
            next.fee_note = Some(note.clone());
            next.acceptance = Some(acceptance(wo, a, at)?);
            next.status = FeePending;
        }
        C::DecideFee { lines } => {
            let side = match actor.role {
                EngMgr => FeeSide::Engineering,
                CsMgr => FeeSide::CustomerService,
                // The centre manager stands in for whichever side has not decided yet.
                CenterMgr => {
                    if wo
                        .fee_approvals
                        .iter()
                        .any(|a| a.side == FeeSide::Engineering)
                    {
                        FeeSide::CustomerService
                    } else {
                        FeeSide::Engineering
                    }
                }
                _ => return Err(WorkOrderError::Forbidden("decide fees")),
            };
            if wo.status != FeePending {
                return Err(transition(wo.status, cmd));
            }
            quote::validate_lines(lines, wo.site_id, wo.kind, facts)?;
            let hash = quote::lines_hash(wo.id, lines);
            // A new proposal replaces the other side's approval of different lines.
            next.fee_approvals
                .retain(|a| a.side != side && a.lines_hash == hash);
            next.fee_approvals.push(FeeApproval {
                side,
                by: actor.staff_id,
                at,
                lines_hash: hash,
            });
            next.lines = lines.clone();
            if next.fee_approvals.len() == 2 {
                next.status = Closed;
                next.closed_at = Some(at);
            }
        }
        C::MaterialShortage { note: n } => {
            forbidden_unless(is_assignee || manager, "report a material shortage")?;
            if !matches!(
                wo.status,
                Assigned | Accepted | OnSite | Quoted | InProgress
            ) {
                return Err(transition(wo.status, cmd));
            }
            if wo.shortage.as_ref().is_some_and(|s| s.arrived_at.is_none()) {
                return Err(invalid("note", "a shortage is already open"));
            }
            note = text("note", n, MAX_CONTENT_CHARS, true)?;
            next.shortage = Some(Shortage {
                note: note.clone(),
                reported_at: at,
                arrived_at: None,
            });
        }
        C::MaterialsArrived => {
            forbidden_unless(is_assignee || manager, "close a material shortage")?;
            match &mut next.shortage {
                Some(s) if s.arrived_at.is_none() => s.arrived_at = Some(at),
                _ => return Err(invalid("shortage", "no open shortage")),
            }
        }
        C::NotifyDeveloper { contact, survey_at } => {
            forbidden_unless(manager || is_assignee, "notify the developer")?;
            if wo.kind != RepairKind::WarrantyComplaint {
                return Err(invalid(
                    "kind",
                    "only in-warranty complaints go to the developer",
                ));
            }
            let contact = text("contact", contact, MAX_SHORT_TEXT_CHARS, true)?;
            let w = next.warranty.get_or_insert_with(Default::default);
            if w.developer_notified_at.is_none() {
                w.developer_notified_at = Some(at);
            }
            w.developer_contact = contact;
            w.survey_at = *survey_at;
        }
        C::CompletePaperwork {
            reporter_name,
            reporter_phone,
            content,
        } => {
            forbidden_unless(
                office || actor.staff_id == wo.created_by || is_assignee,
                "complete the paperwork",
            )?;
            if !wo.retroactive || wo.paperwork_completed_at.is_some() {
                return Err(invalid("paperwork", "nothing to complete"));
            }
            next.reporter_name = text("reporter_name", reporter_name, MAX_SHORT_TEXT_CHARS, true)?;
            next.reporter_phone = PhoneNumber::parse(reporter_phone)
                .map_err(|_| invalid("reporter_phone", "not a phone number"))?
                .as_str()
                .to_owned();
            next.content = text("content", content, MAX_CONTENT_CHARS, true)?;
            next.paperwork_completed_at = Some(at);
        }
    }
    next.history.push(HistoryEntry {
        at,
        by: actor.staff_id,
        action: cmd.type_name().to_owned(),
        note,
    });
    Ok(next)
}

fn create(
    id: WorkOrderId,
    new: &NewRepairRequest,
    actor: &Actor,
    facts: &Facts,
    at: DateTime<Utc>,
) -> Result<WorkOrder, WorkOrderError> {
    use Role::*;
    if matches!(actor.role, Finance | Admin) {
        return Err(WorkOrderError::Forbidden("take repair requests"));
    }
    if !actor.sites.contains(&new.site_id) {
        return Err(WorkOrderError::SiteForbidden);
    }
    match (new.unit_id, new.common_area) {
        (Some(u), false) => {
            if facts.unit_sites.get(&u) != Some(&new.site_id) {
                return Err(WorkOrderError::UnitNotInSite);
            }
        }
        (None, true) => {}
        (Some(_), true) => return Err(invalid("unit_id", "a common-area job has no unit")),
        (None, false) => return Err(invalid("unit_id", "required for an in-home job")),
    }
    let emergency = new.kind == RepairKind::Emergency;
    let location = text(
        "location",
        &new.location,
        MAX_SHORT_TEXT_CHARS,
        new.common_area,
    )?;
    // An emergency starts before the paperwork: who called may be filled in afterwards.
    let reporter_name = text(
        "reporter_name",
        &new.reporter_name,
        MAX_SHORT_TEXT_CHARS,
        !emergency,
    )?;
    let reporter_phone = if emergency && new.reporter_phone.trim().is_empty() {
        String::new()
    } else {
        PhoneNumber::parse(&new.reporter_phone)
            .map_err(|_| invalid("reporter_phone", "not a phone number"))?
            .as_str()
            .to_owned()
    };
    let content = text("content", &new.content, MAX_CONTENT_CHARS, true)?;
    photos("photos", &new.photos)?;
    if let Some(c) = new.contacted_at {
        if c > at || at - c > chrono::Duration::days(1) {
            return Err(invalid(
                "contacted_at",
                "must be within the day before the ticket",
            ));
        }
    }
    let mut status = WorkOrderStatus::Reported;
    let mut closed_at = None;
    let mut referred_to = None;
    match &new.matched {
        CatalogueMatch::None => {}
        CatalogueMatch::Catalogue { code } => {
            if !facts
                .catalogue
                .get(&(new.site_id, code.clone()))
                .is_some_and(|c| c.active)
            {
                return Err(WorkOrderError::UnknownCatalogueItem);
            }
        }
        CatalogueMatch::Supplier { code } => {
            if !facts.suppliers.contains(&(new.site_id, code.clone())) {
                return Err(WorkOrderError::UnknownSupplierItem);
            }
            // On the supplier list: the resident is referred and nothing is dispatched.
            status = WorkOrderStatus::Referred;
            closed_at = Some(at);
            referred_to = Some(code.clone());
        }
    }
    let policy = facts.policy(new.site_id);
    let second_repair_of = second_repair(new, facts, &policy, at);
    let mut wo = WorkOrder {
        id,
        site_id: new.site_id,
        number: None,
        unit_id: new.unit_id,
        common_area: new.common_area,
        location,
        channel: new.channel,
        kind: new.kind,
        reporter_name,
        reporter_phone,
        content,
        timing: new.timing,
        photos: new.photos.clone(),
        status,
        assignee: None,
        created_by: actor.staff_id,
        reported_at: at,
        assigned_at: None,
        accepted_at: None,
        arrived_at: None,
        history: vec![HistoryEntry {
            at,
            by: actor.staff_id,
            action: "work_order.create".into(),
            note: String::new(),
        }],
        contacted_at: new.contacted_at,
        eng_notified_at: None,
        matched: new.matched.clone(),
        leak: new.leak,
        retroactive: emergency,
        paperwork_completed_at: None,
        second_repair_of,
        manager_visited_at: None,
        reply: None,
        referred_to,
        scope: String::new(),
        lines: Vec::new(),
        quoted_at: None,
        consent: None,
        finished_at: None,
        after_photos: Vec::new(),
        acceptance: None,
        declined: None,
        attempts: Vec::new(),
        fee_note: None,
        fee_approvals: Vec::new(),
        shortage: None,
        warranty: (new.kind == RepairKind::WarrantyComplaint).then(Default::default),
        closed_at,
        patrol_source: new.patrol_source.clone(),
    };
    // 紧急情况: a technician who is there starts at once, without collecting a ticket.
    if emergency && actor.role == Tech {
        wo.assignee = Some(actor.staff_id);
        wo.assigned_at = Some(at);
        wo.accepted_at = Some(at);
        wo.arrived_at = Some(at);
        wo.status = WorkOrderStatus::OnSite;
    }
    Ok(wo)
}

/// 二次返修: the same item at the same unit within the policy's window after an earlier job
/// closed, or the resident says so.
fn second_repair(
    new: &NewRepairRequest,
    facts: &Facts,
    policy: &RepairPolicy,
    at: DateTime<Utc>,
) -> Option<SecondRepair> {
    let unit = new.unit_id?;
    let prior = facts.prior_repairs.get(&unit).into_iter().flatten();
    let found = match &new.matched {
        CatalogueMatch::Catalogue { code } => prior
            .filter(|p| &p.code == code)
            .filter(|p| {
                p.closed_at <= at
                    && at - p.closed_at <= chrono::Duration::days(policy.second_repair_days)
            })
            .max_by_key(|p| p.closed_at),
        _ => None,
    };
    match found {
        Some(p) => Some(SecondRepair {
            order_id: p.order_id,
            number: p.number.clone(),
        }),
        None if new.second_repair_reported => Some(SecondRepair {
            order_id: WorkOrderId(uuid::Uuid::nil()),
            number: None,
        }),
        None => None,
    }
}
