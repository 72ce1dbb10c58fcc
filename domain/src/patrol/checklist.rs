//! The five area checklists of 《物业客服部日常巡检工作流程》 (S3 篇2, requirements §2.10), item
//! by item in the document's words. Item c of the stairwell lists six fire-safety checks in one
//! sentence; each is its own item here, so "the fire door is open" is one answer.

use serde::{Deserialize, Serialize};

/// The place types of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaType {
    /// 楼梯间
    Stairwell,
    /// 楼顶天台
    Roof,
    /// 电梯
    Lift,
    /// 大堂、门厅、走廊
    Lobby,
    /// 园区外观
    Grounds,
}

impl AreaType {
    pub const ALL: [AreaType; 5] = [
        AreaType::Stairwell,
        AreaType::Roof,
        AreaType::Lift,
        AreaType::Lobby,
        AreaType::Grounds,
    ];

    pub const fn name_zh(self) -> &'static str {
        match self {
            AreaType::Stairwell => "楼梯间",
            AreaType::Roof => "楼顶天台",
            AreaType::Lift => "电梯",
            AreaType::Lobby => "大堂、门厅、走廊",
            AreaType::Grounds => "园区外观",
        }
    }
}

/// What an 异常 answer on an item becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OnFault {
    /// A repair order; `urgent` for blocked escapes, locked roof doors and other dangers.
    Repair { urgent: bool },
    /// Not a repair: a case for customer service (illegal structures, throwing from height,
    /// noise, graffiti, hygiene).
    Case,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable within a template: `1c3` (area 1, item c, third check).
    pub code: String,
    pub text_zh: String,
    pub on_fault: OnFault,
}

fn item(code: &str, text: &str, on_fault: OnFault) -> ChecklistItem {
    ChecklistItem {
        code: code.into(),
        text_zh: text.into(),
        on_fault,
    }
}

const REPAIR: OnFault = OnFault::Repair { urgent: false };
const URGENT: OnFault = OnFault::Repair { urgent: true };
const CASE: OnFault = OnFault::Case;

/// The default template of an area, as the document lists it.
pub fn default_checklist(area: AreaType) -> Vec<ChecklistItem> {
    match area {
        AreaType::Stairwell => vec![
            item("1a", "走廊灯、楼梯灯是否正常,门、窗是否完好", REPAIR),
            item(
                "1b",
                "梯间墙面、天花有无剥落、脱漆,墙、地面瓷砖是否完整",
                REPAIR,
            ),
            item("1c1", "消防栓是否标识完好、配件齐全", URGENT),
            item("1c2", "灭火器是否过期、失效", URGENT),
            item("1c3", "防火门是否关闭", URGENT),
            item("1c4", "安全疏散指示灯是否完好", URGENT),
            item("1c5", "消防通道是否畅通", URGENT),
            item("1c6", "安全防范设施及消防报警设施是否完好", URGENT),
            item("1d", "卫生状况是否良好", CASE),
        ],
        AreaType::Roof => vec![
            item("2a", "天台门是否能随手打开(严禁上锁)", URGENT),
            item("2b1", "有无私搭乱建现象", CASE),
            item("2b2", "护栏是否完好", URGENT),
            item("2c", "卫生状况是否良好", CASE),
        ],
        AreaType::Lift => vec![
            item("3a", "电梯运行有无异常", URGENT),
            item("3b", "有无乱涂乱画、乱刻乱贴现象", CASE),
            item("3c", "卫生状况是否良好", CASE),
        ],
        AreaType::Lobby => vec![
            item("4a", "各类安全标识是否完好", REPAIR),
            item("4b", "公共照明、垃圾箱等设施是否完好", REPAIR),
            item("4c", "卫生状况是否良好", CASE),
        ],
        AreaType::Grounds => vec![
            item("5a", "室外各种管线有无渗、漏、滴、冒现象", REPAIR),
            item("5b", "室外消防设施是否配件齐全、标识完好", URGENT),
            item("5c", "游乐设施是否完好,有无安全隐患", URGENT),
            item("5d1", "有无损坏公共设施现象", REPAIR),
            item("5d2", "有无制造噪音、污染环境、高空抛物现象", CASE),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_templates_carry_every_item_of_the_document() {
        let counts: Vec<usize> = AreaType::ALL
            .iter()
            .map(|a| default_checklist(*a).len())
            .collect();
        assert_eq!(counts, vec![9, 4, 3, 3, 5]);
        let all: Vec<ChecklistItem> = AreaType::ALL
            .iter()
            .flat_map(|a| default_checklist(*a))
            .collect();
        let codes: HashSet<&str> = all.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes.len(), all.len(), "codes are unique");
        let find = |code: &str| all.iter().find(|i| i.code == code).expect(code);
        assert_eq!(find("1c3").text_zh, "防火门是否关闭");
        assert!(find("2a").text_zh.contains("严禁上锁"));
        // A locked roof door and a blocked fire escape are urgent repairs; throwing from
        // height and illegal structures are cases for customer service.
        assert_eq!(find("2a").on_fault, OnFault::Repair { urgent: true });
        assert_eq!(find("1c5").on_fault, OnFault::Repair { urgent: true });
        assert_eq!(find("5d2").on_fault, OnFault::Case);
        assert_eq!(find("2b1").on_fault, OnFault::Case);
        assert_eq!(find("1a").on_fault, OnFault::Repair { urgent: false });
    }
}
