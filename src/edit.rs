//! From the sites the walk found to text edits, each checked against the
//! source so that a misplaced span can never corrupt the SQL.

use crate::error::Error;
use crate::pattern::Target;
use crate::schema::{quote_literal, Schema};
use crate::splice::{Edit, LineIndex};
use crate::walk::{CallTail, PinnedCall, Site, SiteKind};

/// The schemas sites can refer to.
pub(crate) struct Schemas<'a> {
    pub(crate) default: Option<&'a Schema>,
    pub(crate) declared: &'a [Schema],
}

impl Schemas<'_> {
    pub(crate) fn get(&self, target: Target) -> Option<&Schema> {
        match target {
            Target::Default => self.default,
            Target::Declared(index) => self.declared.get(index),
        }
    }
}

/// The edits for `sites`; a site whose schema is not known is left alone.
pub(crate) fn edits(sql: &str, sites: &[Site], schemas: &Schemas<'_>) -> Result<Vec<Edit>, Error> {
    let index = LineIndex::new(sql);
    let mut edits = Vec::with_capacity(sites.len());
    for site in sites {
        if let Some(schema) = schemas.get(site.target) {
            edits.push(edit(sql, &index, site, schema)?);
        }
    }
    Ok(edits)
}

fn edit(sql: &str, index: &LineIndex<'_>, site: &Site, schema: &Schema) -> Result<Edit, Error> {
    let not_found = || Error::NameNotFound {
        name: site.identity.clone(),
        position: site.start,
    };
    let offset = index.offset(site.start).ok_or_else(not_found)?;
    let at = &sql[offset..];
    let prefix = || format!("{}.", schema.quoted());
    match &site.kind {
        SiteKind::Name { source } => {
            if !at.starts_with(source.as_str()) {
                return Err(not_found());
            }
            Ok(Edit {
                offset,
                remove: 0,
                text: prefix(),
            })
        }
        SiteKind::Literal { form, leading } => {
            let opening = form.opening();
            let opens = at
                .get(..opening.len())
                .is_some_and(|o| o.eq_ignore_ascii_case(opening));
            if !opens {
                return Err(not_found());
            }
            // The whitespace before the name must be written as itself, not
            // as escapes, for the byte count to hold in the source.
            let body = &at[opening.len()..];
            let plain = body.get(..*leading).is_some_and(|ws| ws.trim().is_empty())
                && !body[*leading..].starts_with('\\');
            if !plain {
                return Err(not_found());
            }
            let position = site.start;
            let text = form
                .escape(&prefix())
                .ok_or(Error::SchemaBreaksLiteral { position })?;
            Ok(Edit {
                offset: offset + opening.len() + leading,
                remove: 0,
                text,
            })
        }
        SiteKind::Pinned { call, end, tail } => {
            let end = index.offset(*end).ok_or_else(not_found)?;
            let end = end + tail_length(&sql[end..], *tail).ok_or_else(not_found)?;
            let text = pinned_value(*call, schema);
            Ok(Edit {
                offset,
                remove: end - offset,
                text,
            })
        }
    }
}

/// How many bytes of `rest` the tail of a call takes.
fn tail_length(rest: &str, tail: CallTail) -> Option<usize> {
    let expected: &[char] = match tail {
        CallTail::Nothing => &[],
        CallTail::EmptyParentheses => &['(', ')'],
        CallTail::CloseParenthesis => &[')'],
    };
    let mut taken = 0;
    for &wanted in expected {
        let skipped = rest[taken..].len() - rest[taken..].trim_start().len();
        taken += skipped;
        rest[taken..].starts_with(wanted).then_some(())?;
        taken += 1;
    }
    Some(taken)
}

/// What the call returns when `search_path` is `schema` alone.
fn pinned_value(call: PinnedCall, schema: &Schema) -> String {
    let name = quote_literal(schema.name());
    match call {
        PinnedCall::CurrentSchema => format!("{name}::name"),
        PinnedCall::CurrentSchemas {
            include_implicit: false,
        } => format!("ARRAY[{name}]::name[]"),
        // pg_catalog is searched first when the path does not name it; a
        // session's temporary schema cannot be known here and is left out.
        PinnedCall::CurrentSchemas {
            include_implicit: true,
        } => {
            format!("ARRAY['pg_catalog', {name}]::name[]")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails() {
        assert_eq!(tail_length(" ( ) x", CallTail::EmptyParentheses), Some(4));
        assert_eq!(tail_length("() x", CallTail::EmptyParentheses), Some(2));
        assert_eq!(tail_length("(/* */)", CallTail::EmptyParentheses), None);
        assert_eq!(tail_length("\n) x", CallTail::CloseParenthesis), Some(2));
        assert_eq!(tail_length(", x", CallTail::Nothing), Some(0));
    }

    #[test]
    fn values_quote_the_schema_as_a_literal() {
        let schema = Schema::new("it's").unwrap();
        assert_eq!(
            pinned_value(PinnedCall::CurrentSchema, &schema),
            "'it''s'::name"
        );
        let all = PinnedCall::CurrentSchemas {
            include_implicit: true,
        };
        assert_eq!(
            pinned_value(all, &schema),
            "ARRAY['pg_catalog', 'it''s']::name[]"
        );
    }
}
