//! SQL text fixed at compile time, rewritten once per place in the code.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use crate::error::Error;
use crate::qualifier::Qualifier;

/// Which qualifier a result was made by. Every built qualifier gets a new
/// one, and a clone keeps it, as a clone has the same settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct QualifierId(u64);

impl QualifierId {
    pub(crate) fn next() -> QualifierId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        QualifierId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A `'static` SQL text whose rewrite is remembered where it is declared,
/// so each later use costs one atomic load and a comparison.
///
/// Most code reaches it through [`qualify_static!`](crate::qualify_static),
/// which declares one per call site. The result is bound to the first
/// qualifier that succeeds with it; any other qualifier still gets its own
/// exact result, through [`Qualifier::qualify`] (and so through that
/// qualifier's cache). Errors are not remembered: a text that fails is
/// parsed again on the next use.
///
/// ```
/// use pgqualify::{Qualifier, Schema, StaticSql};
///
/// static TEAM: StaticSql = StaticSql::new(r#"SELECT * FROM "LiteLLM_TeamTable" WHERE team_id = $1"#);
///
/// let qualifier = Qualifier::new(Schema::new("litellm")?);
/// for _ in 0..3 {
///     assert_eq!(
///         TEAM.qualify(&qualifier)?,
///         r#"SELECT * FROM "litellm"."LiteLLM_TeamTable" WHERE team_id = $1"#
///     );
/// }
/// # Ok::<(), pgqualify::Error>(())
/// ```
pub struct StaticSql {
    sql: &'static str,
    bound: OnceLock<Bound>,
}

struct Bound {
    qualifier: QualifierId,
    output: Cow<'static, str>,
}

impl StaticSql {
    /// Wraps `sql`; nothing is parsed until the first use.
    pub const fn new(sql: &'static str) -> StaticSql {
        StaticSql {
            sql,
            bound: OnceLock::new(),
        }
    }

    /// The text as written.
    pub fn sql(&self) -> &'static str {
        self.sql
    }

    /// The text as `qualifier` rewrites it, the same as
    /// [`Qualifier::qualify`] returns.
    ///
    /// # Errors
    ///
    /// As [`Qualifier::qualify`], e.g. [`Error::Parse`] for `SELEC 1`.
    pub fn qualify(&self, qualifier: &Qualifier) -> Result<Cow<'_, str>, Error> {
        let id = qualifier.id();
        if let Some(bound) = self.bound.get() {
            if bound.qualifier == id {
                return Ok(Cow::Borrowed(&bound.output));
            }
            return qualifier.qualify(self.sql);
        }
        let output = qualifier.qualify(self.sql)?;
        match self.bound.set(Bound {
            qualifier: id,
            output,
        }) {
            Ok(()) => self.qualify(qualifier),
            // Another thread bound it first, maybe for another qualifier:
            // this result is right for this one.
            Err(mine) => Ok(mine.output),
        }
    }
}

impl fmt::Debug for StaticSql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticSql")
            .field("sql", &self.sql)
            .field("bound", &self.bound.get().is_some())
            .finish()
    }
}

/// Qualifies a `'static` SQL text once per call site: after the first call,
/// a use costs about one atomic load.
///
/// `qualify_static!(qualifier, sql)` takes a `&Qualifier` and a constant
/// `&'static str` (a literal, a `const`, or `include_str!`), and returns
/// `Result<Cow<'static, str>, Error>`, the same as
/// [`Qualifier::qualify`]. Each call site keeps a [`StaticSql`]; see there
/// for how it behaves with more than one qualifier.
///
/// ```
/// use pgqualify::{qualify_static, Qualifier, Schema};
///
/// fn spend_of(qualifier: &Qualifier) -> Result<String, pgqualify::Error> {
///     let sql = qualify_static!(
///         qualifier,
///         r#"SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = $1"#
///     )?;
///     Ok(sql.into_owned())
/// }
///
/// let qualifier = Qualifier::new(Schema::new("litellm")?);
/// assert_eq!(
///     spend_of(&qualifier)?,
///     r#"SELECT spend FROM "litellm"."LiteLLM_VerificationToken" WHERE token = $1"#
/// );
/// # Ok::<(), pgqualify::Error>(())
/// ```
///
/// # Errors
///
/// As [`Qualifier::qualify`].
#[macro_export]
macro_rules! qualify_static {
    ($qualifier:expr, $sql:expr $(,)?) => {{
        static SQL: $crate::StaticSql = $crate::StaticSql::new($sql);
        SQL.qualify($qualifier)
    }};
}
