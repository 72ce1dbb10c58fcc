//! Measurement 3: push latency under an open-loop load. Request `i` is sent at `t0 + i / rate`
//! whatever happened to the earlier ones (a slow answer does not slow the load down, as with
//! real phones), round-robin over the devices; each is a small batch as a phone sends it when
//! online: a new repair request, sometimes followed by one or two text corrections of it.
//! Latency is measured from the scheduled send time to the parsed reply, so any delay in
//! sending counts too.

use crate::cpu;
use crate::payload::{self, Gen};
use crate::stats::{Errors, Latencies};
use crate::world::{push, PushResult, World};
use chrono::Utc;
use domain::work_orders::TextField;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;

#[derive(Clone, Copy)]
pub struct Plan {
    pub rate: u32,
    pub seconds: u32,
    pub devices: usize,
}

impl Plan {
    pub fn requests(&self) -> usize {
        (self.rate * self.seconds) as usize
    }
}

/// A request that has not answered after this long counts as an error.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Run {
    pub latencies: Latencies,
    pub errors: Errors,
    pub mutations: usize,
    /// Largest delay between a request's scheduled and actual send.
    pub max_send_lag: Duration,
    /// Time from the first scheduled send to the last answer.
    pub span: Duration,
    pub cpu: String,
}

struct Request {
    device: Uuid,
    account: usize,
    body: String,
    count: usize,
}

fn requests(w: &World, plan: Plan) -> anyhow::Result<Vec<Request>> {
    let now = Utc::now();
    let devices: Vec<Uuid> = (0..plan.devices).map(|_| Uuid::now_v7()).collect();
    let mut seqs = vec![0u64; plan.devices];
    let mut gen = Gen::new(90_000, w.site, w.units.clone());
    let mut out = Vec::with_capacity(plan.requests());
    for i in 0..plan.requests() {
        let d = i % plan.devices.max(1);
        let device = devices[d];
        let seq = &mut seqs[d];
        let new = gen.new_request(now);
        let (content, location) = (new.content.clone(), new.location.clone());
        *seq += 1;
        let create = payload::create(device, *seq, now, new)?;
        let entity = create.mutation.entity_id;
        let mut items = vec![create];
        if i % 3 >= 1 {
            *seq += 1;
            let cmd = payload::edit_text(
                TextField::Content,
                &content,
                format!("{content}（补充：业主希望明天上午九点后上门）"),
            );
            items.push(payload::mutation(device, *seq, entity, Some(1), now, cmd)?);
        }
        if i % 3 == 2 {
            *seq += 1;
            let cmd = payload::edit_text(TextField::Location, &location, "主卧卫生间".into());
            items.push(payload::mutation(device, *seq, entity, Some(2), now, cmd)?);
        }
        out.push(Request {
            device,
            account: d,
            count: items.len(),
            body: payload::batch_json(&items),
        });
    }
    Ok(out)
}

pub async fn run(w: &World, plan: Plan) -> anyhow::Result<Run> {
    let reqs = requests(w, plan)?;
    let mutations = reqs.iter().map(|r| r.count).sum();
    let url = Arc::new(w.push_url());
    w.checkpoint().await?;

    let cpu0 = cpu::sample();
    let interval = Duration::from_secs(1) / plan.rate.max(1);
    let start = Instant::now() + Duration::from_millis(100);
    let mut set = JoinSet::new();
    let mut max_send_lag = Duration::ZERO;
    for (i, r) in reqs.into_iter().enumerate() {
        let scheduled = start + interval * i as u32;
        tokio::time::sleep_until(scheduled).await;
        max_send_lag = max_send_lag.max(Instant::now() - scheduled);
        let client = w.account_for(r.account).client.clone();
        let url = url.clone();
        set.spawn(async move {
            let res =
                tokio::time::timeout(TIMEOUT, push(&client, &url, r.device, &r.body, r.count))
                    .await;
            let took = Instant::now() - scheduled;
            match res {
                Ok(PushResult::Applied) => Ok(took),
                Ok(PushResult::Failed { what, .. }) => Err((took, what)),
                Err(_) => Err((took, format!("no answer within {TIMEOUT:?}"))),
            }
        });
    }
    let mut lat = Vec::new();
    let mut errors = Errors::default();
    while let Some(r) = set.join_next().await {
        match r? {
            Ok(took) => lat.push(took),
            Err((took, what)) => {
                // A failed request still took that long; it is in the percentiles too.
                lat.push(took);
                errors.add(what);
            }
        }
    }
    Ok(Run {
        latencies: Latencies::new(lat),
        errors,
        mutations,
        max_send_lag,
        span: Instant::now() - start,
        cpu: cpu::since(&cpu0),
    })
}
