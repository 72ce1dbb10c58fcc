//! Retry delays for the sync client: exponential with full jitter, capped.

/// Delay before retry number `attempt` (0 = first retry), given a random `unit` in [0, 1).
/// Base 2 s, doubling, capped at 5 min; the jitter spreads a reconnect storm of many phones.
pub fn retry_delay_ms(attempt: u32, unit: f64) -> u64 {
    const BASE_MS: u64 = 2_000;
    const CAP_MS: u64 = 300_000;
    let exp = BASE_MS.saturating_mul(1u64 << attempt.min(20)).min(CAP_MS);
    let unit = if unit.is_finite() {
        unit.clamp(0.0, 1.0)
    } else {
        0.5
    };
    // Between half and all of the exponential step: never zero, never more than the cap.
    (exp as f64 * (0.5 + unit / 2.0)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_is_capped_and_jittered() {
        assert_eq!(retry_delay_ms(0, 0.0), 1_000);
        assert_eq!(retry_delay_ms(0, 1.0), 2_000);
        assert_eq!(retry_delay_ms(3, 1.0), 16_000);
        assert_eq!(retry_delay_ms(30, 1.0), 300_000);
        assert_eq!(retry_delay_ms(30, 0.0), 150_000);
        assert_eq!(retry_delay_ms(1, f64::NAN), 3_000);
        for a in 0..40 {
            let d = retry_delay_ms(a, 0.3);
            assert!((1_000..=300_000).contains(&d));
        }
    }
}
