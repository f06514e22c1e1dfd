//! A validating JSON scanner that works on byte offsets instead of building a
//! tree: it finds where values start and end so that untouched parts of a
//! template can be copied through verbatim.

use std::borrow::Cow;
use std::collections::HashMap;

/// Deepest nesting accepted; deeper input is rejected instead of overflowing the stack.
const MAX_DEPTH: usize = 512;

/// A JSON syntax error at a byte offset of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct SyntaxError {
    /// Byte offset of the offending character.
    pub offset: usize,
    /// What was wrong.
    pub kind: SyntaxErrorKind,
}

/// What is wrong with a JSON text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxErrorKind {
    /// The text ends where something else was expected.
    #[error("unexpected end of input, expected {expected}")]
    UnexpectedEnd {
        /// What was expected (`a JSON value`, `` `,` or `}` ``…).
        expected: &'static str,
    },
    /// A character that cannot come here.
    #[error("unexpected `{}`, expected {expected}", found.escape_debug())]
    Unexpected {
        /// The character found.
        found: char,
        /// What was expected.
        expected: &'static str,
    },
    /// Containers nested deeper than [`MAX_DEPTH`].
    #[error("nesting deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// A `,` right before `}` or `]`.
    #[error("trailing comma: nothing follows it in this object or array")]
    TrailingComma,
    /// A string without its closing quote.
    #[error("unterminated string")]
    UnterminatedString,
    /// A raw control character inside a string.
    #[error("control character in a string (must be escaped)")]
    ControlCharacter,
    /// `\u` not followed by four hex digits.
    #[error("invalid \\u escape")]
    UnicodeEscape,
    /// A backslash followed by a character that is not an escape.
    #[error("invalid escape in a string")]
    Escape,
    /// A malformed number.
    #[error("invalid number{}", detail.text())]
    Number {
        /// Which part of the number is wrong.
        detail: NumberProblem,
    },
    /// Something after the document's value.
    #[error("unexpected text after the JSON value")]
    TrailingText,
    /// A key that an earlier member of the same object already has.
    #[error("duplicate key `{key}`: JSON readers would silently keep only one of the two values")]
    DuplicateKey {
        /// The key (decoded).
        key: String,
        /// Byte offset of the first member with that key.
        first: usize,
    },
}

/// The part of a number that is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    /// No digits, or a leading zero.
    Digits,
    /// `.` without digits after it.
    Fraction,
    /// `e` without digits after it.
    Exponent,
}

impl NumberProblem {
    fn text(self) -> &'static str {
        match self {
            NumberProblem::Digits => "",
            NumberProblem::Fraction => ": digits expected after `.`",
            NumberProblem::Exponent => ": digits expected in exponent",
        }
    }
}

/// Cursor over JSON text.
pub struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Raw key ranges of the objects being scanned (see [`KeySet`]).
    keys: Vec<RawKey>,
}

impl<'a> Scanner<'a> {
    /// Start scanning `text` at byte offset `pos`.
    pub fn new(text: &'a str, pos: usize) -> Self {
        Scanner { text, bytes: text.as_bytes(), pos, keys: Vec::new() }
    }

    /// Current byte offset.
    pub fn pos(&self) -> usize {
        self.pos
    }

    fn error<T>(&self, kind: SyntaxErrorKind) -> Result<T, SyntaxError> {
        Err(SyntaxError { offset: self.pos, kind })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skip JSON whitespace.
    pub fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Expect `byte` (after whitespace) and step over it.
    pub fn consume(&mut self, byte: u8, what: &'static str) -> Result<(), SyntaxError> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            self.unexpected(what)
        }
    }

    fn unexpected<T>(&self, expected: &'static str) -> Result<T, SyntaxError> {
        match self.text[self.pos..].chars().next() {
            None => self.error(SyntaxErrorKind::UnexpectedEnd { expected }),
            Some(found) => self.error(SyntaxErrorKind::Unexpected { found, expected }),
        }
    }

    /// Skip one value (after whitespace), validating it; returns its byte range.
    pub fn value(&mut self) -> Result<std::ops::Range<usize>, SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        self.skip_value(0)?;
        Ok(start..self.pos)
    }

    fn skip_value(&mut self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return self.error(SyntaxErrorKind::TooDeep);
        }
        match self.peek() {
            Some(b'{') => self.skip_object(depth),
            Some(b'[') => self.skip_array(depth),
            Some(b'"') => self.string().map(|_| ()),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.keyword("true"),
            Some(b'f') => self.keyword("false"),
            Some(b'n') => self.keyword("null"),
            _ => self.unexpected("a JSON value"),
        }
    }

    fn keyword(&mut self, word: &str) -> Result<(), SyntaxError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            self.unexpected("a JSON value")
        }
    }

    fn skip_object(&mut self, depth: usize) -> Result<(), SyntaxError> {
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        let mut keys = KeySet::new(&self.keys);
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return self.unexpected("a string key");
            }
            let (key, escaped) = self.string_escaped()?;
            keys.insert(self.text, &mut self.keys, key, escaped)?;
            self.consume(b':', "`:`")?;
            self.skip_ws();
            self.skip_value(depth + 1)?;
            if self.end_of_container(b'}')? {
                keys.close(&mut self.keys);
                return Ok(());
            }
        }
    }

    fn skip_array(&mut self, depth: usize) -> Result<(), SyntaxError> {
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            self.skip_value(depth + 1)?;
            if self.end_of_container(b']')? {
                return Ok(());
            }
        }
    }

    /// After a member or element: `,` continues (false), `close` ends (true).
    pub fn end_of_container(&mut self, close: u8) -> Result<bool, SyntaxError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                let comma = self.pos;
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(close) {
                    self.pos = comma;
                    return self.error(SyntaxErrorKind::TrailingComma);
                }
                Ok(false)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => self.unexpected(if close == b'}' { "`,` or `}`" } else { "`,` or `]`" }),
        }
    }

    /// Step over a string at the cursor; returns its raw range including quotes.
    pub fn string(&mut self) -> Result<std::ops::Range<usize>, SyntaxError> {
        self.string_escaped().map(|(range, _)| range)
    }

    /// [`Scanner::string`], also saying whether the string has escapes.
    fn string_escaped(&mut self) -> Result<(std::ops::Range<usize>, bool), SyntaxError> {
        let start = self.pos;
        let mut escaped = false;
        self.pos += 1;
        loop {
            self.pos = skip_plain(self.bytes, self.pos);
            let Some(b) = self.peek() else {
                self.pos = start;
                return self.error(SyntaxErrorKind::UnterminatedString);
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok((start..self.pos, escaped));
                }
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                0x00..=0x1f => return self.error(SyntaxErrorKind::ControlCharacter),
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self) -> Result<(), SyntaxError> {
        self.pos += 1;
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'u') => {
                let hex = self.bytes.get(self.pos + 1..self.pos + 5);
                if hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    self.pos += 5;
                    Ok(())
                } else {
                    self.error(SyntaxErrorKind::UnicodeEscape)
                }
            }
            _ => self.error(SyntaxErrorKind::Escape),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.number_tail().map_err(|e| SyntaxError { offset: start, ..e })
    }

    fn number_tail(&mut self) -> Result<(), SyntaxError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        let int_digits = self.digits();
        if int_digits == 0 || (leading_zero && int_digits > 1) {
            return self.error(SyntaxErrorKind::Number { detail: NumberProblem::Digits });
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return self.error(SyntaxErrorKind::Number { detail: NumberProblem::Fraction });
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.error(SyntaxErrorKind::Number { detail: NumberProblem::Exponent });
            }
        }
        Ok(())
    }

    /// True when only whitespace remains.
    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos == self.bytes.len()
    }
}

/// The keys of one object so far, to find a key given twice. The keys of
/// all open objects share one stack of (start, end, has escapes) ranges (no
/// allocation per object); an object with many keys switches to a hash map
/// of its own.
struct KeySet<'t> {
    base: usize,
    hashed: Option<HashMap<Cow<'t, str>, usize, BuildFnv>>,
}

/// A key on the shared stack: its raw range (quotes included) and whether it has escapes.
type RawKey = (usize, usize, bool);

impl<'t> KeySet<'t> {
    const PAIRWISE: usize = 24;

    fn new(stack: &[RawKey]) -> Self {
        KeySet { base: stack.len(), hashed: None }
    }

    /// Record the key at `range` (a raw string, quotes included); a duplicate
    /// is an error at the second one.
    fn insert(
        &mut self,
        text: &'t str,
        stack: &mut Vec<RawKey>,
        range: std::ops::Range<usize>,
        escaped: bool,
    ) -> Result<(), SyntaxError> {
        let raw = &text[range.clone()];
        let first = match &mut self.hashed {
            Some(map) => {
                let key = key_text(raw, escaped);
                match map.get(&key) {
                    Some(first) => Some(*first),
                    None => {
                        map.insert(key, range.start);
                        None
                    }
                }
            }
            None => {
                let same = |&&(s, e, esc): &&RawKey| {
                    if esc || escaped {
                        key_text(&text[s..e], esc) == key_text(raw, escaped)
                    } else {
                        &text[s..e] == raw
                    }
                };
                let first = stack[self.base..].iter().find(same).map(|(s, _, _)| *s);
                stack.push((range.start, range.end, escaped));
                if stack.len() - self.base > Self::PAIRWISE {
                    let keys = stack.drain(self.base..).map(|(s, e, esc)| (key_text(&text[s..e], esc), s));
                    self.hashed = Some(keys.collect());
                }
                first
            }
        };
        match first {
            Some(first) => {
                let kind = SyntaxErrorKind::DuplicateKey { key: key_text(raw, escaped).into_owned(), first };
                Err(SyntaxError { offset: range.start, kind })
            }
            None => Ok(()),
        }
    }

    /// Forget this object's keys.
    fn close(self, stack: &mut Vec<RawKey>) {
        stack.truncate(self.base);
    }
}

/// The text of a raw key (quotes included in `raw`): borrowed unless it has escapes.
fn key_text(raw: &str, escaped: bool) -> Cow<'_, str> {
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or(raw);
    if escaped { super::text::decode_str(raw).unwrap_or(Cow::Borrowed(inner)) } else { Cow::Borrowed(inner) }
}

/// FNV-1a: keys are short, and SipHash's resistance to chosen inputs buys
/// nothing for a file the user gave us.
#[derive(Default, Clone, Copy)]
struct BuildFnv;

impl std::hash::BuildHasher for BuildFnv {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Index of the first byte at or after `pos` that is `"`, `\\` or a control
/// character (or the end). Checks eight bytes at a time: strings are most of
/// a template, and this loop is most of the time spent reading one.
fn skip_plain(bytes: &[u8], mut pos: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let special = has_zero(w ^ (ONES * u64::from(b'"')))
            | has_zero(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
        if special != 0 {
            return pos + (special.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        pos += 1;
    }
    pos
}

/// Validate a whole document: exactly one value, surrounded by whitespace.
/// Returns the byte range of the value.
pub fn validate(text: &str) -> Result<std::ops::Range<usize>, SyntaxError> {
    let start = usize::from(text.starts_with('\u{feff}')) * 3;
    let mut scanner = Scanner::new(text, start);
    let range = scanner.value()?;
    if !scanner.at_end() {
        return scanner.error(SyntaxErrorKind::TrailingText);
    }
    Ok(range)
}

/// Members of an object given as (raw key with quotes, raw value) slices.
/// The text must be a valid JSON object (as checked by [`validate`]).
pub fn object_members(text: &str) -> Result<Vec<(&str, &str)>, SyntaxError> {
    members_at(&mut Scanner::new(text, 0))
}

/// Read the object at the scanner's position member by member (validating
/// every value on the way), leaving the scanner after its `}`.
fn members_at<'a>(s: &mut Scanner<'a>) -> Result<Vec<(&'a str, &'a str)>, SyntaxError> {
    let text = s.text;
    s.consume(b'{', "`{`")?;
    let mut members = Vec::new();
    s.skip_ws();
    if s.peek() == Some(b'}') {
        s.pos += 1;
        return Ok(members);
    }
    let mut keys = KeySet::new(&s.keys);
    loop {
        s.skip_ws();
        if s.peek() != Some(b'"') {
            return s.unexpected("a string key");
        }
        let (key, escaped) = s.string_escaped()?;
        keys.insert(text, &mut s.keys, key.clone(), escaped)?;
        s.consume(b':', "`:`")?;
        let value = s.value()?;
        members.push((&text[key], &text[value]));
        if s.end_of_container(b'}')? {
            keys.close(&mut s.keys);
            return Ok(members);
        }
    }
}

/// Members of an object as (raw key, raw value) slices.
pub type Members<'a> = Vec<(&'a str, &'a str)>;

/// Validate a whole document in one pass and, when its root is an object,
/// return its members too (so the root need not be scanned twice).
pub fn document(text: &str) -> Result<(std::ops::Range<usize>, Option<Members<'_>>), SyntaxError> {
    let start = usize::from(text.starts_with('\u{feff}')) * 3;
    let mut scanner = Scanner::new(text, start);
    scanner.skip_ws();
    let begin = scanner.pos;
    let members = if scanner.peek() == Some(b'{') {
        Some(members_at(&mut scanner)?)
    } else {
        scanner.skip_value(0)?;
        None
    };
    let end = scanner.pos;
    if !scanner.at_end() {
        return scanner.error(SyntaxErrorKind::TrailingText);
    }
    Ok((begin..end, members))
}

/// Elements of an array as raw value slices.
pub fn array_elements(text: &str) -> Result<Vec<&str>, SyntaxError> {
    let mut s = Scanner::new(text, 0);
    s.consume(b'[', "`[`")?;
    let mut elements = Vec::new();
    s.skip_ws();
    if s.peek() == Some(b']') {
        return Ok(elements);
    }
    loop {
        let value = s.value()?;
        elements.push(&text[value]);
        if s.end_of_container(b']')? {
            return Ok(elements);
        }
    }
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
