//! Release passes in the sync engine: the push applies `Command::Pass` (the gate's 确认放行)
//! through `domain::release::pass::apply_pass` on the pass locked for the push, exactly once —
//! a second use, from any device, is refused `already_used`; the pull sends the site's passes
//! to the desk, the managers and security (`Record::Pass`).

use super::repo::{self, StoredPass};
use crate::sync::repo::{append_changes, ChangeRow};
use chrono::{DateTime, Utc};
use domain::people::Role;
use domain::release::pass::{apply_pass, may_read, PassCommand, ReleaseError};
use domain::sync::wire::{Change, Mutation, Outcome, Record, RejectCode};
use domain::work_orders::Actor;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// The stable reject code of a refusal on the wire.
pub fn reject_code(e: &ReleaseError) -> RejectCode {
    match e {
        ReleaseError::AlreadyUsed => RejectCode::AlreadyUsed,
        ReleaseError::Void => RejectCode::PassVoid,
        ReleaseError::NotIssued => RejectCode::PassNotIssued,
        ReleaseError::Forbidden => RejectCode::Forbidden,
        ReleaseError::SiteForbidden => RejectCode::SiteForbidden,
        ReleaseError::UnitNotInSite => RejectCode::UnitNotInSite,
        ReleaseError::AlreadyExists => RejectCode::AlreadyExists,
        ReleaseError::UnpaidFees { .. }
        | ReleaseError::IdentityIncomplete
        | ReleaseError::PhoneConfirmationNotAllowed
        | ReleaseError::NoItems
        | ReleaseError::SignatureMissing
        | ReleaseError::InvalidInput { .. } => RejectCode::InvalidInput,
    }
}

/// The passes one push names, locked until it commits.
#[derive(Default)]
pub struct PushPasses {
    passes: HashMap<Uuid, StoredPass>,
    changed: Vec<Uuid>,
}

impl PushPasses {
    /// Loads (and locks) the passes among `ids`; nothing when the batch has no pass command.
    pub async fn load(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<PushPasses> {
        Ok(PushPasses {
            passes: repo::load(conn, ids, true)
                .await?
                .into_iter()
                .map(|s| (s.pass.id, s))
                .collect(),
            changed: Vec::new(),
        })
    }

    /// Applies one mutation's pass command. Only a use travels by push: voiding is the desk's,
    /// online, where the reason is typed.
    pub fn apply(
        &mut self,
        m: &Mutation,
        cmd: &PassCommand,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Outcome {
        if !matches!(cmd, PassCommand::Use) {
            return Outcome::Rejected {
                code: RejectCode::Forbidden,
                message: "a pass is voided at the desk".into(),
            };
        }
        let current = self.passes.get(&m.entity_id);
        match apply_pass(current.map(|s| &s.pass), cmd, actor, at) {
            Ok(pass) => {
                let version = current.map_or(1, |s| s.version + 1);
                self.passes
                    .insert(m.entity_id, StoredPass { pass, version });
                if !self.changed.contains(&m.entity_id) {
                    self.changed.push(m.entity_id);
                }
                Outcome::Applied { version }
            }
            Err(e) => Outcome::Rejected {
                code: reject_code(&e),
                message: e.to_string(),
            },
        }
    }

    /// Writes the changed passes and their change-feed rows, in the push's transaction.
    pub async fn write(&self, conn: &mut PgConnection, at: DateTime<Utc>) -> sqlx::Result<()> {
        let changed: Vec<&StoredPass> = self
            .changed
            .iter()
            .filter_map(|id| self.passes.get(id))
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        repo::update(&mut *conn, &changed, at).await?;
        feed(conn, &changed, at).await
    }
}

/// Change-feed rows for passes: read by role (desk, managers, security of the site).
pub async fn feed(
    conn: &mut PgConnection,
    passes: &[&StoredPass],
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let rows: Vec<ChangeRow> = passes
        .iter()
        .map(|s| ChangeRow {
            site_id: s.pass.site_id,
            entity_kind: "pass",
            entity_id: s.pass.id,
            version: s.version,
            audience: Vec::new(),
        })
        .collect();
    append_changes(conn, &rows, at).await
}

/// Whether a role's phone receives the site's passes.
pub fn pulls_passes(role: Role) -> bool {
    may_read(role)
}

/// The pass records of a pull, by id.
pub async fn changes(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<HashMap<Uuid, Change>> {
    Ok(repo::load(conn, ids, false)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.pass.id,
                Change {
                    version: s.version,
                    record: Record::Pass(s.pass),
                },
            )
        })
        .collect())
}

/// The passes a fresh device starts with.
pub async fn snapshot(
    conn: &mut PgConnection,
    sites: &[Uuid],
    role: Role,
) -> sqlx::Result<Vec<Uuid>> {
    if !pulls_passes(role) {
        return Ok(Vec::new());
    }
    repo::snapshot_ids(conn, sites).await
}
