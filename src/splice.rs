//! Turning parser positions into byte offsets, and editing text there.

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
        // The end of the text is a valid place too: a token may end there.
        let mut ends = rest.char_indices().map(|(i, _)| i).chain([rest.len()]);
        let within = ends.nth(column)?;
        Some(start + within).filter(|_| !rest[..within].contains('\n'))
    }
}

/// Text to put at the byte `offset`, in place of the `remove` bytes there
/// (none, for a schema prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) offset: usize,
    pub(crate) remove: usize,
    pub(crate) text: String,
}

/// `text` with every edit applied; borrowed when there is none.
pub(crate) fn apply<'a>(text: &'a str, mut edits: Vec<Edit>) -> Cow<'a, str> {
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    edits.sort_by_key(|edit| edit.offset);
    // A name the parser reaches twice must still be prefixed once.
    edits.dedup_by_key(|edit| edit.offset);

    let extra: usize = edits.iter().map(|edit| edit.text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut copied = 0;
    for edit in &edits {
        // Edits never overlap; one that would is skipped rather than
        // allowed to garble the text.
        if edit.offset < copied {
            continue;
        }
        out.push_str(&text[copied..edit.offset]);
        out.push_str(&edit.text);
        copied = edit.offset + edit.remove;
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
        assert_eq!(index.offset(at(4, 2)), Some(13));
        assert_eq!(index.offset(at(4, 3)), None);
        assert_eq!(index.offset(at(5, 1)), None);
        assert_eq!(index.offset(at(0, 1)), None);
        assert_eq!(index.offset(at(1, 9)), None);
    }

    #[test]
    fn edits_apply_in_order_once() {
        let edit = |offset, remove, text: &str| Edit {
            offset,
            remove,
            text: text.into(),
        };
        let out = apply(
            "a b c",
            vec![edit(4, 0, "2"), edit(2, 0, "1"), edit(2, 0, "1")],
        );
        assert_eq!(out, "a 1b 2c");
        let out = apply("a bb c", vec![edit(2, 2, "x"), edit(5, 0, "+")]);
        assert_eq!(out, "a x +c");
        assert!(matches!(apply("same", Vec::new()), Cow::Borrowed("same")));
    }
}
