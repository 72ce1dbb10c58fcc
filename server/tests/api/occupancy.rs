//! Move-in, move-out, resident cards and the TV tail line through the real router: the whole
//! move-in with a refused handover, every refusal answering its code and changing nothing, and
//! role and site checks.

#![allow(clippy::unwrap_used)]

use crate::helpers::{spawn_app, TestApp};
use chrono::{Duration, Utc};
use domain::work_orders::sla::china;
use serde_json::{json, Value};
use sqlx::PgPool;

const OWNER_ID: &str = "110101199003070011";
const TENANT_ID: &str = "33010619850612004X";
const SIG: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&china()).date_naive()
}

fn signature() -> Value {
    json!({"sha256": SIG, "size": 120, "content_type": "image/png"})
}

async fn post(c: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = c.post(app.url(path)).json(&body).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn open_move_in(
    app: &TestApp,
    desk: &reqwest::Client,
    site: uuid::Uuid,
    unit: &str,
) -> String {
    let (s, v) = post(
        desk,
        app,
        &format!("/api/v1/sites/{site}/move-ins"),
        json!({"unit": unit, "owner_name": "林海", "owner_id_card": OWNER_ID,
               "owner_phone": "13800138000"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn papers() -> Value {
    json!({"type": "check_papers", "registration_form": true, "notice_taken_back": true,
           "purchase_contract": true, "owner_id_matches": true, "covenants_signed": true})
}

async fn status_of(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM move_ins WHERE id = $1::uuid")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "./migrations")]
async fn a_move_in_with_a_refused_handover_ends_with_keys_after_acceptance(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let finance = app.signed_in("finance1").await;
    let eng = app.signed_in("engmgr").await;
    let id = open_move_in(&app, &desk, site, "4-2-801").await;
    let cmd = format!("/api/v1/move-ins/{id}/commands");

    // The response masks what it shows.
    let (_, v) = get(&desk, &app, &format!("/api/v1/move-ins/{id}")).await;
    assert_eq!(v["unit_label"], "4栋2单元801");
    assert_eq!(v["record"]["owner_id_card_masked"], "1101**********0011");
    assert!(!v.to_string().contains(OWNER_ID));
    assert!(!v.to_string().contains("13800138000"));

    // Fees before the papers, by the wrong role; papers with a paper missing.
    let fees = json!({"type": "record_fees", "receipt_no": "SK-0001", "amount_fen": 360000});
    let (s, v) = post(&finance, &app, &cmd, fees.clone()).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("papers_not_checked")));
    let mut missing = papers();
    missing["notice_taken_back"] = json!(false);
    let (s, v) = post(&desk, &app, &cmd, missing).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("papers_incomplete")));
    let mut agent = papers();
    agent["agent"] = json!({"name": "林小海", "id_card": TENANT_ID, "authority_letter": false});
    let (s, v) = post(&desk, &app, &cmd, agent).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("agent_papers_missing")));
    assert_eq!(status_of(&app, &id).await, "registered");
    assert_eq!(post(&desk, &app, &cmd, papers()).await.0, 200);

    let (s, v) = post(&desk, &app, &cmd, fees.clone()).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("finance_only")));
    // No inspection before the fees, no keys before acceptance.
    let refuse = json!({"type": "inspect", "accepted": false, "opinion": "墙面有裂缝",
        "signer_name": "林海", "signature": signature(),
        "items": ["主卧墙面裂缝", "厨房水龙头漏水"],
        "reinspect_on": today() + Duration::days(7)});
    let (s, v) = post(&desk, &app, &cmd, refuse.clone()).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("fees_not_paid")));
    assert_eq!(post(&finance, &app, &cmd, fees).await.0, 200);
    let (s, v) = post(&desk, &app, &cmd, json!({"type": "hand_over_keys"})).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("keys_before_acceptance"))
    );
    assert_eq!(status_of(&app, &id).await, "fees_paid");

    // Refused handover without a signature, items or date.
    let mut unsigned = refuse.clone();
    unsigned["signature"] = Value::Null;
    let (s, v) = post(&desk, &app, &cmd, unsigned).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("owner_signature_required"))
    );
    let mut no_items = refuse.clone();
    no_items["items"] = json!([]);
    let (s, v) = post(&desk, &app, &cmd, no_items).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("rectification_items_required"))
    );
    let mut no_date = refuse.clone();
    no_date["reinspect_on"] = Value::Null;
    let (s, v) = post(&desk, &app, &cmd, no_date).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("reinspection_date_required"))
    );
    assert_eq!(status_of(&app, &id).await, "fees_paid");

    let (s, v) = post(&desk, &app, &cmd, refuse).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["status"], "rectifying");
    assert_eq!(v["record"]["items"].as_array().unwrap().len(), 2);
    let accept = json!({"type": "inspect", "accepted": true, "opinion": "满意",
        "signer_name": "林海", "signature": signature()});
    let (s, v) = post(&desk, &app, &cmd, accept.clone()).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("rectification_open")));

    // The engineering manager reports fixes; the desk answers the owner.
    for n in [1, 2] {
        let (s, v) = post(
            &eng,
            &app,
            &cmd,
            json!({"type": "report_fixed", "item_no": n}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
    }
    let (_, v) = get(&desk, &app, &format!("/api/v1/move-ins/{id}")).await;
    assert!(v["record"]["items"][0]["reply_due"].is_string());
    // The engineering manager may not accept for the owner.
    let (s, v) = post(&eng, &app, &cmd, accept.clone()).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    let (s, _) = post(
        &desk,
        &app,
        &cmd,
        json!({"type": "reply_owner", "item_no": 1}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, v) = post(&desk, &app, &cmd, accept).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["status"], "accepted");
    let (s, v) = post(&desk, &app, &cmd, json!({"type": "hand_over_keys"})).await;
    assert_eq!(s, 200);
    assert_eq!(v["record"]["status"], "keys_handed");
    assert_eq!(status_of(&app, &id).await, "keys_handed");

    // Listed for the site.
    let (s, v) = get(&desk, &app, &format!("/api/v1/sites/{site}/move-ins")).await;
    assert_eq!(s, 200);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["record"]["id"] == id.as_str()));
}

#[sqlx::test(migrations = "./migrations")]
async fn move_ins_check_role_site_and_input(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let tech = app.signed_in("tech1").await;
    let fldesk = app.signed_in("fldesk").await;
    let list = format!("/api/v1/sites/{site}/move-ins");
    let id = open_move_in(&app, &desk, site, "4-2-802").await;
    let before = app.count("SELECT count(*) FROM move_ins").await;

    let (s, v) = get(&tech, &app, &list).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    let (s, v) = get(&fldesk, &app, &list).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, v) = get(&fldesk, &app, &format!("/api/v1/move-ins/{id}")).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, v) = post(
        &fldesk,
        &app,
        &format!("/api/v1/move-ins/{id}/commands"),
        papers(),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, v) = get(&desk, &app, "/api/v1/move-ins/nope").await;
    assert_eq!((s, v["code"].as_str()), (400, Some("bad_id")));
    let (s, v) = get(&app.client(), &app, &list).await;
    assert_eq!((s, v["code"].as_str()), (401, Some("unauthenticated")));

    let body = |unit: &str, id_card: &str| json!({"unit": unit, "owner_name": "林海", "owner_id_card": id_card});
    let (s, v) = post(&desk, &app, &list, body("99-9-999", OWNER_ID)).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unknown_unit")));
    let (s, v) = post(&desk, &app, &list, body("4-2-803", "123")).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_input")));
    let (s, v) = post(&desk, &app, &list, json!({"unit": "4-2-803"})).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_body")));
    let (s, v) = post(&desk, &app, &list, body("4-2-802", OWNER_ID)).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("move_in_open")));
    let (s, v) = post(&tech, &app, &list, body("4-2-803", OWNER_ID)).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    // Another site's unit is not this site's.
    let fl = app.site_id("fenglin").await;
    let (s, v) = post(
        &fldesk,
        &app,
        &format!("/api/v1/sites/{fl}/move-ins"),
        body("4-2-803", OWNER_ID),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unknown_unit")));
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/move-ins/{id}/commands"),
        json!({"type": "fly"}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_body")));
    assert_eq!(app.count("SELECT count(*) FROM move_ins").await, before);
    assert_eq!(status_of(&app, &id).await, "registered");
}

fn card(unit: &str, id_card: &str, holder: &str, deposit: i64) -> Value {
    json!({"unit": unit, "holder_name": "林海", "id_card": id_card, "holder": holder,
           "documents_checked": true, "photos": 4, "fee_fen": 1000, "deposit_fen": deposit})
}

#[sqlx::test(migrations = "./migrations")]
async fn one_card_per_person_and_a_deposit_from_tenants(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let cards = format!("/api/v1/sites/{site}/resident-cards");
    let (s, v) = post(&desk, &app, &cards, card("4-2-901", OWNER_ID, "owner", 0)).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["id_card_masked"], "1101**********0011");
    assert!(!v.to_string().contains(OWNER_ID));
    let first = v["id"].as_str().unwrap().to_owned();

    // The same person again, even for another unit.
    let (s, v) = post(&desk, &app, &cards, card("4-2-902", OWNER_ID, "owner", 0)).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("card_already_active")));
    // A tenant without the deposit.
    let (s, v) = post(&desk, &app, &cards, card("4-2-902", TENANT_ID, "tenant", 0)).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("deposit_required")));
    let (s, v) = post(
        &desk,
        &app,
        &cards,
        card("4-2-902", TENANT_ID, "other_relative", 0),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("deposit_required")));
    let mut no_docs = card("4-2-902", TENANT_ID, "tenant", 5000);
    no_docs["documents_checked"] = json!(false);
    let (s, v) = post(&desk, &app, &cards, no_docs).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("documents_not_checked"))
    );
    let (s, v) = post(
        &app.signed_in("security1").await,
        &app,
        &cards,
        card("4-2-902", TENANT_ID, "tenant", 5000),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(app.count("SELECT count(*) FROM resident_cards").await, 1);

    let (s, v) = post(
        &desk,
        &app,
        &cards,
        card("4-2-902", TENANT_ID, "tenant", 5000),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["deposit"], 5000);

    // Returned, the person may have a new card.
    let (s, _) = post(
        &desk,
        &app,
        &format!("/api/v1/resident-cards/{first}/return"),
        json!({}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, v) = post(
        &desk,
        &app,
        &format!("/api/v1/resident-cards/{first}/return"),
        json!({}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("card_not_active")));
    let (s, _) = post(&desk, &app, &cards, card("4-2-902", OWNER_ID, "owner", 0)).await;
    assert_eq!(s, 201);
    let (s, v) = get(&desk, &app, &format!("{cards}?unit=4-2-902")).await;
    assert_eq!(s, 200);
    assert_eq!(v.as_array().unwrap().len(), 2);
    let (s, v) = get(&app.signed_in("fldesk").await, &app, &cards).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
}

#[sqlx::test(migrations = "./migrations")]
async fn one_tail_line_per_household(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let url = format!("/api/v1/sites/{site}/tail-lines");
    let body = json!({"unit": "4-2-903", "collector_name": "林海", "register_signed": true});
    let (s, v) = post(
        &desk,
        &app,
        &url,
        json!({"unit": "4-2-903", "collector_name": "林海", "register_signed": false}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("register_not_signed")));
    assert_eq!(post(&desk, &app, &url, body.clone()).await.0, 201);
    let (s, v) = post(&desk, &app, &url, body).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("tail_line_already_collected"))
    );
    assert_eq!(app.count("SELECT count(*) FROM tail_lines").await, 1);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_tenant_moves_out_in_the_seeds_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    let site = app.site_id("cuihu").await;
    let desk = app.signed_in("desk1").await;
    let finance = app.signed_in("finance1").await;
    let security = app.signed_in("security1").await;
    let list = format!("/api/v1/sites/{site}/move-outs");

    // The tenant holds a card, which comes back with the passes.
    let cards = format!("/api/v1/sites/{site}/resident-cards");
    assert_eq!(
        post(
            &desk,
            &app,
            &cards,
            card("4-2-903", TENANT_ID, "tenant", 5000)
        )
        .await
        .0,
        201
    );

    let body = |signed: bool| {
        json!({"unit": "4-2-903", "tenant_name": "周租户", "owner_name": "林海",
               "entrustment_signed": signed, "entrustment_signature": signature()})
    };
    let (s, v) = post(&desk, &app, &list, body(false)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("owner_entrustment_required"))
    );
    assert_eq!(app.count("SELECT count(*) FROM move_outs").await, 0);
    let (s, v) = post(&desk, &app, &list, body(true)).await;
    assert_eq!(s, 201, "{v}");
    let id = v["record"]["id"].as_str().unwrap().to_owned();
    let cmd = format!("/api/v1/move-outs/{id}/commands");
    let settle = json!({"type": "settle", "receipt_no": "SK-0009", "amount_fen": 12000});

    let (s, v) = post(&finance, &app, &cmd, settle.clone()).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("settlement_before_inspection"))
    );
    let (s, v) = post(&desk, &app, &cmd, json!({"type": "inspect"})).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("security_review_required"))
    );
    let (s, v) = post(&desk, &app, &cmd, json!({"type": "security_review"})).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(
        post(
            &security,
            &app,
            &cmd,
            json!({"type": "security_review", "note": "无违规"})
        )
        .await
        .0,
        200
    );
    let dispute = json!({"type": "inspect", "dispute": {"description": "客厅墙面污损",
        "resolution": {"kind": "tenant_fixes", "deadline": today() + Duration::days(5)}}});
    let (s, v) = post(&desk, &app, &cmd, dispute).await;
    assert_eq!((s, v["record"]["status"].as_str()), (200, Some("disputed")));
    let (s, v) = post(&finance, &app, &cmd, settle.clone()).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("dispute_open")));
    assert_eq!(
        post(&desk, &app, &cmd, json!({"type": "confirm_fixed"}))
            .await
            .0,
        200
    );
    let (s, v) = post(
        &security,
        &app,
        &cmd,
        json!({"type": "return_passes", "release_pass_no": "FX-1"}),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("settlement_required")));
    assert_eq!(
        app.count("SELECT count(*) FROM resident_cards WHERE status = 'active'")
            .await,
        1
    );
    assert_eq!(post(&finance, &app, &cmd, settle).await.0, 200);
    let (s, v) = post(&desk, &app, &cmd, json!({"type": "move_out"})).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("passes_not_returned")));
    let (s, v) = post(
        &security,
        &app,
        &cmd,
        json!({"type": "return_passes", "release_pass_no": "FX-2026-0007"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["record"]["cards_returned"], 1);
    assert_eq!(v["record"]["release_pass_no"], "FX-2026-0007");
    assert_eq!(
        app.count("SELECT count(*) FROM resident_cards WHERE status = 'active'")
            .await,
        0
    );
    let (s, v) = post(&desk, &app, &cmd, json!({"type": "move_out"})).await;
    assert_eq!(
        (s, v["record"]["status"].as_str()),
        (200, Some("moved_out"))
    );

    let (s, v) = get(
        &app.signed_in("fldesk").await,
        &app,
        &format!("/api/v1/move-outs/{id}"),
    )
    .await;
    assert_eq!((s, v["code"].as_str()), (403, Some("site_forbidden")));
    let (s, v) = get(&app.signed_in("tech1").await, &app, &list).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("forbidden")));
}
