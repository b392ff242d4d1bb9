//! [`Deprecation`]: an operation that will go away, announced to the
//! clients still calling it: `deprecated: true` and `x-sunset` in the spec,
//! RFC 9745's `Deprecation` and RFC 8594's `Sunset` headers and a `Link` to
//! the migration notes on its answers.

/// A calendar date, `YYYY-MM-DD`, at midnight UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    year: i64,
    month: u32,
    day: u32,
}

impl Date {
    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0);
        let days = [
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
        let ok = (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days[date.month as usize - 1];
        ok.then_some(date)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days(self) -> i64 {
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// As an HTTP date (IMF-fixdate): `Wed, 30 Jun 2027 00:00:00 GMT`.
    fn http_date(self) -> String {
        const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!(
            "{}, {:02} {} {} 00:00:00 GMT",
            WEEKDAYS[self.days().rem_euclid(7) as usize],
            self.day,
            MONTHS[self.month as usize - 1],
            self.year
        )
    }

    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn date(text: &str, what: &str) -> Date {
    Date::parse(text).unwrap_or_else(|| panic!("{what} is a date, `YYYY-MM-DD`: got {text:?}"))
}

/// An announced deprecation.
///
/// ```
/// use contract_openapi::Deprecation;
///
/// let d = Deprecation::new()
///     .since("2026-12-01")
///     .sunset("2027-06-30")
///     .link("https://example.com/api/changes#v2-seminars");
/// assert_eq!(d.deprecation_header().as_deref(), Some("@1796083200"));
/// assert_eq!(d.sunset_header().as_deref(), Some("Wed, 30 Jun 2027 00:00:00 GMT"));
/// assert_eq!(d.sunset_date().as_deref(), Some("2027-06-30"));
/// assert_eq!(
///     d.link_header().as_deref(),
///     Some("<https://example.com/api/changes#v2-seminars>; rel=\"deprecation\"; type=\"text/html\"")
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecation {
    since: Option<Date>,
    sunset: Option<Date>,
    link: Option<String>,
}

impl Deprecation {
    /// Deprecated, with no date or link yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Deprecated since `date` (`YYYY-MM-DD`).
    ///
    /// # Panics
    /// When `date` is not a calendar date: it is the app's constant.
    pub fn since(mut self, date: &str) -> Self {
        self.since = Some(self::date(date, "`since`"));
        self
    }

    /// Removed after `date` (`YYYY-MM-DD`): `contract diff` allows the
    /// removal from then on.
    ///
    /// # Panics
    /// When `date` is not a calendar date.
    pub fn sunset(mut self, date: &str) -> Self {
        self.sunset = Some(self::date(date, "`sunset`"));
        self
    }

    /// Where the migration notes are.
    pub fn link(mut self, url: &str) -> Self {
        self.link = Some(url.to_owned());
        self
    }

    /// The `Deprecation` header (RFC 9745): `@` and the Unix time of
    /// `since`; `None` without one.
    pub fn deprecation_header(&self) -> Option<String> {
        self.since.map(|d| format!("@{}", d.days() * 86_400))
    }

    /// The `Sunset` header (RFC 8594), an HTTP date.
    pub fn sunset_header(&self) -> Option<String> {
        self.sunset.map(Date::http_date)
    }

    /// The `Link` header to the notes, `rel="deprecation"` (RFC 9745).
    pub fn link_header(&self) -> Option<String> {
        self.link
            .as_ref()
            .map(|l| format!("<{l}>; rel=\"deprecation\"; type=\"text/html\""))
    }

    /// The sunset date, `YYYY-MM-DD`, as the spec's `x-sunset` holds it.
    pub fn sunset_date(&self) -> Option<String> {
        self.sunset.map(Date::iso)
    }

    /// One sentence for the operation's description.
    pub(crate) fn sentence(&self) -> String {
        let mut s = String::from("Deprecated");
        if let Some(d) = self.since {
            s.push_str(&format!(" since {}", d.iso()));
        }
        if let Some(d) = self.sunset {
            s.push_str(&format!("; removed after {}", d.iso()));
        }
        if let Some(l) = &self.link {
            s.push_str(&format!("; see {l}"));
        }
        s.push('.');
        s
    }
}

/// Whether `date` (`YYYY-MM-DD`) is before `today` (`YYYY-MM-DD`): a
/// sunset that has passed. A date that does not parse has not passed.
pub(crate) fn passed(date: &str, today: &str) -> bool {
    matches!((Date::parse(date), Date::parse(today)), (Some(d), Some(t)) if d < t)
}

/// Today, `YYYY-MM-DD`, UTC.
pub(crate) fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_write_both_ways() {
        assert_eq!(date("1970-01-01", "d").days(), 0);
        assert_eq!(date("2000-03-01", "d").days(), 11_017);
        assert_eq!(
            date("2024-02-29", "d").http_date(),
            "Thu, 29 Feb 2024 00:00:00 GMT"
        );
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("23-01-01").is_none());
        assert!(passed("2020-01-01", &today()));
        assert!(!passed("2999-01-01", &today()));
        assert_eq!(today().len(), 10);
    }
}
