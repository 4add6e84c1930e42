//! A bounded memory of rewrites inside a qualifier, keyed by the SQL text
//! and shared by all threads that use the qualifier.
//!
//! Layout: a set-associative table. The hash of a text picks one set of up
//! to [`WAYS`] entries, and each set has its own lock, so threads looking up
//! different texts rarely meet. A lookup hashes the text (a sample of it,
//! past 256 bytes, so the cost does not grow with the length), takes the
//! read lock of one set, compares at most eight stored hashes, then the
//! text itself; a hit allocates nothing.
//!
//! Eviction: CLOCK, or second chance, within the set. A hit marks its entry
//! as used (a store only when the mark is not already there, so hot entries
//! cost no writes); an insertion into a full set sweeps a hand over the
//! set, clearing marks, and replaces the first entry found unmarked.
//!
//! Memory: texts longer than [`MAX_CACHED_LEN`] are not kept, so a cache
//! holds at most its capacity times that much text. A rewritten text is
//! kept once: the input is that text without the pieces that were inserted,
//! and a lookup compares the input with it piece by piece.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// How many entries a qualifier's cache holds unless told otherwise.
pub const DEFAULT_CACHE_CAPACITY: usize = 1024;

/// The longest text, input or output, that the cache keeps, in bytes.
pub(crate) const MAX_CACHED_LEN: usize = 16 << 10;

/// Entries per set.
const WAYS: usize = 8;

/// The result of [`Qualifier::qualify_shared`]: the SQL to send, borrowed
/// or shared with the qualifier's cache, so a cache hit allocates nothing.
///
/// It dereferences to `str`.
///
/// [`Qualifier::qualify_shared`]: crate::Qualifier::qualify_shared
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Qualified<'a> {
    /// Nothing to change: the text given.
    Unchanged(&'a str),
    /// The text with schemas put in.
    Rewritten(Arc<str>),
}

impl Qualified<'_> {
    /// The SQL text.
    pub fn as_str(&self) -> &str {
        match self {
            Qualified::Unchanged(sql) => sql,
            Qualified::Rewritten(sql) => sql,
        }
    }
}

impl Deref for Qualified<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Qualified<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Qualified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Qualified<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Qualified<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<'a> From<Qualified<'a>> for Cow<'a, str> {
    fn from(qualified: Qualified<'a>) -> Cow<'a, str> {
        match qualified {
            Qualified::Unchanged(sql) => Cow::Borrowed(sql),
            Qualified::Rewritten(sql) => Cow::Owned(sql.as_ref().to_owned()),
        }
    }
}

/// The cache; see the module documentation.
pub(crate) struct Cache {
    sets: Box<[RwLock<Set>]>,
    ways: usize,
    seed: u64,
}

struct Set {
    hashes: [u64; WAYS],
    entries: [Option<Entry>; WAYS],
    used: [AtomicBool; WAYS],
    hand: usize,
}

struct Entry {
    /// The result: the rewritten text, or the input when nothing changed.
    output: Arc<str>,
    /// How to get the input back from `output`.
    input: Input,
}

enum Input {
    /// The output is the input.
    Same,
    /// The output with these byte ranges left out, in order.
    Without {
        ranges: Box<[(u32, u32)]>,
        len: usize,
    },
    /// Kept apart, for a rewrite that also removed text.
    Kept(Box<str>),
}

impl Cache {
    /// A cache of at most `capacity` entries; 0 turns it off.
    pub(crate) fn new(capacity: usize) -> Cache {
        let ways = capacity.min(WAYS);
        let sets = capacity.checked_div(ways).unwrap_or(0);
        let sets = (0..sets).map(|_| RwLock::new(Set::empty())).collect();
        // Only the spread over sets depends on the seed; a random one keeps
        // crafted texts from crowding a single set.
        let seed = RandomState::new().build_hasher().finish();
        Cache { sets, ways, seed }
    }

    /// How many entries it can hold.
    pub(crate) fn capacity(&self) -> usize {
        self.sets.len() * self.ways
    }

    /// Whether a result this long would be kept.
    pub(crate) fn admits(&self, len: usize) -> bool {
        !self.sets.is_empty() && len <= MAX_CACHED_LEN
    }

    /// The remembered result for `sql`, if any.
    pub(crate) fn get<'a>(&self, sql: &'a str) -> Option<Qualified<'a>> {
        if !self.admits(sql.len()) {
            return None;
        }
        let hash = hash(sql.as_bytes(), self.seed);
        let set = self
            .set(hash)
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let way = set.find(hash, sql)?;
        if !set.used[way].load(Ordering::Relaxed) {
            set.used[way].store(true, Ordering::Relaxed);
        }
        let entry = set.entries[way].as_ref()?;
        Some(match entry.input {
            Input::Same => Qualified::Unchanged(sql),
            _ => Qualified::Rewritten(Arc::clone(&entry.output)),
        })
    }

    /// Remembers that nothing in `sql` changes.
    pub(crate) fn insert_unchanged(&self, sql: &str) {
        if self.admits(sql.len()) {
            let entry = Entry {
                output: Arc::from(sql),
                input: Input::Same,
            };
            self.insert(sql, entry);
        }
    }

    /// Remembers that `sql` becomes `output`.
    pub(crate) fn insert_rewritten(&self, sql: &str, output: Arc<str>) {
        if self.admits(sql.len()) && self.admits(output.len()) {
            let input = Input::of(sql, &output);
            self.insert(sql, Entry { output, input });
        }
    }

    fn insert(&self, sql: &str, entry: Entry) {
        let hash = hash(sql.as_bytes(), self.seed);
        let mut set = self
            .set(hash)
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if set.find(hash, sql).is_some() {
            return;
        }
        let way = set.victim(self.ways);
        set.hashes[way] = hash;
        set.used[way].store(false, Ordering::Relaxed);
        let evicted = set.entries[way].replace(entry);
        drop(set);
        // The evicted text is freed after the lock is released.
        drop(evicted);
    }

    fn set(&self, hash: u64) -> &RwLock<Set> {
        // Maps the hash onto 0..sets by a multiply, for any number of sets.
        let index = (u128::from(hash) * self.sets.len() as u128) >> 64;
        &self.sets[index as usize]
    }
}

impl Clone for Cache {
    /// An empty cache of the same capacity: a cache holds no settings, only
    /// results, and a new one fills again on use.
    fn clone(&self) -> Cache {
        Cache::new(self.capacity())
    }
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("capacity", &self.capacity())
            .finish_non_exhaustive()
    }
}

impl Set {
    fn empty() -> Set {
        Set {
            hashes: [0; WAYS],
            entries: Default::default(),
            used: Default::default(),
            hand: 0,
        }
    }

    fn find(&self, hash: u64, sql: &str) -> Option<usize> {
        (0..WAYS).find(|&way| {
            self.hashes[way] == hash
                && self.entries[way]
                    .as_ref()
                    .is_some_and(|entry| entry.holds(sql))
        })
    }

    /// The way to fill: an empty one, else the first unmarked one under the
    /// hand, clearing marks on the way.
    fn victim(&mut self, ways: usize) -> usize {
        if let Some(empty) = self.entries[..ways].iter().position(Option::is_none) {
            return empty;
        }
        loop {
            let way = self.hand;
            self.hand = (self.hand + 1) % ways;
            if !self.used[way].swap(false, Ordering::Relaxed) {
                return way;
            }
        }
    }
}

impl Entry {
    /// Whether this entry was made for the input `sql`.
    fn holds(&self, sql: &str) -> bool {
        let (output, sql) = (self.output.as_bytes(), sql.as_bytes());
        match &self.input {
            Input::Same => output == sql,
            Input::Kept(input) => input.as_bytes() == sql,
            Input::Without { ranges, len } => {
                if sql.len() != *len {
                    return false;
                }
                let (mut from, mut at) = (0, 0);
                for &(start, end) in ranges.iter() {
                    let piece = &output[from..start as usize];
                    if sql[at..at + piece.len()] != *piece {
                        return false;
                    }
                    at += piece.len();
                    from = end as usize;
                }
                sql[at..] == output[from..]
            }
        }
    }
}

impl Input {
    /// How to get `input` back from `output`. Aligning the two from the
    /// left finds the inserted bytes whenever the rewrite only inserted;
    /// any alignment that leaves exactly `input` is a correct key.
    fn of(input: &str, output: &str) -> Input {
        let kept = || Input::Kept(input.into());
        let (input, output) = (input.as_bytes(), output.as_bytes());
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        let (mut matched, mut open) = (0, None);
        for (at, &byte) in output.iter().enumerate() {
            if input.get(matched) == Some(&byte) {
                if let Some(start) = open.take() {
                    ranges.push((start, at as u32));
                }
                matched += 1;
            } else if open.is_none() {
                open = Some(at as u32);
            }
        }
        if let Some(start) = open {
            ranges.push((start, output.len() as u32));
        }
        // A scattered alignment would cost more than keeping the input.
        let compact = ranges.len() * 8 < input.len();
        if matched == input.len() && compact {
            let (ranges, len) = (ranges.into_boxed_slice(), input.len());
            Input::Without { ranges, len }
        } else {
            kept()
        }
    }
}

/// Texts up to this long are hashed whole; longer ones are sampled.
const HASHED_WHOLE: usize = 256;

/// The hash that picks a text's set. It reads the length and, of a long
/// text, its first and last 64 bytes and sixteen 8-byte words spread evenly
/// between, so that a lookup costs the same for any length. Texts that
/// agree on all of that share a set, which costs hits only when more than
/// eight of them are in use at once; it never changes a result, as every
/// hit is checked against the whole text.
fn hash(text: &[u8], seed: u64) -> u64 {
    if text.len() <= HASHED_WHOLE {
        return hash_whole(text, seed);
    }
    let mut sample = [0; HASHED_WHOLE];
    let (middle, tail) = (text.len() - 128, text.len() - 64);
    sample[..64].copy_from_slice(&text[..64]);
    for (i, word) in sample[64..192].chunks_exact_mut(8).enumerate() {
        let at = 64 + i * (middle - 8) / 15;
        word.copy_from_slice(&text[at..at + 8]);
    }
    sample[192..].copy_from_slice(&text[tail..]);
    hash_whole(&sample, seed ^ text.len() as u64)
}

/// Four lanes of folded 64x64-bit multiplies over 64-byte blocks, so the
/// lanes run in parallel.
fn hash_whole(bytes: &[u8], seed: u64) -> u64 {
    const KEYS: [u64; 4] = [
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    ];
    let mut lanes = KEYS.map(|key| key ^ seed);
    let mut blocks = bytes.chunks_exact(64);
    for block in &mut blocks {
        for (lane, pair) in lanes.iter_mut().zip(block.chunks_exact(16)) {
            *lane = fold(word(&pair[..8]) ^ *lane, word(&pair[8..]) ^ seed);
        }
    }
    let mut hash = fold(lanes[0] ^ lanes[2], lanes[1] ^ lanes[3]) ^ bytes.len() as u64;
    for pair in blocks.remainder().chunks(16) {
        let (low, high) = pair.split_at(pair.len().min(8));
        hash = fold(word(low) ^ hash, word(high) ^ KEYS[0]);
    }
    fold(hash, KEYS[1])
}

/// Up to eight bytes as a little-endian number.
fn word(bytes: &[u8]) -> u64 {
    let mut buffer = [0; 8];
    buffer[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(buffer)
}

fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ (product >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(cache: &Cache, sql: &str) -> Option<String> {
        cache.get(sql).map(|found| found.as_str().to_owned())
    }

    #[test]
    fn inputs_come_back_from_outputs() {
        let cases = [
            ("FROM \"A\"", "FROM \"s\".\"A\""),
            ("\"A\" \"A\"", "\"s\".\"A\" \"s\".\"A\""),
            ("x", "x"),
            ("current_schema()", "'s'::name"),
            ("", "abc"),
        ];
        for (input, output) in cases {
            let entry = Entry {
                output: output.into(),
                input: Input::of(input, output),
            };
            assert!(entry.holds(input), "{input}");
            assert!(!entry.holds(output) || input == output, "{output}");
            assert!(!entry.holds(&format!("{input} ")), "{input}");
        }
    }

    #[test]
    fn long_inputs_are_kept_as_ranges() {
        let input = "SELECT * FROM \"A\" JOIN \"B\" USING (id) WHERE id = $1";
        let output = "SELECT * FROM \"s\".\"A\" JOIN \"s\".\"B\" USING (id) WHERE id = $1";
        let input_of = Input::of(input, output);
        let Input::Without { ranges, .. } = &input_of else {
            panic!("kept apart");
        };
        assert_eq!(ranges.len(), 2);
        let entry = Entry {
            output: output.into(),
            input: input_of,
        };
        assert!(entry.holds(input));
        assert!(!entry.holds(&input.replace('B', "C")));
    }

    #[test]
    fn hits_misses_and_sizes() {
        let cache = Cache::new(4);
        cache.insert_unchanged("SELECT 1");
        cache.insert_rewritten("FROM \"A\"", "FROM \"s\".\"A\"".into());
        assert_eq!(
            cache.get("SELECT 1"),
            Some(Qualified::Unchanged("SELECT 1"))
        );
        assert_eq!(
            rewritten(&cache, "FROM \"A\"").as_deref(),
            Some("FROM \"s\".\"A\"")
        );
        assert_eq!(cache.get("SELECT 2"), None);
        let long = "x".repeat(MAX_CACHED_LEN + 1);
        cache.insert_unchanged(&long);
        assert_eq!(cache.get(&long), None);
        assert_eq!(Cache::new(0).capacity(), 0);
        assert_eq!(Cache::new(3).capacity(), 3);
        assert_eq!(Cache::new(1024).capacity(), 1024);
        assert_eq!(Cache::new(1000).capacity(), 1000);
        assert_eq!(Cache::new(1001).capacity(), 1000);
    }

    #[test]
    fn a_full_set_evicts_the_unused_first() {
        let cache = Cache::new(2);
        cache.insert_unchanged("a");
        cache.insert_unchanged("b");
        assert!(cache.get("a").is_some());
        cache.insert_unchanged("c");
        assert!(cache.get("a").is_some());
        assert!(cache.get("b").is_none());
        assert!(cache.get("c").is_some());
    }

    #[test]
    fn hashes_depend_on_every_byte_and_the_length() {
        let text = "SELECT * FROM \"LiteLLM_VerificationToken\" WHERE token = $1 AND x > 10";
        let base = hash(text.as_bytes(), 7);
        for at in 0..text.len() {
            let mut changed = text.as_bytes().to_vec();
            changed[at] ^= 1;
            assert_ne!(hash(&changed, 7), base, "byte {at}");
        }
        assert_ne!(hash(b"a", 7), hash(b"a\0", 7));
        assert_ne!(hash(text.as_bytes(), 8), base);
    }

    #[test]
    fn long_texts_are_sampled_at_both_ends_and_between() {
        let text = include_str!("../examples/auth_query.sql").as_bytes();
        let base = hash(text, 7);
        let middle = text.len() - 128;
        let sampled = [
            0,
            63,
            64,
            64 + 7 * (middle - 8) / 15,
            text.len() - 65,
            text.len() - 1,
        ];
        for at in sampled {
            let mut changed = text.to_vec();
            changed[at] ^= 1;
            assert_ne!(hash(&changed, 7), base, "byte {at}");
        }
        assert_ne!(hash(&text[..text.len() - 1], 7), base);
    }
}
