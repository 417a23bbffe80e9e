//! Timestamps: stored as microseconds since the Unix epoch, written as protobuf-JSON does
//! (RFC 3339 UTC with 0, 3 or 6 fractional digits: what microseconds need).

use std::time::{SystemTime, UNIX_EPOCH};

/// Microseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(d.as_micros() as i64)
    }

    pub fn seconds(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    /// An RFC 3339 date in any of its forms (`Z` or an offset such as `+00:00`, any fraction),
    /// as protojson reads a Timestamp; `None` when it is none.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let at =
            ::time::OffsetDateTime::parse(text, &::time::format_description::well_known::Rfc3339)
                .ok()?;
        i64::try_from(at.unix_timestamp_nanos() / 1000)
            .ok()
            .map(Timestamp)
    }

    /// protojson's Timestamp format.
    pub fn to_rfc3339(self) -> String {
        let secs = self.seconds();
        let micros = self.0.rem_euclid(1_000_000);
        let dt = ::time::OffsetDateTime::from_unix_timestamp(secs)
            .unwrap_or(::time::OffsetDateTime::UNIX_EPOCH);
        let base = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        );
        if micros == 0 {
            format!("{base}Z")
        } else if micros % 1000 == 0 {
            format!("{base}.{:03}Z", micros / 1000)
        } else {
            format!("{base}.{micros:06}Z")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_protojson() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp(1_700_000_000_123_000).to_rfc3339(),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(
            Timestamp(1_700_000_000_123_456).to_rfc3339(),
            "2023-11-14T22:13:20.123456Z"
        );
    }

    #[test]
    fn reads_every_rfc3339_form() {
        let at = Timestamp(1_700_000_000_123_456);
        for text in [
            "2023-11-14T22:13:20.123456Z",
            "2023-11-14T22:13:20.123456+00:00",
            "2023-11-15T00:13:20.123456789+02:00",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(text), Some(at), "{text}");
        }
        assert_eq!(
            Timestamp::parse_rfc3339("9999-12-31T23:59:59Z").map(Timestamp::to_rfc3339),
            Some("9999-12-31T23:59:59Z".to_string())
        );
        assert_eq!(Timestamp::parse_rfc3339("2023-11-14"), None);
    }
}
