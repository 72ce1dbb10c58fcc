//! The transition function.

use super::model::*;
use crate::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use crate::people::{PhoneNumber, Role};
use crate::sync::merge::{merge_text, TextMerge};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

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

/// Reference facts `apply` needs, loaded by the caller (the server from SQL, the device from its
/// local store). Keeps `apply` pure.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub unit_sites: HashMap<UnitId, SiteId>,
    pub staff: HashMap<StaffId, StaffFacts>,
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
    use WorkOrderStatus::*;
    if let WorkOrderCommand::Create(new) = cmd {
        if current.is_some() {
            return Err(WorkOrderError::AlreadyExists);
        }
        return create(id, new, actor, facts, at);
    }
    let wo = current.ok_or(WorkOrderError::NotFound)?;
    if !actor.sites.contains(&wo.site_id) {
        return Err(WorkOrderError::SiteForbidden);
    }
    let mut next = wo.clone();
    let mut note = String::new();
    match cmd {
        WorkOrderCommand::Create(_) => return Err(WorkOrderError::AlreadyExists),
        WorkOrderCommand::Assign { technician } => {
            if !matches!(actor.role, EngMgr | CenterMgr) {
                return Err(WorkOrderError::Forbidden("assign work orders"));
            }
            if !matches!(wo.status, Reported | Assigned | Accepted) {
                return Err(WorkOrderError::InvalidTransition {
                    from: wo.status.code(),
                    action: "assign",
                });
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
        WorkOrderCommand::Accept | WorkOrderCommand::Decline { .. } | WorkOrderCommand::Arrive => {
            if actor.role != Tech {
                return Err(WorkOrderError::Forbidden("act as the technician"));
            }
            if wo.assignee != Some(actor.staff_id) {
                return Err(WorkOrderError::NotAssignee);
            }
            match (cmd, wo.status) {
                (WorkOrderCommand::Accept, Assigned) => {
                    next.status = Accepted;
                    next.accepted_at = Some(at);
                }
                (WorkOrderCommand::Decline { reason }, Assigned | Accepted) => {
                    note = text("reason", reason, MAX_SHORT_TEXT_CHARS, true)?;
                    next.status = Reported;
                    next.assignee = None;
                    next.assigned_at = None;
                    next.accepted_at = None;
                }
                // Arriving implies accepting: a technician without signal may not have sent
                // the accept yet, and the resident is waiting at the door.
                (WorkOrderCommand::Arrive, Assigned | Accepted) => {
                    next.status = OnSite;
                    next.accepted_at = next.accepted_at.or(Some(at));
                    next.arrived_at = Some(at);
                }
                (c, s) => {
                    return Err(WorkOrderError::InvalidTransition {
                        from: s.code(),
                        action: c.type_name(),
                    })
                }
            }
        }
        WorkOrderCommand::EditText { field, base, value } => {
            if !matches!(actor.role, Desk | EngMgr | CsMgr | CenterMgr)
                && actor.staff_id != wo.created_by
                && wo.assignee != Some(actor.staff_id)
            {
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
    let location = text(
        "location",
        &new.location,
        MAX_SHORT_TEXT_CHARS,
        new.common_area,
    )?;
    let reporter_name = text(
        "reporter_name",
        &new.reporter_name,
        MAX_SHORT_TEXT_CHARS,
        true,
    )?;
    let reporter_phone = PhoneNumber::parse(&new.reporter_phone)
        .map_err(|_| invalid("reporter_phone", "not a phone number"))?;
    let content = text("content", &new.content, MAX_CONTENT_CHARS, true)?;
    if new.photos.len() > MAX_PHOTOS {
        return Err(invalid("photos", "too many"));
    }
    if !new.photos.iter().all(|p| p.is_valid()) {
        return Err(invalid("photos", "not a valid photo reference"));
    }
    Ok(WorkOrder {
        id,
        site_id: new.site_id,
        number: None,
        unit_id: new.unit_id,
        common_area: new.common_area,
        location,
        channel: new.channel,
        kind: new.kind,
        reporter_name,
        reporter_phone: reporter_phone.as_str().to_owned(),
        content,
        timing: new.timing,
        photos: new.photos.clone(),
        status: WorkOrderStatus::Reported,
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
    })
}
