//! Synthetic Azure Data Factory exports for benchmarks.
//!
//! Shared by `examples/gen-factory.rs` (the command line) and
//! `benches/compile.rs` (which includes this file with `#[path]`), so that a
//! benchmark never has to spawn cargo. Everything is deterministic for a seed:
//! a tiny SplitMix64 generator drives every choice, and the rows and rules are
//! drawn from a separate stream so that the factory itself does not depend on
//! how many rows or rules are asked for.
//!
//! Output imitates ADF's `adf_publish` export: TAB indentation, `"key": value`,
//! LF line endings, no final newline; resources are not in dependency order
//! in the single-file layout; linked parts hold at most 20 resources, keep only
//! the dependsOn entries that stay in the part, and receive from the master
//! only the parameters they use.

// Each includer uses a different subset of the API.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

/// Name of the generated factory (the `factoryName` parameter's value).
pub const FACTORY: &str = "adf-bench-dev";
/// Resources per linked part, as in ADF's linked export.
pub const PART_SIZE: usize = 20;
/// The rows file, relative to the output folder.
pub const CONFIG_FILE: &str = "deployment/config-bench.csv";
/// The rules file, relative to the output folder.
pub const RULES_FILE: &str = "deployment/bench.rules";

const TEMPLATE_SCHEMA: &str = "http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#";
const PARAMETERS_SCHEMA: &str = "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#";
const FACTORY_ID: &str = "[concat('Microsoft.DataFactory/factories/', parameters('factoryName'))]";

/// One file per layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `ARMTemplateForFactory.json` + `ARMTemplateParametersForFactory.json`.
    Single,
    /// `linkedTemplates/ArmTemplate_master.json`, parts, master parameters.
    Linked,
    /// ADF's Git folder: one file per object (`pipeline/PL_1.json`, …, `factory/<name>.json`).
    Folder,
}

impl Layout {
    /// `single` / `linked` / `folder`.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Single => "single",
            Layout::Linked => "linked",
            Layout::Folder => "folder",
        }
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Number of pipelines; every other count follows from it.
    pub pipelines: usize,
    /// Output folder (created).
    pub out: PathBuf,
    /// File layout.
    pub layout: Layout,
    /// Config rows to write to `deployment/config-bench.csv` (0: no file).
    pub rows: usize,
    /// Rules to write to `deployment/bench.rules` (0: no file).
    pub rules: usize,
    /// PRNG seed.
    pub seed: u64,
    /// Percentage of objects to change (0: none): a variant of the same
    /// factory, for diff benchmarks (`annotations` gets one entry).
    pub changed: usize,
}

impl Options {
    /// Defaults: 100 pipelines, single layout, no rows, no rules, seed 1.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        Options { pipelines: 100, out: out.into(), layout: Layout::Single, rows: 0, rules: 0, seed: 1, changed: 0 }
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// ADF resources (objects), master deployments not counted.
    pub resources: usize,
    /// Of which pipelines, datasets, linked services, data flows, triggers.
    pub counts: [usize; 5],
    /// Bytes of all template and parameters files.
    pub bytes: u64,
    /// Template and parameters files written.
    pub files: usize,
    /// Config rows written.
    pub rows: usize,
    /// Rules written.
    pub rules: usize,
    /// Objects the rules leave deployed (all objects when there are no rules).
    pub deployed: usize,
    /// Objects changed by `changed`.
    pub changed: usize,
    /// What to pass to `--template`.
    pub template: PathBuf,
    /// The rows file, if written.
    pub config: Option<PathBuf>,
    /// The rules file, if written.
    pub rules_file: Option<PathBuf>,
}

/// Generate a factory (and optionally rows and rules) into `options.out`.
pub fn generate(options: &Options) -> io::Result<Stats> {
    let mut g = Gen::new(options);
    g.build();
    let changed = g.change(options.changed, options.seed);
    let mut stats = Stats {
        changed,
        resources: g.res.len(),
        counts: [g.pipelines.len(), g.datasets.len(), g.linked_services.len(), g.dataflows.len(), g.triggers.len()],
        ..Stats::default()
    };
    std::fs::create_dir_all(&options.out)?;
    let files = match options.layout {
        Layout::Single => g.single_files(),
        Layout::Linked => g.linked_files(),
        Layout::Folder => g.folder_files(),
    };
    for (name, text) in &files {
        let path = options.out.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
        stats.bytes += text.len() as u64;
    }
    stats.files = files.len();
    stats.template = template_path(&options.out, options.layout);
    stats.deployed = g.res.len();
    if options.rows > 0 {
        let text = g.rows_csv(options.rows);
        let path = options.out.join(CONFIG_FILE);
        std::fs::create_dir_all(path.parent().unwrap_or(&options.out))?;
        std::fs::write(&path, text)?;
        stats.rows = options.rows;
        stats.config = Some(path);
    }
    if options.rules > 0 {
        let (text, written, deployed) = g.rules_file(options.rules);
        let path = options.out.join(RULES_FILE);
        std::fs::create_dir_all(path.parent().unwrap_or(&options.out))?;
        std::fs::write(&path, text)?;
        stats.rules = written;
        stats.deployed = deployed;
        stats.rules_file = Some(path);
    }
    Ok(stats)
}

/// SplitMix64: tiny, fast, good enough for synthetic data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0xA076_1D64_78BD_642F) ^ 0xE703_7ED1_A0B4_28DB)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`/100.
    pub fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    /// A random element (`items` must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Serialize `value` with TAB indentation, re-indented to sit at `depth`.
fn pretty(value: &Value, depth: usize) -> String {
    let mut buf = Vec::with_capacity(256);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut buf, serde_json::ser::PrettyFormatter::with_indent(b"\t"));
    value.serialize(&mut ser).expect("serializing a Value into memory cannot fail");
    let text = String::from_utf8(buf).expect("serde_json writes UTF-8");
    if depth == 0 || !text.contains('\n') {
        return text;
    }
    let mut pad = String::from("\n");
    pad.extend(std::iter::repeat_n('\t', depth));
    text.replace('\n', &pad)
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LsKind {
    KeyVault,
    Blob,
    Sql,
    Adls,
    Rest,
    Databricks,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DsKind {
    Csv,
    Parquet,
    Sql,
}

/// A template parameter the export declares.
#[derive(Clone, Debug)]
struct Param {
    name: String,
    secure: bool,
    default: Option<String>,
    object: String,
    property: String,
}

/// One ADF resource, with its properties already rendered at depth 3.
#[derive(Debug)]
struct Res {
    otype: &'static str,
    name: String,
    folder: Option<String>,
    rtype: &'static str,
    props: String,
    /// (collection, name) of each dependsOn entry, in order.
    deps: Vec<(&'static str, String)>,
    /// Which dependsOn entries use the `resourceId(...)` form.
    resource_id_form: Vec<bool>,
    /// Template parameters the resource uses (besides factoryName).
    params: Vec<String>,
    /// Linked layout: order key (dependency order).
    order: usize,
}

fn collection(otype: &str) -> &'static str {
    match otype {
        "pipeline" => "pipelines",
        "dataset" => "datasets",
        "linkedService" => "linkedServices",
        "dataflow" => "dataflows",
        "trigger" => "triggers",
        _ => "factories",
    }
}

fn rtype_of(otype: &str) -> &'static str {
    match otype {
        "pipeline" => "Microsoft.DataFactory/factories/pipelines",
        "dataset" => "Microsoft.DataFactory/factories/datasets",
        "linkedService" => "Microsoft.DataFactory/factories/linkedServices",
        "dataflow" => "Microsoft.DataFactory/factories/dataflows",
        "trigger" => "Microsoft.DataFactory/factories/triggers",
        _ => "Microsoft.DataFactory/factories",
    }
}

/// How to make a value for a config row.
#[derive(Clone, Copy, Debug)]
enum Val {
    Timeout,
    Int(usize, usize),
    Bool,
    Text(&'static str),
    Fixed(&'static str),
    Url,
    Conn,
    State,
    Script,
    Array,
    Hours,
}

/// A property a config row can address.
#[derive(Clone, Debug)]
struct Target {
    otype: &'static str,
    name: String,
    path: String,
    val: Val,
    /// The property, whatever the path's spelling (`activity:<name>.<suffix>` for activities).
    key: String,
}

/// A bounded uniform sample of targets (reservoir sampling).
#[derive(Debug, Default)]
struct Pool {
    items: Vec<Target>,
    seen: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Exact,
    Nested,
    Dollar,
    Add,
    Remove,
    Param,
}

const KINDS: [Kind; 6] = [Kind::Exact, Kind::Nested, Kind::Dollar, Kind::Add, Kind::Remove, Kind::Param];

/// What ADF writes for a credential typed in the dev UI (base64 of a small JSON envelope).
const ENCRYPTED_CREDENTIAL: &str = concat!(
    "ew0KICAiVmVyc2lvbiI6ICIyMDE3LTExLTMwIiwNCiAgIlByb3RlY3Rpb25Nb2RlIjogIktleSIsDQogICJTZWNyZXRDb250ZW50VHlwZSI6",
    "ICJQbGFpbnRleHQiLA0KICAiQ3JlZGVudGlhbElkIjogIkJFTkNIIg0KfQ=="
);

const ENTITIES: [&str; 12] = [
    "Orders",
    "Customers",
    "Sales",
    "Invoices",
    "Products",
    "Stores",
    "Events",
    "Ledger",
    "Returns",
    "Shipments",
    "Clients Européens",
    "Märkte",
];
const COLUMNS: [&str; 12] = [
    "id",
    "name",
    "amount",
    "order_date",
    "region",
    "customer_id",
    "status",
    "currency",
    "quantity",
    "updated_at",
    "store_id",
    "channel",
];

struct Gen {
    rng: Rng,
    /// Stream for row candidates (so the factory does not depend on --rows).
    sample_rng: Rng,
    /// Stream for rows and rules.
    pick_rng: Rng,
    pool_cap: usize,
    pools: Vec<Pool>,
    n_pipelines: usize,
    domains: usize,
    params: Vec<Param>,
    res: Vec<Res>,
    linked_services: Vec<(String, LsKind)>,
    datasets: Vec<(String, DsKind)>,
    dataflows: Vec<String>,
    pipelines: Vec<String>,
    triggers: Vec<(String, bool)>,
}

/// Per-pipeline generation state.
struct Pl {
    refs: Vec<(&'static str, String)>,
    /// Copy activities that have translator mappings.
    mapped: Vec<String>,
    counter: usize,
    index: usize,
    name: String,
}

impl Pl {
    fn add_ref(&mut self, coll: &'static str, name: &str) {
        if !self.refs.iter().any(|(c, n)| *c == coll && n == name) {
            self.refs.push((coll, name.to_string()));
        }
    }

    fn next(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }
}

impl Gen {
    /// Change `percent`% of the objects (the factory aside), drawn from their own stream.
    fn change(&mut self, percent: usize, seed: u64) -> usize {
        if percent == 0 {
            return 0;
        }
        let mut rng = Rng::new(seed ^ 0xC4A9_6ED0_0D1F);
        let mut changed = 0;
        for res in self.res.iter_mut().filter(|r| r.otype != "factory") {
            if rng.percent(percent) && res.props.contains("\"annotations\": []") {
                res.props = res.props.replacen("\"annotations\": []", "\"annotations\": [\"changed\"]", 1);
                changed += 1;
            }
        }
        changed
    }

    fn new(options: &Options) -> Self {
        let n = options.pipelines.max(1);
        Gen {
            rng: Rng::new(options.seed),
            sample_rng: Rng::new(options.seed ^ 0x5EED_0F5A_3F1E),
            pick_rng: Rng::new(options.seed ^ 0x0BAD_CAFE_F00D),
            pool_cap: if options.rows == 0 { 0 } else { (options.rows * 3).max(64) },
            pools: KINDS.iter().map(|_| Pool::default()).collect(),
            n_pipelines: n,
            domains: 4 + n / 800,
            params: Vec::new(),
            res: Vec::new(),
            linked_services: Vec::new(),
            datasets: Vec::new(),
            dataflows: Vec::new(),
            pipelines: Vec::new(),
            triggers: Vec::new(),
        }
    }

    fn offer(&mut self, kind: Kind, otype: &'static str, name: &str, path: String, val: Val) {
        let key = path.trim_start_matches(['+', '-']).trim_start_matches("$.properties.").to_string();
        self.offer_keyed(kind, otype, name, path, val, key);
    }

    fn offer_keyed(&mut self, kind: Kind, otype: &'static str, name: &str, path: String, val: Val, key: String) {
        if self.pool_cap == 0 {
            return;
        }
        let cap = self.pool_cap;
        let pool = &mut self.pools[KINDS.iter().position(|k| *k == kind).unwrap_or(0)];
        pool.seen += 1;
        let target = Target { otype, name: name.to_string(), path, val, key };
        if pool.items.len() < cap {
            pool.items.push(target);
        } else {
            let slot = self.sample_rng.below(pool.seen);
            if slot < cap {
                pool.items[slot] = target;
            }
        }
    }

    fn folder(&mut self, none_percent: usize) -> Option<String> {
        if self.rng.percent(none_percent) {
            return None;
        }
        let domain = self.rng.below(self.domains) + 1;
        if self.rng.percent(25) {
            Some(format!("Domain_{domain}"))
        } else {
            Some(format!("Domain_{domain}/Sub_{}", self.rng.range(1, 5)))
        }
    }

    fn push(
        &mut self,
        otype: &'static str,
        name: String,
        folder: Option<String>,
        props: &Value,
        deps: Vec<(&'static str, String)>,
        params: Vec<String>,
    ) {
        let resource_id_form = deps.iter().map(|_| self.rng.percent(4)).collect();
        let order = self.res.len();
        self.res.push(Res {
            otype,
            name,
            folder,
            rtype: rtype_of(otype),
            props: pretty(props, 3),
            deps,
            resource_id_form,
            params,
            order,
        });
    }

    fn build(&mut self) {
        let n = self.n_pipelines;
        self.factory_resource();
        let n_ls = n / 10 + 5;
        for i in 0..n_ls {
            self.linked_service(i);
        }
        let n_ds = (n * 6).div_ceil(5);
        for i in 0..n_ds {
            self.dataset(i);
        }
        let n_df = (n / 20).max(1);
        for i in 0..n_df {
            self.dataflow(i);
        }
        for i in 0..n {
            self.pipeline(i);
        }
        let n_tr = (n / 20).max(2);
        for i in 0..n_tr {
            self.trigger(i);
        }
    }

    fn factory_resource(&mut self) {
        let props = json!({
            "globalParameters": {
                "envName": {"type": "string", "value": "dev"},
                "retryCount": {"type": "int", "value": 3},
                "isProd": {"type": "bool", "value": false},
                "regions": {"type": "array", "value": ["westeurope", "northeurope"]}
            }
        });
        self.params.push(Param {
            name: "dataFactory_location".into(),
            secure: false,
            default: Some("westeurope".into()),
            object: String::new(),
            property: String::new(),
        });
        self.push("factory", FACTORY.to_string(), None, &props, Vec::new(), vec!["dataFactory_location".into()]);
        let globals: [(&str, Val); 4] = [
            ("envName", Val::Text("prod")),
            ("retryCount", Val::Int(1, 9)),
            ("isProd", Val::Bool),
            ("regions", Val::Array),
        ];
        for (gp, val) in globals {
            self.offer(Kind::Dollar, "factory", FACTORY, format!("$.properties.globalParameters.{gp}.value"), val);
        }
    }

    fn param(&mut self, object: &str, property: &str, secure: bool, default: Option<String>) -> String {
        let name = if secure {
            format!("{object}_{property}")
        } else {
            format!("{object}_properties_typeProperties_{property}")
        };
        self.params.push(Param {
            name: name.clone(),
            secure,
            default,
            object: object.into(),
            property: property.into(),
        });
        name
    }

    fn linked_service(&mut self, i: usize) {
        const ORDER: [LsKind; 6] =
            [LsKind::KeyVault, LsKind::Blob, LsKind::Sql, LsKind::Adls, LsKind::Rest, LsKind::Databricks];
        let kind = ORDER[i % ORDER.len()];
        let label = match kind {
            LsKind::KeyVault => "KeyVault",
            LsKind::Blob => "Blob",
            LsKind::Sql => "Sql",
            LsKind::Adls => "Adls",
            LsKind::Rest => "Rest",
            LsKind::Databricks => "Databricks",
        };
        let name = if i >= 6 && self.rng.percent(8) { format!("LS {label} {i}") } else { format!("LS_{label}_{i}") };
        let mut deps = Vec::new();
        let mut used = Vec::new();
        let props = match kind {
            LsKind::KeyVault => {
                let p = self.param(&name, "baseUrl", false, Some(format!("https://kv-bench-{i}.vault.azure.net/")));
                self.offer(Kind::Param, "linkedService", &name, "typeProperties.baseUrl".into(), Val::Url);
                used.push(p.clone());
                json!({
                    "annotations": [],
                    "type": "AzureKeyVault",
                    "typeProperties": {"baseUrl": format!("[parameters('{p}')]")}
                })
            }
            LsKind::Blob | LsKind::Sql => {
                let p = self.param(&name, "connectionString", true, None);
                self.offer(Kind::Param, "linkedService", &name, "typeProperties.connectionString".into(), Val::Conn);
                self.offer(Kind::Add, "linkedService", &name, "+$.properties.description".into(), Val::Text("bench "));
                used.push(p.clone());
                let ty = if kind == LsKind::Blob { "AzureBlobStorage" } else { "AzureSqlDatabase" };
                json!({
                    "annotations": [],
                    "type": ty,
                    "typeProperties": {"connectionString": format!("[parameters('{p}')]")}
                })
            }
            LsKind::Adls => {
                let p = self.param(&name, "url", false, Some(format!("https://stbench{i}.dfs.core.windows.net/")));
                self.offer(Kind::Param, "linkedService", &name, "typeProperties.url".into(), Val::Url);
                used.push(p.clone());
                json!({
                    "annotations": [],
                    "type": "AzureBlobFS",
                    "typeProperties": {"url": format!("[parameters('{p}')]")}
                })
            }
            LsKind::Rest => {
                let p = self.param(&name, "url", false, Some(format!("https://api-{i}.example.com/v1/")));
                self.offer(Kind::Param, "linkedService", &name, "$.properties.typeProperties.url".into(), Val::Url);
                self.offer(
                    Kind::Exact,
                    "linkedService",
                    &name,
                    "typeProperties.enableServerCertificateValidation".into(),
                    Val::Bool,
                );
                used.push(p.clone());
                json!({"annotations": [], "type": "RestService", "typeProperties": {
                    "url": format!("[parameters('{p}')]"),
                    "enableServerCertificateValidation": true,
                    "authenticationType": "Anonymous"
                }})
            }
            LsKind::Databricks => {
                let p = self.param(&name, "existingClusterId", false, Some(format!("0101-0000{i:02}-dev{i:04}")));
                self.offer(
                    Kind::Param,
                    "linkedService",
                    &name,
                    "typeProperties.existingClusterId".into(),
                    Val::Text("0101-prod-"),
                );
                self.offer(Kind::Exact, "linkedService", &name, "typeProperties.domain".into(), Val::Url);
                self.offer(
                    Kind::Remove,
                    "linkedService",
                    &name,
                    "-typeProperties.encryptedCredential".into(),
                    Val::Fixed(""),
                );
                self.offer(
                    Kind::Add,
                    "linkedService",
                    &name,
                    "+typeProperties.authentication".into(),
                    Val::Fixed("MSI"),
                );
                used.push(p.clone());
                let vault = self.linked_services.iter().find(|(_, k)| *k == LsKind::KeyVault).map(|(n, _)| n.clone());
                let workspace = self.rng.next_u64() % 10_000_000_000_000_000;
                let mut tp = json!({
                    "domain": format!("https://adb-{workspace:016}.{}.azuredatabricks.net", i % 10),
                    "existingClusterId": format!("[parameters('{p}')]"),
                    "encryptedCredential": ENCRYPTED_CREDENTIAL
                });
                if let Some(vault) = vault {
                    tp["accessToken"] = json!({
                        "type": "AzureKeyVaultSecret",
                        "store": {"referenceName": vault, "type": "LinkedServiceReference"},
                        "secretName": "dbr-token"
                    });
                    deps.push(("linkedServices", vault));
                }
                json!({"annotations": [], "type": "AzureDatabricks", "typeProperties": tp})
            }
        };
        self.linked_services.push((name.clone(), kind));
        self.push("linkedService", name, None, &props, deps, used);
    }

    fn ls_of(&mut self, kind: LsKind) -> String {
        let candidates: Vec<&String> =
            self.linked_services.iter().filter(|(_, k)| *k == kind).map(|(n, _)| n).collect();
        let i = self.rng.below(candidates.len());
        candidates[i].clone()
    }

    fn schema(&mut self, sql: bool) -> Value {
        let columns = self.rng.range(2, 5);
        let start = self.rng.below(COLUMNS.len());
        let cols: Vec<Value> = (0..columns)
            .map(|c| {
                let name = COLUMNS[(start + c) % COLUMNS.len()];
                if sql {
                    let (ty, precision) = if c == 0 { ("int", 10) } else { ("nvarchar", 0) };
                    json!({"name": name, "type": ty, "precision": precision})
                } else {
                    json!({"name": name, "type": if c == 0 { "INT32" } else { "UTF8" }})
                }
            })
            .collect();
        Value::Array(cols)
    }

    fn dataset(&mut self, i: usize) {
        let roll = self.rng.below(100);
        let kind = if roll < 45 {
            DsKind::Csv
        } else if roll < 75 {
            DsKind::Parquet
        } else {
            DsKind::Sql
        };
        let name = match kind {
            DsKind::Csv if self.rng.percent(8) => format!("DS Sales Export {i}"),
            DsKind::Csv => format!("DS_Sales_{i}"),
            DsKind::Parquet => format!("DS_Curated_{i}"),
            DsKind::Sql => format!("DS_Sql_{i}"),
        };
        let folder = self.folder(30);
        let entity = ENTITIES[i % ENTITIES.len()];
        let (ls, mut props) = match kind {
            DsKind::Csv => {
                let ls = self.ls_of(LsKind::Blob);
                let props = json!({
                    "linkedServiceName": {"referenceName": ls, "type": "LinkedServiceReference"},
                    "annotations": [],
                    "type": "DelimitedText",
                    "typeProperties": {
                        "location": {
                            "type": "AzureBlobStorageLocation",
                            "fileName": format!("{}_{i}.csv", entity.to_lowercase()),
                            "folderPath": format!("raw/{}/{}", entity.to_lowercase(), 2020 + i % 5),
                            "container": "landing"
                        },
                        "columnDelimiter": ",",
                        "escapeChar": "\\",
                        "firstRowAsHeader": true,
                        "quoteChar": "\""
                    },
                    "schema": self.schema(false)
                });
                self.offer(
                    Kind::Exact,
                    "dataset",
                    &name,
                    "typeProperties.location.fileName".into(),
                    Val::Text("export_"),
                );
                self.offer(Kind::Exact, "dataset", &name, "typeProperties.firstRowAsHeader".into(), Val::Bool);
                self.offer(Kind::Exact, "dataset", &name, "typeProperties.columnDelimiter".into(), Val::Fixed("|"));
                self.offer(Kind::Remove, "dataset", &name, "-typeProperties.escapeChar".into(), Val::Fixed(""));
                self.offer(Kind::Add, "dataset", &name, "+typeProperties.encodingName".into(), Val::Fixed("UTF-8"));
                (ls, props)
            }
            DsKind::Parquet => {
                let ls = self.ls_of(LsKind::Adls);
                let props = json!({
                    "linkedServiceName": {"referenceName": ls, "type": "LinkedServiceReference"},
                    "annotations": [],
                    "type": "Parquet",
                    "typeProperties": {
                        "location": {
                            "type": "AzureBlobFSLocation",
                            "folderPath": format!("curated/{}", entity.to_lowercase()),
                            "fileSystem": "lake"
                        },
                        "compressionCodec": "snappy"
                    },
                    "schema": self.schema(false)
                });
                self.offer(
                    Kind::Exact,
                    "dataset",
                    &name,
                    "typeProperties.location.fileSystem".into(),
                    Val::Text("lake-prod-"),
                );
                self.offer(
                    Kind::Dollar,
                    "dataset",
                    &name,
                    "$.properties.typeProperties.compressionCodec".into(),
                    Val::Fixed("gzip"),
                );
                (ls, props)
            }
            DsKind::Sql => {
                let ls = self.ls_of(LsKind::Sql);
                let props = json!({
                    "linkedServiceName": {"referenceName": ls, "type": "LinkedServiceReference"},
                    "annotations": [],
                    "type": "AzureSqlTable",
                    "schema": self.schema(true),
                    "typeProperties": {"schema": "sales", "table": format!("{}_{i}", entity.replace(' ', "_"))}
                });
                self.offer(Kind::Exact, "dataset", &name, "typeProperties.table".into(), Val::Text("Orders_prod_"));
                self.offer(
                    Kind::Dollar,
                    "dataset",
                    &name,
                    "$.properties.typeProperties.schema".into(),
                    Val::Text("sales_"),
                );
                (ls, props)
            }
        };
        self.offer(Kind::Dollar, "dataset", &name, "$.properties.annotations".into(), Val::Array);
        let obj = props.as_object_mut().expect("dataset properties are an object");
        let mut ordered = serde_json::Map::new();
        for (k, v) in std::mem::take(obj) {
            if k == "annotations" {
                if self.rng.percent(15) {
                    ordered.insert(
                        "parameters".into(),
                        json!({"fileName": {"type": "string", "defaultValue": format!("part-{i}.csv")}}),
                    );
                }
                if let Some(f) = &folder {
                    ordered.insert("folder".into(), json!({"name": f}));
                }
            }
            ordered.insert(k, v);
        }
        let props = Value::Object(ordered);
        self.datasets.push((name.clone(), kind));
        self.push("dataset", name, folder, &props, vec![("linkedServices", ls)], Vec::new());
    }

    fn dataflow(&mut self, i: usize) {
        let name = format!("DF_{i:04}");
        let src = self.rng.below(self.datasets.len());
        let sink = self.rng.below(self.datasets.len());
        let (src, sink) = (self.datasets[src].0.clone(), self.datasets[sink].0.clone());
        let mut lines = vec![
            "parameters{".to_string(),
            "     env as string ('dev'),".to_string(),
            format!("     minAmount as double ({}.0)", i % 100),
            "}".to_string(),
            "source(output(".to_string(),
        ];
        let cols = self.rng.range(4, 12);
        for c in 0..cols {
            lines.push(format!(
                "          {} as string{}",
                COLUMNS[c % COLUMNS.len()],
                if c + 1 < cols { "," } else { "" }
            ));
        }
        lines.extend([
            "     ),".to_string(),
            "     allowSchemaDrift: true,".to_string(),
            "     validateSchema: false,".to_string(),
            "     ignoreNoFilesFound: false) ~> source1".to_string(),
            "source1 filter(amount > $minAmount) ~> FilterRows".to_string(),
            "FilterRows derive(env = $env, region = upper(trim(region))) ~> AddEnv".to_string(),
            "AddEnv sink(allowSchemaDrift: true,".to_string(),
            "     validateSchema: false,".to_string(),
            "     skipDuplicateMapInputs: true,".to_string(),
            "     skipDuplicateMapOutputs: true) ~> sink1".to_string(),
        ]);
        let folder = self.folder(40);
        let mut props = serde_json::Map::new();
        if let Some(f) = &folder {
            props.insert("folder".into(), json!({"name": f}));
        }
        props.insert("type".into(), json!("MappingDataFlow"));
        props.insert(
            "typeProperties".into(),
            json!({
                "sources": [{"dataset": {"referenceName": src, "type": "DatasetReference"}, "name": "source1"}],
                "sinks": [{"dataset": {"referenceName": sink, "type": "DatasetReference"}, "name": "sink1"}],
                "transformations": [{"name": "FilterRows"}, {"name": "AddEnv"}],
                "scriptLines": lines
            }),
        );
        self.offer(Kind::Exact, "dataflow", &name, "typeProperties.scriptLines[1]".into(), Val::Script);
        let mut deps = vec![("datasets", src.clone())];
        if sink != src {
            deps.push(("datasets", sink));
        }
        self.dataflows.push(name.clone());
        self.push("dataflow", name, folder, &Value::Object(props), deps, Vec::new());
    }

    fn depends_on(previous: Option<&str>) -> Value {
        match previous {
            None => json!([]),
            Some(p) => json!([{"activity": p, "dependencyConditions": ["Succeeded"]}]),
        }
    }

    /// Offer the row targets of an activity addressed by `path`.
    fn offer_activity(&mut self, pl: &Pl, kind: Kind, path: &str, activity: &str, ty: &str) {
        let name = &pl.name;
        let t = |s: &mut Self, suffix: &str, val: Val| {
            let key = format!("activity:{activity}.{suffix}");
            s.offer_keyed(kind, "pipeline", name, format!("{path}.{suffix}"), val, key);
        };
        match ty {
            "Copy" => {
                t(self, "policy.timeout", Val::Timeout);
                t(self, "policy.retry", Val::Int(0, 5));
                t(self, "policy.retryIntervalInSeconds", Val::Int(30, 300));
                t(self, "policy.secureOutput", Val::Bool);
                t(self, "typeProperties.enableStaging", Val::Bool);
                if pl.mapped.iter().any(|m| m == activity) {
                    t(self, "typeProperties.translator.mappings[0].sink.name", Val::Text("Col_"));
                }
                let key = format!("activity:{activity}.typeProperties.parallelCopies");
                let add = format!("+{path}.typeProperties.parallelCopies");
                self.offer_keyed(Kind::Add, "pipeline", name, add, Val::Int(2, 32), key);
            }
            "Wait" => t(self, "typeProperties.waitTimeInSeconds", Val::Int(1, 600)),
            "SetVariable" => {
                t(self, "typeProperties.value", Val::Text("done_"));
                t(self, "policy.secureOutput", Val::Bool);
            }
            "SetVariableExpression" => {
                t(self, "typeProperties.value.value", Val::Fixed("@toUpper(item())"));
                t(self, "policy.secureOutput", Val::Bool);
            }
            "IfCondition" => t(
                self,
                "typeProperties.expression.value",
                Val::Fixed("@equals(pipeline().globalParameters.envName, 'prod')"),
            ),
            "ForEach" => {
                t(self, "typeProperties.isSequential", Val::Bool);
                t(self, "typeProperties.batchCount", Val::Int(2, 20));
            }
            "ExecutePipeline" => t(self, "typeProperties.waitOnCompletion", Val::Bool),
            "ExecuteDataFlow" => t(self, "typeProperties.compute.coreCount", Val::Int(8, 32)),
            _ => {}
        }
        let key = format!("activity:{activity}.userProperties");
        self.offer_keyed(Kind::Remove, "pipeline", name, format!("-{path}.userProperties"), Val::Fixed(""), key);
    }

    fn selector(&mut self, array: &str, name: &str, index: usize, allow_index: bool) -> String {
        let roll = self.sample_rng.below(100);
        if allow_index && roll < 10 {
            format!("{array}[{index}]")
        } else if roll < 35 {
            format!("{array}['{name}']")
        } else {
            format!("{array}[\"{name}\"]")
        }
    }

    fn copy(&mut self, pl: &mut Pl, name: &str, previous: Option<&str>) -> Value {
        let input = self.rng.below(self.datasets.len());
        let output = self.rng.below(self.datasets.len());
        let (input, in_kind) = self.datasets[input].clone();
        let (output, out_kind) = self.datasets[output].clone();
        pl.add_ref("datasets", &input);
        pl.add_ref("datasets", &output);
        let source = match in_kind {
            DsKind::Csv => json!({
                "type": "DelimitedTextSource",
                "storeSettings": {
                    "type": "AzureBlobStorageReadSettings",
                    "recursive": true,
                    "wildcardFileName": "*.csv"
                }
            }),
            DsKind::Parquet => {
                json!({
                    "type": "ParquetSource",
                    "storeSettings": {"type": "AzureBlobFSReadSettings", "recursive": true}
                })
            }
            DsKind::Sql if self.rng.percent(50) => json!({
                "type": "AzureSqlSource",
                "sqlReaderQuery": {"value": query(&input), "type": "Expression"},
                "queryTimeout": "02:00:00"
            }),
            DsKind::Sql => json!({"type": "AzureSqlSource", "queryTimeout": "02:00:00", "partitionOption": "None"}),
        };
        let sink = match out_kind {
            DsKind::Csv => {
                json!({"type": "DelimitedTextSink", "storeSettings": {"type": "AzureBlobStorageWriteSettings"}})
            }
            DsKind::Parquet => json!({"type": "ParquetSink", "storeSettings": {"type": "AzureBlobFSWriteSettings"}}),
            DsKind::Sql => json!({"type": "AzureSqlSink", "writeBehavior": "insert"}),
        };
        let mapped = self.rng.percent(40);
        let escaped = mapped && self.rng.percent(50);
        let columns = if mapped { self.rng.range(2, 4) } else { 0 };
        let start = self.rng.below(COLUMNS.len());
        let mappings: Vec<Value> = (0..columns)
            .map(|c| {
                let col = COLUMNS[(start + c) % COLUMNS.len()];
                let source = match escaped {
                    true => json!({"path": format!("[['{col}']")}),
                    false => json!({"name": col, "type": "String"}),
                };
                let ty = if c == 0 { "Int32" } else { "String" };
                json!({"source": source, "sink": {"name": col.to_uppercase(), "type": ty}})
            })
            .collect();
        let mut type_properties = json!({"source": source, "sink": sink, "enableStaging": false});
        if mapped {
            let mut translator = json!({"type": "TabularTranslator", "mappings": mappings});
            if escaped {
                translator["collectionReference"] = json!("$['items']");
            }
            translator["typeConversion"] = json!(true);
            type_properties["translator"] = translator;
            pl.mapped.push(name.to_string());
        }
        let retry = self.rng.below(3);
        json!({
            "name": name,
            "type": "Copy",
            "dependsOn": Self::depends_on(previous),
            "policy": policy(retry),
            "userProperties": [],
            "typeProperties": type_properties,
            "inputs": [{"referenceName": input, "type": "DatasetReference", "parameters": {}}],
            "outputs": [{"referenceName": output, "type": "DatasetReference", "parameters": {}}]
        })
    }

    fn wait(name: &str, previous: Option<&str>, seconds: usize) -> Value {
        json!({
            "name": name,
            "type": "Wait",
            "dependsOn": Self::depends_on(previous),
            "userProperties": [],
            "typeProperties": {"waitTimeInSeconds": seconds}
        })
    }

    fn set_variable(name: &str, previous: Option<&str>, value: Value) -> Value {
        json!({
            "name": name,
            "type": "SetVariable",
            "dependsOn": Self::depends_on(previous),
            "policy": {"secureOutput": false, "secureInput": false},
            "userProperties": [],
            "typeProperties": {"variableName": "status", "value": value}
        })
    }

    /// An IfCondition with a Wait and a Copy when true, a SetVariable when false (4 activities).
    fn if_condition(&mut self, pl: &mut Pl, path: &str, previous: Option<&str>, kind: Kind) -> (String, Value) {
        let name = format!("If Has Rows {}", pl.next());
        let wait = format!("Wait {}", pl.next());
        let with_copy = self.rng.percent(20);
        let second = match with_copy {
            true => format!("Copy {} {}", self.rng.pick(&ENTITIES), pl.next()),
            false => format!("Set Flag {}", pl.next()),
        };
        let set = format!("Set Status {}", pl.next());
        let seconds = self.rng.range(5, 120);
        let (second_value, second_type) = match with_copy {
            true => (self.copy(pl, &second, Some(&wait)), "Copy"),
            false => (Self::set_variable(&second, Some(&wait), json!("has rows")), "SetVariable"),
        };
        let inner = if kind == Kind::Exact { Kind::Nested } else { kind };
        let true_path = format!("{path}.typeProperties");
        let w = self.selector(&format!("{true_path}.ifTrueActivities"), &wait, 0, true);
        self.offer_activity(pl, inner, &w, &wait, "Wait");
        let c = self.selector(&format!("{true_path}.ifTrueActivities"), &second, 1, true);
        self.offer_activity(pl, inner, &c, &second, second_type);
        let s = self.selector(&format!("{true_path}.ifFalseActivities"), &set, 0, true);
        self.offer_activity(pl, inner, &s, &set, "SetVariable");
        let expression = format!("@greater(activity('{}').output.rowsCopied, 0)", previous.unwrap_or("none"));
        let value = json!({
            "name": name,
            "type": "IfCondition",
            "dependsOn": Self::depends_on(previous),
            "userProperties": [],
            "typeProperties": {
                "expression": {"value": expression, "type": "Expression"},
                "ifFalseActivities": [Self::set_variable(&set, None, json!("no data"))],
                "ifTrueActivities": [Self::wait(&wait, None, seconds), second_value]
            }
        });
        (name, value)
    }

    /// A ForEach over regions with a SetVariable and a Copy or Wait, or an If (3 or 6 activities).
    fn for_each(&mut self, pl: &mut Pl, path: &str, previous: Option<&str>, with_if: bool) -> (String, Value) {
        let name = format!("ForEach Region {}", pl.next());
        let set = format!("Set Region {}", pl.next());
        let inner_path = format!("{path}.typeProperties");
        let s = self.selector(&format!("{inner_path}.activities"), &set, 0, true);
        self.offer_activity(pl, Kind::Nested, &s, &set, "SetVariableExpression");
        let set_value = Self::set_variable(&set, None, json!({"value": "@item()", "type": "Expression"}));
        let second = if with_if {
            let preview = format!("If Has Rows {}", pl.counter + 1);
            let if_path = self.selector(&format!("{inner_path}.activities"), &preview, 1, true);
            let (if_name, value) = self.if_condition(pl, &if_path, Some(&set), Kind::Nested);
            self.offer_activity(pl, Kind::Nested, &if_path, &if_name, "IfCondition");
            value
        } else if self.rng.percent(15) {
            let copy = format!("Copy {} {}", self.rng.pick(&ENTITIES), pl.next());
            let c = self.selector(&format!("{inner_path}.activities"), &copy, 1, true);
            self.offer_activity(pl, Kind::Nested, &c, &copy, "Copy");
            self.copy(pl, &copy, Some(&set))
        } else {
            let wait = format!("Wait {}", pl.next());
            let w = self.selector(&format!("{inner_path}.activities"), &wait, 1, true);
            self.offer_activity(pl, Kind::Nested, &w, &wait, "Wait");
            Self::wait(&wait, Some(&set), self.rng.range(1, 60))
        };
        let batch = self.rng.range(2, 20);
        let value = json!({
            "name": name,
            "type": "ForEach",
            "dependsOn": Self::depends_on(previous),
            "userProperties": [],
            "typeProperties": {
                "items": {"value": "@pipeline().parameters.regions", "type": "Expression"},
                "isSequential": false,
                "batchCount": batch,
                "activities": [set_value, second]
            }
        });
        (name, value)
    }

    fn pipeline(&mut self, index: usize) {
        let name = if self.rng.percent(10) { format!("PL Load {index:05}") } else { format!("PL_{index:05}") };
        let mut pl = Pl { refs: Vec::new(), mapped: Vec::new(), counter: 0, index, name: name.clone() };
        // 5..=15 activities (nested ones included), most pipelines at the small end.
        let total = 5 + self.rng.below(11) * self.rng.below(11) / 10;
        let mut used = 0;
        let mut activities: Vec<Value> = Vec::new();
        let mut previous: Option<String> = None;
        let mut has_for_each = false;
        while used < total {
            let left = total - used;
            let position = activities.len();
            let roll = if position == 0 { 0 } else { self.rng.below(100) };
            let kind = if self.rng.percent(75) { Kind::Exact } else { Kind::Dollar };
            let prefix = if kind == Kind::Dollar { "$.properties.activities" } else { "activities" };
            let mut own_path = None;
            let (act_name, value, ty, cost) = if roll < 8 {
                let act = format!("Copy {} {}", self.rng.pick(&ENTITIES), pl.next());
                (act.clone(), self.copy(&mut pl, &act, previous.as_deref()), "Copy", 1)
            } else if roll < 22 && left >= 4 {
                let preview = format!("If Has Rows {}", pl.counter + 1);
                let path = self.selector(prefix, &preview, position, true);
                let (n, v) = self.if_condition(&mut pl, &path, previous.as_deref(), kind);
                own_path = Some(path);
                (n, v, "IfCondition", 4)
            } else if roll < 34 && left >= 3 {
                let with_if = left >= 6 && self.rng.percent(30);
                let preview = format!("ForEach Region {}", pl.counter + 1);
                let path = self.selector(prefix, &preview, position, true);
                let (n, v) = self.for_each(&mut pl, &path, previous.as_deref(), with_if);
                own_path = Some(path);
                has_for_each = true;
                (n, v, "ForEach", if with_if { 6 } else { 3 })
            } else if roll < 46 && index > 0 {
                let target = self.pipelines[self.rng.below(index)].clone();
                pl.add_ref("pipelines", &target);
                let act = format!("Run {} {}", target, pl.next());
                let value = json!({
                    "name": act,
                    "type": "ExecutePipeline",
                    "dependsOn": Self::depends_on(previous.as_deref()),
                    "policy": {"secureInput": false},
                    "userProperties": [],
                    "typeProperties": {
                        "pipeline": {"referenceName": target, "type": "PipelineReference"},
                        "waitOnCompletion": true,
                        "parameters": {"loadDate": {"value": "@pipeline().parameters.loadDate", "type": "Expression"}}
                    }
                });
                (act, value, "ExecutePipeline", 1)
            } else if roll < 51 {
                let df = self.dataflows[self.rng.below(self.dataflows.len())].clone();
                pl.add_ref("dataflows", &df);
                let act = format!("Transform {}", pl.next());
                let value = json!({
                    "name": act,
                    "type": "ExecuteDataFlow",
                    "dependsOn": Self::depends_on(previous.as_deref()),
                    "policy": policy(0),
                    "userProperties": [],
                    "typeProperties": {
                        "dataflow": {
                            "referenceName": df,
                            "type": "DataFlowReference",
                            "parameters": {
                                "env": {"value": "'@{pipeline().globalParameters.envName}'", "type": "Expression"}
                            },
                            "datasetParameters": {"source1": {}, "sink1": {}}
                        },
                        "staging": {},
                        "compute": {"coreCount": 8, "computeType": "General"},
                        "traceLevel": "Fine"
                    }
                });
                (act, value, "ExecuteDataFlow", 1)
            } else if roll < 76 {
                let act = format!("Wait {}", pl.next());
                let seconds = self.rng.range(1, 300);
                (act.clone(), Self::wait(&act, previous.as_deref(), seconds), "Wait", 1)
            } else {
                let act = format!("Set Status {}", pl.next());
                (act.clone(), Self::set_variable(&act, previous.as_deref(), json!("loaded")), "SetVariable", 1)
            };
            let path = match own_path {
                Some(path) => path,
                None => self.selector(prefix, &act_name, position, true),
            };
            self.offer_activity(&pl, kind, &path, &act_name, ty);
            activities.push(value);
            previous = Some(act_name);
            used += cost;
        }
        let folder = self.folder(15);
        let mut props = serde_json::Map::new();
        if self.rng.percent(20) {
            props.insert(
                "description".into(),
                json!(format!(
                    "Charge les données {} — synthetic bench pipeline {index}",
                    ENTITIES[index % ENTITIES.len()]
                )),
            );
        }
        props.insert("activities".into(), Value::Array(activities));
        props.insert("policy".into(), json!({"elapsedTimeMetric": {}}));
        let mut parameters = json!({"loadDate": {"type": "string", "defaultValue": "2024-01-01"}});
        if has_for_each {
            parameters["regions"] = json!({"type": "array", "defaultValue": ["westeurope", "northeurope"]});
        }
        props.insert("parameters".into(), parameters);
        props.insert("variables".into(), json!({"status": {"type": "String"}}));
        if let Some(f) = &folder {
            props.insert("folder".into(), json!({"name": f}));
        }
        props.insert("annotations".into(), json!([]));
        props.insert("lastPublishTime".into(), json!("2024-05-14T09:12:44Z"));
        self.offer(
            Kind::Dollar,
            "pipeline",
            &name,
            "$.properties.parameters.loadDate.defaultValue".into(),
            Val::Text("2025-0"),
        );
        self.offer(Kind::Dollar, "pipeline", &name, "$.properties.annotations".into(), Val::Array);
        self.pipelines.push(name.clone());
        let deps = std::mem::take(&mut pl.refs);
        self.push("pipeline", name, folder, &Value::Object(props), deps, Vec::new());
    }

    fn trigger(&mut self, i: usize) {
        let earlier_windows: Vec<String> = self.triggers.iter().filter(|(_, w)| *w).map(|(n, _)| n.clone()).collect();
        let window = i == 1 || (i > 1 && self.rng.percent(40));
        let state = if self.rng.percent(70) { "Started" } else { "Stopped" };
        let mut deps = Vec::new();
        let (name, props) = if window {
            let name = format!("TR_Window_{i:03}");
            let pipeline = self.pipelines[self.rng.below(self.pipelines.len())].clone();
            deps.push(("pipelines", pipeline.clone()));
            let mut depends = Vec::new();
            if !earlier_windows.is_empty() && self.rng.percent(50) {
                let target = self.rng.pick(&earlier_windows).clone();
                depends.push(json!({
                    "type": "TumblingWindowTriggerDependencyReference",
                    "referenceTrigger": {"referenceName": target, "type": "TriggerReference"},
                    "offset": "-01:00:00",
                    "size": "01:00:00"
                }));
                deps.push(("triggers", target));
            }
            self.offer(Kind::Exact, "trigger", &name, "typeProperties.maxConcurrency".into(), Val::Int(1, 50));
            self.offer(Kind::Exact, "trigger", &name, "typeProperties.delay".into(), Val::Fixed("00:10:00"));
            let props = json!({
                "annotations": [],
                "runtimeState": state,
                "pipeline": {
                    "pipelineReference": {"referenceName": pipeline, "type": "PipelineReference"},
                    "parameters": {"loadDate": "@trigger().outputs.windowStartTime"}
                },
                "type": "TumblingWindowTrigger",
                "typeProperties": {
                    "frequency": "Hour",
                    "interval": 1 + i % 4,
                    "startTime": "2024-01-01T00:00:00Z",
                    "delay": "00:00:00",
                    "maxConcurrency": 4,
                    "retryPolicy": {"count": 2, "intervalInSeconds": 30},
                    "dependsOn": depends
                }
            });
            (name, props)
        } else {
            let name = format!("TR_Sched_{i:03}");
            let count = self.rng.range(1, 3);
            let mut pipelines = Vec::new();
            for _ in 0..count {
                let p = self.pipelines[self.rng.below(self.pipelines.len())].clone();
                if deps.iter().any(|(_, n)| *n == p) {
                    continue;
                }
                pipelines.push(json!({
                    "pipelineReference": {"referenceName": p, "type": "PipelineReference"},
                    "parameters": {"loadDate": "@trigger().scheduledTime"}
                }));
                deps.push(("pipelines", p));
            }
            self.offer(Kind::Exact, "trigger", &name, "typeProperties.recurrence.interval".into(), Val::Int(1, 12));
            self.offer(Kind::Exact, "trigger", &name, "typeProperties.recurrence.schedule.hours".into(), Val::Hours);
            let props = json!({
                "annotations": [],
                "runtimeState": state,
                "pipelines": pipelines,
                "type": "ScheduleTrigger",
                "typeProperties": {
                    "recurrence": {
                        "frequency": "Day",
                        "interval": 1,
                        "startTime": "2024-01-01T02:00:00Z",
                        "timeZone": "UTC",
                        "schedule": {"minutes": [0], "hours": [i % 24]}
                    }
                }
            });
            (name, props)
        };
        self.offer(Kind::Exact, "trigger", &name, "runtimeState".into(), Val::State);
        self.triggers.push((name.clone(), window));
        self.push("trigger", name, None, &props, deps, Vec::new());
    }

    // ---------------------------------------------------------------- writing

    fn parameter_declarations(&self, used: Option<&HashSet<&str>>, extra: bool) -> String {
        let mut decl = serde_json::Map::new();
        decl.insert(
            "factoryName".into(),
            json!({"type": "string", "metadata": "Data Factory name", "defaultValue": FACTORY}),
        );
        let ordered = self.params.iter().filter(|p| p.secure).chain(self.params.iter().filter(|p| !p.secure));
        for p in ordered {
            if used.is_some_and(|u| !u.contains(p.name.as_str())) {
                continue;
            }
            let value = if p.secure {
                let metadata = format!("Secure string for '{}' of '{}'", p.property, p.object);
                json!({"type": "secureString", "metadata": metadata})
            } else {
                json!({"type": "string", "defaultValue": p.default.clone().unwrap_or_default()})
            };
            decl.insert(p.name.clone(), value);
        }
        if extra {
            decl.insert(
                "containerUri".into(),
                json!({"type": "string", "metadata": "URI to storage account containing linked ARM templates"}),
            );
            decl.insert(
                "containerSasToken".into(),
                json!({"type": "string", "metadata": "Sas token to storage account containing linked ARM templates"}),
            );
        }
        pretty(&Value::Object(decl), 1)
    }

    fn parameter_values(&self, extra: bool) -> String {
        let mut values = serde_json::Map::new();
        values.insert("factoryName".into(), json!({"value": FACTORY}));
        let ordered = self.params.iter().filter(|p| p.secure).chain(self.params.iter().filter(|p| !p.secure));
        for p in ordered {
            values.insert(p.name.clone(), json!({"value": p.default.clone().unwrap_or_default()}));
        }
        if extra {
            values.insert("containerUri".into(), json!({"value": ""}));
            values.insert("containerSasToken".into(), json!({"value": ""}));
        }
        let mut text = String::new();
        let _ = write!(
            text,
            "{{\n\t\"$schema\": {},\n\t\"contentVersion\": \"1.0.0.0\",\n\t\"parameters\": {}\n}}",
            json_str(PARAMETERS_SCHEMA),
            pretty(&Value::Object(values), 1)
        );
        text
    }

    fn write_resource(&self, out: &mut String, r: &Res, keep: &dyn Fn(&(&'static str, String)) -> bool) {
        let name_expr = if r.otype == "factory" {
            "[parameters('factoryName')]".to_string()
        } else {
            format!("[concat(parameters('factoryName'), '/{}')]", r.name)
        };
        let _ = write!(
            out,
            concat!(
                "\t\t{{\n\t\t\t\"name\": {},\n\t\t\t\"type\": {},\n\t\t\t\"apiVersion\": \"2018-06-01\",\n",
                "\t\t\t\"properties\": {},\n\t\t\t\"dependsOn\": ["
            ),
            json_str(&name_expr),
            json_str(r.rtype),
            r.props
        );
        let mut first = true;
        for (i, dep) in r.deps.iter().enumerate() {
            if !keep(dep) {
                continue;
            }
            let entry = if r.resource_id_form[i] {
                format!(
                    "[resourceId('Microsoft.DataFactory/factories/{}', parameters('factoryName'), '{}')]",
                    dep.0, dep.1
                )
            } else {
                format!("[concat(variables('factoryId'), '/{}/{}')]", dep.0, dep.1)
            };
            out.push_str(if first { "\n\t\t\t\t" } else { ",\n\t\t\t\t" });
            out.push_str(&json_str(&entry));
            first = false;
        }
        out.push_str(if first { "]" } else { "\n\t\t\t]" });
        if r.otype == "factory" {
            out.push_str(concat!(
                ",\n\t\t\t\"location\": \"[parameters('dataFactory_location')]\",\n",
                "\t\t\t\"identity\": {\n\t\t\t\t\"type\": \"SystemAssigned\"\n\t\t\t}"
            ));
        }
        out.push_str("\n\t\t}");
    }

    fn template(&self, parameters: &str, resources: &[&Res], keep: &dyn Fn(&(&'static str, String)) -> bool) -> String {
        let bytes: usize = resources.iter().map(|r| r.props.len() + 300).sum();
        let mut out = String::with_capacity(bytes + parameters.len() + 512);
        out.push_str(&head(parameters));
        for (i, r) in resources.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            self.write_resource(&mut out, r, keep);
        }
        out.push_str(if resources.is_empty() { "]\n}" } else { "\n\t]\n}" });
        out
    }

    /// ADF's single-file order: pipelines, datasets, linked services, data
    /// flows, triggers (each by name), the factory last. References point
    /// forward as often as backward.
    fn single_files(&self) -> Vec<(String, String)> {
        const RANK: [&str; 6] = ["pipeline", "dataset", "linkedService", "dataflow", "trigger", "factory"];
        let mut order: Vec<&Res> = self.res.iter().collect();
        order.sort_by(|a, b| {
            let ra = RANK.iter().position(|t| *t == a.otype);
            let rb = RANK.iter().position(|t| *t == b.otype);
            ra.cmp(&rb).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        });
        let template = self.template(&self.parameter_declarations(None, false), &order, &|_| true);
        vec![
            ("ARMTemplateForFactory.json".to_string(), template),
            ("ARMTemplateParametersForFactory.json".to_string(), self.parameter_values(false)),
        ]
    }

    /// Linked layout: resources in dependency order (the factory, linked
    /// services, datasets, data flows, pipelines, triggers: each only uses
    /// earlier ones), cut into parts of [`PART_SIZE`].
    fn linked_files(&self) -> Vec<(String, String)> {
        let mut order: Vec<&Res> = self.res.iter().collect();
        order.sort_by_key(|r| r.order);
        let parts: Vec<&[&Res]> = order.chunks(PART_SIZE).collect();
        let mut part_of: HashMap<(&str, &str), usize> = HashMap::new();
        for (p, chunk) in parts.iter().enumerate() {
            for r in chunk.iter() {
                part_of.insert((collection(r.otype), r.name.as_str()), p);
            }
        }
        let mut files = Vec::new();
        let mut master_resources = String::new();
        for (p, chunk) in parts.iter().enumerate() {
            let used: HashSet<&str> = chunk.iter().flat_map(|r| r.params.iter().map(String::as_str)).collect();
            let keep = |dep: &(&'static str, String)| part_of.get(&(dep.0, dep.1.as_str())) == Some(&p);
            let text = self.template(&self.parameter_declarations(Some(&used), false), chunk, &keep);
            files.push((format!("linkedTemplates/ArmTemplate_{p}.json"), text));
            let mut passed = serde_json::Map::new();
            passed.insert("factoryName".into(), json!({"value": "[parameters('factoryName')]"}));
            let ordered = self.params.iter().filter(|q| q.secure).chain(self.params.iter().filter(|q| !q.secure));
            for q in ordered.filter(|q| used.contains(q.name.as_str())) {
                passed.insert(q.name.clone(), json!({"value": format!("[parameters('{}')]", q.name)}));
            }
            let depends = if p == 0 {
                json!([])
            } else {
                json!([format!("[resourceId('Microsoft.Resources/deployments', '{FACTORY}_ArmTemplate_{}')]", p - 1)])
            };
            let uri = format!(
                "[concat(parameters('containerUri'), '/ArmTemplate_{p}.json', parameters('containerSasToken'))]"
            );
            let deployment = json!({
                "name": format!("{FACTORY}_ArmTemplate_{p}"),
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2018-02-01",
                "properties": {
                    "mode": "incremental",
                    "templateLink": {
                        "uri": uri,
                        "contentVersion": "1.0.0.0"
                    },
                    "parameters": passed
                },
                "dependsOn": depends
            });
            master_resources.push_str(if p == 0 { "\n\t\t" } else { ",\n\t\t" });
            master_resources.push_str(&pretty(&deployment, 2));
        }
        let mut master = head(&self.parameter_declarations(None, true));
        master.push_str(&master_resources);
        master.push_str(if parts.is_empty() { "]\n}" } else { "\n\t]\n}" });
        let mut all = vec![
            ("linkedTemplates/ArmTemplate_master.json".to_string(), master),
            ("linkedTemplates/ArmTemplateParameters_master.json".to_string(), self.parameter_values(true)),
        ];
        all.extend(files);
        all
    }

    // ------------------------------------------------------------------ rows

    fn value(&mut self, val: Val) -> String {
        let r = &mut self.pick_rng;
        match val {
            Val::Timeout => format!("0.{:02}:00:00", r.range(1, 23)),
            Val::Int(lo, hi) => r.range(lo, hi).to_string(),
            Val::Bool => r.pick(&["true", "false", "True", "$true", "$false", "FALSE"]).to_string(),
            Val::Text(prefix) => format!("{prefix}{}", r.below(1000)),
            Val::Fixed(s) => s.to_string(),
            Val::Url => format!("https://prod-{}.example.com/api/", r.below(1000)),
            Val::Conn => format!(
                "Server=tcp:sql-prod-{}.database.windows.net,1433;Database=sales;{}",
                r.below(100),
                "Authentication=Active Directory Managed Identity"
            ),
            Val::State => r.pick(&["Started", "Stopped"]).to_string(),
            Val::Script => format!("     env as string ('prod{}'),", r.below(10)),
            Val::Array => format!("[\"prod\",\"bench-{}\"]", r.below(100)),
            Val::Hours => format!("[{},{}]", r.below(12), 12 + r.below(12)),
        }
    }

    fn type_label(&mut self, otype: &str) -> String {
        match (otype, self.pick_rng.below(10)) {
            ("linkedService", 0) => "linkedservice".into(),
            ("pipeline", 0) => "Pipeline".into(),
            ("dataset", 0) => "DataSet".into(),
            _ => otype.to_string(),
        }
    }

    fn row(&mut self, otype: &str, name: &str, path: &str, value: &str) -> String {
        let label = self.type_label(otype);
        format!("{},{},{},{}\n", csv(&label), csv(name), csv(path), csv(value))
    }

    /// Wildcard rows: a name pattern and the property every match has.
    fn wildcard_row(&mut self) -> Option<String> {
        let choice = self.pick_rng.below(5);
        let (otype, prefix, path, val): (&str, &str, &str, Val) = match choice {
            0 => ("dataset", "DS_Sales_", "typeProperties.location.folderPath", Val::Text("sales/prod/")),
            1 => ("dataset", "DS_Curated_", "typeProperties.location.folderPath", Val::Text("curated/prod/")),
            2 => ("dataset", "DS_Sql_", "typeProperties.schema", Val::Text("sales_prod_")),
            3 => ("pipeline", "PL_0", "+$.properties.annotations", Val::Array),
            _ => ("trigger", "TR_Sched_", "runtimeState", Val::State),
        };
        let names: Vec<&String> = match otype {
            "dataset" => self.datasets.iter().map(|(n, _)| n).filter(|n| n.starts_with(prefix)).collect(),
            "pipeline" => self.pipelines.iter().filter(|n| n.starts_with(prefix)).collect(),
            _ => self.triggers.iter().map(|(n, _)| n).filter(|n| n.starts_with(prefix)).collect(),
        };
        if names.is_empty() {
            return None;
        }
        // A pattern built from a real name: the prefix plus 1 or 2 of its digits.
        let sample = names[self.pick_rng.below(names.len())].clone();
        let digits = &sample[prefix.len()..];
        let keep = (1 + self.pick_rng.below(2)).min(digits.len());
        let pattern = if self.pick_rng.percent(20) && digits.len() == keep + 1 {
            format!("{prefix}{}?", &digits[..keep])
        } else {
            format!("{prefix}{}*", &digits[..keep])
        };
        let value = self.value(val);
        Some(self.row(otype, &pattern, path, &value))
    }

    /// JSONPath rows, on exact pipeline names (every pipeline starts with a Copy).
    fn jsonpath_row(&mut self) -> String {
        let name = self.pipelines[self.pick_rng.below(self.pipelines.len())].clone();
        if self.pick_rng.percent(60) {
            let v = self.value(Val::Timeout);
            self.row("pipeline", &name, "$.properties.activities[?(@.type=='Copy')].policy.timeout", &v)
        } else {
            let v = self.value(Val::Int(1, 5));
            self.row("pipeline", &name, "$.properties.activities[?(@.type=='Copy')].policy.retry", &v)
        }
    }

    fn rows_csv(&mut self, count: usize) -> String {
        let mut out = String::from("type,name,path,value\n");
        let _ = writeln!(out, "# config-bench.csv: {count} rows for {FACTORY}, generated by examples/gen-factory.rs");
        let mut done: HashSet<(String, String)> = HashSet::new();
        // Removals must never meet another row on the same property.
        let mut removed: HashSet<(String, String)> = HashSet::new();
        let mut written = 0;
        // Weights in percent: exact, nested, dollar, add, remove, param, wildcard, jsonpath.
        const WEIGHTS: [usize; 8] = [44, 16, 10, 8, 5, 8, 5, 4];
        while written < count {
            if written > 0 && written % 250 == 0 {
                let _ = writeln!(out, "\n# --- block {} ---", written / 250);
            }
            let mut roll = self.pick_rng.below(100);
            let mut slot = 0;
            while slot < WEIGHTS.len() - 1 && roll >= WEIGHTS[slot] {
                roll -= WEIGHTS[slot];
                slot += 1;
            }
            let line = match slot {
                6 => self.wildcard_row(),
                7 => Some(self.jsonpath_row()),
                _ => self.pool_row(KINDS[slot], &mut done, &mut removed),
            };
            if let Some(line) = line {
                out.push_str(&line);
                written += 1;
            }
        }
        out
    }

    fn pool_row(
        &mut self,
        kind: Kind,
        done: &mut HashSet<(String, String)>,
        removed: &mut HashSet<(String, String)>,
    ) -> Option<String> {
        let pool = &self.pools[KINDS.iter().position(|k| *k == kind).unwrap_or(0)];
        if pool.items.is_empty() {
            return None;
        }
        let len = pool.items.len();
        for attempt in 0..8 {
            let t =
                self.pools[KINDS.iter().position(|k| *k == kind).unwrap_or(0)].items[self.pick_rng.below(len)].clone();
            let key = (t.name.clone(), t.key.clone());
            if removed.contains(&key) {
                continue;
            }
            if kind == Kind::Remove {
                if done.contains(&key) {
                    continue;
                }
                removed.insert(key.clone());
            } else if done.contains(&key) && attempt < 7 {
                continue;
            }
            done.insert(key);
            let value = self.value(t.val);
            return Some(self.row(t.otype, &t.name, &t.path, &value));
        }
        None
    }

    // ----------------------------------------------------------------- rules

    fn objects(&self) -> Vec<Obj> {
        self.res.iter().map(|r| Obj { otype: r.otype, name: r.name.clone(), folder: r.folder.clone() }).collect()
    }

    /// Rules that each match something and keep most objects deployed;
    /// returns the file, the number of rules (fewer than asked only when the
    /// factory is too small) and the number of objects deployed.
    fn rules_file(&mut self, count: usize) -> (String, usize, usize) {
        let objects = self.objects();
        let total = objects.len();
        let mut rules: Vec<Rule> = Vec::new();
        // With fewer than 8 rules there is no room for the broad includes: excludes only.
        let includes = count >= 8;
        if includes {
            for t in ["pipeline", "dataset", "linkedService", "dataflow", "trigger", "factory"] {
                rules.push(Rule::new(true, t, "*", None, t == "dataset"));
            }
        }
        let budget = total / 12;
        let mut excluded = vec![false; total];
        let mut n_excluded = 0;
        let mut guard = 0;
        while rules.len() < count && guard < count * 200 {
            guard += 1;
            let Some(rule) = self.rule_candidate(&objects) else { continue };
            if (rule.include && !includes) || rules.iter().any(|r| r.text() == rule.text()) {
                continue;
            }
            let hits: Vec<usize> = (0..total).filter(|&i| rule.matches(&objects[i])).collect();
            if hits.is_empty() {
                continue;
            }
            if !rule.include {
                let new = hits.iter().filter(|&&i| !excluded[i]).count();
                if n_excluded + new > budget {
                    continue;
                }
                for i in hits {
                    excluded[i] = true;
                }
                n_excluded += new;
            }
            rules.push(rule);
        }
        let deployed = total - n_excluded;
        let mut out =
            format!("# bench.rules: {} rules for {FACTORY}, generated by examples/gen-factory.rs\n", rules.len());
        let _ = writeln!(out, "# {deployed} of {total} objects stay deployed\n");
        for (i, r) in rules.iter().enumerate() {
            out.push_str(&r.text());
            if r.unsigned {
                out.push_str("    # no sign means include");
            }
            out.push('\n');
            if i == 5 && includes {
                out.push_str("\n# narrower rules\n");
            }
        }
        (out, rules.len(), deployed)
    }

    fn rule_candidate(&mut self, objects: &[Obj]) -> Option<Rule> {
        let r = &mut self.pick_rng;
        let o = &objects[r.below(objects.len())];
        let (otype, name, folder) = (o.otype, o.name.as_str(), o.folder.as_deref());
        // `name` cut after its 4th..6th character, plus `*`.
        let prefix = |r: &mut Rng| -> String {
            let cut = name.char_indices().map(|(i, _)| i).filter(|i| *i >= 4).nth(r.below(3)).unwrap_or(name.len());
            format!("{}*", &name[..cut])
        };
        // `name` with its last character replaced by `?`.
        let sibling = || -> String {
            let cut = name.char_indices().last().map_or(0, |(i, _)| i);
            format!("{}?", &name[..cut])
        };
        match r.below(8) {
            0 => Some(Rule::new(true, otype, &prefix(r), None, false)),
            1 => folder.map(|f| {
                let top = f.split('/').next().unwrap_or(f);
                Rule::new(true, "*", "*", Some(format!("{top}*")), r.percent(50))
            }),
            2 => folder.map(|f| Rule::new(true, otype, "*", Some(f.to_string()), false)),
            3 | 4 => (otype != "factory").then(|| Rule::new(false, otype, name, None, false)),
            5 => matches!(otype, "trigger" | "dataset" | "pipeline")
                .then(|| Rule::new(false, otype, &sibling(), None, false)),
            6 => folder.filter(|f| f.contains('/')).map(|f| Rule::new(false, "*", "*", Some(f.to_string()), false)),
            _ => (otype == "pipeline").then(|| Rule::new(false, otype, name, folder.map(str::to_string), false)),
        }
    }
}

/// What a rule sees of an object.
#[derive(Clone, Debug)]
struct Obj {
    otype: &'static str,
    name: String,
    folder: Option<String>,
}

/// One selection rule: `[+|-]type.name[@folder]`.
#[derive(Clone, Debug)]
struct Rule {
    include: bool,
    otype: String,
    name: String,
    folder: Option<String>,
    /// Written without a sign, with a trailing comment.
    unsigned: bool,
}

impl Rule {
    fn new(include: bool, otype: &str, name: &str, folder: Option<String>, unsigned: bool) -> Self {
        Rule { include, otype: otype.to_string(), name: name.to_string(), folder, unsigned: unsigned && include }
    }

    fn text(&self) -> String {
        let sign = if !self.include {
            "-"
        } else if self.unsigned {
            ""
        } else {
            "+"
        };
        match &self.folder {
            Some(f) => format!("{sign}{}.{}@{f}", self.otype, self.name),
            None => format!("{sign}{}.{}", self.otype, self.name),
        }
    }

    fn matches(&self, o: &Obj) -> bool {
        glob(&self.otype, o.otype)
            && glob(&self.name, &o.name)
            && match (&self.folder, o.folder.as_deref()) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(p), Some(f)) => glob(p, f),
            }
    }
}

/// Case-insensitive wildcard match: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    fn class(p: &[char], c: char) -> Option<(bool, usize)> {
        let mut i = 1;
        let negate = p.get(1) == Some(&'!');
        if negate {
            i += 1;
        }
        let mut hit = false;
        let start = i;
        while i < p.len() && (p[i] != ']' || i == start) {
            if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
                hit |= p[i] <= c && c <= p[i + 2];
                i += 3;
            } else {
                hit |= p[i] == c;
                i += 1;
            }
        }
        (i < p.len()).then_some((hit != negate, i + 1))
    }
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|k| go(&p[1..], &t[k..])),
            Some('?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some('[') if !t.is_empty() => match class(p, t[0]) {
                Some((true, used)) => go(&p[used..], &t[1..]),
                Some((false, _)) => false,
                None => t[0] == '[' && go(&p[1..], &t[1..]),
            },
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    go(&p, &t)
}

/// A template up to the opening bracket of `resources`.
fn head(parameters: &str) -> String {
    format!(
        concat!(
            "{{\n\t\"$schema\": {},\n\t\"contentVersion\": \"1.0.0.0\",\n\t\"parameters\": {},\n",
            "\t\"variables\": {{\n\t\t\"factoryId\": {}\n\t}},\n\t\"resources\": ["
        ),
        json_str(TEMPLATE_SCHEMA),
        parameters,
        json_str(FACTORY_ID)
    )
}

/// An activity policy as the ADF UI writes it.
fn policy(retry: usize) -> Value {
    json!({
        "timeout": "0.12:00:00",
        "retry": retry,
        "retryIntervalInSeconds": 30,
        "secureOutput": false,
        "secureInput": false
    })
}

/// An ADF expression selecting one load date from a table named after `dataset`.
fn query(dataset: &str) -> String {
    let table = dataset.replace(' ', "_");
    format!("@concat('SELECT * FROM sales.{table} WHERE load_date = ''', pipeline().parameters.loadDate, '''')")
}

/// One CSV field, quoted when needed (RFC 4180).
fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r'])
        || field.starts_with(' ')
        || field.ends_with(' ')
        || field.starts_with('#')
    {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// `Path` of the template to give `--template` for a generated folder (`--factory-dir` for a Git folder).
pub fn template_path(out: &Path, layout: Layout) -> PathBuf {
    match layout {
        Layout::Single => out.join("ARMTemplateForFactory.json"),
        Layout::Linked => out.join("linkedTemplates"),
        Layout::Folder => out.to_path_buf(),
    }
}

/// The Git folder of an object type.
fn git_folder(otype: &str) -> &'static str {
    match otype {
        "pipeline" => "pipeline",
        "dataset" => "dataset",
        "linkedService" => "linkedService",
        "dataflow" => "dataflow",
        "trigger" => "trigger",
        _ => "factory",
    }
}

impl Gen {
    /// ADF's Git folder of the factory: what the template says, before ADF's
    /// exporter parameterized it (parameter references become their default
    /// values, secure ones a value ADF keeps encrypted), TAB-indented as ADF
    /// writes it.
    fn folder_files(&self) -> Vec<(String, String)> {
        let defaults: HashMap<String, &Param> =
            self.params.iter().map(|p| (format!("[parameters('{}')]", p.name), p)).collect();
        let mut files = vec![("publish_config.json".to_string(), "{\"publishBranch\":\"adf_publish\"}".to_string())];
        for r in &self.res {
            let mut props: Value = serde_json::from_str(&r.props).unwrap_or(Value::Null);
            let encrypted = unparameterize(&mut props, &defaults);
            if encrypted && let Some(tp) = props.get_mut("typeProperties").and_then(Value::as_object_mut) {
                tp.insert("encryptedCredential".into(), json!(ENCRYPTED_CREDENTIAL));
            }
            let object = if r.otype == "factory" {
                json!({"name": r.name, "properties": props, "location": "westeurope"})
            } else {
                json!({"name": r.name, "properties": props, "type": r.rtype})
            };
            files.push((format!("{}/{}.json", git_folder(r.otype), r.name), pretty(&object, 0)));
        }
        files
    }
}

/// Replace parameter references by what the folder holds and unescape `[[`
/// literals; true when a secure parameter was replaced (the folder then holds
/// an encrypted credential).
fn unparameterize(value: &mut Value, defaults: &HashMap<String, &Param>) -> bool {
    match value {
        Value::String(s) => match defaults.get(s.as_str()) {
            Some(p) if p.secure => {
                *s = format!("Server=tcp:{}.example.net;Database=bench;", p.object.to_lowercase().replace(' ', "-"));
                true
            }
            Some(p) => {
                *s = p.default.clone().unwrap_or_default();
                false
            }
            None => {
                if s.starts_with("[[") {
                    s.remove(0);
                }
                false
            }
        },
        Value::Array(items) => items.iter_mut().fold(false, |acc, v| unparameterize(v, defaults) | acc),
        Value::Object(members) => members.values_mut().fold(false, |acc, v| unparameterize(v, defaults) | acc),
        _ => false,
    }
}
