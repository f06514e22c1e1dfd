//! Unit tests of `value`.

use super::*;

fn typed(text: &str, existing: Existing) -> String {
    match type_value(text, existing, None) {
        Ok(json) => json,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn hinted(text: &str, existing: Existing, hint: &str) -> Result<String, String> {
    type_value(text, existing, Some(hint)).map_err(|e| e.to_string())
}

fn error(text: &str, existing: Existing) -> String {
    match type_value(text, existing, None) {
        Ok(json) => panic!("{text}: typed as {json}"),
        Err(e) => e.to_string(),
    }
}

fn parses(json: &str) -> bool {
    serde_json::from_str::<Value>(json).is_ok()
}

#[test]
fn numbers_keep_their_text() {
    for (text, json) in [
        ("22", "22"),
        ("2020", "2020"),
        ("3.14159265358979", "3.14159265358979"),
        ("1e5", "1e5"),
        (" 25", "25"),
        ("-1.5", "-1.5"),
        ("2.50", "2.50"),
        ("0", "0"),
        ("-0.0E+2", "-0.0E+2"),
    ] {
        assert_eq!(typed(text, Existing::Number), json);
    }
}

#[test]
fn bad_numbers() {
    for text in ["abc", "1,5", "NaN", "Infinity", "+1", "01", "1.", ".5", "1e", "0x10", "1 2", "- 1"] {
        assert_eq!(error(text, Existing::Number), format!("expected a number, found `{text}`"));
    }
    assert_eq!(error("", Existing::Number), "empty value where a number is expected");
    assert_eq!(error("  ", Existing::Number), "empty value where a number is expected");
    assert!(error("1e400", Existing::Number).contains("out of range"));
}

#[test]
fn int_and_float_hints() {
    assert_eq!(hinted("42", Existing::String, "int"), Ok("42".to_owned()));
    assert_eq!(hinted("-7", Existing::Missing, "Int"), Ok("-7".to_owned()));
    assert_eq!(hinted("2.5", Existing::Number, "int"), Err("expected an integer, found `2.5`".to_owned()));
    assert!(hinted("1e3", Existing::Number, "int").is_err());
    assert!(hinted("99999999999999999999", Existing::Number, "int").is_err());
    assert_eq!(hinted("2.5", Existing::String, "float"), Ok("2.5".to_owned()));
    assert_eq!(hinted("", Existing::Number, "int"), Err("empty value where an integer is expected".to_owned()));
}

#[test]
fn booleans() {
    for (text, json) in [("False", "false"), ("$true", "true"), ("TRUE", "true"), (" $FALSE ", "false")] {
        assert_eq!(typed(text, Existing::Bool), json);
    }
    assert_eq!(error("yes", Existing::Bool), "expected a boolean (true or false), found `yes`");
    assert!(error("", Existing::Bool).starts_with("empty value where a boolean"));
    assert_eq!(hinted("false", Existing::String, "bool"), Ok("false".to_owned()));
    assert_eq!(hinted("$True", Existing::Missing, "BOOL"), Ok("true".to_owned()));
}

#[test]
fn strings_are_escaped_verbatim() {
    for (text, json) in [
        ("abc", "\"abc\""),
        ("\u{a6}", "\"\u{a6}\""),
        ("say \"hi\" \\ ok", "\"say \\\"hi\\\" \\\\ ok\""),
        ("a\nb\tc", "\"a\\nb\\tc\""),
        ("2020-06-01T23:22:11.000", "\"2020-06-01T23:22:11.000\""),
        (" 22 ", "\" 22 \""),
        ("", "\"\""),
    ] {
        assert_eq!(typed(text, Existing::String), json);
        assert!(parses(json));
    }
    assert_eq!(typed("true", Existing::Null), "\"true\"");
}

#[test]
fn string_hints_always_give_strings() {
    assert_eq!(hinted("22", Existing::Number, "string"), Ok("\"22\"".to_owned()));
    assert_eq!(hinted("{}", Existing::Object, "SecureString"), Ok("\"{}\"".to_owned()));
}

#[test]
fn objects_from_config_samples() {
    let json = typed("{\"type\": \"int32\"}", Existing::Object);
    assert_eq!(json, "{\"type\":\"int32\"}");
    let json = typed("{'type': 'int32','defaultValue': 22}", Existing::Object);
    assert_eq!(json, "{\"type\":\"int32\",\"defaultValue\":22}");
    let json = typed("{'type': 'string', 'defaultValue': ''}", Existing::Object);
    assert_eq!(json, "{\"type\":\"string\",\"defaultValue\":\"\"}");
}

#[test]
fn object_keeps_key_order_and_number_text() {
    let json = typed("{ \"z\": 1.50, \"a\": [1e2, 2.0], \"m\": {\"k\": \"a b\"} }", Existing::Object);
    assert_eq!(json, "{\"z\":1.50,\"a\":[1e2,2.0],\"m\":{\"k\":\"a b\"}}");
}

#[test]
fn single_quote_conversion_handles_escapes() {
    let json = typed("{'it\\'s': 'say \"hi\"', \"keep\": \"don't\", 'nl': 'a\\nb'}", Existing::Object);
    assert_eq!(json, "{\"it's\":\"say \\\"hi\\\"\",\"keep\":\"don't\",\"nl\":\"a\\nb\"}");
    assert!(parses(&json));
}

#[test]
fn arrays() {
    assert_eq!(typed("[1,\"aaaaa\",5]", Existing::Array), "[1,\"aaaaa\",5]");
    assert_eq!(typed(" [2, 4, 'XYZ', 1000] ", Existing::Array), "[2,4,\"XYZ\",1000]");
    assert_eq!(hinted("[]", Existing::String, "array"), Ok("[]".to_owned()));
}

#[test]
fn structured_mismatches() {
    assert!(error("[1]", Existing::Object).starts_with("expected a JSON object, found a JSON array"));
    assert!(error("{}", Existing::Array).starts_with("expected a JSON array, found a JSON object"));
    assert!(error("22", Existing::Object).starts_with("expected a JSON object, found another JSON value"));
    assert!(error("{'a': 1", Existing::Object).contains("invalid JSON"));
    assert!(error("[1 2]", Existing::Array).contains("invalid JSON"));
    assert_eq!(error("", Existing::Array), "empty value where a JSON array is expected");
    assert!(hinted("plain text", Existing::String, "object").is_err());
    assert_eq!(hinted("{'a':1}", Existing::String, "secureObject"), Ok("{\"a\":1}".to_owned()));
}

#[test]
fn missing_infers_json_or_string() {
    for (text, json) in [
        ("2023", "2023"),
        (" 1.0 ", "1.0"),
        ("true", "true"),
        ("null", "null"),
        ("{'a': [1, 'b']}", "{\"a\":[1,\"b\"]}"),
        ("[1,\"aaaaa\",5]", "[1,\"aaaaa\",5]"),
        ("POC", "\"POC\""),
        ("True", "\"True\""),
        ("$true", "\"$true\""),
        ("01", "\"01\""),
        ("[parameters('x')]", "\"[parameters('x')]\""),
        ("{not json", "\"{not json\""),
        ("\"quoted\"", "\"\\\"quoted\\\"\""),
        ("", "\"\""),
    ] {
        assert_eq!(typed(text, Existing::Missing), json, "{text}");
        assert!(parses(json));
    }
}

#[test]
fn unknown_hint_falls_back_to_existing() {
    assert_eq!(hinted("5", Existing::Number, "int32"), Ok("5".to_owned()));
    assert!(hinted("x", Existing::Number, "weird").is_err());
}

#[test]
fn existing_from_json_value() {
    let value: Value = serde_json::json!({"a": 1, "b": [true]});
    assert_eq!(Existing::from(&value), Existing::Object);
    assert_eq!(Existing::from(&value["a"]), Existing::Number);
    assert_eq!(Existing::from(&value["b"]), Existing::Array);
    assert_eq!(Existing::from(&value["b"][0]), Existing::Bool);
    assert_eq!(Existing::from(&value["zz"]), Existing::Null);
}

#[test]
fn long_text_is_shortened_in_messages() {
    let long = "x".repeat(100);
    let message = error(&long, Existing::Number);
    assert!(message.ends_with("…`") && message.len() < 100);
}
