//! The demo compound 翠湖花园 (648 units, ~600 occupied households, so the 500–800 visit-quota
//! tier applies), a small second site 枫林苑 for cross-site checks, staff for every role, the
//! reference lists of requirements §3.1–3.2, and patrol checkpoints and routes (`patrol.rs`).
//! Deterministic apart from ids and password salts.

pub mod data;
pub mod desk;
pub mod frontdesk;
pub mod patrol;
pub mod release;
pub mod survey;
pub mod visits;

use crate::auth::password;
use data::{ReferralReason, TimeUnit, CATALOGUE, SUPPLIERS};
use domain::people::IdCardNumber;
use domain::reference::{Occupancy, ResidentRole};
use domain::work_orders::policy::RepairPolicy;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The password of every demo account (printed by the run command; demo use only).
pub const DEMO_PASSWORD: &str = "wuye2026";

pub const MAIN_SITE_CODE: &str = "cuihu";
pub const SECOND_SITE_CODE: &str = "fenglin";

/// One demo account: username, name, role, the sites it sees.
pub struct DemoStaff {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub sites: &'static [&'static str],
}

pub const DEMO_STAFF: &[DemoStaff] = &[
    DemoStaff {
        username: "tech1",
        display_name: "王建国",
        role: "tech",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "tech2",
        display_name: "李志强",
        role: "tech",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "patrol1",
        display_name: "赵敏",
        role: "patrol",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "desk1",
        display_name: "陈静",
        role: "desk",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "engmgr",
        display_name: "刘伟",
        role: "eng_mgr",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "csmgr",
        display_name: "张丽",
        role: "cs_mgr",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "center",
        display_name: "周明",
        role: "center_mgr",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "finance1",
        display_name: "吴芳",
        role: "finance",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "security1",
        display_name: "孙强",
        role: "security",
        sites: &[MAIN_SITE_CODE],
    },
    DemoStaff {
        username: "admin",
        display_name: "系统管理员",
        role: "admin",
        sites: &[MAIN_SITE_CODE, SECOND_SITE_CODE],
    },
    DemoStaff {
        username: "fldesk",
        display_name: "黄晓燕",
        role: "desk",
        sites: &[SECOND_SITE_CODE],
    },
];

/// A small deterministic generator (xorshift64*) so every demo load looks the same.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

struct SiteSpec {
    code: &'static str,
    name: &'static str,
    address: &'static str,
    buildings: u32,
    entrances: u32,
    floors: u32,
    per_floor: u32,
}

const SITES: [SiteSpec; 2] = [
    SiteSpec {
        code: MAIN_SITE_CODE,
        name: "翠湖花园",
        address: "浙江省杭州市西湖区翠湖路88号",
        buildings: 6,
        entrances: 2,
        floors: 18,
        per_floor: 3,
    },
    SiteSpec {
        code: SECOND_SITE_CODE,
        name: "枫林苑",
        address: "浙江省杭州市拱墅区枫林街12号",
        buildings: 1,
        entrances: 1,
        floors: 6,
        per_floor: 2,
    },
];

/// Loads the demo unless the main site is already there. Returns whether it loaded.
pub async fn load_if_missing(pool: &PgPool) -> anyhow::Result<bool> {
    let mut tx = pool.begin().await?;
    // One loader at a time even if two servers start together.
    sqlx::query("SELECT pg_advisory_xact_lock(4242)")
        .execute(&mut *tx)
        .await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sites WHERE code = $1)")
        .bind(MAIN_SITE_CODE)
        .fetch_one(&mut *tx)
        .await?;
    if exists {
        // A demo loaded before site policies (or patrols) existed gets them now.
        load_policies(&mut tx).await?;
        patrol::load(&mut tx).await?;
        frontdesk::load(&mut tx).await?;
        desk::load(&mut tx).await?;
        survey::load(&mut tx).await?;
        release::load(&mut tx).await?;
        tx.commit().await?;
        return Ok(false);
    }
    let mut dice = Dice(0x5EED_2026_1121_0001);
    for spec in &SITES {
        load_site(&mut tx, spec, &mut dice).await?;
    }
    load_staff(&mut tx).await?;
    load_policies(&mut tx).await?;
    patrol::load(&mut tx).await?;
    frontdesk::load(&mut tx).await?;
    desk::load(&mut tx).await?;
    survey::load(&mut tx).await?;
    visits::load(&mut tx).await?;
    release::load(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

async fn load_site(
    conn: &mut PgConnection,
    spec: &SiteSpec,
    dice: &mut Dice,
) -> anyhow::Result<()> {
    let site_id = Uuid::now_v7();
    sqlx::query("INSERT INTO sites (id, code, name, address) VALUES ($1, $2, $3, $4)")
        .bind(site_id)
        .bind(spec.code)
        .bind(spec.name)
        .bind(spec.address)
        .execute(&mut *conn)
        .await?;

    let mut u = UnitColumns::default();
    let mut r = ResidentColumns::default();
    for b in 1..=spec.buildings {
        let building_id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO buildings (id, site_id, number, name, floors) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(building_id)
        .bind(site_id)
        .bind(b.to_string())
        .bind(format!("{b}栋"))
        .bind(spec.floors as i32)
        .execute(&mut *conn)
        .await?;
        for e in 1..=spec.entrances {
            for floor in 1..=spec.floors {
                for n in 1..=spec.per_floor {
                    let unit_id = Uuid::now_v7();
                    let roll = dice.below(100);
                    // Building 1's ground floor fronts the street: shops.
                    let occupancy = if b == 1 && floor == 1 && spec.buildings > 1 {
                        Occupancy::Business
                    } else if roll < 7 {
                        Occupancy::Vacant
                    } else if roll < 78 {
                        Occupancy::OwnerOccupied
                    } else {
                        Occupancy::Rented
                    };
                    u.push(
                        unit_id,
                        building_id,
                        e,
                        floor,
                        n,
                        8_500 + dice.below(6_000) as i32,
                        occupancy,
                    );
                    add_residents(&mut r, dice, unit_id, occupancy);
                }
            }
        }
    }
    u.insert(conn, site_id).await?;
    r.insert(conn, site_id).await?;

    for c in &CATALOGUE {
        sqlx::query(
            "INSERT INTO catalogue_items (id, site_id, code, category, name_zh, name_en, std_minutes,
                time_unit, remarks_zh, requires_disclaimer, price_fen)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(Uuid::now_v7())
        .bind(site_id)
        .bind(c.code)
        .bind(c.category)
        .bind(c.name_zh)
        .bind(c.name_en)
        .bind(c.std_minutes.map(i32::from))
        .bind(match c.time_unit {
            TimeUnit::PerJob => "per_job",
            TimeUnit::PerMetre => "per_metre",
            TimeUnit::PerBike => "per_bike",
        })
        .bind(c.remarks_zh)
        .bind(c.requires_disclaimer)
        .bind(c.default_price_fen)
        .execute(&mut *conn)
        .await?;
    }
    for s in &SUPPLIERS {
        sqlx::query(
            "INSERT INTO supplier_items (id, site_id, code, name_zh, name_en, reason, supplier_hint_zh, group_zh)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::now_v7())
        .bind(site_id)
        .bind(s.code)
        .bind(s.name_zh)
        .bind(s.name_en)
        .bind(match s.reason {
            ReferralReason::HighSkill => "high_skill",
            ReferralReason::Regulated => "regulated",
        })
        .bind(s.supplier_hint_zh)
        .bind(s.group_zh)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(Default)]
struct UnitColumns {
    id: Vec<Uuid>,
    building: Vec<Uuid>,
    entrance: Vec<String>,
    room: Vec<String>,
    floor: Vec<i32>,
    area: Vec<i32>,
    occupancy: Vec<&'static str>,
}

impl UnitColumns {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        id: Uuid,
        building: Uuid,
        entrance: u32,
        floor: u32,
        n: u32,
        area: i32,
        occ: Occupancy,
    ) {
        self.id.push(id);
        self.building.push(building);
        self.entrance.push(entrance.to_string());
        self.room.push(format!("{floor}{n:02}"));
        self.floor.push(floor as i32);
        self.area.push(area);
        self.occupancy.push(occ.code());
    }

    async fn insert(self, conn: &mut PgConnection, site: Uuid) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO units (id, site_id, building_id, entrance, room, floor, area_centi_m2, occupancy)
             SELECT id, $1, b, e, r, f, a, o
             FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[])
                  AS t(id, b, e, r, f, a, o)",
        )
        .bind(site)
        .bind(&self.id)
        .bind(&self.building)
        .bind(&self.entrance)
        .bind(&self.room)
        .bind(&self.floor)
        .bind(&self.area)
        .bind(&self.occupancy)
        .execute(conn)
        .await?;
        Ok(())
    }
}

#[derive(Default)]
struct ResidentColumns {
    id: Vec<Uuid>,
    unit: Vec<Uuid>,
    name: Vec<String>,
    role: Vec<&'static str>,
    phone: Vec<Option<String>>,
    id_card: Vec<Option<String>>,
}

impl ResidentColumns {
    async fn insert(self, conn: &mut PgConnection, site: Uuid) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO residents (id, site_id, unit_id, name, role, phone, id_card)
             SELECT id, $1, u, n, r, p, c
             FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
                  AS t(id, u, n, r, p, c)",
        )
        .bind(site)
        .bind(&self.id)
        .bind(&self.unit)
        .bind(&self.name)
        .bind(&self.role)
        .bind(&self.phone)
        .bind(&self.id_card)
        .execute(conn)
        .await?;
        Ok(())
    }
}

fn add_residents(r: &mut ResidentColumns, dice: &mut Dice, unit: Uuid, occ: Occupancy) {
    let mut person = |dice: &mut Dice, role: ResidentRole, surname: Option<&str>, contact: bool| {
        let surname = surname
            .map(str::to_owned)
            .unwrap_or_else(|| dice.pick(data::SURNAMES).to_owned());
        let name = format!("{surname}{}", dice.pick(data::GIVEN_NAMES));
        r.id.push(Uuid::now_v7());
        r.unit.push(unit);
        r.name.push(name);
        r.role.push(role.code());
        r.phone.push(contact.then(|| demo_phone(dice)));
        r.id_card.push(contact.then(|| demo_id_card(dice)));
        surname
    };
    // Every unit has an owner on file, even a vacant or let one.
    let owner_surname = person(dice, ResidentRole::Owner, None, true);
    match occ {
        Occupancy::OwnerOccupied => {
            for _ in 0..dice.below(4) {
                let same = dice.below(2) == 0;
                person(
                    dice,
                    ResidentRole::FamilyMember,
                    same.then_some(owner_surname.as_str()),
                    false,
                );
            }
        }
        Occupancy::Rented => {
            for _ in 0..1 + dice.below(2) {
                person(dice, ResidentRole::Tenant, None, true);
            }
        }
        Occupancy::Business => {
            person(dice, ResidentRole::Tenant, None, true);
        }
        Occupancy::Vacant => {}
    }
}

fn demo_phone(dice: &mut Dice) -> String {
    format!(
        "{}{:08}",
        dice.pick(data::MOBILE_PREFIXES),
        dice.next() % 100_000_000
    )
}

/// A checksum-valid ID-card number with a birth date between 1950 and 2005.
fn demo_id_card(dice: &mut Dice) -> String {
    let year = 1950 + dice.below(56);
    let month = 1 + dice.below(12);
    let day = 1 + dice.below(28);
    let seq = dice.below(1000);
    let first17 = format!(
        "{}{year:04}{month:02}{day:02}{seq:03}",
        dice.pick(data::REGION_CODES)
    );
    let check = IdCardNumber::check_char(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

/// 翠湖花园 runs on the default repair policy, stored so the centre manager sees and edits it;
/// 枫林苑 has no row and runs on the same default.
async fn load_policies(conn: &mut PgConnection) -> anyhow::Result<()> {
    let policy = serde_json::to_value(RepairPolicy::default())?;
    sqlx::query(
        "INSERT INTO site_policies (site_id, policy) SELECT id, $2 FROM sites WHERE code = $1
         ON CONFLICT (site_id) DO NOTHING",
    )
    .bind(MAIN_SITE_CODE)
    .bind(policy)
    .execute(conn)
    .await?;
    Ok(())
}

async fn load_staff(conn: &mut PgConnection) -> anyhow::Result<()> {
    for s in DEMO_STAFF {
        let pw = DEMO_PASSWORD.to_owned();
        let hash = tokio::task::spawn_blocking(move || password::hash(&pw)).await??;
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO staff (id, username, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(s.username)
            .bind(s.display_name)
            .bind(s.role)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO staff_sites (staff_id, site_id) SELECT $1, id FROM sites WHERE code = ANY($2)")
            .bind(id)
            .bind(s.sites)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_contact_data_passes_the_parsers() {
        let mut d = Dice(7);
        for _ in 0..500 {
            assert!(IdCardNumber::parse(&demo_id_card(&mut d)).is_ok());
            assert!(domain::people::PhoneNumber::parse(&demo_phone(&mut d)).is_ok());
        }
    }
}
