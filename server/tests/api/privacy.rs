//! Personal data: an audited reveal (who, when, what, why), the append-only audit log that only
//! managers read, and the police data-access procedure (查业户资料程序).

#![allow(clippy::unwrap_used)]

use crate::desk::{resident, unit};
use crate::helpers::spawn_app;
use serde_json::{json, Value};
use server::demo::desk::id_card;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test]
async fn a_reveal_returns_the_number_and_is_logged_with_its_reason(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let tenant = resident(&app, "吴晓梅").await;
    let desk = app.signed_in("desk1").await;
    // No reason, no number.
    let r = desk
        .post(app.url("/api/v1/reveal"))
        .json(&json!({"kind": "resident_id_card", "id": tenant, "reason": " "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "reason_required");
    assert_eq!(app.count("SELECT count(*) FROM audit_log").await, 0);

    let r = desk
        .post(app.url("/api/v1/reveal"))
        .json(&json!({"kind": "resident_id_card", "id": tenant, "reason": "撬锁核对身份"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["value"], id_card("33010319920808002"));
    let r = desk
        .post(app.url("/api/v1/reveal"))
        .json(&json!({"kind": "resident_phone", "id": tenant, "reason": "联系住户"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["value"], "13805710802");

    // Other sites, other roles: refused and not logged.
    let fldesk = app.signed_in("fldesk").await;
    let r = fldesk
        .post(app.url("/api/v1/reveal"))
        .json(&json!({"kind": "resident_id_card", "id": tenant, "reason": "查看"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let tech = app.signed_in("tech1").await;
    let r = tech
        .post(app.url("/api/v1/reveal"))
        .json(&json!({"kind": "resident_id_card", "id": tenant, "reason": "查看"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = desk
        .post(app.url("/api/v1/reveal"))
        .json(&json!({"kind": "resident_id_card", "id": Uuid::now_v7(), "reason": "查看"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(app.count("SELECT count(*) FROM audit_log").await, 2);

    // Managers read the log; the desk does not.
    let r = desk
        .get(app.url(&format!("/api/v1/sites/{site}/audit")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let csmgr = app.signed_in("csmgr").await;
    let log: Value = csmgr
        .get(app.url(&format!("/api/v1/sites/{site}/audit")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "resident_id_card")
        .unwrap();
    assert_eq!(first["staff_name"], "陈静");
    assert_eq!(first["staff_role"], "desk");
    assert_eq!(first["action"], "reveal");
    assert_eq!(first["reason"], "撬锁核对身份");
    assert!(first["subject"].as_str().unwrap().contains("吴晓梅"));
    assert!(first["at"].is_string());
    // The log of another site is not this manager's.
    let fl = app.site_id("fenglin").await;
    let r = csmgr
        .get(app.url(&format!("/api/v1/sites/{fl}/audit")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[sqlx::test]
async fn nobody_updates_or_deletes_the_audit_log(pool: PgPool) {
    let app = spawn_app(pool).await;
    let desk = app.signed_in("desk1").await;
    let tenant = resident(&app, "吴晓梅").await;
    let r = desk
        .post(app.url("/api/v1/reveal"))
        .json(&json!({"kind": "resident_id_card", "id": tenant, "reason": "核对"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let upd = sqlx::query("UPDATE audit_log SET reason = 'nothing'")
        .execute(&app.pool)
        .await;
    assert!(upd.is_err(), "UPDATE must fail");
    let del = sqlx::query("DELETE FROM audit_log")
        .execute(&app.pool)
        .await;
    assert!(del.is_err(), "DELETE must fail");
    let trunc = sqlx::query("TRUNCATE audit_log").execute(&app.pool).await;
    assert!(trunc.is_err(), "TRUNCATE must fail");
    let reason: String = sqlx::query_scalar("SELECT reason FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(reason, "核对");
}

#[sqlx::test]
async fn police_look_at_records_only_after_checks_callback_and_manager_approval(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let u = unit(&app, "2", "802").await;
    let desk = app.signed_in("desk1").await;
    let input = |letter: bool, phone: &str| {
        json!({
            "id": Uuid::now_v7(),
            "officers": "王警官、李警官",
            "agency": "西湖区翠苑派出所",
            "credential_numbers": "警号 012345、012346",
            "letter_checked": letter,
            "credentials_checked": true,
            "station_phone": phone,
            "confirmed_by": "值班民警 赵明",
            "purpose": "协查案件",
            "unit_ids": [u],
        })
    };
    let path = format!("/api/v1/sites/{site}/police-lookups");
    let r = desk
        .post(app.url(&path))
        .json(&input(false, "057187654321"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "letter_not_checked"
    );
    let r = desk
        .post(app.url(&path))
        .json(&input(true, ""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "callback_missing");
    let r = desk
        .post(app.url(&path))
        .json(&input(true, "057187654321"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let id = v["record"]["id"].as_str().unwrap().to_owned();

    let view = format!("/api/v1/police-lookups/{id}/view");
    let r = desk
        .post(app.url(&view))
        .json(&json!({"unit_id": u}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "not_approved");
    let decision = format!("/api/v1/police-lookups/{id}/decision");
    let r = desk
        .post(app.url(&decision))
        .json(&json!({"approve": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "manager_approval_required"
    );
    let center = app.signed_in("center").await;
    let r = center
        .post(app.url(&decision))
        .json(&json!({"approve": true, "note": "同意"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = desk
        .post(app.url(&view))
        .json(&json!({"unit_id": u}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let records: Value = r.json().await.unwrap();
    assert!(records.to_string().contains(&id_card("33010319920808002")));
    // Every step is in the log.
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY at, id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(actions, ["police_request", "police_approve", "police_view"]);
    // Another site's desk cannot use the request.
    let fldesk = app.signed_in("fldesk").await;
    let r = fldesk
        .post(app.url(&view))
        .json(&json!({"unit_id": u}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[sqlx::test]
async fn the_unit_look_up_stays_masked(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let body = desk
        .get(app.url(&format!("/api/v1/sites/{site}/units?q=6-2-802")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("吴晓梅"), "{body}");
    assert!(!body.contains(&id_card("33010319920808002")));
    assert!(!body.contains("13805710802"));
}
