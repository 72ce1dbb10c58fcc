//! UI language: Chinese first, English second. Texts live in `app/locales/<lang>/*.txt`; `build.rs`
//! turns them into [`Msg`]. The choice is kept in the `lang` cookie so server rendering uses it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const COOKIE: &'static str = "lang";

    pub const fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Anything but an explicit English choice is Chinese.
    pub fn from_code(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub const fn text(self, m: Msg) -> &'static str {
        match self {
            Lang::Zh => m.zh(),
            Lang::En => m.en(),
        }
    }
}

/// The language signal in context.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Lang::Zh)))
}

impl I18n {
    /// Reactive text.
    pub fn t(self, m: Msg) -> &'static str {
        self.0.get().text(m)
    }

    /// Reactive text with `{name}` placeholders filled.
    pub fn tf(self, m: Msg, args: &[(&str, String)]) -> String {
        fill(self.t(m), args)
    }

    pub fn set(self, lang: Lang) {
        self.0.set(lang);
        #[cfg(feature = "hydrate")]
        crate::browser::set_cookie(Lang::COOKIE, lang.code(), 365 * 24 * 3600);
    }
}

pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

pub fn role_msg(role: domain::people::Role) -> Msg {
    use domain::people::Role::*;
    match role {
        Tech => Msg::RoleTech,
        Patrol => Msg::RolePatrol,
        Desk => Msg::RoleDesk,
        EngMgr => Msg::RoleEngMgr,
        CsMgr => Msg::RoleCsMgr,
        CenterMgr => Msg::RoleCenterMgr,
        Finance => Msg::RoleFinance,
        Security => Msg::RoleSecurity,
        Admin => Msg::RoleAdmin,
    }
}

pub fn occupancy_msg(o: domain::reference::Occupancy) -> Msg {
    use domain::reference::Occupancy::*;
    match o {
        Vacant => Msg::OccupancyVacant,
        OwnerOccupied => Msg::OccupancyOwnerOccupied,
        Rented => Msg::OccupancyRented,
        Business => Msg::OccupancyBusiness,
    }
}

pub fn resident_role_msg(r: domain::reference::ResidentRole) -> Msg {
    use domain::reference::ResidentRole::*;
    match r {
        Owner => Msg::ResidentOwner,
        Tenant => Msg::ResidentTenant,
        FamilyMember => Msg::ResidentFamilyMember,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_languages_differ() {
        assert_eq!(
            fill(Msg::HomeGreeting.zh(), &[("name", "王建国".into())]),
            "您好，王建国"
        );
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code("fr"), Lang::Zh);
        assert_ne!(Msg::LoginTitle.zh(), Msg::LoginTitle.en());
    }
}
