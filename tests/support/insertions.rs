//! A check that needs no model of SQL: is one text another with some pieces
//! inserted? Shared by `tests/properties.rs` and the fuzz targets.

use std::collections::HashSet;

/// Whether `output` is `input` with zero or more copies of `pieces`
/// inserted anywhere, and nothing else changed.
///
/// The search tries to match the next byte of `input` before trying to
/// skip a piece, and never visits a pair of offsets twice, so it stays near
/// linear when the answer is yes and is bounded by the product of the
/// lengths when it is no.
pub fn only_insertions(input: &str, output: &str, pieces: &[String]) -> bool {
    let (input, output) = (input.as_bytes(), output.as_bytes());
    let mut seen = HashSet::new();
    let mut pending = vec![(0usize, 0usize)];
    while let Some((i, o)) = pending.pop() {
        if !seen.insert((i, o)) {
            continue;
        }
        if i == input.len() && o == output.len() {
            return true;
        }
        for piece in pieces.iter().filter(|p| !p.is_empty()) {
            if output[o..].starts_with(piece.as_bytes()) {
                pending.push((i, o + piece.len()));
            }
        }
        // Pushed last so that it is tried first.
        if i < input.len() && o < output.len() && input[i] == output[o] {
            pending.push((i + 1, o + 1));
        }
    }
    false
}

/// The texts a qualifier may insert for `quoted_schema`: the prefix itself,
/// and the prefix as written inside a `'...'` and an `E'...'` literal.
pub fn prefix_forms(quoted_schema: &str) -> Vec<String> {
    let prefix = format!("{quoted_schema}.");
    let standard = prefix.replace('\'', "''");
    let escape = prefix.replace('\\', "\\\\").replace('\'', "''");
    vec![prefix, standard, escape]
}
