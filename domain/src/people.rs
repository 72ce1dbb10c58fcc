//! Staff roles and residents' personal data: parsed once at the edge, masked when shown.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A staff member's job in the app (glossary: roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 维修人员
    Tech,
    /// 巡检 / 客户主任
    Patrol,
    /// 客服 / 总台接待
    Desk,
    /// 工程部经理
    EngMgr,
    /// 客服部经理
    CsMgr,
    /// 服务中心经理
    CenterMgr,
    /// 财务
    Finance,
    /// 保安
    Security,
    /// 系统管理员
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role: {0}")]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Tech,
        Role::Patrol,
        Role::Desk,
        Role::EngMgr,
        Role::CsMgr,
        Role::CenterMgr,
        Role::Finance,
        Role::Security,
        Role::Admin,
    ];

    /// The stable code stored in the database and sent on the wire.
    pub const fn code(self) -> &'static str {
        match self {
            Role::Tech => "tech",
            Role::Patrol => "patrol",
            Role::Desk => "desk",
            Role::EngMgr => "eng_mgr",
            Role::CsMgr => "cs_mgr",
            Role::CenterMgr => "center_mgr",
            Role::Finance => "finance",
            Role::Security => "security",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }

    /// Roles that carry a phone into the field and must keep working offline.
    pub const fn works_offline(self) -> bool {
        matches!(
            self,
            Role::Tech | Role::Patrol | Role::Desk | Role::Security
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PhoneError {
    #[error("phone number is empty")]
    Empty,
    #[error("phone number has characters other than digits")]
    NotDigits,
    #[error("not a mainland mobile (11 digits starting 1) or landline (0 + area code) number")]
    BadShape,
}

/// A mainland China phone number: an 11-digit mobile or a landline with its area code.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts spaces, dashes and a leading +86 / 86, as people type them.
    pub fn parse(s: &str) -> Result<PhoneNumber, PhoneError> {
        let cleaned: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        if cleaned.is_empty() {
            return Err(PhoneError::Empty);
        }
        let digits = cleaned
            .strip_prefix("+86")
            .or_else(|| cleaned.strip_prefix("0086"))
            .unwrap_or(&cleaned);
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PhoneError::NotDigits);
        }
        let mobile = digits.len() == 11
            && digits.starts_with('1')
            && matches!(digits.as_bytes()[1], b'3'..=b'9');
        let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
        if mobile || landline {
            Ok(PhoneNumber(digits.to_owned()))
        } else {
            Err(PhoneError::BadShape)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: the shape staff see unless they reveal it (requirements §2.20).
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

/// Why an ID-card number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdCardError {
    #[error("ID-card number must have 18 characters")]
    Length,
    #[error("ID-card number must be 17 digits and a digit or X")]
    Characters,
    #[error("ID-card birth date is not a real date")]
    BirthDate,
    #[error("ID-card check digit does not match")]
    Checksum,
}

/// A second-generation resident identity card number (GB 11643-1999): 18 characters, the last
/// a check digit (0-9 or X). Never shown in full unless a reveal is logged.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdCardNumber(String);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [u8; 11] = *b"10X98765432";

impl IdCardNumber {
    pub fn parse(s: &str) -> Result<IdCardNumber, IdCardError> {
        let s = s.trim().to_ascii_uppercase();
        let bytes = s.as_bytes();
        if bytes.len() != 18 {
            return Err(IdCardError::Length);
        }
        if !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdCardError::Characters);
        }
        let num = |r: std::ops::Range<usize>| -> u32 {
            bytes[r]
                .iter()
                .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        let (year, month, day) = (num(6..10), num(10..12), num(12..14));
        let valid_date = (1900..=2100).contains(&year)
            && chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some();
        if !valid_date {
            return Err(IdCardError::BirthDate);
        }
        if bytes[17] != Self::check_char(&bytes[..17]) {
            return Err(IdCardError::Checksum);
        }
        Ok(IdCardNumber(s))
    }

    /// The check character for the first 17 digits. Used by the parser and by demo data.
    pub fn check_char(first17: &[u8]) -> u8 {
        let sum: u32 = first17
            .iter()
            .zip(ID_WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        ID_CHECK[(sum % 11) as usize]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `3301**********1234`: first four and last four, as the issue asks.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 4, 4)
    }
}

impl fmt::Debug for IdCardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdCardNumber({})", self.masked())
    }
}

/// Keeps `head` leading and `tail` trailing characters, stars in between.
pub fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_their_codes() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Ok(r));
            assert_eq!(
                serde_json::to_string(&r).expect("json"),
                format!("\"{}\"", r.code())
            );
        }
        assert!(Role::parse("boss").is_err());
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(
            PhoneNumber::parse("138 1234 5678").map(|p| p.masked()),
            Ok("138****5678".into())
        );
        assert_eq!(
            PhoneNumber::parse("+86 13812345678").map(|p| p.as_str().to_owned()),
            Ok("13812345678".into())
        );
        assert!(PhoneNumber::parse("0571-88886666").is_ok());
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("1381234567a"),
            Err(PhoneError::NotDigits)
        );
        assert_eq!(PhoneNumber::parse("12812345678"), Err(PhoneError::BadShape));
        assert_eq!(PhoneNumber::parse("1381234567"), Err(PhoneError::BadShape));
    }

    #[test]
    fn id_card_checksum_date_and_mask() {
        // A well-known valid specimen number.
        let id = IdCardNumber::parse("11010519491231002x").expect("valid, lower-case x");
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(
            IdCardNumber::parse("110105194912310021"),
            Err(IdCardError::Checksum)
        );
        assert_eq!(
            IdCardNumber::parse("110105194902300021"),
            Err(IdCardError::BirthDate)
        );
        assert_eq!(IdCardNumber::parse("1101051949"), Err(IdCardError::Length));
        assert_eq!(
            IdCardNumber::parse("1101051949123100AX"),
            Err(IdCardError::Characters)
        );
    }

    #[test]
    fn mask_keeps_head_and_tail() {
        assert_eq!(
            mask_middle("330106198001011234", 4, 4),
            "3301**********1234"
        );
        assert_eq!(mask_middle("123", 4, 4), "***");
    }
}
