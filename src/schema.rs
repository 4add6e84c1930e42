//! Which schema to qualify with: validation and resolution from settings.

use std::fmt;

use crate::error::{Error, SchemaOrigin};

/// PostgreSQL truncates identifiers past this many bytes (`NAMEDATALEN - 1`).
const MAX_IDENTIFIER_BYTES: usize = 63;

/// A validated schema name, kept exactly as given (case included).
///
/// It is always written into SQL as a quoted identifier with `"` doubled,
/// so any name PostgreSQL can store is safe: `a"b` becomes `"a""b"`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Schema {
    name: String,
    quoted: String,
}

impl Schema {
    /// Checks `name` and wraps it.
    ///
    /// # Errors
    ///
    /// [`Error::EmptySchema`] for `""`, [`Error::SchemaTooLong`] for a name
    /// over 63 bytes and [`Error::SchemaContainsNul`] for `"a\0b"`.
    ///
    /// ```
    /// let schema = pgqualify::Schema::new("My Schema")?;
    /// assert_eq!(schema.quoted(), r#""My Schema""#);
    /// assert!(pgqualify::Schema::new("").is_err());
    /// # Ok::<(), pgqualify::Error>(())
    /// ```
    pub fn new(name: &str) -> Result<Schema, Error> {
        Schema::checked(name, SchemaOrigin::Explicit)
    }

    /// The name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name as a quoted identifier, ready to put into SQL.
    pub fn quoted(&self) -> &str {
        &self.quoted
    }

    /// Resolves the schema from the values of `LITELLM_DB_SCHEMA` and
    /// `DATABASE_URL`, without reading the environment.
    ///
    /// A non-empty `db_schema` wins. Otherwise the `schema` query parameter
    /// of a `postgres://` or `postgresql://` URL is used, percent-decoded
    /// with `+` read as a space, as form encoding and Prisma read it.
    /// With neither, the result is `Ok(None)`: nothing is to be qualified.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidDatabaseUrl`] for `postgres://u:p@[bad/db`;
    /// - [`Error::UnsupportedUrlScheme`] for `mysql://h/db?schema=s`;
    /// - [`Error::EmptySchema`] for `postgres://h/db?schema=`;
    /// - [`Error::ConflictingSchemas`] for `postgres://h/db?schema=a&schema=b`;
    /// - [`Error::SchemaTooLong`] and [`Error::SchemaContainsNul`] as for
    ///   [`Schema::new`].
    ///
    /// ```
    /// use pgqualify::Schema;
    ///
    /// let url = "postgresql://app:secret@db:5432/app?schema=litellm";
    /// let schema = Schema::resolve(None, Some(url))?;
    /// assert_eq!(schema.map(|s| s.name().to_owned()), Some("litellm".into()));
    /// assert_eq!(Schema::resolve(Some("other"), Some(url))?.unwrap().name(), "other");
    /// assert!(Schema::resolve(None, None)?.is_none());
    /// # Ok::<(), pgqualify::Error>(())
    /// ```
    pub fn resolve(
        db_schema: Option<&str>,
        database_url: Option<&str>,
    ) -> Result<Option<Schema>, Error> {
        if let Some(name) = db_schema.filter(|name| !name.is_empty()) {
            return Schema::checked(name, SchemaOrigin::DbSchemaVariable).map(Some);
        }
        match database_url.filter(|url| !url.is_empty()) {
            Some(url) => schema_from_url(url),
            None => Ok(None),
        }
    }

    /// Resolves the schema from the process environment: the only place
    /// where this crate reads it. See [`Schema::resolve`] for the rules.
    ///
    /// A variable that is not valid Unicode counts as unset.
    ///
    /// # Errors
    ///
    /// As [`Schema::resolve`].
    pub fn from_env() -> Result<Option<Schema>, Error> {
        let db_schema = std::env::var("LITELLM_DB_SCHEMA").ok();
        let database_url = std::env::var("DATABASE_URL").ok();
        Schema::resolve(db_schema.as_deref(), database_url.as_deref())
    }

    fn checked(name: &str, origin: SchemaOrigin) -> Result<Schema, Error> {
        if name.is_empty() {
            return Err(Error::EmptySchema { origin });
        }
        if let Some(at) = name.find('\0') {
            return Err(Error::SchemaContainsNul { origin, at });
        }
        if name.len() > MAX_IDENTIFIER_BYTES {
            let len = name.len();
            return Err(Error::SchemaTooLong { origin, len });
        }
        let quoted = quote_identifier(name);
        let name = name.to_owned();
        Ok(Schema { name, quoted })
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Schema").field(&self.name).finish()
    }
}

impl fmt::Display for Schema {
    /// Writes the quoted identifier.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.quoted)
    }
}

/// `name` as a PostgreSQL quoted identifier.
pub(crate) fn quote_identifier(name: &str) -> String {
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    quoted.push_str(&name.replace('"', "\"\""));
    quoted.push('"');
    quoted
}

/// `text` as a PostgreSQL string literal (standard conforming strings).
pub(crate) fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn schema_from_url(raw: &str) -> Result<Option<Schema>, Error> {
    // `url::Url`'s Debug and some messages carry the password: only the
    // parse error kind and the scheme ever leave this function.
    let url = url::Url::parse(raw).map_err(Error::InvalidDatabaseUrl)?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        let scheme = url.scheme().to_owned();
        return Err(Error::UnsupportedUrlScheme { scheme });
    }

    let mut found: Option<String> = None;
    for (key, value) in url.query_pairs() {
        if key != "schema" {
            continue;
        }
        match &found {
            Some(first) if *first != value => {
                let first = first.clone();
                let second = value.into_owned();
                return Err(Error::ConflictingSchemas { first, second });
            }
            Some(_) => {}
            None => found = Some(value.into_owned()),
        }
    }

    match found {
        Some(name) => Schema::checked(&name, SchemaOrigin::DatabaseUrl).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn resolved(db_schema: Option<&str>, url: Option<&str>) -> Option<String> {
        let schema = Schema::resolve(db_schema, url).unwrap();
        schema.map(|s| s.name().to_owned())
    }

    #[track_caller]
    fn error(db_schema: Option<&str>, url: Option<&str>) -> String {
        Schema::resolve(db_schema, url).unwrap_err().to_string()
    }

    #[test]
    fn resolution_order() {
        let url = Some("postgres://u:pw@h:5432/db?schema=from_url");
        assert_eq!(resolved(Some("env"), url).as_deref(), Some("env"));
        assert_eq!(resolved(Some(""), url).as_deref(), Some("from_url"));
        assert_eq!(resolved(None, url).as_deref(), Some("from_url"));
        assert_eq!(resolved(None, Some("postgres://h/db")), None);
        assert_eq!(resolved(None, Some("")), None);
        assert_eq!(resolved(None, None), None);
    }

    #[test]
    fn url_decoding() {
        let cases = [
            ("postgresql://h/db?schema=lite%20llm", "lite llm"),
            ("postgresql://h/db?schema=lite+llm", "lite llm"),
            ("postgresql://h/db?schema=lite%2Bllm", "lite+llm"),
            ("postgresql://h/db?schema=%C3%9Cber", "Über"),
            ("postgresql://h/db?schema=a%22b", "a\"b"),
            (
                "postgresql://h/db?sslmode=require&schema=S&connection_limit=1",
                "S",
            ),
            ("postgresql://h/db?schema=s&schema=s", "s"),
            ("postgres:///db?host=/run/pg&schema=x", "x"),
        ];
        for (url, expected) in cases {
            assert_eq!(
                resolved(None, Some(url)).as_deref(),
                Some(expected),
                "{url}"
            );
        }
    }

    #[test]
    fn errors_name_the_problem_without_credentials() {
        let long = "x".repeat(64);
        let cases = [
            (None, "postgres://u:hunter2@[::1/db", "DATABASE_URL is not a valid URL"),
            (None, "mysql://u:hunter2@h/db?schema=s", "DATABASE_URL has scheme `mysql`; expected `postgres` or `postgresql`"),
            (None, "postgres://u:hunter2@h/db?schema=", "the schema parameter of DATABASE_URL is empty; a schema name needs at least one character"),
            (None, "postgres://u:hunter2@h/db?schema=a&schema=b", "DATABASE_URL has two different schema parameters: `a` and `b`"),
            (None, "postgres://u:hunter2@h/db?schema=a%00b", "the schema parameter of DATABASE_URL contains a NUL byte at byte 1"),
            (Some(long.as_str()), "postgres://u:hunter2@h/db", "LITELLM_DB_SCHEMA is 64 bytes long; PostgreSQL allows at most 63"),
        ];
        for (db_schema, url, expected) in cases {
            let message = error(db_schema, Some(url));
            assert_eq!(message, expected);
            let debug = format!("{:?}", Schema::resolve(db_schema, Some(url)));
            assert!(!debug.contains("hunter2"), "{debug}");
        }
    }

    #[test]
    fn names_are_quoted_and_limited_in_bytes() {
        assert_eq!(Schema::new("a\"b").unwrap().quoted(), "\"a\"\"b\"");
        assert_eq!(Schema::new("Public").unwrap().to_string(), "\"Public\"");
        assert!(Schema::new(&"é".repeat(31)).is_ok());
        let message = Schema::new(&"é".repeat(32)).unwrap_err().to_string();
        assert_eq!(
            message,
            "the given schema name is 64 bytes long; PostgreSQL allows at most 63"
        );
        assert_eq!(format!("{:?}", Schema::new("s").unwrap()), "Schema(\"s\")");
    }
}
