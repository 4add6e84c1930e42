//! Schema-qualifies table names in raw PostgreSQL, so that SQL written for
//! a `search_path` keeps working where no `search_path` holds.
//!
//! Prisma-style data layers keep their tables in a schema of their own
//! (`DATABASE_URL=...?schema=litellm`) and rely on a per-session
//! `search_path`. Behind PgBouncer in transaction mode, or a hosted pooler
//! that resets the session on every checkout, raw SQL such as
//! `SELECT * FROM "LiteLLM_VerificationToken"` then fails with
//! `relation "LiteLLM_VerificationToken" does not exist`. A [`Qualifier`]
//! rewrites the text right before it is sent: every unqualified name that
//! matches its patterns gets the schema in front, and nothing else changes.
//!
//! ```
//! use pgqualify::{Qualifier, Schema};
//!
//! let qualifier = Qualifier::new(Schema::new("litellm")?);
//! let sql = r#"
//!     WITH team AS (SELECT * FROM "LiteLLM_TeamTable" WHERE team_id = $1)
//!     SELECT k.token, team.team_alias  -- "LiteLLM_" in a comment stays
//!     FROM "LiteLLM_VerificationToken" AS k JOIN team USING (team_id)"#;
//! let expected = r#"
//!     WITH team AS (SELECT * FROM "litellm"."LiteLLM_TeamTable" WHERE team_id = $1)
//!     SELECT k.token, team.team_alias  -- "LiteLLM_" in a comment stays
//!     FROM "litellm"."LiteLLM_VerificationToken" AS k JOIN team USING (team_id)"#;
//! assert_eq!(qualifier.qualify(sql)?, expected);
//!
//! // Already qualified, or nothing to do: the input comes back borrowed.
//! assert!(matches!(qualifier.qualify(expected)?, std::borrow::Cow::Borrowed(_)));
//! # Ok::<(), pgqualify::Error>(())
//! ```
//!
//! In a service, build the qualifier once from the environment:
//! [`Qualifier::from_env`] takes the schema from `LITELLM_DB_SCHEMA`, else
//! from `DATABASE_URL`'s `schema` parameter, and without either leaves all
//! SQL untouched.
//!
//! # Cost
//!
//! A rewrite parses the text, about 150 µs for a 2 KB query, and every
//! fast path returns exactly what that parse would give (BENCHMARKS.md has
//! the numbers):
//!
//! - a qualifier remembers its results, keyed by the SQL text
//!   ([`QualifierBuilder::cache_capacity`], 1024 entries by default), so a
//!   text seen before costs about 0.1 µs; [`Qualifier::qualify_shared`]
//!   hands a remembered rewrite out as a shared [`Qualified`] without
//!   allocating;
//! - [`qualify_static!`] and [`StaticSql`] keep the rewrite of a `'static`
//!   text at its call site: after the first call, about 10 ns;
//! - under [`SyntaxCheck::Candidates`], a text in which no name can match
//!   is returned without being parsed, after a scan of about 0.1 µs.
//!
//! # What is qualified
//!
//! A one-part name whose PostgreSQL identity matches a pattern (quoted
//! names as written; unquoted names fold to lower case, so unquoted
//! `LiteLLM_X` is `litellm_x` and does not match `LiteLLM_*`), in every
//! position where PostgreSQL looks a relation up through `search_path`:
//! FROM and JOIN items, subqueries, CTE bodies, set operations, the targets
//! of INSERT, UPDATE, DELETE, MERGE and SELECT INTO, and the relations of
//! DDL and maintenance statements (CREATE/ALTER/DROP TABLE, VIEW, INDEX ON,
//! TRIGGER ON, POLICY ON, REFERENCES, LIKE, INHERITS, TRUNCATE, LOCK, COPY,
//! VACUUM, ANALYZE, CLUSTER, REINDEX, GRANT, COMMENT ON, ...). With a
//! pattern that has a literal part, also the names PostgreSQL resolves at
//! run time: string literals read as `regclass` (`'"LiteLLM_X"'::regclass`,
//! `to_regclass('...')`, `pg_total_relation_size('...')`), where the
//! schema goes inside the literal, and a table's row type used as a type
//! (`NULL::"LiteLLM_X"`).
//!
//! Never touched: names that are already qualified, references to a CTE in
//! scope (by PostgreSQL's scoping rules), aliases, column and whole-row
//! references, `FOR UPDATE OF`, index and constraint names, `RENAME TO`
//! targets, string data and comments.
//!
//! # Beyond `LiteLLM_*`
//!
//! Views and enum types resolve through `search_path` too: name them with
//! [`QualifierBuilder::relations`] and [`QualifierBuilder::types`], or let a
//! Prisma schema name them ([`PrismaSchema`],
//! [`QualifierBuilder::prisma_schema`]). [`QualifierBuilder::pin_current_schema`]
//! replaces `current_schema()` by its value under the schema, and
//! [`Qualifier::qualify_regclass_text`] qualifies a relation name bound as a
//! parameter.
//!
//! # Scope of this crate
//!
//! Matching is syntactic: no catalog is consulted. The README lists the
//! statements the parser cannot read; by default they are an error with a
//! line and column ([`Unparsable`] chooses otherwise).

// One concern per module:
// - schema:      the schema name, and where it comes from
// - pattern:     which names match, and with which schema
// - prisma:      names read from a Prisma schema
// - parse:       text to statements, with positions on every error
// - maintenance: the few statements sqlparser does not parse
// - walk:        the statements' names to qualify, with CTE scoping
// - literal:     names inside string literals read as `regclass`
// - edit, splice: sites to text edits, checked against the source
// - qualifier:   settings and the rewrite
// - cache, prescan, static_sql: the fast paths
// - error:       the error type
mod cache;
mod edit;
mod error;
mod literal;
mod maintenance;
mod parse;
mod pattern;
mod prescan;
mod prisma;
mod qualifier;
mod schema;
mod splice;
mod static_sql;
mod walk;

pub use cache::{Qualified, DEFAULT_CACHE_CAPACITY};
pub use error::{Error, Position, SchemaOrigin};
pub use prescan::SyntaxCheck;
pub use prisma::{DeclaredName, PrismaSchema};
pub use qualifier::{
    Qualifier, QualifierBuilder, Unparsable, Unqualified, DEFAULT_MAX_SQL_LEN, DEFAULT_PATTERN,
};
pub use schema::Schema;
pub use static_sql::StaticSql;

/// The README's examples, compiled and run as doctests so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
