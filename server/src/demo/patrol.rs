//! The demo's patrol set-up (requirements §2.10): checkpoints with the document's checklists,
//! a daily route per building, a grounds route, a weather route past the balconies and a
//! holiday route, and the service centres' phones.
//!
//! Checkpoint codes (what the QR label holds and what is printed under it) are unique across
//! sites: `<site>-<楼栋>-<单元>-<place>` for places of one entrance, `<site>-<楼栋>-<place>` for
//! places of a building, `<site>-YQ-<nn>` for the grounds. Site: `CH` 翠湖花园, `FL` 枫林苑.
//! Place: `LT` 楼梯间, `DT` 电梯, `TT` 楼顶天台, `MT` 大堂门厅, `YT` 阳台立面 (weather rounds).
//! So `CH-3-1-LT` is 翠湖花园 3栋1单元 楼梯间 and `CH-3-TT` its roof.

use crate::patrol::repo;
use chrono::Utc;
use domain::ids::{CheckpointId, RouteId, SiteId};
use domain::patrol::checklist::{default_checklist, AreaType, ChecklistItem, OnFault};
use domain::patrol::round::GeoPoint;
use domain::patrol::route::{Checkpoint, Route, Schedule};
use sqlx::PgConnection;
use uuid::Uuid;

struct PatrolSpec {
    site_code: &'static str,
    short: &'static str,
    /// The service centre's phone (call-back number of patrol repair orders).
    phone: &'static str,
    /// The compound's south-west corner.
    origin: (f64, f64),
    buildings: u32,
    entrances: u32,
    lifts: bool,
    grounds: &'static [&'static str],
}

const SPECS: [PatrolSpec; 2] = [
    PatrolSpec {
        site_code: super::MAIN_SITE_CODE,
        short: "CH",
        phone: "057187651234",
        origin: (30.259_20, 120.129_50),
        buildings: 6,
        entrances: 2,
        lifts: true,
        grounds: &[
            "中心花园 儿童游乐区",
            "东门 室外消防栓",
            "地下车库 入口坡道",
            "北区 景观水池",
            "南门 广场",
        ],
    },
    PatrolSpec {
        site_code: super::SECOND_SITE_CODE,
        short: "FL",
        phone: "057188123456",
        origin: (30.319_00, 120.142_00),
        buildings: 1,
        entrances: 1,
        // Six floors: no lift.
        lifts: false,
        grounds: &["小区入口 室外消防设施"],
    },
];

/// What the weather round checks at each building's balconies (S4: in rain, snow or strong
/// wind, check laundry, windows and curtains, objects that could fall; tell the owner).
fn balcony_checklist() -> Vec<ChecklistItem> {
    let item = |code: &str, text: &str, on_fault| ChecklistItem {
        code: code.into(),
        text_zh: text.into(),
        on_fault,
    };
    vec![
        item("B1", "阳台晾晒衣物、被褥是否收好", OnFault::Case),
        item("B2", "门窗是否关闭，窗帘有无飘出窗外", OnFault::Case),
        item("B3", "阳台花盆、杂物有无坠落危险", OnFault::Case),
        item(
            "B4",
            "外墙饰面、雨棚有无松动脱落",
            OnFault::Repair { urgent: true },
        ),
    ]
}

struct Builder {
    site: SiteId,
    checkpoints: Vec<Checkpoint>,
}

impl Builder {
    fn add(
        &mut self,
        code: String,
        name_zh: String,
        area: AreaType,
        building: Option<u32>,
        at: (f64, f64),
        items: Vec<ChecklistItem>,
    ) -> CheckpointId {
        let id = CheckpointId(Uuid::now_v7());
        self.checkpoints.push(Checkpoint {
            id,
            site_id: self.site,
            code,
            name_zh,
            area,
            building: building.map(|b| b.to_string()),
            position: Some(GeoPoint {
                lat: at.0,
                lng: at.1,
            }),
            items,
            active: true,
        });
        id
    }
}

fn route(
    site: SiteId,
    name: &str,
    ordered: bool,
    schedule: Schedule,
    cps: Vec<CheckpointId>,
) -> Route {
    Route {
        id: RouteId(Uuid::now_v7()),
        site_id: site,
        name: name.into(),
        ordered,
        checkpoints: cps,
        schedule,
        active: true,
    }
}

/// Loads the patrol set-up of every demo site that has none yet (a demo loaded before patrols
/// existed gets it on the next start), and the centres' phones where none is set.
pub async fn load(conn: &mut PgConnection) -> anyhow::Result<()> {
    let now = Utc::now();
    for spec in &SPECS {
        let site: Option<(Uuid, bool)> = sqlx::query_as(
            "SELECT s.id, EXISTS (SELECT 1 FROM checkpoints c WHERE c.site_id = s.id)
             FROM sites s WHERE s.code = $1",
        )
        .bind(spec.site_code)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((site, loaded)) = site else {
            continue;
        };
        sqlx::query("UPDATE sites SET phone = $2 WHERE id = $1 AND phone = ''")
            .bind(site)
            .bind(spec.phone)
            .execute(&mut *conn)
            .await?;
        if loaded {
            continue;
        }
        let site = SiteId(site);
        let mut b = Builder {
            site,
            checkpoints: Vec::new(),
        };
        let mut routes = Vec::new();
        let mut stairwells = Vec::new();
        let mut balconies = Vec::new();
        let s = spec.short;
        for n in 1..=spec.buildings {
            // Two rows of buildings ~65 m apart; entrances ~12 m apart along a building.
            let row = f64::from((n - 1) / 3);
            let col = f64::from((n - 1) % 3);
            let centre = (spec.origin.0 + 0.000_6 * row, spec.origin.1 + 0.000_7 * col);
            let entrance = |e: u32| (centre.0, centre.1 + 0.000_12 * f64::from(e - 1));
            let mut daily = vec![b.add(
                format!("{s}-{n}-MT"),
                format!("{n}栋 大堂"),
                AreaType::Lobby,
                Some(n),
                centre,
                default_checklist(AreaType::Lobby),
            )];
            if spec.lifts {
                for e in 1..=spec.entrances {
                    daily.push(b.add(
                        format!("{s}-{n}-{e}-DT"),
                        format!("{n}栋{e}单元 电梯"),
                        AreaType::Lift,
                        Some(n),
                        entrance(e),
                        default_checklist(AreaType::Lift),
                    ));
                }
            }
            // Up by lift, the roof, then down the stairs of each entrance.
            daily.push(b.add(
                format!("{s}-{n}-TT"),
                format!("{n}栋 楼顶天台"),
                AreaType::Roof,
                Some(n),
                centre,
                default_checklist(AreaType::Roof),
            ));
            for e in 1..=spec.entrances {
                let id = b.add(
                    format!("{s}-{n}-{e}-LT"),
                    format!("{n}栋{e}单元 楼梯间"),
                    AreaType::Stairwell,
                    Some(n),
                    entrance(e),
                    default_checklist(AreaType::Stairwell),
                );
                daily.push(id);
                stairwells.push(id);
            }
            balconies.push(b.add(
                format!("{s}-{n}-YT"),
                format!("{n}栋 南侧阳台立面"),
                AreaType::Grounds,
                Some(n),
                (centre.0 - 0.000_15, centre.1),
                balcony_checklist(),
            ));
            routes.push(route(
                site,
                &format!("{n}栋 日常巡楼"),
                true,
                Schedule::Daily,
                daily,
            ));
        }
        let grounds: Vec<CheckpointId> = spec
            .grounds
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let k = i as f64;
                b.add(
                    format!("{s}-YQ-{:02}", i + 1),
                    (*name).to_owned(),
                    AreaType::Grounds,
                    None,
                    (
                        spec.origin.0 + 0.000_3 + 0.000_25 * (k % 2.0),
                        spec.origin.1 - 0.000_4 + 0.000_6 * k,
                    ),
                    default_checklist(AreaType::Grounds),
                )
            })
            .collect();
        routes.push(route(
            site,
            "园区外观 日常巡查",
            true,
            Schedule::Daily,
            grounds,
        ));
        routes.push(route(
            site,
            "雨雪大风天气 阳台检查",
            false,
            Schedule::Weather,
            balconies,
        ));
        routes.push(route(
            site,
            "节假日 空置住户巡查",
            false,
            Schedule::Holiday,
            stairwells,
        ));
        for c in &b.checkpoints {
            repo::save_checkpoint(conn, c, now).await?;
        }
        for r in &routes {
            repo::save_route(conn, r, now).await?;
        }
    }
    Ok(())
}
