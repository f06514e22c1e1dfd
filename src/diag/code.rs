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
    ExportNoFolder => "export::no-folder", "`--factory-dir` is not a folder, or holds none of ADF's object folders";
    ExportJson => "export::json", "a file of the factory folder is not valid JSON, or not an object with a string `name`";
    ExportNameMismatch => "export::name-mismatch", "an object's `name` differs from its file name";
    ExportDuplicateName => "export::duplicate-name", "two objects of one type have names that differ only in case";
    ExportMissingReference => "export::missing-reference", "an object references an object that is not in the folder";
    ExportFactoryName => "export::factory-name", "the factory's name is unknown: no `--factory-name`, and `factory/` holds no file or several";
    ExportDefinition => "export::definition", "`arm-template-parameters-definition.json` is not valid (with the offending entry)";
    ExportUnknownSecret => "export::unknown-secret", "warning: the encrypted credential of a connector whose secrets adfc does not know was dropped";
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
    ConfigLiteralSecret => "config::literal-secret", "warning (check): a config file holds a secret value literally instead of an environment token";
    ConfigOverwritten => "config::overwritten", "warning (check): a later row of the stage sets the same property, so this row has no effect";
    ConfigExpressionReplaced => "config::expression-replaced", "warning: a literal replaced an ARM expression";
    TemplateLimitSize => "template::limit-size", "warning: an output template file is over ARM's 4 MiB limit";
    TemplateLimitParameters => "template::limit-parameters", "warning: an output template declares more than ARM's 256 parameters";
    TemplateLimitResources => "template::limit-resources", "warning: an output template has more than ARM's 800 resources";
    TemplateLimitOutputs => "template::limit-outputs", "warning: an output template declares more than ARM's 64 outputs";
    RulesSyntax => "rules::syntax", "a rule cannot be parsed (e.g. no `.`)";
    RulesUnknownType => "rules::unknown-type", "a rule's type matches no object type";
    RulesUnused => "rules::unused", "warning: a rule matches no object";
    SelectMissingDependency => "select::missing-dependency", "a deployed object references one that is not deployed (warning; error with `--strict-dependencies`)";
    SelectNothingDeployed => "select::nothing-deployed", "the selection rules deploy no object at all";
    SelectDynamicReference => "select::dynamic-reference", "warning: a deployed object has references adfc cannot resolve, and objects of their type are excluded";
    CheckDuplicateName => "check::duplicate-name", "two objects of one type have names that differ only in case";
    CheckDanglingDependsOn => "check::dangling-depends-on", "a dependsOn entry names an object the template does not define";
    CheckMissingReference => "check::missing-reference", "warning: an object references one the template does not define";
    CheckCircularDependsOn => "check::circular-depends-on", "resources depend on each other in a circle";
    CheckActivityDependsOn => "check::activity-depends-on", "an activity depends on an activity that is not in the same container";
    CheckUndeclaredParameter => "check::undeclared-parameter", "warning: an expression reads a pipeline, dataset or linked service parameter that is not declared";
    CheckUndeclaredGlobalParameter => "check::undeclared-global-parameter", "warning: an expression reads a global parameter the factory does not have";
    CheckParameterMetadata => "check::parameter-metadata", "warning: a parameter the az CLI prompts for (no value, no default) has plain-string metadata, on which az fails";
    CheckRuntimeType => "check::runtime-type", "a row changes an integration runtime's type (ADF refuses the update)";
    CheckFactoryResource => "check::factory-resource", "warning: the template deploys the factory resource itself (resets Git configuration and identity)";
    CheckEnvFile => "check::env-file", "a `--env-file` line is not `NAME=VALUE`";
    TargetStateJson => "target-state::json", "a `--target-state` file is not valid JSON";
    TargetStateForm => "target-state::form", "a `--target-state` file is in none of the accepted forms (az CLI list, Az PowerShell, name → state map)";
    PlanNeedsTargetState => "plan::needs-target-state", "a `--stop`, `--start` or `--delete` method needs the target's state (`--target-state`, or `--previous`) and none was given";
    PlanCycle => "plan::cycle", "TumblingWindow triggers, or objects to delete, depend on each other in a cycle: no order can stop, start or delete them";
    PlanMassDelete => "plan::mass-delete", "the plan would delete more than half of the target's objects (refused unless `--allow-mass-delete`)";
    PlanStillUsed => "plan::still-used", "warning: an object missing from the output is not deleted, because an object that stays uses it";
    PlanUnknownState => "plan::unknown-state", "warning: a deployed trigger's `runtimeState` is an expression without a known value; it is not started";
    PlanUnsafeName => "plan::unsafe-name", "a name cannot be passed to `az` safely by a script (a NUL character, or a leading `@`, which `az` reads as a file name)";
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
