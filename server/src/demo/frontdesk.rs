//! The front desk's demo (入伙/退租, facilities, notices) in 翠湖花园 building 4, floors 8 and 9
//! (other demo scripts use buildings 2, 3, 5 and 6): a move-in waiting for its re-inspection
//! with a fix the owner was not told about in time (shown red), a move-in with its fees paid,
//! the site's facilities (网球场, 活动室, 乒乓球室) with a booking waiting for a slot, a
//! wheelchair lent and overdue, and the notices: one expired (archived), one current, one drill
//! ahead. 4栋1单元801 is left for the browser test's move-in. Loaded once; dates relative to the
//! day it loads.

use crate::http::today_in_china;
use chrono::{Duration, NaiveTime, TimeZone, Utc};
use domain::facilities::{Booking, BookingRequest, FacilityInput, Loan, LoanInput, LoanItem};
use domain::ids::{SiteId, StaffId, UnitId};
use domain::notices::{NoticeInput, NoticeKind};
use domain::occupancy::move_in::{MoveIn, MoveInCommand, NewMoveIn};
use domain::people::Role;
use domain::sync::wire::BlobRef;
use sqlx::PgConnection;
use uuid::Uuid;

fn time(h: u32) -> anyhow::Result<NaiveTime> {
    NaiveTime::from_hms_opt(h, 0, 0).ok_or_else(|| anyhow::anyhow!("bad hour {h}"))
}

async fn staff(conn: &mut PgConnection, username: &str) -> anyhow::Result<StaffId> {
    let id: Uuid = sqlx::query_scalar("SELECT id FROM staff WHERE username = $1")
        .bind(username)
        .fetch_one(&mut *conn)
        .await?;
    Ok(StaffId(id))
}

async fn unit(conn: &mut PgConnection, site: SiteId, code: &str) -> anyhow::Result<UnitId> {
    crate::occupancy::repo::resolve_unit(conn, site, code)
        .await?
        .map(|(u, _)| u)
        .ok_or_else(|| anyhow::anyhow!("demo unit {code} missing"))
}

fn refused<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow::anyhow!("demo step refused: {e}")
}

pub async fn load(conn: &mut PgConnection) -> anyhow::Result<()> {
    for (code, facilities) in [
        (
            super::MAIN_SITE_CODE,
            &[
                ("网球场", 8, 21, 60),
                ("活动室", 9, 21, 120),
                ("乒乓球室", 8, 22, 60),
            ][..],
        ),
        (super::SECOND_SITE_CODE, &[("活动室", 9, 21, 120)][..]),
    ] {
        let site: Option<(Uuid, bool)> = sqlx::query_as(
            "SELECT s.id, EXISTS (SELECT 1 FROM facilities f WHERE f.site_id = s.id)
             FROM sites s WHERE s.code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((site, loaded)) = site else {
            continue;
        };
        if loaded {
            continue;
        }
        let site = SiteId(site);
        let mut first = None;
        for (name, opens, closes, slot) in facilities {
            let f = FacilityInput {
                name: (*name).to_owned(),
                opens: time(*opens)?,
                closes: time(*closes)?,
                slot_minutes: *slot,
                active: true,
            }
            .to_facility(Uuid::now_v7(), site)
            .map_err(refused)?;
            crate::facilities::repo::save_facility(conn, &f).await?;
            first.get_or_insert(f);
        }
        if code == super::MAIN_SITE_CODE {
            if let Some(court) = first {
                main_site(conn, site, &court).await?;
            }
        }
    }
    Ok(())
}

async fn main_site(
    conn: &mut PgConnection,
    site: SiteId,
    court: &domain::facilities::Facility,
) -> anyhow::Result<()> {
    let desk = staff(conn, "desk1").await?;
    let finance = staff(conn, "finance1").await?;
    let eng = staff(conn, "engmgr").await?;
    let now = Utc::now();
    let today = today_in_china();
    let signature = BlobRef {
        sha256: "0".repeat(64),
        size: 1,
        content_type: "image/png".into(),
    };

    // 4栋1单元901: handover refused a week ago, one fix reported done three working days back
    // and the owner not yet told (red), the other still open; re-inspection in two days.
    let week_ago = now - Duration::days(7);
    let m = MoveIn::open(
        Uuid::now_v7(),
        site,
        &NewMoveIn {
            unit_id: unit(conn, site, "4-1-901").await?,
            owner_name: "郑晓东".into(),
            owner_id_card: "330106198506120058".into(),
            owner_phone: "13905710901".into(),
        },
        desk,
        week_ago,
    )
    .map_err(refused)?;
    let d0 = today - Duration::days(7);
    let steps = [
        (
            MoveInCommand::CheckPapers {
                registration_form: true,
                notice_taken_back: true,
                purchase_contract: true,
                owner_id_matches: true,
                covenants_signed: true,
                agent: None,
            },
            desk,
            Role::Desk,
        ),
        (
            MoveInCommand::RecordFees {
                receipt_no: "SK-2026-0901".into(),
                amount_fen: 486_000,
            },
            finance,
            Role::Finance,
        ),
        (
            MoveInCommand::Inspect {
                accepted: false,
                opinion: "卫生间渗水，入户门划痕".into(),
                signer_name: "郑晓东".into(),
                signature: Some(signature.clone()),
                items: vec!["卫生间地面渗水".into(), "入户门表面划痕".into()],
                reinspect_on: Some(today + Duration::days(2)),
            },
            desk,
            Role::Desk,
        ),
    ];
    let mut m = m;
    for (cmd, by, role) in steps {
        m = m.apply(&cmd, by, role, week_ago, d0).map_err(refused)?;
    }
    let fixed_day = today - Duration::days(5);
    m = m
        .apply(
            &MoveInCommand::ReportFixed { item_no: 1 },
            eng,
            Role::EngMgr,
            now - Duration::days(5),
            fixed_day,
        )
        .map_err(refused)?;
    crate::occupancy::repo::insert_move_in(conn, &m).await?;

    // 4栋1单元902: papers checked and fees paid; the inspection is next.
    let mut m = MoveIn::open(
        Uuid::now_v7(),
        site,
        &NewMoveIn {
            unit_id: unit(conn, site, "4-1-902").await?,
            owner_name: "何美玲".into(),
            owner_id_card: "330106199001011248".into(),
            owner_phone: String::new(),
        },
        desk,
        now,
    )
    .map_err(refused)?;
    for (cmd, by, role) in [
        (
            MoveInCommand::CheckPapers {
                registration_form: true,
                notice_taken_back: true,
                purchase_contract: true,
                owner_id_matches: true,
                covenants_signed: true,
                agent: None,
            },
            desk,
            Role::Desk,
        ),
        (
            MoveInCommand::RecordFees {
                receipt_no: "SK-2026-0902".into(),
                amount_fen: 512_300,
            },
            finance,
            Role::Finance,
        ),
    ] {
        m = m.apply(&cmd, by, role, now, today).map_err(refused)?;
    }
    crate::occupancy::repo::insert_move_in(conn, &m).await?;

    // A booking waiting for the office to give it a slot.
    let b = Booking::request(
        Uuid::now_v7(),
        court,
        &BookingRequest {
            unit_id: unit(conn, site, "4-2-903").await?,
            resident_name: "陶先生".into(),
            phone: "13905710903".into(),
            wanted: "周末上午".into(),
        },
        desk,
        now,
    )
    .map_err(refused)?;
    crate::facilities::repo::insert_booking(conn, &b).await?;

    // A wheelchair lent three days ago for two days: overdue.
    let mut l = Loan::lend(
        Uuid::now_v7(),
        site,
        &LoanInput {
            item: LoanItem::Wheelchair,
            item_name: "轮椅1号".into(),
            unit_id: unit(conn, site, "4-2-902").await?,
            borrower_name: "潘阿姨".into(),
            phone: "13905710902".into(),
            id_shown: "身份证".into(),
            due_on: today,
        },
        false,
        desk,
        now,
        today,
    )
    .map_err(refused)?;
    l.lent_at = now - Duration::days(3);
    l.due_on = today - Duration::days(1);
    crate::facilities::repo::insert_loan(conn, &l).await?;

    // Notices: one expired last week (archived), one current, one drill ahead.
    let notices = [
        (
            NoticeKind::PestControl,
            "四害消杀温馨提示",
            "小区将于本周对地下车库及绿化带进行四害消杀，请看管好小孩和宠物。",
            -10,
            -9,
            -8,
        ),
        (
            NoticeKind::LiftMaintenance,
            "电梯保养通知",
            "4栋1单元电梯例行保养，期间请走楼梯，给您带来不便敬请谅解。",
            0,
            1,
            1,
        ),
        (
            NoticeKind::FireDrill,
            "消防演习通知",
            "小区将举行消防演习，届时会有警铃声和烟雾，请勿惊慌。",
            5,
            5,
            5,
        ),
    ];
    for (kind, title, body, from, until, expires) in notices {
        let published_on = today + Duration::days(from.min(0) - 4);
        let n = NoticeInput {
            kind,
            title: title.into(),
            body: body.into(),
            effective_from: today + Duration::days(from),
            effective_until: today + Duration::days(until),
            expires_on: Some(today + Duration::days(expires)),
        }
        .publish(
            Uuid::now_v7(),
            site,
            desk,
            Utc.from_utc_datetime(&published_on.and_time(time(1)?)),
            published_on,
        )
        .map_err(refused)?;
        crate::notices::repo::insert(conn, &n).await?;
    }
    Ok(())
}
