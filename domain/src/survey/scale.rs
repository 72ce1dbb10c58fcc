//! The two scales of the documents and how the boxes a resident marked become an answer.
//!
//! - 3 levels (S0 第1/7/11篇): 满意 / 基本满意 / 不满意.
//! - 4 levels (S0 第8篇): 非常满意 / 满意 / 不太满意 / 很不满意.
//!
//! "若业户对项目未作选择或对同一项目作出两个或以上的选择则该项目作弃权处理": a blank item, or
//! two or more different boxes marked on one item, is an abstention (弃权).

use super::SurveyRefusal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 满意 / 基本满意 / 不满意
    ThreeLevel,
    /// 非常满意 / 满意 / 不太满意 / 很不满意
    FourLevel,
}

/// One box of a scale. `Satisfied` (满意) is on both scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 非常满意 (4 levels)
    VerySatisfied,
    /// 满意 (both)
    Satisfied,
    /// 基本满意 (3 levels)
    FairlySatisfied,
    /// 不太满意 (4 levels)
    NotVerySatisfied,
    /// 很不满意 (4 levels)
    VeryDissatisfied,
    /// 不满意 (3 levels)
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 6] = [
        Rating::VerySatisfied,
        Rating::Satisfied,
        Rating::FairlySatisfied,
        Rating::NotVerySatisfied,
        Rating::VeryDissatisfied,
        Rating::Dissatisfied,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "very_satisfied",
            Rating::Satisfied => "satisfied",
            Rating::FairlySatisfied => "fairly_satisfied",
            Rating::NotVerySatisfied => "not_very_satisfied",
            Rating::VeryDissatisfied => "very_dissatisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    /// The documents' words.
    pub const fn zh(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "非常满意",
            Rating::Satisfied => "满意",
            Rating::FairlySatisfied => "基本满意",
            Rating::NotVerySatisfied => "不太满意",
            Rating::VeryDissatisfied => "很不满意",
            Rating::Dissatisfied => "不满意",
        }
    }

    /// Counts towards the satisfaction rate: 满意 + 基本满意 (3 levels), 非常满意 + 满意 (4).
    pub const fn is_satisfied(self) -> bool {
        matches!(
            self,
            Rating::VerySatisfied | Rating::Satisfied | Rating::FairlySatisfied
        )
    }

    /// Counts as dissatisfaction (Pareto, return visits): 不满意, 不太满意, 很不满意.
    pub const fn is_dissatisfied(self) -> bool {
        !self.is_satisfied()
    }
}

impl Scale {
    /// The boxes of the scale, best first, as printed on the questionnaire.
    pub const fn ratings(self) -> &'static [Rating] {
        match self {
            Scale::ThreeLevel => &[
                Rating::Satisfied,
                Rating::FairlySatisfied,
                Rating::Dissatisfied,
            ],
            Scale::FourLevel => &[
                Rating::VerySatisfied,
                Rating::Satisfied,
                Rating::NotVerySatisfied,
                Rating::VeryDissatisfied,
            ],
        }
    }

    pub fn has(self, r: Rating) -> bool {
        self.ratings().contains(&r)
    }

    pub const fn code(self) -> &'static str {
        match self {
            Scale::ThreeLevel => "three_level",
            Scale::FourLevel => "four_level",
        }
    }

    pub fn parse(s: &str) -> Option<Scale> {
        [Scale::ThreeLevel, Scale::FourLevel]
            .into_iter()
            .find(|x| x.code() == s)
    }
}

/// The answer to one item: `Some(rating)`, or `None` for an abstention (弃权).
pub type Answer = Option<Rating>;

/// Reads the boxes marked on one item (as the desk typed them): every box must be on the
/// scale (else the whole questionnaire is refused, nothing is stored); none, or two or more
/// different boxes, is an abstention; the same box given twice is one box.
pub fn read_marks(scale: Scale, item: &str, marks: &[String]) -> Result<Answer, SurveyRefusal> {
    let mut chosen: Vec<Rating> = Vec::with_capacity(marks.len());
    for m in marks {
        let r = Rating::parse(m).filter(|r| scale.has(*r)).ok_or_else(|| {
            SurveyRefusal::RatingOffScale {
                item: item.to_owned(),
                rating: m.clone(),
            }
        })?;
        if !chosen.contains(&r) {
            chosen.push(r);
        }
    }
    Ok(match chosen.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}
