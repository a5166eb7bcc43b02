//! Money as people write it: an amount and an ISO 4217 currency, in any of the usual forms
//! (`5000000 EUR`, `EUR 5,000,000`, `€5m`, `1 000 000 eur`, `1'000'000 CHF`,
//! `2.5 million USD`), stored in one canonical form (`5000000 EUR`). Amounts in different
//! currencies compare only through an exchange rate; without one they do not compare.

use std::collections::BTreeMap;
use std::fmt;

/// An amount (at least 0, at most 10¹⁵) and its ISO 4217 currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub amount: f64,
    pub currency: String,
}

/// Why a text is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("Enter an amount and a currency, such as 5000000 EUR or EUR 5,000,000.")]
    Unreadable,
    #[error("“{0}” is not an ISO 4217 currency code; use one such as EUR, USD or GBP.")]
    UnknownCurrency(String),
    #[error("An amount cannot be negative.")]
    Negative,
    #[error("The amount is too large.")]
    TooLarge,
}

/// ISO 4217 codes in use (and the precious metals and SDR many insurers quote in).
const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XDR", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
];

/// Currency symbols people type, and the code each stands for.
const SYMBOLS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("$", "USD"),
    ("₹", "INR"),
    ("₩", "KRW"),
    ("₣", "CHF"),
];

/// Words and suffixes that multiply the amount (`5m`, `2.5 million`, `300k`).
const SCALES: &[(&str, f64)] = &[
    ("billion", 1e9),
    ("million", 1e6),
    ("thousand", 1e3),
    ("mio", 1e6),
    ("mn", 1e6),
    ("bn", 1e9),
    ("m", 1e6),
    ("k", 1e3),
];

/// The largest amount accepted.
const MAX_AMOUNT: f64 = 1e15;

impl Money {
    /// Reads an amount and a currency from the usual ways of writing them.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let mut rest = text.trim().to_owned();
        if rest.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let mut currency = None;
        for (symbol, code) in SYMBOLS {
            if let Some(stripped) = rest
                .strip_prefix(symbol)
                .or_else(|| rest.strip_suffix(symbol))
            {
                currency = Some((*code).to_owned());
                rest = stripped.trim().to_owned();
                break;
            }
        }
        if currency.is_none() {
            // A three-letter code at the start or the end, standing on its own.
            let letters = |s: &str| s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic());
            let not_letter = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphabetic());
            let start = rest
                .get(..3)
                .filter(|s| letters(s) && not_letter(rest[3..].chars().next()))
                .map(str::to_ascii_uppercase);
            let end = rest
                .len()
                .checked_sub(3)
                .and_then(|at| rest.get(at..).map(|s| (at, s)))
                .filter(|(at, s)| letters(s) && not_letter(rest[..*at].chars().next_back()))
                .map(|(at, s)| (at, s.to_ascii_uppercase()));
            let known = |code: &String| CURRENCIES.contains(&code.as_str());
            match (start, end) {
                (Some(code), _) if known(&code) => {
                    rest = rest[3..].trim().to_owned();
                    currency = Some(code);
                }
                (_, Some((at, code))) if known(&code) => {
                    rest = rest[..at].trim().to_owned();
                    currency = Some(code);
                }
                (Some(code), _) | (_, Some((_, code))) => {
                    return Err(MoneyError::UnknownCurrency(code));
                }
                (None, None) => {}
            }
        }
        let currency = currency.ok_or(MoneyError::Unreadable)?;
        let amount = amount(&rest)?;
        if amount > MAX_AMOUNT {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money { amount, currency })
    }

    /// This amount in `currency`, through `rates`; `None` without a rate for either side.
    pub fn in_currency(&self, currency: &str, rates: &ExchangeRates) -> Option<f64> {
        if self.currency == currency {
            return Some(self.amount);
        }
        Some(self.amount * rates.rate(&self.currency)? / rates.rate(currency)?)
    }
}

impl fmt::Display for Money {
    /// The canonical form: `5000000 EUR`, `2500.5 USD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", plain_number(self.amount), self.currency)
    }
}

impl serde::Serialize for Money {
    /// As its canonical text, `"5000000 EUR"`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    /// From any text [`Money::parse`] reads, so a stored amount is as checked as a typed one.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let text = String::deserialize(deserializer)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A number without exponent or trailing zeros (`1000`, `2.5`, `0`).
pub fn plain_number(value: f64) -> String {
    crate::text::decimal(value, 6)
}

/// The amount part: digits with thousands separators (`,`, `.`, spaces, `'`), a decimal
/// separator (the last `.` or `,` when followed by one or two digits, or a lone `.`), and an
/// optional scale word.
fn amount(text: &str) -> Result<f64, MoneyError> {
    let lower = text.to_ascii_lowercase();
    let mut number = lower.trim();
    let mut scale = 1.0;
    for (word, factor) in SCALES {
        if let Some(stripped) = number.strip_suffix(word)
            && stripped.trim_end().ends_with(|c: char| c.is_ascii_digit())
        {
            number = stripped.trim_end();
            scale = *factor;
            break;
        }
    }
    let digits: String = number
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '_'))
        .collect();
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Err(MoneyError::Unreadable);
    }
    let last_separator = digits.rfind([',', '.']);
    let plain = match last_separator {
        None => digits,
        Some(at) => {
            let decimals = digits.len() - at - 1;
            let separators = digits.matches([',', '.']).count();
            let mixed = digits.contains(',') && digits.contains('.');
            let decimal = if mixed {
                true
            } else if digits[at..].starts_with(',') {
                // `1,5` is a decimal comma; `1,000` and `1,000,000` group thousands.
                separators == 1 && decimals != 3
            } else {
                // `1.5` and `1.000` are decimal points; `1.000.000` groups thousands.
                separators == 1
            };
            if decimal {
                let whole: String = digits[..at].chars().filter(char::is_ascii_digit).collect();
                format!("{whole}.{}", &digits[at + 1..])
            } else {
                digits.chars().filter(char::is_ascii_digit).collect()
            }
        }
    };
    // Digits and at most one point by now: a number, unless too many digits for an f64.
    let value =
        crate::text::parse_number(&plain).ok_or(if plain.bytes().any(|b| b.is_ascii_digit()) {
            MoneyError::TooLarge
        } else {
            MoneyError::Unreadable
        })?;
    let value = value * scale;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(MoneyError::TooLarge)
    }
}

/// Whether `code` is an ISO 4217 currency code Assay knows (upper case).
pub fn is_currency(code: &str) -> bool {
    CURRENCIES.contains(&code)
}

/// An organisation's exchange rates: how much of its base currency one unit of each
/// currency is worth (the base itself is 1), quoted for one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExchangeRates {
    pub base: Option<String>,
    pub rates: BTreeMap<String, f64>,
    /// The day the rates are quoted for (named where an amount was converted).
    pub quoted_on: Option<time::Date>,
}

/// No rates at all: amounts compare only within one currency.
pub static NO_RATES: ExchangeRates = ExchangeRates {
    base: None,
    rates: BTreeMap::new(),
    quoted_on: None,
};

/// The most rates one table holds (every ISO currency fits).
pub const MAX_RATES: usize = 200;

/// The largest value of one unit in the base a rate may give (and `1 /` it the smallest).
const MAX_RATE: f64 = 1e9;

impl ExchangeRates {
    fn rate(&self, currency: &str) -> Option<f64> {
        if self.base.as_deref() == Some(currency) {
            return Some(1.0);
        }
        self.rates
            .get(currency)
            .copied()
            .filter(|r| r.is_finite() && *r > 0.0)
    }

    /// A table from `base` and `(currency, value of one unit in the base)` pairs, or the
    /// first problem as `(field, message)`: an unknown code, the base listed again, a
    /// currency listed twice, a rate that is not a positive number in a sane range.
    pub fn checked(
        base: &str,
        rates: &[(String, f64)],
        quoted_on: time::Date,
    ) -> Result<ExchangeRates, (String, String)> {
        let base = base.trim().to_ascii_uppercase();
        if !is_currency(&base) {
            return Err((
                "base".to_owned(),
                "Choose the base currency by its ISO 4217 code, such as EUR.".to_owned(),
            ));
        }
        if rates.len() > MAX_RATES {
            return Err((
                "rates".to_owned(),
                format!("A table holds at most {MAX_RATES} rates."),
            ));
        }
        let mut table = BTreeMap::new();
        for (i, (currency, rate)) in rates.iter().enumerate() {
            let code = currency.trim().to_ascii_uppercase();
            let field = |name: &str| format!("rates[{i}].{name}");
            if !is_currency(&code) {
                return Err((
                    field("currency"),
                    format!(
                        "Rate {}: give an ISO 4217 currency code, such as USD.",
                        i + 1
                    ),
                ));
            }
            if code == base {
                return Err((
                    field("currency"),
                    format!("{code} is the base currency: its rate is always 1."),
                ));
            }
            if !(rate.is_finite() && *rate >= 1.0 / MAX_RATE && *rate <= MAX_RATE) {
                return Err((
                    field("rate"),
                    format!("Give how many {base} one {code} is worth, as a positive number."),
                ));
            }
            if table.insert(code.clone(), *rate).is_some() {
                return Err((field("currency"), format!("{code} is listed twice.")));
            }
        }
        Ok(ExchangeRates {
            base: Some(base),
            rates: table,
            quoted_on: Some(quoted_on),
        })
    }

    /// "1 USD = 0.92 EUR (rates of 1 Dec 2026)": how an amount in `from` was converted into
    /// `to`, for the reason of a finding.
    pub fn conversion(&self, from: &str, to: &str) -> Option<String> {
        let factor = self.rate(from)? / self.rate(to)?;
        let quoted = self
            .quoted_on
            .map(|d| format!(" (rates of {})", crate::text::long_date(d)))
            .unwrap_or_default();
        Some(format!("1 {from} = {} {to}{quoted}", significant(factor)))
    }
}

/// A rate with six significant digits and no trailing zeros (`0.92`, `0.00625`, `158.3`).
fn significant(value: f64) -> String {
    let magnitude = value.abs().log10().floor();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let decimals = (5.0 - magnitude).clamp(0.0, 12.0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        Money::parse(text).map_or_else(|e| format!("error: {e}"), |m| m.to_string())
    }

    #[test]
    fn the_usual_ways_of_writing_an_amount_read_alike() {
        for text in [
            "5000000 EUR",
            "EUR 5000000",
            "5,000,000 EUR",
            "5 000 000 eur",
            "EUR 5,000,000",
            "€5,000,000",
            "5.000.000 EUR",
            "5m EUR",
            "5 million EUR",
            "EUR5000000",
            "5'000'000 EUR",
        ] {
            assert_eq!(canonical(text), "5000000 EUR", "{text}");
        }
        assert_eq!(canonical("2.5 million USD"), "2500000 USD");
        assert_eq!(canonical("$300k"), "300000 USD");
        assert_eq!(canonical("1,5 EUR"), "1.5 EUR");
        assert_eq!(canonical("1,234.56 GBP"), "1234.56 GBP");
        assert_eq!(canonical("1.234,56 EUR"), "1234.56 EUR");
        assert_eq!(canonical("£2bn"), "2000000000 GBP");
    }

    #[test]
    fn what_is_not_money_is_refused_with_a_reason() {
        assert_eq!(Money::parse("5000000"), Err(MoneyError::Unreadable));
        assert_eq!(Money::parse("lots EUR"), Err(MoneyError::Unreadable));
        assert!(Money::parse("5 EURO").is_err());
        assert_eq!(
            Money::parse("5 ABC"),
            Err(MoneyError::UnknownCurrency("ABC".to_owned()))
        );
        assert_eq!(Money::parse("-5 EUR"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("1e300 EUR"), Err(MoneyError::Unreadable));
        assert_eq!(
            Money::parse("9999999999999999 EUR"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn hostile_text_is_refused_quickly() {
        let huge = format!("{} EUR", "9".repeat(100_000));
        assert_eq!(Money::parse(&huge), Err(MoneyError::TooLarge));
        let separators = format!("1{} EUR", ",000".repeat(50_000));
        assert_eq!(Money::parse(&separators), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("5\u{0}000 EUR"), Err(MoneyError::Unreadable));
        assert_eq!(
            Money::parse("5\u{202e}000 EUR"),
            Err(MoneyError::Unreadable)
        );
        assert_eq!(Money::parse("€"), Err(MoneyError::Unreadable));
        assert_eq!(Money::parse(""), Err(MoneyError::Unreadable));
        assert_eq!(Money::parse("EUR EUR"), Err(MoneyError::Unreadable));
    }

    #[test]
    fn money_is_stored_as_its_canonical_text_and_checked_when_read() {
        let money = Money::parse("€5m").expect("money");
        let json = serde_json::to_string(&money).expect("serialises");
        assert_eq!(json, "\"5000000 EUR\"");
        assert_eq!(serde_json::from_str::<Money>(&json).ok(), Some(money));
        assert!(serde_json::from_str::<Money>("\"-5 EUR\"").is_err());
        assert!(serde_json::from_str::<Money>("5").is_err());
    }

    #[test]
    fn amounts_compare_across_currencies_only_through_a_rate() {
        let yen = Money::parse("5000000 JPY").expect("money");
        let none = ExchangeRates::default();
        assert_eq!(yen.in_currency("JPY", &none), Some(5_000_000.0));
        assert_eq!(
            yen.in_currency("EUR", &none),
            None,
            "no rate, no comparison"
        );
        let rates = ExchangeRates {
            base: Some("EUR".to_owned()),
            rates: BTreeMap::from([("JPY".to_owned(), 0.006)]),
            quoted_on: None,
        };
        let in_eur = yen.in_currency("EUR", &rates).expect("a rate");
        assert!((in_eur - 30_000.0).abs() < 1e-6, "{in_eur}");
        assert_eq!(
            rates.conversion("JPY", "EUR").as_deref(),
            Some("1 JPY = 0.006 EUR")
        );
        assert_eq!(
            rates.conversion("EUR", "JPY").as_deref(),
            Some("1 EUR = 166.667 JPY")
        );
    }

    #[test]
    fn a_rate_table_is_checked_before_it_is_kept() {
        let day = time::macros::date!(2026 - 12 - 01);
        let problem = |base: &str, rates: &[(&str, f64)]| {
            let rates: Vec<(String, f64)> =
                rates.iter().map(|(c, r)| ((*c).to_owned(), *r)).collect();
            ExchangeRates::checked(base, &rates, day)
                .err()
                .map(|(field, _)| field)
        };
        assert_eq!(problem("eur", &[("usd", 0.92), ("GBP", 1.17)]), None);
        assert_eq!(problem("EURO", &[]).as_deref(), Some("base"));
        assert_eq!(
            problem("EUR", &[("EUX", 1.0)]).as_deref(),
            Some("rates[0].currency")
        );
        assert_eq!(
            problem("EUR", &[("USD", 0.9), ("EUR", 1.0)]).as_deref(),
            Some("rates[1].currency"),
            "the base is not listed"
        );
        assert_eq!(
            problem("EUR", &[("USD", 0.9), ("usd", 0.91)]).as_deref(),
            Some("rates[1].currency"),
            "a currency is listed once"
        );
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e12, 1e-12] {
            assert_eq!(
                problem("EUR", &[("USD", bad)]).as_deref(),
                Some("rates[0].rate"),
                "{bad} is no rate"
            );
        }
        let many: Vec<(String, f64)> = (0..=MAX_RATES).map(|_| ("USD".to_owned(), 1.0)).collect();
        assert_eq!(
            ExchangeRates::checked("EUR", &many, day)
                .err()
                .map(|(f, _)| f)
                .as_deref(),
            Some("rates")
        );
    }
}
