//! `GET /api/sync/v1/reference`: the reference data a phone keeps offline (units to pick, the
//! technicians to dispatch to, the repair catalogue), and the facts `apply` derives from it.

use crate::ids::{CatalogueItemId, SiteId, StaffId, UnitId};
use crate::money::Fen;
use crate::patrol::round::PatrolFacts;
use crate::patrol::route::{Checkpoint, Route};
use crate::people::Role;
use crate::reference::UnitQuery;
use crate::work_orders::policy::RepairPolicy;
use crate::work_orders::{CatalogueFact, Facts, StaffFacts};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    pub id: UnitId,
    pub site_id: SiteId,
    /// `3栋2单元1502`
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRef {
    pub id: StaffId,
    pub display_name: String,
    pub site_ids: Vec<SiteId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueRef {
    pub id: CatalogueItemId,
    pub site_id: SiteId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub std_minutes: Option<i32>,
    pub price_fen: i64,
    /// `per_job`, `per_metre`, `per_bike`.
    #[serde(default)]
    pub time_unit: String,
    #[serde(default)]
    pub remarks_zh: String,
    #[serde(default)]
    pub requires_disclaimer: bool,
}

/// An item of the supplier referral list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierRef {
    pub site_id: SiteId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub supplier_hint_zh: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePolicy {
    pub site_id: SiteId,
    pub policy: RepairPolicy,
}

// Not `Eq`: checkpoints carry surveyed positions (floating point).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceData {
    pub units: Vec<UnitRef>,
    pub technicians: Vec<StaffRef>,
    pub catalogue: Vec<CatalogueRef>,
    #[serde(default)]
    pub suppliers: Vec<SupplierRef>,
    #[serde(default)]
    pub policies: Vec<SitePolicy>,
    /// Active patrol checkpoints of the user's sites (roles that walk or manage rounds).
    #[serde(default)]
    pub checkpoints: Vec<Checkpoint>,
    /// Active patrol routes of the user's sites (same roles).
    #[serde(default)]
    pub routes: Vec<Route>,
}

impl ReferenceData {
    /// The facts a device needs to run `work_orders::apply` itself.
    pub fn facts(&self) -> Facts {
        Facts {
            unit_sites: self.units.iter().map(|u| (u.id, u.site_id)).collect(),
            staff: self
                .technicians
                .iter()
                .map(|t| {
                    (
                        t.id,
                        StaffFacts {
                            role: Role::Tech,
                            active: true,
                            sites: t.site_ids.clone(),
                        },
                    )
                })
                .collect(),
            catalogue: self
                .catalogue
                .iter()
                .map(|c| {
                    (
                        (c.site_id, c.code.clone()),
                        CatalogueFact {
                            price: Fen(c.price_fen),
                            requires_disclaimer: c.requires_disclaimer,
                            active: true,
                        },
                    )
                })
                .collect(),
            suppliers: self
                .suppliers
                .iter()
                .map(|s| (s.site_id, s.code.clone()))
                .collect(),
            prior_repairs: Default::default(),
            policies: self
                .policies
                .iter()
                .map(|p| (p.site_id, p.policy))
                .collect(),
        }
    }

    /// The facts a device needs to run `patrol::round::apply_round` itself. Codes of other
    /// sites are unknown on a phone: such a scan is refused there as unknown, and the server
    /// says which site it belongs to.
    pub fn patrol_facts(&self) -> PatrolFacts {
        PatrolFacts {
            routes: self.routes.clone(),
            checkpoints: self.checkpoints.clone(),
            other_codes: Vec::new(),
        }
    }

    /// The site's policy, the default where none was sent.
    pub fn policy(&self, site: SiteId) -> RepairPolicy {
        self.policies
            .iter()
            .find(|p| p.site_id == site)
            .map(|p| p.policy)
            .unwrap_or_default()
    }

    /// Finds units by what staff type ([`UnitQuery`]), at most 20.
    pub fn find_units(&self, query: &str) -> Vec<&UnitRef> {
        let Some(q) = UnitQuery::parse(query) else {
            return Vec::new();
        };
        self.units
            .iter()
            .filter(|u| q.matches_label(&u.label))
            .take(20)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn finds_units_as_typed() {
        let site = SiteId(Uuid::nil());
        let unit = |label: &str| UnitRef {
            id: UnitId(Uuid::nil()),
            site_id: site,
            label: label.into(),
        };
        let r = ReferenceData {
            units: vec![
                unit("3栋2单元1502"),
                unit("3栋1单元1502"),
                unit("13栋2单元1502"),
            ],
            ..ReferenceData::default()
        };
        assert_eq!(r.find_units("3-2-1502").len(), 1);
        assert_eq!(r.find_units("3栋2单元1502").len(), 1);
        assert_eq!(r.find_units("3-1502").len(), 2);
        assert_eq!(r.find_units("1502").len(), 3);
        assert!(r.find_units("").is_empty());
        assert!(r.find_units("1-2-3-4").is_empty());
    }
}
