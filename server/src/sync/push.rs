//! `POST /api/sync/v1/push`: one transaction per request. Loads the device ledger, the results
//! already recorded, the orders and rounds and the facts the mutations name; runs
//! `process_push` with the domain's `apply` (work orders) and `apply_round` (patrol rounds);
//! raises the work the changed rounds' faults call for (`patrol::work`); writes orders, rounds,
//! cases, notifications, the change feed, the results and the ledger; commits; and only then
//! answers. A crash before the commit changes nothing; after it, a replay answers from the
//! recorded results.

use super::repo::{self, ChangeRow, RecordMeta};
use super::SyncError;
use crate::auth::extract::Authenticated;
use crate::http::ApiJson;
use crate::patrol::repo::{self as patrol_repo, StoredRound};
use crate::work_orders::repo::{self as wo_repo, Stored};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use domain::ids::{RoundId, SiteId, WorkOrderId};
use domain::patrol::round::{apply_round, PatrolFacts, Round, RoundCommand, RoundError};
use domain::sync::push::{parse_incoming, process_push, Incoming};
use domain::sync::wire::{
    Command, ConflictCode, Mutation, Outcome, PushRequest, PushResponse, RejectCode, MAX_BATCH,
    PROTOCOL_VERSION,
};
use domain::work_orders::{
    self, sla, Actor, CatalogueMatch, QuoteLine, WorkOrderCommand, WorkOrderError,
};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

fn reject_code(e: &WorkOrderError) -> RejectCode {
    match e {
        WorkOrderError::AlreadyExists => RejectCode::AlreadyExists,
        WorkOrderError::NotFound => RejectCode::UnknownEntity,
        WorkOrderError::Forbidden(_) => RejectCode::Forbidden,
        WorkOrderError::SiteForbidden => RejectCode::SiteForbidden,
        WorkOrderError::UnitNotInSite => RejectCode::UnitNotInSite,
        WorkOrderError::InvalidInput { .. } => RejectCode::InvalidInput,
        WorkOrderError::InvalidTransition { .. } => RejectCode::InvalidTransition,
        WorkOrderError::NotAssignee => RejectCode::NotAssignee,
        WorkOrderError::UnknownStaff => RejectCode::UnknownStaff,
        WorkOrderError::TextConflict => RejectCode::InvalidInput,
        WorkOrderError::UnknownCatalogueItem => RejectCode::UnknownCatalogueItem,
        WorkOrderError::UnknownSupplierItem => RejectCode::UnknownSupplierItem,
        WorkOrderError::PriceMismatch => RejectCode::PriceMismatch,
        WorkOrderError::AmountOutOfRange => RejectCode::AmountOutOfRange,
        WorkOrderError::SignatureMismatch => RejectCode::SignatureMismatch,
        WorkOrderError::SecondRepairNeedsVisit => RejectCode::SecondRepairNeedsVisit,
        WorkOrderError::AlreadyFinal(_) => RejectCode::AlreadyFinal,
    }
}

fn round_reject_code(e: &RoundError) -> RejectCode {
    match e {
        RoundError::NotOfficer => RejectCode::NotOfficer,
        RoundError::UnknownCheckpoint => RejectCode::UnknownCheckpoint,
        RoundError::OtherSite => RejectCode::OtherSiteCheckpoint,
        RoundError::NotOnRound => RejectCode::NotOnRound,
        RoundError::NotScanned => RejectCode::NotScanned,
        RoundError::UnknownItem => RejectCode::UnknownChecklistItem,
        RoundError::FaultNeedsEvidence => RejectCode::FaultNeedsEvidence,
        RoundError::CheckpointsLeft => RejectCode::CheckpointsLeft,
        RoundError::InvalidInput { .. } => RejectCode::InvalidInput,
        RoundError::AlreadyExists => RejectCode::AlreadyExists,
        RoundError::NotFound => RejectCode::UnknownEntity,
        RoundError::Forbidden => RejectCode::Forbidden,
        RoundError::UnknownRoute => RejectCode::UnknownRoute,
        RoundError::InvalidTransition { .. } => RejectCode::InvalidTransition,
    }
}

/// What the batch's round commands name: routes to plan from, codes scanned.
#[derive(Default)]
struct PatrolWanted {
    any: bool,
    routes: Vec<Uuid>,
    codes: Vec<String>,
}

/// The patrol facts of a batch: the routes its creates name (on the pusher's sites) with their
/// checkpoints, and every checkpoint its scans name — the pusher's sites' ones as checkpoints,
/// other sites' ones as foreign codes, so such a scan is refused as another site's.
async fn patrol_facts(
    conn: &mut sqlx::PgConnection,
    wanted: &PatrolWanted,
    my_sites: &[Uuid],
) -> sqlx::Result<PatrolFacts> {
    let mut facts = PatrolFacts::default();
    if !wanted.any {
        return Ok(facts);
    }
    if !wanted.routes.is_empty() {
        facts.routes = patrol_repo::routes(conn, my_sites, Some(&wanted.routes), false).await?;
        let mut ids: Vec<Uuid> = facts
            .routes
            .iter()
            .flat_map(|r| r.checkpoints.iter().map(|c| c.0))
            .collect();
        ids.sort();
        ids.dedup();
        facts.checkpoints = patrol_repo::checkpoints_by_ids(conn, &ids).await?;
    }
    for c in patrol_repo::checkpoints_by_codes(conn, &wanted.codes).await? {
        if my_sites.contains(&c.site_id.0) {
            if !facts.checkpoints.iter().any(|x| x.id == c.id) {
                facts.checkpoints.push(c);
            }
        } else {
            facts.other_codes.push((c.code, c.site_id, c.id));
        }
    }
    Ok(facts)
}

/// A text conflict to put on the review list.
pub struct ReviewItem {
    pub site_id: SiteId,
    pub entity_id: Uuid,
    pub field: String,
    pub base: String,
    pub server: String,
    pub device: String,
    pub mutation_id: Uuid,
}

pub async fn push(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, SyncError> {
    if req.protocol != PROTOCOL_VERSION {
        return Err(SyncError::Protocol(req.protocol));
    }
    if req.mutations.len() > MAX_BATCH {
        return Err(SyncError::BatchTooLarge(MAX_BATCH));
    }
    let profile = auth.profile().clone();
    let received_at = Utc::now();
    let offset_ms = (received_at - req.sent_at).num_milliseconds();
    if offset_ms.abs() > sla::SKEW_FLAG_MS {
        tracing::warn!(device = %req.device_id, offset_ms, "device clock skew");
    }
    let actor = Actor {
        staff_id: profile.staff_id,
        role: profile.role,
        sites: profile.sites.iter().map(|s| s.id).collect(),
    };
    let incoming: Vec<Incoming> = req.mutations.iter().map(parse_incoming).collect();
    let parsed: Vec<&Mutation> = incoming
        .iter()
        .filter_map(|i| match i {
            Incoming::Parsed { mutation, .. } => Some(mutation),
            Incoming::Malformed { .. } => None,
        })
        .collect();
    let ids: Vec<Uuid> = parsed.iter().map(|m| m.mutation_id.0).collect();
    let entity_ids: Vec<Uuid> = parsed.iter().map(|m| m.entity_id).collect();
    let my_sites: Vec<Uuid> = actor.sites.iter().map(|s| s.0).collect();
    let mut wanted = repo::FactsWanted::default();
    let mut shas = Vec::new();
    let mut patrol_wanted = PatrolWanted::default();
    let mut pass_ids: Vec<Uuid> = Vec::new();
    let mut intakes = Vec::new();
    let mut visits = Vec::new();
    for m in &parsed {
        shas.extend(m.command.blobs().into_iter().map(|b| b.sha256));
        let c = match &m.command {
            Command::WorkOrder(c) => c,
            Command::Round(c) => {
                patrol_wanted.any = true;
                match c {
                    RoundCommand::Create { route_id, .. } => patrol_wanted.routes.push(route_id.0),
                    RoundCommand::Scan { code, .. } => {
                        patrol_wanted.codes.push(code.trim().to_owned())
                    }
                    _ => {}
                }
                continue;
            }
            Command::Pass(_) => {
                pass_ids.push(m.entity_id);
                continue;
            }
            Command::Complaint(c) => {
                intakes.push((m.entity_id, c));
                continue;
            }
            Command::Visit(c) => {
                visits.push((m.entity_id, c));
                continue;
            }
        };
        let item_codes = |lines: &[QuoteLine]| -> Vec<String> {
            lines
                .iter()
                .filter_map(|l| match l {
                    QuoteLine::Item { code, .. } => Some(code.clone()),
                    QuoteLine::Material { .. } => None,
                })
                .collect()
        };
        match c {
            WorkOrderCommand::Create(n) => {
                wanted.units.extend(n.unit_id.map(|u| u.0));
                wanted.sites.push(n.site_id.0);
                match &n.matched {
                    CatalogueMatch::Catalogue { code } => wanted.catalogue.push(code.clone()),
                    CatalogueMatch::Supplier { code } => wanted.suppliers.push(code.clone()),
                    CatalogueMatch::None => {}
                }
            }
            WorkOrderCommand::Assign { technician } => wanted.staff.push(technician.0),
            WorkOrderCommand::Refer { supplier_code } => {
                wanted.suppliers.push(supplier_code.clone())
            }
            WorkOrderCommand::Quote { lines, .. } | WorkOrderCommand::DecideFee { lines } => {
                wanted.catalogue.extend(item_codes(lines))
            }
            _ => {}
        }
    }

    let mut tx = state.pool.begin().await?;
    let (mut ledger, owner) = repo::lock_device(&mut tx, req.device_id, profile.staff_id).await?;
    if owner != profile.staff_id {
        return Err(SyncError::DeviceOwner);
    }
    let stored = repo::recorded(&mut tx, &ids).await?;
    let mut working: HashMap<Uuid, Stored> = wo_repo::load(&mut tx, &entity_ids, true)
        .await?
        .into_iter()
        .map(|s| (s.order.id.0, s))
        .collect();
    let mut rounds: HashMap<Uuid, StoredRound> = if patrol_wanted.any {
        patrol_repo::load_rounds(&mut tx, &entity_ids, true)
            .await?
            .into_iter()
            .map(|s| (s.round.id.0, s))
            .collect()
    } else {
        HashMap::new()
    };
    let mut passes = crate::release::sync::PushPasses::load(&mut tx, &pass_ids).await?;
    let mut complaints = crate::care::sync::PushComplaints::load(&mut tx, &intakes).await?;
    let mut visits = crate::visits::sync::PushVisits::load(&mut tx, &visits, &my_sites).await?;
    let rounds_before: HashMap<Uuid, Round> =
        rounds.iter().map(|(k, v)| (*k, v.round.clone())).collect();
    patrol_wanted.routes.sort();
    patrol_wanted.routes.dedup();
    patrol_wanted.codes.sort();
    patrol_wanted.codes.dedup();
    let patrol = patrol_facts(&mut tx, &patrol_wanted, &my_sites).await?;
    let before: HashMap<Uuid, Option<domain::ids::StaffId>> = working
        .iter()
        .map(|(k, v)| (*k, v.order.assignee))
        .collect();
    // The policy of every site the batch touches, and the catalogue and supplier-list items it
    // names there (only the pusher's own sites: `apply` refuses the others before looking).
    wanted
        .sites
        .extend(working.values().map(|s| s.order.site_id.0));
    // Rounds raise repair orders at their site: its policy is needed too.
    wanted
        .sites
        .extend(rounds.values().map(|s| s.round.site_id.0));
    wanted
        .sites
        .extend(patrol.routes.iter().map(|r| r.site_id.0));
    wanted.sites.retain(|s| my_sites.contains(s));
    for v in [&mut wanted.units, &mut wanted.staff, &mut wanted.sites] {
        v.sort();
        v.dedup();
    }
    for v in [&mut wanted.catalogue, &mut wanted.suppliers] {
        v.sort();
        v.dedup();
    }
    let facts = repo::facts(&mut tx, &wanted, received_at).await?;
    let complete: HashSet<String> = repo::complete_blobs(&mut tx, &shas)
        .await?
        .into_iter()
        .collect();

    let mut changed: Vec<Uuid> = Vec::new();
    let mut created: Vec<Uuid> = Vec::new();
    let mut reviews: Vec<ReviewItem> = Vec::new();
    let mut occurred: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    let mut rounds_changed: Vec<Uuid> = Vec::new();
    let mut rounds_occurred: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    let output = process_push(
        req.device_id,
        &mut ledger,
        incoming.clone(),
        &stored,
        |m| {
            m.command
                .blobs()
                .into_iter()
                .map(|b| b.sha256)
                .filter(|s| !complete.contains(s))
                .collect()
        },
        |m| {
            let at = sla::trusted(m.occurred_at, offset_ms, received_at);
            let cmd = match &m.command {
                Command::WorkOrder(cmd) => cmd,
                Command::Pass(cmd) => return passes.apply(m, cmd, &actor, at),
                Command::Complaint(cmd) => return complaints.apply(m, cmd, &actor, at),
                Command::Visit(cmd) => return visits.apply(m, cmd, &actor, at),
                Command::Round(cmd) => {
                    // A round is the officer's alone: commands apply in order, and a refusal
                    // is final (no text merges, nobody else moves it on).
                    let current = rounds.get(&m.entity_id);
                    return match apply_round(
                        current.map(|s| &s.round),
                        RoundId(m.entity_id),
                        cmd,
                        &actor,
                        &patrol,
                        at,
                    ) {
                        Ok(round) => {
                            let (version, route_id) = match (current, cmd) {
                                (Some(s), _) => (s.version + 1, s.route_id),
                                (None, RoundCommand::Create { route_id, .. }) => (1, *route_id),
                                (None, _) => {
                                    return Outcome::Rejected {
                                        code: RejectCode::Internal,
                                        message: "a round without its route".into(),
                                    }
                                }
                            };
                            rounds_occurred.entry(m.entity_id).or_insert(at);
                            rounds.insert(
                                m.entity_id,
                                StoredRound {
                                    round,
                                    version,
                                    route_id,
                                },
                            );
                            if !rounds_changed.contains(&m.entity_id) {
                                rounds_changed.push(m.entity_id);
                            }
                            Outcome::Applied { version }
                        }
                        Err(e) => Outcome::Rejected {
                            code: round_reject_code(&e),
                            message: e.to_string(),
                        },
                    };
                }
            };
            let current = working.get(&m.entity_id);
            let stale = m.base_version.is_some() && m.base_version != current.map(|s| s.version);
            match work_orders::apply(
                current.map(|s| &s.order),
                WorkOrderId(m.entity_id),
                cmd,
                &actor,
                &facts,
                at,
            ) {
                Ok(mut order) => {
                    let version = current.map_or(1, |s| s.version + 1);
                    if current.is_none() {
                        created.push(m.entity_id);
                        // Engineering sees the ticket on its board the moment the server has it.
                        order.eng_notified_at = Some(received_at);
                    }
                    occurred.entry(m.entity_id).or_insert(at);
                    working.insert(m.entity_id, Stored { order, version });
                    if !changed.contains(&m.entity_id) {
                        changed.push(m.entity_id);
                    }
                    Outcome::Applied { version }
                }
                Err(WorkOrderError::TextConflict) => {
                    let (Some(cur), WorkOrderCommand::EditText { field, base, value }) =
                        (current, cmd)
                    else {
                        return Outcome::Rejected {
                            code: RejectCode::Internal,
                            message: "conflict without a record".into(),
                        };
                    };
                    let server_value = match field {
                        work_orders::TextField::Content => cur.order.content.clone(),
                        work_orders::TextField::Location => cur.order.location.clone(),
                    };
                    reviews.push(ReviewItem {
                        site_id: cur.order.site_id,
                        entity_id: m.entity_id,
                        field: serde_json::to_value(field)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        base: base.clone(),
                        server: server_value,
                        device: value.clone(),
                        mutation_id: m.mutation_id.0,
                    });
                    Outcome::Conflict {
                        code: ConflictCode::TextConflict,
                        message: "someone else changed this text too; a manager will decide".into(),
                        server_version: cur.version,
                        current: serde_json::to_value(&cur.order).ok(),
                    }
                }
                Err(e) => match current {
                    // The record moved on since the device saw it: the device lost a race.
                    Some(cur)
                        if stale
                            && !matches!(
                                e,
                                WorkOrderError::InvalidInput { .. } | WorkOrderError::Forbidden(_)
                            ) =>
                    {
                        Outcome::Conflict {
                            code: ConflictCode::StatusChanged,
                            message: e.to_string(),
                            server_version: cur.version,
                            current: serde_json::to_value(&cur.order).ok(),
                        }
                    }
                    _ => Outcome::Rejected {
                        code: reject_code(&e),
                        message: e.to_string(),
                    },
                },
            }
        },
    );

    // The work the changed rounds' faults call for: new orders join this push's writes.
    let changed_rounds: Vec<&StoredRound> = rounds_changed
        .iter()
        .filter_map(|id| rounds.get(id))
        .collect();
    let raised = crate::patrol::work::raise(
        &mut tx,
        &changed_rounds,
        &rounds_before,
        &actor,
        &facts,
        received_at,
    )
    .await?;
    for (order, at) in raised.orders {
        let id = order.id.0;
        created.push(id);
        changed.push(id);
        occurred.insert(id, at);
        working.insert(id, Stored { order, version: 1 });
    }

    // Serial numbers for new orders: per site and month of the report.
    let mut by_period: HashMap<(SiteId, String), Vec<Uuid>> = HashMap::new();
    for id in &created {
        if let Some(s) = working.get(id) {
            let period = s.order.reported_at.format("%Y-%m").to_string();
            by_period
                .entry((s.order.site_id, period))
                .or_default()
                .push(*id);
        }
    }
    for ((site, period), ids) in by_period {
        let count = i32::try_from(ids.len()).unwrap_or(i32::MAX);
        // Reserved in its own short transaction on another connection: the counter row is hot
        // (every create of the site in the month) and must not stay locked until this push
        // commits, or all pushes queue behind it. A push that then rolls back leaves a gap in
        // the ticket numbers, never a duplicate.
        let mut counter_conn = state.pool.acquire().await?;
        let first = wo_repo::reserve_serials(&mut counter_conn, site, "BX", &period, count).await?;
        drop(counter_conn);
        for (i, id) in ids.iter().enumerate() {
            if let Some(s) = working.get_mut(id) {
                s.order.number = Some(wo_repo::serial("BX", &period, first + i as i32));
            }
        }
    }

    let writes: Vec<(&Stored, DateTime<Utc>)> = changed
        .iter()
        .filter_map(|id| {
            working
                .get(id)
                .map(|s| (s, occurred.get(id).copied().unwrap_or(received_at)))
        })
        .collect();
    wo_repo::upsert(&mut tx, &writes, received_at).await?;
    let changes: Vec<ChangeRow> = writes
        .iter()
        .map(|(s, _)| {
            let mut audience = vec![s.order.created_by.0];
            audience.extend(s.order.assignee.map(|a| a.0));
            if let Some(Some(prev)) = before.get(&s.order.id.0) {
                audience.push(prev.0);
            }
            audience.sort();
            audience.dedup();
            ChangeRow {
                site_id: s.order.site_id,
                entity_kind: "work_order",
                entity_id: s.order.id.0,
                version: s.version,
                audience,
            }
        })
        .collect();
    repo::append_changes(&mut tx, &changes, received_at).await?;
    // Rounds: the officer's own feed; the managers who see every round of a site read them by
    // role in pull.
    let round_writes: Vec<(&StoredRound, DateTime<Utc>)> = changed_rounds
        .iter()
        .map(|s| {
            let at = rounds_occurred
                .get(&s.round.id.0)
                .copied()
                .unwrap_or(received_at);
            (*s, at)
        })
        .collect();
    patrol_repo::upsert_rounds(&mut tx, &round_writes, received_at).await?;
    let round_changes: Vec<ChangeRow> = changed_rounds
        .iter()
        .map(|s| ChangeRow {
            site_id: s.round.site_id,
            entity_kind: "round",
            entity_id: s.round.id.0,
            version: s.version,
            audience: vec![s.round.officer.0],
        })
        .collect();
    repo::append_changes(&mut tx, &round_changes, received_at).await?;
    for c in &raised.cases {
        patrol_repo::insert_case(&mut tx, c).await?;
    }
    patrol_repo::insert_notifications(&mut tx, &raised.notifications, received_at).await?;
    passes.write(&mut tx, received_at).await?;
    complaints.write(&mut tx).await?;
    visits.write(&mut tx).await?;
    let meta: HashMap<Uuid, (Uuid, &'static str, DateTime<Utc>)> = parsed
        .iter()
        .map(|m| {
            (
                m.mutation_id.0,
                (m.entity_id, m.command.type_name(), m.occurred_at),
            )
        })
        .collect();
    let rows: Vec<_> = output
        .to_record
        .into_iter()
        .filter_map(|r| {
            let (entity_id, command, occurred_at) = *meta.get(&r.mutation_id.0)?;
            Some((
                r,
                RecordMeta {
                    entity_id,
                    command,
                    occurred_at,
                },
            ))
        })
        .collect();
    repo::record(&mut tx, profile.staff_id, &rows, received_at).await?;
    super::conflicts::insert(&mut tx, profile.staff_id, &reviews, received_at).await?;
    repo::save_device(&mut tx, req.device_id, ledger, offset_ms, received_at).await?;
    tx.commit().await?;

    Ok(Json(PushResponse {
        protocol: PROTOCOL_VERSION,
        server_time: received_at,
        clock_offset_ms: offset_ms,
        results: output.results,
    }))
}
