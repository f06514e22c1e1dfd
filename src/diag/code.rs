//! Stable diagnostic codes: one variant per problem adfc can report, with
//! the id users see (`config::path-not-found`) and a one-line description
//! (the README's table is checked against [`Code::ALL`]).

use std::fmt;

macro_rules! codes {
    ($($variant:ident => $id:literal, $description:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $description]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The id users see and match on, e.g. `config::path-not-found`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $id,)*
                }
            }

            /// One line saying what the code means.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)*
                }
            }
        }
    };
}

codes! {
    InputRead => "input::read", "a file cannot be read (missing, permission, a folder)";
    InputEncoding => "input::encoding", "a file is not UTF-8";
    InputNoTemplate => "input::no-template", "`--template` is a folder without a template";
    InputNoStageConfig => "input::no-stage-config", "`--stage S` found no `deployment/config-S.csv`";
    InputStageConflict => "input::stage-conflict", "`--stage S` found both `config-S.csv` and `config-S.json`";
    TemplateJson => "template::json", "the template is not valid JSON (with line and column)";
    TemplateNoResources => "template::no-resources", "the file has no `resources` array";
    TemplateResource => "template::resource", "a resource has no `type`";
    TemplateMalformedName => "template::malformed-name", "warning: a resource name cannot be read; the resource is kept untouched and cannot be addressed";
    TemplateNotAdf => "template::not-adf", "warning: resources of a type that is not an ADF object, kept untouched";
    ParametersJson => "parameters::json", "the parameters file is not valid JSON or has no `parameters`";
    ParametersUndeclared => "parameters::undeclared", "warning: the parameters file sets a parameter the template does not declare (ARM rejects it)";
    ConfigEmptyFile => "config::empty-file", "the config file is empty";
    ConfigHeader => "config::header", "the first line of the config file is not `type,name,path,value`";
    ConfigFieldCount => "config::field-count", "a row has more or fewer than 4 fields";
    ConfigEmptyField => "config::empty-field", "empty type, name or path";
    ConfigUnterminatedQuote => "config::unterminated-quote", "a quote is never closed";
    ConfigUnknownType => "config::unknown-type", "not an object type";
    ConfigBadPattern => "config::bad-pattern", "an invalid name pattern (e.g. `[z-a]`)";
    ConfigPathSyntax => "config::path-syntax", "the path cannot be parsed (e.g. `typeProperties:baseUrl`)";
    ConfigObjectNotFound => "config::object-not-found", "the name matches no object of that type";
    ConfigAmbiguousName => "config::ambiguous-name", "JSON form: the name matches objects of several types";
    ConfigPathNotFound => "config::path-not-found", "the property does not exist (with \"did you mean\")";
    ConfigJsonpath => "config::jsonpath", "the JSONPath query is invalid";
    ConfigProtectedProperty => "config::protected-property", "a row changes a resource's `name`, `type`, `apiVersion` or `dependsOn`";
    ConfigPropertiesPrefix => "config::properties-prefix", "a path without `$.` starts with `properties.` (it is already relative to properties)";
    ConfigBadValue => "config::bad-value", "the value does not fit the type it replaces";
    ConfigEmptyValue => "config::empty-value", "warning: an empty value sets an empty string";
    ConfigEnvUnset => "config::env-unset", "an environment variable is not set";
    ConfigEnvAmbiguous => "config::env-ambiguous", "an environment variable is not set as written, and several match it ignoring case";
    ConfigSubexpression => "config::subexpression", "a `$( … )` that is not an environment token";
    ConfigJson => "config::json", "a JSON-form config file is malformed";
    ConfigSecretInTemplate => "config::secret-in-template", "warning: a secret is written into the template body (`--allow-secrets-in-template`)";
    ConfigExpressionReplaced => "config::expression-replaced", "warning: a literal replaced an ARM expression";
    TemplateLimitSize => "template::limit-size", "warning: an output template file is over ARM's 4 MiB limit";
    TemplateLimitParameters => "template::limit-parameters", "warning: an output template declares more than ARM's 256 parameters";
    TemplateLimitResources => "template::limit-resources", "warning: an output template has more than ARM's 800 resources";
    RulesSyntax => "rules::syntax", "a rule cannot be parsed (e.g. no `.`)";
    RulesUnknownType => "rules::unknown-type", "a rule's type matches no object type";
    RulesUnused => "rules::unused", "warning: a rule matches no object";
    SelectMissingDependency => "select::missing-dependency", "a deployed object references one that is not deployed (warning; error with `--strict-dependencies`)";
    SelectNothingDeployed => "select::nothing-deployed", "the selection rules deploy no object at all";
    SelectDynamicReference => "select::dynamic-reference", "warning: a deployed object has references adfc cannot resolve, and objects of their type are excluded";
    TargetStateJson => "target-state::json", "a `--target-state` file is not valid JSON";
    TargetStateForm => "target-state::form", "a `--target-state` file is in none of the accepted forms (az CLI list, Az PowerShell, name → state map)";
    DiffPropertiesUnknown => "diff::properties-unknown", "warning: a `--target-state` file lists objects without their properties (Az PowerShell or map form): `diff` compares their presence and runtime state only";
    DiffDifferentFactories => "diff::different-factories", "warning: the two templates `diff` compares are exports of different factories (their `factoryName` values differ)";
    OutputWrite => "output::write", "an output file cannot be written";
    OutputOverwriteInput => "output::overwrite-input", "`--out-dir` would overwrite an input file";
    OutputDuplicate => "output::duplicate", "two outputs would have the same file name (nothing is written)";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
