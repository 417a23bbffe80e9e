//! IDs in ZITADEL's style: 18-digit decimal strings.
//!
//! Milliseconds since 2024 followed by six random digits from the OS's generator. Two Lambdas
//! would have to draw the same millisecond and the same one-in-a-million number to collide, and
//! even then nothing is overwritten: every aggregate is created with a put that requires its key
//! to be free, and a taken id is drawn again.

use rand::Rng;

const EPOCH_2024_MS: u128 = 1_704_067_200_000;

pub fn new_id() -> String {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let since = (now_ms.saturating_sub(EPOCH_2024_MS) as u64) % 900_000_000_000;
    let random: u64 = rand::rngs::OsRng.gen_range(0..1_000_000);
    // 1 + 11 digits of time + 6 random digits = 18 digits until 2052.
    format!(
        "{}",
        100_000_000_000_000_000u64 + since * 1_000_000 + random
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_18_digits_and_distinct() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_id()).collect();
        assert!(ids.len() > 990);
        for id in &ids {
            assert_eq!(id.len(), 18, "{id}");
            assert!(id.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
