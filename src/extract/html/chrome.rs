//! Which elements of a saved page are site chrome (navigation, cookie banner, forms, share buttons …)
//! rather than article.
//!
//! Markup gives two kinds of evidence. Hard evidence is the element itself: `<nav>`, `<script>`, a form
//! control. Soft evidence is a guess from a class name, an ARIA role, `hidden` or an inline style; a
//! saved page can carry state from the moment it was saved (a cookie dialog that set `aria-hidden` on the
//! whole page, a `<div class="menu-closed">` wrapper), so soft evidence never removes an element that
//! holds the article (its `<main>`, `<article>` or `<h1>`).
//!
//! This module only answers "drop this element?"; it never renders text or picks the article root.

use scraper::ElementRef;

/// Elements that never carry article text.
const NEVER_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "button", "select", "option", "optgroup",
    "datalist", "textarea", "input", "iframe", "object", "embed", "canvas", "video", "audio", "map",
    "dialog", "head", "title", "meta", "link", "base",
];

/// ARIA landmark and widget roles that mark chrome.
const CHROME_ROLES: &[&str] =
    &["navigation", "search", "banner", "contentinfo", "dialog", "alertdialog", "menu", "menubar", "toolbar"];

/// Class or id words that mark chrome wherever they occur in a token ("cookie-banner", "mainMenu").
/// Swedish sites also name chrome in Swedish: "meny", "brodsmulor" (breadcrumbs).
const CHROME_SUBSTRINGS: &[&str] = &[
    "cookie",
    "consent",
    "breadcrumb",
    "brodsmul",
    "feedback",
    "banner",
    "menu",
    "meny",
    "readspeaker",
    "socialmedia",
];

/// Class or id words that are too short or too common to match inside a longer token: "skip" and
/// "share" start a chrome token ("skiplink", "sharebox") but "shared" does not; "nav" starts or ends
/// one ("navigation", "subnav") but "canvas" is not; "social" alone is chrome but "socialtjanst"
/// (social services) is content.
const CHROME_PREFIXES: &[&str] = &["skip", "share", "sharing", "nav"];
const CHROME_SUFFIXES: &[&str] = &["nav"];
const CHROME_TOKENS: &[&str] = &["social", "kakor", "dela"];
const NOT_CHROME_TOKENS: &[&str] = &["shared"];

/// Class or id words for the site's header and footer, which only count outside the article.
const SITE_LEVEL_TOKENS: &[&str] = &["header", "footer", "masthead", "sidfot", "sidhuvud"];

/// True when `el` (and everything inside it) is not part of the article.
pub(super) fn is_chrome(el: ElementRef<'_>) -> bool {
    let element = el.value();
    let name = element.name();
    if NEVER_TEXT.contains(&name) {
        return true;
    }
    let site_level = matches!(name, "header" | "footer") && is_site_level(el);
    // A form can wrap a whole page (ASP.NET WebForms do), so it is soft evidence too.
    let soft = name == "form"
        || site_level
        || is_hidden(el)
        || has_role(el, CHROME_ROLES)
        || has_chrome_name(el, is_site_level(el));
    soft && !holds_article(el)
}

/// True when the page hides `el` from readers: the `hidden` attribute, `aria-hidden`, or an inline
/// `display: none` / `visibility: hidden`.
pub(super) fn is_hidden(el: ElementRef<'_>) -> bool {
    let element = el.value();
    // "until-found" content is collapsed, not hidden: find-in-page (and printing) shows it.
    if element.attr("hidden").is_some_and(|v| !v.trim().eq_ignore_ascii_case("until-found")) {
        return true;
    }
    if element.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return true;
    }
    element.attr("style").is_some_and(|style| {
        let style: String =
            style.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// True when `el` has one of `roles` (the attribute may list several, space-separated).
pub(super) fn has_role(el: ElementRef<'_>, roles: &[&str]) -> bool {
    el.value().attr("role").is_some_and(|attr| {
        attr.split_ascii_whitespace().any(|r| roles.iter().any(|role| r.eq_ignore_ascii_case(role)))
    })
}

/// True when `el` is or contains the article: a `<main>`, an `<article>`, a `role="main"` element or
/// an `<h1>` with text. Soft evidence must not remove such an element.
fn holds_article(el: ElementRef<'_>) -> bool {
    el.descendent_elements().any(|d| match d.value().name() {
        "main" | "article" => true,
        "h1" => d.text().any(|t| !t.trim().is_empty()),
        _ => has_role(d, &["main"]),
    })
}

/// True when `el` belongs to the page rather than to a piece of content: no `<main>`, `<article>`,
/// `<section>`, `<aside>` or `<nav>` around it. That is the HTML rule for whether a `<header>` or
/// `<footer>` is the site's or an article's own.
fn is_site_level(el: ElementRef<'_>) -> bool {
    !el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        matches!(a.value().name(), "main" | "article" | "section" | "aside" | "nav") || has_role(a, &["main"])
    })
}

/// True when a class or the id of `el` names chrome. `site_level` adds the names of the site's header
/// and footer, which inside an article would be its own ("article-footer" with the publication date).
fn has_chrome_name(el: ElementRef<'_>, site_level: bool) -> bool {
    let element = el.value();
    let names = element.attr("class").into_iter().chain(element.attr("id"));
    names.flat_map(|n| n.split(|c: char| !c.is_alphanumeric())).filter(|t| !t.is_empty()).any(|token| {
        let token = token.to_lowercase();
        let token = token.as_str();
        if NOT_CHROME_TOKENS.contains(&token) {
            return false;
        }
        CHROME_SUBSTRINGS.iter().any(|w| token.contains(w))
            || CHROME_PREFIXES.iter().any(|w| token.starts_with(w))
            || CHROME_SUFFIXES.iter().any(|w| token.ends_with(w))
            || CHROME_TOKENS.contains(&token)
            || (site_level && SITE_LEVEL_TOKENS.contains(&token))
    })
}

#[cfg(test)]
mod tests {
    use scraper::{Html, Selector};

    use super::*;

    /// Whether the first element matching `selector` in `html` is chrome.
    fn chrome(html: &str, selector: &str) -> bool {
        let doc = Html::parse_document(html);
        let Ok(sel) = Selector::parse(selector) else { panic!("bad selector {selector}") };
        let Some(el) = doc.select(&sel).next() else { panic!("{selector} not in {html}") };
        is_chrome(el)
    }

    #[test]
    fn elements_that_never_carry_text() {
        assert!(chrome("<nav><a>Start</a></nav>", "nav"));
        assert!(chrome("<p>x<script>var a;</script></p>", "script"));
        assert!(chrome("<p><button>Ja</button></p>", "button"));
    }

    #[test]
    fn class_names_of_chrome() {
        assert!(chrome(r#"<div class="cookie-banner">Kakor</div>"#, "div"));
        assert!(chrome(r#"<div id="cookieConsent">Kakor</div>"#, "div"));
        assert!(chrome(r##"<a class="skip-link" href="#c">Gå direkt</a>"##, "a"));
        assert!(chrome(r#"<ol class="breadcrumbs"><li>Start</li></ol>"#, "ol"));
        assert!(chrome(r#"<div class="sharebox">Dela</div>"#, "div"));
        assert!(chrome(r#"<ul class="brodsmulor"><li>Start</li></ul>"#, "ul"));
        assert!(chrome(r#"<div id="leftcol"><ul class="subnav"><li>Aktuellt</li></ul></div>"#, "ul"));
        assert!(chrome(r#"<div class="navigation-list"><a>Aktuellt</a></div>"#, "div"));
    }

    #[test]
    fn content_names_are_not_chrome() {
        assert!(!chrome(r#"<aside class="contact-person"><h2>Informationsansvarig</h2></aside>"#, "aside"));
        assert!(!chrome(r#"<div class="socialtjanst-intro"><p>Text</p></div>"#, "div"));
        assert!(!chrome(r#"<div class="shared-content"><p>Text</p></div>"#, "div"));
        assert!(!chrome(r#"<div class="canvas-area"><p>Text</p></div>"#, "div"));
        assert!(!chrome(r#"<p class="published">Publicerad: 1 maj 2020</p>"#, "p"));
    }

    #[test]
    fn soft_evidence_never_removes_the_article() {
        assert!(!chrome(r#"<div class="page-banner"><h1>Titel</h1></div>"#, "div"));
        assert!(!chrome(r#"<div id="page" aria-hidden="true"><main><p>x</p></main></div>"#, "div"));
        assert!(!chrome(r#"<form id="aspnetForm"><h1>Titel</h1><p>x</p></form>"#, "form"));
        assert!(chrome(r#"<form class="feedback"><p>Hjälpte informationen?</p></form>"#, "form"));
        // Hard evidence wins: a <nav> is never the article, whatever it holds.
        assert!(chrome("<nav><h1>Meny</h1></nav>", "nav"));
    }

    #[test]
    fn header_and_footer_only_at_site_level() {
        assert!(chrome("<header><p>SKL</p></header><main><p>x</p></main>", "header"));
        assert!(chrome(r#"<div id="footer"><p>Adress</p></div>"#, "div"));
        assert!(!chrome("<article><header><p>Publicerad 2020</p></header></article>", "header"));
        assert!(!chrome(r#"<main><div class="article-footer"><p>Publicerad 2020</p></div></main>"#, "div"));
    }

    #[test]
    fn hidden_elements() {
        assert!(chrome("<p hidden>x</p>", "p"));
        assert!(chrome(r#"<p style="display: none">x</p>"#, "p"));
        assert!(chrome(r#"<span aria-hidden="true">x</span>"#, "span"));
        assert!(!chrome(r#"<div hidden="until-found"><p>x</p></div>"#, "div"));
    }
}
