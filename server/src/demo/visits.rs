//! Demo resident visits (业户访问): a few this month and last month on 翠湖花园, all in building 1
//! (the other buildings are left to the browser tests), so the quota progress, the not-visited
//! list and last month's reporting chain have something to show. One household is visited twice
//! this month, to show that a repeat is recorded but not counted. Loaded once per database.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use domain::visits::record::{local_date, VisitTopic};
use domain::work_orders::sla::china;
use sqlx::PgConnection;
use uuid::Uuid;

struct DemoVisit {
    /// Index into building 1's occupied units (by entrance, floor, room).
    unit: usize,
    visitor: &'static str,
    topics: &'static [VisitTopic],
    method: &'static str,
    notes: &'static str,
    signature: &'static str,
    feedback: bool,
}

const THIS_MONTH: &[DemoVisit] = &[
    DemoVisit {
        unit: 3,
        visitor: "csmgr",
        topics: &[VisitTopic::Security, VisitTopic::Cleaning],
        method: "home",
        notes: "业户反映夜间东门保安巡逻次数少，建议增加。",
        signature: "refused",
        feedback: true,
    },
    DemoVisit {
        unit: 8,
        visitor: "patrol1",
        topics: &[VisitTopic::Greening],
        method: "outdoors",
        notes: "中心花园草坪修剪及时，业户满意。",
        signature: "not_taken",
        feedback: false,
    },
    DemoVisit {
        unit: 12,
        visitor: "center",
        topics: &[VisitTopic::Repairs, VisitTopic::Management],
        method: "home",
        notes: "上月报修的卫生间漏水已修好，维修人员态度好。",
        signature: "refused",
        feedback: false,
    },
    DemoVisit {
        unit: 17,
        visitor: "desk1",
        topics: &[VisitTopic::Convenience],
        method: "office",
        notes: "来访咨询代收快递服务。",
        signature: "not_taken",
        feedback: true,
    },
    DemoVisit {
        unit: 21,
        visitor: "patrol1",
        topics: &[VisitTopic::Leisure, VisitTopic::CommunityCulture],
        method: "outdoors",
        notes: "希望儿童游乐区增加遮阳棚；愿意参加社区文化活动。",
        signature: "not_taken",
        feedback: false,
    },
    DemoVisit {
        unit: 26,
        visitor: "csmgr",
        topics: &[VisitTopic::SpecialNeeds],
        method: "phone",
        notes: "独居老人，子女在外地，请求定期关注。",
        signature: "not_taken",
        feedback: true,
    },
    // The same household again: recorded, not counted.
    DemoVisit {
        unit: 3,
        visitor: "patrol1",
        topics: &[VisitTopic::Security],
        method: "home",
        notes: "回复业户：东门夜间巡逻已增加为每两小时一次。",
        signature: "refused",
        feedback: false,
    },
    DemoVisit {
        unit: 30,
        visitor: "center",
        topics: &[VisitTopic::Other],
        method: "questionnaire",
        notes: "问卷：对物业服务总体满意。",
        signature: "not_taken",
        feedback: false,
    },
];

const LAST_MONTH: &[DemoVisit] = &[
    DemoVisit {
        unit: 1,
        visitor: "csmgr",
        topics: &[VisitTopic::Cleaning],
        method: "home",
        notes: "楼道保洁及时。",
        signature: "refused",
        feedback: false,
    },
    DemoVisit {
        unit: 5,
        visitor: "center",
        topics: &[VisitTopic::Security, VisitTopic::Management],
        method: "home",
        notes: "建议地下车库加装照明。",
        signature: "refused",
        feedback: true,
    },
    DemoVisit {
        unit: 9,
        visitor: "patrol1",
        topics: &[VisitTopic::Greening],
        method: "outdoors",
        notes: "绿化带有枯枝，已转绿化组。",
        signature: "not_taken",
        feedback: false,
    },
    DemoVisit {
        unit: 14,
        visitor: "desk1",
        topics: &[VisitTopic::Convenience],
        method: "office",
        notes: "来访咨询有线电视报装。",
        signature: "not_taken",
        feedback: false,
    },
];

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn at_local(d: NaiveDate, h: u32, m: u32) -> Option<DateTime<Utc>> {
    china()
        .from_local_datetime(&d.and_hms_opt(h, m, 0)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

async fn insert(
    conn: &mut PgConnection,
    site: Uuid,
    units: &[Uuid],
    v: &DemoVisit,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(unit) = units.get(v.unit) else {
        return Ok(());
    };
    let visitor: Option<Uuid> = sqlx::query_scalar("SELECT id FROM staff WHERE username = $1")
        .bind(v.visitor)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(visitor) = visitor else {
        return Ok(());
    };
    let topics: Vec<&str> = v.topics.iter().map(|t| t.code()).collect();
    sqlx::query(
        "INSERT INTO resident_visits (id, site_id, unit_id, visitor_id, visited_at, visit_month,
            topics, method, notes, signature, feedback_requested, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(site)
    .bind(unit)
    .bind(visitor)
    .bind(at)
    .bind(first_of_month(local_date(at)))
    .bind(&topics)
    .bind(v.method)
    .bind(v.notes)
    .bind(v.signature)
    .bind(v.feedback)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Loads the demo visits unless the main site has visits already.
pub async fn load(conn: &mut PgConnection) -> anyhow::Result<()> {
    let site: Option<Uuid> = sqlx::query_scalar("SELECT id FROM sites WHERE code = $1")
        .bind(super::MAIN_SITE_CODE)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(site) = site else {
        return Ok(());
    };
    let any: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM resident_visits WHERE site_id = $1)")
            .bind(site)
            .fetch_one(&mut *conn)
            .await?;
    if any {
        return Ok(());
    }
    let units: Vec<Uuid> = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1 AND b.number = '1' AND u.occupancy <> 'vacant'
         ORDER BY u.entrance, u.floor, u.room",
    )
    .bind(site)
    .fetch_all(&mut *conn)
    .await?;
    let now = Utc::now();
    let today = local_date(now);
    let this_month = first_of_month(today);
    // This month's visits, spread over the days so far, each at a daytime hour in the past.
    let days = i64::from(today.day());
    for (i, v) in THIS_MONTH.iter().enumerate() {
        let k = i64::try_from(i).unwrap_or(0);
        let day = this_month + Duration::days(k * days / 8);
        let minutes = u32::try_from(30 * (k % 8)).unwrap_or(0);
        let Some(at) = at_local(day, 9 + minutes / 60, minutes % 60) else {
            continue;
        };
        if at < now {
            insert(conn, site, &units, v, at).await?;
        }
    }
    let last_month = this_month
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(this_month);
    for (i, v) in LAST_MONTH.iter().enumerate() {
        let day = last_month + Duration::days(3 + 6 * i64::try_from(i).unwrap_or(0));
        if let Some(at) = at_local(day, 15, 0) {
            insert(conn, site, &units, v, at).await?;
        }
    }
    Ok(())
}
