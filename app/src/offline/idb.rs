//! IndexedDB through `indexed_db_futures`: one database per signed-in staff member, values kept
//! as JSON text under string keys, and every write in one `readwrite` transaction with
//! `durability: "strict"`, so "saved" is only said once the browser has it on disk.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};

/// Store names. `outbox` keys are zero-padded sequence numbers, so key order is queue order.
pub const META: &str = "meta";
pub const OUTBOX: &str = "outbox";
pub const RECORDS: &str = "records";
pub const BLOBS: &str = "blobs";
pub const REFERENCE: &str = "reference";
const STORES: [&str; 5] = [META, OUTBOX, RECORDS, BLOBS, REFERENCE];
const VERSION: u8 = 1;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// One write of a batch.
pub enum Op {
    Put {
        store: &'static str,
        key: String,
        json: String,
    },
    Delete {
        store: &'static str,
        key: String,
    },
}

pub struct Db(Database);

impl Db {
    pub async fn open(name: &str) -> Result<Db, String> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_upgrade_needed(|_event, db: Database| {
                let existing: Vec<String> = db.object_store_names().collect();
                for s in STORES {
                    if !existing.iter().any(|e| e == s) {
                        db.create_object_store(s).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(err)?;
        Ok(Db(db))
    }

    pub async fn get(&self, store: &str, key: &str) -> Result<Option<String>, String> {
        let tx = self.0.transaction(store).build().map_err(err)?;
        let s = tx.object_store(store).map_err(err)?;
        let v: Option<String> = s.get(key).primitive().map_err(err)?.await.map_err(err)?;
        Ok(v)
    }

    pub async fn all(&self, store: &str) -> Result<Vec<String>, String> {
        let tx = self.0.transaction(store).build().map_err(err)?;
        let s = tx.object_store(store).map_err(err)?;
        let it = s
            .get_all::<String>()
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        it.map(|r| r.map_err(err)).collect()
    }

    /// The values whose keys start with `prefix` (`"round:"`), in key order: one kind of record
    /// of a store that keeps several, read without parsing the others.
    pub async fn all_prefixed(&self, store: &str, prefix: &str) -> Result<Vec<String>, String> {
        let tx = self.0.transaction(store).build().map_err(err)?;
        let s = tx.object_store(store).map_err(err)?;
        // Every key with the prefix sorts at or above it and below the prefix with its last
        // character bumped (`"round:"` … `"round;"`).
        let mut upper = prefix.to_owned();
        let last = upper.pop().ok_or("empty prefix")?;
        upper.push(char::from_u32(last as u32 + 1).ok_or("bad prefix")?);
        let it = s
            .get_all::<String>()
            .with_query::<String, _>(prefix.to_owned()..upper)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        it.map(|r| r.map_err(err)).collect()
    }

    /// Applies `ops` atomically and durably: all or nothing, on disk before it returns Ok.
    pub async fn write(&self, ops: Vec<Op>) -> Result<(), String> {
        if ops.is_empty() {
            return Ok(());
        }
        let mut names: Vec<&'static str> = ops
            .iter()
            .map(|o| match o {
                Op::Put { store, .. } | Op::Delete { store, .. } => *store,
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut opts = TransactionOptions::new();
        opts.set_durability(TransactionDurability::Strict);
        let tx = self
            .0
            .transaction(names)
            .with_mode(TransactionMode::Readwrite)
            .with_options(opts)
            .build()
            .map_err(err)?;
        for op in ops {
            match op {
                Op::Put { store, key, json } => {
                    tx.object_store(store)
                        .map_err(err)?
                        .put(json)
                        .with_key(key)
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
                Op::Delete { store, key } => {
                    tx.object_store(store)
                        .map_err(err)?
                        .delete(key)
                        .primitive()
                        .map_err(err)?
                        .await
                        .map_err(err)?;
                }
            }
        }
        tx.commit().await.map_err(err)
    }
}
