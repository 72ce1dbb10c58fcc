//! Every number of the 问卷结果统计表, by the documents' formulas (requirements §2.9, §5.3
//! rule 29). Pure: the caller passes the counts and the returned questionnaires.
//!
//! Readings chosen where the text leaves room (each is tested in `tests.rs`):
//! - **3 levels** (S0 第1/7/11篇): 满意率 = (满意 + 基本满意) / (满意 + 基本满意 + 不满意),
//!   abstentions left out. Per item over that item's answers; the overall rate pools the
//!   answers of all items (the document's counts are "满意数", answers, not questionnaires).
//! - **Penalty**: below 60 % returned, the overall rate loses 5 percentage points per point of
//!   shortfall, fractions in proportion, never below 0 %. Computed exactly, rounded once.
//!   Item rates are shown as counted (the penalty is on the survey's 满意率).
//! - **4 levels** (S0 第8篇): 整体满意率 = satisfied questionnaires ÷ returned, where a
//!   questionnaire is satisfied when it rated at least one item and rated none 不太满意 or
//!   很不满意; 分项满意率 = questionnaires rating the item 非常满意 or 满意 ÷ returned
//!   (第8篇 has no abstention rule, so a blank item stays in the base).
//! - **Pareto** (关键的少数): items with dissatisfied answers, most first (ties keep the
//!   questionnaire's order); an item is a 主要改进项目 when the cumulative share up to and
//!   including it is ≤ 80 % (exactly 80 % counts), and the first item always is (a single
//!   dominant item is the main improvement even though it alone passes 80 %). The item that
//!   crosses 80 % is not one.
//! - Targets are inclusive ("90%(含)以上"). Rates are exact fractions; per mille is rounded half
//!   up for display only, and every comparison uses the exact fraction.

use super::items::SurveyItem;
use super::policy::SurveyPolicy;
use super::scale::{Answer, Rating, Scale};
use serde::{Deserialize, Serialize};

/// A counted rate: `num / den`, with its per mille (rounded half up) for display; `None` when
/// nothing was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub num: u32,
    pub den: u32,
    pub permille: Option<u32>,
}

impl Rate {
    pub fn new(num: u32, den: u32) -> Rate {
        Rate {
            num,
            den,
            permille: permille(num as i128, den as i128),
        }
    }

    /// `num / den ≥ target ‰`, exactly.
    pub fn reaches(&self, target_permille: u32) -> Option<bool> {
        (self.den > 0).then(|| self.num as u64 * 1000 >= target_permille as u64 * self.den as u64)
    }
}

/// `num / den` in per mille, half up; `None` for an empty base. Negative values are clamped
/// to 0.
fn permille(num: i128, den: i128) -> Option<u32> {
    if den <= 0 {
        return None;
    }
    let num = num.max(0);
    Some(((num * 2000 + den) / (2 * den)) as u32)
}

/// One returned questionnaire: the answer to each item (an item left out is an abstention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub answers: Vec<ItemAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAnswer {
    pub item: String,
    /// `None`: abstained (blank, or two or more boxes).
    pub rating: Answer,
}

impl Questionnaire {
    pub fn answer(&self, item: &str) -> Answer {
        self.answers
            .iter()
            .find(|a| a.item == item)
            .and_then(|a| a.rating)
    }

    /// Items rated dissatisfied (不满意 / 不太满意 / 很不满意), in the given item order: the
    /// subject of the household's return visit.
    pub fn dissatisfied_items<'a>(&self, items: &'a [SurveyItem]) -> Vec<&'a SurveyItem> {
        items
            .iter()
            .filter(|i| self.answer(&i.code).is_some_and(Rating::is_dissatisfied))
            .collect()
    }

    /// 第8篇's "满意问卷": rated something, and nothing dissatisfied.
    pub fn is_satisfied(&self) -> bool {
        let rated: Vec<Rating> = self.answers.iter().filter_map(|a| a.rating).collect();
        !rated.is_empty() && rated.iter().all(|r| r.is_satisfied())
    }
}

/// Occupied households and hand-outs of one entrance (单元) of a building.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntranceCount {
    pub building: String,
    pub entrance: String,
    pub occupied: u32,
    pub handed_out: u32,
}

impl EntranceCount {
    /// `5栋1单元`
    pub fn label(&self) -> String {
        format!("{}栋{}单元", self.building, self.entrance)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingCount {
    pub rating: Rating,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// One count per box of the scale, best first.
    pub counts: Vec<RatingCount>,
    /// 弃权: blank or several boxes.
    pub abstained: u32,
    pub satisfied: u32,
    pub dissatisfied: u32,
    /// The item's 满意率 (see the module doc for its base on each scale).
    pub rate: Rate,
    /// Against the target when the policy sets one per item (第8篇), else `None`.
    pub met: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParetoRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub dissatisfied: u32,
    /// Share of all dissatisfied answers, ‰.
    pub share_permille: u32,
    /// Cumulative share up to and including this item, ‰.
    pub cumulative_permille: u32,
    /// 主要改进项目.
    pub main: bool,
}

/// The return-rate penalty as applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyResult {
    /// Percentage points below the threshold, ×10 (55 % returned → 50 = 5.0 points).
    pub shortfall_permille: u32,
    /// Percentage points taken off the satisfaction rate, ×10 (250 = 25.0 points).
    pub cut_permille: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub scale: Scale,
    pub occupied_households: u32,
    /// Handed out of occupied households, against `handout_target_permille`.
    pub handout: Rate,
    pub handout_target_permille: u32,
    pub handout_met: bool,
    /// Entrances (单元) with occupied households.
    pub entrances: u32,
    /// Entrances with occupied households and no questionnaire (`5栋1单元`).
    pub entrances_missed: Vec<String>,
    /// "每个单元必须发到" when the policy asks for it, else `None`.
    pub coverage_met: Option<bool>,
    /// Returned of handed out.
    pub returns: Rate,
    pub return_target_permille: u32,
    pub return_met: Option<bool>,
    pub items: Vec<ItemResult>,
    /// The satisfaction rate as counted, before any penalty.
    pub overall: Rate,
    pub penalty: Option<PenaltyResult>,
    /// The satisfaction rate after the penalty (= `overall` without one), ‰.
    pub final_permille: Option<u32>,
    pub target_permille: u32,
    pub overall_met: Option<bool>,
    pub pareto: Vec<ParetoRow>,
    pub dissatisfied_answers: u32,
    pub abstentions: u32,
    /// Returned questionnaires with at least one dissatisfied answer (each gets a return visit).
    pub dissatisfied_households: u32,
}

/// The survey's numbers.
pub fn compute(
    policy: &SurveyPolicy,
    items: &[SurveyItem],
    occupied_households: u32,
    entrances: &[EntranceCount],
    handed_out: u32,
    returned: &[Questionnaire],
) -> SurveyResults {
    let scale = policy.scale;
    let n_returned = returned.len() as u32;

    let handout = Rate::new(handed_out, occupied_households);
    let handout_met = handout
        .reaches(policy.handout_target_permille)
        .unwrap_or(false);
    let occupied_entrances: Vec<&EntranceCount> =
        entrances.iter().filter(|e| e.occupied > 0).collect();
    let entrances_missed: Vec<String> = occupied_entrances
        .iter()
        .filter(|e| e.handed_out == 0)
        .map(|e| e.label())
        .collect();
    let coverage_met = policy.every_entrance.then_some(entrances_missed.is_empty());

    let returns = Rate::new(n_returned, handed_out);
    let return_met = returns.reaches(policy.return_target_permille);

    let mut item_results = Vec::with_capacity(items.len());
    let (mut pooled_sat, mut pooled_dis, mut abstentions) = (0u32, 0u32, 0u32);
    for item in items {
        let mut counts: Vec<RatingCount> = scale
            .ratings()
            .iter()
            .map(|r| RatingCount {
                rating: *r,
                count: 0,
            })
            .collect();
        let mut abstained = 0;
        for q in returned {
            match q.answer(&item.code) {
                Some(r) => {
                    if let Some(c) = counts.iter_mut().find(|c| c.rating == r) {
                        c.count += 1;
                    }
                }
                None => abstained += 1,
            }
        }
        let satisfied: u32 = counts
            .iter()
            .filter(|c| c.rating.is_satisfied())
            .map(|c| c.count)
            .sum();
        let dissatisfied: u32 = counts
            .iter()
            .filter(|c| c.rating.is_dissatisfied())
            .map(|c| c.count)
            .sum();
        let rate = match scale {
            Scale::ThreeLevel => Rate::new(satisfied, satisfied + dissatisfied),
            Scale::FourLevel => Rate::new(satisfied, n_returned),
        };
        pooled_sat += satisfied;
        pooled_dis += dissatisfied;
        abstentions += abstained;
        item_results.push(ItemResult {
            code: item.code.clone(),
            name_zh: item.name_zh.clone(),
            name_en: item.name_en.clone(),
            counts,
            abstained,
            satisfied,
            dissatisfied,
            met: if policy.item_target {
                rate.reaches(policy.target_permille)
            } else {
                None
            },
            rate,
        });
    }

    let overall = match scale {
        Scale::ThreeLevel => Rate::new(pooled_sat, pooled_sat + pooled_dis),
        Scale::FourLevel => Rate::new(
            returned.iter().filter(|q| q.is_satisfied()).count() as u32,
            n_returned,
        ),
    };

    // The penalty, exactly: s/t − k·(b/1000 − r/h) = (1000·s·h − k·b·t·h + 1000·k·r·t) / (1000·t·h).
    let (s, t) = (overall.num as i128, overall.den as i128);
    let (r, h) = (n_returned as i128, handed_out as i128);
    let short = policy
        .penalty
        .filter(|p| h > 0 && r * 1000 < p.below_permille as i128 * h);
    let (penalty, final_num, final_den) = match short {
        Some(p) if t > 0 => {
            let (b, k) = (p.below_permille as i128, p.points_per_point as i128);
            let num = 1000 * s * h - k * b * t * h + 1000 * k * r * t;
            let den = 1000 * t * h;
            let shortfall = (b * h - 1000 * r, h);
            (
                Some(PenaltyResult {
                    shortfall_permille: permille(shortfall.0, 1000 * shortfall.1).unwrap_or(0),
                    cut_permille: permille(k * shortfall.0, 1000 * shortfall.1).unwrap_or(0),
                }),
                num.max(0),
                den,
            )
        }
        _ => (None, s, t),
    };
    let final_permille = permille(final_num, final_den);
    let overall_met =
        (final_den > 0).then(|| final_num * 1000 >= policy.target_permille as i128 * final_den);

    let pareto = pareto(&item_results, policy.pareto_cut_permille);
    let dissatisfied_households = returned
        .iter()
        .filter(|q| {
            q.answers
                .iter()
                .any(|a| a.rating.is_some_and(Rating::is_dissatisfied))
        })
        .count() as u32;

    SurveyResults {
        scale,
        occupied_households,
        handout,
        handout_target_permille: policy.handout_target_permille,
        handout_met,
        entrances: occupied_entrances.len() as u32,
        entrances_missed,
        coverage_met,
        returns,
        return_target_permille: policy.return_target_permille,
        return_met,
        items: item_results,
        overall,
        penalty,
        final_permille,
        target_permille: policy.target_permille,
        overall_met,
        pareto,
        dissatisfied_answers: pooled_dis,
        abstentions,
        dissatisfied_households,
    }
}

/// 关键的少数: see the module doc for the cut.
pub fn pareto(items: &[ItemResult], cut_permille: u32) -> Vec<ParetoRow> {
    let mut rows: Vec<&ItemResult> = items.iter().filter(|i| i.dissatisfied > 0).collect();
    // Stable: equal counts keep the questionnaire's order.
    rows.sort_by_key(|i| std::cmp::Reverse(i.dissatisfied));
    let total: u64 = rows.iter().map(|i| i.dissatisfied as u64).sum();
    let mut cumulative = 0u64;
    rows.into_iter()
        .enumerate()
        .map(|(i, item)| {
            cumulative += item.dissatisfied as u64;
            ParetoRow {
                code: item.code.clone(),
                name_zh: item.name_zh.clone(),
                name_en: item.name_en.clone(),
                dissatisfied: item.dissatisfied,
                share_permille: permille(item.dissatisfied as i128, total as i128).unwrap_or(0),
                cumulative_permille: permille(cumulative as i128, total as i128).unwrap_or(0),
                main: i == 0 || cumulative * 1000 <= cut_permille as u64 * total,
            }
        })
        .collect()
}
