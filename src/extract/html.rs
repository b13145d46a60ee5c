//! Saved web pages: the article only, as blocks with the roles the markup gives them.
//!
//! A saved page is mostly site chrome: cookie banner, navigation, search form, breadcrumbs, contact box,
//! feedback form, footer. The article is found by its container (`<main>` or `role="main"`, else
//! `<article>`, else the whole `<body>`; an `<h1>` set just above the container comes along), chrome
//! inside it is dropped (`chrome`), and what is left is rendered as headings, paragraphs, list items
//! and table rows on one page (`render`).
//!
//! This module never fails (malformed markup gives what can be read) and never interprets the text:
//! the publication date and title stay text for `segment` to find.

mod chrome;
mod render;

use scraper::{ElementRef, Html};

use super::{Block, Document, SourceFormat};

pub(super) fn extract(html: &str) -> Document {
    let page = Html::parse_document(html);
    let (blocks, warnings) = article_blocks(&page);
    Document { warnings, ..Document::from_pages(SourceFormat::Html, vec![blocks]) }
}

/// The blocks of the first container, from the most to the least specific, that holds any text.
fn article_blocks(page: &Html) -> (Vec<Block>, Vec<String>) {
    let root = page.root_element();
    let containers = [root.descendent_elements().find(|el| is_main(*el)), sole_article(root)];
    for container in containers.into_iter().flatten() {
        let mut blocks = render::render(container);
        if !blocks.is_empty() {
            if let Some(title) = title_above(root, container) {
                blocks.splice(0..0, render::render_element(title));
            }
            return (blocks, Vec::new());
        }
    }
    let body = root.descendent_elements().find(|el| el.value().name() == "body").unwrap_or(root);
    let blocks = render::render(body);
    let warning = if blocks.is_empty() {
        "no text in the page"
    } else {
        "no <main> or <article>: read the whole <body> without site chrome"
    };
    (blocks, vec![warning.to_string()])
}

/// `<main>` or its ARIA equivalent `role="main"`: the same promise in two spellings, so the outermost
/// of them (the first in document order) is the article with its asides.
fn is_main(el: ElementRef<'_>) -> bool {
    el.value().name() == "main" || chrome::has_role(el, &["main"])
}

/// The page title when a layout sets it above the article container (a banner with the `<h1>` before
/// `<main>`): the one `<h1>` with text before `container`, when `container` has none. A site logo
/// set as `<h1>` (a link to the start page, or named "logo") is not a title.
fn title_above<'a>(root: ElementRef<'a>, container: ElementRef<'a>) -> Option<ElementRef<'a>> {
    if container.descendent_elements().any(is_titled_h1) {
        return None;
    }
    let before: Vec<ElementRef<'a>> =
        root.descendent_elements().take_while(|el| *el != container).filter(|el| is_titled_h1(*el)).collect();
    let [title] = before.as_slice() else { return None };
    let is_logo = title.descendent_elements().any(|el| {
        let v = el.value();
        v.attr("href").is_some_and(|href| href.trim() == "/")
            || [v.attr("class"), v.attr("id")]
                .into_iter()
                .flatten()
                .any(|n| n.to_lowercase().contains("logo"))
    });
    let in_chrome = title.ancestors().filter_map(ElementRef::wrap).any(chrome::is_chrome);
    (!is_logo && !in_chrome).then_some(*title)
}

fn is_titled_h1(el: ElementRef<'_>) -> bool {
    el.value().name() == "h1" && el.text().any(|t| !t.trim().is_empty())
}

/// The article of a page without `<main>`: the only top-level `<article>`, or the one holding the
/// `<h1>`. Several articles and no `<h1>` among them is a listing, which is read whole.
fn sole_article(root: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let top_level: Vec<ElementRef<'_>> = root
        .descendent_elements()
        .filter(|el| el.value().name() == "article")
        .filter(|el| !el.ancestors().filter_map(ElementRef::wrap).any(|a| a.value().name() == "article"))
        .collect();
    if let [only] = top_level.as_slice() {
        return Some(*only);
    }
    top_level.into_iter().find(|article| article.descendent_elements().any(is_titled_h1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Role;

    fn blocks(html: &str) -> Vec<Block> {
        extract(html).pages.into_iter().flat_map(|p| p.blocks).collect()
    }

    fn texts(html: &str) -> Vec<String> {
        blocks(html).iter().map(Block::text).collect()
    }

    const PAGE: &str = r##"<!DOCTYPE html><html lang="sv"><head><title>Titel - SKR</title>
        <script>var x = "<p>no</p>";</script></head>
        <body>
        <div id="cookie-consent" class="cookie-banner"><p>Vi använder kakor.</p></div>
        <noscript><p>Aktivera JavaScript.</p></noscript>
        <a class="skip-link" href="#content">Gå direkt till innehållet</a>
        <header class="site-header"><nav><ul><li><a href="/">Om SKR</a></li></ul></nav>
          <form class="search" role="search"><label>Sök</label><input name="q"><button>Sök</button></form>
        </header>
        <nav class="breadcrumbs"><ol><li>Startsida</li><li>Jämställdhet</li></ol></nav>
        <main id="content">
          <article>
            <p class="published">Publicerad: <time datetime="2020-11-13">13 november 2020</time></p>
            <h1>Jämställdhet</h1>
            <p>Ett &rdquo;citat&rdquo; &ndash; och mer.</p>
            <h2>Läs vidare</h2>
          </article>
          <aside class="contact-person"><h2>Informationsansvarig</h2>
            <ul><li>Love Nordenmark<br>
            Handläggare</li></ul></aside>
        </main>
        <nav class="subpages"><ul><li>Aktuellt</li></ul></nav>
        <section class="contact-box"><h2>Kontakt</h2><p>Har du en fråga?</p></section>
        <form class="feedback"><p>Hjälpte informationen på sidan dig?</p><button>Ja</button></form>
        <footer class="site-footer"><h2 class="visually-hidden">Sidfot</h2><p>118 82 Stockholm</p></footer>
        </body></html>"##;

    #[test]
    fn saved_page_keeps_the_article_and_drops_the_chrome() {
        assert_eq!(
            texts(PAGE),
            [
                "Publicerad: 13 november 2020",
                "Jämställdhet",
                "Ett ”citat” – och mer.",
                "Läs vidare",
                "Informationsansvarig",
                "• Love Nordenmark Handläggare",
            ]
        );
        let doc = extract(PAGE);
        assert_eq!(doc.pages.len(), 1);
        assert_eq!(doc.pages[0].number, 1);
        assert!(doc.warnings.is_empty());
    }

    #[test]
    fn roles_sizes_and_weights() {
        let b = blocks(PAGE);
        assert_eq!(b[0].role, Role::Paragraph);
        assert!(!b[0].bold());
        assert_eq!(b[1].role, Role::Heading(1));
        assert!(b[1].bold());
        assert_eq!(b[3].role, Role::Heading(2));
        assert!(b[1].size() > b[3].size() && b[3].size() > b[2].size());
        assert_eq!(b[5].role, Role::ListItem);
    }

    #[test]
    fn br_starts_a_new_line_in_the_same_block() {
        let b = blocks(PAGE);
        let lines: Vec<&str> = b[5].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, ["• Love Nordenmark", "Handläggare"]);
    }

    #[test]
    fn page_without_main_uses_the_article() {
        let html = r#"<body><nav><a>Start</a></nav><div class="teaser"><p>Annons</p></div>
            <article><h1>Titel</h1><p>Brödtext.</p></article><footer>Sidfot</footer></body>"#;
        assert_eq!(texts(html), ["Titel", "Brödtext."]);
    }

    #[test]
    fn page_without_main_or_article_reads_the_body_without_chrome() {
        let html = r#"<html><body><div id="header"><a href="/">SKL</a></div>
            <ul id="mainmenu"><li>Meny</li></ul>
            <div id="content"><h1>Titel</h1><p>Brödtext.</p></div>
            <header><p>Logga</p></header>
            <div id="footer"><p>Adress</p></div></body></html>"#;
        let doc = extract(html);
        assert_eq!(doc.plain_text(), "Titel\n\nBrödtext.\n");
        assert_eq!(doc.warnings.len(), 1);
    }

    #[test]
    fn listing_with_several_articles_is_read_whole() {
        let html = "<body><article><h2>Ett</h2></article><article><h2>Två</h2></article></body>";
        assert_eq!(texts(html), ["Ett", "Två"]);
    }

    #[test]
    fn title_above_main_belongs_to_the_article() {
        let html = r#"<body><header><a class="logo" href="/">SKR</a><nav><a>Meny</a></nav></header>
            <div class="hero"><h1>Titel</h1></div><main><p>Text</p></main></body>"#;
        let b = blocks(html);
        assert_eq!(b.iter().map(Block::text).collect::<Vec<_>>(), ["Titel", "Text"]);
        assert_eq!(b[0].role, Role::Heading(1));
    }

    #[test]
    fn logo_above_main_is_not_a_title() {
        let html =
            r#"<body><header><h1><a href="/">SKL</a></h1></header><main><h2>Rubrik</h2></main></body>"#;
        assert_eq!(texts(html), ["Rubrik"]);
        let html = r#"<body><h1>Titel</h1><main><h1>Annan titel</h1></main></body>"#;
        assert_eq!(texts(html), ["Annan titel"]);
    }

    #[test]
    fn role_main_is_main() {
        let html = r#"<body><p>Utanför</p><div role="main"><p>Innanför</p></div></body>"#;
        assert_eq!(texts(html), ["Innanför"]);
    }

    #[test]
    fn empty_main_falls_back() {
        let html = "<body><main></main><article><p>Text</p></article></body>";
        assert_eq!(texts(html), ["Text"]);
    }

    #[test]
    fn entities_whitespace_and_inline_markup() {
        let html = "<main><p>  Jäm<b>ställd</b>het&nbsp;&amp;\n\t<a href=x>l&auml;nk</a>&shy;ar  \
                    o&#xFB03;ce&#8203;r </p></main>";
        assert_eq!(texts(html), ["Jämställdhet & länkar officer"]);
    }

    #[test]
    fn text_is_nfc() {
        let html = "<main><p>a\u{308}r</p></main>";
        assert_eq!(texts(html), ["är"]);
    }

    #[test]
    fn bold_only_paragraphs_are_bold() {
        let b =
            blocks("<main><p><strong>Viktigt:</strong> <b>allt fett</b></p><p><b>Delvis</b> fett</p></main>");
        assert!(b[0].bold());
        assert!(!b[1].bold());
    }

    #[test]
    fn nested_and_ordered_lists() {
        let html = r#"<main><ul><li>Ett<ul><li>Ett a</li><li><p>Ett b</p></li></ul></li><li>Två</li></ul>
            <ol start="3"><li>Tre</li><li value="7">Sju</li><li>Åtta</li></ol></main>"#;
        let b = blocks(html);
        let t: Vec<String> = b.iter().map(Block::text).collect();
        assert_eq!(t, ["• Ett", "• Ett a", "• Ett b", "• Två", "3. Tre", "7. Sju", "8. Åtta"]);
        assert!(b.iter().all(|b| b.role == Role::ListItem));
    }

    #[test]
    fn list_item_starting_with_a_heading() {
        let html = "<main><ul><li><h3>Nyhet</h3><p>Ingress</p></li></ul></main>";
        let b = blocks(html);
        assert_eq!(b[0].role, Role::Heading(3));
        assert_eq!(b[0].text(), "Nyhet");
        assert_eq!(b[1].text(), "Ingress");
    }

    #[test]
    fn data_table_rows() {
        let html = "<main><table><caption>Kursdatum</caption>\
            <tr><th>Ort</th><th>Datum</th></tr>\
            <tr><td>Stockholm</td><td><p>4 maj</p><p>5 maj</p></td></tr>\
            <tr><td></td><td></td></tr>\
            <tr><td>Malmö</td><td></td></tr></table></main>";
        let b = blocks(html);
        let t: Vec<String> = b.iter().map(Block::text).collect();
        assert_eq!(t, ["Kursdatum", "Ort\tDatum", "Stockholm\t4 maj 5 maj", "Malmö\t"]);
        assert_eq!(b[0].role, Role::Paragraph);
        assert_eq!(b[1].role, Role::TableRow);
        assert!(b[1].bold());
        assert!(!b[2].bold());
    }

    #[test]
    fn layout_table_reads_as_blocks() {
        let html =
            "<body><table><tr><td><h1>Titel</h1><p>Text</p></td><td><p>Spalt</p></td></tr></table></body>";
        let b = blocks(html);
        assert_eq!(b[0].role, Role::Heading(1));
        assert_eq!(b.iter().map(Block::text).collect::<Vec<_>>(), ["Titel", "Text", "Spalt"]);
    }

    #[test]
    fn double_br_breaks_the_paragraph() {
        let html = "<main><div>Första stycket<br>rad två<br> <br>Andra stycket</div></main>";
        assert_eq!(texts(html), ["Första stycket rad två", "Andra stycket"]);
    }

    #[test]
    fn pre_keeps_its_lines() {
        let b = blocks("<main><pre>rad ett\nrad  två</pre></main>");
        let lines: Vec<&str> = b[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, ["rad ett", "rad två"]);
    }

    #[test]
    fn chrome_inside_main_is_dropped() {
        let html = r#"<main><nav class="breadcrumb"><a>Start</a></nav><div class="share"><a>Dela</a></div>
            <h1>Titel<span aria-hidden="true">#</span></h1><p hidden>Dold</p><button>Lyssna</button>
            <form><input value="x"><p>Sök</p></form><p>Text</p></main>"#;
        assert_eq!(texts(html), ["Titel", "Text"]);
    }

    #[test]
    fn aria_heading() {
        let b = blocks(r#"<main><div role="heading" aria-level="3">Rubrik</div></main>"#);
        assert_eq!(b[0].role, Role::Heading(3));
    }

    #[test]
    fn malformed_html_gives_what_can_be_read() {
        assert_eq!(texts("<main><p>Ett<p>Två<li>Tre</main></b></div><h2>Fyra"), ["Ett", "Två", "• Tre"]);
        assert_eq!(texts("<p>Utan <i>slut"), ["Utan slut"]);
        assert!(texts("").is_empty());
        assert!(texts("<<<>>>&&&;").iter().all(|t| !t.is_empty()));
        assert_eq!(extract("").pages.len(), 1);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = format!("<main>{}Djupt{}</main>", "<div>".repeat(3_000), "</div>".repeat(3_000));
        assert_eq!(texts(&html), ["Djupt"]);
    }
}
