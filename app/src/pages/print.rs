//! `/repairs/:id/print`: the printable 维修单 — three copies named by the site's policy
//! (`TicketCopies::names()`: 第一联 客服部 / 第二联 工程部经理 / 第三联 财务部, or 业户联 / 财务联 /
//! 存根联), each on its own A4 sheet when printed, with the total in Chinese capitals (大写) and
//! the date the record must be kept until.

use crate::frame::Guarded;
use crate::i18n::{use_i18n, Msg};
use crate::pages::detail::{blob_url, lines_table, load_state_view, route_id, use_order, Loaded};
use crate::pages::repairs::{china_time, kind_msg, rating_msg};
use domain::money::Fen;
use domain::sync::reference::ReferenceData;
use domain::work_orders::policy::{retain_until, TicketCopies};
use domain::work_orders::sla::china;
use domain::work_orders::{QuoteLine, Timing};
use leptos::prelude::*;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const IN_GROUP: [&str; 4] = ["", "拾", "佰", "仟"];
const GROUPS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];

/// An amount in Chinese financial capitals (大写), as written on receipts and tickets:
/// `¥1,234.50` → `壹仟贰佰叁拾肆元伍角整`, `¥0.05` → `伍分`, `¥1,005.00` → `壹仟零伍元整`.
/// One 零 stands for any run of zeros between digits; whole amounts and amounts ending in 角
/// end with 整; a negative amount starts with 负.
pub fn yuan_in_capitals(amount: Fen) -> String {
    let sign = if amount.0 < 0 { "负" } else { "" };
    let fen = amount.0.unsigned_abs();
    let yuan = fen / 100;
    let jiao = (fen / 10 % 10) as usize;
    let fen_d = (fen % 10) as usize;
    let mut out = String::from(sign);
    if yuan > 0 {
        out.push_str(&integer_capitals(yuan));
        out.push('元');
    }
    if jiao == 0 && fen_d == 0 {
        if yuan == 0 {
            out.push_str("零元");
        }
        out.push('整');
        return out;
    }
    if jiao > 0 {
        out.push(DIGITS[jiao]);
        out.push('角');
    } else if yuan > 0 {
        out.push('零');
    }
    if fen_d > 0 {
        out.push(DIGITS[fen_d]);
        out.push('分');
    } else {
        out.push('整');
    }
    out
}

/// A positive whole number in capitals, grouped by 万 / 亿.
fn integer_capitals(n: u64) -> String {
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (gi, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (zero_pending || g < 1000) {
            out.push('零');
        }
        zero_pending = false;
        let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
        let mut zero_inside = false;
        let mut started = false;
        for (pos, &d) in digits.iter().enumerate() {
            if d == 0 {
                zero_inside = started;
                continue;
            }
            if zero_inside {
                out.push('零');
                zero_inside = false;
            }
            started = true;
            out.push(DIGITS[d]);
            out.push_str(IN_GROUP[3 - pos]);
        }
        out.push_str(GROUPS.get(gi).copied().unwrap_or(""));
    }
    out
}

#[component]
pub fn PrintPage() -> impl IntoView {
    view! {
        <Guarded area=None>
            <PrintScreen />
        </Guarded>
    }
}

#[component]
fn PrintScreen() -> impl IntoView {
    let i18n = use_i18n();
    let load = use_order(route_id());
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="print-page" data-testid="print-page">
            <div class="print-toolbar no-print">
                <button class="button primary" data-testid="print-now" on:click=print>{move || i18n.t(Msg::OfficePrintNow)}</button>
                {move || match load.get() {
                    crate::pages::detail::Load::Ready(l) => {
                        let href = format!("/repairs/{}", l.order().id.0);
                        view! { <a class="button" href=href>{move || i18n.t(Msg::OfficeBackToOrder)}</a> }.into_any()
                    }
                    _ => ().into_any(),
                }}
                <p class="muted small">{move || i18n.t(Msg::OfficePrintHint)}</p>
            </div>
            {move || match load_state_view(load.get()) {
                Ok(l) => {
                    let copies = l.detail.policy.copies;
                    copies.names().into_iter().enumerate().map(|(i, name)| {
                        view! { <TicketCopy l=(*l).clone() copy=name index=i copies /> }
                    }).collect_view().into_any()
                }
                Err(v) => v,
            }}
        </section>
    }
}

#[component]
fn TicketCopy(l: Loaded, copy: &'static str, index: usize, copies: TicketCopies) -> impl IntoView {
    let i18n = use_i18n();
    let refs = ReferenceData::default();
    let o = l.order().clone();
    let number = o.number.clone().unwrap_or_default();
    let title = match copies {
        TicketCopies::S3Departments => Msg::OfficeTicketTitleDaily,
        TicketCopies::S0ResidentFinanceStub => Msg::OfficeTicketTitle,
    };
    let total = o.total().unwrap_or_default();
    let capitals = yuan_in_capitals(total);
    let appointment = match o.timing {
        Timing::Appointment { at } => china_time(at),
        Timing::Immediate => i18n.t(Msg::RepairTimingImmediate).to_owned(),
    };
    let items = lines_table(&l, &refs, Some(false));
    let materials = lines_table(&l, &refs, Some(true));
    let has_items = o.lines.iter().any(|x| matches!(x, QuoteLine::Item { .. }));
    let has_materials = o
        .lines
        .iter()
        .any(|x| matches!(x, QuoteLine::Material { .. }));
    let technician = o
        .assignee
        .map(|a| l.staff_name(a, &refs))
        .unwrap_or_default();
    let keep_until = o.closed_at.map(|t| {
        retain_until(
            t.with_timezone(&china()).date_naive(),
            l.detail.policy.retention_years,
        )
        .format("%Y-%m-%d")
        .to_string()
    });
    let consent = o.consent.clone();
    let accept_sig = o.acceptance.as_ref().and_then(|a| a.signature.clone());
    let rating = o.acceptance.as_ref().and_then(|a| a.rating);
    let opinion = o
        .acceptance
        .as_ref()
        .map(|a| a.opinion.clone())
        .unwrap_or_default();
    let kind = o.kind;
    view! {
        <section class="print-copy" data-testid="print-copy" data-copy=index.to_string()>
            <header class="ticket-head">
                <div>
                    <strong class="site">{l.detail.site_name.clone()}</strong>
                    <h2>{move || i18n.t(title)}</h2>
                </div>
                <div class="copy-name" data-testid="print-copy-name">{copy}</div>
                <div class="stub">{move || i18n.t(Msg::OfficeStubNumber)} " " <strong data-testid="print-number">{number.clone()}</strong></div>
            </header>
            <table class="ticket">
                <tbody>
                    <tr>
                        <th>{move || i18n.t(Msg::RepairReporter)}</th><td>{o.reporter_name.clone()}</td>
                        <th>{move || i18n.t(Msg::RepairPhone)}</th><td>{o.reporter_phone.clone()}</td>
                    </tr>
                    <tr>
                        <th>{move || i18n.t(Msg::OfficeReportedAt)}</th><td>{china_time(o.contacted_at.unwrap_or(o.reported_at))}</td>
                        <th>{move || i18n.t(Msg::OfficeAppointmentAt)}</th><td>{appointment}</td>
                    </tr>
                    <tr>
                        <th>{move || i18n.t(Msg::OfficePlace)}</th><td>{l.place()}</td>
                        <th>{move || i18n.t(Msg::RepairKind)}</th><td>{move || i18n.t(kind_msg(kind))}</td>
                    </tr>
                    <tr><th>{move || i18n.t(Msg::RepairContent)}</th><td colspan="3">{o.content.clone()}</td></tr>
                    <tr><th>{move || i18n.t(Msg::OfficeScope)}</th><td colspan="3">{o.scope.clone()}</td></tr>
                </tbody>
            </table>
            <Show when=move || has_items>
                <h3>{move || i18n.t(Msg::OfficeServiceItems)}</h3>
            </Show>
            {has_items.then_some(items)}
            <h3>{move || i18n.t(Msg::OfficeMaterials)}</h3>
            {if has_materials { materials } else {
                view! {
                    <table class="lines empty-lines"><thead><tr>
                        <th>{move || i18n.t(Msg::OfficeLineName)}</th>
                        <th>{move || i18n.t(Msg::OfficeLineSource)}</th>
                        <th>{move || i18n.t(Msg::OfficeLineSpec)}</th>
                        <th class="num">{move || i18n.t(Msg::OfficeLineQty)}</th>
                        <th class="num">{move || i18n.t(Msg::OfficeLinePrice)}</th>
                        <th class="num">{move || i18n.t(Msg::OfficeLineAmount)}</th>
                    </tr></thead><tbody><tr><td colspan="6">"—"</td></tr></tbody></table>
                }.into_any()
            }}
            <p class="print-total">
                {move || i18n.t(Msg::OfficeTotal)} " " <strong data-testid="print-total">{total.to_string()}</strong>
                "　" {move || i18n.t(Msg::OfficeCapitals)} " " <strong data-testid="print-total-capitals">{capitals.clone()}</strong>
            </p>
            <div class="signatures">
                <figure>
                    <figcaption>{move || i18n.t(Msg::OfficeConsentSignature)}</figcaption>
                    {consent.map(|s| view! { <img src=blob_url(&s.image) alt=s.signer_name.clone() data-testid="print-consent-signature" /> })}
                </figure>
                <figure>
                    <figcaption>{move || i18n.t(Msg::OfficeAcceptanceSignature)}</figcaption>
                    {accept_sig.map(|s| view! { <img src=blob_url(&s.image) alt=s.signer_name.clone() data-testid="print-acceptance-signature" /> })}
                </figure>
            </div>
            <table class="ticket">
                <tbody>
                    <tr>
                        <th>{move || i18n.t(Msg::OfficeRating)}</th>
                        <td data-testid="print-rating">{move || rating.map(|r| i18n.t(rating_msg(r)).to_owned()).unwrap_or_default()}</td>
                        <th>{move || i18n.t(Msg::OfficeTechnician)}</th><td>{technician.clone()}</td>
                    </tr>
                    <tr><th>{move || i18n.t(Msg::OfficeOpinion)}</th><td colspan="3">{opinion.clone()}</td></tr>
                    <tr>
                        <th>{move || i18n.t(Msg::OfficeFinishedAt)}</th><td>{o.closed_at.map(china_time).unwrap_or_default()}</td>
                        <th>{move || i18n.t(Msg::OfficeKeepUntil)}</th>
                        <td data-testid="print-keep-until">{keep_until.clone().unwrap_or_else(|| "—".into())}</td>
                    </tr>
                </tbody>
            </table>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_capitals() {
        let cases = [
            (123_450, "壹仟贰佰叁拾肆元伍角整"),
            (5, "伍分"),
            (10_000, "壹佰元整"),
            (100_500, "壹仟零伍元整"),
            (0, "零元整"),
            (50, "伍角整"),
            (123, "壹元贰角叁分"),
            (1_005, "壹拾元零伍分"),
            (1_000, "壹拾元整"),
            (3_500, "叁拾伍元整"),
            (10_050, "壹佰元伍角整"),
            (10_000_000, "壹拾万元整"),
            (10_050_000, "壹拾万零伍佰元整"),
            (10_500_000, "壹拾万伍仟元整"),
            (100_010_000, "壹佰万零壹佰元整"),
            (10_000_000_500, "壹亿零伍元整"),
            (10_000_500_000, "壹亿零伍仟元整"),
            (1_200_000_003_000, "壹佰贰拾亿零叁拾元整"),
            (-300, "负叁元整"),
        ];
        for (fen, want) in cases {
            assert_eq!(yuan_in_capitals(Fen(fen)), want, "{fen}");
        }
    }
}
