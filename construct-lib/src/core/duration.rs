//! [`Duration`]: one type for every length of time a construct takes (health-check
//! intervals, cooldowns, timeouts, session lengths, expirations), kept in the unit it was
//! written in so that messages show it as the user wrote it.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// The unit a [`Duration`] was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl Unit {
    const fn seconds(self) -> u64 {
        match self {
            Self::Seconds => 1,
            Self::Minutes => 60,
            Self::Hours => 3_600,
            Self::Days => 86_400,
        }
    }

    const fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Seconds => ("second", "seconds"),
            Self::Minutes => ("minute", "minutes"),
            Self::Hours => ("hour", "hours"),
            Self::Days => ("day", "days"),
        }
    }
}

/// A length of time, in whole seconds, minutes, hours or days.
///
/// Two durations are equal when they are as long (`Duration::minutes(1) ==
/// Duration::seconds(60)`); a duration prints in the unit it was made with (`5 minutes`).
/// Settings say which range they accept and in which unit CloudFormation takes them; a
/// duration that is not a whole number of that unit (90 seconds where whole minutes are
/// needed) is reported at synthesis.
///
/// ```
/// use construct_lib::Duration;
/// let grace = Duration::minutes(2);
/// assert_eq!(grace.to_seconds(), 120);
/// assert_eq!(grace, Duration::seconds(120));
/// assert_eq!(grace.to_string(), "2 minutes");
/// assert_eq!(Duration::hours(36).whole_days(), None);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Duration {
    amount: u64,
    unit: Unit,
}

impl Duration {
    /// `amount` seconds.
    pub const fn seconds(amount: u64) -> Self {
        Self {
            amount,
            unit: Unit::Seconds,
        }
    }

    /// `amount` minutes.
    pub const fn minutes(amount: u64) -> Self {
        Self {
            amount,
            unit: Unit::Minutes,
        }
    }

    /// `amount` hours.
    pub const fn hours(amount: u64) -> Self {
        Self {
            amount,
            unit: Unit::Hours,
        }
    }

    /// `amount` days.
    pub const fn days(amount: u64) -> Self {
        Self {
            amount,
            unit: Unit::Days,
        }
    }

    /// The length in seconds (saturating at `u64::MAX`).
    pub const fn to_seconds(self) -> u64 {
        self.amount.saturating_mul(self.unit.seconds())
    }

    /// The length in whole minutes, if it is one.
    pub const fn whole_minutes(self) -> Option<u64> {
        self.whole(Unit::Minutes)
    }

    /// The length in whole hours, if it is one.
    pub const fn whole_hours(self) -> Option<u64> {
        self.whole(Unit::Hours)
    }

    /// The length in whole days, if it is one.
    pub const fn whole_days(self) -> Option<u64> {
        self.whole(Unit::Days)
    }

    const fn whole(self, unit: Unit) -> Option<u64> {
        let seconds = self.to_seconds();
        if seconds.is_multiple_of(unit.seconds()) {
            Some(seconds / unit.seconds())
        } else {
            None
        }
    }

    /// The duration in ISO 8601 (`PT300S`), as CloudFormation's `PauseTime` and
    /// `Timeout` take it.
    pub(crate) fn to_iso8601(self) -> String {
        format!("PT{}S", self.to_seconds())
    }

    /// The length in seconds, as a template number.
    pub(crate) fn seconds_i64(self) -> i64 {
        i64::try_from(self.to_seconds()).unwrap_or(i64::MAX)
    }
}

impl PartialEq for Duration {
    fn eq(&self, other: &Self) -> bool {
        self.to_seconds() == other.to_seconds()
    }
}

impl Eq for Duration {}

impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Duration {
    fn cmp(&self, other: &Self) -> Ordering {
        self.to_seconds().cmp(&other.to_seconds())
    }
}

impl Hash for Duration {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_seconds().hash(state);
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (one, many) = self.unit.names();
        let name = if self.amount == 1 { one } else { many };
        write!(f, "{} {name}", self.amount)
    }
}

impl From<std::time::Duration> for Duration {
    /// Whole seconds of a standard duration (fractions of a second are dropped).
    fn from(duration: std::time::Duration) -> Self {
        Self::seconds(duration.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::Duration;

    #[test]
    fn durations_compare_by_length_and_print_as_written() {
        assert_eq!(Duration::hours(1), Duration::minutes(60));
        assert!(Duration::seconds(61) > Duration::minutes(1));
        assert_eq!(Duration::seconds(1).to_string(), "1 second");
        assert_eq!(Duration::days(7).to_string(), "7 days");
        assert_eq!(Duration::seconds(90).whole_minutes(), None);
        assert_eq!(Duration::hours(48).whole_days(), Some(2));
        assert_eq!(Duration::days(u64::MAX).to_seconds(), u64::MAX);
        assert_eq!(
            Duration::from(std::time::Duration::from_millis(2500)),
            Duration::seconds(2)
        );
    }
}
