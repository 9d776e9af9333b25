//! Where version timestamps come from. Passed in so tests and reproducible builds can fix time.

use std::sync::Arc;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Gives the current time as RFC 3339 UTC (`2026-11-23T09:30:00Z`).
pub trait Clock: Send + Sync {
    fn now_rfc3339(&self) -> String;
}

/// The real wall clock, to whole seconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_rfc3339(&self) -> String {
        let now = OffsetDateTime::now_utc();
        let now = now.replace_nanosecond(0).unwrap_or(now);
        now.format(&Rfc3339)
            .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
    }
}

/// Always the same instant.
#[derive(Debug, Clone)]
pub struct FixedClock(pub String);

impl Clock for FixedClock {
    fn now_rfc3339(&self) -> String {
        self.0.clone()
    }
}

pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_is_rfc3339_utc_without_fraction() {
        let s = SystemClock.now_rfc3339();
        assert!(s.ends_with('Z'), "UTC designator expected in {s}");
        assert_eq!(
            s.len(),
            "2026-11-23T09:30:00Z".len(),
            "whole seconds only: {s}"
        );
    }
}
