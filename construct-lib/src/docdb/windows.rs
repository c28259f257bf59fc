//! The backup and maintenance windows of a database: their formats (`hh24:mi-hh24:mi` and
//! `ddd:hh24:mi-ddd:hh24:mi`, UTC), their 30-minute minimum, and that they do not overlap.

use crate::problem::{Problems, quoted};

const DAY: u32 = 24 * 60;
const WEEK: u32 = 7 * DAY;
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `hh:mm` → minutes since midnight.
fn time(text: &str) -> Option<u32> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then_some(hours * 60 + minutes)
}

/// `ddd:hh:mm` → minutes since Monday midnight.
fn week_time(text: &str) -> Option<u32> {
    let (day, rest) = text.split_once(':')?;
    let day = DAYS.iter().position(|d| *d == day.to_ascii_lowercase())? as u32;
    Some(day * DAY + time(rest)?)
}

/// Length of `start..end` on a cycle of `period` minutes (a window may wrap midnight or
/// the week's end).
fn length(start: u32, end: u32, period: u32) -> u32 {
    (end + period - start) % period
}

/// A daily window (`03:00-04:00`) as (start, length) in minutes, with its problems reported.
pub(super) fn backup_window(text: &str, problems: &mut Problems<'_>) -> Option<(u32, u32)> {
    let parsed = text
        .split_once('-')
        .and_then(|(start, end)| Some((time(start)?, time(end)?)));
    let Some((start, end)) = parsed else {
        problems.error(
            "preferred_backup_window",
            quoted(text),
            "hh24:mi-hh24:mi in UTC (`03:00-04:00`)",
        );
        return None;
    };
    let minutes = length(start, end, DAY);
    if minutes < 30 {
        problems.error(
            "preferred_backup_window",
            quoted(text),
            "a window of at least 30 minutes",
        );
        return None;
    }
    Some((start, minutes))
}

/// A weekly window (`sun:05:00-sun:06:00`) as (start, length) in minutes since Monday
/// midnight, with its problems reported.
pub(super) fn maintenance_window(text: &str, problems: &mut Problems<'_>) -> Option<(u32, u32)> {
    let parsed =
        split_week_range(text).and_then(|(start, end)| Some((week_time(start)?, week_time(end)?)));
    let Some((start, end)) = parsed else {
        problems.error(
            "preferred_maintenance_window",
            quoted(text),
            "ddd:hh24:mi-ddd:hh24:mi in UTC (`sun:05:00-sun:06:00`; days mon to sun)",
        );
        return None;
    };
    let minutes = length(start, end, WEEK);
    if minutes < 30 {
        problems.error(
            "preferred_maintenance_window",
            quoted(text),
            "a window of at least 30 minutes",
        );
        return None;
    }
    Some((start, minutes))
}

/// `sun:05:00-sun:06:00` → (`sun:05:00`, `sun:06:00`): the `-` between two day names.
fn split_week_range(text: &str) -> Option<(&str, &str)> {
    let middle = text
        .char_indices()
        .filter(|(_, c)| *c == '-')
        .map(|(i, _)| i)
        .find(|&i| {
            text.get(i + 1..i + 4)
                .is_some_and(|day| DAYS.contains(&day.to_ascii_lowercase().as_str()))
        })?;
    Some((&text[..middle], &text[middle + 1..]))
}

/// Reports when the daily backup window meets the weekly maintenance window on some day.
pub(super) fn check_no_overlap(
    backup: (u32, u32),
    maintenance: (u32, u32),
    texts: (&str, &str),
    problems: &mut Problems<'_>,
) {
    let overlaps = (0..7).any(|day| {
        let start = day * DAY + backup.0;
        intervals_meet((start, backup.1), maintenance, WEEK)
    });
    if overlaps {
        problems.error(
            "preferred_backup_window",
            format!("{} (maintenance {})", quoted(texts.0), quoted(texts.1)),
            "a backup window that does not overlap the maintenance window",
        );
    }
}

/// Whether two windows (start, length) on a cycle of `period` minutes share a minute.
fn intervals_meet(a: (u32, u32), b: (u32, u32), period: u32) -> bool {
    let starts_inside = |x: (u32, u32), y: (u32, u32)| length(y.0, x.0, period) < y.1;
    starts_inside(a, b) || starts_inside(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_parsed_and_measured() {
        assert_eq!(time("03:30"), Some(210));
        assert_eq!(time("24:00"), None);
        assert_eq!(week_time("sun:05:00"), Some(6 * DAY + 300));
        assert_eq!(
            split_week_range("sun:23:30-mon:00:30"),
            Some(("sun:23:30", "mon:00:30"))
        );
        assert_eq!(length(23 * 60 + 30, 30, DAY), 60);
        assert!(intervals_meet(
            (6 * DAY + 300, 60),
            (6 * DAY + 330, 60),
            WEEK
        ));
        assert!(!intervals_meet(
            (6 * DAY + 300, 60),
            (6 * DAY + 360, 60),
            WEEK
        ));
        assert!(intervals_meet((WEEK - 30, 60), (0, 30), WEEK));
    }
}
