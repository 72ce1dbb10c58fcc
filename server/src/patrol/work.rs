//! The work a push raises from the rounds it changed (S3 篇2: record the problem and report it
//! promptly): `domain::patrol::findings::derive_work` decides what each fault becomes, leaving
//! out sources with work still open at the site and sources this round raised work for before;
//! repairs become work orders through `domain::work_orders::apply` (so they carry every rule of
//! a create), cases become `service_cases` rows; the customer-service manager is notified of
//! cases, urgent repairs and rounds finished early. Runs inside the push's transaction, with the
//! site's patrol-work lock held, so two officers reporting one fault at once raise one order.

use super::repo::{self, Contact, NewCase, NewNotification, StoredRound};
use chrono::{DateTime, Utc};
use domain::ids::{SiteId, StaffId, WorkOrderId};
use domain::patrol::findings::{derive_work, FaultSource, WorkKind};
use domain::patrol::round::{Round, RoundStatus};
use domain::patrol::views::NotificationKind;
use domain::people::{PhoneNumber, Role};
use domain::work_orders::{
    self, Actor, CatalogueMatch, Channel, Facts, NewRepairRequest, PatrolSource, RepairKind,
    Timing, WorkOrder, WorkOrderCommand,
};
use sqlx::PgConnection;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// What the rounds of one push raised, to be written by the push.
#[derive(Default)]
pub struct Raised {
    /// New orders (not numbered yet) and the time each fault was found.
    pub orders: Vec<(WorkOrder, DateTime<Utc>)>,
    pub cases: Vec<NewCase>,
    pub notifications: Vec<NewNotification>,
}

/// When the fault was recorded on the round (trusted time).
fn found_at(round: &Round, source: &FaultSource) -> Option<DateTime<Utc>> {
    match source {
        FaultSource::Item {
            checkpoint_id,
            item_code,
        } => round
            .current_answers()
            .into_iter()
            .find(|a| a.checkpoint_id == *checkpoint_id && &a.item_code == item_code)
            .map(|a| a.at),
        FaultSource::Finding { finding_id } => round
            .findings
            .iter()
            .find(|f| f.id == *finding_id)
            .map(|f| f.at),
    }
}

/// The call-back number: the officer's, else the service centre's.
fn callback(c: &Contact) -> String {
    let valid = |s: &str| PhoneNumber::parse(s).ok().map(|p| p.as_str().to_owned());
    c.staff_phone
        .as_deref()
        .and_then(valid)
        .or_else(|| valid(&c.site_phone))
        .unwrap_or_default()
}

fn link(round: &Round) -> String {
    format!("/patrol/reports/{}", round.id)
}

fn notify(round: &Round, kind: NotificationKind, text: String) -> NewNotification {
    NewNotification {
        site_id: round.site_id,
        role: Role::CsMgr,
        kind,
        text,
        link: link(round),
    }
}

/// Raises the work of `rounds` (changed by this push, in order). `before` holds each round as
/// it was before the push (absent for rounds it created): a fault is considered once, in the
/// push that records it — raised, or left out because work for it was open then — so a later
/// step of the same round never raises it again after that work closed.
pub async fn raise(
    conn: &mut PgConnection,
    rounds: &[&StoredRound],
    before: &HashMap<Uuid, Round>,
    actor: &Actor,
    facts: &Facts,
    received_at: DateTime<Utc>,
) -> sqlx::Result<Raised> {
    let mut out = Raised::default();
    // Lock every site with candidate work first, in one order, so pushes never deadlock.
    let sites: BTreeSet<SiteId> = rounds
        .iter()
        .filter(|s| !derive_work(&s.round, &[]).is_empty())
        .map(|s| s.round.site_id)
        .collect();
    for site in &sites {
        repo::lock_site_work(conn, *site).await?;
    }
    let mut raised: HashMap<SiteId, Vec<FaultSource>> = HashMap::new();
    let mut contacts: HashMap<(StaffId, SiteId), Option<Contact>> = HashMap::new();
    for s in rounds {
        let r = &s.round;
        let earlier = before.get(&r.id.0);
        if r.status == RoundStatus::FinishedEarly
            && earlier.map(|e| e.status) != Some(RoundStatus::FinishedEarly)
        {
            out.notifications.push(notify(
                r,
                NotificationKind::RoundFinishedEarly,
                format!(
                    "{} {} 提前结束，{} 个巡检点未巡：{}",
                    r.date,
                    r.route_name,
                    r.missed().len(),
                    r.early_reason.clone().unwrap_or_default()
                ),
            ));
        }
        if !sites.contains(&r.site_id) {
            continue;
        }
        let mut taken = repo::taken_sources(conn, r.site_id, r.id).await?;
        taken.extend(raised.get(&r.site_id).into_iter().flatten().cloned());
        if let Some(e) = earlier {
            taken.extend(derive_work(e, &[]).into_iter().map(|w| w.source));
        }
        for w in derive_work(r, &taken) {
            raised.entry(r.site_id).or_default().push(w.source.clone());
            let at = found_at(r, &w.source).unwrap_or(received_at);
            let mut case_note = None;
            if let WorkKind::Repair { urgent } = w.kind {
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    contacts.entry((r.officer, r.site_id))
                {
                    slot.insert(repo::contact(conn, r.officer, r.site_id).await?);
                }
                let contact = contacts
                    .get(&(r.officer, r.site_id))
                    .and_then(Option::as_ref);
                let new = NewRepairRequest {
                    site_id: r.site_id,
                    unit_id: None,
                    common_area: true,
                    location: w.place.clone(),
                    channel: Channel::Field,
                    kind: if urgent {
                        RepairKind::Urgent
                    } else {
                        RepairKind::Daily
                    },
                    reporter_name: contact.map(|c| c.name.clone()).unwrap_or_default(),
                    reporter_phone: contact.map(callback).unwrap_or_default(),
                    content: w.content.clone(),
                    timing: Timing::Immediate,
                    photos: w.photos.clone(),
                    contacted_at: None,
                    matched: CatalogueMatch::None,
                    leak: false,
                    second_repair_reported: false,
                    patrol_source: Some(PatrolSource {
                        round_id: r.id,
                        fault: w.source.clone(),
                    }),
                };
                let id = WorkOrderId(Uuid::now_v7());
                match work_orders::apply(None, id, &WorkOrderCommand::Create(new), actor, facts, at)
                {
                    Ok(mut order) => {
                        // Engineering sees it on its board the moment the server has it.
                        order.eng_notified_at = Some(received_at);
                        if urgent {
                            out.notifications.push(notify(
                                r,
                                NotificationKind::PatrolUrgentRepair,
                                format!("巡检急修已报工程部：{}，{}", w.place, w.content),
                            ));
                        }
                        out.orders.push((order, at));
                        continue;
                    }
                    // Nothing found on patrol is lost: what cannot be an order (no call-back
                    // number on file, a place too long) goes to customer service instead.
                    Err(e) => {
                        tracing::warn!(round = %r.id, error = %e, "patrol fault could not become a repair order");
                        case_note = Some(format!("（未能自动生成维修单：{e}）"));
                    }
                }
            }
            let content = match &case_note {
                Some(n) => format!("{}{n}", w.content),
                None => w.content.clone(),
            };
            out.notifications.push(notify(
                r,
                NotificationKind::PatrolCase,
                format!("巡检发现需客服跟进：{}，{}", w.place, content),
            ));
            out.cases.push(NewCase {
                id: Uuid::now_v7(),
                site_id: r.site_id,
                round_id: r.id,
                source: w.source,
                place: w.place,
                content,
                photos: w.photos,
                created_by: r.officer,
                created_at: at,
            });
        }
    }
    Ok(out)
}
