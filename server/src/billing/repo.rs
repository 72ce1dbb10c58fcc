//! SQL for payment requests and their lines.

use chrono::{DateTime, NaiveDate, Utc};
use domain::ids::{SiteId, StaffId, UnitId, WorkOrderId};
use domain::money::Fen;
use domain::reference::unit_label;
use domain::work_orders::billing::RequestDraft;
use domain::work_orders::views::{PaymentLineView, PaymentMethod, PaymentRequestView};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

pub const fn method_code(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::BankTransfer => "bank_transfer",
        PaymentMethod::Online => "online",
        PaymentMethod::CashAtOffice => "cash_at_office",
        PaymentMethod::DoorCollection => "door_collection",
    }
}

fn parse_method(s: &str) -> Option<PaymentMethod> {
    [
        PaymentMethod::BankTransfer,
        PaymentMethod::Online,
        PaymentMethod::CashAtOffice,
        PaymentMethod::DoorCollection,
    ]
    .into_iter()
    .find(|m| method_code(*m) == s)
}

/// Billing runs of one site take turns (until the transaction ends), so two finance clerks
/// pressing the button together never collect the same jobs.
pub async fn lock_site(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(7301, hashtext($1::text))")
        .bind(site.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// A request to store: the draft, its id and its number.
pub struct NewRequest<'a> {
    pub id: Uuid,
    pub number: String,
    pub draft: &'a RequestDraft,
}

/// Stores the requests and their lines. A job already billed fails the statement (unique
/// `work_order_id`), which rolls the whole run back.
pub async fn insert(
    conn: &mut PgConnection,
    site: SiteId,
    requests: &[NewRequest<'_>],
    by: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    if requests.is_empty() {
        return Ok(());
    }
    let mut id = Vec::new();
    let mut unit = Vec::new();
    let mut number = Vec::new();
    let mut issued = Vec::new();
    let mut due = Vec::new();
    let mut total = Vec::new();
    let mut l_req = Vec::new();
    let mut l_order = Vec::new();
    let mut l_number = Vec::new();
    let mut l_desc = Vec::new();
    let mut l_amount = Vec::new();
    let mut l_closed = Vec::new();
    for r in requests {
        id.push(r.id);
        unit.push(r.draft.unit_id.0);
        number.push(r.number.clone());
        issued.push(r.draft.issued_on);
        due.push(r.draft.due_on);
        total.push(r.draft.total.0);
        for c in &r.draft.lines {
            l_req.push(r.id);
            l_order.push(c.order_id.0);
            l_number.push(c.number.clone());
            l_desc.push(c.description.clone());
            l_amount.push(c.amount.0);
            l_closed.push(c.closed_at);
        }
    }
    sqlx::query(
        "INSERT INTO payment_requests (id, site_id, unit_id, number, issued_on, due_on, total_fen,
                                       created_at, created_by)
         SELECT i, $1, u, n, d1, d2, t, $8, $9
         FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::date[], $7::bigint[])
              AS x(i, u, n, d1, d2, t)",
    )
    .bind(site.0)
    .bind(&id)
    .bind(&unit)
    .bind(&number)
    .bind(&issued)
    .bind(&due)
    .bind(&total)
    .bind(at)
    .bind(by.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO payment_request_lines (request_id, work_order_id, order_number, description,
                                            amount_fen, closed_at)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[],
                              $6::timestamptz[])",
    )
    .bind(&l_req)
    .bind(&l_order)
    .bind(&l_number)
    .bind(&l_desc)
    .bind(&l_amount)
    .bind(&l_closed)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Which requests of a site to list.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Issued in `[from, until)`.
    pub issued_from: Option<NaiveDate>,
    pub issued_until: Option<NaiveDate>,
    /// Unpaid with a due day before this day.
    pub unpaid_due_before: Option<NaiveDate>,
    /// Only these requests.
    pub ids: Option<Vec<Uuid>>,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: Uuid,
    number: String,
    site_id: Uuid,
    unit_id: Uuid,
    building_no: String,
    entrance: String,
    room: String,
    payer_name: String,
    issued_on: NaiveDate,
    due_on: NaiveDate,
    total_fen: i64,
    paid_at: Option<DateTime<Utc>>,
    paid_method: Option<String>,
    paid_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    request_id: Uuid,
    work_order_id: Uuid,
    order_number: String,
    description: String,
    amount_fen: i64,
    closed_at: DateTime<Utc>,
}

/// The requests of a site with their lines, unit labels and payer (the owner on file, else
/// the first resident), oldest first; `overdue` is judged on `today`.
pub async fn list(
    conn: &mut PgConnection,
    site: SiteId,
    f: &Filter,
    today: NaiveDate,
) -> sqlx::Result<Vec<PaymentRequestView>> {
    let rows: Vec<RequestRow> = sqlx::query_as(
        "SELECT p.id, p.number, p.site_id, p.unit_id, b.number AS building_no, u.entrance, u.room,
                COALESCE((SELECT r.name FROM residents r WHERE r.unit_id = p.unit_id
                          ORDER BY (r.role <> 'owner'), r.created_at, r.id LIMIT 1), '') AS payer_name,
                p.issued_on, p.due_on, p.total_fen, p.paid_at, p.paid_method,
                s.display_name AS paid_by
         FROM payment_requests p
         JOIN units u ON u.id = p.unit_id
         JOIN buildings b ON b.id = u.building_id
         LEFT JOIN staff s ON s.id = p.paid_by
         WHERE p.site_id = $1
           AND ($2::date IS NULL OR p.issued_on >= $2)
           AND ($3::date IS NULL OR p.issued_on < $3)
           AND ($4::date IS NULL OR (p.paid_at IS NULL AND p.due_on < $4))
           AND ($5::uuid[] IS NULL OR p.id = ANY($5))
         ORDER BY p.issued_on, p.number",
    )
    .bind(site.0)
    .bind(f.issued_from)
    .bind(f.issued_until)
    .bind(f.unpaid_due_before)
    .bind(f.ids.as_deref())
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let lines: Vec<LineRow> = sqlx::query_as(
        "SELECT request_id, work_order_id, order_number, description, amount_fen, closed_at
         FROM payment_request_lines WHERE request_id = ANY($1) ORDER BY closed_at, work_order_id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_request: HashMap<Uuid, Vec<PaymentLineView>> = HashMap::new();
    for l in lines {
        by_request
            .entry(l.request_id)
            .or_default()
            .push(PaymentLineView {
                order_id: WorkOrderId(l.work_order_id),
                order_number: l.order_number,
                description: l.description,
                amount: Fen(l.amount_fen),
                closed_at: l.closed_at,
            });
    }
    rows.into_iter()
        .map(|r| {
            let paid_method = match r.paid_method.as_deref() {
                None => None,
                Some(m) => Some(
                    parse_method(m)
                        .ok_or_else(|| sqlx::Error::Decode(format!("payment method {m}").into()))?,
                ),
            };
            Ok(PaymentRequestView {
                lines: by_request.remove(&r.id).unwrap_or_default(),
                id: r.id,
                number: r.number,
                site_id: SiteId(r.site_id),
                unit_id: UnitId(r.unit_id),
                unit_label: unit_label(&r.building_no, &r.entrance, &r.room),
                payer_name: r.payer_name,
                issued_on: r.issued_on,
                due_on: r.due_on,
                total: Fen(r.total_fen),
                overdue: domain::work_orders::billing::is_overdue(
                    r.due_on,
                    r.paid_at.is_some(),
                    today,
                ),
                paid_at: r.paid_at,
                paid_method,
                paid_by: r.paid_by,
            })
        })
        .collect()
}

/// Locks one request for payment: its site and whether it is paid already.
pub async fn lock_request(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(SiteId, bool)>> {
    let row: Option<(Uuid, bool)> = sqlx::query_as(
        "SELECT site_id, paid_at IS NOT NULL FROM payment_requests WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(s, paid)| (SiteId(s), paid)))
}

/// Marks an unpaid request paid; false if it was paid already.
pub async fn mark_paid(
    conn: &mut PgConnection,
    id: Uuid,
    method: PaymentMethod,
    by: StaffId,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE payment_requests SET paid_at = $2, paid_method = $3, paid_by = $4
         WHERE id = $1 AND paid_at IS NULL",
    )
    .bind(id)
    .bind(at)
    .bind(method_code(method))
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
