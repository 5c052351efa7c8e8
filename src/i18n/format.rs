//! Dates and numbers as the page's locale writes them, from CLDR data
//! compiled into the binary (ICU4X): "2 May 2019" is "May 2, 2019" in
//! English, "2 mai 2019" in French, "2 مايو 2019" in Arabic; 52,000 is
//! "52 000" in French. A language ICU does not know writes like English.

use icu_datetime::fieldsets::YMD;
use icu_datetime::input::Date;
use icu_datetime::DateTimeFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use writeable::Writeable;

/// The locale of a language code (`fr`, `pt-BR`), if it is one.
pub fn locale(lang: &str) -> Option<Locale> {
    Locale::try_from_str(lang).ok()
}

/// The formatters of one locale.
pub struct Formats {
    date: Option<DateTimeFormatter<YMD>>,
    number: Option<DecimalFormatter>,
    /// `ll_CC`, as Open Graph writes locales (`en_US`, `fr_FR`, `ar_EG`).
    pub og_locale: String,
    /// Whether the language is written right to left (Arabic, Hebrew…), from CLDR.
    pub rtl: bool,
}

impl Formats {
    pub fn new(locale: Option<&Locale>) -> Formats {
        let fallback = || locale!("en");
        let l = locale.cloned().unwrap_or_else(fallback);
        Formats {
            date: DateTimeFormatter::try_new((&l).into(), YMD::long()).ok(),
            number: DecimalFormatter::try_new((&l).into(), Default::default()).ok(),
            og_locale: og_locale(&l),
            rtl: icu_locale::LocaleDirectionality::new_common().is_right_to_left(&l.id),
        }
    }

    /// A calendar date in words.
    pub fn date(&self, year: i32, month: u8, day: u8) -> String {
        match (&self.date, Date::try_new_iso(year, month, day)) {
            (Some(f), Ok(d)) => f.format(&d).write_to_string().into_owned(),
            _ => format!("{year:04}-{month:02}-{day:02}"),
        }
    }

    /// `scaled` / 10^`digits` with that many fraction digits: (25, 1) is
    /// "2.5" in English, "2,5" in French.
    pub fn decimal(&self, scaled: i64, digits: i16) -> String {
        let mut d = Decimal::from(scaled);
        d.multiply_pow10(-digits);
        match &self.number {
            Some(f) => f.format(&d).write_to_string().into_owned(),
            None => d.to_string(),
        }
    }

    /// An amount of money: whole, or with cents ("18.50").
    pub fn amount(&self, x: f64) -> String {
        if x.fract() == 0.0 {
            self.number(x as i64)
        } else {
            self.decimal((x * 100.0).round() as i64, 2)
        }
    }

    /// A whole number with the locale's digits and group separators.
    pub fn number(&self, n: i64) -> String {
        match &self.number {
            Some(f) => f.format(&Decimal::from(n)).write_to_string().into_owned(),
            None => n.to_string(),
        }
    }
}

use icu_locale_core::locale;

/// `en` -> `en_US`, `fr-CA` -> `fr_CA`: the likely region from CLDR when
/// the code names none.
fn og_locale(l: &Locale) -> String {
    let mut id = l.id.clone();
    icu_locale::LocaleExpander::new_common().maximize(&mut id);
    match id.region {
        Some(r) => format!("{}_{}", id.language, r),
        None => id.language.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_numbers_and_og_locales_by_language() {
        let f = |l: &str| Formats::new(locale(l).as_ref());
        assert_eq!(f("en").date(2025, 8, 11), "August 11, 2025");
        assert_eq!(f("fr").date(2025, 8, 11), "11 août 2025");
        assert_eq!(f("de").date(2025, 8, 11), "11. August 2025");
        assert_eq!(f("en").number(52000), "52,000");
        assert_eq!(f("fr").number(52000), "52\u{202f}000");
        assert_eq!(f("en").og_locale, "en_US");
        assert_eq!(f("fr-CA").og_locale, "fr_CA");
        assert_eq!(f("ar").og_locale, "ar_EG");
        assert_eq!(f("pt").og_locale, "pt_BR");
        assert!(f("ar").rtl && f("he").rtl && !f("fr").rtl && !f("en").rtl);
    }
}
