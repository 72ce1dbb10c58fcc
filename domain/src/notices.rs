//! 通知 / 温馨提示: notices for the notice board and the desk (requirements §2.23, §2.19; S4
//! items 41–42): water, power or gas cuts, exterior-wall or water-tank cleaning, pest control,
//! fire drills, lift maintenance. Each shows its validity period and is taken down when it ends
//! ("应标明张贴有效期,到期清理"): a notice archives itself after its expiry date — derived from
//! the date, nothing has to run. Drills are announced at least 3 days ahead (S4, §5.3 rule 35).

use crate::ids::{SiteId, StaffId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Days between publishing a drill notice and the drill.
pub const DRILL_NOTICE_DAYS: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 停水停电停气
    Outage,
    /// 清洁(外墙/水箱)
    Cleaning,
    /// 四害消杀
    PestControl,
    /// 消防演习
    FireDrill,
    /// 电梯保养
    LiftMaintenance,
    /// 其他
    Other,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 6] = [
        NoticeKind::Outage,
        NoticeKind::Cleaning,
        NoticeKind::PestControl,
        NoticeKind::FireDrill,
        NoticeKind::LiftMaintenance,
        NoticeKind::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            NoticeKind::Outage => "outage",
            NoticeKind::Cleaning => "cleaning",
            NoticeKind::PestControl => "pest_control",
            NoticeKind::FireDrill => "fire_drill",
            NoticeKind::LiftMaintenance => "lift_maintenance",
            NoticeKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Where a notice stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// Posted; what it announces is still ahead.
    Upcoming,
    /// Within its effective period, or after it but before its expiry date.
    Current,
    /// Past its expiry date: off the board.
    Archived,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: Uuid,
    pub site_id: SiteId,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    /// 有效期: what the notice announces runs from … to … .
    pub effective_from: NaiveDate,
    pub effective_until: NaiveDate,
    /// 张贴有效期: taken down after this day.
    pub expires_on: NaiveDate,
    pub published_on: NaiveDate,
    pub published_by: StaffId,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeInput {
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub effective_from: NaiveDate,
    pub effective_until: NaiveDate,
    /// Defaults to the end of the effective period.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeRefusal {
    #[error("{field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },
    #[error("the effective period ends before it starts")]
    BadPeriod,
    #[error("the notice comes down before its period ends")]
    ExpiryBeforeEnd,
    #[error("the period is over already")]
    PeriodOver,
    #[error("a drill is announced at least 3 days ahead")]
    DrillNoticeTooLate,
}

impl NoticeRefusal {
    pub const fn code(&self) -> &'static str {
        match self {
            NoticeRefusal::InvalidInput { .. } => "invalid_input",
            NoticeRefusal::BadPeriod => "bad_period",
            NoticeRefusal::ExpiryBeforeEnd => "expiry_before_end",
            NoticeRefusal::PeriodOver => "period_over",
            NoticeRefusal::DrillNoticeTooLate => "drill_notice_too_late",
        }
    }
}

fn text(field: &'static str, s: &str, max: usize) -> Result<String, NoticeRefusal> {
    let t = s.trim();
    if t.is_empty() {
        Err(NoticeRefusal::InvalidInput {
            field,
            reason: "required",
        })
    } else if t.chars().count() > max {
        Err(NoticeRefusal::InvalidInput {
            field,
            reason: "too long",
        })
    } else {
        Ok(t.to_owned())
    }
}

impl NoticeInput {
    /// Publishes the notice on `today` (the date in China).
    pub fn publish(
        &self,
        id: Uuid,
        site_id: SiteId,
        by: StaffId,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Notice, NoticeRefusal> {
        let title = text("title", &self.title, 60)?;
        let body = text("body", &self.body, 2000)?;
        if self.effective_until < self.effective_from {
            return Err(NoticeRefusal::BadPeriod);
        }
        let expires_on = self.expires_on.unwrap_or(self.effective_until);
        if expires_on < self.effective_until {
            return Err(NoticeRefusal::ExpiryBeforeEnd);
        }
        if expires_on < today {
            return Err(NoticeRefusal::PeriodOver);
        }
        if self.kind == NoticeKind::FireDrill
            && (self.effective_from - today).num_days() < DRILL_NOTICE_DAYS
        {
            return Err(NoticeRefusal::DrillNoticeTooLate);
        }
        Ok(Notice {
            id,
            site_id,
            kind: self.kind,
            title,
            body,
            effective_from: self.effective_from,
            effective_until: self.effective_until,
            expires_on,
            published_on: today,
            published_by: by,
            published_at: now,
        })
    }
}

impl Notice {
    pub fn state(&self, today: NaiveDate) -> NoticeState {
        if today > self.expires_on {
            NoticeState::Archived
        } else if today < self.effective_from {
            NoticeState::Upcoming
        } else {
            NoticeState::Current
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn input(kind: NoticeKind, from: u32, until: u32) -> NoticeInput {
        NoticeInput {
            kind,
            title: "停水通知".into(),
            body: "因二次供水水箱清洗，8栋停水。".into(),
            effective_from: day(from),
            effective_until: day(until),
            expires_on: None,
        }
    }

    fn publish(i: &NoticeInput, today: NaiveDate) -> Result<Notice, NoticeRefusal> {
        let now = Utc.with_ymd_and_hms(2026, 11, 10, 1, 0, 0).unwrap();
        i.publish(
            Uuid::nil(),
            SiteId(Uuid::nil()),
            StaffId(Uuid::nil()),
            now,
            today,
        )
    }

    #[test]
    fn a_drill_is_announced_three_days_ahead() {
        let drill = input(NoticeKind::FireDrill, 13, 13);
        assert_eq!(
            publish(&drill, day(11)).unwrap_err(),
            NoticeRefusal::DrillNoticeTooLate
        );
        assert_eq!(
            publish(&drill, day(11)).unwrap_err().code(),
            "drill_notice_too_late"
        );
        assert!(publish(&drill, day(10)).is_ok());
        // Other kinds may go up the same day.
        assert!(publish(&input(NoticeKind::Outage, 11, 11), day(11)).is_ok());
    }

    #[test]
    fn a_notice_archives_itself_after_its_expiry_date() {
        let mut i = input(NoticeKind::LiftMaintenance, 12, 14);
        i.expires_on = Some(day(15));
        let n = publish(&i, day(10)).unwrap();
        assert_eq!(n.state(day(11)), NoticeState::Upcoming);
        assert_eq!(n.state(day(12)), NoticeState::Current);
        assert_eq!(n.state(day(15)), NoticeState::Current);
        assert_eq!(n.state(day(16)), NoticeState::Archived);
        // Without an explicit expiry it comes down after the period.
        let n = publish(&input(NoticeKind::Other, 10, 12), day(10)).unwrap();
        assert_eq!(n.expires_on, day(12));
        assert_eq!(n.state(day(13)), NoticeState::Archived);
    }

    #[test]
    fn bad_periods_are_refused() {
        assert_eq!(
            publish(&input(NoticeKind::Other, 12, 11), day(10)).unwrap_err(),
            NoticeRefusal::BadPeriod
        );
        let mut i = input(NoticeKind::Other, 10, 12);
        i.expires_on = Some(day(11));
        assert_eq!(
            publish(&i, day(10)).unwrap_err(),
            NoticeRefusal::ExpiryBeforeEnd
        );
        assert_eq!(
            publish(&input(NoticeKind::Other, 1, 2), day(10)).unwrap_err(),
            NoticeRefusal::PeriodOver
        );
        let mut i = input(NoticeKind::Other, 10, 12);
        i.title = "  ".into();
        assert_eq!(publish(&i, day(10)).unwrap_err().code(), "invalid_input");
    }
}

/// The board as staff see it on a day: what is up, and what came down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub record: Notice,
    pub state: NoticeState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeBoard {
    pub today: NaiveDate,
    /// Current and upcoming, soonest first.
    pub current: Vec<NoticeView>,
    /// Past their expiry date, latest first.
    pub archived: Vec<NoticeView>,
}

impl NoticeBoard {
    pub fn sort(notices: Vec<Notice>, today: NaiveDate) -> NoticeBoard {
        let (mut current, mut archived): (Vec<NoticeView>, Vec<NoticeView>) = notices
            .into_iter()
            .map(|n| NoticeView {
                state: n.state(today),
                record: n,
            })
            .partition(|v| v.state != NoticeState::Archived);
        current.sort_by_key(|v| (v.record.effective_from, v.record.published_at));
        archived.sort_by_key(|v| std::cmp::Reverse(v.record.expires_on));
        NoticeBoard {
            today,
            current,
            archived,
        }
    }
}
