//! Complaints in the sync engine: the push registers a complaint the desk took with no signal
//! (`Command::Complaint`), through the same `domain::care::complaint::register` the online form
//! uses, exactly once (the push's mutation ledger answers a replay; a second mutation for the
//! same complaint id is refused `already_exists`). The serial (TS-…) is given when it lands, in
//! the month it was received. Everything after intake (assessment, replies, the written answer)
//! is office work and stays online.

use super::repo;
use chrono::{DateTime, Utc};
use domain::care::complaint::{Complaint, IntakeCommand, IntakeRefusal, Refusal};
use domain::sync::wire::{Mutation, Outcome, RejectCode};
use domain::work_orders::Actor;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The stable reject code of a refused intake on the wire.
pub fn reject_code(e: IntakeRefusal) -> RejectCode {
    match e {
        IntakeRefusal::SiteForbidden => RejectCode::SiteForbidden,
        IntakeRefusal::Rule(Refusal::Forbidden) => RejectCode::Forbidden,
        IntakeRefusal::EntityMismatch | IntakeRefusal::Rule(_) => RejectCode::InvalidInput,
    }
}

/// What one push needs to register the complaints it carries, and what it registered.
#[derive(Default)]
pub struct PushComplaints {
    /// Complaint ids already stored (a different mutation for one of them is refused).
    existing: HashSet<Uuid>,
    /// The site of each household the batch names.
    unit_sites: HashMap<Uuid, Uuid>,
    registered: Vec<Complaint>,
}

impl PushComplaints {
    /// Reads what the batch's intakes name; nothing when it carries none.
    pub async fn load(
        conn: &mut PgConnection,
        commands: &[(Uuid, &IntakeCommand)],
    ) -> sqlx::Result<PushComplaints> {
        if commands.is_empty() {
            return Ok(PushComplaints::default());
        }
        let ids: Vec<Uuid> = commands.iter().map(|(id, _)| *id).collect();
        let existing: HashSet<Uuid> = repo::existing_ids(&mut *conn, &ids)
            .await?
            .into_iter()
            .collect();
        let units: Vec<Uuid> = commands
            .iter()
            .filter_map(|(_, c)| {
                let IntakeCommand::Register { complaint, .. } = c;
                complaint.unit_id.map(|u| u.0)
            })
            .collect();
        let unit_sites = repo::units(conn, &units)
            .await?
            .into_iter()
            .map(|(id, info)| (id, info.site_id))
            .collect();
        Ok(PushComplaints {
            existing,
            unit_sites,
            registered: Vec::new(),
        })
    }

    /// Registers one queued complaint, or says why not (nothing is kept then).
    pub fn apply(
        &mut self,
        m: &Mutation,
        cmd: &IntakeCommand,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Outcome {
        let rejected = |code: RejectCode, message: String| Outcome::Rejected { code, message };
        if self.existing.contains(&m.entity_id)
            || self.registered.iter().any(|c| c.id == m.entity_id)
        {
            return rejected(
                RejectCode::AlreadyExists,
                "a complaint with this id is registered already".into(),
            );
        }
        // The receiving time is the device's clock: corrected as `occurred_at` was.
        let mut cmd = cmd.clone();
        let IntakeCommand::Register { complaint, .. } = &mut cmd;
        complaint.received_at += at - m.occurred_at;
        let c = match cmd.register(m.entity_id, actor, at) {
            Ok(c) => c,
            Err(e) => return rejected(reject_code(e), e.code().replace('_', " ")),
        };
        if let Some(unit) = c.unit_id {
            if self.unit_sites.get(&unit.0) != Some(&c.site_id.0) {
                return rejected(
                    RejectCode::UnitNotInSite,
                    "the household is not one of the complaint's site".into(),
                );
            }
        }
        self.registered.push(c);
        Outcome::Applied { version: 1 }
    }

    /// Gives each registered complaint its serial and stores it, in the push's transaction.
    pub async fn write(&mut self, conn: &mut PgConnection) -> sqlx::Result<()> {
        for c in &mut self.registered {
            let received = c.received_at;
            repo::insert_numbered(&mut *conn, c, received).await?;
        }
        Ok(())
    }
}
