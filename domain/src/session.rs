//! Who is signed in: the profile the server sends at sign-in, with `/api/v1/me`, and embedded in
//! every page so a phone that opens offline still knows its user.

use crate::ids::{SiteId, StaffId};
use crate::people::Role;
use serde::{Deserialize, Serialize};

/// A site the staff member may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRef {
    pub id: SiteId,
    pub code: String,
    pub name: String,
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProfile {
    pub staff_id: StaffId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub sites: Vec<SiteRef>,
}

impl StaffProfile {
    pub fn may_see_site(&self, site: SiteId) -> bool {
        self.sites.iter().any(|s| s.id == site)
    }
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Error body of every JSON API: a stable code the client switches on, and a message for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub code: String,
    pub message: String,
    /// For `login_locked`: seconds until the next try is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_json_is_stable() {
        let p = StaffProfile {
            staff_id: StaffId::parse("01936f0e-6a4c-7b6e-8f00-000000000001").expect("id"),
            username: "tech1".into(),
            display_name: "王师傅".into(),
            role: Role::Tech,
            sites: vec![SiteRef {
                id: SiteId::parse("01936f0e-6a4c-7b6e-8f00-0000000000aa").expect("id"),
                code: "cuihu".into(),
                name: "翠湖花园".into(),
            }],
        };
        assert_eq!(
            serde_json::to_string(&p).expect("json"),
            r#"{"staff_id":"01936f0e-6a4c-7b6e-8f00-000000000001","username":"tech1","display_name":"王师傅","role":"tech","sites":[{"id":"01936f0e-6a4c-7b6e-8f00-0000000000aa","code":"cuihu","name":"翠湖花园"}]}"#
        );
    }
}
