//! Unit tests of `csv`.

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
    assert_eq!(errors[0].kind.code().as_str(), "config::header");
    assert_eq!(errors[0].span, 0..15);
    assert!(errors[0].kind.to_string().contains("found `type,name,value`"));
}

#[test]
fn blank_first_line_is_a_header_error() {
    let (rows, errors) = read("\n# c\ntype,name,path,value\na,b,c,d\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind.code().as_str(), "config::header");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 4);
}

#[test]
fn empty_files() {
    for text in ["", "\u{feff}", "  \r\n\n"] {
        let errors = errors(text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind.code().as_str(), "config::empty-file");
        assert!(errors[0].kind.to_string().starts_with("empty file, expected header"));
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
    assert_eq!(error.kind.code().as_str(), "config::field-count");
    assert_eq!(error.kind.to_string(), "expected 4 fields (type,name,path,value), found 5");
    assert_eq!((error.line, error.col, error.span.clone()), (2, 9, 29..30));
}

#[test]
fn too_few_fields_points_at_line_end() {
    let error = &errors("type,name,path,value\r\na,b,c\r\n")[0];
    assert_eq!(error.kind.to_string(), "expected 4 fields (type,name,path,value), found 3");
    assert_eq!((error.line, error.col, error.span.clone()), (2, 6, 27..27));
}

#[test]
fn empty_key_fields_are_errors_but_empty_value_is_not() {
    let (rows, errors) = read("type,name,path,value\na, ,\"\",\nx,y,-z,\n");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].value.text, "");
    let found: Vec<_> = errors.iter().map(|e| (e.kind.to_string(), e.line, e.col)).collect();
    let found: Vec<(&str, usize, usize)> = found.iter().map(|(m, l, c)| (m.as_str(), *l, *c)).collect();
    assert_eq!(found, [("empty name", 2, 3), ("empty path", 2, 5)]);
    assert!(errors.iter().all(|e| e.kind.code().as_str() == "config::empty-field"));
}

#[test]
fn unterminated_quote_reports_opening_quote_and_recovers() {
    let text = "type,name,path,value\na,b,c,\"oops\nd,e,f,g\n";
    let (rows, errors) = read(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind.code().as_str(), "config::unterminated-quote");
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
    let found: Vec<_> = errors.iter().map(|e| (e.line, e.col, e.kind.to_string())).collect();
    let found: Vec<(usize, usize, &str)> = found.iter().map(|(l, c, m)| (*l, *c, m.as_str())).collect();
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
