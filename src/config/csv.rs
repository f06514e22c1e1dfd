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

use std::fmt;
use std::ops::Range;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column of the problem, in characters.
    pub col: usize,
    /// Byte range of the offending text in the file (may be empty).
    pub span: Range<usize>,
    /// Stable diagnostic id: `config::header`, `config::field-count`,
    /// `config::empty-field`, `config::unterminated-quote` or
    /// `config::empty-file`.
    pub code: &'static str,
    /// Human-readable description.
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for CsvError {}

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
        self.read_header();
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

    fn read_header(&mut self) {
        let start = self.cur.pos;
        let found = self.slice(start..self.line_end(start));
        if !self.scan_record().is_ok_and(|record| is_header(&record)) {
            self.errors.push(header_error(found, start));
            self.header_missing = true;
        }
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
        CsvError {
            line: 1,
            col: 1,
            span: 0..self.text.len(),
            code: "config::empty-file",
            message: "empty file, expected header `type,name,path,value`".to_owned(),
        }
    }
}

fn trim_blanks_end(text: &str) -> &str {
    text.trim_end_matches([' ', '\t'])
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
        code: "config::header",
        message: format!("expected header `type,name,path,value`, found `{found}`"),
    }
}

fn unterminated_error(lead: usize, line: usize, col: usize) -> CsvError {
    CsvError {
        line,
        col,
        span: lead..lead + 1,
        code: "config::unterminated-quote",
        message: "unterminated quoted field: this quote is never closed".to_owned(),
    }
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
    let found = record.fields.len();
    let message = format!("expected 4 fields (type,name,path,value), found {found}");
    let code = "config::field-count";
    match record.fields.get(HEADER.len()) {
        Some(extra) => CsvError {
            line: extra.line,
            col: extra.col,
            span: extra.span.start..record.end.max(extra.span.start),
            code,
            message,
        },
        None => CsvError { line: record.end_line, col: record.end_col, span: record.end..record.end, code, message },
    }
}

fn empty_error((cell, role): (&Cell, &str)) -> Option<CsvError> {
    cell.text.is_empty().then(|| CsvError {
        line: cell.line,
        col: cell.col,
        span: cell.span.clone(),
        code: "config::empty-field",
        message: format!("empty {role}"),
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
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Row> {
        let (rows, errors) = read(text);
        assert!(errors.is_empty(), "unexpected errors: {errors:?}");
        rows
    }

    fn errors(text: &str) -> Vec<CsvError> {
        read(text).1
    }

    fn texts(row: &Row) -> [&str; 4] {
        [&row.kind.text, &row.name.text, &row.path.text, &row.value.text]
    }

    #[test]
    fn reads_simple_rows() {
        let text = "type,name,path,value\nlinkedService,LS_KV,typeProperties.baseUrl,\"https://kv/\"\n";
        let rows = rows(text);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(texts(row), ["linkedService", "LS_KV", "typeProperties.baseUrl", "https://kv/"]);
        assert_eq!(row.line, 2);
        assert_eq!(row.line_text, "linkedService,LS_KV,typeProperties.baseUrl,\"https://kv/\"");
        assert!(row.value.quoted && !row.path.quoted);
    }

    #[test]
    fn cells_know_their_positions() {
        let text = "type,name,path,value\nab,cd,ef,\"gh\"\n";
        let row = &rows(text)[0];
        assert_eq!((row.kind.line, row.kind.col, row.kind.span.clone()), (2, 1, 21..23));
        assert_eq!((row.name.col, row.name.span.clone()), (4, 24..26));
        assert_eq!((row.path.col, row.path.span.clone()), (7, 27..29));
        assert_eq!((row.value.col, row.value.span.clone()), (10, 30..34));
        assert_eq!(row.value.content_start, 31);
        assert_eq!(&text[row.value.span.clone()], "\"gh\"");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "type,name,path,value\nd,\u{e9}\u{e9},p,v\n";
        let row = &rows(text)[0];
        assert_eq!(row.path.col, 6);
        assert_eq!(row.path.span.start, 28);
    }

    #[test]
    fn crlf_lf_and_cr_mix() {
        let text = "type,name,path,value\r\na,b,c,d\r\n\ne,f,g,h\ri,j,k,l";
        let rows = rows(text);
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4, 5]);
        assert_eq!(rows[0].value.text, "d");
        assert_eq!(rows[0].line_text, "a,b,c,d");
        assert_eq!(rows[2].value.span, 46..47);
    }

    #[test]
    fn bom_is_ignored() {
        let text = "\u{feff}type,name,path,value\na,b,c,d\n";
        assert_eq!(rows(text).len(), 1);
    }

    #[test]
    fn header_is_case_insensitive_and_trimmed() {
        let text = "Type , NAME,path,\"Value\"\na,b,c,d\n";
        assert_eq!(rows(text).len(), 1);
    }

    #[test]
    fn wrong_header_is_reported_and_rows_still_read() {
        let (rows, errors) = read("type,name,value\na,b,c,d\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "config::header");
        assert_eq!(errors[0].span, 0..15);
        assert!(errors[0].message.contains("found `type,name,value`"));
    }

    #[test]
    fn blank_first_line_is_a_header_error() {
        let (rows, errors) = read("\n# c\ntype,name,path,value\na,b,c,d\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "config::header");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 4);
    }

    #[test]
    fn empty_files() {
        for text in ["", "\u{feff}", "  \r\n\n"] {
            let errors = errors(text);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, "config::empty-file");
            assert!(errors[0].message.starts_with("empty file, expected header"));
        }
    }

    #[test]
    fn header_only_file_has_no_rows() {
        assert!(rows("type,name,path,value").is_empty());
    }

    #[test]
    fn quoted_fields_unescape_and_keep_commas_and_newlines() {
        let text = "type,name,path,value\na,b,c,\"x,\"\"y\"\"\nz\"\ne,f,g,h\n";
        let rows = rows(text);
        assert_eq!(rows[0].value.text, "x,\"y\"\nz");
        assert_eq!(rows[0].line_text, "a,b,c,\"x,\"\"y\"\"\nz\"");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn positions_after_multiline_cell() {
        let text = "type,name,path,value\n\"a\nb\",n,p,v\n";
        let row = &rows(text)[0];
        assert_eq!(row.kind.text, "a\nb");
        assert_eq!((row.name.line, row.name.col), (3, 4));
    }

    #[test]
    fn quote_inside_unquoted_field_is_literal() {
        let row = &rows("type,name,path,value\na,b\"c,p,5\"\n")[0];
        assert_eq!(row.name.text, "b\"c");
        assert_eq!(row.value.text, "5\"");
    }

    #[test]
    fn text_after_closing_quote_is_kept() {
        let row = &rows("type,name,path,value\na,\"b\"c ,p,v\n")[0];
        assert_eq!(row.name.text, "bc");
        assert_eq!(row.name.span, 23..27);
    }

    #[test]
    fn blanks_are_trimmed_except_inside_quoted_value() {
        let text = "type,name,path,value\npipeline, PL_WAIT_1, activities[0].x, 25\na, b ,c,\" v \"\n";
        let rows = rows(text);
        assert_eq!(texts(&rows[0]), ["pipeline", "PL_WAIT_1", "activities[0].x", "25"]);
        assert_eq!((rows[0].name.col, rows[0].name.span.start), (11, 31));
        assert_eq!(rows[0].value.col, 39);
        assert_eq!(rows[1].name.text, "b");
        assert_eq!(rows[1].value.text, " v ");
    }

    #[test]
    fn blank_before_opening_quote_makes_a_quoted_field() {
        let row = &rows("type,name,path,value\na, \"L S\" ,\t\"$.name\", \"x\"\n")[0];
        assert_eq!(texts(row), ["a", "L S", "$.name", "x"]);
        assert!(row.name.quoted);
        assert_eq!(row.name.col, 4);
    }

    #[test]
    fn quoted_key_cells_are_trimmed_inside() {
        let text = "type,name,path,value\na,\" b \",c,d\n";
        let row = &rows(text)[0];
        assert_eq!(row.name.text, "b");
        assert_eq!(row.name.content_start, 25);
        assert_eq!(&text[row.name.content_start..row.name.content_start + 1], "b");
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let text = "type,name,path,value\n  \t\n# x,\"y\n  #a,b,c,d,e,f\n\"#q\",1\na,b,c,d\n";
        let rows = rows(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 6);
    }

    #[test]
    fn too_many_fields_points_at_first_extra() {
        let errors = errors("type,name,path,value\na,b,c,d,e\n");
        assert_eq!(errors.len(), 1);
        let error = &errors[0];
        assert_eq!(error.code, "config::field-count");
        assert_eq!(error.message, "expected 4 fields (type,name,path,value), found 5");
        assert_eq!((error.line, error.col, error.span.clone()), (2, 9, 29..30));
    }

    #[test]
    fn too_few_fields_points_at_line_end() {
        let error = &errors("type,name,path,value\r\na,b,c\r\n")[0];
        assert_eq!(error.message, "expected 4 fields (type,name,path,value), found 3");
        assert_eq!((error.line, error.col, error.span.clone()), (2, 6, 27..27));
    }

    #[test]
    fn empty_key_fields_are_errors_but_empty_value_is_not() {
        let (rows, errors) = read("type,name,path,value\na, ,\"\",\nx,y,-z,\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].value.text, "");
        let found: Vec<_> = errors.iter().map(|e| (e.message.as_str(), e.line, e.col)).collect();
        assert_eq!(found, [("empty name", 2, 3), ("empty path", 2, 5)]);
        assert!(errors.iter().all(|e| e.code == "config::empty-field"));
    }

    #[test]
    fn unterminated_quote_reports_opening_quote_and_recovers() {
        let text = "type,name,path,value\na,b,c,\"oops\nd,e,f,g\n";
        let (rows, errors) = read(text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "config::unterminated-quote");
        assert_eq!((errors[0].line, errors[0].col, errors[0].span.clone()), (2, 7, 27..28));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 3);
    }

    #[test]
    fn every_problem_is_collected() {
        let text = "type,name,path,value\n,b,c,d\na,b\na,b,c,d,e\nok,ok,ok,\n";
        let (rows, errors) = read(text);
        assert_eq!(rows.len(), 1);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4]);
    }

    #[test]
    fn badformat_sample() {
        let text = "type,name,path,value\ntrigger,TR_AlwaysDisabled,runtimeState,Started\ntrigger,,runtimeState,Started\ntrigger,TR,AlwaysDisabled,runtimeState,Started\ntrigger;TR_AlwaysDisabled,typeProperties.recurrence.interval,2\ndataset,CADOutput1,typeProperties.columnDelimiter\n";
        let (rows, errors) = read(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        let found: Vec<_> = errors.iter().map(|e| (e.line, e.col, e.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (3, 9, "empty name"),
                (4, 40, "expected 4 fields (type,name,path,value), found 5"),
                (5, 63, "expected 4 fields (type,name,path,value), found 3"),
                (6, 50, "expected 4 fields (type,name,path,value), found 3"),
            ]
        );
    }

    #[test]
    fn corpus_files_read_without_errors() {
        for (origin, count, text) in CORPUS {
            let (rows, errors) = read(text);
            assert!(errors.is_empty(), "{origin}: {errors:?}");
            assert_eq!(rows.len(), *count, "{origin}");
            for row in &rows {
                for cell in [&row.kind, &row.name, &row.path, &row.value] {
                    let raw = &text[cell.span.clone()];
                    assert!(raw.contains(cell.text.as_str()) || cell.text.contains('"'), "{origin}");
                }
            }
        }
    }

    #[test]
    fn corpus_values_are_decoded() {
        let uat = CORPUS.iter().find(|(o, _, _)| o.ends_with("config-uat.csv")).map(|c| c.2);
        let uat_rows = rows(uat.unwrap_or_default());
        assert_eq!(uat_rows[1].value.text, "\u{a6}");
        assert_eq!(uat_rows[3].value.text, "2022-10-07T00:35:00.000Z");
        let spaced = CORPUS.iter().find(|(o, _, _)| o.contains("7ab96fd469")).map(|c| c.2);
        let spaced_rows = rows(spaced.unwrap_or_default());
        assert_eq!(texts(&spaced_rows[1]), ["linkedService", "LS_ADLS_2_SELECTIVE_DEPLOY", "$.name", "LS_RANDO222"]);
    }

    /// Every distinct config file of shared/compat and shared/corpus, byte for byte:
    /// (origin, number of data rows, text).
    const CORPUS: &[(&str, usize, &str)] = &[
        (
            "compat/BigFactorySample2/config-array.csv",
            6,
            r##"type,name,path,value
pipeline,"Multiple Waits",activities[0].name,"Wait Number 1"

# If we change the activity name before other nested properties, it changes the indexer, so we have to use the new name from then on...
pipeline,"Multiple Waits",activities[1].typeProperties.ifTrueActivities[0].name,"Wait Number 2"
pipeline,"Multiple Waits",activities["If Condition"].typeProperties.ifTrueActivities["Wait Number 2"].typeProperties.waitTimeInSeconds,22

# If we change the activity name after the other nested properties we can just use the original name...
pipeline,"Multiple Waits",activities["If Condition"].typeProperties.ifTrueActivities["Wait 3"].typeProperties.waitTimeInSeconds,33
pipeline,"Multiple Waits",activities["If Condition"].typeProperties.ifTrueActivities["Wait 3"].name,"Wait Number 3"

pipeline,"Multiple Waits",activities["Wait 4"].name,"Wait Number 4"
"##,
        ),
        (
            "compat/BigFactorySample2/config-badtype.csv",
            1,
            r##"type,name,path,value


ultratrigger,TR_AlwaysDisabled,runtimeState,Started
"##,
        ),
        (
            "compat/BigFactorySample2/config-c001.csv",
            2,
            r##"type,name,path,value
trigger,TR_AlwaysDisabled,runtimeState,Started
trigger,TR_AlwaysDisabled,typeProperties.recurrence.interval,2
"##,
        ),
        (
            "compat/BigFactorySample2/config-c002.csv",
            2,
            r##"type,name,path,value
pipeline,PL_Wait_Dynamic,parameters.WaitInSec,{"type": "int32"}
pipeline,PL_Wait_Dynamic,parameters.WaitInSec,"{'type': 'int32','defaultValue': 22}"
"##,
        ),
        (
            "compat/BigFactorySample2/config-c002a.csv",
            1,
            r##"type,name,path,value
pipeline,PL_Wait_Dynamic,parameters.WaitInSec,{"type": "int32"}

"##,
        ),
        (
            "compat/BigFactorySample2/config-c002b.csv",
            1,
            r##"type,name,path,value
pipeline,PL_Wait_Dynamic,parameters.WaitInSec,"{'type': 'int32','defaultValue': 22}"
"##,
        ),
        (
            "compat/BigFactorySample2/config-c003-variables.csv",
            4,
            r##"type,name,path,value
trigger,TR_AlwaysDisabled,runtimeState,Started
trigger,TR_AlwaysDisabled,typeProperties.recurrence.interval,$Env:NUMBER_OF_PROCESSORS
linkedService,LS_AzureKeyVault,typeProperties.baseUrl,"https://kv-$($Env:SYSTEM_STAGEDISPLAYNAME)Stage.vault.azure.net/"
linkedService,LS_AzureSqlDb_AW2014_SqlAuth,typeProperties.connectionString,"Integrated Security=False;Encrypt=True;Connection Timeout=30;Data Source=$Env:USERDOMAIN.database.windows.net;Initial Catalog=AdventureWorks2014;User ID=$Env:USERNAME@$Env:USERDOMAIN""##,
        ),
        (
            "compat/BigFactorySample2/config-c004-wrongpath.csv",
            1,
            r##"type,name,path,value
linkedService,LS_AzureKeyVault,typeProperties:baseUrl,"https://kv-UAT-Stage.vault.azure.net/"
"##,
        ),
        (
            "compat/BigFactorySample2/config-c005-extra-action.csv",
            3,
            r##"type,name,path,value
linkedService,BlobSampleData,-typeProperties.encryptedCredential,
linkedService,BlobSampleData,typeProperties.connectionString,"DefaultEndpointsProtocol=https;AccountName=sqlplayer2019;EndpointSuffix=core.windows.net;"
linkedService,BlobSampleData,+typeProperties.accountKey,"orefoifakerjgi40passwordrjegjorejgorjeogjoreg=="
"##,
        ),
        (
            "compat/BigFactorySample2/config-c100.csv",
            6,
            r##"type,name,path,value
linkedService,LS_DataLakeStore,"$.properties.typeProperties.url","https://datalake$($Env:ProjectName)$($Env:Environment).dfs.core.windows.net/"
linkedService,LS_AzureDatabricks,"+$.properties.typeProperties.existingClusterId","$($Env:DatabricksClusterId)"
linkedService,LS_AzureDatabricks,"$.properties.typeProperties.domain","https://$($Env:Region).azuredatabricks.net"
linkedService,LS_AzureDatabricks,"-$.properties.typeProperties.encryptedCredential",
linkedService,LS_AzureKeyVault,"$.properties.typeProperties.baseUrl","https://keyvault-$($Env:ProjectName)-$($Env:Environment).vault.azure.net/"
trigger,TR_RunEveryDay,"$.properties.typeProperties.recurrence.startTime","2020-06-01T23:22:11.000""##,
        ),
        (
            "compat/BigFactorySample2/config-commented.csv",
            1,
            r##"type,name,path,value
trigger,TR_AlwaysDisabled,runtimeState,Started
#trigger,TR_AlwaysDisabled,typeProperties.recurrence.interval,2
# Some comments here


"##,
        ),
        (
            "compat/BigFactorySample2/config-globalparam1.csv",
            7,
            r##"type,name,path,value
factory,BigFactorySample2,"$.properties.globalParameters.'GP-String'.value","This text has been replaced"
factory,BigFactorySample2,"$.properties.globalParameters.'GP-Int'.value",2020
factory,BigFactorySample2,"$.properties.globalParameters.'GP-Bool'.value",false
factory,BigFactorySample2,"+$.properties.globalParameters.NewGlobalParam.value",2023
factory,BigFactorySample2,"+$.properties.globalParameters.NewGlobalParam.type",int
factory,BigFactorySample2,"+$.properties.globalParameters.envName.value",POC
factory,BigFactorySample2,"+$.properties.globalParameters.envName.type",string
#factory,BigFactorySample2,"+$.properties.globalParameters.NewArray.value","[1,""aaaaa"",5]"
#factory,BigFactorySample2,"+$.properties.globalParameters.NewArray.type",array
#factory,BigFactorySample2,"$.properties.globalParameters.'GP-Array'.value","[2,4,""XYZ"",1000]""##,
        ),
        (
            "compat/BigFactorySample2/config-issue49.csv",
            1,
            r##"type,name,path,value
#linkedService,LSBLOBHDFDEV,typeProperties.servicePrincipalCredentialType,$($Env:HDFCREDENTIALTYPE)
linkedService,BlobSampleData,typeProperties.servicePrincipalCredentialType,$($Env:HDFCREDENTIALTYPE)
"##,
        ),
        (
            "compat/BigFactorySample2/config-missing.csv",
            1,
            r##"type,name,path,value
linkedService,LS_DataLakeStore_Unknown,$.properties.typeProperties.url,"https://datalake$($Env:ProjectName)$($Env:Environment).dfs.core.windows.net/"
"##,
        ),
        (
            "compat/BigFactorySample2/config-multiple.csv",
            1,
            r##"type,name,path,value
pipeline,PL*,activities[0].name,"abc"
"##,
        ),
        (
            "compat/BigFactorySample2/config-trigger-Disabled.csv",
            1,
            r##"type,name,path,value
trigger,TR_AlwaysDisabled,runtimeState,Stopped
"##,
        ),
        (
            "compat/BigFactorySample2/config-trigger-Enabled.csv",
            1,
            r##"type,name,path,value
trigger,TR_AlwaysDisabled,runtimeState,Started
"##,
        ),
        (
            "compat/BigFactorySample2/config-uat.csv",
            4,
            r##"type,name,path,value
trigger,TR_AlwaysDisabled,runtimeState,Started
# Comment in the middle of the file
dataset,CADOutput1,typeProperties.columnDelimiter,"¦"
trigger,TR_AlwaysDisabled,typeProperties.recurrence.interval,2
trigger,TR_TumblingWindow,$.properties.typeProperties.startTime,"2022-10-07T00:35:00.000Z""##,
        ),
        (
            "adhoc/issue-183/config.csv",
            2,
            r##"type,name,path,value
linkedService,akv_ls_amnoneshd,typeProperties.baseUrl,"$Env:kvURI"
linkedService,sql_ls_amie_amhdb,connectVia.referenceName,"intRunTimeAmnOneAmieDev""##,
        ),
        (
            "adhoc/issue-226/config.csv",
            1,
            r##"type,name,path,value
trigger,trigger-example,typeProperties.startTime,"2022-07-28T06:00:00Z""##,
        ),
        (
            "adhoc/issue-240-v2/config.csv",
            1,
            r##"type,name,path,value
factory,my-factory-001,$.properties.globalParameters.one_parameter.value,testingupdate"##,
        ),
        (
            "adhoc/issue-240/config.csv",
            1,
            r##"type,name,path,value
pipeline,pl_nav_extract,-parameters.param_queries.defaultValue,"##,
        ),
        (
            "adhoc/issue-245/config.csv",
            1,
            r##"type,name,path,value
pipeline,PL_GEN_Sources_Orch,activities["DFL_FlattenConversations"].typeProperties.dataflow.datasetParameters.SinkJsonConversations.DataLakeAccount,"NEWVALUE""##,
        ),
        (
            "adhoc/issue-298/config.csv",
            1,
            r##"type,name,path,value
# managedPrivateEndpoint,adls_mpe_sap_adf,$.properties.fqdns,"[""kv1.vault.azure.net ""]"
# managedPrivateEndpoint,adls_mpe_sap_adf,$.properties.fqdns,"kv2.vault.azure.net "
# managedPrivateEndpoint,adls_mpe_sap_adf,$.properties.fqdns[0],"kv3.vault.azure.net"
# managedPrivateEndpoint,adls_mpe_sap_adf,$.properties.fqdns[0],
# managedPrivateEndpoint,adls_mpe_sap_adf,$.properties.timeout,64.2
managedPrivateEndpoint,adls_mpe_sap_adf,$.properties.timeout,
# managedPrivateEndpoint,adls_mpe_sap_adf,groupId,
"##,
        ),
        (
            "adhoc/issue-354/config-QA.csv",
            34,
            r##"type,name,path,value
linkedService,LS_ADLS_strgbigroup,typeProperties.url,https://strgbigroup01qa.dfs.core.windows.net/
linkedService,KV_AKV_BIGroup01,typeProperties.baseURL,https://test-qa.vault.azure.net/
pipeline,Master DW,parameters.SendToEmail,"{'type': 'string', 'defaultValue': 'abc@test.com'}"
pipeline,Master DW,parameters.ResourceGroup,"{'type': 'string', 'defaultValue': 'BI_ResourceGroup_QA'}"
pipeline,Master DW,parameters.SQLServerName,"{'type': 'string', 'defaultValue': 'bpazuresqlserver-qa'}"
pipeline,Master DW,parameters.DWDatabaseName,"{'type': 'string', 'defaultValue': 'DW-Facts'}"
pipeline,Master DW,parameters.DWServiceTier,"{'type': 'string', 'defaultValue': 'Standard'}"
pipeline,Master DW,parameters.DWComputeSize,"{'type': 'string', 'defaultValue': 'S12'}"
pipeline,Master DW,parameters.DWComputeSizeReset,"{'type': 'string', 'defaultValue': 'S2'}"
pipeline,Master DW,parameters.EnvironmentName,"{'type': 'string', 'defaultValue': 'QA'}"
pipeline,Master Data Lake Stage,parameters.SendToEmail,"{'type': 'string', 'defaultValue': 'abc@test.com'}"
pipeline,Master Data Lake Stage,parameters.ResourceGroup,"{'type': 'string', 'defaultValue': 'BI_ResourceGroup_QA'}"
pipeline,Master Data Lake Stage,parameters.SQLServerName,"{'type': 'string', 'defaultValue': 'bpazuresqlserver-qa'}"
pipeline,Master Data Lake Stage,parameters.DWDatabaseName,"{'type': 'string', 'defaultValue': 'DW-Facts'}"
pipeline,Master Data Lake Stage,parameters.DWServiceTier,"{'type': 'string', 'defaultValue': 'Standard'}"
pipeline,Master Data Lake Stage,parameters.DWComputeSize,"{'type': 'string', 'defaultValue': 'S12'}"
pipeline,Master Data Lake Stage,parameters.DWComputeSizeReset,"{'type': 'string', 'defaultValue': 'S2'}"
pipeline,PL_Refresh PBI Dataset,parameters.SecretVersion_TenantId,"{'type': 'string', 'defaultValue': ''}"
pipeline,PL_Refresh PBI Dataset,parameters.SecretVersion_SPClientId,"{'type': 'string', 'defaultValue': ''}"
pipeline,PL_Refresh PBI Dataset,parameters.SecretVersion_SPSecret,"{'type': 'string', 'defaultValue': ''}"
pipeline,PL_Refresh PBI Dataset,parameters.KeyVaultDNSName,"{'type': 'string', 'defaultValue': 'https://test-qa.vault.azure.net/'}"
pipeline,PL_Load Master Power BI,parameters.EnvironmentName,"{'type': 'string', 'defaultValue': 'QA'}"
pipeline,PL_Load Master Power BI,parameters.SendToEmail,"{'type': 'string', 'defaultValue': 'abc@test.com'}"
pipeline,PL_Load Master Power BI,parameters.KeyVaultDNSName,"{'type': 'string', 'defaultValue': 'https://test-qa.vault.azure.net/'}"
trigger,Trigger_Daily,pipelines[0].parameters.ResourceGroup,BI_ResourceGroup_QA
trigger,Trigger_Daily,pipelines[0].parameters.SQLServerName,bpazuresqlserver-qa
trigger,Trigger_Daily,pipelines[0].parameters.DWDatabaseName,DW-Facts
trigger,Trigger_Daily,pipelines[0].parameters.DWServiceTier,Standard
trigger,Trigger_Daily,pipelines[0].parameters.DWComputeSize,S12
trigger,Trigger_Daily,pipelines[0].parameters.SendToEmail,abc@test.com
trigger,Trigger_Daily,pipelines[0].parameters.DWComputeSizeReset,S4
trigger,Trigger_Daily,pipelines[0].parameters.StageComputeSizeReset,S2
factory,ADF-BI_ResourceGroup_QA,+$.properties.globalParameters.envName.value,QA
factory,ADF-BI_ResourceGroup_QA,+$.properties.globalParameters.envName.type,string
# This is comment - the line will be omitted,,,
"##,
        ),
        (
            "test/BigFactorySample2_vnet/config-endpoint.csv",
            1,
            r##"type,name,path,value
# This one does not work:
# "managedVirtualNetwork\default\managedPrivateEndpoint",MPE_SQLPlayer_srv2,$.properties.groupId,"sqlServer2"
# This example is correct:
managedPrivateEndpoint,MPE_SQLPlayer_srv2,$.properties.groupId,"sqlServer2"
"##,
        ),
        (
            "_configs/Ludwinic1__adf-selective-deployment-test/_history/15468511cd/config-prod.csv",
            1,
            r##"type,name,path,value
pipeline, PL_WAIT_1, activities[0].typeProperties.waitTimeInSeconds, 25"##,
        ),
        (
            "_configs/Ludwinic1__adf-selective-deployment-test/_history/7ab96fd469/config-PROD.csv",
            2,
            r##"type,name,path,value
pipeline, PL_WAIT_1, activities[0].typeProperties.waitTimeInSeconds, 25
linkedService, LS_ADLS_2_SELECTIVE_DEPLOY,$.name, "LS_RANDO222"
"##,
        ),
        (
            "_configs/Ludwinic1__adf-selective-deployment-test/_history/d5e706578e/config-PROD.csv",
            2,
            r##"type,name,path,value
pipeline, PL_WAIT_1, activities[0].typeProperties.waitTimeInSeconds, 25
linkedService, LS_ADLS_2_SELECTIVE_DEPLOY,name, "LS_RANDO222"
"##,
        ),
        (
            "_configs/Ludwinic1__adf-selective-deployment-test/_history/e9f7ab60c0/config-PROD.csv",
            2,
            r##"type,name,path,value
pipeline, PL_WAIT_1, activities[0].typeProperties.waitTimeInSeconds, 25
linkedService, LS_ADLS_2_SELECTIVE_DEPLOY, $.name, LS_RANDO222
"##,
        ),
        (
            "_configs/Ludwinic1__adf-selective-deployment-test/config-PROD.csv",
            1,
            r##"type,name,path,value
pipeline, PL_WAIT_1, activities[0].typeProperties.waitTimeInSeconds, 25
"##,
        ),
        (
            "ajaydell__ADF/_history/1b2265f359/config-dev.csv",
            3,
            r##"type,name,path,value
linkedService,AzureBlobStorage,typeProperties.serviceEndpoint,"https://adfrestapi2.blob.core.windows.net"
factory,ADFDEVHIMA01,globalParameters.ENV.value,"dev"
factory,ADFDEVHIMA01,"$.properties.globalParameters.'deployment'.value","dev"
"##,
        ),
        (
            "ajaydell__ADF/_history/34350a629e/config-dev.csv",
            2,
            r##"type,name,path,value
linkedService,AzureBlobStorage,typeProperties.serviceEndpoint,"https://adfrestapi2.blob.core.windows.net"
factory,ADFDEVHIMA01,"$.properties.globalParameters.'deployment'.value","ajay"
"##,
        ),
        (
            "ajaydell__ADF/_history/b21bf318bf/config-dev.csv",
            2,
            r##"type,name,path,value
linkedService,AzureBlobStorage,typeProperties.serviceEndpoint,"https://adfrestapi2.blob.core.windows.net"
factory,ADFDEVHIMA01,"$.properties.globalParameters.'ENV'.value","dev"
"##,
        ),
        (
            "ajaydell__ADF/_history/f2ffc858ed/config-dev.csv",
            3,
            r##"type,name,path,value
linkedService,AzureBlobStorage,typeProperties.serviceEndpoint,"https://adfrestapi2.blob.core.windows.net"
factory,ENV,"$.properties.globalParameters.'ENV'.value","dev"
factory,deployment,"$.properties.globalParameters.'deployment'.value","dev"
"##,
        ),
        (
            "ajaydell__ADF/config-dev.csv",
            1,
            r##"type,name,path,value
linkedService,AzureBlobStorage,typeProperties.serviceEndpoint,"https://adfrestapi2.blob.core.windows.net"
"##,
        ),
    ];
}
