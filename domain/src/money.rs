//! Money in integer fen (分). Never a float.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen (1 元 = 100 fen).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// Why a typed amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MoneyParseError {
    #[error("empty amount")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooPrecise,
    #[error("negative amount")]
    Negative,
    #[error("amount too large")]
    TooLarge,
}

impl Fen {
    /// The largest amount a single repair line may carry: ¥1,000,000. Anything above is a typo.
    pub const MAX_LINE: Fen = Fen(100_000_000);

    /// Parses what a person types: `12`, `12.5`, `12.50`, `¥12.50`, `１２.５` is not accepted.
    pub fn parse_yuan(s: &str) -> Result<Fen, MoneyParseError> {
        let s = s.trim().trim_start_matches(['¥', '￥']).trim();
        if s.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        if s.starts_with('-') {
            return Err(MoneyParseError::Negative);
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(MoneyParseError::NotANumber);
        }
        if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyParseError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(MoneyParseError::TooPrecise);
        }
        if int.len() > 12 {
            return Err(MoneyParseError::TooLarge);
        }
        let yuan: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| MoneyParseError::NotANumber)?
        };
        let mut fen_part: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| MoneyParseError::NotANumber)?
        };
        if frac.len() == 1 {
            fen_part *= 10;
        }
        let total = yuan
            .checked_mul(100)
            .and_then(|v| v.checked_add(fen_part))
            .ok_or(MoneyParseError::TooLarge)?;
        if total > Fen::MAX_LINE.0 {
            return Err(MoneyParseError::TooLarge);
        }
        Ok(Fen(total))
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }
}

impl fmt::Display for Fen {
    /// `¥12.50`, `-¥3.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}¥{}.{:02}", abs / 100, abs % 100)
    }
}

impl fmt::Debug for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fen({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        let cases = [
            ("12", Ok(Fen(1200))),
            ("12.5", Ok(Fen(1250))),
            ("12.05", Ok(Fen(1205))),
            ("¥0.99", Ok(Fen(99))),
            (" ￥ 3 ", Ok(Fen(300))),
            (".5", Ok(Fen(50))),
            ("", Err(MoneyParseError::Empty)),
            ("-1", Err(MoneyParseError::Negative)),
            ("1.234", Err(MoneyParseError::TooPrecise)),
            ("1e3", Err(MoneyParseError::NotANumber)),
            ("1,000", Err(MoneyParseError::NotANumber)),
            (".", Err(MoneyParseError::NotANumber)),
            ("1000000.01", Err(MoneyParseError::TooLarge)),
            ("99999999999999999", Err(MoneyParseError::TooLarge)),
        ];
        for (input, want) in cases {
            assert_eq!(Fen::parse_yuan(input), want, "input {input:?}");
        }
    }

    #[test]
    fn displays_yuan_with_two_decimals() {
        assert_eq!(Fen(1205).to_string(), "¥12.05");
        assert_eq!(Fen(-300).to_string(), "-¥3.00");
        assert_eq!(Fen(0).to_string(), "¥0.00");
    }
}
