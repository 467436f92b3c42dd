//! UTC calendar arithmetic without a date library: the timestamp forms AWS and HTTP use
//! (`x-amz-date`, credential-scope dates, ISO 8601 `Expiration`, HTTP `Date`).
//!
//! May import: nothing of the crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: i64 = 86_400;

/// `time` in the ISO 8601 basic form AWS uses in `x-amz-date`, e.g. `20150830T123600Z` (UTC).
pub fn amz_date(time: SystemTime) -> String {
    let utc = UtcTime::of(time);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second
    )
}

/// The UTC date of `time` as in a credential scope, e.g. `20150830`.
pub fn date_stamp(time: SystemTime) -> String {
    let utc = UtcTime::of(time);
    format!("{:04}{:02}{:02}", utc.year, utc.month, utc.day)
}

/// Formats `time` as `2026-11-26T23:12:37Z` (whole seconds, UTC).
pub(crate) fn format_iso8601(time: SystemTime) -> String {
    let utc = UtcTime::of(time);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second
    )
}

/// `SystemTime` as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), to sit beside the server's.
pub(crate) fn http_date(time: SystemTime) -> String {
    // 1970-01-01 was a Thursday.
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let utc = UtcTime::of(time);
    let weekday = usize::try_from(utc.days_since_epoch.rem_euclid(7))
        .ok()
        .and_then(|index| WEEKDAYS.get(index))
        .copied()
        .unwrap_or("?");
    let month_name = usize::try_from(utc.month - 1)
        .ok()
        .and_then(|index| MONTHS.get(index))
        .copied()
        .unwrap_or("?");
    format!(
        "{weekday}, {:02} {month_name} {} {:02}:{:02}:{:02} GMT",
        utc.day, utc.year, utc.hour, utc.minute, utc.second
    )
}

/// Parses `2026-11-26T23:12:37Z`, with optional fractional seconds and a `Z` or `±HH:MM` offset.
/// Returns `None` for anything else, including impossible dates.
pub(crate) fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let year: i64 = digits(text, 0, 4)?;
    let month = digits(text, 5, 2)?;
    let day = digits(text, 8, 2)?;
    let hour = digits(text, 11, 2)?;
    let minute = digits(text, 14, 2)?;
    let second = digits(text, 17, 2)?;
    let separators_ok = text.get(4..5) == Some("-")
        && text.get(7..8) == Some("-")
        && matches!(text.get(10..11), Some("T" | "t" | " "))
        && text.get(13..14) == Some(":")
        && text.get(16..17) == Some(":");
    let in_range = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60;
    if !separators_ok || !in_range {
        return None;
    }
    let (nanos, rest) = fraction(text.get(19..)?)?;
    let offset = utc_offset_seconds(rest)?;
    let days = days_from_civil(year, month, day);
    let seconds = days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
    let whole = UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(seconds).ok()?))?;
    whole.checked_add(Duration::from_nanos(nanos))
}

/// A point in time split into UTC calendar fields (whole seconds, rounded down).
struct UtcTime {
    days_since_epoch: i64,
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

impl UtcTime {
    fn of(time: SystemTime) -> UtcTime {
        let seconds = unix_seconds(time);
        let days_since_epoch = seconds.div_euclid(SECONDS_PER_DAY);
        let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days_since_epoch);
        UtcTime {
            days_since_epoch,
            year,
            month,
            day,
            hour: second_of_day / 3600,
            minute: second_of_day / 60 % 60,
            second: second_of_day % 60,
        }
    }
}

/// Whole seconds since 1970-01-01T00:00:00Z, rounded down (also before 1970).
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            -whole - i64::from(before.subsec_nanos() > 0)
        }
    }
}

fn digits(text: &str, start: usize, len: usize) -> Option<i64> {
    let part = text.get(start..start + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Splits `.123Z` into nanoseconds and the rest (`Z`).
fn fraction(text: &str) -> Option<(u64, &str)> {
    let Some(after_dot) = text.strip_prefix('.') else {
        return Some((0, text));
    };
    let len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return None;
    }
    let (fraction_digits, rest) = after_dot.split_at(len);
    let nanos = fraction_digits
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(9)
        .fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'));
    Some((nanos, rest))
}

/// `Z` → 0, `+01:30` → 5400, `-0500` → -18000.
fn utc_offset_seconds(text: &str) -> Option<i64> {
    if text.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = match text.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let hours = digits(text, 1, 2)?;
    let minutes = match text.len() {
        6 if text.get(3..4) == Some(":") => digits(text, 4, 2)?,
        5 => digits(text, 3, 2)?,
        3 => 0,
        _ => return None,
    };
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day) of a day counted from 1970-01-01 in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`: eras of 400 years, years starting in March).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days.saturating_add(719_468); // days from 0000-03-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn parses_the_forms_aws_sends() {
        // 2011-07-15T23:28:33Z is 1310772513 seconds after the epoch.
        assert_eq!(
            parse_iso8601("2011-07-15T23:28:33Z"),
            Some(at(1_310_772_513))
        );
        assert_eq!(
            parse_iso8601("2011-07-15T23:28:33.359Z"),
            Some(at(1_310_772_513) + Duration::from_millis(359))
        );
        assert_eq!(
            parse_iso8601("2011-07-16T01:28:33+02:00"),
            Some(at(1_310_772_513))
        );
        assert_eq!(
            parse_iso8601("2011-07-15T18:28:33-0500"),
            Some(at(1_310_772_513))
        );
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(UNIX_EPOCH));
    }

    #[test]
    fn handles_leap_years() {
        assert_eq!(
            parse_iso8601("2024-02-29T00:00:00Z"),
            Some(at(1_709_164_800))
        );
        assert_eq!(parse_iso8601("2023-02-29T00:00:00Z"), None);
        assert_eq!(parse_iso8601("2000-02-29T00:00:00Z"), Some(at(951_782_400)));
        assert_eq!(parse_iso8601("1900-02-29T00:00:00Z"), None);
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "2011-07-15",
            "2011-07-15T23:28:33",
            "2011-13-15T23:28:33Z",
            "2011-07-15T24:00:00Z",
            "2011-07-15T23:28:33.Z",
            "2011-07-15T23:28:33+2",
            "2011/07/15T23:28:33Z",
            "2011-07-15T23:28:33Zjunk",
            "+011-07-15T23:28:33Z",
            "1969-12-31T23:59:59Z",
            "é011-07-15T23:28:33Z",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_and_round_trips() {
        assert_eq!(format_iso8601(at(1_310_772_513)), "2011-07-15T23:28:33Z");
        assert_eq!(format_iso8601(at(1_709_164_800)), "2024-02-29T00:00:00Z");
        for seconds in [0, 59, 86_399, 951_782_400, 4_102_444_800, 1_799_999_999] {
            assert_eq!(
                parse_iso8601(&format_iso8601(at(seconds))),
                Some(at(seconds))
            );
        }
    }

    #[test]
    fn amz_date_formats_utc_time() {
        // The AWS test suite's timestamp.
        assert_eq!(amz_date(at(1_440_938_160)), "20150830T123600Z");
        assert_eq!(date_stamp(at(1_440_938_160)), "20150830");
        assert_eq!(amz_date(UNIX_EPOCH), "19700101T000000Z");
        assert_eq!(amz_date(at(86_399)), "19700101T235959Z");
    }

    #[test]
    fn amz_date_handles_leap_years_and_far_dates() {
        assert_eq!(amz_date(at(951_782_400)), "20000229T000000Z"); // 2000 is a leap year
        assert_eq!(amz_date(at(951_868_800)), "20000301T000000Z");
        assert_eq!(amz_date(at(1_709_164_800)), "20240229T000000Z");
        assert_eq!(amz_date(at(4_107_542_399)), "21000228T235959Z"); // 2100 is not
        assert_eq!(amz_date(at(4_107_542_400)), "21000301T000000Z");
        assert_eq!(amz_date(at(946_684_799)), "19991231T235959Z");
        assert_eq!(amz_date(at(2_147_483_647)), "20380119T031407Z"); // i32 limit
        assert_eq!(amz_date(at(2_147_483_648)), "20380119T031408Z");
        assert_eq!(amz_date(at(253_402_300_799)), "99991231T235959Z");
    }

    #[test]
    fn amz_date_rounds_down_before_1970() {
        assert_eq!(
            amz_date(UNIX_EPOCH - Duration::from_millis(500)),
            "19691231T235959Z"
        );
        assert_eq!(
            amz_date(UNIX_EPOCH - Duration::from_secs(86_400 * 365)),
            "19690101T000000Z"
        );
    }

    #[test]
    fn civil_from_days_steps_one_day_at_a_time_for_four_centuries() {
        // Walks day by day from 1900-01-01 and checks each date follows the previous one.
        let mut previous = civil_from_days(-25_567);
        assert_eq!(previous, (1900, 1, 1));
        for days in -25_566..120_000 {
            let (year, month, day) = civil_from_days(days);
            let next_day = (previous.0, previous.1, previous.2 + 1);
            let next_month = (previous.0, previous.1 + 1, 1);
            let next_year = (previous.0 + 1, 1, 1);
            let current = (year, month, day);
            assert!(
                current == next_day || current == next_month || current == next_year,
                "{previous:?} -> {current:?}"
            );
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let month_length = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            assert!(day <= month_length[usize::try_from(month - 1).unwrap()]);
            previous = current;
        }
    }

    #[test]
    fn days_from_civil_inverts_civil_from_days() {
        for days in (-800_000..3_000_000).step_by(997) {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(
                days_from_civil(year, month, day),
                days,
                "{year}-{month}-{day}"
            );
        }
    }

    #[test]
    fn http_date_formats_known_instants() {
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
    }
}
