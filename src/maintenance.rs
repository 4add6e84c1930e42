//! The maintenance statements sqlparser does not parse (`CLUSTER`,
//! `REINDEX`, `VACUUM` and `ANALYZE` with options, `ALTER TABLE ... SET
//! SCHEMA`, `ALTER SEQUENCE`), read from tokens just far enough to find the
//! relation names they hold.

use sqlparser::ast::Ident;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan, Word};

/// The unqualified and qualified-or-not relation names of a maintenance
/// statement, or `None` when `tokens` is not one.
pub(crate) fn relations(tokens: &[TokenWithSpan]) -> Option<Vec<Ident>> {
    let tokens: Vec<&TokenWithSpan> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let mut cursor = Cursor {
        tokens: &tokens,
        at: 0,
    };
    let names = match cursor.keyword()? {
        Keyword::CLUSTER => cursor.cluster(),
        Keyword::REINDEX => cursor.reindex(),
        Keyword::VACUUM | Keyword::ANALYZE => cursor.vacuum(),
        Keyword::ALTER => cursor.alter(),
        _ => None,
    }?;
    Some(names)
}

struct Cursor<'t> {
    tokens: &'t [&'t TokenWithSpan],
    at: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.at).map(|t| &t.token)
    }

    fn done(&self) -> bool {
        self.at >= self.tokens.len()
    }

    fn keyword(&mut self) -> Option<Keyword> {
        match self.peek()? {
            Token::Word(Word {
                keyword,
                quote_style: None,
                ..
            }) if *keyword != Keyword::NoKeyword => {
                self.at += 1;
                Some(*keyword)
            }
            _ => None,
        }
    }

    fn eat(&mut self, wanted: Keyword) -> bool {
        let is = matches!(self.peek(), Some(Token::Word(w)) if w.quote_style.is_none() && w.keyword == wanted);
        self.at += usize::from(is);
        is
    }

    /// Skips a parenthesized option list such as `(VERBOSE, ANALYZE)`.
    fn options(&mut self) -> Option<()> {
        if self.peek() != Some(&Token::LParen) {
            return Some(());
        }
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            self.at += 1;
            match token {
                Token::LParen => depth += 1,
                Token::RParen if depth == 1 => return Some(()),
                Token::RParen => depth -= 1,
                _ => {}
            }
        }
        None
    }

    /// A possibly qualified name: its identifier when it has one part,
    /// nothing when it is qualified.
    fn name(&mut self, names: &mut Vec<Ident>) -> Option<()> {
        let mut parts = self.dotted()?;
        if parts.len() == 1 {
            names.append(&mut parts);
        }
        Some(())
    }

    /// The parts of a dotted name.
    fn dotted(&mut self) -> Option<Vec<Ident>> {
        let mut parts = Vec::new();
        loop {
            let Some(Token::Word(word)) = self.peek() else {
                return None;
            };
            let span = self.tokens[self.at].span;
            let value = word.value.clone();
            parts.push(Ident {
                value,
                quote_style: word.quote_style,
                span,
            });
            self.at += 1;
            if self.peek() != Some(&Token::Period) {
                return Some(parts);
            }
            self.at += 1;
        }
    }

    /// `CLUSTER [VERBOSE | (options)] name [USING index]`
    fn cluster(&mut self) -> Option<Vec<Ident>> {
        self.options()?;
        self.eat(Keyword::VERBOSE);
        let mut names = Vec::new();
        if !self.done() {
            self.name(&mut names)?;
            if self.eat(Keyword::USING) {
                self.name(&mut Vec::new())?;
            }
        }
        self.done().then_some(names)
    }

    /// `REINDEX [(options)] {TABLE | INDEX} [CONCURRENTLY] name`; the other
    /// forms name schemas or databases, not relations.
    fn reindex(&mut self) -> Option<Vec<Ident>> {
        self.options()?;
        let mut names = Vec::new();
        match self.keyword()? {
            Keyword::TABLE | Keyword::INDEX => {
                self.eat(Keyword::CONCURRENTLY);
                self.name(&mut names)?;
            }
            Keyword::SCHEMA | Keyword::DATABASE | Keyword::SYSTEM => {
                self.eat(Keyword::CONCURRENTLY);
                self.name(&mut Vec::new())?;
            }
            _ => return None,
        }
        self.done().then_some(names)
    }

    /// `VACUUM [(options)] [FULL] [FREEZE] [VERBOSE] [ANALYZE] [name [(columns)], ...]`
    /// and the same for `ANALYZE`.
    fn vacuum(&mut self) -> Option<Vec<Ident>> {
        self.options()?;
        let flags = [
            Keyword::FULL,
            Keyword::FREEZE,
            Keyword::VERBOSE,
            Keyword::ANALYZE,
        ];
        while flags.iter().any(|&flag| self.eat(flag)) {}
        let mut names = Vec::new();
        while !self.done() {
            self.eat(Keyword::ONLY);
            self.name(&mut names)?;
            self.options()?;
            if !self.done() && self.peek() != Some(&Token::Comma) {
                return None;
            }
            self.at += 1;
        }
        Some(names)
    }

    /// `ALTER {TABLE | SEQUENCE | VIEW | MATERIALIZED VIEW | INDEX}
    /// [IF EXISTS] [ONLY] name SET SCHEMA schema`, and `ALTER SEQUENCE name`
    /// with options, of which only `OWNED BY table.column` names a relation.
    fn alter(&mut self) -> Option<Vec<Ident>> {
        let sequence = match self.keyword()? {
            Keyword::SEQUENCE => true,
            Keyword::TABLE | Keyword::VIEW | Keyword::INDEX => false,
            Keyword::MATERIALIZED if self.eat(Keyword::VIEW) => false,
            _ => return None,
        };
        if self.eat(Keyword::IF) && !self.eat(Keyword::EXISTS) {
            return None;
        }
        self.eat(Keyword::ONLY);
        let mut names = Vec::new();
        self.name(&mut names)?;
        if self.eat(Keyword::SET) && self.eat(Keyword::SCHEMA) {
            self.name(&mut Vec::new())?;
            return self.done().then_some(names);
        }
        if !sequence {
            return None;
        }
        while !self.done() {
            if self.eat(Keyword::OWNED) {
                self.eat(Keyword::BY).then_some(())?;
                self.owner(&mut names)?;
            } else {
                self.at += 1;
            }
        }
        Some(names)
    }

    /// `table.column` or `schema.table.column` (the table is a relation
    /// name), or `NONE`.
    fn owner(&mut self, names: &mut Vec<Ident>) -> Option<()> {
        if self.eat(Keyword::NONE) {
            return Some(());
        }
        let mut parts = self.dotted()?;
        match parts.len() {
            2 => names.push(parts.swap_remove(0)),
            3 => {}
            // A column without its table: PostgreSQL refuses it anyway.
            _ => return None,
        }
        Some(())
    }
}
