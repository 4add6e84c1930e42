//! Tokenizing and parsing SQL text into statements, with positions on every
//! error, and a fallback for statements the parser does not know.

use sqlparser::ast::{Ident, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use crate::error::{Error, Position};
use crate::maintenance;

/// The parser's nesting limit, named in [`Error::TooDeep`].
const RECURSION_LIMIT: usize = 50;

/// What the text holds, statement by statement.
pub(crate) enum Parsed {
    /// sqlparser read all of it.
    Statements(Vec<Statement>),
    /// sqlparser rejected part of it; each statement was then read alone.
    Mixed(Vec<Piece>),
}

pub(crate) enum Piece {
    Statement(Vec<Statement>),
    /// A maintenance statement read by [`maintenance`]: its relation names.
    Relations(Vec<Ident>),
    /// A statement nobody could read, with the reason.
    Unreadable(Error),
}

pub(crate) fn parse(sql: &str) -> Result<Parsed, Error> {
    let tokens = tokenize(sql)?;
    let whole = Parser::new(&PostgreSqlDialect {})
        .with_tokens_with_locations(tokens)
        .parse_statements();
    match whole {
        Ok(statements) => Ok(Parsed::Statements(statements)),
        Err(_) => {
            let tokens = tokenize(sql)?;
            Ok(Parsed::Mixed(
                split(tokens).into_iter().map(parse_piece).collect(),
            ))
        }
    }
}

fn tokenize(sql: &str) -> Result<Vec<TokenWithSpan>, Error> {
    Tokenizer::new(&PostgreSqlDialect {}, sql)
        .tokenize_with_location()
        .map_err(|e| {
            let position = position(e.location);
            Error::Parse {
                position,
                source: ParserError::from(e),
            }
        })
}

/// The statements of a token stream, split at top-level semicolons and
/// stripped of them. Empty statements are dropped.
fn split(tokens: Vec<TokenWithSpan>) -> Vec<Vec<TokenWithSpan>> {
    let mut statements = vec![Vec::new()];
    for token in tokens {
        match token.token {
            Token::SemiColon => statements.push(Vec::new()),
            Token::EOF => {}
            _ => statements.last_mut().map_or((), |s| s.push(token)),
        }
    }
    statements.retain(|s| s.iter().any(|t| !matches!(t.token, Token::Whitespace(_))));
    statements
}

fn parse_piece(tokens: Vec<TokenWithSpan>) -> Piece {
    let bounds = (first_position(&tokens), end_position(&tokens));
    let depth_hint = deepest_paren(&tokens);
    let parsed = Parser::new(&PostgreSqlDialect {})
        .with_tokens_with_locations(tokens.clone())
        .parse_statements();
    match parsed {
        Ok(statements) => Piece::Statement(statements),
        Err(source) => match maintenance::relations(&tokens) {
            Some(names) => Piece::Relations(names),
            None => Piece::Unreadable(parse_error(source, bounds, depth_hint)),
        },
    }
}

/// Our error for a parser error: its position is taken from the message,
/// the only place sqlparser keeps it; a message without one ran out of
/// tokens or concerns the whole statement.
fn parse_error(source: ParserError, bounds: (Position, Position), deepest: Position) -> Error {
    match source {
        ParserError::RecursionLimitExceeded => Error::TooDeep {
            position: deepest,
            limit: RECURSION_LIMIT,
        },
        _ => {
            let message = source.to_string();
            let (start, end) = bounds;
            let fallback = if message.ends_with("found: EOF") {
                end
            } else {
                start
            };
            let position = position_in_message(&message).unwrap_or(fallback);
            Error::Parse { position, source }
        }
    }
}

/// Reads the trailing ` at Line: L, Column: C` of a sqlparser message.
fn position_in_message(message: &str) -> Option<Position> {
    let (_, tail) = message.rsplit_once(" at Line: ")?;
    let (line, column) = tail.split_once(", Column: ")?;
    let column = column.split(|c: char| !c.is_ascii_digit()).next()?;
    Some(Position {
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    })
}

fn first_position(tokens: &[TokenWithSpan]) -> Position {
    let first = tokens
        .iter()
        .find(|t| !matches!(t.token, Token::Whitespace(_)));
    first.map_or(Position { line: 1, column: 1 }, |t| position(t.span.start))
}

/// Just past the last token of a statement.
fn end_position(tokens: &[TokenWithSpan]) -> Position {
    let last = tokens
        .iter()
        .rev()
        .find(|t| !matches!(t.token, Token::Whitespace(_)));
    last.map_or(Position { line: 1, column: 1 }, |t| position(t.span.end))
}

/// Where parentheses nest deepest: the best place to point at when the
/// parser gives up on depth without saying where.
fn deepest_paren(tokens: &[TokenWithSpan]) -> Position {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = first_position(tokens);
    for token in tokens {
        match token.token {
            Token::LParen => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    at = position(token.span.start);
                }
            }
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    at
}

pub(crate) fn position(location: Location) -> Position {
    Position {
        line: location.line,
        column: location.column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_read_from_parser_messages() {
        let at = |line, column| Some(Position { line, column });
        assert_eq!(
            position_in_message("Expected: x, found: y at Line: 3, Column: 17"),
            at(3, 17)
        );
        assert_eq!(
            position_in_message("found: at Line: 9 at Line: 1, Column: 2"),
            at(1, 2)
        );
        assert_eq!(position_in_message("no position here"), None);
    }
}
