//! `[check]` in site.toml: the level of each of `check`'s warning codes
//! (`allow`, `warn`, `deny` lists) and the age at which a story counts as
//! stale. Levels work like clippy's: allowed warnings are not reported,
//! denied ones fail `check` as errors, the rest fail only `check --strict`.

use super::config::FILE;
use super::fields::{Reader, Sp};
use crate::diagnostics::Diagnostic;
use crate::report::codes::{self, Level};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Stories dated before today minus this are flagged `stale-story`.
    pub stale_after: Age,
    levels: BTreeMap<String, Level>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { stale_after: Age { n: 2, unit: Unit::Years }, levels: BTreeMap::new() }
    }
}

impl CheckConfig {
    pub fn level(&self, code: &str) -> Level {
        self.levels.get(code).copied().unwrap_or_default()
    }
}

/// An age in whole days, weeks, months or years (`"90d"`, `"8w"`, `"18m"`,
/// `"2y"`), counted on the calendar: `2y` before 2026-03-01 is 2024-03-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    pub n: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Age {
    fn parse(text: &str) -> Option<Age> {
        let t = text.trim();
        let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit())?);
        let n: u32 = n.parse().ok().filter(|n| (1..=1000).contains(n))?;
        let unit = match unit.trim() {
            "d" => Unit::Days,
            "w" => Unit::Weeks,
            "m" => Unit::Months,
            "y" => Unit::Years,
            _ => return None,
        };
        Some(Age { n, unit })
    }

    /// The day this age before `today` (year, month, day).
    pub fn before(&self, today: (i32, u32, u32)) -> (i32, u32, u32) {
        let (y, m, d) = today;
        let days = |k: i64| crate::clock::civil_from_days(crate::clock::days_from_civil(y, m, d) - k);
        match self.unit {
            Unit::Days => days(i64::from(self.n)),
            Unit::Weeks => days(7 * i64::from(self.n)),
            Unit::Months => {
                let months = y * 12 + m as i32 - 1 - self.n as i32;
                (months.div_euclid(12), months.rem_euclid(12) as u32 + 1, d)
            }
            Unit::Years => (y - self.n as i32, m, d),
        }
    }
}

impl std::fmt::Display for Age {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        write!(f, "{} {word}{}", self.n, if self.n == 1 { "" } else { "s" })
    }
}

/// Reads `[check]`; mistakes (an unknown code, a code in two lists, an age
/// that is not one) are errors at their place in site.toml.
pub(super) fn read(r: &mut Reader, t: &toml::de::DeTable<'_>) -> CheckConfig {
    let mut c = CheckConfig::default();
    r.unknown_keys(t, &["stale_after", "allow", "warn", "deny"], "[check]");
    if let Some(age) = r.str(t, "stale_after") {
        match Age::parse(&age.value) {
            Some(a) => c.stale_after = a,
            None => r.errors.push(
                Diagnostic::at(FILE, age.span, format!("`stale_after` `{}` is not an age", age.value.escape_debug()))
                    .hint("write days, weeks, months or years, like stale_after = \"2y\", \"18m\" or \"90d\""),
            ),
        }
    }
    // In file order, so a code named twice is reported where it is named the second time.
    let mut named: Vec<(Level, Sp<String>)> = Vec::new();
    for name in Level::NAMES {
        let level = Level::from_name(name).unwrap_or_default();
        named.extend(r.str_list(t, name).into_iter().map(|code| (level, code)));
    }
    named.sort_by_key(|(_, code)| code.span.start);
    for (level, code) in named {
        if !codes::is_code(&code.value) {
            let hint = crate::text::did_you_mean(&code.value, codes::CODES.iter().map(|(c, _)| *c))
                .unwrap_or_else(|| "the codes are listed in the README, under storypath check".into());
            r.errors.push(
                Diagnostic::at(FILE, code.span, format!("unknown warning code `{}`", code.value.escape_debug()))
                    .label("not a code of storypath check")
                    .hint(hint),
            );
        } else if c.levels.insert(code.value.clone(), level).is_some_and(|before| before != level) {
            r.errors.push(
                Diagnostic::at(FILE, code.span, format!("`{}` is given two levels", code.value))
                    .hint("name each code in one of allow, warn and deny"),
            );
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_on_the_calendar() {
        let age = |t| Age::parse(t).unwrap();
        assert_eq!(age("2y").before((2026, 3, 1)), (2024, 3, 1));
        assert_eq!(age("18m").before((2026, 3, 15)), (2024, 9, 15));
        assert_eq!(age("1m").before((2026, 1, 15)), (2025, 12, 15));
        assert_eq!(age("90d").before((2026, 3, 31)), (2025, 12, 31));
        assert_eq!(age("2w").before((2026, 1, 3)), (2025, 12, 20));
        assert_eq!(age("18m").to_string(), "18 months");
        for bad in ["", "2", "y", "2x", "-1y", "0d", "2 years"] {
            assert_eq!(Age::parse(bad), None, "{bad}");
        }
    }
}
