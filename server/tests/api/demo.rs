//! The demo compound is realistic, complete, and loaded once.

#![allow(clippy::unwrap_used)]

use crate::helpers::spawn_app;
use domain::people::{IdCardNumber, PhoneNumber};
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
}
