//! The items of a questionnaire. The default set is the service topics residents are asked
//! about in S0 第1/7篇 (访问内容 1–10, requirements §2.8) that can be rated: topic 8 (the
//! household's special difficulties and needs) is a question, not a service, and goes into the
//! free-text suggestions instead.

use super::SurveyRefusal;
use serde::{Deserialize, Serialize};

/// One rated line of the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyItem {
    /// Stable key of the item within its survey (`security`, `repairs`, …).
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// (code, Chinese, English) of the default items, in the documents' order.
pub const DEFAULT_ITEMS: [(&str, &str, &str); 9] = [
    (
        "security",
        "保安工作及保安员服务态度",
        "Security and guards' attitude",
    ),
    (
        "cleaning",
        "保洁工作及保洁员服务态度",
        "Cleaning and cleaners' attitude",
    ),
    (
        "greening",
        "绿化工作及绿化员服务态度",
        "Greening and gardeners' attitude",
    ),
    (
        "repairs",
        "维修人员技能、服务态度及维修及时性",
        "Technicians' skill, attitude and timeliness",
    ),
    (
        "leisure",
        "休闲物品及儿童游乐设施",
        "Leisure items and children's play facilities",
    ),
    (
        "management",
        "管理人员服务态度及协调处理",
        "Management staff's attitude and coordination",
    ),
    ("convenience", "便民服务", "Convenience services"),
    ("culture", "社区文化建设", "Community culture"),
    ("other", "其他", "Other"),
];

pub fn default_items() -> Vec<SurveyItem> {
    DEFAULT_ITEMS
        .iter()
        .map(|(code, zh, en)| SurveyItem {
            code: (*code).to_owned(),
            name_zh: (*zh).to_owned(),
            name_en: (*en).to_owned(),
        })
        .collect()
}

pub const MAX_ITEMS: usize = 30;
pub const MAX_NAME_CHARS: usize = 60;

fn invalid(field: &'static str, reason: &'static str) -> SurveyRefusal {
    SurveyRefusal::Invalid { field, reason }
}

/// Checks a survey's own item list: 1–30 items, codes `[a-z0-9_]{1,32}` and unique, names
/// present; an English name left out takes the Chinese one.
pub fn parse_items(items: Vec<SurveyItem>) -> Result<Vec<SurveyItem>, SurveyRefusal> {
    if items.is_empty() {
        return Err(invalid("items", "at least one item"));
    }
    if items.len() > MAX_ITEMS {
        return Err(invalid("items", "at most 30 items"));
    }
    let mut out: Vec<SurveyItem> = Vec::with_capacity(items.len());
    for i in items {
        let code = i.code.trim().to_owned();
        let ok = (1..=32).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(invalid("items.code", "letters a-z, digits and _ only"));
        }
        if out.iter().any(|o| o.code == code) {
            return Err(SurveyRefusal::DuplicateItem(code));
        }
        let zh = i.name_zh.trim().to_owned();
        if zh.is_empty() || zh.chars().count() > MAX_NAME_CHARS {
            return Err(invalid("items.name_zh", "1 to 60 characters"));
        }
        let en = i.name_en.trim();
        let en = if en.is_empty() {
            zh.clone()
        } else {
            en.to_owned()
        };
        if en.chars().count() > MAX_NAME_CHARS {
            return Err(invalid("items.name_en", "at most 60 characters"));
        }
        out.push(SurveyItem {
            code,
            name_zh: zh,
            name_en: en,
        });
    }
    Ok(out)
}
