//! Turning parser positions into byte offsets, and inserting text there.

use std::borrow::Cow;

use crate::error::Position;

/// Byte offsets of line starts, for converting the parser's line and
/// character column into a byte offset.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        // The parser splits lines on `\n` alone; a `\r` is a column.
        let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
        let line_starts = std::iter::once(0)
            .chain(newlines.map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, line_starts }
    }

    /// The byte offset of `position`, or `None` when it lies outside the
    /// text (which only a parser defect could cause).
    pub(crate) fn offset(&self, position: Position) -> Option<usize> {
        let line = usize::try_from(position.line).ok()?.checked_sub(1)?;
        let column = usize::try_from(position.column).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(line)?;
        let rest = &self.text[start..];
        if column == 0 {
            return Some(start);
        }
        let (within, _) = rest.char_indices().nth(column)?;
        Some(start + within).filter(|_| !rest[..within].contains('\n'))
    }
}

/// A piece of text to put in front of the byte at `offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Insertion {
    pub(crate) offset: usize,
    pub(crate) text: String,
}

/// `text` with every insertion applied; borrowed when there is none.
pub(crate) fn apply<'a>(text: &'a str, mut insertions: Vec<Insertion>) -> Cow<'a, str> {
    if insertions.is_empty() {
        return Cow::Borrowed(text);
    }
    insertions.sort_by_key(|insertion| insertion.offset);
    // A name the parser reaches twice must still be prefixed once.
    insertions.dedup_by_key(|insertion| insertion.offset);

    let extra: usize = insertions.iter().map(|i| i.text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut copied = 0;
    for insertion in &insertions {
        out.push_str(&text[copied..insertion.offset]);
        out.push_str(&insertion.text);
        copied = insertion.offset;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u64, column: u64) -> Position {
        Position { line, column }
    }

    #[test]
    fn offsets_count_characters_and_split_on_newline_only() {
        let text = "ab\r\né \"x\"\n\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(at(1, 1)), Some(0));
        assert_eq!(index.offset(at(1, 3)), Some(2));
        assert_eq!(index.offset(at(2, 3)), Some(7));
        assert_eq!(&text[index.offset(at(2, 3)).unwrap()..][..3], "\"x\"");
        assert_eq!(index.offset(at(4, 1)), Some(12));
        assert_eq!(index.offset(at(4, 3)), None);
        assert_eq!(index.offset(at(5, 1)), None);
        assert_eq!(index.offset(at(0, 1)), None);
        assert_eq!(index.offset(at(1, 9)), None);
    }

    #[test]
    fn insertions_apply_in_order_once() {
        let insertion = |offset, text: &str| Insertion {
            offset,
            text: text.into(),
        };
        let out = apply(
            "a b c",
            vec![insertion(4, "2"), insertion(2, "1"), insertion(2, "1")],
        );
        assert_eq!(out, "a 1b 2c");
        assert!(matches!(apply("same", Vec::new()), Cow::Borrowed("same")));
    }
}
