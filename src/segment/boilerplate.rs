//! Web-page chrome that must reach no record: cookie and skip-link banners anywhere, and everything
//! from the site's contact box or feedback widget to the end ("Kontakt", "Hjälpte informationen på
//! sidan dig?", "Sidfot").
//!
//! Only web pages are cut: a circular's "Kontakt" line is content. This module never removes text
//! before the article's end except the banners listed here.

use super::text::norm;
use super::units::{Kind, Unit};

/// Lines that open the site chrome after an article: everything from here on is chrome.
const CHROME_STARTS: &[&str] = &[
    "kontakt",
    "kontakta oss",
    "hjälpte informationen på sidan dig?",
    "hjälpte informationen dig?",
    "var informationen till hjälp?",
    "tack för att du hjälper oss!",
    "sidfot",
    "dela sidan",
    "dela på sociala medier",
];

/// Phrases of banners and hidden links that may stand anywhere in a saved page.
const BANNERS: &[&str] = &[
    "använder kakor",
    "använder cookies",
    "gå direkt till innehållet",
    "hoppa till innehållet",
    "till huvudinnehåll",
    "besöksadress:",
    "postadress:",
    "ditt nuvarande webbläsare",
    "javascript är avstängt",
];

fn is_chrome_start(u: &Unit) -> bool {
    u.kind != Kind::Item && CHROME_STARTS.contains(&norm(&u.text).as_str())
}

fn is_banner(u: &Unit) -> bool {
    let t = norm(&u.text);
    BANNERS.iter().any(|b| t.contains(b))
}

/// Remove a web page's chrome: banners anywhere, and the tail from the first chrome line after the
/// first unit (the page's title or publication line).
pub(crate) fn strip_web_chrome(units: &mut Vec<Unit>) {
    if let Some(cut) = units.iter().skip(1).position(is_chrome_start) {
        units.truncate(1 + cut);
    }
    units.retain(|u| !is_banner(u));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(text: &str) -> Unit {
        Unit {
            kind: Kind::Text,
            lines: vec![text.into()],
            text: text.into(),
            size: 11.0,
            bold: false,
            page: 1,
        }
    }

    #[test]
    fn cuts_from_the_contact_box() {
        let mut u: Vec<Unit> = [
            "Vi använder kakor för att webbplatsen ska fungera.",
            "Jämställdhet",
            "Text om SKR.",
            "Kontakt",
            "Kontakta SKR",
            "Sidfot",
        ]
        .into_iter()
        .map(unit)
        .collect();
        strip_web_chrome(&mut u);
        let texts: Vec<&str> = u.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(texts, vec!["Jämställdhet", "Text om SKR."]);
    }

    #[test]
    fn a_sentence_mentioning_contact_is_content() {
        let mut u: Vec<Unit> =
            ["Titel", "Kontakt med kommunerna har tagits.", "Mer text."].into_iter().map(unit).collect();
        strip_web_chrome(&mut u);
        assert_eq!(u.len(), 3);
    }
}
