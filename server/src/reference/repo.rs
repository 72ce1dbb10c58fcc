//! SQL for sites, units and residents.

use domain::ids::{ResidentId, SiteId, UnitId};
use domain::people::{IdCardNumber, PhoneNumber};
use domain::reference::{unit_label, Occupancy, ResidentCard, ResidentRole, UnitCard};
use domain::session::SiteRef;
use sqlx::PgConnection;
use uuid::Uuid;

/// Counts behind the site summary.
#[derive(sqlx::FromRow)]
pub struct SiteCounts {
    pub code: String,
    pub name: String,
    pub buildings: i64,
    pub units: i64,
    pub occupied_units: i64,
    pub residents: i64,
    pub catalogue_items: i64,
    pub supplier_items: i64,
    pub staff: i64,
}

pub async fn site_counts(
    conn: &mut PgConnection,
    site: SiteId,
) -> sqlx::Result<Option<SiteCounts>> {
    sqlx::query_as(
        "SELECT s.code, s.name,
            (SELECT count(*) FROM buildings b WHERE b.site_id = s.id) AS buildings,
            (SELECT count(*) FROM units u WHERE u.site_id = s.id) AS units,
            (SELECT count(*) FROM units u WHERE u.site_id = s.id AND u.occupancy <> 'vacant') AS occupied_units,
            (SELECT count(*) FROM residents r WHERE r.site_id = s.id) AS residents,
            (SELECT count(*) FROM catalogue_items c WHERE c.site_id = s.id AND c.active) AS catalogue_items,
            (SELECT count(*) FROM supplier_items p WHERE p.site_id = s.id) AS supplier_items,
            (SELECT count(*) FROM staff_sites ss WHERE ss.site_id = s.id) AS staff
         FROM sites s WHERE s.id = $1",
    )
    .bind(site.0)
    .fetch_optional(conn)
    .await
}

pub fn site_ref(id: SiteId, c: &SiteCounts) -> SiteRef {
    SiteRef {
        id,
        code: c.code.clone(),
        name: c.name.clone(),
    }
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: Uuid,
    building_no: String,
    entrance: String,
    room: String,
    floor: i32,
    area_centi_m2: i32,
    occupancy: String,
}

#[derive(sqlx::FromRow)]
struct ResidentRow {
    id: Uuid,
    unit_id: Uuid,
    name: String,
    role: String,
    phone: Option<String>,
    id_card: Option<String>,
}

/// Units of a site whose building, entrance and room match `query` (`3-2-1502`, `3栋2单元1502`,
/// `1502`), at most `limit`, with residents masked.
pub async fn search_units(
    conn: &mut PgConnection,
    site: SiteId,
    building: Option<&str>,
    entrance: Option<&str>,
    room: &str,
    limit: i64,
) -> sqlx::Result<Vec<UnitCard>> {
    let units: Vec<UnitRow> = sqlx::query_as(
        "SELECT u.id, b.number AS building_no, u.entrance, u.room, u.floor, u.area_centi_m2, u.occupancy
         FROM units u JOIN buildings b ON b.id = u.building_id
         WHERE u.site_id = $1
           AND ($2::text IS NULL OR b.number = $2)
           AND ($3::text IS NULL OR u.entrance = $3)
           AND u.room LIKE $4 || '%'
         ORDER BY b.number, u.entrance, u.room
         LIMIT $5",
    )
    .bind(site.0)
    .bind(building)
    .bind(entrance)
    .bind(room)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = units.iter().map(|u| u.id).collect();
    let residents: Vec<ResidentRow> = sqlx::query_as(
        "SELECT id, unit_id, name, role, phone, id_card FROM residents
         WHERE unit_id = ANY($1) ORDER BY role, name",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let decode = |e: String| sqlx::Error::Decode(e.into());
    units
        .into_iter()
        .map(|u| {
            let occupancy = Occupancy::parse(&u.occupancy)
                .ok_or_else(|| decode(format!("occupancy {}", u.occupancy)))?;
            let residents = residents
                .iter()
                .filter(|r| r.unit_id == u.id)
                .map(|r| {
                    Ok(ResidentCard {
                        id: ResidentId(r.id),
                        name: r.name.clone(),
                        role: ResidentRole::parse(&r.role)
                            .ok_or_else(|| decode(format!("resident role {}", r.role)))?,
                        // Stored values passed their parser on the way in; mask what parses.
                        phone_masked: r
                            .phone
                            .as_deref()
                            .and_then(|p| PhoneNumber::parse(p).ok())
                            .map(|p| p.masked()),
                        id_card_masked: r
                            .id_card
                            .as_deref()
                            .and_then(|c| IdCardNumber::parse(c).ok())
                            .map(|c| c.masked()),
                    })
                })
                .collect::<sqlx::Result<Vec<_>>>()?;
            Ok(UnitCard {
                id: UnitId(u.id),
                label: unit_label(&u.building_no, &u.entrance, &u.room),
                floor: u.floor,
                area_centi_m2: u.area_centi_m2,
                occupancy,
                residents,
            })
        })
        .collect()
}

/// A unit's site and label (`6栋2单元802`), or `None` if there is no such unit.
pub async fn unit_site_and_label(
    conn: &mut PgConnection,
    unit: UnitId,
) -> sqlx::Result<Option<(SiteId, String)>> {
    let row: Option<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT u.site_id, b.number, u.entrance, u.room
         FROM units u JOIN buildings b ON b.id = u.building_id WHERE u.id = $1",
    )
    .bind(unit.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(s, b, e, r)| (SiteId(s), unit_label(&b, &e, &r))))
}
