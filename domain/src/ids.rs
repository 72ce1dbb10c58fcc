//! Typed UUIDv7 identifiers. They are made on the device (or the server) by the caller, never
//! here, so a record created offline keeps its identity forever.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// Why a string is not an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid id: {0}")]
pub struct IdParseError(pub String);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps an existing UUID (from storage or a freshly generated v7).
            pub const fn from_uuid(u: Uuid) -> Self {
                Self(u)
            }
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
            pub fn parse(s: &str) -> Result<Self, IdParseError> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| IdParseError(s.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id_type!(
    /// 小区: one managed residential compound.
    SiteId
);
id_type!(
    /// 楼栋: a building of a site.
    BuildingId
);
id_type!(
    /// 房号: one flat or shop.
    UnitId
);
id_type!(
    /// 业户 member: owner, tenant or family member of a unit.
    ResidentId
);
id_type!(
    /// A staff account.
    StaffId
);
id_type!(
    /// One installed copy of the app on one phone or tablet.
    DeviceId
);
id_type!(
    /// 家庭维修服务项目: one in-house catalogue item.
    CatalogueItemId
);
id_type!(
    /// 专业供应商名单: one supplier-referral item.
    SupplierItemId
);

id_type!(
    /// One change a device asked for; unique forever, so a replay is recognised.
    MutationId
);
id_type!(
    /// 维修单: a repair work order.
    WorkOrderId
);
id_type!(
    /// 巡检点: a place on a patrol route with a QR label.
    CheckpointId
);
id_type!(
    /// 巡检路线
    RouteId
);
id_type!(
    /// One patrol officer's round of a route on one day.
    RoundId
);
id_type!(
    /// A free finding logged on a round.
    FindingId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_bare_strings() {
        let id = SiteId::parse("01936f0e-6a4c-7b6e-8f00-000000000001").expect("valid");
        assert_eq!(
            serde_json::to_string(&id).expect("json"),
            "\"01936f0e-6a4c-7b6e-8f00-000000000001\""
        );
        assert!(UnitId::parse("not-an-id").is_err());
    }
}
