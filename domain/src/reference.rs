//! Reference data: how a unit is occupied and who lives there.

use crate::ids::{ResidentId, UnitId};
use crate::session::SiteRef;
use crate::visits::quota::VisitQuota;
use serde::{Deserialize, Serialize};

/// 入住状态 of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occupancy {
    /// 空置
    Vacant,
    /// 业主自住
    OwnerOccupied,
    /// 出租
    Rented,
    /// 商用
    Business,
}

impl Occupancy {
    pub const ALL: [Occupancy; 4] = [
        Occupancy::Vacant,
        Occupancy::OwnerOccupied,
        Occupancy::Rented,
        Occupancy::Business,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Occupancy::Vacant => "vacant",
            Occupancy::OwnerOccupied => "owner_occupied",
            Occupancy::Rented => "rented",
            Occupancy::Business => "business",
        }
    }

    pub fn parse(s: &str) -> Option<Occupancy> {
        Occupancy::ALL.into_iter().find(|o| o.code() == s)
    }

    /// An occupied household counts toward visit quotas and surveys (requirements §3.3).
    pub const fn is_occupied(self) -> bool {
        !matches!(self, Occupancy::Vacant)
    }
}

/// A resident's relation to the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResidentRole {
    /// 业主
    Owner,
    /// 租户
    Tenant,
    /// 家庭成员
    FamilyMember,
}

impl ResidentRole {
    pub const ALL: [ResidentRole; 3] = [
        ResidentRole::Owner,
        ResidentRole::Tenant,
        ResidentRole::FamilyMember,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            ResidentRole::Owner => "owner",
            ResidentRole::Tenant => "tenant",
            ResidentRole::FamilyMember => "family_member",
        }
    }

    pub fn parse(s: &str) -> Option<ResidentRole> {
        ResidentRole::ALL.into_iter().find(|o| o.code() == s)
    }
}

/// The readable label of a unit: `3栋2单元1502`.
pub fn unit_label(building_no: &str, entrance_no: &str, room_no: &str) -> String {
    format!("{building_no}栋{entrance_no}单元{room_no}")
}

/// One resident as staff see them: contact data masked (requirements §2.20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentCard {
    pub id: ResidentId,
    pub name: String,
    pub role: ResidentRole,
    pub phone_masked: Option<String>,
    pub id_card_masked: Option<String>,
}

/// A unit with its residents, as the unit look-up shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCard {
    pub id: UnitId,
    pub label: String,
    pub floor: i32,
    /// Floor area in 0.01 m².
    pub area_centi_m2: i32,
    pub occupancy: Occupancy,
    pub residents: Vec<ResidentCard>,
}

/// A site at a glance for its managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSummary {
    pub site: SiteRef,
    pub buildings: u32,
    pub units: u32,
    pub occupied_units: u32,
    pub residents: u32,
    pub catalogue_items: u32,
    pub supplier_items: u32,
    pub staff: u32,
    pub visit_quota: VisitQuota,
}

/// What staff type to find a unit: `3-2-1502`, `3栋2单元1502`, `3/2/1502`, `3-1502` or `1502`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitQuery {
    pub building: Option<String>,
    pub entrance: Option<String>,
    pub room: String,
}

impl UnitQuery {
    /// `None` for anything that is not one to three short alphanumeric parts.
    pub fn parse(q: &str) -> Option<UnitQuery> {
        let parts: Vec<&str> = q
            .split(['-', '/', ' ', '栋', '单', '元', '号', '室'])
            .filter(|p| !p.is_empty())
            .collect();
        let ok = |s: &&str| s.len() <= 16 && s.chars().all(|c| c.is_ascii_alphanumeric());
        if !parts.iter().all(ok) {
            return None;
        }
        let s = |x: &str| x.to_owned();
        match parts.as_slice() {
            [room] => Some(UnitQuery {
                building: None,
                entrance: None,
                room: s(room),
            }),
            [b, room] => Some(UnitQuery {
                building: Some(s(b)),
                entrance: None,
                room: s(room),
            }),
            [b, e, room] => Some(UnitQuery {
                building: Some(s(b)),
                entrance: Some(s(e)),
                room: s(room),
            }),
            _ => None,
        }
    }

    /// Whether a unit's label (`3栋2单元1502`) matches.
    pub fn matches_label(&self, label: &str) -> bool {
        let tail = format!("单元{}", self.room);
        match (&self.building, &self.entrance) {
            (None, _) => label.ends_with(&tail),
            (Some(b), None) => label.starts_with(&format!("{b}栋")) && label.ends_with(&tail),
            (Some(b), Some(e)) => label == unit_label(b, e, &self.room),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupancy_codes_round_trip() {
        for o in Occupancy::ALL {
            assert_eq!(Occupancy::parse(o.code()), Some(o));
        }
        assert!(!Occupancy::Vacant.is_occupied());
        assert!(Occupancy::Business.is_occupied());
        assert_eq!(unit_label("3", "2", "1502"), "3栋2单元1502");
    }

    #[test]
    fn unit_queries_as_staff_type_them() {
        let q = |b: Option<&str>, e: Option<&str>, r: &str| {
            Some(UnitQuery {
                building: b.map(str::to_owned),
                entrance: e.map(str::to_owned),
                room: r.into(),
            })
        };
        assert_eq!(
            UnitQuery::parse("3-2-1502"),
            q(Some("3"), Some("2"), "1502")
        );
        assert_eq!(
            UnitQuery::parse("3栋2单元1502"),
            q(Some("3"), Some("2"), "1502")
        );
        assert_eq!(UnitQuery::parse("3-1502"), q(Some("3"), None, "1502"));
        assert_eq!(UnitQuery::parse("1502"), q(None, None, "1502"));
        assert_eq!(UnitQuery::parse(""), None);
        assert_eq!(UnitQuery::parse("1-2-3-4"), None);
        assert_eq!(UnitQuery::parse("'; drop"), None);
    }
}
