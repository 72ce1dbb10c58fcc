//! Role and site checks on pages and APIs.

#![allow(clippy::unwrap_used)]

use crate::helpers::spawn_app;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "./migrations")]
async fn a_technician_gets_403_for_manager_api_and_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let tech = app.signed_in("tech1").await;
    let r = tech
        .get(app.url(&format!("/api/v1/sites/{site}/summary")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "forbidden");

    let page = tech.get(app.url("/eng")).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert!(html.contains("无权访问"), "Chinese 403 page");

    assert_eq!(
        tech.get(app.url("/tech")).send().await.unwrap().status(),
        200
    );
    let units = tech
        .get(app.url(&format!("/api/v1/sites/{site}/units?q=1-1-101")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        units.status(),
        403,
        "technicians do not browse residents' data"
    );
}

#[sqlx::test(migrations = "./migrations")]
async fn managers_see_their_site_and_not_another(pool: PgPool) {
    let app = spawn_app(pool).await;
    let cuihu = app.site_id("cuihu").await;
    let fenglin = app.site_id("fenglin").await;
    let mgr = app.signed_in("csmgr").await;
    let s: Value = mgr
        .get(app.url(&format!("/api/v1/sites/{cuihu}/summary")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let occupied = s["occupied_units"].as_u64().unwrap();
    assert!((501..=800).contains(&occupied), "the 6 % tier: {occupied}");
    assert_eq!(s["visit_quota"]["rate_percent"], 6);
    assert_eq!(s["catalogue_items"], 43);
    assert_eq!(s["supplier_items"], 32);
    let r = mgr
        .get(app.url(&format!("/api/v1/sites/{fenglin}/summary")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "site_forbidden");
    // The admin sees both.
    let admin = app.signed_in("admin").await;
    let r = admin
        .get(app.url(&format!("/api/v1/sites/{fenglin}/summary")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[sqlx::test(migrations = "./migrations")]
async fn pages_send_strangers_to_sign_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    let c = app.client();
    // Browsers ask for HTML; the redirect is a real 302 for them.
    let html =
        |c: &reqwest::Client, path: &str| c.get(app.url(path)).header("accept", "text/html").send();
    for path in ["/", "/tech", "/eng", "/me"] {
        let r = html(&c, path).await.unwrap();
        assert!(r.status().is_redirection(), "{path}: {}", r.status());
        assert_eq!(r.headers()["location"], "/login", "{path}");
    }
    let r = c.get(app.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("员工登录"));
    let r = c.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // Signed in, `/` leads to the role's home.
    let eng = app.signed_in("engmgr").await;
    let r = html(&eng, "/").await.unwrap();
    assert_eq!(r.headers()["location"], "/eng");
}

#[sqlx::test(migrations = "./migrations")]
async fn the_desk_finds_units_with_masked_contact_data(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let units: Vec<Value> = desk
        .get(app.url(&format!("/api/v1/sites/{site}/units?q=3栋2单元1502")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0]["label"], "3栋2单元1502");
    let owner = units[0]["residents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "owner")
        .unwrap();
    let id = owner["id_card_masked"].as_str().unwrap();
    assert_eq!(id.len(), 18);
    assert_eq!(&id[4..14], "**********");
    assert!(owner["phone_masked"].as_str().unwrap().contains("****"));
    let raw = serde_json::to_string(&units).unwrap();
    let full_ids: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM residents r JOIN units u ON u.id = r.unit_id
         WHERE u.room = '1502' AND position(r.id_card IN $1) > 0",
    )
    .bind(&raw)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(full_ids, 0, "no full ID number leaves the server");

    let r = desk
        .get(app.url(&format!("/api/v1/sites/{site}/units?q=1-2-3-4")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
