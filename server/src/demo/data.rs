//! Demo seed data: the in-house home repair catalogue and the professional
//! supplier referral list, plus name, phone-prefix and region-code pools for
//! generating plausible residents of a Hangzhou compound.
//!
//! Sources: `shared/spec/requirements.md` §3.1 《管理处家庭维修服务项目一览表》
//! (43 items in 3 categories) and §3.2 《专业供应商名单和维修服务项目一览表》
//! (32 items), both taken from seed S0 (第4篇 and 第12篇). The source gives no
//! prices; `default_price_fen` values are illustrative labour prices for 2026.
//! The source typo 吸柜灯具 is corrected to 吸顶灯具 (E06).

/// Unit a catalogue item's standard time is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// The time is for one job.
    PerJob,
    /// The time is for one metre (conduit, surface wiring).
    PerMetre,
    /// The time is for one bicycle.
    PerBike,
}

/// One line of 《管理处家庭维修服务项目一览表》 (requirements §3.1).
#[derive(Debug, Clone, Copy)]
pub struct CatalogueSeed {
    /// One of `"electrical"`, `"plumbing"`, `"carpentry"`.
    pub category: &'static str,
    /// `"供电类"`, `"给排水类"` or `"土木、其它类"`.
    pub category_zh: &'static str,
    /// `"E01"`..`"E20"`, `"W01"`..`"W09"`, `"C01"`..`"C14"`.
    pub code: &'static str,
    /// Item text as in the source (服务项目).
    pub name_zh: &'static str,
    /// English name as in the spec table.
    pub name_en: &'static str,
    /// Standard time (维修时限) for one unit under ideal conditions; a
    /// planning reference, not a hard SLA. `None` where the source gives no
    /// time or says 视维修部位定.
    pub std_minutes: Option<u16>,
    /// Unit the standard time is counted in.
    pub time_unit: TimeUnit,
    /// 备注 column, `""` when empty.
    pub remarks_zh: &'static str,
    /// The resident must be told of a disclaimer before the job (W04 only).
    pub requires_disclaimer: bool,
    /// Default labour price in fen (illustrative; not in the source).
    pub default_price_fen: i64,
}

/// The in-house home repair catalogue, in source order.
pub const CATALOGUE: [CatalogueSeed; 43] = [
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E01",
        name_zh: "更换各类普通灯泡",
        name_en: "Replace ordinary light bulbs",
        std_minutes: Some(10),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E02",
        name_zh: "更换各类普通节能灯管",
        name_en: "Replace ordinary energy-saving tubes",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1500,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E03",
        name_zh: "更换各类普通日光灯管",
        name_en: "Replace ordinary fluorescent tubes",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1500,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E04",
        name_zh: "更换各普通日光灯支架",
        name_en: "Replace fluorescent fitting/bracket",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E05",
        name_zh: "更换各种普通型灯罩",
        name_en: "Replace ordinary lampshades",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1500,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E06",
        name_zh: "更换各种吸顶灯具",
        name_en: "Replace ceiling-mounted lamps",
        std_minutes: Some(25),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E07",
        name_zh: "更换各种壁灯灯具",
        name_en: "Replace wall lamps",
        std_minutes: Some(25),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E08",
        name_zh: "更换吊灯灯具",
        name_en: "Replace pendant lamps",
        std_minutes: Some(25),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "大型吊灯除外",
        requires_disclaimer: false,
        default_price_fen: 4000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E09",
        name_zh: "更换各类开关、插座面板",
        name_en: "Replace switch/socket face plates",
        std_minutes: Some(20),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1500,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E10",
        name_zh: "更换单极、双极断路器",
        name_en: "Replace single/double-pole breaker",
        std_minutes: Some(20),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2500,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E11",
        name_zh: "更换单相排风扇",
        name_en: "Replace single-phase exhaust fan",
        std_minutes: Some(30),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 4000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E12",
        name_zh: "检查断路器跳闸故障",
        name_en: "Diagnose breaker tripping",
        std_minutes: None,
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E13",
        name_zh: "检查线路接地、漏电故障",
        name_en: "Diagnose earth fault / current leakage",
        std_minutes: None,
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E14",
        name_zh: "照明光管盘移位",
        name_en: "Relocate lighting tube panel",
        std_minutes: Some(40),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 5000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E15",
        name_zh: "更换光管盘",
        name_en: "Replace tube panel",
        std_minutes: Some(60),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 5000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E16",
        name_zh: "更换阻燃导线管",
        name_en: "Replace flame-retardant conduit",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerMetre,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1500,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E17",
        name_zh: "安装普通日光灯管、架",
        name_en: "Install fluorescent tube and fitting",
        std_minutes: Some(30),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E18",
        name_zh: "安装开关、插座",
        name_en: "Install switch/socket",
        std_minutes: Some(20),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2500,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E19",
        name_zh: "安装小型配电箱",
        name_en: "Install small distribution box",
        std_minutes: Some(40),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 8000,
    },
    CatalogueSeed {
        category: "electrical",
        category_zh: "供电类",
        code: "E20",
        name_zh: "安装明敷线路",
        name_en: "Install surface-mounted wiring",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerMetre,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W01",
        name_zh: "更换普通水龙头",
        name_en: "Replace ordinary tap",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W02",
        name_zh: "更换小闸阀",
        name_en: "Replace small gate valve",
        std_minutes: Some(30),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 4000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W03",
        name_zh: "更换用户水表",
        name_en: "Replace household water meter",
        std_minutes: Some(60),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 5000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W04",
        name_zh: "清洗用户水表",
        name_en: "Clean household water meter",
        std_minutes: Some(60),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "需声明若出现度量不准确与此清洗无关",
        requires_disclaimer: true,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W05",
        name_zh: "维修马桶漏水",
        name_en: "Fix leaking toilet",
        std_minutes: Some(60),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 6000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W06",
        name_zh: "维修普通洗手盆漏水",
        name_en: "Fix leaking washbasin",
        std_minutes: Some(30),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 4000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W07",
        name_zh: "更换给水软管",
        name_en: "Replace water supply hose",
        std_minutes: Some(30),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W08",
        name_zh: "更换洗手盆下水管",
        name_en: "Replace basin drain pipe",
        std_minutes: Some(30),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "plumbing",
        category_zh: "给排水类",
        code: "W09",
        name_zh: "疏通下水道",
        name_en: "Unblock drain",
        std_minutes: Some(120),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "指难度不大的",
        requires_disclaimer: false,
        default_price_fen: 8000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C01",
        name_zh: "更换普通木门锁",
        name_en: "Replace ordinary wooden-door lock",
        std_minutes: Some(20),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 4000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C02",
        name_zh: "更换普通防盗门锁",
        name_en: "Replace ordinary security-door lock",
        std_minutes: Some(20),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "非焊接",
        requires_disclaimer: false,
        default_price_fen: 6000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C03",
        name_zh: "更换信箱锁",
        name_en: "Replace mailbox lock",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C04",
        name_zh: "更换抽屉锁",
        name_en: "Replace drawer lock",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C05",
        name_zh: "更换拧手锁",
        name_en: "Replace knob lock",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C06",
        name_zh: "更换门闩锁",
        name_en: "Replace latch/bolt lock",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C07",
        name_zh: "维修室内门窗",
        name_en: "Repair indoor doors/windows",
        std_minutes: Some(25),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "指简单的维修",
        requires_disclaimer: false,
        default_price_fen: 4000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C08",
        name_zh: "维修抽屉拉手",
        name_en: "Repair drawer handle",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1500,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C09",
        name_zh: "维修厨柜",
        name_en: "Repair kitchen cabinet",
        std_minutes: None,
        time_unit: TimeUnit::PerJob,
        remarks_zh: "指小的维修",
        requires_disclaimer: false,
        default_price_fen: 5000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C10",
        name_zh: "安装普通字画",
        name_en: "Hang ordinary picture/calligraphy",
        std_minutes: Some(20),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C11",
        name_zh: "安装普通镜框",
        name_en: "Hang ordinary mirror/frame",
        std_minutes: Some(20),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 2000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C12",
        name_zh: "挂窗帘",
        name_en: "Hang curtains",
        std_minutes: Some(40),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 4000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C13",
        name_zh: "钻胶塞孔",
        name_en: "Drill holes for wall plugs",
        std_minutes: Some(15),
        time_unit: TimeUnit::PerJob,
        remarks_zh: "",
        requires_disclaimer: false,
        default_price_fen: 1000,
    },
    CatalogueSeed {
        category: "carpentry",
        category_zh: "土木、其它类",
        code: "C14",
        name_zh: "维修单车",
        name_en: "Repair bicycle",
        std_minutes: Some(50),
        time_unit: TimeUnit::PerBike,
        remarks_zh: "指比较简易的",
        requires_disclaimer: false,
        default_price_fen: 3000,
    },
];

/// 说明 column of the supplier list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralReason {
    /// 专业技术要求高: needs high professional skill.
    HighSkill,
    /// 行业专项管理: regulated by a specific industry authority.
    Regulated,
}

/// One line of 《专业供应商名单和维修服务项目一览表》 (requirements §3.2).
#[derive(Debug, Clone, Copy)]
pub struct SupplierSeed {
    /// `"S01"`..`"S32"`.
    pub code: &'static str,
    /// Item text as in the source (维修项目).
    pub name_zh: &'static str,
    /// English name as in the spec table.
    pub name_en: &'static str,
    /// 说明 column.
    pub reason: ReferralReason,
    /// 备注 supplier hint; the source prints it only on the first row of a
    /// merged group, so it is repeated on every row of that group here.
    pub supplier_hint_zh: &'static str,
    /// Short Chinese group name.
    pub group_zh: &'static str,
}

/// The professional supplier referral list, in source order.
pub const SUPPLIERS: [SupplierSeed; 32] = [
    SupplierSeed {
        code: "S01",
        name_zh: "室外安装空调机",
        name_en: "Install outdoor air-con unit",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "海尔代理公司",
        group_zh: "空调",
    },
    SupplierSeed {
        code: "S02",
        name_zh: "室外空调机加雪种",
        name_en: "Recharge outdoor A/C refrigerant",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "海尔代理公司",
        group_zh: "空调",
    },
    SupplierSeed {
        code: "S03",
        name_zh: "维修空调机",
        name_en: "Repair air-conditioner",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "海尔代理公司",
        group_zh: "空调",
    },
    SupplierSeed {
        code: "S04",
        name_zh: "安装单相电度表",
        name_en: "Install single-phase electricity meter",
        reason: ReferralReason::Regulated,
        supplier_hint_zh: "当地供电所",
        group_zh: "电表",
    },
    SupplierSeed {
        code: "S05",
        name_zh: "安装、维修贵重、大型家电",
        name_en: "Install or repair valuable or large appliances",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "海尔代理公司",
        group_zh: "家电",
    },
    SupplierSeed {
        code: "S06",
        name_zh: "更换、维修大型豪华灯具",
        name_en: "Replace or repair large luxury lamps",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "",
        group_zh: "灯具",
    },
    SupplierSeed {
        code: "S07",
        name_zh: "安装、维修进户大门",
        name_en: "Install or repair entrance door",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找在社区周边信誉较好的维修点或个人",
        group_zh: "门窗家私",
    },
    SupplierSeed {
        code: "S08",
        name_zh: "维修复杂的大门锁",
        name_en: "Repair complex door lock",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找在社区周边信誉较好的维修点或个人",
        group_zh: "门窗家私",
    },
    SupplierSeed {
        code: "S09",
        name_zh: "更换、维修高层外窗合页",
        name_en: "Replace or repair high-rise exterior window hinges",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找在社区周边信誉较好的维修点或个人",
        group_zh: "门窗家私",
    },
    SupplierSeed {
        code: "S10",
        name_zh: "维修衣柜等家私",
        name_en: "Repair wardrobes and other furniture",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找在社区周边信誉较好的维修点或个人",
        group_zh: "门窗家私",
    },
    SupplierSeed {
        code: "S11",
        name_zh: "安装、维修铝合金门窗",
        name_en: "Install or repair aluminium doors/windows",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找在社区周边信誉较好的维修点或个人",
        group_zh: "门窗家私",
    },
    SupplierSeed {
        code: "S12",
        name_zh: "安装贵重字画、镜框",
        name_en: "Hang valuable pictures or mirrors",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找在社区周边信誉较好的维修点或个人",
        group_zh: "门窗家私",
    },
    SupplierSeed {
        code: "S13",
        name_zh: "外墙、厨卫做防水",
        name_en: "Waterproofing of exterior wall, kitchen, bathroom",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找防水、装饰公司",
        group_zh: "防水及厨卫",
    },
    SupplierSeed {
        code: "S14",
        name_zh: "安装普通洗手盆",
        name_en: "Install ordinary washbasin",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找防水、装饰公司",
        group_zh: "防水及厨卫",
    },
    SupplierSeed {
        code: "S15",
        name_zh: "安装普通马桶",
        name_en: "Install ordinary toilet",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找防水、装饰公司",
        group_zh: "防水及厨卫",
    },
    SupplierSeed {
        code: "S16",
        name_zh: "疏通下水道",
        name_en: "Unblock drains",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找防水、装饰公司",
        group_zh: "防水及厨卫",
    },
    SupplierSeed {
        code: "S17",
        name_zh: "安装窗户玻璃",
        name_en: "Install window glass",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找防水、装饰公司",
        group_zh: "防水及厨卫",
    },
    SupplierSeed {
        code: "S18",
        name_zh: "修补室内墙面、瓷砖、刷涂料",
        name_en: "Patch indoor walls or tiles, paint",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找防水、装饰公司",
        group_zh: "防水及厨卫",
    },
    SupplierSeed {
        code: "S19",
        name_zh: "维修室内可视对讲机",
        name_en: "Repair indoor video intercom",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找防水、装饰公司",
        group_zh: "防水及厨卫",
    },
    SupplierSeed {
        code: "S20",
        name_zh: "维修电视机、音响、vcd、dvd等",
        name_en: "Repair TV, audio, VCD, DVD, etc.",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "找有资质的服务维修网点",
        group_zh: "影音",
    },
    SupplierSeed {
        code: "S21",
        name_zh: "更换窗台、灶台大理石",
        name_en: "Replace marble window sills or worktops",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找装饰公司",
        group_zh: "装饰",
    },
    SupplierSeed {
        code: "S22",
        name_zh: "更换天花板、地脚线",
        name_en: "Replace ceiling or skirting",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找装饰公司",
        group_zh: "装饰",
    },
    SupplierSeed {
        code: "S23",
        name_zh: "维修、铺贴木地板、瓷片、地砖等",
        name_en: "Repair or lay wood floors, tiles",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找装饰公司",
        group_zh: "装饰",
    },
    SupplierSeed {
        code: "S24",
        name_zh: "更换、维修室内暗敷给水管",
        name_en: "Replace or repair concealed indoor water pipes",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "可找装饰公司",
        group_zh: "装饰",
    },
    SupplierSeed {
        code: "S25",
        name_zh: "安装、维修热水器、抽油烟机",
        name_en: "Install or repair water heaters, range hoods",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "找有资质的服务维修网点",
        group_zh: "厨房电器",
    },
    SupplierSeed {
        code: "S26",
        name_zh: "维修燃气灶",
        name_en: "Repair gas hob",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "找有资质的服务维修网点",
        group_zh: "厨房电器",
    },
    SupplierSeed {
        code: "S27",
        name_zh: "维修微波炉",
        name_en: "Repair microwave",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "找有资质的服务维修网点",
        group_zh: "厨房电器",
    },
    SupplierSeed {
        code: "S28",
        name_zh: "维修温烤箱等",
        name_en: "Repair ovens, etc.",
        reason: ReferralReason::HighSkill,
        supplier_hint_zh: "找有资质的服务维修网点",
        group_zh: "厨房电器",
    },
    SupplierSeed {
        code: "S29",
        name_zh: "维修煤气管、阀等",
        name_en: "Repair gas pipes and valves",
        reason: ReferralReason::Regulated,
        supplier_hint_zh: "找市各专业对口单位(属专管行业)",
        group_zh: "专管行业",
    },
    SupplierSeed {
        code: "S30",
        name_zh: "维修电话线路故障等",
        name_en: "Phone-line faults",
        reason: ReferralReason::Regulated,
        supplier_hint_zh: "找市各专业对口单位(属专管行业)",
        group_zh: "专管行业",
    },
    SupplierSeed {
        code: "S31",
        name_zh: "维修、调试卫星电视信号故障等",
        name_en: "Satellite-TV signal faults",
        reason: ReferralReason::Regulated,
        supplier_hint_zh: "找市各专业对口单位(属专管行业)",
        group_zh: "专管行业",
    },
    SupplierSeed {
        code: "S32",
        name_zh: "维修、调试宽频网络故障等",
        name_en: "Broadband network faults",
        reason: ReferralReason::Regulated,
        supplier_hint_zh: "找市各专业对口单位(属专管行业)",
        group_zh: "专管行业",
    },
];

/// Common Chinese surnames, most frequent first (compound surnames at the end).
pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
    "任", "卢", "沈", "姚", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖", "石", "金", "韦", "贾",
    "夏", "付", "方", "邹", "熊", "白", "孟", "秦", "邱", "侯", "江", "尹", "薛", "闫", "段", "雷",
    "龙", "史", "陶", "贺", "毛", "郝", "顾", "龚", "邵", "万", "钱", "严", "戴", "欧阳", "司马",
    "上官",
];

/// Given names (1 or 2 characters) plausible for residents born 1950-2010,
/// mixed genders.
pub const GIVEN_NAMES: &[&str] = &[
    "建国", "建华", "建军", "建平", "国庆", "国强", "国华", "卫东", "卫国", "振华", "志强", "志明",
    "志刚", "德华", "永红", "爱华", "爱国", "立新", "建新", "跃进", "秀英", "桂英", "秀兰", "玉兰",
    "桂兰", "淑珍", "淑英", "凤英", "玉珍", "红梅", "丽华", "美华", "海燕", "秀珍", "春梅", "雪梅",
    "桂芳", "玉梅", "金凤", "素芬", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
    "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "丹", "萍", "鹏", "华", "红", "玲",
    "飞", "斌", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "亮", "辉", "婷", "雪", "琳",
    "晶", "颖", "倩", "燕", "莉", "峰", "琴", "云", "慧", "海涛", "小红", "晓东", "晓明", "晓燕",
    "丽娟", "伟东", "文杰", "海波", "晓峰", "婷婷", "丹丹", "晓丽", "建伟", "志伟", "丽萍", "春华",
    "红霞", "文静", "俊峰", "亚男", "海峰", "晓红", "晓军", "丽君", "永刚", "明辉", "海龙", "少华",
    "佳丽", "子轩", "浩然", "梓涵", "欣怡", "雨桐", "一诺", "宇轩", "思涵", "子涵", "浩宇", "诗涵",
    "梓萱", "俊杰", "佳怡", "雨轩", "梓轩", "欣妍", "子墨", "若曦", "可馨", "思远", "天佑", "博文",
    "嘉怡", "文博", "明轩", "雅婷", "晓雯", "思琪", "佳琪", "梦瑶", "浩轩", "子豪", "家豪", "梓晨",
    "昊然", "雨萱", "沐阳", "一鸣", "嘉懿",
];

/// Mobile prefixes of China's carriers (China Mobile, China Unicom, China
/// Telecom, China Broadnet).
pub const MOBILE_PREFIXES: &[&str] = &[
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
    "172", "178", "182", "183", "184", "187", "188", "195", "198", "130", "131", "132", "145",
    "155", "156", "166", "175", "176", "185", "186", "196", "133", "149", "153", "173", "177",
    "180", "181", "189", "190", "191", "193", "199", "192",
];

/// 6-digit administrative region codes (GB/T 2260) for ID-card numbers:
/// mostly Hangzhou districts and counties (including the pre-2021 下城 and
/// 江干 codes still printed on older cards), a few other Zhejiang cities and
/// a handful of other provinces.
pub const REGION_CODES: &[&str] = &[
    "330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112", "330113",
    "330114", "330103", "330104", "330122", "330127", "330182", "330203", "330602", "330702",
    "320102", "340104", "360102", "410105", "430102", "510107", "310104", "420106",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn count_category(category: &str) -> usize {
        CATALOGUE.iter().filter(|c| c.category == category).count()
    }

    fn assert_unique(list: &[&str]) {
        let set: HashSet<&str> = list.iter().copied().collect();
        assert_eq!(set.len(), list.len());
    }

    #[test]
    fn catalogue_category_counts() {
        assert_eq!(count_category("electrical"), 20);
        assert_eq!(count_category("plumbing"), 9);
        assert_eq!(count_category("carpentry"), 14);
    }

    #[test]
    fn catalogue_codes_are_unique_and_sequential() {
        let mut seen = HashSet::new();
        for (category, category_zh, prefix) in [
            ("electrical", "供电类", 'E'),
            ("plumbing", "给排水类", 'W'),
            ("carpentry", "土木、其它类", 'C'),
        ] {
            let items: Vec<&CatalogueSeed> = CATALOGUE
                .iter()
                .filter(|c| c.category == category)
                .collect();
            for (i, item) in items.iter().enumerate() {
                assert_eq!(item.code, format!("{prefix}{:02}", i + 1));
                assert_eq!(item.category_zh, category_zh);
                assert!(seen.insert(item.code));
            }
        }
        assert_eq!(seen.len(), CATALOGUE.len());
    }

    #[test]
    fn only_w04_requires_disclaimer() {
        let flagged: Vec<&str> = CATALOGUE
            .iter()
            .filter(|c| c.requires_disclaimer)
            .map(|c| c.code)
            .collect();
        assert_eq!(flagged, vec!["W04"]);
        let w04 = CATALOGUE.iter().find(|c| c.code == "W04");
        assert!(w04.is_some_and(|c| c.remarks_zh.contains("清洗无关")));
    }

    #[test]
    fn catalogue_prices_and_times() {
        for item in &CATALOGUE {
            assert!(item.default_price_fen > 0, "{}", item.code);
            // Plausible labour for one job in a Hangzhou compound: ¥10 to ¥80, whole yuan;
            // per-metre items at most ¥20 a metre; below the domain's ¥5,000 material cap.
            let p = item.default_price_fen;
            assert!((1_000..=8_000).contains(&p), "{} {p}", item.code);
            assert_eq!(p % 100, 0, "{} in whole yuan", item.code);
            if item.time_unit == TimeUnit::PerMetre {
                assert!(p <= 2_000, "{} per metre", item.code);
            }
            assert!(!item.name_zh.is_empty() && !item.name_en.is_empty());
            assert!(!item.name_zh.contains("吸柜"));
        }
        let untimed: Vec<&str> = CATALOGUE
            .iter()
            .filter(|c| c.std_minutes.is_none())
            .map(|c| c.code)
            .collect();
        assert_eq!(untimed, vec!["E12", "E13", "C09"]);
        let per_metre: Vec<&str> = CATALOGUE
            .iter()
            .filter(|c| c.time_unit == TimeUnit::PerMetre)
            .map(|c| c.code)
            .collect();
        assert_eq!(per_metre, vec!["E16", "E20"]);
        let per_bike: Vec<&str> = CATALOGUE
            .iter()
            .filter(|c| c.time_unit == TimeUnit::PerBike)
            .map(|c| c.code)
            .collect();
        assert_eq!(per_bike, vec!["C14"]);
    }

    #[test]
    fn supplier_codes_in_order() {
        for (i, s) in SUPPLIERS.iter().enumerate() {
            assert_eq!(s.code, format!("S{:02}", i + 1));
            assert!(!s.name_zh.is_empty() && !s.name_en.is_empty());
            assert!(!s.group_zh.is_empty());
        }
    }

    #[test]
    fn regulated_suppliers() {
        let regulated: Vec<&str> = SUPPLIERS
            .iter()
            .filter(|s| s.reason == ReferralReason::Regulated)
            .map(|s| s.code)
            .collect();
        assert_eq!(regulated, vec!["S04", "S29", "S30", "S31", "S32"]);
    }

    #[test]
    fn name_lists() {
        assert!(SURNAMES.len() >= 60);
        assert!(GIVEN_NAMES.len() >= 120);
        assert_unique(SURNAMES);
        assert_unique(GIVEN_NAMES);
        for name in GIVEN_NAMES {
            let n = name.chars().count();
            assert!((1..=2).contains(&n), "{name}");
        }
    }

    #[test]
    fn mobile_prefixes() {
        assert!(MOBILE_PREFIXES.len() >= 25);
        assert_unique(MOBILE_PREFIXES);
        for p in MOBILE_PREFIXES {
            assert!(p.len() == 3 && p.starts_with('1'), "{p}");
            assert!(p.bytes().all(|b| b.is_ascii_digit()), "{p}");
        }
    }

    #[test]
    fn region_codes() {
        assert!(REGION_CODES.len() >= 15);
        assert_unique(REGION_CODES);
        for code in REGION_CODES {
            assert_eq!(code.len(), 6, "{code}");
            assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        }
        let hangzhou = REGION_CODES
            .iter()
            .filter(|c| c.starts_with("3301"))
            .count();
        assert!(hangzhou * 2 > REGION_CODES.len());
    }
}
