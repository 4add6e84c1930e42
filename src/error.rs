//! The one error type of the crate.

use std::fmt;

/// A place in the SQL text: 1-based line and column.
///
/// Lines are split on `\n`; columns count Unicode scalar values, so a
/// column points at the same character an editor shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: u64,
    /// Column number, starting at 1, counted in characters.
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Where a schema name came from, so an error can say which setting to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaOrigin {
    /// The `LITELLM_DB_SCHEMA` variable.
    DbSchemaVariable,
    /// The `schema` query parameter of `DATABASE_URL`.
    DatabaseUrl,
    /// A value given through the API or the command line.
    Explicit,
}

impl fmt::Display for SchemaOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SchemaOrigin::DbSchemaVariable => "LITELLM_DB_SCHEMA",
            SchemaOrigin::DatabaseUrl => "the schema parameter of DATABASE_URL",
            SchemaOrigin::Explicit => "the given schema name",
        })
    }
}

/// Everything that can go wrong while resolving a schema or qualifying SQL.
///
/// Messages are lowercase, say what went wrong and where, and never contain
/// a connection string or any part of its credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `DATABASE_URL` could not be read as a URL.
    #[error("DATABASE_URL is not a valid URL")]
    InvalidDatabaseUrl(#[source] url::ParseError),

    /// `DATABASE_URL` names a scheme other than `postgres` or `postgresql`.
    #[error("DATABASE_URL has scheme `{scheme}`; expected `postgres` or `postgresql`")]
    UnsupportedUrlScheme {
        /// The scheme found.
        scheme: String,
    },

    /// `DATABASE_URL` holds two `schema` parameters that disagree.
    #[error("DATABASE_URL has two different schema parameters: `{first}` and `{second}`")]
    ConflictingSchemas {
        /// The first value.
        first: String,
        /// The value that differs from it.
        second: String,
    },

    /// A schema name is empty.
    #[error("{origin} is empty; a schema name needs at least one character")]
    EmptySchema {
        /// Where the name came from.
        origin: SchemaOrigin,
    },

    /// A schema name is longer than PostgreSQL's identifier limit.
    #[error("{origin} is {len} bytes long; PostgreSQL allows at most 63")]
    SchemaTooLong {
        /// Where the name came from.
        origin: SchemaOrigin,
        /// Its length in bytes.
        len: usize,
    },

    /// A schema name contains a NUL byte, which PostgreSQL cannot store.
    #[error("{origin} contains a NUL byte at byte {at}")]
    SchemaContainsNul {
        /// Where the name came from.
        origin: SchemaOrigin,
        /// Byte offset of the NUL.
        at: usize,
    },

    /// A table name pattern cannot be used.
    #[error("table pattern `{pattern}` is {reason}")]
    InvalidPattern {
        /// The pattern as given.
        pattern: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A Prisma schema could not be read.
    #[error("invalid Prisma schema at {position}: {reason}")]
    InvalidPrismaSchema {
        /// Where in the Prisma schema.
        position: Position,
        /// What is wrong there.
        reason: String,
    },

    /// The SQL text could not be parsed.
    #[error("cannot parse SQL at {position}")]
    Parse {
        /// Where the parser stopped.
        position: Position,
        /// The parser's own explanation.
        #[source]
        source: sqlparser::parser::ParserError,
    },

    /// The SQL text nests deeper than the parser allows.
    #[error("SQL nests too deeply at {position}; the parser allows {limit} levels")]
    TooDeep {
        /// The first token past the allowed depth.
        position: Position,
        /// The nesting limit.
        limit: usize,
    },

    /// The SQL text is longer than the configured limit.
    #[error("SQL text is {len} bytes long; the limit is {limit}")]
    TooLong {
        /// Length of the text in bytes.
        len: usize,
        /// The configured limit.
        limit: usize,
    },

    /// A name that must be qualified sits inside a dollar-quoted literal
    /// whose closing tag the schema name would complete early.
    #[error("cannot put the schema into the dollar-quoted literal at {position}")]
    SchemaBreaksLiteral {
        /// Start of the literal.
        position: Position,
    },

    /// The parser reported a name at a place where the text does not hold
    /// it. This points at a parser defect; the SQL is left alone.
    #[error("cannot find `{name}` in the SQL text at {position}")]
    NameNotFound {
        /// The name as the parser read it.
        name: String,
        /// Where the parser placed it.
        position: Position,
    },
}

impl Error {
    /// The place in the SQL text the error points at, for errors about SQL.
    pub fn position(&self) -> Option<Position> {
        match self {
            Error::Parse { position, .. }
            | Error::TooDeep { position, .. }
            | Error::SchemaBreaksLiteral { position }
            | Error::NameNotFound { position, .. }
            | Error::InvalidPrismaSchema { position, .. } => Some(*position),
            _ => None,
        }
    }
}
