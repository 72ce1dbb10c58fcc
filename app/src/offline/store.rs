//! The local store: the outbox, the records the user works on, photos, reference data and the
//! sync bookkeeping, all in one IndexedDB database per staff member.
//!
//! Records of every kind share the `records` object store, told apart by the key's prefix
//! (`work_order:<id>`, `round:<id>`): adding a kind needs no schema upgrade of the database, so
//! an old page still open in another tab neither blocks nor breaks (it reads only the kinds it
//! knows). A device that dropped a kind from its pulls before it kept that kind starts its next
//! pull from a snapshot ([`RECORDS_SCHEMA`]).

use super::idb::{Db, Op, BLOBS, META, OUTBOX, RECORDS, REFERENCE};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use domain::ids::{DeviceId, MutationId, StaffId};
use domain::patrol::round::{Round, RoundCommand};
use domain::release::pass::{Pass, PassCommand};
use domain::sync::outbox::{EntryState, Outbox, OutboxEntry};
use domain::sync::reference::ReferenceData;
use domain::sync::wire::{BlobRef, Command};
use domain::work_orders::{WorkOrder, WorkOrderCommand};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn outbox_key(seq: u64) -> String {
    format!("{seq:012}")
}

const ORDER_PREFIX: &str = "work_order:";
const ROUND_PREFIX: &str = "round:";
const PASS_PREFIX: &str = "pass:";

fn order_key(id: impl std::fmt::Display) -> String {
    format!("{ORDER_PREFIX}{id}")
}

fn round_key(id: impl std::fmt::Display) -> String {
    format!("{ROUND_PREFIX}{id}")
}

fn pass_key(id: impl std::fmt::Display) -> String {
    format!("{PASS_PREFIX}{id}")
}

/// The kinds of record this build keeps from pulls. A device whose stored mark differs pulls a
/// snapshot once: version "2" added patrol rounds, which earlier builds pulled and dropped, so
/// their cursors are past rounds they never stored; "3" added release passes (放行条).
pub const RECORDS_SCHEMA: &str = "3";
/// Meta key of [`RECORDS_SCHEMA`].
pub const RECORDS_SCHEMA_KEY: &str = "records_schema";

/// A work order as the server last sent it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRecord {
    pub version: i64,
    pub order: WorkOrder,
}

/// A patrol round as the server last sent it (or as this device folded its own applied
/// changes into it, see [`Store::save_rounds`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRound {
    pub version: i64,
    pub round: Round,
}

/// A release pass as the server last sent it (or with this device's applied use folded in).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredPass {
    pub version: i64,
    pub pass: Pass,
}

/// A photo or signature kept on the device until uploaded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredBlob {
    pub blob: BlobRef,
    pub data_b64: String,
    pub uploaded: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct DeviceMeta {
    device_id: DeviceId,
    next_seq: u64,
}

pub struct Store {
    db: Db,
    pub outbox: Outbox,
}

fn json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string(v).map_err(|e| e.to_string())
}

impl Store {
    /// Opens (or creates) the store of `staff`; a new store gets a new device id.
    pub async fn open(staff: StaffId) -> Result<Store, String> {
        let db = Db::open(&format!("wuye-{staff}")).await?;
        let meta = match db.get(META, "device").await? {
            Some(t) => serde_json::from_str::<DeviceMeta>(&t).map_err(|e| e.to_string())?,
            None => {
                let m = DeviceMeta {
                    device_id: DeviceId(Uuid::now_v7()),
                    next_seq: 1,
                };
                db.write(vec![Op::Put {
                    store: META,
                    key: "device".into(),
                    json: json(&m)?,
                }])
                .await?;
                m
            }
        };
        let mut entries = Vec::new();
        for t in db.all(OUTBOX).await? {
            // A record that no longer parses is kept on disk and reported, never dropped.
            match serde_json::from_str::<OutboxEntry>(&t) {
                Ok(e) => entries.push(e),
                Err(e) => leptos::logging::warn!("unreadable outbox record kept aside: {e}"),
            }
        }
        entries.sort_by_key(|e| e.mutation.seq);
        let next_seq = entries
            .last()
            .map(|e| e.mutation.seq + 1)
            .unwrap_or(1)
            .max(meta.next_seq);
        Ok(Store {
            db,
            outbox: Outbox {
                device_id: meta.device_id,
                next_seq,
                entries,
            },
        })
    }

    pub fn device_id(&self) -> DeviceId {
        self.outbox.device_id
    }

    fn meta_op(&self) -> Result<Op, String> {
        Ok(Op::Put {
            store: META,
            key: "device".into(),
            json: json(&DeviceMeta {
                device_id: self.outbox.device_id,
                next_seq: self.outbox.next_seq,
            })?,
        })
    }

    fn entry_ops(&self, ids: &[MutationId]) -> Result<Vec<Op>, String> {
        self.outbox
            .entries
            .iter()
            .filter(|e| ids.contains(&e.mutation.mutation_id))
            .map(|e| {
                Ok(Op::Put {
                    store: OUTBOX,
                    key: outbox_key(e.mutation.seq),
                    json: json(e)?,
                })
            })
            .collect()
    }

    /// Queues a command durably. Returns only after the write is on disk. On failure the
    /// in-memory outbox is restored, so nothing is shown as saved that is not.
    pub async fn enqueue(
        &mut self,
        entity_id: Uuid,
        base_version: Option<i64>,
        command: Command,
        now: DateTime<Utc>,
    ) -> Result<MutationId, String> {
        let before = self.outbox.clone();
        let id = self.outbox.enqueue(
            MutationId(Uuid::now_v7()),
            entity_id,
            base_version,
            now,
            command,
        );
        let mut ops = self.entry_ops(&[id])?;
        ops.push(self.meta_op()?);
        if let Err(e) = self.db.write(ops).await {
            self.outbox = before;
            return Err(e);
        }
        Ok(id)
    }

    /// Persists the entries with these ids as they are in memory now.
    pub async fn save_entries(&self, ids: &[MutationId]) -> Result<(), String> {
        self.db.write(self.entry_ops(ids)?).await
    }

    /// Removes applied entries from memory and disk.
    pub async fn prune(&mut self) -> Result<(), String> {
        let gone: Vec<u64> = self
            .outbox
            .entries
            .iter()
            .filter(|e| matches!(e.state, EntryState::Applied { .. }))
            .map(|e| e.mutation.seq)
            .collect();
        self.outbox.prune_applied();
        self.db
            .write(
                gone.into_iter()
                    .map(|seq| Op::Delete {
                        store: OUTBOX,
                        key: outbox_key(seq),
                    })
                    .collect(),
            )
            .await
    }

    pub async fn discard(&mut self, id: MutationId) -> Result<(), String> {
        let entry = self.outbox.discard(id).map_err(|e| e.to_string())?;
        self.db
            .write(vec![Op::Delete {
                store: OUTBOX,
                key: outbox_key(entry.mutation.seq),
            }])
            .await
    }

    pub async fn retry(&mut self, id: MutationId) -> Result<(), String> {
        let old_seq = self
            .outbox
            .entries
            .iter()
            .find(|e| e.mutation.mutation_id == id)
            .map(|e| e.mutation.seq)
            .ok_or("not found")?;
        let before = self.outbox.clone();
        let new_id = self
            .outbox
            .retry(id, MutationId(Uuid::now_v7()))
            .map_err(|e| e.to_string())?;
        let mut ops = vec![Op::Delete {
            store: OUTBOX,
            key: outbox_key(old_seq),
        }];
        ops.extend(self.entry_ops(&[new_id])?);
        ops.push(self.meta_op()?);
        if let Err(e) = self.db.write(ops).await {
            self.outbox = before;
            return Err(e);
        }
        Ok(())
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>, String> {
        self.db.get(META, key).await
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), String> {
        self.db
            .write(vec![Op::Put {
                store: META,
                key: key.into(),
                json: value.into(),
            }])
            .await
    }

    /// The work orders on the device.
    pub async fn records(&self) -> Result<Vec<StoredRecord>, String> {
        Ok(self
            .db
            .all_prefixed(RECORDS, ORDER_PREFIX)
            .await?
            .into_iter()
            .filter_map(|t| serde_json::from_str(&t).ok())
            .collect())
    }

    /// The patrol rounds on the device.
    pub async fn rounds(&self) -> Result<Vec<StoredRound>, String> {
        Ok(self
            .db
            .all_prefixed(RECORDS, ROUND_PREFIX)
            .await?
            .into_iter()
            .filter_map(|t| serde_json::from_str(&t).ok())
            .collect())
    }

    /// The release passes on the device.
    pub async fn passes(&self) -> Result<Vec<StoredPass>, String> {
        Ok(self
            .db
            .all_prefixed(RECORDS, PASS_PREFIX)
            .await?
            .into_iter()
            .filter_map(|t| serde_json::from_str(&t).ok())
            .collect())
    }

    /// Puts of the passes newer than what the device holds.
    async fn newer_pass_ops(&self, passes: Vec<StoredPass>) -> Result<Vec<Op>, String> {
        let mut ops = Vec::new();
        for p in passes {
            let key = pass_key(p.pass.id);
            if self.older(&key, p.version).await? {
                ops.push(Op::Put {
                    store: RECORDS,
                    key,
                    json: json(&p)?,
                });
            }
        }
        Ok(ops)
    }

    /// Stores passes as this device now knows them (newer versions only).
    pub async fn save_passes(&self, passes: Vec<StoredPass>) -> Result<(), String> {
        let ops = self.newer_pass_ops(passes).await?;
        self.db.write(ops).await
    }

    /// Whether the stored copy under `key` is older than `version` (or missing or unreadable).
    async fn older(&self, key: &str, version: i64) -> Result<bool, String> {
        #[derive(Deserialize)]
        struct Versioned {
            version: i64,
        }
        Ok(match self.db.get(RECORDS, key).await? {
            Some(t) => {
                serde_json::from_str::<Versioned>(&t).map_or(true, |old| version >= old.version)
            }
            None => true,
        })
    }

    /// Puts of the records that are newer than what the device holds.
    async fn newer_ops(
        &self,
        orders: Vec<StoredRecord>,
        rounds: Vec<StoredRound>,
    ) -> Result<Vec<Op>, String> {
        let mut ops = Vec::new();
        for r in orders {
            let key = order_key(r.order.id);
            if self.older(&key, r.version).await? {
                ops.push(Op::Put {
                    store: RECORDS,
                    key,
                    json: json(&r)?,
                });
            }
        }
        for r in rounds {
            let key = round_key(r.round.id);
            if self.older(&key, r.version).await? {
                ops.push(Op::Put {
                    store: RECORDS,
                    key,
                    json: json(&r)?,
                });
            }
        }
        Ok(ops)
    }

    /// Stores records from a pull (newer versions only) and the cursor, in one transaction.
    pub async fn save_pull(
        &self,
        records: Vec<StoredRecord>,
        rounds: Vec<StoredRound>,
        passes: Vec<StoredPass>,
        cursor: &str,
    ) -> Result<(), String> {
        let mut ops = self.newer_ops(records, rounds).await?;
        ops.extend(self.newer_pass_ops(passes).await?);
        ops.push(Op::Put {
            store: META,
            key: "cursor".into(),
            json: cursor.into(),
        });
        self.db.write(ops).await
    }

    /// Stores rounds as this device now knows them (newer versions only): the server's record
    /// with this device's own applied changes folded in, so a round does not fall back to an
    /// older state between a push that succeeded and a pull that did not.
    pub async fn save_rounds(&self, rounds: Vec<StoredRound>) -> Result<(), String> {
        let ops = self.newer_ops(Vec::new(), rounds).await?;
        self.db.write(ops).await
    }

    /// Forgets records the server no longer sends in a snapshot (e.g. reassigned away, or a
    /// round older than the two weeks a phone keeps), and marks the store as holding every kind
    /// this build keeps.
    pub async fn replace_all_records(
        &self,
        records: Vec<StoredRecord>,
        rounds: Vec<StoredRound>,
        passes: Vec<StoredPass>,
        cursor: &str,
    ) -> Result<(), String> {
        let keep: Vec<String> = records
            .iter()
            .map(|r| order_key(r.order.id))
            .chain(rounds.iter().map(|r| round_key(r.round.id)))
            .chain(passes.iter().map(|p| pass_key(p.pass.id)))
            .collect();
        let mut ops: Vec<Op> = self
            .records()
            .await?
            .into_iter()
            .map(|r| order_key(r.order.id))
            .chain(
                self.rounds()
                    .await?
                    .into_iter()
                    .map(|r| round_key(r.round.id)),
            )
            .chain(
                self.passes()
                    .await?
                    .into_iter()
                    .map(|p| pass_key(p.pass.id)),
            )
            .filter(|k| !keep.contains(k))
            .map(|key| Op::Delete {
                store: RECORDS,
                key,
            })
            .collect();
        for r in records {
            ops.push(Op::Put {
                store: RECORDS,
                key: order_key(r.order.id),
                json: json(&r)?,
            });
        }
        for r in rounds {
            ops.push(Op::Put {
                store: RECORDS,
                key: round_key(r.round.id),
                json: json(&r)?,
            });
        }
        for p in passes {
            ops.push(Op::Put {
                store: RECORDS,
                key: pass_key(p.pass.id),
                json: json(&p)?,
            });
        }
        ops.push(Op::Put {
            store: META,
            key: "cursor".into(),
            json: cursor.into(),
        });
        ops.push(Op::Put {
            store: META,
            key: RECORDS_SCHEMA_KEY.into(),
            json: RECORDS_SCHEMA.into(),
        });
        self.db.write(ops).await
    }

    pub async fn reference(&self) -> Result<Option<ReferenceData>, String> {
        Ok(self
            .db
            .get(REFERENCE, "data")
            .await?
            .and_then(|t| serde_json::from_str(&t).ok()))
    }

    pub async fn save_reference(&self, r: &ReferenceData, at: DateTime<Utc>) -> Result<(), String> {
        self.db
            .write(vec![
                Op::Put {
                    store: REFERENCE,
                    key: "data".into(),
                    json: json(r)?,
                },
                Op::Put {
                    store: META,
                    key: "reference_at".into(),
                    json: at.to_rfc3339(),
                },
            ])
            .await
    }

    /// Keeps a photo until it is uploaded; returns its content address.
    pub async fn put_blob(&self, bytes: &[u8], content_type: &str) -> Result<BlobRef, String> {
        use sha2::{Digest, Sha256};
        let blob = BlobRef {
            sha256: hex::encode(Sha256::digest(bytes)),
            size: bytes.len() as u64,
            content_type: content_type.into(),
        };
        let stored = StoredBlob {
            blob: blob.clone(),
            data_b64: B64.encode(bytes),
            uploaded: false,
        };
        self.db
            .write(vec![Op::Put {
                store: BLOBS,
                key: blob.sha256.clone(),
                json: json(&stored)?,
            }])
            .await?;
        Ok(blob)
    }

    pub async fn pending_blobs(&self) -> Result<Vec<StoredBlob>, String> {
        Ok(self
            .db
            .all(BLOBS)
            .await?
            .into_iter()
            .filter_map(|t| serde_json::from_str::<StoredBlob>(&t).ok())
            .filter(|b| !b.uploaded)
            .collect())
    }

    pub async fn blob_bytes(&self, sha: &str) -> Result<Option<(Vec<u8>, String)>, String> {
        let Some(t) = self.db.get(BLOBS, sha).await? else {
            return Ok(None);
        };
        let b: StoredBlob = serde_json::from_str(&t).map_err(|e| e.to_string())?;
        let bytes = B64
            .decode(b.data_b64.as_bytes())
            .map_err(|e| e.to_string())?;
        Ok(Some((bytes, b.blob.content_type)))
    }

    pub async fn mark_uploaded(&self, mut b: StoredBlob) -> Result<(), String> {
        b.uploaded = true;
        self.db
            .write(vec![Op::Put {
                store: BLOBS,
                key: b.blob.sha256.clone(),
                json: json(&b)?,
            }])
            .await
    }

    /// Work orders as the user should see them: the server's version with this device's
    /// unsynced commands replayed on top. The flag says whether any are still unsynced.
    pub fn view(
        &self,
        records: Vec<StoredRecord>,
        apply: impl Fn(Option<&WorkOrder>, Uuid, &WorkOrderCommand, DateTime<Utc>) -> Option<WorkOrder>,
    ) -> Vec<(WorkOrder, i64, bool)> {
        replay(
            &self.outbox.entries,
            records
                .into_iter()
                .map(|r| (r.order, r.version, false))
                .collect(),
            |c| match c {
                Command::WorkOrder(c) => Some(c),
                _ => None,
            },
            |o| o.id.0,
            apply,
        )
    }

    /// Rounds as the user should see them, the same way as [`Store::view`].
    pub fn round_view(
        &self,
        rounds: Vec<StoredRound>,
        apply: impl Fn(Option<&Round>, Uuid, &RoundCommand, DateTime<Utc>) -> Option<Round>,
    ) -> Vec<(Round, i64, bool)> {
        replay(
            &self.outbox.entries,
            rounds
                .into_iter()
                .map(|r| (r.round, r.version, false))
                .collect(),
            |c| match c {
                Command::Round(c) => Some(c),
                _ => None,
            },
            |r| r.id.0,
            apply,
        )
    }
}

impl Store {
    /// Passes as the user should see them, the same way as [`Store::view`].
    pub fn pass_view(
        &self,
        passes: Vec<StoredPass>,
        apply: impl Fn(Option<&Pass>, &PassCommand, DateTime<Utc>) -> Option<Pass>,
    ) -> Vec<(Pass, i64, bool)> {
        replay(
            &self.outbox.entries,
            passes
                .into_iter()
                .map(|p| (p.pass, p.version, false))
                .collect(),
            |c| match c {
                Command::Pass(c) => Some(c),
                _ => None,
            },
            |p| p.id,
            |cur, _, cmd, at| apply(cur, cmd, at),
        )
    }
}

/// Replays the outbox's unsettled commands of one kind (`pick`) on `records`: records changed or
/// created by them come back flagged unsynced. A command its rule refuses here is skipped (the
/// outbox page shows what the server makes of it).
fn replay<T, C>(
    entries: &[OutboxEntry],
    mut out: Vec<(T, i64, bool)>,
    pick: impl Fn(&Command) -> Option<&C>,
    id_of: impl Fn(&T) -> Uuid,
    apply: impl Fn(Option<&T>, Uuid, &C, DateTime<Utc>) -> Option<T>,
) -> Vec<(T, i64, bool)> {
    for e in entries {
        if matches!(
            e.state,
            EntryState::Applied { .. } | EntryState::Rejected { .. } | EntryState::Conflict { .. }
        ) {
            continue;
        }
        let Some(cmd) = pick(&e.mutation.command) else {
            continue;
        };
        let id = e.mutation.entity_id;
        let pos = out.iter().position(|(r, _, _)| id_of(r) == id);
        let current = pos.map(|i| &out[i].0);
        if let Some(next) = apply(current, id, cmd, e.mutation.occurred_at) {
            match pos {
                Some(i) => {
                    out[i].0 = next;
                    out[i].2 = true;
                }
                None => out.push((next, 0, true)),
            }
        }
    }
    out
}
