//! Relation names inside string literals that PostgreSQL reads as
//! `regclass`: how to read the name, and how to put a schema in front of it
//! without changing anything else in the literal.

use sqlparser::ast::Value;

/// How a string literal is written, which decides how inserted text must be
/// escaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LiteralForm {
    /// `'...'`: a `'` is doubled.
    Standard,
    /// `E'...'`: a `'` is doubled and a `\` too.
    Escape,
    /// `$tag$...$tag$`: nothing is escaped, but the text must not contain
    /// the closing delimiter.
    Dollar { delimiter: String },
}

impl LiteralForm {
    /// The form and text of a string literal the schema can go into;
    /// `None` for other values and for forms this crate does not rewrite.
    pub(crate) fn of(value: &Value) -> Option<(LiteralForm, &str)> {
        match value {
            Value::SingleQuotedString(text) => Some((LiteralForm::Standard, text)),
            Value::EscapedStringLiteral(text) => Some((LiteralForm::Escape, text)),
            Value::DollarQuotedString(dollar) => {
                let tag = dollar.tag.as_deref().unwrap_or("");
                let delimiter = format!("${tag}$");
                Some((LiteralForm::Dollar { delimiter }, &dollar.value))
            }
            _ => None,
        }
    }

    /// The opening delimiter as it must appear in the source, compared
    /// without regard to case (`E'` and `e'` are the same).
    pub(crate) fn opening(&self) -> &str {
        match self {
            LiteralForm::Standard => "'",
            LiteralForm::Escape => "E'",
            LiteralForm::Dollar { delimiter } => delimiter,
        }
    }

    /// `text` escaped for this form, or `None` when it cannot be placed
    /// inside the literal at all.
    pub(crate) fn escape(&self, text: &str) -> Option<String> {
        match self {
            LiteralForm::Standard => Some(text.replace('\'', "''")),
            LiteralForm::Escape => Some(text.replace('\\', "\\\\").replace('\'', "''")),
            LiteralForm::Dollar { delimiter } => {
                (!text.contains(delimiter.as_str())).then(|| text.to_owned())
            }
        }
    }
}

/// The unqualified relation name a `regclass` input string denotes, with
/// the length in bytes of the whitespace before it; `None` when the text
/// is qualified, an OID, or not a valid name.
///
/// This follows PostgreSQL's reading of `regclass` text: dot-separated
/// identifiers, optional whitespace around each, quoted parts with `""` for
/// a quote, unquoted parts folded to lower case.
pub(crate) fn unqualified_regclass_name(text: &str) -> Option<(String, usize)> {
    let trimmed = text.trim_matches(is_pg_space);
    let all_digits = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
    if all_digits || trimmed == "-" {
        return None;
    }
    let leading = text.len() - text.trim_start_matches(is_pg_space).len();
    let (name, rest) = read_identifier(&text[leading..])?;
    rest.trim_start_matches(is_pg_space)
        .is_empty()
        .then_some((name, leading))
}

/// One identifier at the start of `text`, and what follows it.
fn read_identifier(text: &str) -> Option<(String, &str)> {
    match text.strip_prefix('"') {
        Some(quoted) => read_quoted(quoted),
        None => {
            let end = text.find(|c: char| is_pg_space(c) || c == '.');
            let end = end.unwrap_or(text.len());
            let name = &text[..end];
            (!name.is_empty()).then(|| (name.to_ascii_lowercase(), &text[end..]))
        }
    }
}

fn read_quoted(mut text: &str) -> Option<(String, &str)> {
    let mut name = String::new();
    loop {
        let close = text.find('"')?;
        name.push_str(&text[..close]);
        text = &text[close + 1..];
        match text.strip_prefix('"') {
            Some(rest) => {
                name.push('"');
                text = rest;
            }
            None => return (!name.is_empty()).then_some((name, text)),
        }
    }
}

/// PostgreSQL's `scanner_isspace`.
fn is_pg_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\x0b')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regclass_text() {
        let name = |s: &str, n: usize| Some((s.to_owned(), n));
        let cases = [
            ("\"LiteLLM_X\"", name("LiteLLM_X", 0)),
            ("  \"LiteLLM_X\" ", name("LiteLLM_X", 2)),
            ("LiteLLM_X", name("litellm_x", 0)),
            ("\"a\"\"b\"", name("a\"b", 0)),
            ("\"a.b\"", name("a.b", 0)),
            ("Über", name("Über", 0)),
            ("s.\"LiteLLM_X\"", None),
            ("\"s\" . \"LiteLLM_X\"", None),
            ("\"LiteLLM_X\" x", None),
            ("\"\"", None),
            ("\"open", None),
            ("", None),
            ("12345", None),
            (" - ", None),
        ];
        for (text, expected) in cases {
            assert_eq!(unqualified_regclass_name(text), expected, "{text}");
        }
    }

    #[test]
    fn escaping_per_form() {
        let dollar = LiteralForm::Dollar {
            delimiter: "$$".into(),
        };
        assert_eq!(
            LiteralForm::Standard.escape("\"it's\"."),
            Some("\"it''s\".".into())
        );
        assert_eq!(
            LiteralForm::Escape.escape("\"a\\'\"."),
            Some("\"a\\\\''\".".into())
        );
        assert_eq!(dollar.escape("\"s\"."), Some("\"s\".".into()));
        assert_eq!(dollar.escape("\"a$$b\"."), None);
    }
}
