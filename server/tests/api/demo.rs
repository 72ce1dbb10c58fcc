//! The demo compound is realistic, complete, and loaded once.

#![allow(clippy::unwrap_used)]

use crate::helpers::spawn_app;
use domain::people::{IdCardNumber, PhoneNumber};
use domain::work_orders::policy::RepairPolicy;
use server::demo;
use sqlx::PgPool;

#[sqlx::test(migrations = "./migrations")]
async fn demo_compound_is_complete_and_loads_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    assert!(
        !demo::load_if_missing(&app.pool).await.unwrap(),
        "second load is a no-op"
    );
    assert_eq!(app.count("SELECT count(*) FROM sites").await, 2);
    let cuihu_units = app
        .count(
            "SELECT count(*) FROM units u JOIN sites s ON s.id = u.site_id WHERE s.code = 'cuihu'",
        )
        .await;
    assert_eq!(cuihu_units, 648);
    assert_eq!(
        app.count("SELECT count(DISTINCT role) FROM staff").await,
        9,
        "every role"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM units WHERE id NOT IN (SELECT unit_id FROM residents WHERE role = 'owner')")
            .await,
        0,
        "every unit has an owner on file"
    );
    let rows: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT phone, id_card FROM residents")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(rows.len() > 1200);
    for (phone, id) in rows {
        if let Some(p) = phone {
            assert!(PhoneNumber::parse(&p).is_ok(), "{p}");
        }
        if let Some(i) = id {
            assert!(IdCardNumber::parse(&i).is_ok(), "{i}");
        }
    }
    let disclaimers = app
        .count("SELECT count(*) FROM catalogue_items WHERE requires_disclaimer")
        .await;
    assert_eq!(disclaimers, 2, "W04 at each of the two sites");
    let w04: (i64, bool) = sqlx::query_as(
        "SELECT c.price_fen, c.requires_disclaimer FROM catalogue_items c
         JOIN sites s ON s.id = c.site_id WHERE s.code = 'cuihu' AND c.code = 'W04'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(w04, (3_000, true), "清洗用户水表: ¥30 and the disclaimer");
    assert_eq!(
        app.count("SELECT count(*) FROM catalogue_items WHERE price_fen NOT BETWEEN 1000 AND 8000")
            .await,
        0,
        "labour prices between ¥10 and ¥80"
    );
    // 翠湖花园 has its policy row (the default); 枫林苑 runs on the default without one.
    let policies: Vec<(String, serde_json::Value)> = sqlx::query_as(
        "SELECT s.code, p.policy FROM site_policies p JOIN sites s ON s.id = p.site_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        policies,
        vec![(
            demo::MAIN_SITE_CODE.to_owned(),
            serde_json::to_value(RepairPolicy::default()).unwrap()
        )]
    );
}
