//! Realistic repair requests as a front desk or a technician enters them: Chinese content of
//! 60–70 characters naming the flat, a reporter's name and mobile number, a unit of the site,
//! immediate or appointment timing. Serialized mutations come out at 700–800 bytes.
//! Deterministic (xorshift) so two runs push the same shapes.

use chrono::{DateTime, Duration, Utc};
use domain::ids::{DeviceId, MutationId, SiteId, UnitId};
use domain::sync::wire::{Command, Mutation};
use domain::work_orders::{
    Channel, NewRepairRequest, RepairKind, TextField, Timing, WorkOrderCommand,
};
use std::sync::Arc;
use uuid::Uuid;

/// A flat of the site and how people name it ("3栋2单元1502").
pub struct Unit {
    pub id: Uuid,
    pub label: String,
}

const CONTENTS: &[&str] = &[
    "{u}业主来电：卫生间洗手盆下方水管接头渗水，地面已有积水，担心渗到楼下，请尽快安排师傅上门更换密封圈。业主白天不在家，入户前请先电话联系。",
    "{u}厨房水槽下水道堵塞，排水很慢并有异味，业主用过疏通剂没有效果，希望今天下午安排上门疏通，如需更换下水管请先报价确认。",
    "{u}客厅吊顶一盏筒灯不亮，换过灯泡仍不亮，怀疑线路或开关故障；入户门反锁时也有卡顿，请一并检查。家中只有老人，上门请出示工作证。",
    "{u}主卧空调外机运行时噪音大并有明显震动，业主担心支架松动有坠落隐患，请工程部派人检查外机支架，必要时联系专业供应商处理。",
    "{u}阳台地漏返水，下雨时积水约两厘米，已影响客厅木地板，请尽快上门检查地漏及排水立管是否堵塞，并告知业主处理结果和费用。",
    "{u}可视对讲室内机无法开门，访客按铃后室内机有声音但按开锁键没有反应，业主今晚有客人来访，希望尽快修复，如需更换请先确认价格。",
    "{u}卫生间马桶水箱一直漏水，近两个月水费明显增加，业主已关闭角阀止水，请安排上门更换进水阀和排水阀配件，业主周末全天在家。",
    "{u}次卧外墙一侧墙面出现裂缝并有渗水痕迹，墙纸起鼓发霉，房屋仍在保修期内，业主要求保修单位派人查看并给出维修方案，请客服跟进回访。",
];

const NAMES: &[&str] = &[
    "张先生",
    "李女士",
    "王阿姨",
    "陈师傅",
    "刘先生",
    "赵女士",
    "黄先生",
    "周阿姨",
    "吴女士",
    "孙先生",
];
const LOCATIONS: &[&str] = &["", "", "主卫", "厨房", "客厅", "阳台"];

/// A small deterministic generator (xorshift64*).
pub struct Gen {
    state: u64,
    site: Uuid,
    units: Arc<Vec<Unit>>,
}

impl Gen {
    pub fn new(seed: u64, site: Uuid, units: Arc<Vec<Unit>>) -> Gen {
        Gen {
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            site,
            units,
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A new repair request for a random flat of the site.
    pub fn new_request(&mut self, now: DateTime<Utc>) -> NewRepairRequest {
        let pick = self.below(self.units.len());
        let (unit_id, label) = match self.units.get(pick) {
            Some(u) => (u.id, u.label.clone()),
            None => (Uuid::nil(), String::new()),
        };
        let content = CONTENTS[self.below(CONTENTS.len())].replace("{u}", &label);
        let phone = format!("13{}{:08}", 5 + self.below(5), self.next() % 100_000_000);
        let timing = if self.below(3) == 0 {
            Timing::Appointment {
                at: now + Duration::hours(2 + self.below(70) as i64),
            }
        } else {
            Timing::Immediate
        };
        NewRepairRequest {
            site_id: SiteId(self.site),
            unit_id: Some(UnitId(unit_id)),
            common_area: false,
            location: LOCATIONS[self.below(LOCATIONS.len())].to_owned(),
            channel: [
                Channel::Phone,
                Channel::Phone,
                Channel::WalkIn,
                Channel::Written,
            ][self.below(4)],
            kind: [
                RepairKind::Daily,
                RepairKind::Daily,
                RepairKind::Daily,
                RepairKind::Urgent,
            ][self.below(4)],
            reporter_name: NAMES[self.below(NAMES.len())].to_owned(),
            reporter_phone: phone,
            content,
            timing,
            photos: Vec::new(),
            contacted_at: None,
            matched: Default::default(),
            leak: false,
            second_repair_reported: false,
            patrol_source: None,
        }
    }
}

/// One mutation of a device's outbox, in its wire form.
pub struct Queued {
    pub mutation: Mutation,
    pub json: String,
}

pub fn create(
    device: Uuid,
    seq: u64,
    occurred_at: DateTime<Utc>,
    new: NewRepairRequest,
) -> anyhow::Result<Queued> {
    mutation(
        device,
        seq,
        Uuid::now_v7(),
        None,
        occurred_at,
        WorkOrderCommand::Create(new),
    )
}

/// A text correction of an order the device created (`base` = the text it saw).
pub fn edit_text(field: TextField, base: &str, value: String) -> WorkOrderCommand {
    WorkOrderCommand::EditText {
        field,
        base: base.to_owned(),
        value,
    }
}

pub fn mutation(
    device: Uuid,
    seq: u64,
    entity: Uuid,
    base_version: Option<i64>,
    occurred_at: DateTime<Utc>,
    cmd: WorkOrderCommand,
) -> anyhow::Result<Queued> {
    let mutation = Mutation {
        mutation_id: MutationId(Uuid::now_v7()),
        device_id: DeviceId(device),
        seq,
        entity_id: entity,
        base_version,
        occurred_at,
        command: Command::WorkOrder(cmd),
    };
    let json = serde_json::to_string(&mutation)?;
    Ok(Queued { mutation, json })
}

/// The `mutations` array of a push request, serialized once.
pub fn batch_json(items: &[Queued]) -> String {
    let mut s = String::with_capacity(items.iter().map(|q| q.json.len() + 1).sum::<usize>() + 2);
    s.push('[');
    for (i, q) in items.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&q.json);
    }
    s.push(']');
    s
}
