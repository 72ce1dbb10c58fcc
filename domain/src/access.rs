//! Who may open what. The server enforces it on every page and API; the client uses the same
//! table only to hide links it would refuse anyway.

use crate::people::Role;
use serde::{Deserialize, Serialize};

/// A part of the app with its own access rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// The technician's job list.
    TechHome,
    /// The patrol officer's rounds.
    PatrolHome,
    /// The front desk.
    DeskHome,
    /// Engineering dispatch board (工程部).
    EngBoard,
    /// Customer-service board (客服部).
    CsBoard,
    /// Service-centre overview (服务中心).
    CenterBoard,
    /// Finance desk.
    FinanceHome,
    /// Security and the gate.
    SecurityHome,
    /// Sites, staff, price lists, policies.
    Admin,
    /// Residents' contact data (unit look-up).
    ResidentDirectory,
    /// 业户访问 (走访): the month's quota, recording a visit, the not-visited list.
    Visits,
    /// The monthly chain of the visit records (签署意见, 访问业户总结, 阅批).
    VisitReports,
    /// The site's settings where the documents disagree or the site decides: the work
    /// calendar, repair rules, office hours, release-pass rules (站点设置).
    SiteSettings,
}

impl Area {
    pub const ALL: [Area; 13] = [
        Area::TechHome,
        Area::PatrolHome,
        Area::DeskHome,
        Area::EngBoard,
        Area::CsBoard,
        Area::CenterBoard,
        Area::FinanceHome,
        Area::SecurityHome,
        Area::Admin,
        Area::ResidentDirectory,
        Area::Visits,
        Area::VisitReports,
        Area::SiteSettings,
    ];

    /// The single rule table. The service-centre manager oversees both departments' boards.
    pub fn allows(self, role: Role) -> bool {
        use Role::*;
        match self {
            Area::TechHome => matches!(role, Tech),
            Area::PatrolHome => matches!(role, Patrol),
            Area::DeskHome => matches!(role, Desk),
            Area::EngBoard => matches!(role, EngMgr | CenterMgr),
            Area::CsBoard => matches!(role, CsMgr | CenterMgr),
            Area::CenterBoard => matches!(role, CenterMgr),
            Area::FinanceHome => matches!(role, Finance),
            Area::SecurityHome => matches!(role, Security),
            Area::Admin => matches!(role, Admin),
            Area::ResidentDirectory => {
                matches!(role, Desk | EngMgr | CsMgr | CenterMgr | Security | Admin)
            }
            Area::Visits => matches!(role, Desk | Patrol | CsMgr | CenterMgr | Admin),
            Area::VisitReports => matches!(role, CsMgr | CenterMgr | Admin),
            Area::SiteSettings => matches!(role, CenterMgr | Admin),
        }
    }

    /// URL path of the area's page.
    pub const fn path(self) -> &'static str {
        match self {
            Area::TechHome => "/tech",
            Area::PatrolHome => "/patrol",
            Area::DeskHome => "/desk",
            Area::EngBoard => "/eng",
            Area::CsBoard => "/cs",
            Area::CenterBoard => "/center",
            Area::FinanceHome => "/finance",
            Area::SecurityHome => "/security",
            Area::Admin => "/admin",
            Area::ResidentDirectory => "/units",
            Area::Visits => "/visits",
            Area::VisitReports => "/visits/reports",
            Area::SiteSettings => "/settings",
        }
    }
}

/// Where a role lands after signing in.
pub const fn home_area(role: Role) -> Area {
    match role {
        Role::Tech => Area::TechHome,
        Role::Patrol => Area::PatrolHome,
        Role::Desk => Area::DeskHome,
        Role::EngMgr => Area::EngBoard,
        Role::CsMgr => Area::CsBoard,
        Role::CenterMgr => Area::CenterBoard,
        Role::Finance => Area::FinanceHome,
        Role::Security => Area::SecurityHome,
        Role::Admin => Area::Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_may_enter_its_home() {
        for r in Role::ALL {
            assert!(home_area(r).allows(r), "{r}");
        }
    }

    #[test]
    fn technicians_are_kept_out_of_manager_areas() {
        for a in [
            Area::EngBoard,
            Area::CsBoard,
            Area::CenterBoard,
            Area::Admin,
        ] {
            assert!(!a.allows(Role::Tech), "{a:?}");
        }
        assert!(!Area::ResidentDirectory.allows(Role::Tech));
        assert!(Area::EngBoard.allows(Role::CenterMgr));
        assert!(!Area::CenterBoard.allows(Role::EngMgr));
        // Site settings: the centre manager and the administrator only.
        let may: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| Area::SiteSettings.allows(*r))
            .collect();
        assert_eq!(may, vec![Role::CenterMgr, Role::Admin]);
    }

    #[test]
    fn paths_are_unique() {
        let mut paths: Vec<_> = Area::ALL.iter().map(|a| a.path()).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), Area::ALL.len());
    }
}
