//! Table name patterns: which relation names get the schema.

use crate::error::Error;

/// A glob over a name's PostgreSQL identity: `*` stands for any run of
/// characters and `?` for one character; everything else matches itself,
/// case included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern {
    text: String,
    /// Whether the pattern has a character that is not a wildcard. Only
    /// such patterns are trusted to tell table names from type names.
    has_literal: bool,
}

impl Pattern {
    pub(crate) fn new(text: &str) -> Result<Pattern, Error> {
        if text.is_empty() {
            let pattern = String::new();
            return Err(Error::InvalidPattern {
                pattern,
                reason: "empty",
            });
        }
        let has_literal = text.chars().any(|c| c != '*' && c != '?');
        Ok(Pattern {
            text: text.to_owned(),
            has_literal,
        })
    }

    pub(crate) fn matches(&self, name: &str) -> bool {
        glob_matches(&self.text, name)
    }
}

/// The set of patterns a qualifier applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NameMatcher {
    patterns: Vec<Pattern>,
}

impl NameMatcher {
    pub(crate) fn new(patterns: Vec<Pattern>) -> NameMatcher {
        NameMatcher { patterns }
    }

    /// For names in relation positions of the SQL grammar.
    pub(crate) fn matches_relation(&self, identity: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(identity))
    }

    /// For names that may equally be something else: string literals read
    /// as `regclass`, and type names. A pattern of wildcards alone would
    /// turn `x::int` into a table's row type, so it is not consulted.
    pub(crate) fn matches_named(&self, identity: &str) -> bool {
        self.patterns
            .iter()
            .any(|p| p.has_literal && p.matches(identity))
    }
}

/// Glob matching with `*` and `?`, backtracking only to the last `*`, so it
/// runs in O(pattern * name) at worst and never recurses.
fn glob_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;

    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                last_star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == '?' || c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match last_star {
                Some((star, matched)) => {
                    last_star = Some((star, matched + 1));
                    p = star + 1;
                    n = matched + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        let cases = [
            ("LiteLLM_*", "LiteLLM_VerificationToken", true),
            ("LiteLLM_*", "LiteLLM_", true),
            ("LiteLLM_*", "litellm_verificationtoken", false),
            ("LiteLLM_*", "XLiteLLM_A", false),
            ("*", "", true),
            ("*", "pg_class", true),
            ("*Spend*", "MonthlyGlobalSpendPerKey", true),
            ("*Spend*", "MonthlyGlobalSpnd", false),
            ("a?c", "abc", true),
            ("a?c", "äbc", false),
            ("a?c", "aéc", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("Exact", "Exact", true),
            ("Exact", "Exactly", false),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(glob_matches(pattern, name), expected, "{pattern} ~ {name}");
        }
    }

    #[test]
    fn wildcard_only_patterns_do_not_match_named_positions() {
        let all = NameMatcher::new(vec![Pattern::new("*").unwrap()]);
        assert!(all.matches_relation("int"));
        assert!(!all.matches_named("int"));
        let prefixed = NameMatcher::new(vec![Pattern::new("LiteLLM_*").unwrap()]);
        assert!(prefixed.matches_named("LiteLLM_X"));
    }

    #[test]
    fn empty_pattern_is_refused() {
        let message = Pattern::new("").unwrap_err().to_string();
        assert_eq!(message, "table pattern `` is empty");
    }
}
