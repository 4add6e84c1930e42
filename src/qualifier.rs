//! The qualifier: settings, and the rewrite from SQL text to SQL text.

use std::borrow::Cow;
use std::sync::Arc;

use crate::cache::{Cache, Qualified, DEFAULT_CACHE_CAPACITY};
use crate::edit::{self, Schemas};
use crate::error::{Error, Position};
use crate::literal::unqualified_regclass_name;
use crate::parse::{self, Parsed, Piece};
use crate::pattern::{NameMatcher, Pattern};
use crate::prescan::{Prescan, SyntaxCheck};
use crate::prisma::PrismaSchema;
use crate::schema::Schema;
use crate::splice;
use crate::static_sql::QualifierId;
use crate::walk::{self, Site, SiteKind};

/// The pattern used when none is given: Prisma's LiteLLM tables.
pub const DEFAULT_PATTERN: &str = "LiteLLM_*";

/// The longest SQL text accepted by default, in bytes.
pub const DEFAULT_MAX_SQL_LEN: usize = 4 << 20;

/// Stack bytes set aside per byte of SQL: dropping a parsed chain of
/// `a+a+...` recurses once per term, and a term can be two bytes long.
const STACK_PER_SQL_BYTE: usize = 128;
const STACK_BASE: usize = 256 << 10;

/// What to do with a statement the parser cannot read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unparsable {
    /// Fail with [`Error::Parse`], naming the line and column.
    #[default]
    Error,
    /// Leave that statement exactly as it is and qualify the others. A
    /// statement left alone still runs without a schema, so behind a pooler
    /// it may fail with "relation does not exist" or, worse, read a table of
    /// the same name in another schema.
    PassThrough,
}

/// Puts a schema in front of unqualified table names in raw PostgreSQL.
///
/// Build one per process (it is cheap to share: `Send + Sync`) and call
/// [`Qualifier::qualify`] on each raw SQL text before sending it.
#[derive(Clone, Debug)]
pub struct Qualifier {
    schema: Option<Schema>,
    matcher: NameMatcher,
    walk: walk::Options,
    unparsable: Unparsable,
    max_sql_len: usize,
    syntax_check: SyntaxCheck,
    prescan: Prescan,
    cache: Cache,
    id: QualifierId,
}

/// An unqualified name that [`Qualifier::qualify`] would qualify.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unqualified {
    /// The name's PostgreSQL identity (quoted names as written, unquoted
    /// names in lower case).
    pub name: String,
    /// Where the name starts; for a name inside a string literal, where the
    /// literal starts.
    pub position: Position,
}

impl Qualifier {
    /// A qualifier for `schema` with the default pattern `LiteLLM_*`.
    pub fn new(schema: Schema) -> Qualifier {
        Qualifier::builder().schema(schema).build()
    }

    /// A qualifier whose schema comes from `LITELLM_DB_SCHEMA` or
    /// `DATABASE_URL` (see [`Schema::resolve`]); with neither, it leaves
    /// all SQL as it is.
    ///
    /// # Errors
    ///
    /// As [`Schema::resolve`], e.g. for `DATABASE_URL=postgres://h/db?schema=`.
    pub fn from_env() -> Result<Qualifier, Error> {
        let mut builder = Qualifier::builder();
        builder.schema = Schema::from_env()?;
        Ok(builder.build())
    }

    /// Settings beyond the defaults.
    pub fn builder() -> QualifierBuilder {
        QualifierBuilder {
            schema: None,
            matcher: NameMatcher::default(),
            walk: walk::Options::default(),
            unparsable: Unparsable::default(),
            max_sql_len: DEFAULT_MAX_SQL_LEN,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            syntax_check: SyntaxCheck::default(),
        }
    }

    /// The schema names are qualified with, if any.
    pub fn schema(&self) -> Option<&Schema> {
        self.schema.as_ref()
    }

    /// `sql` with `"schema".` put in front of every unqualified name that
    /// matches, and nothing else changed. Borrowed when there is nothing to
    /// change or no schema.
    ///
    /// A result is remembered in the qualifier's cache
    /// ([`QualifierBuilder::cache_capacity`]), so the same text again is not
    /// parsed again; a remembered rewrite is copied out. Errors are not
    /// remembered.
    ///
    /// ```
    /// use pgqualify::{Qualifier, Schema};
    ///
    /// let qualifier = Qualifier::new(Schema::new("litellm")?);
    /// let sql = r#"SELECT v.* FROM "LiteLLM_VerificationToken" v -- by key
    /// WHERE v.token = $1"#;
    /// assert_eq!(
    ///     qualifier.qualify(sql)?,
    ///     r#"SELECT v.* FROM "litellm"."LiteLLM_VerificationToken" v -- by key
    /// WHERE v.token = $1"#
    /// );
    /// # Ok::<(), pgqualify::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::Parse`] when the parser cannot read a statement
    ///   (`SELEC 1`), unless [`Unparsable::PassThrough`] is set;
    /// - [`Error::TooDeep`] for more than 50 nested levels;
    /// - [`Error::TooLong`] past [`QualifierBuilder::max_sql_len`];
    /// - [`Error::SchemaBreaksLiteral`] when a `regclass` literal is
    ///   dollar-quoted with a tag the schema name contains.
    pub fn qualify<'a>(&self, sql: &'a str) -> Result<Cow<'a, str>, Error> {
        if let Some(known) = self.known(sql)? {
            return Ok(known.into());
        }
        let output = self.rewrite(sql)?;
        match &output {
            Cow::Borrowed(_) => self.cache.insert_unchanged(sql),
            Cow::Owned(rewritten) if self.cache.admits(rewritten.len()) => {
                self.cache
                    .insert_rewritten(sql, Arc::from(rewritten.as_str()));
            }
            Cow::Owned(_) => {}
        }
        Ok(output)
    }

    /// The same text as [`Qualifier::qualify`], with a rewrite shared with
    /// the cache rather than copied out, so that a cache hit allocates
    /// nothing.
    ///
    /// ```
    /// use pgqualify::{Qualified, Qualifier, Schema};
    ///
    /// let qualifier = Qualifier::new(Schema::new("litellm")?);
    /// let sql = r#"SELECT * FROM "LiteLLM_TeamTable" WHERE team_id = $1"#;
    /// let first = qualifier.qualify_shared(sql)?;
    /// let again = qualifier.qualify_shared(sql)?;
    /// assert_eq!(again, r#"SELECT * FROM "litellm"."LiteLLM_TeamTable" WHERE team_id = $1"#);
    /// if let (Qualified::Rewritten(first), Qualified::Rewritten(again)) = (&first, &again) {
    ///     assert!(std::sync::Arc::ptr_eq(first, again));
    /// }
    /// # Ok::<(), pgqualify::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Qualifier::qualify`].
    pub fn qualify_shared<'a>(&self, sql: &'a str) -> Result<Qualified<'a>, Error> {
        if let Some(known) = self.known(sql)? {
            return Ok(known);
        }
        match self.rewrite(sql)? {
            Cow::Borrowed(sql) => {
                self.cache.insert_unchanged(sql);
                Ok(Qualified::Unchanged(sql))
            }
            Cow::Owned(rewritten) => {
                let rewritten: Arc<str> = rewritten.into();
                self.cache.insert_rewritten(sql, Arc::clone(&rewritten));
                Ok(Qualified::Rewritten(rewritten))
            }
        }
    }

    /// The result when it is known without a parse: nothing to qualify
    /// with, a text too long, a text that cannot hold a name (under
    /// [`SyntaxCheck::Candidates`]), or a text the cache remembers.
    fn known<'a>(&self, sql: &'a str) -> Result<Option<Qualified<'a>>, Error> {
        if self.qualifies_nothing() {
            return Ok(Some(Qualified::Unchanged(sql)));
        }
        self.check_len(sql)?;
        let skip = self.syntax_check == SyntaxCheck::Candidates && !self.prescan.may_match(sql);
        if skip {
            return Ok(Some(Qualified::Unchanged(sql)));
        }
        Ok(self.cache.get(sql))
    }

    /// Which qualifier this is, for results remembered outside it.
    pub(crate) fn id(&self) -> QualifierId {
        self.id
    }

    /// Whether there is no schema to qualify with, default or declared.
    fn qualifies_nothing(&self) -> bool {
        self.schema.is_none() && self.matcher.schemas().is_empty()
    }

    fn schemas(&self) -> Schemas<'_> {
        Schemas {
            default: self.schema.as_ref(),
            declared: self.matcher.schemas(),
        }
    }

    fn check_len(&self, sql: &str) -> Result<(), Error> {
        if sql.len() > self.max_sql_len {
            let (len, limit) = (sql.len(), self.max_sql_len);
            return Err(Error::TooLong { len, limit });
        }
        Ok(())
    }

    /// The rewrite itself: parse, walk, edit. Callers have asked
    /// [`Qualifier::known`] first.
    fn rewrite<'a>(&self, sql: &'a str) -> Result<Cow<'a, str>, Error> {
        let sites = self.sites(sql)?;
        if sites.is_empty() {
            return Ok(Cow::Borrowed(sql));
        }
        let edits = edit::edits(sql, &sites, &self.schemas())?;
        Ok(splice::apply(sql, edits))
    }

    /// A relation name given as text, such as the value bound to
    /// `to_regclass($1)`, with the schema put in front when it is
    /// unqualified and matches; otherwise the text as it is.
    ///
    /// The text is read as PostgreSQL reads `regclass` input: `"LiteLLM_X"`
    /// keeps its case, unquoted `LiteLLM_X` folds to `litellm_x`, and
    /// `s."LiteLLM_X"` is already qualified.
    ///
    /// ```
    /// use pgqualify::{Qualifier, Schema};
    ///
    /// let qualifier = Qualifier::new(Schema::new("litellm")?);
    /// let bound = qualifier.qualify_regclass_text(r#""LiteLLM_SpendLogs""#);
    /// assert_eq!(bound, r#""litellm"."LiteLLM_SpendLogs""#);
    /// assert_eq!(qualifier.qualify_regclass_text("LiteLLM_SpendLogs"), "LiteLLM_SpendLogs");
    /// assert_eq!(qualifier.qualify_regclass_text(r#"public."LiteLLM_SpendLogs""#), r#"public."LiteLLM_SpendLogs""#);
    /// # Ok::<(), pgqualify::Error>(())
    /// ```
    pub fn qualify_regclass_text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let Some((identity, leading)) = unqualified_regclass_name(text) else {
            return Cow::Borrowed(text);
        };
        let schemas = self.schemas();
        let target = self.matcher.regclass(&identity);
        match target.and_then(|target| schemas.get(target)) {
            Some(schema) => {
                let (before, name) = text.split_at(leading);
                Cow::Owned(format!("{before}{}.{name}", schema.quoted()))
            }
            None => Cow::Borrowed(text),
        }
    }

    /// The names in `sql` that [`Qualifier::qualify`] would qualify, in
    /// text order. Works without a schema.
    ///
    /// # Errors
    ///
    /// As [`Qualifier::qualify`].
    pub fn unqualified(&self, sql: &str) -> Result<Vec<Unqualified>, Error> {
        let mut sites = self.sites(sql)?;
        sites.retain(|site| !matches!(site.kind, SiteKind::Pinned { .. }));
        sites.sort_by_key(|site| site.start);
        sites.dedup_by_key(|site| site.start);
        let found = sites.into_iter().map(|site| Unqualified {
            name: site.identity,
            position: site.start,
        });
        Ok(found.collect())
    }

    fn sites(&self, sql: &str) -> Result<Vec<Site>, Error> {
        self.check_len(sql)?;
        // Parse trees are dropped recursively: give the whole job a stack
        // in proportion to the text, so no input can overflow the caller's.
        let stack = STACK_BASE + sql.len() * STACK_PER_SQL_BYTE;
        stacker::maybe_grow(stack, stack, || self.sites_unguarded(sql))
    }

    fn sites_unguarded(&self, sql: &str) -> Result<Vec<Site>, Error> {
        match parse::parse(sql)? {
            Parsed::Statements(statements) => {
                Ok(walk::sites(&statements, &self.matcher, self.walk))
            }
            Parsed::Mixed(pieces) => {
                let mut sites = Vec::new();
                for piece in pieces {
                    match piece {
                        Piece::Statement(statements) => {
                            sites.extend(walk::sites(&statements, &self.matcher, self.walk));
                        }
                        Piece::Relations(names) => {
                            sites.extend(walk::name_sites(&names, &self.matcher));
                        }
                        Piece::Unreadable(error) => match self.unparsable {
                            Unparsable::Error => return Err(error),
                            Unparsable::PassThrough => {}
                        },
                    }
                }
                Ok(sites)
            }
        }
    }
}

/// Settings for a [`Qualifier`]; start from [`Qualifier::builder`].
#[derive(Clone, Debug)]
#[must_use]
pub struct QualifierBuilder {
    schema: Option<Schema>,
    matcher: NameMatcher,
    walk: walk::Options,
    unparsable: Unparsable,
    max_sql_len: usize,
    cache_capacity: usize,
    syntax_check: SyntaxCheck,
}

impl QualifierBuilder {
    /// The schema to qualify with. Without one, SQL is left as it is.
    pub fn schema(mut self, schema: Schema) -> QualifierBuilder {
        self.schema = Some(schema);
        self
    }

    /// Table name patterns, in place of the default `LiteLLM_*`.
    ///
    /// A pattern is matched against a name's PostgreSQL identity, case
    /// included: `"LiteLLM_X"` is `LiteLLM_X`, unquoted `LiteLLM_X` is
    /// `litellm_x`. `*` matches any run of characters and `?` one
    /// character. A pattern of wildcards alone (`*`) matches every relation
    /// in relation positions of the grammar, but not type names or string
    /// literals, which need a pattern with a literal part or an exact name.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPattern`] for an empty pattern.
    pub fn patterns<I, S>(mut self, patterns: I) -> Result<QualifierBuilder, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for pattern in patterns {
            self.matcher.add_pattern(Pattern::new(pattern.as_ref())?);
        }
        Ok(self)
    }

    /// Exact relation names (tables, views, sequences) to qualify, beside
    /// any patterns; the default `LiteLLM_*` then applies only if
    /// [`QualifierBuilder::patterns`] asks for it. A name is its PostgreSQL
    /// identity, case included. Relation names count in relation
    /// positions, in `regclass` literals and as row types.
    pub fn relations<I, S>(mut self, names: I) -> QualifierBuilder
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for name in names {
            self.matcher.add_relation(name.as_ref(), None);
        }
        self
    }

    /// Exact type names (enums, domains, composite types) to qualify
    /// wherever PostgreSQL resolves a type: casts, column definitions,
    /// `CREATE`/`ALTER`/`DROP TYPE`. A name is its PostgreSQL identity.
    pub fn types<I, S>(mut self, names: I) -> QualifierBuilder
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for name in names {
            self.matcher.add_type(name.as_ref(), None);
        }
        self
    }

    /// The relations and types a Prisma schema declares: models and views
    /// (their `@@map` names), and enums. A name with `@@schema` gets that
    /// schema; the others get [`QualifierBuilder::schema`].
    ///
    /// ```
    /// use pgqualify::{PrismaSchema, Qualifier, Schema};
    ///
    /// let prisma = PrismaSchema::parse(r#"
    ///     model Job { id String @id  status JobStatus }
    ///     enum JobStatus { ACTIVE  DONE }
    /// "#)?;
    /// let qualifier = Qualifier::builder()
    ///     .schema(Schema::new("app")?)
    ///     .prisma_schema(&prisma)?
    ///     .build();
    /// assert_eq!(
    ///     qualifier.qualify(r#"UPDATE "Job" SET status = $1::"JobStatus""#)?,
    ///     r#"UPDATE "app"."Job" SET status = $1::"app"."JobStatus""#
    /// );
    /// # Ok::<(), pgqualify::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Schema::new`], for a `@@schema` name that PostgreSQL cannot
    /// hold (over 63 bytes).
    pub fn prisma_schema(mut self, prisma: &PrismaSchema) -> Result<QualifierBuilder, Error> {
        let schema = |name: &Option<String>| name.as_deref().map(Schema::new).transpose();
        for relation in prisma.relations() {
            let schema = schema(&relation.schema)?;
            self.matcher.add_relation(&relation.name, schema);
        }
        for declared in prisma.types() {
            let schema = schema(&declared.schema)?;
            self.matcher.add_type(&declared.name, schema);
        }
        Ok(self)
    }

    /// Whether to replace `current_schema`, `current_schema()` and
    /// `current_schemas(bool)` by the values they have when `search_path`
    /// is the schema alone; off by default.
    ///
    /// Behind a pooler that resets the session, these calls return
    /// `public` (or whatever the server's default is), so catalog lookups
    /// filtered by them find nothing. Turn this on when the SQL means "the
    /// application's schema" by them. Leave it off where connections keep a
    /// different `search_path` on purpose, as the replacement changes what
    /// such SQL means. In a select list the replaced column is named `name`
    /// rather than `current_schema`: give it an alias.
    ///
    /// ```
    /// use pgqualify::{Qualifier, Schema};
    ///
    /// let qualifier = Qualifier::builder()
    ///     .schema(Schema::new("litellm")?)
    ///     .pin_current_schema(true)
    ///     .build();
    /// assert_eq!(
    ///     qualifier.qualify("SELECT relname FROM pg_class c JOIN pg_namespace n \
    ///         ON n.oid = c.relnamespace WHERE n.nspname = current_schema()")?,
    ///     "SELECT relname FROM pg_class c JOIN pg_namespace n \
    ///         ON n.oid = c.relnamespace WHERE n.nspname = 'litellm'::name"
    /// );
    /// # Ok::<(), pgqualify::Error>(())
    /// ```
    pub fn pin_current_schema(mut self, pin: bool) -> QualifierBuilder {
        self.walk.pin_current_schema = pin;
        self
    }

    /// What to do with statements the parser cannot read; by default
    /// [`Unparsable::Error`].
    pub fn unparsable(mut self, unparsable: Unparsable) -> QualifierBuilder {
        self.unparsable = unparsable;
        self
    }

    /// The longest SQL text accepted, in bytes; by default
    /// [`DEFAULT_MAX_SQL_LEN`] (4 MiB). Longer text fails with
    /// [`Error::TooLong`].
    pub fn max_sql_len(mut self, bytes: usize) -> QualifierBuilder {
        self.max_sql_len = bytes;
        self
    }

    /// How many results the qualifier remembers, keyed by the SQL text; by
    /// default [`DEFAULT_CACHE_CAPACITY`] (1024). 0 turns the cache off.
    ///
    /// Texts longer than 16 KiB are not remembered, so the cache holds at
    /// most `entries` times 16 KiB of text (about 2 KB per entry for a
    /// typical query). When it is full, a new text replaces one that was
    /// not used since the last replacement near it (CLOCK eviction over
    /// sets of eight). A text's set is chosen from its length and a sample
    /// of its bytes, so long texts of one length that differ only in a few
    /// bytes (`LIMIT 10`, `LIMIT 20`) share a set: more than eight of them
    /// in use at once evict one another. The cache is shared by every
    /// thread that uses the qualifier; a clone of the qualifier starts with
    /// an empty one.
    pub fn cache_capacity(mut self, entries: usize) -> QualifierBuilder {
        self.cache_capacity = entries;
        self
    }

    /// Which texts are parsed, and so checked for syntax; by default
    /// [`SyntaxCheck::Every`]. [`SyntaxCheck::Candidates`] returns texts
    /// in which nothing can match without parsing them.
    pub fn syntax_check(mut self, check: SyntaxCheck) -> QualifierBuilder {
        self.syntax_check = check;
        self
    }

    /// The qualifier.
    pub fn build(mut self) -> Qualifier {
        if self.matcher.is_empty() {
            self.matcher.add_pattern(Pattern::checked(DEFAULT_PATTERN));
        }
        let prescan = Prescan::new(self.matcher.texts(), self.walk.pin_current_schema);
        Qualifier {
            schema: self.schema,
            matcher: self.matcher,
            walk: self.walk,
            unparsable: self.unparsable,
            max_sql_len: self.max_sql_len,
            syntax_check: self.syntax_check,
            prescan,
            cache: Cache::new(self.cache_capacity),
            id: QualifierId::next(),
        }
    }
}
