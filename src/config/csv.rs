//! Reader for `deployment/config-<stage>.csv` files, keeping exact positions.
//!
//! This is a hand-rolled RFC 4180 scanner rather than a wrapper around the
//! `csv` crate: diagnostics need the byte span, line and column of every
//! cell, and the `csv` crate's line numbers drift after comment and blank
//! lines and in CRLF files. Scanning ourselves also lets us skip comment
//! lines that are not valid CSV at all (unbalanced quotes, extra commas).
//!
//! Leniencies beyond RFC 4180, matching what real config files contain:
//! - spaces or tabs before an opening quote are allowed (`a, "b c",d`), and
//!   characters after a closing quote are kept literally (`"ab"c` → `abc`);
//! - a quote inside an unquoted field is kept literally (`ab"c`);
//! - `\n`, `\r\n` and a lone `\r` all end a line, mixed in one file;
//! - a comment is any physical line whose first non-blank character is `#`,
//!   whatever follows on it (a quoted first field starting with `#` also
//!   makes its row a comment).

use std::ops::Range;

use crate::diag::Code;

/// The four header cells every config file starts with.
pub const HEADER: [&str; 4] = ["type", "name", "path", "value"];

const UTF8_BOM: char = '\u{feff}';

/// One cell of a row, with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The cell's text: unquoted, `""` turned into `"`, trimmed as described
    /// on [`Row`].
    pub text: String,
    /// Byte range of the raw cell in the file, quotes included, surrounding
    /// blanks excluded.
    pub span: Range<usize>,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, counted in characters.
    pub col: usize,
    /// Whether the cell was written in double quotes.
    pub quoted: bool,
    /// Byte offset in the file of the first character of `text` (after the
    /// opening quote). Offsets into `text` map to `content_start + offset`
    /// exactly unless a `""` escape comes before them.
    pub content_start: usize,
}

/// One data row of a config file.
///
/// `kind`, `name` and `path` are trimmed of surrounding spaces and tabs
/// (also inside quotes). `value` is kept exactly as written between its
/// quotes when quoted; an unquoted value is trimmed of surrounding spaces
/// and tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: usize,
    /// The `type` cell.
    pub kind: Cell,
    /// The `name` cell (an object name or a wildcard pattern).
    pub name: Cell,
    /// The `path` cell.
    pub path: Cell,
    /// The `value` cell (may be empty).
    pub value: Cell,
    /// The physical line(s) of the row, without the final line terminator.
    pub line_text: String,
}

/// A problem found while reading a config file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {kind}")]
pub struct CsvError {
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column of the problem, in characters.
    pub col: usize,
    /// Byte range of the offending text in the file (may be empty).
    pub span: Range<usize>,
    /// What is wrong.
    pub kind: CsvErrorKind,
}

/// What is wrong with a config file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvErrorKind {
    /// Nothing but blanks.
    #[error("empty file, expected header `type,name,path,value`")]
    EmptyFile,
    /// The first line is not the header.
    #[error("expected header `type,name,path,value`, found `{found}`")]
    Header {
        /// The first line as found.
        found: String,
    },
    /// A row with more or fewer than four fields.
    #[error("expected 4 fields (type,name,path,value), found {found}")]
    FieldCount {
        /// How many fields the row has.
        found: usize,
    },
    /// An empty type, name or path.
    #[error("empty {role}")]
    EmptyField {
        /// `type`, `name` or `path`.
        role: &'static str,
    },
    /// A quote that is never closed.
    #[error("unterminated quoted field: this quote is never closed")]
    UnterminatedQuote,
    /// The file separates fields with another character.
    #[error("this file uses {} as the separator, expected `,`: header `{found}`", separator_name(*separator))]
    Separator {
        /// `;` or TAB.
        separator: char,
        /// The header line as found.
        found: String,
    },
}

fn separator_name(separator: char) -> &'static str {
    if separator == '\t' { "TAB" } else { "`;`" }
}

impl CsvErrorKind {
    /// The diagnostic code of this problem.
    pub fn code(&self) -> Code {
        match self {
            CsvErrorKind::EmptyFile => Code::ConfigEmptyFile,
            CsvErrorKind::Header { .. } | CsvErrorKind::Separator { .. } => Code::ConfigHeader,
            CsvErrorKind::FieldCount { .. } => Code::ConfigFieldCount,
            CsvErrorKind::EmptyField { .. } => Code::ConfigEmptyField,
            CsvErrorKind::UnterminatedQuote => Code::ConfigUnterminatedQuote,
        }
    }
}

/// Read all rows, collecting every problem of the file (never stop at the
/// first error). A row with an error is not returned in rows.
pub fn read(text: &str) -> (Vec<Row>, Vec<CsvError>) {
    let mut reader = Reader::new(text);
    reader.run();
    (reader.rows, reader.errors)
}

/// Where the scanner stands: byte offset, line, and where that line starts.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    pos: usize,
    line: usize,
    line_start: usize,
}

/// A field as scanned, before it is given its role in a row.
#[derive(Debug)]
struct RawField {
    text: String,
    span: Range<usize>,
    line: usize,
    col: usize,
    quoted: bool,
    content_start: usize,
}

/// A record as scanned: its fields and where it ends.
#[derive(Debug)]
struct RawRecord {
    line: usize,
    start: usize,
    end: usize,
    end_line: usize,
    end_col: usize,
    fields: Vec<RawField>,
}

/// The scanner over a whole file, with what it has read so far.
struct Reader<'a> {
    text: &'a str,
    cur: Cursor,
    rows: Vec<Row>,
    errors: Vec<CsvError>,
    /// Set when line 1 is not the header: a later header line is then
    /// skipped rather than read as a row.
    header_missing: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        let bom = if text.starts_with(UTF8_BOM) { UTF8_BOM.len_utf8() } else { 0 };
        let cur = Cursor { pos: bom, line: 1, line_start: bom };
        Reader { text, cur, rows: Vec::new(), errors: Vec::new(), header_missing: false }
    }

    fn run(&mut self) {
        if self.rest().trim().is_empty() {
            self.errors.push(self.empty_file_error());
            return;
        }
        if !self.read_header() {
            return;
        }
        while self.cur.pos < self.text.len() {
            self.read_line();
        }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.cur.pos..).unwrap_or("")
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    fn is_line_end(&self, at: usize) -> bool {
        matches!(self.byte(at), None | Some(b'\n' | b'\r'))
    }

    fn skip_blanks(&self, mut at: usize) -> usize {
        while matches!(self.byte(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        at
    }

    fn line_end(&self, mut at: usize) -> usize {
        while !self.is_line_end(at) {
            at += 1;
        }
        at
    }

    /// End of an unquoted stretch: the next comma or line end.
    fn field_end(&self, mut at: usize) -> usize {
        while !self.is_line_end(at) && self.byte(at) != Some(b',') {
            at += 1;
        }
        at
    }

    fn newline_len(&self, at: usize) -> usize {
        match (self.byte(at), self.byte(at + 1)) {
            (Some(b'\r'), Some(b'\n')) => 2,
            (Some(b'\r' | b'\n'), _) => 1,
            _ => 0,
        }
    }

    /// Consume the line terminator at the cursor, if any.
    fn eat_newline(&mut self) {
        let len = self.newline_len(self.cur.pos);
        if len > 0 {
            self.cur.pos += len;
            self.cur.line += 1;
            self.cur.line_start = self.cur.pos;
        }
    }

    /// 1-based character column of `at`, which must be on the cursor's line.
    fn col_of(&self, at: usize) -> usize {
        let before = self.text.get(self.cur.line_start..at).unwrap_or("");
        before.chars().count() + 1
    }

    fn slice(&self, range: Range<usize>) -> &'a str {
        self.text.get(range).unwrap_or("")
    }

    /// Read the header line; false when the file uses another separator
    /// (then one error says so, instead of one per row).
    fn read_header(&mut self) -> bool {
        let start = self.cur.pos;
        let found = self.slice(start..self.line_end(start));
        if self.scan_record().is_ok_and(|record| is_header(&record)) {
            return true;
        }
        if let Some(separator) = other_separator(found) {
            let kind = CsvErrorKind::Separator { separator, found: found.to_owned() };
            self.errors.push(CsvError { line: 1, col: 1, span: start..start + found.len(), kind });
            return false;
        }
        self.errors.push(header_error(found, start));
        self.header_missing = true;
        true
    }

    /// Read one physical line (or one multi-line record) after the header.
    fn read_line(&mut self) {
        let first = self.skip_blanks(self.cur.pos);
        if self.is_line_end(first) || self.byte(first) == Some(b'#') {
            self.cur.pos = self.line_end(first);
            self.eat_newline();
            return;
        }
        match self.scan_record() {
            Ok(record) if is_comment(&record) => {}
            Ok(record) if self.header_missing && is_header(&record) => {}
            Ok(record) => self.accept(record),
            Err(error) => self.errors.push(error),
        }
    }

    fn accept(&mut self, record: RawRecord) {
        let line_text = self.slice(record.start..record.end).to_owned();
        match build_row(record, line_text) {
            Ok(row) => self.rows.push(row),
            Err(mut errors) => self.errors.append(&mut errors),
        }
    }

    /// Scan the record at the cursor and consume its line terminator.
    fn scan_record(&mut self) -> Result<RawRecord, CsvError> {
        let (line, start) = (self.cur.line, self.cur.pos);
        let fields = self.scan_fields();
        let (end, end_line, end_col) = (self.cur.pos, self.cur.line, self.col_of(self.cur.pos));
        self.eat_newline();
        Ok(RawRecord { line, start, end, end_line, end_col, fields: fields? })
    }

    fn scan_fields(&mut self) -> Result<Vec<RawField>, CsvError> {
        let mut fields = Vec::new();
        loop {
            fields.push(self.scan_field()?);
            if self.byte(self.cur.pos) != Some(b',') {
                return Ok(fields);
            }
            self.cur.pos += 1;
        }
    }

    fn scan_field(&mut self) -> Result<RawField, CsvError> {
        let lead = self.skip_blanks(self.cur.pos);
        if self.byte(lead) == Some(b'"') { self.scan_quoted(lead) } else { Ok(self.scan_unquoted(lead)) }
    }

    /// An unquoted field whose first non-blank byte is at `lead`. A field of
    /// blanks only keeps the span of its blanks, so it can be pointed at.
    fn scan_unquoted(&mut self, lead: usize) -> RawField {
        let end = self.field_end(lead);
        let text = trim_blanks_end(self.slice(lead..end));
        let start = if text.is_empty() { self.cur.pos } else { lead };
        let span_end = if text.is_empty() { end } else { lead + text.len() };
        self.cur.pos = end;
        RawField {
            text: text.to_owned(),
            span: start..span_end,
            line: self.cur.line,
            col: self.col_of(start),
            quoted: false,
            content_start: start,
        }
    }

    fn scan_quoted(&mut self, lead: usize) -> Result<RawField, CsvError> {
        let (line, col, saved) = (self.cur.line, self.col_of(lead), self.cur);
        let Some(mut text) = self.scan_quoted_content(lead + 1) else {
            self.cur = saved;
            self.cur.pos = self.line_end(lead);
            return Err(unterminated_error(lead, line, col));
        };
        let close_end = self.cur.pos;
        let tail_end = self.field_end(close_end);
        let tail = trim_blanks_end(self.slice(close_end..tail_end));
        text.push_str(tail);
        self.cur.pos = tail_end;
        let span = lead..close_end + tail.len();
        Ok(RawField { text, span, line, col, quoted: true, content_start: lead + 1 })
    }

    /// Read quoted content from `at` up to and including the closing quote,
    /// leaving the cursor after it. `None` when the quote is never closed.
    fn scan_quoted_content(&mut self, mut at: usize) -> Option<String> {
        let mut text = String::new();
        let mut piece = at;
        loop {
            match self.byte(at)? {
                b'"' if self.byte(at + 1) == Some(b'"') => {
                    text.push_str(self.slice(piece..at + 1));
                    at += 2;
                    piece = at;
                }
                b'"' => {
                    text.push_str(self.slice(piece..at));
                    self.cur.pos = at + 1;
                    return Some(text);
                }
                b'\r' | b'\n' => at = self.pass_newline(at),
                _ => at += 1,
            }
        }
    }

    /// Step over the line terminator at `at` inside a quoted field.
    fn pass_newline(&mut self, at: usize) -> usize {
        let next = at + self.newline_len(at);
        self.cur.line += 1;
        self.cur.line_start = next;
        next
    }

    fn empty_file_error(&self) -> CsvError {
        CsvError { line: 1, col: 1, span: 0..self.text.len(), kind: CsvErrorKind::EmptyFile }
    }
}

fn trim_blanks_end(text: &str) -> &str {
    text.trim_end_matches([' ', '\t'])
}

/// The separator of a header written with `;` or TAB instead of `,`.
fn other_separator(line: &str) -> Option<char> {
    [';', '\t'].into_iter().find(|&sep| {
        let cells: Vec<&str> = line.split(sep).map(|c| c.trim_matches([' ', '"'])).collect();
        cells.len() == HEADER.len() && cells.iter().zip(HEADER).all(|(c, h)| c.eq_ignore_ascii_case(h))
    })
}

fn is_header(record: &RawRecord) -> bool {
    record.fields.len() == HEADER.len()
        && record
            .fields
            .iter()
            .zip(HEADER)
            .all(|(field, want)| field.text.trim_matches([' ', '\t']).eq_ignore_ascii_case(want))
}

fn is_comment(record: &RawRecord) -> bool {
    record.fields.first().is_some_and(|field| field.text.trim_start_matches([' ', '\t']).starts_with('#'))
}

fn header_error(found: &str, start: usize) -> CsvError {
    CsvError {
        line: 1,
        col: 1,
        span: start..start + found.len(),
        kind: CsvErrorKind::Header { found: found.to_owned() },
    }
}

fn unterminated_error(lead: usize, line: usize, col: usize) -> CsvError {
    CsvError { line, col, span: lead..lead + 1, kind: CsvErrorKind::UnterminatedQuote }
}

fn build_row(record: RawRecord, line_text: String) -> Result<Row, Vec<CsvError>> {
    if record.fields.len() != HEADER.len() {
        return Err(vec![field_count_error(&record)]);
    }
    let line = record.line;
    let mut fields = record.fields.into_iter();
    let (Some(kind), Some(name), Some(path), Some(value)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(Vec::new());
    };
    let cells = [key_cell(kind), key_cell(name), key_cell(path)];
    let errors: Vec<CsvError> = cells.iter().zip(HEADER).filter_map(empty_error).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let [kind, name, path] = cells;
    let value = into_cell(value);
    Ok(Row { line, kind, name, path, value, line_text })
}

fn field_count_error(record: &RawRecord) -> CsvError {
    let kind = CsvErrorKind::FieldCount { found: record.fields.len() };
    match record.fields.get(HEADER.len()) {
        Some(extra) => CsvError {
            line: extra.line,
            col: extra.col,
            span: extra.span.start..record.end.max(extra.span.start),
            kind,
        },
        None => CsvError { line: record.end_line, col: record.end_col, span: record.end..record.end, kind },
    }
}

fn empty_error((cell, role): (&Cell, &'static str)) -> Option<CsvError> {
    cell.text.is_empty().then(|| CsvError {
        line: cell.line,
        col: cell.col,
        span: cell.span.clone(),
        kind: CsvErrorKind::EmptyField { role },
    })
}

fn into_cell(field: RawField) -> Cell {
    Cell {
        text: field.text,
        span: field.span,
        line: field.line,
        col: field.col,
        quoted: field.quoted,
        content_start: field.content_start,
    }
}

/// A `type`, `name` or `path` cell: trimmed also inside quotes.
fn key_cell(field: RawField) -> Cell {
    let mut cell = into_cell(field);
    let trimmed = cell.text.trim_matches([' ', '\t']);
    if trimmed.len() != cell.text.len() {
        let leading = cell.text.len() - cell.text.trim_start_matches([' ', '\t']).len();
        cell.content_start += leading;
        cell.text = trimmed.to_owned();
    }
    cell
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
