//! All SQL of resident visits: the records, the counts behind the month's progress and the
//! year's not-visited list, the monthly chain and the site's visit policy.

use chrono::{DateTime, NaiveDate, Utc};
use domain::ids::{SiteId, StaffId, UnitId};
use domain::people::{PhoneNumber, Role};
use domain::reference::{unit_label, Occupancy};
use domain::sync::wire::BlobRef;
use domain::visits::policy::VisitPolicy;
use domain::visits::record::{SignatureOutcome, Visit, VisitId, VisitMethod, VisitTopic};
use domain::visits::reporting::{StepDone, VisitReport};
use domain::visits::views::{BuildingCount, UnvisitedUnit, VisitUnit, VisitView};
use sqlx::PgConnection;
use uuid::Uuid;

fn decode(e: String) -> sqlx::Error {
    sqlx::Error::Decode(e.into())
}

fn n(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

// --- the site and its units -------------------------------------------------------------------

/// Occupied households of a site (`units.occupancy` other than vacant).
pub async fn occupied_households(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<u32> {
    let c: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM units WHERE site_id = $1 AND occupancy <> 'vacant'",
    )
    .bind(site.0)
    .fetch_one(conn)
    .await?;
    Ok(n(c))
}

/// A unit's site, occupancy and label (`3栋1单元1201`).
pub struct UnitFacts {
    pub site_id: SiteId,
    pub occupancy: Occupancy,
    pub label: String,
}

pub async fn unit(conn: &mut PgConnection, unit: UnitId) -> sqlx::Result<Option<UnitFacts>> {
    let row: Option<(Uuid, String, String, String, String)> = sqlx::query_as(
        "SELECT u.site_id, u.occupancy, b.number, u.entrance, u.room
         FROM units u JOIN buildings b ON b.id = u.building_id WHERE u.id = $1",
    )
    .bind(unit.0)
    .fetch_optional(conn)
    .await?;
    row.map(|(site, occ, b, e, r)| {
        Ok(UnitFacts {
            site_id: SiteId(site),
            occupancy: Occupancy::parse(&occ).ok_or_else(|| decode(format!("occupancy {occ}")))?,
            label: unit_label(&b, &e, &r),
        })
    })
    .transpose()
}

#[derive(sqlx::FromRow)]
struct SearchRow {
    id: Uuid,
    building_no: String,
    entrance: String,
    room: String,
    occupancy: String,
    residents: Vec<String>,
    phones: Vec<Option<String>>,
    month_visits: i64,
    last_visited_at: Option<DateTime<Utc>>,
}

/// Units of a site matching a room query, with whether they were visited in `month`.
pub async fn search_units(
    conn: &mut PgConnection,
    site: SiteId,
    building: Option<&str>,
    entrance: Option<&str>,
    room: &str,
    month: NaiveDate,
    limit: i64,
) -> sqlx::Result<Vec<VisitUnit>> {
    let rows: Vec<SearchRow> = sqlx::query_as(
        "SELECT u.id, b.number AS building_no, u.entrance, u.room, u.occupancy,
            COALESCE((SELECT array_agg(r.name ORDER BY r.role, r.name) FROM residents r WHERE r.unit_id = u.id), '{}') AS residents,
            COALESCE((SELECT array_agg(r.phone ORDER BY r.role, r.name) FROM residents r WHERE r.unit_id = u.id), '{}') AS phones,
            (SELECT count(*) FROM resident_visits v WHERE v.unit_id = u.id AND v.visit_month = $6) AS month_visits,
            (SELECT max(v.visited_at) FROM resident_visits v WHERE v.unit_id = u.id) AS last_visited_at
         FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1
           AND ($2::text IS NULL OR b.number = $2)
           AND ($3::text IS NULL OR u.entrance = $3)
           AND u.room LIKE $4 || '%'
         ORDER BY b.number, u.entrance, u.room
         LIMIT $5",
    )
    .bind(site.0)
    .bind(building)
    .bind(entrance)
    .bind(room)
    .bind(limit)
    .bind(month)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(VisitUnit {
                unit_id: UnitId(r.id),
                label: unit_label(&r.building_no, &r.entrance, &r.room),
                occupancy: Occupancy::parse(&r.occupancy)
                    .ok_or_else(|| decode(format!("occupancy {}", r.occupancy)))?,
                residents: r.residents,
                phones_masked: r
                    .phones
                    .iter()
                    .flatten()
                    .filter_map(|p| PhoneNumber::parse(p).ok())
                    .map(|p| p.masked())
                    .collect(),
                visited_this_month: r.month_visits > 0,
                last_visited_at: r.last_visited_at,
            })
        })
        .collect()
}

// --- visits -----------------------------------------------------------------------------------

pub async fn insert_visit(
    conn: &mut PgConnection,
    v: &Visit,
    month: NaiveDate,
) -> sqlx::Result<()> {
    let topics: Vec<&str> = v.topics.iter().map(|t| t.code()).collect();
    let (sha, size, ctype, signer) = match &v.signature {
        SignatureOutcome::Signed { image, signer } => (
            Some(image.sha256.clone()),
            Some(i64::try_from(image.size).unwrap_or(i64::MAX)),
            Some(image.content_type.clone()),
            Some(signer.clone()),
        ),
        _ => (None, None, None, None),
    };
    sqlx::query(
        "INSERT INTO resident_visits (id, site_id, unit_id, visitor_id, visited_at, visit_month,
            topics, method, notes, resident_name, signature, signature_sha256, signature_size,
            signature_type, signer_name, feedback_requested, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(v.id.0)
    .bind(v.site_id.0)
    .bind(v.unit_id.0)
    .bind(v.visitor.0)
    .bind(v.visited_at)
    .bind(month)
    .bind(&topics)
    .bind(v.method.code())
    .bind(&v.notes)
    .bind(&v.resident_name)
    .bind(v.signature.code())
    .bind(sha)
    .bind(size)
    .bind(ctype)
    .bind(signer)
    .bind(v.feedback_requested)
    .bind(v.recorded_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: Uuid,
    site_id: Uuid,
    unit_id: Uuid,
    building_no: String,
    entrance: String,
    room: String,
    visitor_id: Uuid,
    visitor_name: String,
    visited_at: DateTime<Utc>,
    topics: Vec<String>,
    method: String,
    notes: String,
    resident_name: String,
    signature: String,
    signature_sha256: Option<String>,
    signature_size: Option<i64>,
    signature_type: Option<String>,
    signer_name: Option<String>,
    feedback_requested: bool,
    counted: bool,
}

impl VisitRow {
    fn into_view(self) -> sqlx::Result<VisitView> {
        let topics = self
            .topics
            .iter()
            .map(|t| VisitTopic::parse(t).ok_or_else(|| decode(format!("topic {t}"))))
            .collect::<sqlx::Result<Vec<_>>>()?;
        let signature = match self.signature.as_str() {
            "signed" => SignatureOutcome::Signed {
                image: BlobRef {
                    sha256: self.signature_sha256.unwrap_or_default(),
                    size: self
                        .signature_size
                        .and_then(|s| u64::try_from(s).ok())
                        .unwrap_or(0),
                    content_type: self.signature_type.unwrap_or_default(),
                },
                signer: self.signer_name.unwrap_or_default(),
            },
            "refused" => SignatureOutcome::Refused,
            "not_taken" => SignatureOutcome::NotTaken,
            other => return Err(decode(format!("signature {other}"))),
        };
        Ok(VisitView {
            id: VisitId(self.id),
            site_id: SiteId(self.site_id),
            unit_id: UnitId(self.unit_id),
            unit_label: unit_label(&self.building_no, &self.entrance, &self.room),
            visitor: StaffId(self.visitor_id),
            visitor_name: self.visitor_name,
            visited_at: self.visited_at,
            topics,
            method: VisitMethod::parse(&self.method)
                .ok_or_else(|| decode(format!("method {}", self.method)))?,
            notes: self.notes,
            resident_name: self.resident_name,
            signature,
            feedback_requested: self.feedback_requested,
            counted: self.counted,
        })
    }
}

/// The visits of a site's month (newest first), optionally one visitor's, or one visit.
pub async fn visits(
    conn: &mut PgConnection,
    site: SiteId,
    month: Option<NaiveDate>,
    visitor: Option<StaffId>,
    id: Option<VisitId>,
) -> sqlx::Result<Vec<VisitView>> {
    let rows: Vec<VisitRow> = sqlx::query_as(
        "SELECT v.id, v.site_id, v.unit_id, b.number AS building_no, u.entrance, u.room,
            v.visitor_id, s.display_name AS visitor_name, v.visited_at, v.topics, v.method,
            v.notes, v.resident_name, v.signature, v.signature_sha256, v.signature_size,
            v.signature_type, v.signer_name, v.feedback_requested,
            NOT EXISTS (SELECT 1 FROM resident_visits e
                        WHERE e.unit_id = v.unit_id AND e.visit_month = v.visit_month
                          AND (e.visited_at, e.id) < (v.visited_at, v.id)) AS counted
         FROM resident_visits v
         JOIN units u ON u.id = v.unit_id
         JOIN buildings b ON b.id = u.building_id
         JOIN staff s ON s.id = v.visitor_id
         WHERE v.site_id = $1
           AND ($2::date IS NULL OR v.visit_month = $2)
           AND ($3::uuid IS NULL OR v.visitor_id = $3)
           AND ($4::uuid IS NULL OR v.id = $4)
         ORDER BY v.visited_at DESC, v.id DESC
         LIMIT 500",
    )
    .bind(site.0)
    .bind(month)
    .bind(visitor.map(|v| v.0))
    .bind(id.map(|v| v.0))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(VisitRow::into_view).collect()
}

/// One contact of the month as the counting needs it.
#[derive(sqlx::FromRow)]
pub struct ContactRow {
    pub unit_id: Uuid,
    pub visitor_id: Uuid,
    pub visitor_name: String,
    pub visitor_role: String,
    pub at: DateTime<Utc>,
    pub return_visit: bool,
}

/// Visits to occupied households of `month`, and the return visits done in `[from, until)`.
pub async fn month_contacts(
    conn: &mut PgConnection,
    site: SiteId,
    month: NaiveDate,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<ContactRow>> {
    sqlx::query_as(
        "SELECT v.unit_id, v.visitor_id, s.display_name AS visitor_name, s.role AS visitor_role,
                v.visited_at AS at, false AS return_visit
         FROM resident_visits v
         JOIN units u ON u.id = v.unit_id AND u.occupancy <> 'vacant'
         JOIN staff s ON s.id = v.visitor_id
         WHERE v.site_id = $1 AND v.visit_month = $2
         UNION ALL
         SELECT r.unit_id, r.done_by, s.display_name, s.role, r.done_at, true
         FROM return_visits r
         JOIN staff s ON s.id = r.done_by
         WHERE r.site_id = $1 AND r.status = 'done' AND r.done_at >= $3 AND r.done_at < $4",
    )
    .bind(site.0)
    .bind(month)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await
}

pub fn parse_role(s: &str) -> sqlx::Result<Role> {
    Role::parse(s).map_err(|e| decode(e.to_string()))
}

/// Distinct occupied households visited between two months (first days, `until` exclusive).
pub async fn households_visited(
    conn: &mut PgConnection,
    site: SiteId,
    from_month: NaiveDate,
    until_month: NaiveDate,
) -> sqlx::Result<u32> {
    let c: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT v.unit_id) FROM resident_visits v
         JOIN units u ON u.id = v.unit_id AND u.occupancy <> 'vacant'
         WHERE v.site_id = $1 AND v.visit_month >= $2 AND v.visit_month < $3",
    )
    .bind(site.0)
    .bind(from_month)
    .bind(until_month)
    .fetch_one(conn)
    .await?;
    Ok(n(c))
}

/// Per building: occupied households and those not visited between the two months.
pub async fn unvisited_by_building(
    conn: &mut PgConnection,
    site: SiteId,
    from_month: NaiveDate,
    until_month: NaiveDate,
) -> sqlx::Result<Vec<BuildingCount>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT b.number, count(*) AS occupied,
            count(*) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM resident_visits v WHERE v.unit_id = u.id
                  AND v.visit_month >= $2 AND v.visit_month < $3)) AS not_visited
         FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1 AND u.occupancy <> 'vacant'
         GROUP BY b.number
         ORDER BY length(b.number), b.number",
    )
    .bind(site.0)
    .bind(from_month)
    .bind(until_month)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(building, occupied, not_visited)| BuildingCount {
            building,
            occupied: n(occupied),
            not_visited: n(not_visited),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct UnvisitedRow {
    id: Uuid,
    building_no: String,
    entrance: String,
    room: String,
    occupancy: String,
    last_visited_at: Option<DateTime<Utc>>,
}

/// One page of the occupied households not visited between the two months.
pub async fn unvisited_units(
    conn: &mut PgConnection,
    site: SiteId,
    building: Option<&str>,
    from_month: NaiveDate,
    until_month: NaiveDate,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<UnvisitedUnit>> {
    let rows: Vec<UnvisitedRow> = sqlx::query_as(
        "SELECT u.id, b.number AS building_no, u.entrance, u.room, u.occupancy,
            (SELECT max(v.visited_at) FROM resident_visits v
             WHERE v.unit_id = u.id AND v.visit_month < $3) AS last_visited_at
         FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1 AND u.occupancy <> 'vacant'
           AND ($2::text IS NULL OR b.number = $2)
           AND NOT EXISTS (SELECT 1 FROM resident_visits v WHERE v.unit_id = u.id
                           AND v.visit_month >= $3 AND v.visit_month < $4)
         ORDER BY length(b.number), b.number, u.entrance, u.floor, u.room
         LIMIT $5 OFFSET $6",
    )
    .bind(site.0)
    .bind(building)
    .bind(from_month)
    .bind(until_month)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(UnvisitedUnit {
                unit_id: UnitId(r.id),
                label: unit_label(&r.building_no, &r.entrance, &r.room),
                building: r.building_no,
                occupancy: Occupancy::parse(&r.occupancy)
                    .ok_or_else(|| decode(format!("occupancy {}", r.occupancy)))?,
                last_visited_at: r.last_visited_at,
            })
        })
        .collect()
}

/// Visits, distinct households and feedback requests of a month.
pub async fn month_totals(
    conn: &mut PgConnection,
    site: SiteId,
    month: NaiveDate,
) -> sqlx::Result<(u32, u32, u32)> {
    let (a, b, c): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT unit_id), count(*) FILTER (WHERE feedback_requested)
         FROM resident_visits WHERE site_id = $1 AND visit_month = $2",
    )
    .bind(site.0)
    .bind(month)
    .fetch_one(conn)
    .await?;
    Ok((n(a), n(b), n(c)))
}

// --- the monthly chain ------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct ReportRow {
    records_by: Option<Uuid>,
    records_role: Option<String>,
    records_at: Option<DateTime<Utc>>,
    records_text: Option<String>,
    summary_by: Option<Uuid>,
    summary_role: Option<String>,
    summary_at: Option<DateTime<Utc>>,
    summary_text: Option<String>,
    approval_by: Option<Uuid>,
    approval_role: Option<String>,
    approval_at: Option<DateTime<Utc>>,
    approval_text: Option<String>,
}

fn step(
    by: Option<Uuid>,
    role: Option<String>,
    at: Option<DateTime<Utc>>,
    text: Option<String>,
) -> sqlx::Result<Option<StepDone>> {
    match (by, at) {
        (Some(by), Some(at)) => Ok(Some(StepDone {
            by: StaffId(by),
            role: parse_role(role.as_deref().unwrap_or(""))?,
            at,
            text: text.unwrap_or_default(),
        })),
        _ => Ok(None),
    }
}

/// The chain of a month (an empty one when nothing is done yet). `for_update` locks the row
/// (inserting it first) so two sign-offs cannot race.
pub async fn report(
    conn: &mut PgConnection,
    site: SiteId,
    month: NaiveDate,
    for_update: bool,
) -> sqlx::Result<VisitReport> {
    if for_update {
        sqlx::query(
            "INSERT INTO visit_reports (site_id, month) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(site.0)
        .bind(month)
        .execute(&mut *conn)
        .await?;
    }
    let sql = if for_update {
        "SELECT records_by, records_role, records_at, records_text, summary_by, summary_role,
            summary_at, summary_text, approval_by, approval_role, approval_at, approval_text
         FROM visit_reports WHERE site_id = $1 AND month = $2 FOR UPDATE"
    } else {
        "SELECT records_by, records_role, records_at, records_text, summary_by, summary_role,
            summary_at, summary_text, approval_by, approval_role, approval_at, approval_text
         FROM visit_reports WHERE site_id = $1 AND month = $2"
    };
    let row: Option<ReportRow> = sqlx::query_as(sql)
        .bind(site.0)
        .bind(month)
        .fetch_optional(&mut *conn)
        .await?;
    let mut r = VisitReport::new(site, month);
    if let Some(row) = row {
        r.records = step(
            row.records_by,
            row.records_role,
            row.records_at,
            row.records_text,
        )?;
        r.summary = step(
            row.summary_by,
            row.summary_role,
            row.summary_at,
            row.summary_text,
        )?;
        r.approval = step(
            row.approval_by,
            row.approval_role,
            row.approval_at,
            row.approval_text,
        )?;
    }
    Ok(r)
}

/// Writes the chain back (after `domain::visits::reporting::apply_step`).
pub async fn save_report(conn: &mut PgConnection, r: &VisitReport) -> sqlx::Result<()> {
    let col = |s: &Option<StepDone>| {
        s.as_ref()
            .map(|d| (d.by.0, d.role.code().to_owned(), d.at, d.text.clone()))
    };
    let (a, b, c) = (col(&r.records), col(&r.summary), col(&r.approval));
    sqlx::query(
        "UPDATE visit_reports SET
            records_by = $3, records_role = $4, records_at = $5, records_text = $6,
            summary_by = $7, summary_role = $8, summary_at = $9, summary_text = $10,
            approval_by = $11, approval_role = $12, approval_at = $13, approval_text = $14
         WHERE site_id = $1 AND month = $2",
    )
    .bind(r.site_id.0)
    .bind(r.month)
    .bind(a.as_ref().map(|x| x.0))
    .bind(a.as_ref().map(|x| x.1.clone()))
    .bind(a.as_ref().map(|x| x.2))
    .bind(a.as_ref().map(|x| x.3.clone()))
    .bind(b.as_ref().map(|x| x.0))
    .bind(b.as_ref().map(|x| x.1.clone()))
    .bind(b.as_ref().map(|x| x.2))
    .bind(b.as_ref().map(|x| x.3.clone()))
    .bind(c.as_ref().map(|x| x.0))
    .bind(c.as_ref().map(|x| x.1.clone()))
    .bind(c.as_ref().map(|x| x.2))
    .bind(c.as_ref().map(|x| x.3.clone()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the records of a month are signed off (no visits may be added to it then). Takes a
/// share lock on the row, so a sign-off cannot slip between this check and the insert.
pub async fn month_signed_off(
    conn: &mut PgConnection,
    site: SiteId,
    month: NaiveDate,
) -> sqlx::Result<bool> {
    let v: Option<bool> = sqlx::query_scalar(
        "SELECT records_at IS NOT NULL FROM visit_reports WHERE site_id = $1 AND month = $2 FOR SHARE",
    )
    .bind(site.0)
    .bind(month)
    .fetch_optional(conn)
    .await?;
    Ok(v.unwrap_or(false))
}

/// The months of these sites whose records are signed off (the chain's first step is done).
pub async fn signed_off_months(
    conn: &mut PgConnection,
    sites: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, NaiveDate)>> {
    sqlx::query_as(
        "SELECT site_id, month FROM visit_reports
         WHERE site_id = ANY($1) AND records_at IS NOT NULL FOR SHARE",
    )
    .bind(sites)
    .fetch_all(conn)
    .await
}

/// Which of these visit ids are stored already.
pub async fn existing_ids(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar("SELECT id FROM resident_visits WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(conn)
        .await
}

pub async fn staff_names(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, String)>> {
    sqlx::query_as("SELECT id, display_name FROM staff WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(conn)
        .await
}

// --- policy -----------------------------------------------------------------------------------

/// The site's visit policy, or the default (S0 第1/7篇) when it has none.
pub async fn policy(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<VisitPolicy> {
    let v: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT policy FROM visit_policies WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(conn)
            .await?;
    match v {
        Some(v) => serde_json::from_value(v).map_err(|e| decode(format!("visit policy: {e}"))),
        None => Ok(VisitPolicy::default()),
    }
}

pub async fn save_policy(
    conn: &mut PgConnection,
    site: SiteId,
    p: &VisitPolicy,
    by: StaffId,
) -> sqlx::Result<()> {
    let v = serde_json::to_value(p).map_err(|e| decode(e.to_string()))?;
    sqlx::query(
        "INSERT INTO visit_policies (site_id, policy, updated_by, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (site_id) DO UPDATE SET policy = $2, updated_by = $3, updated_at = now()",
    )
    .bind(site.0)
    .bind(v)
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(())
}
