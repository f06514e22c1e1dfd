//! Unit tests of `expr`.

use super::*;
use std::collections::HashMap;

fn s(v: &str) -> Expr {
    Expr::Str(v.to_string())
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Call { name: name.to_string(), args }
}

fn param(name: &str) -> Expr {
    call("parameters", vec![s(name)])
}

fn text(t: &str) -> Piece {
    Piece::Text(t.to_string())
}

fn p(name: &str) -> Piece {
    Piece::Param(name.to_string())
}

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn factory_scope() -> HashMap<String, String> {
    vars(&[("factoryId", "[concat('Microsoft.DataFactory/factories/', parameters('factoryName'))]")])
}

fn eval(value: &str) -> Option<Vec<Piece>> {
    eval_value(value, &factory_scope())
}

fn refs(value: &str) -> Vec<(RefKind, String)> {
    let mut out = Vec::new();
    refs_in_value(value, &mut |k, n| out.push((k, n.to_string()))).unwrap();
    out
}

fn err(inner: &str) -> ExprError {
    parse(inner).unwrap_err()
}

// --- classify / escape / quote -------------------------------------

#[test]
fn classify_kinds() {
    assert_eq!(classify("[f()]"), StrKind::Expression("f()"));
    assert_eq!(classify("[[x]"), StrKind::Literal(Cow::Borrowed("[x]")));
    assert_eq!(classify("abc"), StrKind::Literal(Cow::Borrowed("abc")));
    assert_eq!(classify("[abc"), StrKind::Literal(Cow::Borrowed("[abc")));
    assert_eq!(classify("abc]"), StrKind::Literal(Cow::Borrowed("abc]")));
    assert_eq!(classify(""), StrKind::Literal(Cow::Borrowed("")));
    assert_eq!(classify("["), StrKind::Literal(Cow::Borrowed("[")));
    assert_eq!(classify("[]"), StrKind::Expression(""));
    assert_eq!(classify("[[[x"), StrKind::Literal(Cow::Borrowed("[[x")));
    assert!(matches!(classify("[[x]"), StrKind::Literal(Cow::Borrowed(_))));
}

#[test]
fn escape_literal_round_trip() {
    assert_eq!(escape_literal("[abc]"), "[[abc]");
    assert_eq!(escape_literal("abc"), "abc");
    assert!(matches!(escape_literal("abc"), Cow::Borrowed(_)));
    assert_eq!(escape_literal("[[x"), "[[[x");
    assert_eq!(escape_literal("[x"), "[[x");
    for lit in ["[abc]", "abc", "[[x", "[x", "", "[", "]", "[]", "x]", "[ü]"] {
        let escaped = escape_literal(lit);
        assert_eq!(classify(&escaped), StrKind::Literal(Cow::Borrowed(lit)), "{lit}");
        assert_eq!(parse_value(&escaped), Ok(None));
    }
}

#[test]
fn quote_escapes_quotes() {
    assert_eq!(quote("abc"), "'abc'");
    assert_eq!(quote("It's"), "'It''s'");
    assert_eq!(quote(""), "''");
    assert_eq!(quote("''"), "''''''");
    for lit in ["It's a pipeline", "'", "a''b", "ü 名前"] {
        assert_eq!(parse(&quote(lit)), Ok(s(lit)));
    }
}

// --- parsing -------------------------------------------------------

#[test]
fn parse_real_examples() {
    let cases: Vec<(&str, Expr)> = vec![
        ("parameters('factoryName')", param("factoryName")),
        ("concat(parameters('factoryName'), '/PL_Copy')", call("concat", vec![param("factoryName"), s("/PL_Copy")])),
        (
            "concat(variables('factoryId'), '/datasets/DS_In')",
            call("concat", vec![call("variables", vec![s("factoryId")]), s("/datasets/DS_In")]),
        ),
        (
            "resourceId('Microsoft.DataFactory/factories/datasets', parameters('factoryName'), 'DS_In')",
            call("resourceId", vec![s("Microsoft.DataFactory/factories/datasets"), param("factoryName"), s("DS_In")]),
        ),
        (
            "concat(parameters('factoryName'), '/It''s a pipeline')",
            call("concat", vec![param("factoryName"), s("/It's a pipeline")]),
        ),
        (
            "format('{0}/{1}', parameters('factoryName'), 'PL')",
            call("format", vec![s("{0}/{1}"), param("factoryName"), s("PL")]),
        ),
        (
            "if(equals(parameters('a'), 1), 'x', 'y')",
            call("if", vec![call("equals", vec![param("a"), Expr::Int(1)]), s("x"), s("y")]),
        ),
    ];
    for (src, want) in cases {
        assert_eq!(parse(src), Ok(want), "{src}");
    }
}

#[test]
fn parse_member_and_index_chains() {
    let e = parse("reference(resourceId('Microsoft.Resources/deployments', 'x')).outputs.y.value").unwrap();
    let inner = call("reference", vec![call("resourceId", vec![s("Microsoft.Resources/deployments"), s("x")])]);
    let member = |base: Expr, name: &str| Expr::Member { base: Box::new(base), name: name.to_string() };
    assert_eq!(e, member(member(member(inner, "outputs"), "y"), "value"));

    let e = parse("f()[0].a['b'][-1]").unwrap();
    let idx = |base: Expr, index: Expr| Expr::Index { base: Box::new(base), index: Box::new(index) };
    let want = idx(idx(member(idx(call("f", vec![]), Expr::Int(0)), "a"), s("b")), Expr::Int(-1));
    assert_eq!(e, want);
    assert_eq!(parse("'abc'[ 1 ] . x"), Ok(member(idx(s("abc"), Expr::Int(1)), "x")));
}

#[test]
fn parse_whitespace_and_case() {
    let want = call("Concat", vec![call("PARAMETERS", vec![s("f")]), s("/x")]);
    assert_eq!(parse("  Concat (\tPARAMETERS ( 'f' ) ,\n'/x' )  "), Ok(want));
    assert_eq!(parse(" parameters('p') ").unwrap().as_parameter(), Some("p"));
    assert_eq!(parse("PaRaMeTeRs( 'p' )").unwrap().as_parameter(), Some("p"));
    assert_eq!(parse_value("[ parameters('p') ]").unwrap().unwrap().as_parameter(), Some("p"));
}

#[test]
fn parse_literals() {
    assert_eq!(
        parse("f(-42, 0, 9223372036854775807, -9223372036854775808)"),
        Ok(call("f", vec![Expr::Int(-42), Expr::Int(0), Expr::Int(i64::MAX), Expr::Int(i64::MIN)]))
    );
    assert_eq!(parse("''"), Ok(s("")));
    assert_eq!(parse("'a''''b'"), Ok(s("a''b")));
    assert_eq!(parse("'/Pipeline ü 名前'"), Ok(s("/Pipeline ü 名前")));
    assert_eq!(parse("true()"), Ok(call("true", vec![])));
    assert_eq!(parse("ns.fn(1)"), Ok(call("ns.fn", vec![Expr::Int(1)])));
}

#[test]
fn as_parameter_only_exact() {
    assert_eq!(param("x").as_parameter(), Some("x"));
    assert_eq!(parse("variables('x')").unwrap().as_parameter(), None);
    assert_eq!(parse("parameters('x').y").unwrap().as_parameter(), None);
    assert_eq!(parse("parameters(concat('x'))").unwrap().as_parameter(), None);
    assert_eq!(parse("parameters('x', 'y')").unwrap().as_parameter(), None);
    assert_eq!(parse("concat(parameters('x'))").unwrap().as_parameter(), None);
}

#[test]
fn error_offsets() {
    let e = err("concat('abc");
    assert_eq!(e.offset, 7);
    assert!(e.kind.to_string().contains("unterminated"), "{e}");

    let e = err("concat('a', 'b'");
    assert_eq!(e.offset, 15);
    assert!(e.kind.to_string().contains("')'"), "{e}");

    let e = err("concat('a' 'b')");
    assert_eq!(e.offset, 11);

    let e = err("parameters('x') junk");
    assert_eq!(e.offset, 16);
    assert!(e.kind.to_string().contains("after the expression"), "{e}");

    let e = err("parameters('x'))");
    assert_eq!(e.offset, 15);

    let e = err("");
    assert_eq!(e.offset, 0);
    assert!(e.kind.to_string().contains("end of input"), "{e}");
    assert_eq!(err("   ").offset, 3);

    assert_eq!(err("f(,)").offset, 2);
    assert_eq!(err("f(1,)").offset, 4);
    assert_eq!(err("abc").offset, 3);
    assert!(err("abc").kind.to_string().contains("'('"));
    assert_eq!(err("f().").offset, 4);
    assert_eq!(err("f()[1").offset, 5);
    assert_eq!(err("- 1").offset, 1);
    assert_eq!(err("99999999999999999999").offset, 0);
    assert_eq!(err("f(@)").offset, 2);
    assert_eq!(err("'ü' ü").offset, 5);
}

#[test]
fn parse_value_offsets_are_relative_to_value() {
    assert_eq!(parse_value("plain"), Ok(None));
    assert_eq!(parse_value("[[escaped]"), Ok(None));
    assert_eq!(parse_value("[f()]"), Ok(Some(call("f", vec![]))));
    assert_eq!(parse_value("[concat('abc]").unwrap_err().offset, 8);
    assert_eq!(parse_value("[]").unwrap_err().offset, 1);
    let e = parse_value("[f(]").unwrap_err();
    assert_eq!(e.offset, 3);
    assert!(e.to_string().contains("byte 3"));
}

#[test]
fn deep_nesting_is_capped() {
    let nested = |n: usize| format!("{}'x'{}", "f(".repeat(n), ")".repeat(n));
    assert!(parse(&nested(MAX_DEPTH - 1)).is_ok());
    let e = err(&nested(MAX_DEPTH));
    assert!(e.kind.to_string().contains("nested"), "{e}");
    assert!(parse(&nested(100_000)).is_err());

    let members = |n: usize| format!("f(){}", ".a".repeat(n));
    assert!(parse(&members(MAX_DEPTH - 1)).is_ok());
    assert!(parse(&members(MAX_DEPTH)).is_err());
    assert!(parse(&members(100_000)).is_err());

    let indexes = |n: usize| format!("f(){}", "[0]".repeat(n));
    assert!(parse(&indexes(100_000)).is_err());
    let inner_index = |n: usize| format!("f(){}0{}", "[".repeat(n), "]".repeat(n));
    assert!(parse(&inner_index(100_000)).is_err());
    // Height mixes: a deep argument inside a member chain.
    let mixed = format!("{}.a", nested(MAX_DEPTH - 1));
    assert!(parse(&mixed).is_err());
}

#[test]
fn display_round_trips() {
    for src in [
        "concat(parameters('factoryName'), '/It''s a pipeline')",
        "reference(resourceId('Microsoft.Resources/deployments', 'x')).outputs.y.value",
        "f(-1, 'a')[0]['b'].c",
        "ns.fn()",
    ] {
        let e = parse(src).unwrap();
        assert_eq!(e.to_string(), src);
        assert_eq!(parse(&e.to_string()), Ok(e));
    }
}

// --- references ----------------------------------------------------

#[test]
fn refs_in_order_with_duplicates() {
    let got = refs("[concat(parameters('a'), variables('v'), if(equals(Parameters('b'), 1), parameters('a'), 'x'))]");
    assert_eq!(
        got,
        vec![
            (RefKind::Parameter, "a".to_string()),
            (RefKind::Variable, "v".to_string()),
            (RefKind::Parameter, "b".to_string()),
            (RefKind::Parameter, "a".to_string()),
        ]
    );
    let got = refs("[reference(parameters('r')).outputs[variables('i')]]");
    assert_eq!(got, vec![(RefKind::Parameter, "r".to_string()), (RefKind::Variable, "i".to_string())]);
    let got = refs("[parameters(variables('n'))]");
    assert_eq!(got, vec![(RefKind::Variable, "n".to_string())]);
    let got = refs("[parameters('LS_Sql_properties_typeProperties_connectionString')]");
    assert_eq!(got, vec![(RefKind::Parameter, "LS_Sql_properties_typeProperties_connectionString".to_string())]);
}

#[test]
fn refs_skip_literals_and_report_errors() {
    assert!(refs("plain parameters('x')").is_empty());
    assert!(refs("[[parameters('x')]").is_empty());
    assert!(refs("[not closed").is_empty());
    let e = refs_in_value("[parameters('x']", &mut |_, _| {}).unwrap_err();
    assert_eq!(e.offset, 15);
}

// --- evaluation ----------------------------------------------------

#[test]
fn eval_examples() {
    assert_eq!(eval("[parameters('factoryName')]"), Some(vec![p("factoryName")]));
    assert_eq!(eval("[concat(parameters('factoryName'), '/PL_Copy')]"), Some(vec![p("factoryName"), text("/PL_Copy")]));
    assert_eq!(
        eval("[concat(variables('factoryId'), '/datasets/DS_In')]"),
        Some(vec![text("Microsoft.DataFactory/factories/"), p("factoryName"), text("/datasets/DS_In")])
    );
    assert_eq!(
        eval("[resourceId('Microsoft.DataFactory/factories/datasets', parameters('factoryName'), 'DS_In')]"),
        Some(vec![text("Microsoft.DataFactory/factories/"), p("factoryName"), text("/datasets/DS_In")])
    );
    assert_eq!(
        eval("[concat('Microsoft.DataFactory/factories/', parameters('factoryName'))]"),
        Some(vec![text("Microsoft.DataFactory/factories/"), p("factoryName")])
    );
    assert_eq!(
        eval("[concat(parameters('containerUri'), '/ArmTemplate_0.json', parameters('containerSasToken'))]"),
        Some(vec![p("containerUri"), text("/ArmTemplate_0.json"), p("containerSasToken")])
    );
    assert_eq!(eval("[format('{0}/{1}', parameters('factoryName'), 'PL')]"), Some(vec![p("factoryName"), text("/PL")]));
    assert_eq!(
        eval("[variables('factoryId')]"),
        Some(vec![text("Microsoft.DataFactory/factories/"), p("factoryName")])
    );
    assert_eq!(eval("[if(equals(parameters('a'), 1), 'x', 'y')]"), None);
    assert_eq!(eval("[reference('x').outputs.y.value]"), None);
    assert_eq!(eval("plain text"), Some(vec![text("plain text")]));
    assert_eq!(eval("[[x]"), Some(vec![text("[x]")]));
}

#[test]
fn eval_concat_details() {
    assert_eq!(eval("[CONCAT('a', 1, -2, 'b', '')]"), Some(vec![text("a1-2b")]));
    assert_eq!(eval("[concat('a', concat('b', parameters('p')), 'c')]"), Some(vec![text("ab"), p("p"), text("c")]));
    assert_eq!(eval("['']"), Some(vec![]));
    assert_eq!(eval("[42]"), Some(vec![text("42")]));
    assert_eq!(eval("[concat()]"), None);
    assert_eq!(eval("[concat('a', json('{}'))]"), None);
    assert_eq!(eval("[parameters(concat('fac', 'toryName'))]"), Some(vec![p("factoryName")]));
    assert_eq!(eval("[parameters()]"), None);
    assert_eq!(eval("[parameters(parameters('x'))]"), None);
}

#[test]
fn eval_format() {
    assert_eq!(eval("[format('{1}-{0}-{1}', 'a', parameters('b'))]"), Some(vec![p("b"), text("-a-"), p("b")]));
    assert_eq!(eval("[format('{{{0}}}', 'x')]"), Some(vec![text("{x}")]));
    assert_eq!(eval("[format('no placeholders')]"), Some(vec![text("no placeholders")]));
    assert_eq!(eval("[format('{0}', 7)]"), Some(vec![text("7")]));
    assert_eq!(eval("[format('{1}', 'a')]"), None);
    assert_eq!(eval("[format('{0', 'a')]"), None);
    assert_eq!(eval("[format('}', 'a')]"), None);
    assert_eq!(eval("[format('{x}', 'a')]"), None);
    assert_eq!(eval("[format('{0:D}', 1)]"), None);
    assert_eq!(eval("[format(parameters('f'), 'a')]"), None);
    assert_eq!(eval("[format()]"), None);
}

#[test]
fn eval_resource_id() {
    let want = vec![text("Microsoft.DataFactory/factories/"), p("factoryName"), text("/datasets/DS_In")];
    assert_eq!(
        eval(
            "[resourceId(subscription().subscriptionId, 'rg', 'Microsoft.DataFactory/factories/datasets', parameters('factoryName'), 'DS_In')]"
        ),
        None,
        "unevaluable leading args make the whole call unknown"
    );
    assert_eq!(
        eval(
            "[resourceId(parameters('sub'), 'rg', 'Microsoft.DataFactory/factories/datasets', parameters('factoryName'), 'DS_In')]"
        ),
        Some(want.clone())
    );
    assert_eq!(
        eval("[resourceId('rg', 'Microsoft.DataFactory/factories/datasets', parameters('factoryName'), 'DS_In')]"),
        Some(want)
    );
    assert_eq!(
        eval(
            "[resourceId('Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints', parameters('factoryName'), 'default', 'mpe1')]"
        ),
        Some(vec![
            text("Microsoft.DataFactory/factories/"),
            p("factoryName"),
            text("/managedVirtualNetworks/default/managedPrivateEndpoints/mpe1"),
        ])
    );
    assert_eq!(eval("[resourceId('Microsoft.DataFactory/factories/datasets', parameters('factoryName'))]"), None);
    assert_eq!(eval("[resourceId('Microsoft.DataFactory/factories', 'a', 'b')]"), None);
    assert_eq!(eval("[resourceId('noslash', 'a')]"), None);
    assert_eq!(eval("[resourceId('Microsoft.X//y', 'a', 'b')]"), None);
    assert_eq!(eval("[resourceId()]"), None);
}

#[test]
fn eval_variables() {
    let scope = vars(&[
        ("lit", "plain"),
        ("esc", "[[bracketed]"),
        ("chain", "[concat(variables('lit'), '/', variables('esc'))]"),
        ("cycle", "[variables('cycle')]"),
        ("a", "[concat('x', variables('b'))]"),
        ("b", "[variables('a')]"),
        ("bad", "[concat('x']"),
    ]);
    let ev = |v: &str| eval_value(v, &scope);
    assert_eq!(ev("[variables('lit')]"), Some(vec![text("plain")]));
    assert_eq!(ev("[variables('chain')]"), Some(vec![text("plain/[bracketed]")]));
    assert_eq!(ev("[variables('cycle')]"), None);
    assert_eq!(ev("[variables('a')]"), None);
    assert_eq!(ev("[variables('bad')]"), None);
    assert_eq!(ev("[variables('missing')]"), None);
    assert_eq!(eval_value("[variables('lit')]", &NoVariables), None);

    // A chain just within the hop limit resolves.
    let mut chain: HashMap<String, String> = HashMap::new();
    for i in 0..MAX_VARIABLE_HOPS - 1 {
        chain.insert(format!("v{i}"), format!("[variables('v{}')]", i + 1));
    }
    chain.insert(format!("v{}", MAX_VARIABLE_HOPS - 1), "end".to_string());
    assert_eq!(eval_value("[variables('v0')]", &chain), Some(vec![text("end")]));
    chain.insert(format!("v{}", MAX_VARIABLE_HOPS - 1), format!("[variables('v{MAX_VARIABLE_HOPS}')]"));
    chain.insert(format!("v{MAX_VARIABLE_HOPS}"), "end".to_string());
    assert_eq!(eval_value("[variables('v0')]", &chain), None);
}

#[test]
fn eval_deep_variables_does_not_overflow() {
    let deep = format!("[{}'x'{}]", "concat(".repeat(MAX_DEPTH - 1), ")".repeat(MAX_DEPTH - 1));
    let scope = vars(&[("d", &deep), ("loop", "[concat(variables('d'), variables('loop'))]")]);
    assert_eq!(eval_value("[variables('loop')]", &scope), None);
    assert_eq!(eval_value("[variables('d')]", &scope), Some(vec![text("x")]));
}

// --- ADF helpers ---------------------------------------------------

#[test]
fn resource_names() {
    let scope = factory_scope();
    let names = |v: &str| resource_name_segments(v, "factoryName", &scope);
    let owned = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(names("[concat(parameters('factoryName'), '/default/mpe_sql')]"), owned(&["default", "mpe_sql"]));
    assert_eq!(names("[parameters('factoryName')]"), owned(&[]));
    assert_eq!(names("[concat(parameters('factoryName'), '/PL_Copy')]"), owned(&["PL_Copy"]));
    assert_eq!(names("[concat(parameters('factoryName'), '/It''s a pipeline')]"), owned(&["It's a pipeline"]));
    assert_eq!(names("[concat(parameters('factoryName'), '/Pipeline ü 名前')]"), owned(&["Pipeline ü 名前"]));
    assert_eq!(names("[concat(parameters('factoryName'), '/my-pipe.v2 copy')]"), owned(&["my-pipe.v2 copy"]));
    assert_eq!(names("[format('{0}/{1}', parameters('factoryName'), 'PL')]"), owned(&["PL"]));
    assert_eq!(names("[concat(parameters('FACTORYNAME'), '/PL')]"), owned(&["PL"]));
    assert_eq!(names("myfactory/PL_A"), owned(&["PL_A"]));
    assert_eq!(names("myfactory"), owned(&[]));
    assert_eq!(names("[[odd]/PL"), owned(&["PL"]));

    assert_eq!(names("[concat(parameters('other'), '/PL')]"), None);
    assert_eq!(names("[concat(parameters('factoryName'), 'PL')]"), None);
    assert_eq!(names("[concat(parameters('factoryName'), '/')]"), None);
    assert_eq!(names("[concat(parameters('factoryName'), '/a//b')]"), None);
    assert_eq!(names("[concat(parameters('factoryName'), '/', parameters('n'))]"), None);
    assert_eq!(names("[concat('x/', parameters('factoryName'))]"), None);
    assert_eq!(names("[concat(parameters('factoryName')]"), None);
    assert_eq!(names(""), None);
    assert_eq!(names("/PL"), None);
    assert_eq!(names("f/PL/"), None);
}

#[test]
fn dependency_targets() {
    let scope = factory_scope();
    let dep = |v: &str| dependency_target(v, "factoryName", &scope);
    let target = |types: &[&str], names: &[&str]| {
        Some(Target {
            types: types.iter().map(|s| s.to_string()).collect(),
            names: names.iter().map(|s| s.to_string()).collect(),
        })
    };
    assert_eq!(dep("[concat(variables('factoryId'), '/datasets/DS_In')]"), target(&["datasets"], &["DS_In"]));
    assert_eq!(
        dep("[concat(variables('factoryId'), '/managedVirtualNetworks/default/managedPrivateEndpoints/mpe1')]"),
        target(&["managedVirtualNetworks", "managedPrivateEndpoints"], &["default", "mpe1"])
    );
    assert_eq!(dep("[variables('factoryId')]"), target(&[], &[]));
    assert_eq!(
        dep("[resourceId('Microsoft.DataFactory/factories/datasets', parameters('factoryName'), 'DS_In')]"),
        target(&["datasets"], &["DS_In"])
    );
    assert_eq!(
        dep("[resourceId('Microsoft.DataFactory/factories/pipelines', parameters('factoryName'), 'It''s ü 名前')]"),
        target(&["pipelines"], &["It's ü 名前"])
    );
    assert_eq!(
        dep(
            "[concat('/subscriptions/s/providers/microsoft.datafactory/FACTORIES/', parameters('factoryName'), '/pipelines/P')]"
        ),
        target(&["pipelines"], &["P"])
    );

    assert_eq!(dep("[resourceId('Microsoft.Resources/deployments', 'x')]"), None);
    assert_eq!(dep("[concat(variables('factoryId'), '/datasets')]"), None);
    assert_eq!(dep("[concat(variables('factoryId'), 'datasets/x')]"), None);
    assert_eq!(dep("[concat('Microsoft.Sql/servers/', parameters('factoryName'))]"), None);
    assert_eq!(dep("[concat('Microsoft.DataFactory/factories/', parameters('other'))]"), None);
    assert_eq!(dep("Microsoft.DataFactory/factories/f/datasets/x"), None);
    assert_eq!(dep("[parameters('factoryName')]"), None);
    assert_eq!(dep("[concat('ü', parameters('factoryName'))]"), None);
}
