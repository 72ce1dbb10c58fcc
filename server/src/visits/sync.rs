//! Resident visits in the sync engine: the push records a visit made at a door with no signal
//! (`Command::Visit`), through the same `domain::visits::record::check_visit` the online form
//! uses, exactly once (the push's mutation ledger answers a replay; a second mutation for the
//! same visit id is refused `already_exists`). The site's facts the device cannot know (its
//! hours, whether the month is signed off, the household's occupancy) are checked here.

use super::repo::{self, UnitFacts};
use chrono::{DateTime, NaiveDate, Utc};
use domain::ids::SiteId;
use domain::sync::wire::{Mutation, Outcome, RejectCode};
use domain::visits::policy::VisitPolicy;
use domain::visits::record::{
    check_visit, visit_month, QueuedVisitRefusal, Visit, VisitCommand, VisitFacts, VisitId,
};
use domain::work_orders::Actor;
use sqlx::PgConnection;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The stable reject code of a refused visit on the wire (its own code goes in the message).
pub fn reject_code(e: QueuedVisitRefusal) -> RejectCode {
    match e {
        QueuedVisitRefusal::Forbidden => RejectCode::Forbidden,
        QueuedVisitRefusal::SiteForbidden => RejectCode::SiteForbidden,
        QueuedVisitRefusal::UnitNotInSite => RejectCode::UnitNotInSite,
        QueuedVisitRefusal::UnitVacant | QueuedVisitRefusal::Rule(_) => RejectCode::InvalidInput,
    }
}

/// What one push needs to record the visits it carries, and what it recorded.
#[derive(Default)]
pub struct PushVisits {
    existing: HashSet<Uuid>,
    units: HashMap<Uuid, UnitFacts>,
    policies: HashMap<Uuid, VisitPolicy>,
    signed_off: HashSet<(Uuid, NaiveDate)>,
    recorded: Vec<Visit>,
}

impl PushVisits {
    /// Reads what the batch's visits name (only the pusher's own sites); nothing when it
    /// carries none.
    pub async fn load(
        conn: &mut PgConnection,
        commands: &[(Uuid, &VisitCommand)],
        my_sites: &[Uuid],
    ) -> sqlx::Result<PushVisits> {
        if commands.is_empty() {
            return Ok(PushVisits::default());
        }
        let ids: Vec<Uuid> = commands.iter().map(|(id, _)| *id).collect();
        let existing = repo::existing_ids(&mut *conn, &ids)
            .await?
            .into_iter()
            .collect();
        let mut sites: Vec<Uuid> = Vec::new();
        let mut units = HashMap::new();
        for (_, VisitCommand::Record { site_id, visit }) in commands {
            if my_sites.contains(&site_id.0) && !sites.contains(&site_id.0) {
                sites.push(site_id.0);
            }
            if let Entry::Vacant(e) = units.entry(visit.unit_id.0) {
                if let Some(u) = repo::unit(&mut *conn, visit.unit_id).await? {
                    e.insert(u);
                }
            }
        }
        let mut policies = HashMap::new();
        for site in &sites {
            policies.insert(*site, repo::policy(&mut *conn, SiteId(*site)).await?);
        }
        let signed_off = repo::signed_off_months(conn, &sites)
            .await?
            .into_iter()
            .collect();
        Ok(PushVisits {
            existing,
            units,
            policies,
            signed_off,
            recorded: Vec::new(),
        })
    }

    /// Records one queued visit, or says why not (nothing is kept then). `at` is the trusted
    /// time of the mutation; the visit's own time is corrected by the same clock offset.
    pub fn apply(
        &mut self,
        m: &Mutation,
        cmd: &VisitCommand,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Outcome {
        let rejected = |e: QueuedVisitRefusal| Outcome::Rejected {
            code: reject_code(e),
            message: e.code().replace('_', " "),
        };
        if self.existing.contains(&m.entity_id)
            || self.recorded.iter().any(|v| v.id.0 == m.entity_id)
        {
            return Outcome::Rejected {
                code: RejectCode::AlreadyExists,
                message: "a visit with this id is recorded already".into(),
            };
        }
        let VisitCommand::Record { site_id, visit } = cmd;
        let mut input = visit.clone();
        input.visited_at = Some(input.visited_at.map_or(at, |t| t + (at - m.occurred_at)));
        let cmd = VisitCommand::Record {
            site_id: *site_id,
            visit: input.clone(),
        };
        if let Err(e) = cmd.check(actor, at) {
            return rejected(e);
        }
        match self.units.get(&input.unit_id.0) {
            Some(u) if u.site_id == *site_id => {
                if !u.occupancy.is_occupied() {
                    return rejected(QueuedVisitRefusal::UnitVacant);
                }
            }
            _ => return rejected(QueuedVisitRefusal::UnitNotInSite),
        }
        let default_policy = VisitPolicy::default();
        let policy = self.policies.get(&site_id.0).unwrap_or(&default_policy);
        let month = visit_month(input.visited_at.unwrap_or(at));
        let facts = VisitFacts {
            policy,
            month_signed_off: self.signed_off.contains(&(site_id.0, month)),
        };
        match check_visit(
            input,
            VisitId(m.entity_id),
            *site_id,
            actor.staff_id,
            facts,
            at,
        ) {
            Ok((visit, _warnings)) => {
                self.recorded.push(visit);
                Outcome::Applied { version: 1 }
            }
            Err(e) => rejected(QueuedVisitRefusal::Rule(e)),
        }
    }

    /// Stores the recorded visits, in the push's transaction.
    pub async fn write(&self, conn: &mut PgConnection) -> sqlx::Result<()> {
        for v in &self.recorded {
            repo::insert_visit(&mut *conn, v, visit_month(v.visited_at)).await?;
        }
        Ok(())
    }
}
