//! All SQL of the survey slice, including the rows it adds to `return_visits` (migration 0006)
//! for dissatisfied respondents.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::ids::{SiteId, StaffId, UnitId};
use domain::reference::unit_label;
use domain::survey::items::SurveyItem;
use domain::survey::policy::SurveyPolicy;
use domain::survey::results::{EntranceCount, ItemAnswer, Questionnaire};
use domain::survey::scale::Rating;
use domain::survey::views::{HouseholdRow, SurveyStatus};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

fn decode(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> sqlx::Error {
    sqlx::Error::Decode(e.into())
}

// --- site policy -------------------------------------------------------------------------------

pub async fn site_policy(
    conn: &mut PgConnection,
    site: SiteId,
) -> sqlx::Result<Option<SurveyPolicy>> {
    let row: Option<(Json<SurveyPolicy>,)> =
        sqlx::query_as("SELECT policy FROM survey_site_policies WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(p,)| p.0))
}

pub async fn save_site_policy(
    conn: &mut PgConnection,
    site: SiteId,
    policy: &SurveyPolicy,
    by: StaffId,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO survey_site_policies (site_id, policy, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (site_id) DO UPDATE SET policy = $2, updated_by = $3, updated_at = now()",
    )
    .bind(site.0)
    .bind(Json(policy))
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(())
}

// --- surveys -----------------------------------------------------------------------------------

/// Occupied households per entrance (单元) of a site, now.
pub async fn site_entrances(
    conn: &mut PgConnection,
    site: SiteId,
) -> sqlx::Result<Vec<EntranceCount>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT b.number, u.entrance, count(*) FILTER (WHERE u.occupancy <> 'vacant')
         FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1
         GROUP BY b.number, u.entrance
         ORDER BY length(b.number), b.number, length(u.entrance), u.entrance",
    )
    .bind(site.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(building, entrance, occupied)| EntranceCount {
            building,
            entrance,
            occupied: occupied as u32,
            handed_out: 0,
        })
        .collect())
}

pub struct NewSurveyRow<'a> {
    pub id: Uuid,
    pub site: SiteId,
    pub title: &'a str,
    pub policy: &'a SurveyPolicy,
    pub items: &'a [SurveyItem],
    pub handed_out_on: NaiveDate,
    pub occupied_households: u32,
    pub entrances: &'a [EntranceCount],
    pub by: StaffId,
    pub now: DateTime<Utc>,
}

pub async fn insert_survey(conn: &mut PgConnection, s: &NewSurveyRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO surveys (id, site_id, title, variant, policy, handed_out_on, occupied_households,
                              entrances, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(s.id)
    .bind(s.site.0)
    .bind(s.title)
    .bind(s.policy.variant.code())
    .bind(Json(s.policy))
    .bind(s.handed_out_on)
    .bind(s.occupied_households as i32)
    .bind(Json(s.entrances))
    .bind(s.by.0)
    .bind(s.now)
    .execute(&mut *conn)
    .await?;
    for (i, item) in s.items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO survey_items (survey_id, position, code, name_zh, name_en)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(s.id)
        .bind(i as i16)
        .bind(&item.code)
        .bind(&item.name_zh)
        .bind(&item.name_en)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A stored survey with its counts.
#[derive(Debug, Clone)]
pub struct StoredSurvey {
    pub id: Uuid,
    pub site_id: SiteId,
    pub site_name: String,
    pub title: String,
    pub status: SurveyStatus,
    pub policy: SurveyPolicy,
    pub items: Vec<SurveyItem>,
    pub handed_out_on: NaiveDate,
    pub occupied_households: u32,
    pub entrances: Vec<EntranceCount>,
    pub handed_out: u32,
    pub returned: u32,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct SurveyRow {
    id: Uuid,
    site_id: Uuid,
    site_name: String,
    title: String,
    status: String,
    policy: Json<SurveyPolicy>,
    handed_out_on: NaiveDate,
    occupied_households: i32,
    entrances: Json<Vec<EntranceCount>>,
    handed_out: i64,
    returned: i64,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

/// The survey columns with the hand-out and return counts (a macro, so the queries built from it
/// stay `&'static str`).
macro_rules! survey_select {
    () => {
        "
    SELECT s.id, s.site_id, st.name AS site_name, s.title, s.status, s.policy, s.handed_out_on,
           s.occupied_households, s.entrances,
           (SELECT count(*) FROM survey_households h WHERE h.survey_id = s.id) AS handed_out,
           (SELECT count(*) FROM survey_households h
             WHERE h.survey_id = s.id AND h.returned_at IS NOT NULL) AS returned,
           s.created_at, s.closed_at
    FROM surveys s JOIN sites st ON st.id = s.site_id"
    };
}

async fn items_of(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<(Uuid, SurveyItem)>> {
    let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT survey_id, code, name_zh, name_en FROM survey_items
         WHERE survey_id = ANY($1) ORDER BY survey_id, position",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(s, code, name_zh, name_en)| {
            (
                s,
                SurveyItem {
                    code,
                    name_zh,
                    name_en,
                },
            )
        })
        .collect())
}

async fn assemble(
    conn: &mut PgConnection,
    rows: Vec<SurveyRow>,
) -> sqlx::Result<Vec<StoredSurvey>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let items = items_of(conn, &ids).await?;
    rows.into_iter()
        .map(|r| {
            Ok(StoredSurvey {
                id: r.id,
                site_id: SiteId(r.site_id),
                site_name: r.site_name,
                title: r.title,
                status: SurveyStatus::parse(&r.status)
                    .ok_or_else(|| decode(format!("survey status {}", r.status)))?,
                policy: r.policy.0,
                items: items
                    .iter()
                    .filter(|(s, _)| *s == r.id)
                    .map(|(_, i)| i.clone())
                    .collect(),
                handed_out_on: r.handed_out_on,
                occupied_households: r.occupied_households.max(0) as u32,
                entrances: r.entrances.0,
                handed_out: r.handed_out as u32,
                returned: r.returned as u32,
                created_at: r.created_at,
                closed_at: r.closed_at,
            })
        })
        .collect()
}

pub async fn survey(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<StoredSurvey>> {
    let rows: Vec<SurveyRow> = sqlx::query_as(concat!(survey_select!(), " WHERE s.id = $1"))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(assemble(conn, rows).await?.into_iter().next())
}

/// Locks the survey row (hand-out, returns and closing of one survey go one at a time) and
/// answers its status and site.
pub async fn lock_survey(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(SiteId, SurveyStatus)>> {
    let row: Option<(Uuid, String)> =
        sqlx::query_as("SELECT site_id, status FROM surveys WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|(site, status)| {
        Ok((
            SiteId(site),
            SurveyStatus::parse(&status).ok_or_else(|| decode(format!("status {status}")))?,
        ))
    })
    .transpose()
}

pub async fn site_surveys(
    conn: &mut PgConnection,
    site: SiteId,
) -> sqlx::Result<Vec<StoredSurvey>> {
    let rows: Vec<SurveyRow> = sqlx::query_as(concat!(
        survey_select!(),
        " WHERE s.site_id = $1 ORDER BY s.handed_out_on DESC, s.created_at DESC LIMIT 100"
    ))
    .bind(site.0)
    .fetch_all(&mut *conn)
    .await?;
    assemble(conn, rows).await
}

pub async fn close_survey(
    conn: &mut PgConnection,
    id: Uuid,
    by: StaffId,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE surveys SET status = 'closed', closed_at = $2, closed_by = $3
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(now)
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(())
}

// --- households --------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct HouseholdDbRow {
    unit_id: Uuid,
    building_no: String,
    entrance: String,
    room: String,
    occupancy: String,
    household_id: Option<Uuid>,
    handed_out_at: Option<DateTime<Utc>>,
    returned_at: Option<DateTime<Utc>>,
    dissatisfied: Vec<String>,
}

/// Units of the survey's site matching a unit query, with their questionnaire state.
pub async fn search_households(
    conn: &mut PgConnection,
    survey_id: Uuid,
    site: SiteId,
    building: Option<&str>,
    entrance: Option<&str>,
    room: &str,
    limit: i64,
) -> sqlx::Result<Vec<HouseholdRow>> {
    let rows: Vec<HouseholdDbRow> = sqlx::query_as(
        "SELECT u.id AS unit_id, b.number AS building_no, u.entrance, u.room, u.occupancy,
                h.id AS household_id, h.handed_out_at, h.returned_at,
                COALESCE((SELECT array_agg(a.item_code ORDER BY i.position)
                          FROM survey_answers a
                          JOIN survey_items i ON i.survey_id = a.survey_id AND i.code = a.item_code
                          WHERE a.household_id = h.id
                            AND a.rating IN ('dissatisfied', 'not_very_satisfied', 'very_dissatisfied')),
                         '{}') AS dissatisfied
         FROM units u
         JOIN buildings b ON b.id = u.building_id
         LEFT JOIN survey_households h ON h.unit_id = u.id AND h.survey_id = $1
         WHERE u.site_id = $2
           AND ($3::text IS NULL OR b.number = $3)
           AND ($4::text IS NULL OR u.entrance = $4)
           AND u.room LIKE $5 || '%'
         ORDER BY length(b.number), b.number, u.entrance, length(u.room), u.room
         LIMIT $6",
    )
    .bind(survey_id)
    .bind(site.0)
    .bind(building)
    .bind(entrance)
    .bind(room)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HouseholdRow {
            unit_id: UnitId(r.unit_id),
            label: unit_label(&r.building_no, &r.entrance, &r.room),
            occupied: r.occupancy != "vacant",
            household_id: r.household_id,
            handed_out_at: r.handed_out_at,
            returned_at: r.returned_at,
            dissatisfied_items: r.dissatisfied,
        })
        .collect())
}

/// Site and occupancy of units (those that exist).
pub async fn units(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, SiteId, bool)>> {
    let rows: Vec<(Uuid, Uuid, String)> =
        sqlx::query_as("SELECT id, site_id, occupancy FROM units WHERE id = ANY($1)")
            .bind(ids)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, site, occ)| (id, SiteId(site), occ != "vacant"))
        .collect())
}

/// Records the hand-out to these units (a unit already handed out is left as it was).
/// Returns how many were added.
pub async fn hand_out(
    conn: &mut PgConnection,
    survey_id: Uuid,
    units: &[Uuid],
    by: StaffId,
    now: DateTime<Utc>,
) -> sqlx::Result<u32> {
    let ids: Vec<Uuid> = units.iter().map(|_| Uuid::now_v7()).collect();
    let done = sqlx::query(
        "INSERT INTO survey_households (id, survey_id, unit_id, handed_out_at, handed_out_by)
         SELECT h, $1, u, $4, $5 FROM UNNEST($2::uuid[], $3::uuid[]) AS t(h, u)
         ON CONFLICT (survey_id, unit_id) DO NOTHING",
    )
    .bind(survey_id)
    .bind(&ids)
    .bind(units)
    .bind(now)
    .bind(by.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() as u32)
}

/// Every occupied unit of the site.
pub async fn occupied_units(conn: &mut PgConnection, site: SiteId) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM units WHERE site_id = $1 AND occupancy <> 'vacant' ORDER BY id",
    )
    .bind(site.0)
    .fetch_all(conn)
    .await
}

/// The household's questionnaire record: id and whether it was returned.
pub async fn household(
    conn: &mut PgConnection,
    survey_id: Uuid,
    unit: UnitId,
) -> sqlx::Result<Option<(Uuid, bool)>> {
    let row: Option<(Uuid, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT id, returned_at FROM survey_households WHERE survey_id = $1 AND unit_id = $2",
    )
    .bind(survey_id)
    .bind(unit.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, r)| (id, r.is_some())))
}

/// A returned questionnaire as it is stored.
pub struct ReturnRecord<'a> {
    pub survey_id: Uuid,
    pub household_id: Uuid,
    pub questionnaire: &'a Questionnaire,
    /// `marks[i]` are the boxes entered for `questionnaire.answers[i]`.
    pub marks: &'a [Vec<String>],
    pub suggestion: &'a str,
    pub by: StaffId,
    pub now: DateTime<Utc>,
}

/// Stores a returned questionnaire: the household's return and one answer per item.
pub async fn record_return(conn: &mut PgConnection, r: &ReturnRecord<'_>) -> sqlx::Result<()> {
    let (survey_id, household_id, q, marks) =
        (r.survey_id, r.household_id, r.questionnaire, r.marks);
    let (suggestion, by, now) = (r.suggestion, r.by, r.now);
    sqlx::query(
        "UPDATE survey_households SET returned_at = $2, returned_by = $3, suggestion = $4
         WHERE id = $1",
    )
    .bind(household_id)
    .bind(now)
    .bind(by.0)
    .bind(suggestion)
    .execute(&mut *conn)
    .await?;
    let items: Vec<String> = q.answers.iter().map(|a| a.item.clone()).collect();
    let ratings: Vec<Option<&str>> = q
        .answers
        .iter()
        .map(|a| a.rating.map(Rating::code))
        .collect();
    // Marks travel as one '|'-joined text per answer (arrays of arrays cannot be unnested).
    let marks: Vec<String> = (0..q.answers.len())
        .map(|i| marks.get(i).map(|m| m.join("|")).unwrap_or_default())
        .collect();
    sqlx::query(
        "INSERT INTO survey_answers (household_id, survey_id, item_code, rating, marks)
         SELECT $1, $2, i, r, CASE WHEN m = '' THEN '{}'::text[] ELSE string_to_array(m, '|') END
         FROM UNNEST($3::text[], $4::text[], $5::text[]) AS t(i, r, m)",
    )
    .bind(household_id)
    .bind(survey_id)
    .bind(&items)
    .bind(&ratings)
    .bind(&marks)
    .execute(conn)
    .await?;
    Ok(())
}

/// One returned questionnaire with where it came from.
pub struct Returned {
    pub household_id: Uuid,
    pub unit_id: Uuid,
    pub questionnaire: Questionnaire,
}

pub async fn returned(conn: &mut PgConnection, survey_id: Uuid) -> sqlx::Result<Vec<Returned>> {
    let rows: Vec<(Uuid, Uuid, String, Option<String>)> = sqlx::query_as(
        "SELECT h.id, h.unit_id, a.item_code, a.rating
         FROM survey_households h JOIN survey_answers a ON a.household_id = h.id
         WHERE h.survey_id = $1 AND h.returned_at IS NOT NULL
         ORDER BY h.id",
    )
    .bind(survey_id)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<Returned> = Vec::new();
    for (h, unit, item, rating) in rows {
        let rating = match rating {
            None => None,
            Some(r) => Some(Rating::parse(&r).ok_or_else(|| decode(format!("rating {r}")))?),
        };
        if out.last().map(|r| r.household_id) != Some(h) {
            out.push(Returned {
                household_id: h,
                unit_id: unit,
                questionnaire: Questionnaire { answers: vec![] },
            });
        }
        if let Some(last) = out.last_mut() {
            last.questionnaire.answers.push(ItemAnswer { item, rating });
        }
    }
    Ok(out)
}

/// Hand-outs per entrance (单元), `(building, entrance, count)`.
pub async fn handed_out_per_entrance(
    conn: &mut PgConnection,
    survey_id: Uuid,
) -> sqlx::Result<Vec<(String, String, i64)>> {
    sqlx::query_as(
        "SELECT b.number, u.entrance, count(*)
         FROM survey_households h
         JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
         WHERE h.survey_id = $1
         GROUP BY b.number, u.entrance",
    )
    .bind(survey_id)
    .fetch_all(conn)
    .await
}

// --- return visits (回访, the care slice's table) ---------------------------------------------

/// The reason code of a survey's return visit (`domain::care` spells it the same).
pub const RETURN_VISIT_REASON: &str = "survey_dissatisfied";

/// Schedules the mandatory return visit of a dissatisfied respondent: due `days` after `now`.
/// Idempotent by the table's unique (source, source_id, reason, visit_no): a second call for the
/// same household adds nothing and answers `None`.
pub async fn schedule_return_visit(
    conn: &mut PgConnection,
    site: SiteId,
    unit: Uuid,
    household_id: Uuid,
    subject: &str,
    days: u32,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "INSERT INTO return_visits (id, site_id, unit_id, source, source_id, reason, visit_no,
                                    mandatory, earliest_at, due_at, subject)
         VALUES ($1, $2, $3, 'survey', $4, $5, 1, true, $6, $7, $8)
         ON CONFLICT (source, source_id, reason, visit_no) DO NOTHING
         RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(site.0)
    .bind(unit)
    .bind(household_id)
    .bind(RETURN_VISIT_REASON)
    .bind(now)
    .bind(now + Duration::days(days as i64))
    .bind(subject)
    .fetch_optional(conn)
    .await
}

/// `(open, total)` return visits scheduled for this survey's respondents.
pub async fn return_visit_counts(
    conn: &mut PgConnection,
    survey_id: Uuid,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE v.status = 'open'), count(*)
         FROM return_visits v JOIN survey_households h ON h.id = v.source_id
         WHERE v.source = 'survey' AND v.reason = $2 AND h.survey_id = $1",
    )
    .bind(survey_id)
    .bind(RETURN_VISIT_REASON)
    .fetch_one(conn)
    .await
}
