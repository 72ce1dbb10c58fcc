//! What a fault found on patrol becomes: a repair order for the place (urgent for blocked
//! escapes, locked roof doors and other dangers) or a case for customer service for what a
//! repair can't fix. No second order while one for the same place and item is still open.

use super::checklist::OnFault;
use super::round::{AnswerValue, Round, Severity};
use crate::ids::{CheckpointId, FindingId};
use crate::sync::wire::BlobRef;
use serde::{Deserialize, Serialize};

/// Where the fault came from: the de-duplication key with the place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultSource {
    Item {
        checkpoint_id: CheckpointId,
        item_code: String,
    },
    Finding {
        finding_id: FindingId,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    Repair { urgent: bool },
    Case,
}

/// One piece of work to create from a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedWork {
    pub source: FaultSource,
    pub kind: WorkKind,
    /// `3栋 楼顶天台`
    pub place: String,
    /// `防火门是否关闭 — 异常：3楼防火门被杂物顶开`
    pub content: String,
    pub photos: Vec<BlobRef>,
}

/// The work a round's faults call for, leaving out sources in `open` (work already open for
/// the same place and item).
pub fn derive_work(round: &Round, open: &[FaultSource]) -> Vec<DerivedWork> {
    let mut out = Vec::new();
    for a in round.current_answers() {
        if a.value != AnswerValue::Fault {
            continue;
        }
        let Some(stop) = round.stop(a.checkpoint_id) else {
            continue;
        };
        let Some(item) = stop.items.iter().find(|i| i.code == a.item_code) else {
            continue;
        };
        let source = FaultSource::Item {
            checkpoint_id: a.checkpoint_id,
            item_code: a.item_code.clone(),
        };
        if open.contains(&source) {
            continue;
        }
        let kind = match item.on_fault {
            OnFault::Repair { urgent } => WorkKind::Repair { urgent },
            OnFault::Case => WorkKind::Case,
        };
        let content = if a.note.is_empty() {
            format!("{} — 异常", item.text_zh)
        } else {
            format!("{} — 异常：{}", item.text_zh, a.note)
        };
        out.push(DerivedWork {
            source,
            kind,
            place: stop.name_zh.clone(),
            content,
            photos: a.photos.clone(),
        });
    }
    for f in &round.findings {
        let source = FaultSource::Finding { finding_id: f.id };
        if open.contains(&source) {
            continue;
        }
        let place = match f.checkpoint_id.and_then(|c| round.stop(c)) {
            Some(s) => s.name_zh.clone(),
            None => f.place.clone(),
        };
        out.push(DerivedWork {
            source,
            kind: if f.for_customer_service {
                WorkKind::Case
            } else {
                WorkKind::Repair {
                    urgent: f.severity == Severity::High,
                }
            },
            place,
            content: f.note.clone(),
            photos: f.photos.clone(),
        });
    }
    out
}
