//! The site's reading of the identity rule (requirements §4 C25). S3 篇1 lets the owner confirm
//! by phone with three knowledge checks; S0 第2篇 (lock-opening) wants documents in person. A
//! site chooses; the default follows S3 篇1, the release procedure itself.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasePolicy {
    /// The owner may confirm by phone (ID number, family members, employer: S3 篇1).
    /// `false`: only in person with the original ID card.
    #[serde(default = "yes")]
    pub phone_confirmation: bool,
    /// Other open bills the site records (beyond 付款请求书) also block a pass.
    #[serde(default = "yes")]
    pub count_other_bills: bool,
}

fn yes() -> bool {
    true
}

impl Default for ReleasePolicy {
    fn default() -> Self {
        ReleasePolicy {
            phone_confirmation: true,
            count_other_bills: true,
        }
    }
}
