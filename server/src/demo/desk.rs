//! The front desk's demo households in 翠湖花园 building 6 (other demo scripts use buildings
//! 2 and 5): known people with ID numbers on file, so lock-openings and renovations can be shown.
//!
//! - 6栋1单元801, owner-occupied: 业主 周建华
//! - 6栋2单元802, rented: 业主 钱国平, 租户 吴晓梅 (a tenant's lock needs the owner's consent)
//! - 6栋2单元803, owner-occupied: 业主 孙丽娟 (renovation)
//! - 6栋1单元803, owner-occupied: 业主 冯志远 (renovation in the server tests)

use domain::people::IdCardNumber;
use sqlx::PgConnection;
use uuid::Uuid;

pub struct DemoResident {
    pub name: &'static str,
    pub role: &'static str,
    pub phone: &'static str,
    /// The first 17 digits; the check digit is computed.
    pub id17: &'static str,
}

pub struct DemoHousehold {
    pub entrance: &'static str,
    pub room: &'static str,
    pub occupancy: &'static str,
    pub residents: &'static [DemoResident],
}

pub const BUILDING: &str = "6";

pub const HOUSEHOLDS: &[DemoHousehold] = &[
    DemoHousehold {
        entrance: "1",
        room: "801",
        occupancy: "owner_occupied",
        residents: &[DemoResident {
            name: "周建华",
            role: "owner",
            phone: "13905710801",
            id17: "33010619780315001",
        }],
    },
    DemoHousehold {
        entrance: "2",
        room: "802",
        occupancy: "rented",
        residents: &[
            DemoResident {
                name: "钱国平",
                role: "owner",
                phone: "13905710802",
                id17: "33010619650520003",
            },
            DemoResident {
                name: "吴晓梅",
                role: "tenant",
                phone: "13805710802",
                id17: "33010319920808002",
            },
        ],
    },
    DemoHousehold {
        entrance: "2",
        room: "803",
        occupancy: "owner_occupied",
        residents: &[DemoResident {
            name: "孙丽娟",
            role: "owner",
            phone: "13905710803",
            id17: "33010519851111004",
        }],
    },
    DemoHousehold {
        entrance: "1",
        room: "803",
        occupancy: "owner_occupied",
        residents: &[DemoResident {
            name: "冯志远",
            role: "owner",
            phone: "13905716803",
            id17: "33010619700101005",
        }],
    },
];

/// The full, checksum-valid ID number of a demo resident.
pub fn id_card(id17: &str) -> String {
    let check = IdCardNumber::check_char(id17.as_bytes()) as char;
    format!("{id17}{check}")
}

/// Puts the known households in place of the generated ones (once).
pub async fn load(conn: &mut PgConnection) -> anyhow::Result<()> {
    for h in HOUSEHOLDS {
        let unit: Option<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT u.id, u.site_id FROM units u JOIN buildings b ON b.id = u.building_id
             JOIN sites s ON s.id = u.site_id
             WHERE s.code = $1 AND b.number = $2 AND u.entrance = $3 AND u.room = $4",
        )
        .bind(super::MAIN_SITE_CODE)
        .bind(BUILDING)
        .bind(h.entrance)
        .bind(h.room)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((unit_id, site_id)) = unit else {
            continue;
        };
        let first = id_card(h.residents[0].id17);
        let done: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM residents WHERE unit_id = $1 AND id_card = $2)",
        )
        .bind(unit_id)
        .bind(&first)
        .fetch_one(&mut *conn)
        .await?;
        if done {
            continue;
        }
        sqlx::query("DELETE FROM residents WHERE unit_id = $1")
            .bind(unit_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE units SET occupancy = $2 WHERE id = $1")
            .bind(unit_id)
            .bind(h.occupancy)
            .execute(&mut *conn)
            .await?;
        for r in h.residents {
            sqlx::query(
                "INSERT INTO residents (id, site_id, unit_id, name, role, phone, id_card)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(Uuid::now_v7())
            .bind(site_id)
            .bind(unit_id)
            .bind(r.name)
            .bind(r.role)
            .bind(r.phone)
            .bind(id_card(r.id17))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
