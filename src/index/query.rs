//! The query language staff type, parsed into a small tree: words that must all match, `OR` between
//! alternatives, `-word` or `NOT word` to exclude, `"quoted phrases"`, `prefix*` and parentheses.
//!
//! Parsing never fails: a stray quote or parenthesis is read as if it were closed, an operator with
//! nothing to act on is dropped, and `AND` is the default anyway. Nothing here knows the index or its
//! analysers: `search` turns the tree into tantivy queries.

/// The deepest nesting of parentheses read; deeper ones are read as if flat.
const MAX_DEPTH: usize = 8;
/// The most words and phrases a query holds; the rest are ignored (a query is typed, not pasted).
pub const MAX_TERMS: usize = 32;

/// One part of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word as typed, lower-cased.
    Word(String),
    /// The start of words, lower-cased, from `start*`.
    Prefix(String),
    /// Words that must follow one another: a quoted phrase, or a token such as `SKL:s` or `e-post`
    /// whose parts the index holds side by side.
    Phrase(Vec<String>),
    /// Every positive part matches and no excluded one does.
    All(Vec<Part>),
    /// At least one of the alternatives matches.
    Any(Vec<Node>),
}

/// A part of an [`Node::All`]: a node, or a node that must not match.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub node: Node,
    pub excluded: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Prefix(String),
    Phrase(Vec<String>),
    Open,
    Close,
    Or,
    And,
    Not,
}

/// Parse `text` into a tree; `None` when it holds no word at all.
pub fn parse(text: &str) -> Option<Node> {
    let tokens = tokenize(text);
    let mut at = 0;
    let node = parse_all(&tokens, &mut at, 0);
    simplify(node)
}

/// Lower-cased runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The operator `bare` names, in capitals, in English or Swedish.
fn operator(bare: &str) -> Option<Token> {
    match bare {
        "OR" | "ELLER" => Some(Token::Or),
        "AND" | "OCH" => Some(Token::And),
        "NOT" | "INTE" => Some(Token::Not),
        _ => None,
    }
}

/// Whether `word` is an operator of the query language rather than a word to search.
pub fn is_operator(word: &str) -> bool {
    operator(word).is_some()
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut terms = 0;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if terms >= MAX_TERMS {
            break;
        }
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        match c {
            '"' | '”' | '“' => {
                let inner = &rest[c.len_utf8()..];
                let end = inner.find(['"', '”', '“']).unwrap_or(inner.len());
                let phrase = words(&inner[..end]);
                if !phrase.is_empty() {
                    tokens.push(Token::Phrase(phrase));
                    terms += 1;
                }
                rest = inner.get(end..).map_or("", |r| r.get(1..).unwrap_or(""));
                continue;
            }
            '(' => tokens.push(Token::Open),
            ')' => tokens.push(Token::Close),
            '-' if rest[1..].starts_with(|n: char| n.is_alphanumeric() || n == '"' || n == '(') => {
                tokens.push(Token::Not)
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '(' | ')'))
                    .unwrap_or(rest.len());
                let bare = &rest[..end];
                rest = &rest[end..];
                match operator(bare) {
                    Some(op) => tokens.push(op),
                    None => {
                        let parts = words(without_inflection(bare));
                        let token = match parts.len() {
                            0 => continue,
                            1 if bare
                                .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '*')
                                .ends_with('*') =>
                            {
                                Token::Prefix(parts[0].clone())
                            }
                            1 => Token::Word(parts[0].clone()),
                            _ => Token::Phrase(parts),
                        };
                        tokens.push(token);
                        terms += 1;
                    }
                }
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    tokens
}

/// `bare` without the inflection Swedish writes after a colon on an abbreviation or a number
/// (*SKL:s*, *MVP:n*, *2019:s*): the letters after the last colon, when there are at most three and
/// something comes before them.
fn without_inflection(bare: &str) -> &str {
    match bare.rsplit_once(':') {
        Some((stem, ending))
            if !stem.is_empty()
                && (1..=3).contains(&ending.chars().count())
                && ending.chars().all(char::is_alphabetic) =>
        {
            stem
        }
        _ => bare,
    }
}

/// A sequence of parts up to a closing parenthesis (or the end): adjacent parts are all required,
/// and `OR` joins its neighbours into one alternative.
fn parse_all(tokens: &[Token], at: &mut usize, depth: usize) -> Node {
    // Each entry is one required part, which `OR` may widen into alternatives.
    let mut parts: Vec<(Vec<Node>, bool)> = Vec::new();
    let mut excluded = false;
    let mut or_pending = false;
    while let Some(token) = tokens.get(*at) {
        *at += 1;
        let node = match token {
            Token::Close if depth > 0 => break,
            Token::Close | Token::And => continue,
            Token::Or => {
                or_pending = !parts.is_empty();
                continue;
            }
            Token::Not => {
                excluded = true;
                continue;
            }
            Token::Open if depth < MAX_DEPTH => parse_all(tokens, at, depth + 1),
            Token::Open => continue,
            Token::Word(w) => Node::Word(w.clone()),
            Token::Prefix(p) => Node::Prefix(p.clone()),
            Token::Phrase(p) => Node::Phrase(p.clone()),
        };
        match parts.last_mut() {
            // `a OR -b` excludes nothing: an alternative cannot be an exclusion.
            Some((alternatives, false)) if or_pending => alternatives.push(node),
            _ => parts.push((vec![node], excluded)),
        }
        excluded = false;
        or_pending = false;
    }
    Node::All(
        parts
            .into_iter()
            .map(|(mut alternatives, excluded)| {
                let node =
                    if alternatives.len() == 1 { alternatives.remove(0) } else { Node::Any(alternatives) };
                Part { node, excluded }
            })
            .collect(),
    )
}

/// Drop empty groups and unwrap groups of one part; `None` when nothing positive is left to match
/// (a query of exclusions only matches nothing rather than everything else).
fn simplify(node: Node) -> Option<Node> {
    match node {
        Node::All(parts) => {
            let mut parts: Vec<Part> = parts
                .into_iter()
                .filter_map(|p| simplify(p.node).map(|node| Part { node, excluded: p.excluded }))
                .collect();
            if !parts.iter().any(|p| !p.excluded) {
                return None;
            }
            if parts.len() == 1 {
                return Some(parts.remove(0).node);
            }
            Some(Node::All(parts))
        }
        Node::Any(alternatives) => {
            let mut alternatives: Vec<Node> = alternatives.into_iter().filter_map(simplify).collect();
            match alternatives.len() {
                0 => None,
                1 => Some(alternatives.remove(0)),
                _ => Some(Node::Any(alternatives)),
            }
        }
        leaf => Some(leaf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Node {
        Node::Word(w.into())
    }

    fn must(node: Node) -> Part {
        Part { node, excluded: false }
    }

    fn not(node: Node) -> Part {
        Part { node, excluded: true }
    }

    #[test]
    fn words_are_all_required() {
        assert_eq!(
            parse("Våld i nära relationer"),
            Some(Node::All(vec![
                must(word("våld")),
                must(word("i")),
                must(word("nära")),
                must(word("relationer"))
            ]))
        );
        assert_eq!(parse("kvinnofrid"), Some(word("kvinnofrid")));
        assert_eq!(parse("  ,;  "), None);
    }

    #[test]
    fn or_joins_its_neighbours() {
        assert_eq!(
            parse("våld OR hot kvinnor"),
            Some(Node::All(vec![must(Node::Any(vec![word("våld"), word("hot")])), must(word("kvinnor"))]))
        );
        assert_eq!(parse("OR våld OR"), Some(word("våld")));
        assert_eq!(parse("a OR b OR c"), Some(Node::Any(vec![word("a"), word("b"), word("c")])));
    }

    #[test]
    fn exclusions_phrases_and_prefixes() {
        assert_eq!(
            parse("våld -hot NOT \"nära relationer\" kvinno*"),
            Some(Node::All(vec![
                must(word("våld")),
                not(word("hot")),
                not(Node::Phrase(vec!["nära".into(), "relationer".into()])),
                must(Node::Prefix("kvinno".into())),
            ]))
        );
        // Only exclusions: nothing to find.
        assert_eq!(parse("-hot"), None);
        // A hyphen inside or after a word is no exclusion.
        assert_eq!(
            parse("hälso- och sjukvård"),
            Some(Node::All(vec![must(word("hälso")), must(word("och")), must(word("sjukvård"))]))
        );
    }

    #[test]
    fn tokens_with_inner_punctuation_are_phrases() {
        assert_eq!(parse("SKL:s"), Some(word("skl")));
        assert_eq!(parse("MVP:n"), Some(word("mvp")));
        assert_eq!(parse("12:13"), Some(Node::Phrase(vec!["12".into(), "13".into()])));
        assert_eq!(parse("e-post"), Some(Node::Phrase(vec!["e".into(), "post".into()])));
    }

    #[test]
    fn groups_and_broken_syntax() {
        assert_eq!(
            parse("(våld OR hot) kvinnor"),
            Some(Node::All(vec![must(Node::Any(vec![word("våld"), word("hot")])), must(word("kvinnor"))]))
        );
        // An unclosed quote runs to the end; an unclosed parenthesis closes at the end.
        assert_eq!(parse("\"nära relationer"), Some(Node::Phrase(vec!["nära".into(), "relationer".into()])));
        assert_eq!(parse("(våld"), Some(word("våld")));
        assert_eq!(parse(")) våld (("), Some(word("våld")));
    }

    proptest::proptest! {
        /// Any text parses, and what it yields is bounded and holds no empty word.
        #[test]
        fn any_text_parses_into_a_bounded_tree(text in r#"[a-zåäö0-9 "()*:\-]{0,200}|ORAND NOT OR|.{0,100}"#) {
            fn leaves(node: &Node) -> usize {
                match node {
                    Node::Word(w) | Node::Prefix(w) => usize::from(!w.is_empty()),
                    Node::Phrase(words) => usize::from(!words.is_empty() && words.iter().all(|w| !w.is_empty())),
                    Node::Any(nodes) => nodes.iter().map(leaves).sum(),
                    Node::All(parts) => parts.iter().map(|p| leaves(&p.node)).sum(),
                }
            }
            if let Some(tree) = parse(&text) {
                let n = leaves(&tree);
                proptest::prop_assert!((1..=MAX_TERMS).contains(&n), "{tree:?}");
            }
        }
    }

    #[test]
    fn hostile_queries_stay_bounded() {
        let deep = format!("{}våld{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(parse(&deep), Some(word("våld")));
        let long = "ord ".repeat(10_000);
        let Some(Node::All(parts)) = parse(&long) else { panic!() };
        assert_eq!(parts.len(), MAX_TERMS);
    }
}
