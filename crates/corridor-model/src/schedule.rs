//! Timetables of scheduled services (ferries, liner loops, block trains): when a link departs.
//!
//! Departure times are given in the local time of the departure location (as operators publish
//! them) and turned into absolute instants with that location's IANA time zone, so a weekly
//! 23:00 sailing from Aktau stays at 23:00 Aktau time across daylight-saving changes elsewhere.
//! A link with no timetable but a headway is a frequency service: the wait is then random.

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use crate::ids::{Direction, LinkId, SourceId};

/// When a service departs.
#[derive(Clone, Debug)]
pub enum Schedule {
    /// The same departures every week.
    Weekly {
        /// Departure weekdays.
        days: Vec<Weekday>,
        /// Local departure times on each of those days.
        times: Vec<Time>,
        /// Time zone of the departure location.
        tz: TimeZone,
    },
    /// An explicit list of departures (sorted, absolute).
    Dated {
        /// Departure instants.
        departures: Vec<Timestamp>,
    },
}

impl Schedule {
    /// The first departure at or after `t`, if any (a dated list may have run out).
    pub fn next_departure(&self, t: Timestamp) -> Option<Timestamp> {
        match self {
            Schedule::Dated { departures } => {
                let i = departures.partition_point(|&d| d < t);
                departures.get(i).copied()
            }
            Schedule::Weekly { days, times, tz } => {
                if days.is_empty() || times.is_empty() {
                    return None;
                }
                let local = t.to_zoned_datetime(tz.clone());
                let start: Date = local.date();
                let mut best: Option<Timestamp> = None;
                // Eight days always contain the next departure of a weekly pattern.
                for offset in 0..8 {
                    let Ok(day) = start.checked_add(jiff::Span::new().days(offset)) else { continue };
                    if !days.contains(&day.weekday()) {
                        continue;
                    }
                    for &time in times {
                        let Ok(z) = day.to_datetime(time).to_zoned_datetime(tz.clone()) else { continue };
                        let dep = z.timestamp();
                        if dep >= t && best.is_none_or(|b| dep < b) {
                            best = Some(dep);
                        }
                    }
                    if best.is_some() {
                        return best;
                    }
                }
                best
            }
        }
    }

    /// Departure instants in `[from, to)`, sorted.
    pub fn departures_between(&self, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
        let mut out = Vec::new();
        let mut t = from;
        while let Some(d) = self.next_departure(t) {
            if d >= to {
                break;
            }
            out.push(d);
            t = d.checked_add(jiff::SignedDuration::from_secs(1)).unwrap_or(d);
            if out.len() > 100_000 {
                break;
            }
        }
        out
    }
}

/// Parses a three-letter weekday (`mon` ... `sun`, any case), as timetables in files use.
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s.to_ascii_lowercase().as_str() {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    })
}

/// The wait for the next departure when arriving at a random moment, as (mean, 90th
/// percentile) in hours, from the gaps between consecutive departures over `window` days
/// starting at `from`. `None` when fewer than two departures fall in the window.
///
/// With gaps g_i, a random arrival falls in gap i with probability g_i / sum(g) and then waits
/// uniformly on [0, g_i]: mean = sum(g_i^2) / (2 sum(g)).
pub fn wait_stats(departures: &[Timestamp]) -> Option<(f64, f64)> {
    if departures.len() < 2 {
        return None;
    }
    let gaps: Vec<f64> = departures.windows(2).map(|w| (w[1].as_second() - w[0].as_second()) as f64 / 3600.0).collect();
    let total: f64 = gaps.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mean = gaps.iter().map(|g| g * g).sum::<f64>() / (2.0 * total);
    // P(wait > w) = sum over gaps of max(0, g - w) / total; bisect for 0.1.
    let tail = |w: f64| gaps.iter().map(|g| (g - w).max(0.0)).sum::<f64>() / total;
    let (mut lo, mut hi) = (0.0, gaps.iter().cloned().fold(0.0, f64::max));
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if tail(mid) > 0.1 { lo = mid } else { hi = mid }
    }
    Some((mean, hi))
}

/// A timetabled service on one direction (or both) of a link.
#[derive(Clone, Debug)]
pub struct Service {
    /// The link it runs on.
    pub link: LinkId,
    /// The direction it runs in; `None` for both (each with its own local departure times).
    pub direction: Option<Direction>,
    /// When it departs.
    pub schedule: Schedule,
    /// TEU it can take per departure, where known.
    pub capacity_teu: Option<f64>,
    /// Provenance.
    pub sources: Vec<SourceId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn weekly_next_departure_in_local_time() {
        let tz = TimeZone::get("Asia/Aqtau").unwrap();
        let s = Schedule::Weekly {
            days: vec![Weekday::Monday, Weekday::Thursday],
            times: vec![Time::constant(23, 0, 0, 0)],
            tz,
        };
        // Monday 2026-11-30 23:00 at UTC+5 = 18:00 UTC.
        assert_eq!(s.next_departure(ts("2026-11-30T10:00:00Z")), Some(ts("2026-11-30T18:00:00Z")));
        assert_eq!(s.next_departure(ts("2026-11-30T18:00:00Z")), Some(ts("2026-11-30T18:00:00Z")));
        assert_eq!(s.next_departure(ts("2026-11-30T18:00:01Z")), Some(ts("2026-12-03T18:00:00Z")));
        assert_eq!(s.next_departure(ts("2026-12-04T00:00:00Z")), Some(ts("2026-12-07T18:00:00Z")));
    }

    #[test]
    fn dated_runs_out_and_wait_stats_follow_the_gaps() {
        let s = Schedule::Dated { departures: vec![ts("2026-12-01T00:00:00Z"), ts("2026-12-04T00:00:00Z")] };
        assert_eq!(s.next_departure(ts("2026-12-04T00:00:01Z")), None);
        // A departure every 24 h: mean wait 12 h, P90 21.6 h.
        let deps: Vec<Timestamp> =
            (0..10).map(|d| ts("2026-12-01T00:00:00Z") + jiff::SignedDuration::from_hours(24 * d)).collect();
        let (mean, p90) = wait_stats(&deps).unwrap();
        assert!((mean - 12.0).abs() < 1e-9 && (p90 - 21.6).abs() < 1e-6, "{mean} {p90}");
        // Gaps of 24 h and 144 h (Mon and Tue every week): mean = (24^2 + 144^2) / (2 x 168).
        let tz = TimeZone::UTC;
        let w = Schedule::Weekly { days: vec![Weekday::Monday, Weekday::Tuesday], times: vec![Time::midnight()], tz };
        let deps = w.departures_between(ts("2026-11-30T00:00:00Z"), ts("2027-03-01T00:00:01Z"));
        let (mean, _) = wait_stats(&deps).unwrap();
        let expected = (24.0f64.powi(2) + 144.0f64.powi(2)) / (2.0 * 168.0);
        assert!((mean - expected).abs() < 1e-9, "{mean} vs {expected}");
    }
}
