//! The demo's closed survey: 翠湖花园's 2026 全面意见征询 (preset A, S0 第1/7篇), with a fixed
//! set of answers whose numbers are known, so screens and tests can assert them:
//!
//! - 600 households handed out on 15 June 2026 (the first 600 occupied units in building,
//!   entrance, floor, room order), 330 returned (55 %, 5 points below 60 %);
//! - nine items; per item (不满意, 弃权) = 保安 (58, 5), 保洁 (29, 5), 绿化 (18, 10),
//!   维修 (87, 5), 休闲 (11, 15), 管理 (14, 5), 便民 (8, 10), 社区文化 (4, 10), 其他 (3, 5),
//!   60 基本满意 each, the rest 满意;
//! - so 2 900 answers, 2 668 满意 + 基本满意 → 92.0 %, minus 25 points → 67.0 %; Pareto
//!   维修 37.5 %, 保安 62.5 %, 保洁 75.0 % are the 主要改进项目, 绿化 crosses to 82.8 %.
//!
//! Half the abstentions are blank, half have two boxes marked. The survey is closed; its
//! return visits are left for the manager to schedule from the results page.

use crate::survey::repo::{self, NewSurveyRow};
use chrono::{NaiveDate, TimeZone, Utc};
use domain::ids::{SiteId, StaffId};
use domain::survey::items::default_items;
use domain::survey::policy::SurveyVariant;
use domain::work_orders::sla::china;
use sqlx::PgConnection;
use uuid::Uuid;

pub const DEMO_SURVEY_TITLE: &str = "2026年度全面意见征询";
pub const HANDED_OUT: usize = 600;
/// Questionnaire `i` of those handed out is returned when `i % 20 < 11`: 330 of 600.
const RETURNED_OF_20: usize = 11;

/// (不满意, 弃权) per default item, in the items' order.
pub const DISSATISFIED_ABSTAINED: [(usize, usize); 9] = [
    (58, 5),
    (29, 5),
    (18, 10),
    (87, 5),
    (11, 15),
    (14, 5),
    (8, 10),
    (4, 10),
    (3, 5),
];
const FAIRLY: usize = 60;

const SUGGESTIONS: [&str; 4] = [
    "希望增加儿童游乐设施",
    "报修后维修人员上门不够及时",
    "晚上巡逻再多一些",
    "地下车库照明不足",
];

/// The boxes of questionnaire `j` (of the returned) for item `i`.
fn marks(i: usize, j: usize, returned: usize) -> Vec<&'static str> {
    let (dis, abst) = DISSATISFIED_ABSTAINED[i];
    let k = (j + 37 * i) % returned;
    if k < dis {
        vec!["dissatisfied"]
    } else if k < dis + abst {
        if (k - dis).is_multiple_of(2) {
            vec![]
        } else {
            vec!["satisfied", "dissatisfied"]
        }
    } else if k < dis + abst + FAIRLY {
        vec!["fairly_satisfied"]
    } else {
        vec!["satisfied"]
    }
}

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
    china()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

/// Loads the survey once (found by title on the main site).
pub async fn load(conn: &mut PgConnection) -> anyhow::Result<()> {
    let site: Option<(Uuid, bool)> = sqlx::query_as(
        "SELECT s.id, EXISTS (SELECT 1 FROM surveys v WHERE v.site_id = s.id AND v.title = $2)
         FROM sites s WHERE s.code = $1",
    )
    .bind(super::MAIN_SITE_CODE)
    .bind(DEMO_SURVEY_TITLE)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((site, false)) = site else {
        return Ok(());
    };
    let site = SiteId(site);
    let staff = |name: &'static str| {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM staff WHERE username = $1").bind(name)
    };
    let csmgr = StaffId(staff("csmgr").fetch_one(&mut *conn).await?);
    let desk = StaffId(staff("desk1").fetch_one(&mut *conn).await?);

    let policy = SurveyVariant::S0FullOpinion.preset();
    let items = default_items();
    let entrances = repo::site_entrances(conn, site).await?;
    let occupied = entrances.iter().map(|e| e.occupied).sum();
    let id = Uuid::now_v7();
    let handed_out_on = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap_or_default();
    repo::insert_survey(
        conn,
        &NewSurveyRow {
            id,
            site,
            title: DEMO_SURVEY_TITLE,
            policy: &policy,
            items: &items,
            handed_out_on,
            occupied_households: occupied,
            entrances: &entrances,
            by: csmgr,
            now: at(2026, 6, 12, 10),
        },
    )
    .await?;

    let units: Vec<Uuid> = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1 AND u.occupancy <> 'vacant'
         ORDER BY length(b.number), b.number, u.entrance, u.floor, u.room
         LIMIT $2",
    )
    .bind(site.0)
    .bind(HANDED_OUT as i64)
    .fetch_all(&mut *conn)
    .await?;
    repo::hand_out(conn, id, &units, csmgr, at(2026, 6, 15, 9)).await?;
    let households: Vec<Uuid> = sqlx::query_scalar(
        "SELECT h.id FROM survey_households h WHERE h.survey_id = $1
         AND h.unit_id = ANY($2) ORDER BY array_position($2, h.unit_id)",
    )
    .bind(id)
    .bind(&units)
    .fetch_all(&mut *conn)
    .await?;
    let returned: Vec<Uuid> = households
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 20 < RETURNED_OF_20)
        .map(|(_, h)| *h)
        .collect();
    let suggestions: Vec<&str> = (0..returned.len())
        .map(|j| {
            if j % 25 == 0 {
                SUGGESTIONS[(j / 25) % SUGGESTIONS.len()]
            } else {
                ""
            }
        })
        .collect();
    sqlx::query(
        "UPDATE survey_households h SET returned_at = $2, returned_by = $3, suggestion = t.s
         FROM UNNEST($1::uuid[], $4::text[]) AS t(id, s) WHERE h.id = t.id",
    )
    .bind(&returned)
    .bind(at(2026, 6, 29, 16))
    .bind(desk.0)
    .bind(&suggestions)
    .execute(&mut *conn)
    .await?;

    let n = returned.len();
    let (mut hs, mut codes, mut ratings, mut all_marks) = (vec![], vec![], vec![], vec![]);
    for (j, h) in returned.iter().enumerate() {
        for (i, item) in items.iter().enumerate() {
            let m = marks(i, j, n);
            hs.push(*h);
            codes.push(item.code.clone());
            ratings.push(match m.as_slice() {
                [one] => Some((*one).to_owned()),
                _ => None,
            });
            all_marks.push(m.join("|"));
        }
    }
    sqlx::query(
        "INSERT INTO survey_answers (household_id, survey_id, item_code, rating, marks)
         SELECT h, $1, c, r, CASE WHEN m = '' THEN '{}'::text[] ELSE string_to_array(m, '|') END
         FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(h, c, r, m)",
    )
    .bind(id)
    .bind(&hs)
    .bind(&codes)
    .bind(&ratings)
    .bind(&all_marks)
    .execute(&mut *conn)
    .await?;
    repo::close_survey(conn, id, csmgr, at(2026, 7, 31, 17)).await?;
    Ok(())
}
