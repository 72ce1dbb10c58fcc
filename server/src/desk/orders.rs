//! The order a lock-opening sends to engineering (S0 第2篇: 《有偿服务单》 in office hours,
//! 《报修或投诉处理单》 after hours). It goes through `domain::work_orders::apply` like every
//! other create, so it carries the same rules, gets its serial the same way (a short
//! transaction on the counter row, `patrol::work` and the push do the same), lands in the
//! change feed and appears on the engineering board at once.

use crate::sync::repo::{self as sync_repo, ChangeRow, FactsWanted};
use crate::work_orders::repo::{self as wo_repo, Stored};
use chrono::{DateTime, Utc};
use domain::desk::lock_opening::{LockOpening, OrderForm};
use domain::ids::WorkOrderId;
use domain::work_orders::{
    self, Actor, CatalogueMatch, Channel, NewRepairRequest, RepairKind, Timing, WorkOrder,
    WorkOrderCommand, WorkOrderError,
};
use sqlx::{PgConnection, PgPool};

/// Why the order could not be made (the lock-opening stays as it was).
pub enum OrderFailure {
    Refused(WorkOrderError),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for OrderFailure {
    fn from(e: sqlx::Error) -> Self {
        OrderFailure::Db(e)
    }
}

/// The order's text: the form, who asked and how they were identified.
pub fn content(l: &LockOpening, form: OrderForm, unit_label: &str) -> String {
    let who = match l.requester {
        domain::reference::ResidentRole::Tenant => "租户",
        _ => "业主",
    };
    let mut s = format!(
        "【{}】撬锁：{unit_label} {who}{}被反锁在户外，身份已核实，委托书已签",
        form.title_zh(),
        l.resident_name
    );
    if let Some(c) = &l.owner_consent {
        s.push_str(&format!("，业主{}已同意", c.owner_name));
    }
    if !l.reason.is_empty() {
        s.push_str(&format!("（{}）", l.reason));
    }
    s
}

/// Builds the order (not stored yet) with the rules of a create.
#[allow(clippy::too_many_arguments)]
pub async fn build(
    conn: &mut PgConnection,
    id: WorkOrderId,
    l: &LockOpening,
    form: OrderForm,
    unit_label: &str,
    reporter_phone: String,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<WorkOrder, OrderFailure> {
    let facts = sync_repo::facts(
        conn,
        &FactsWanted {
            units: vec![l.unit_id.0],
            sites: vec![l.site_id.0],
            ..FactsWanted::default()
        },
        now,
    )
    .await?;
    let new = NewRepairRequest {
        site_id: l.site_id,
        unit_id: Some(l.unit_id),
        common_area: false,
        location: String::new(),
        channel: Channel::WalkIn,
        kind: RepairKind::Daily,
        reporter_name: l.resident_name.clone(),
        reporter_phone,
        content: content(l, form, unit_label),
        timing: Timing::Immediate,
        photos: Vec::new(),
        contacted_at: Some(l.verified_at),
        matched: CatalogueMatch::None,
        leak: false,
        second_repair_reported: false,
        patrol_source: None,
    };
    let mut order =
        work_orders::apply(None, id, &WorkOrderCommand::Create(new), actor, &facts, now)
            .map_err(OrderFailure::Refused)?;
    // Engineering sees it on its board the moment it is stored.
    order.eng_notified_at = Some(now);
    Ok(order)
}

/// Gives the order its serial (its own short transaction, like a push) .
pub async fn number(pool: &PgPool, order: &mut WorkOrder) -> sqlx::Result<()> {
    let period = order.reported_at.format("%Y-%m").to_string();
    let mut counter = pool.acquire().await?;
    let n = wo_repo::reserve_serials(&mut counter, order.site_id, "BX", &period, 1).await?;
    order.number = Some(wo_repo::serial("BX", &period, n));
    Ok(())
}

/// Stores the order and announces it in the change feed (creator's devices and the office).
pub async fn store(
    conn: &mut PgConnection,
    order: WorkOrder,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let site = order.site_id;
    let id = order.id.0;
    let creator = order.created_by.0;
    let stored = Stored { order, version: 1 };
    wo_repo::upsert(conn, &[(&stored, now)], now).await?;
    sync_repo::append_changes(
        conn,
        &[ChangeRow {
            site_id: site,
            entity_kind: "work_order",
            entity_id: id,
            version: 1,
            audience: vec![creator],
        }],
        now,
    )
    .await
}
