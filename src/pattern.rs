//! Table name patterns: which relation names get the schema.

use std::collections::HashMap;

use crate::error::Error;
use crate::schema::Schema;

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
        Ok(Pattern::checked(text))
    }

    /// A pattern known not to be empty, such as the default.
    pub(crate) fn checked(text: &str) -> Pattern {
        let has_literal = text.chars().any(|c| c != '*' && c != '?');
        Pattern {
            text: text.to_owned(),
            has_literal,
        }
    }

    pub(crate) fn matches(&self, name: &str) -> bool {
        glob_matches(&self.text, name)
    }
}

/// Which schema a matched name gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// The qualifier's schema.
    Default,
    /// A schema declared for this name (Prisma's `@@schema`): an index
    /// into [`NameMatcher::schemas`].
    Declared(usize),
}

/// Everything that decides whether a name is qualified, and with what:
/// glob patterns, and exact relation and type names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NameMatcher {
    patterns: Vec<Pattern>,
    relations: HashMap<String, Target>,
    types: HashMap<String, Target>,
    schemas: Vec<Schema>,
}

impl NameMatcher {
    pub(crate) fn add_pattern(&mut self, pattern: Pattern) {
        self.patterns.push(pattern);
    }

    pub(crate) fn add_relation(&mut self, name: &str, schema: Option<Schema>) {
        let target = self.target(schema);
        self.relations.insert(name.to_owned(), target);
    }

    pub(crate) fn add_type(&mut self, name: &str, schema: Option<Schema>) {
        let target = self.target(schema);
        self.types.insert(name.to_owned(), target);
    }

    fn target(&mut self, schema: Option<Schema>) -> Target {
        let Some(schema) = schema else {
            return Target::Default;
        };
        let index = match self.schemas.iter().position(|known| *known == schema) {
            Some(index) => index,
            None => {
                self.schemas.push(schema);
                self.schemas.len() - 1
            }
        };
        Target::Declared(index)
    }

    /// Whether nothing at all was configured.
    pub(crate) fn is_empty(&self) -> bool {
        self.patterns.is_empty() && self.relations.is_empty() && self.types.is_empty()
    }

    /// Every pattern and exact name as written: each name this matcher
    /// accepts contains every literal part of one of them.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        let patterns = self.patterns.iter().map(|p| p.text.as_str());
        let names = self.relations.keys().chain(self.types.keys());
        patterns.chain(names.map(String::as_str))
    }

    /// The schemas named per relation or type.
    pub(crate) fn schemas(&self) -> &[Schema] {
        &self.schemas
    }

    /// For names in relation positions of the SQL grammar.
    pub(crate) fn relation(&self, identity: &str) -> Option<Target> {
        let exact = self.relations.get(identity).copied();
        exact.or_else(|| {
            self.patterns
                .iter()
                .any(|p| p.matches(identity))
                .then_some(Target::Default)
        })
    }

    /// For string literals read as `regclass`: a pattern of wildcards alone
    /// is not trusted here, as it would turn any string into a table.
    pub(crate) fn regclass(&self, identity: &str) -> Option<Target> {
        let exact = self.relations.get(identity).copied();
        exact.or_else(|| self.named_pattern(identity))
    }

    /// For type names: enum and other types, and tables' row types. A
    /// pattern of wildcards alone would turn `x::int` into a row type, so
    /// it is not consulted.
    pub(crate) fn type_name(&self, identity: &str) -> Option<Target> {
        let exact = self
            .types
            .get(identity)
            .or_else(|| self.relations.get(identity));
        exact.copied().or_else(|| self.named_pattern(identity))
    }

    fn named_pattern(&self, identity: &str) -> Option<Target> {
        let matched = self
            .patterns
            .iter()
            .any(|p| p.has_literal && p.matches(identity));
        matched.then_some(Target::Default)
    }
}

/// Glob matching with `*` and `?`, backtracking only to the last `*`, so it
/// runs in O(pattern * name) at worst and never recurses. ASCII text, the
/// usual case, is matched byte by byte without allocating.
fn glob_matches(pattern: &str, name: &str) -> bool {
    if pattern.is_ascii() && name.is_ascii() {
        return glob(pattern.as_bytes(), name.as_bytes());
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    glob(&pattern, &name)
}

fn glob<T: Copy + PartialEq + From<u8>>(pattern: &[T], name: &[T]) -> bool {
    let (star, one) = (T::from(b'*'), T::from(b'?'));
    let (mut p, mut n) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;

    while n < name.len() {
        match pattern.get(p) {
            Some(&c) if c == star => {
                last_star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == one || c == name[n] => {
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
    pattern[p..].iter().all(|&c| c == star)
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
        let mut all = NameMatcher::default();
        all.add_pattern(Pattern::new("*").unwrap());
        assert_eq!(all.relation("int"), Some(Target::Default));
        assert_eq!(all.regclass("int"), None);
        assert_eq!(all.type_name("int"), None);
        let mut prefixed = NameMatcher::default();
        prefixed.add_pattern(Pattern::new("LiteLLM_*").unwrap());
        assert_eq!(prefixed.type_name("LiteLLM_X"), Some(Target::Default));
    }

    #[test]
    fn exact_names_carry_their_schema() {
        let mut names = NameMatcher::default();
        let audit = Schema::new("audit").unwrap();
        names.add_relation("Log", Some(audit.clone()));
        names.add_relation("Spend", None);
        names.add_type("Status", Some(audit));
        assert_eq!(names.relation("Log"), Some(Target::Declared(0)));
        assert_eq!(names.relation("log"), None);
        assert_eq!(names.relation("Spend"), Some(Target::Default));
        assert_eq!(names.relation("Status"), None);
        assert_eq!(names.type_name("Status"), Some(Target::Declared(0)));
        assert_eq!(names.type_name("Spend"), Some(Target::Default));
        assert_eq!(names.schemas().len(), 1);
    }

    #[test]
    fn empty_pattern_is_refused() {
        let message = Pattern::new("").unwrap_err().to_string();
        assert_eq!(message, "table pattern `` is empty");
    }
}
