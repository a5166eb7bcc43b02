//! Countries by their ISO 3166-1 alpha-2 code: a [`Country`] only ever holds an assigned
//! code, the regions data-protection law draws borders with (EU, EEA, UK, Switzerland),
//! and a search for a select box that matches codes, names and common other names.
//!
//! The names live in [`names`], read only by [`Country::name`] and [`search`]: checking a
//! code uses a 676-bit map computed from the table at compile time, so the vendor portal,
//! which checks codes but never lists countries, does not download the names.

mod names;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::named;

/// An assigned ISO 3166-1 alpha-2 country code, in upper case. A value that exists is
/// valid; serde reads and writes the code (`"DE"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

/// Why a text is not a country code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryError {
    #[error("Choose a country by its two-letter ISO code, such as DE or US.")]
    NotTwoLetters,
    #[error("“{0}” is not an assigned ISO 3166-1 country code.")]
    Unassigned(String),
}

/// Which of the 26 × 26 two-letter codes are assigned: bit `second` of word `first`.
const ASSIGNED: [u32; 26] = assigned(names::TABLE);

const fn assigned(table: &[(&str, &str)]) -> [u32; 26] {
    let mut bits = [0u32; 26];
    let mut i = 0;
    while i < table.len() {
        let code = table[i].0.as_bytes();
        bits[(code[0] - b'A') as usize] |= 1 << (code[1] - b'A');
        i += 1;
    }
    bits
}

impl Country {
    /// The country `code` names, in any case and with surrounding spaces (`" de "`).
    pub fn parse(code: &str) -> Result<Country, CountryError> {
        let code = code.trim();
        let bytes = code.as_bytes();
        if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(CountryError::NotTwoLetters);
        }
        let upper = [bytes[0].to_ascii_uppercase(), bytes[1].to_ascii_uppercase()];
        if ASSIGNED[usize::from(upper[0] - b'A')] & (1 << (upper[1] - b'A')) == 0 {
            return Err(CountryError::Unassigned(code.to_ascii_uppercase()));
        }
        Ok(Country(upper))
    }

    /// The code (`"DE"`).
    pub fn code(&self) -> &str {
        // Two ASCII letters, so always UTF-8; the fallback only keeps this free of panics.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The English short name (`"Germany"`). Links the name table.
    pub fn name(self) -> &'static str {
        names::TABLE
            .binary_search_by(|(code, _)| code.as_bytes().cmp(&self.0[..]))
            .map_or("Unknown country", |at| names::TABLE[at].1)
    }

    /// Whether the country lies in `region`.
    pub fn is_in(self, region: Region) -> bool {
        match region {
            Region::Eu => EU.contains(&self.0),
            Region::Eea => EU.contains(&self.0) || EEA_EFTA.contains(&self.0),
            Region::Uk => &self.0 == b"GB",
            Region::Switzerland => &self.0 == b"CH",
        }
    }

    /// Every assigned country, by code.
    pub fn all() -> impl Iterator<Item = Country> {
        names::TABLE
            .iter()
            .filter_map(|(code, _)| Country::parse(code).ok())
    }
}

impl TryFrom<&str> for Country {
    type Error = CountryError;

    fn try_from(code: &str) -> Result<Self, Self::Error> {
        Country::parse(code)
    }
}

impl TryFrom<String> for Country {
    type Error = CountryError;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        Country::parse(&code)
    }
}

impl From<Country> for String {
    fn from(country: Country) -> String {
        country.to_string()
    }
}

impl fmt::Display for Country {
    /// The code (`DE`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b] = self.0;
        write!(f, "{}{}", char::from(a), char::from(b))
    }
}

/// The borders data-protection law draws: transfers leaving these need a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The 27 member states of the European Union, with the outermost regions and Åland
    /// that ISO codes separately (they are part of the Union and under the GDPR).
    Eu,
    /// The European Economic Area: the EU with Iceland, Liechtenstein and Norway, where
    /// the GDPR applies through the EEA Agreement.
    Eea,
    /// The United Kingdom (UK GDPR).
    Uk,
    /// Switzerland (the revised Federal Act on Data Protection).
    Switzerland,
}

named!(Region {
    Eu => "eu", "European Union";
    Eea => "eea", "European Economic Area";
    Uk => "uk", "United Kingdom";
    Switzerland => "switzerland", "Switzerland";
});

/// The EU member states, then the outermost regions and Åland with their own ISO codes
/// (French Guiana, Guadeloupe, Martinique, Mayotte, Réunion, Saint Martin, Åland).
const EU: &[[u8; 2]] = &[
    *b"AT", *b"BE", *b"BG", *b"HR", *b"CY", *b"CZ", *b"DK", *b"EE", *b"FI", *b"FR", *b"DE", *b"GR",
    *b"HU", *b"IE", *b"IT", *b"LV", *b"LT", *b"LU", *b"MT", *b"NL", *b"PL", *b"PT", *b"RO", *b"SK",
    *b"SI", *b"ES", *b"SE", *b"GF", *b"GP", *b"MQ", *b"YT", *b"RE", *b"MF", *b"AX",
];

/// The EFTA states in the EEA.
const EEA_EFTA: &[[u8; 2]] = &[*b"IS", *b"LI", *b"NO"];

/// The country a whole name or common other name means, ignoring case and accents
/// (`germany`, `Côte d'Ivoire`, `USA`, `UK`); `None` for anything else, a partial name
/// included.
pub fn named(text: &str) -> Option<Country> {
    let wanted = fold(text.trim().chars().take(MAX_QUERY));
    if wanted.is_empty() {
        return None;
    }
    let by_name = names::TABLE.iter().map(|(code, name)| (*name, *code));
    let by_alias = names::ALIASES.iter().map(|(alias, code)| (*alias, *code));
    by_name
        .chain(by_alias)
        .find(|(name, _)| fold(name.chars()) == wanted)
        .and_then(|(_, code)| Country::parse(code).ok())
}

#[cfg(test)]
mod named_tests {
    use super::named;

    #[test]
    fn whole_names_and_common_names_find_their_country_partial_ones_do_not() {
        let code = |text: &str| named(text).map(|c| c.code().to_owned());
        assert_eq!(code("germany").as_deref(), Some("DE"));
        assert_eq!(code(" United States ").as_deref(), Some("US"));
        assert_eq!(code("UK").as_deref(), Some("GB"));
        assert_eq!(
            code("aland islands").as_deref(),
            Some("AX"),
            "accents ignored"
        );
        assert_eq!(code("Germ"), None, "a partial name is not a country");
        assert_eq!(code(""), None);
    }
}

/// The longest query [`search`] reads; a select box needs no more.
const MAX_QUERY: usize = 100;

/// Countries whose code, name or other common name (`UK`, `USA`, `South Korea`) contains
/// `query`, ignoring case and accents (`aland` finds Åland Islands): the code or a whole
/// name itself first, then names that start with the query, then names with a word that does, then
/// the rest, each group by name. An empty query lists every country by name.
pub fn search(query: &str) -> impl Iterator<Item = Country> {
    let query: String = fold(query.trim().chars().take(MAX_QUERY));
    let code = Country::parse(&query).ok();
    let mut hits: Vec<(u8, &'static str, Country)> = Vec::new();
    let mut consider = |text: &str, country: Country, name: &'static str| {
        let text = fold(text.chars());
        let rank = if Some(country) == code || text == query {
            0
        } else if text.starts_with(&query) {
            1
        } else if text
            .match_indices(&query)
            .any(|(at, _)| text[..at].ends_with(|c: char| !c.is_ascii_alphanumeric()))
        {
            2
        } else if text.contains(&query) {
            3
        } else {
            return;
        };
        match hits.iter_mut().find(|(_, _, c)| *c == country) {
            Some(hit) => hit.0 = hit.0.min(rank),
            None => hits.push((rank, name, country)),
        }
    };
    for (code, name) in names::TABLE {
        if let Ok(country) = Country::parse(code) {
            consider(name, country, name);
            consider(code, country, name);
        }
    }
    for (alias, code) in names::ALIASES {
        if let Ok(country) = Country::parse(code) {
            consider(alias, country, country.name());
        }
    }
    hits.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    hits.into_iter().map(|(_, _, country)| country)
}

/// Lower-case ASCII without accents, for matching: `Åland` → `aland`. Letters outside
/// Latin-1 and Latin Extended-A stay as they are (no Unicode tables are linked for this).
pub(crate) fn fold(text: impl Iterator<Item = char>) -> String {
    text.map(|c| match c {
        'À'..='Å' | 'à'..='å' | 'Ā'..='ą' => 'a',
        'Ç' | 'ç' | 'Ć'..='č' => 'c',
        'Ď'..='đ' => 'd',
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => 'e',
        'Ĝ'..='ģ' => 'g',
        'Ĥ'..='ħ' => 'h',
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='ı' => 'i',
        'Ĵ' | 'ĵ' => 'j',
        'Ķ' | 'ķ' => 'k',
        'Ĺ'..='ł' => 'l',
        'Ñ' | 'ñ' | 'Ń'..='ň' => 'n',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō'..='ő' => 'o',
        'Ŕ'..='ř' => 'r',
        'Ś'..='š' | 'ß' => 's',
        'Ţ'..='ŧ' => 't',
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' => 'u',
        'Ý' | 'ý' | 'ÿ' | 'Ŷ'..='Ÿ' => 'y',
        'Ź'..='ž' => 'z',
        '’' | '‘' => '\'',
        c => c.to_ascii_lowercase(),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> Country {
        Country::parse(code).expect("an assigned code")
    }

    fn found(query: &str) -> Vec<String> {
        search(query).map(|c| c.to_string()).collect()
    }

    #[test]
    fn the_table_holds_every_assigned_code_once_in_order() {
        assert_eq!(names::TABLE.len(), 249, "ISO 3166-1 assigns 249 codes");
        for pair in names::TABLE.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, name) in names::TABLE {
            assert_eq!(country(code).code(), *code);
            assert_eq!(country(code).name(), *name);
        }
        for (alias, code) in names::ALIASES {
            assert!(Country::parse(code).is_ok(), "{alias} points at {code}");
        }
        assert_eq!(Country::all().count(), 249);
    }

    #[test]
    fn codes_read_in_any_case_and_unassigned_ones_are_refused_with_a_reason() {
        assert_eq!(country(" de ").to_string(), "DE");
        assert_eq!(
            Country::try_from("gb").map(Country::name),
            Ok("United Kingdom")
        );
        assert_eq!(
            Country::parse("XX"),
            Err(CountryError::Unassigned("XX".to_owned()))
        );
        assert_eq!(
            Country::parse("UK").map_err(|e| e.to_string()),
            Err("“UK” is not an assigned ISO 3166-1 country code.".to_owned()),
            "the United Kingdom is GB"
        );
        for bad in ["", "D", "DEU", "D1", "ÄÖ", "🇩🇪", &"A".repeat(10_000)] {
            assert_eq!(
                Country::parse(bad),
                Err(CountryError::NotTwoLetters),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn serde_reads_and_writes_the_code() {
        assert_eq!(
            serde_json::to_string(&country("ch")).expect("serialises"),
            "\"CH\""
        );
        let read: Country = serde_json::from_str("\"fr\"").expect("a code");
        assert_eq!(read, country("FR"));
        assert!(serde_json::from_str::<Country>("\"QQ\"").is_err());
        assert!(serde_json::from_str::<Country>("7").is_err());
    }

    #[test]
    fn regions_follow_the_treaties() {
        let eu = Country::all().filter(|c| c.is_in(Region::Eu)).count();
        assert_eq!(eu, 27 + 7, "27 member states and 7 separately coded parts");
        for code in ["IS", "LI", "NO"] {
            assert!(country(code).is_in(Region::Eea), "{code} is in the EEA");
            assert!(!country(code).is_in(Region::Eu), "{code} is not in the EU");
        }
        for code in ["GB", "CH", "US", "FO", "GL", "GG", "JE", "IM"] {
            assert!(
                !country(code).is_in(Region::Eea),
                "{code} is outside the EEA"
            );
        }
        assert!(country("GB").is_in(Region::Uk));
        assert!(country("CH").is_in(Region::Switzerland));
        assert!(
            country("RE").is_in(Region::Eu),
            "Réunion is an outermost region"
        );
        crate::named::assert_names_are_the_wire::<Region>();
    }

    #[test]
    fn search_puts_the_code_and_prefixes_first() {
        assert_eq!(found("de").first().map(String::as_str), Some("DE"));
        assert_eq!(
            found("guinea"),
            ["GN", "GW", "GQ", "PG"],
            "names starting with the query, then names with a word starting with it"
        );
        assert_eq!(
            found("ger"),
            ["DE", "DZ", "NE", "NG"],
            "then any other, by name"
        );
        assert_eq!(found("aland"), ["AX", "NZ"], "accents are ignored; Zealand");
        assert_eq!(found("ÅLAND"), ["AX", "NZ"]);
        assert_eq!(found("cote d"), ["CI"]);
        assert_eq!(found("uk").first().map(String::as_str), Some("GB"));
        assert_eq!(found("south korea"), ["KR"]);
        assert_eq!(found("turkey"), ["TR"]);
        assert_eq!(found("").len(), 249, "an empty query lists everything");
        assert!(found("zzzz").is_empty());
        assert!(found(&"a".repeat(1_000_000)).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics_and_what_parses_prints_back(text in "\\PC{0,6}") {
            if let Ok(country) = Country::parse(&text) {
                proptest::prop_assert_eq!(country.to_string(), text.trim().to_ascii_uppercase());
                proptest::prop_assert_eq!(Country::parse(&country.to_string()), Ok(country));
            }
        }

        #[test]
        fn every_hit_contains_the_query(query in "[a-zA-Z ]{1,8}") {
            let folded = fold(query.trim().chars());
            for country in search(&query) {
                let names: Vec<String> = std::iter::once(country.name())
                    .chain(std::iter::once(country.code()))
                    .chain(names::ALIASES.iter().filter(|(_, c)| *c == country.code()).map(|(a, _)| *a))
                    .map(|n| fold(n.chars()))
                    .collect();
                proptest::prop_assert!(
                    names.iter().any(|n| n.contains(&folded)),
                    "{} does not contain {:?}", country.name(), query
                );
            }
        }
    }
}
