using System.Text;
using BudgetEval.Web.SelfEvaluations.Import;
using static BudgetEval.Tests.Infrastructure.XlsxBuilder;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>
/// The 自评表 indicator reader on workbooks as other tools write them (number formats, phonetic guides,
/// missing references, merged cells, several sheets), without the web host.
/// </summary>
public sealed class IndicatorFileTests
{
    private static ImportResult Read(Infrastructure.XlsxBuilder book) => IndicatorFile.Read("指标.xlsx", book.Build());

    private static ImportResult ReadCsv(string text) => IndicatorFile.Read("指标.csv", Encoding.UTF8.GetBytes(text));

    private static string Messages(ImportResult result) => string.Join(" | ", result.Errors.Select(e => e.Message));

    private static IReadOnlyList<Web.SelfEvaluations.Scoring.IndicatorLine> Lines(ImportResult result)
    {
        Assert.True(result.Succeeded, Messages(result));
        return result.Lines;
    }

    [Fact]
    public void Given_percent_and_date_cells_in_text_columns_When_read_Then_each_reads_as_Excel_shows_it()
    {
        var book = new Infrastructure.XlsxBuilder()
            .Styles(9, 10, 14, "yyyy\"年\"m\"月\"d\"日\"", "0.0%", "yyyy/m/d", 31)
            .Sheet("绩效指标", [
                HeaderRow(),
                IndicatorRow(2, ("目标值", Styled(1, 1)), ("完成值", Styled(0.98, 1))),
                IndicatorRow(3, ("目标值", Styled(44926, 3)), ("完成值", Styled(0.002, 2))),
                IndicatorRow(4, ("目标值", Styled(0.955, 5)), ("完成值", Styled(44926, 4))),
                IndicatorRow(5, ("目标值", Styled(44926.75, 6)), ("完成值", 96)),
                IndicatorRow(6, ("目标值", Styled(44926, 7)), ("完成值", Styled(-0.05, 1))),
            ]);

        var lines = Lines(Read(book));

        Assert.Equal(["100%", "2022-12-31", "95.5%", "2022/12/31", "2022年12月31日"], lines.Select(l => l.Target));
        Assert.Equal(["98%", "0.20%", "2022年12月31日", "96", "-5%"], lines.Select(l => l.Actual));
    }

    [Fact]
    public void Given_a_boolean_date_or_percent_in_a_number_column_When_read_Then_refused_naming_the_cell()
    {
        var book = new Infrastructure.XlsxBuilder()
            .Styles(14, 9)
            .Sheet("绩效指标", [
                HeaderRow(),
                IndicatorRow(2),
                IndicatorRow(3, ("分值", Bool(true)), ("得分", null)),
                IndicatorRow(4, ("分值", Styled(44926, 1)), ("得分", null)),
                IndicatorRow(5, ("得分", Styled(0.05, 2))),
            ]);

        var result = Read(book);

        Assert.Empty(result.Lines);
        Assert.Contains(result.Errors, e => e is { Row: 3, Column: "分值", Message: "单元格 G3（第3行「分值」）是逻辑值，应为数字。" });
        Assert.Contains(result.Errors, e => e is { Row: 4, Column: "分值", Message: "单元格 G4（第4行「分值」）是日期，应为数字。" });
        Assert.Contains(result.Errors, e => e is { Row: 5, Column: "得分", Message: "单元格 H5（第5行「得分」）是百分比“5%”，应为数字。" });
        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void Given_a_word_in_分值_When_read_from_xlsx_Then_the_message_names_the_cell_the_field_and_the_value()
    {
        var rows = new List<string> { Row(1, "绩效指标导入"), HeaderRow(2) };
        rows.AddRange(Enumerable.Range(3, 11).Select(r => IndicatorRow(r)));
        rows.Add(IndicatorRow(14, ("分值", "两分")));

        var result = Read(new Infrastructure.XlsxBuilder().Sheet("绩效指标", rows));

        var error = Assert.Single(result.Errors);
        Assert.Equal((14, "分值", "单元格 G14（第14行「分值」）“两分”不是数字。"), (error.Row, error.Column, error.Message));
    }

    [Fact]
    public void Given_bad_numbers_When_read_from_csv_Then_row_field_and_value_are_named()
    {
        var result = ReadCsv(string.Join(',', IndicatorFile.Header) + "\n"
            + "产出指标,数量指标,a,b,1,1,十分,,,\n"
            + "产出指标,数量指标,c,d,1,1,-3,,,\n"
            + "产出指标,数量指标,e,f,1,1,5,8,,\n");

        Assert.Equal(
            ["第2行「分值」“十分”不是数字。", "第3行「分值」“-3”不能为负数。", "第4行「得分」“8”超过「分值」（5）。"],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Given_formula_cells_When_read_Then_each_error_names_its_row_and_column()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            HeaderRow(),
            IndicatorRow(2),
            IndicatorRow(3, ("分值", Raw("<f>5+5</f><v>10</v>")), ("得分", Raw("<f>G3*0.9</f><v>9</v>"))),
        ]);

        var result = Read(book);

        Assert.Contains(result.Errors, e => e.Row == 3 && e.Column == "分值" && e.Message.StartsWith("单元格 G3（第3行「分值」）是公式", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Column == "得分" && e.Message.StartsWith("单元格 H3（第3行「得分」）是公式", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_phonetic_guides_in_shared_and_inline_strings_When_read_Then_only_the_text_is_kept()
    {
        var book = new Infrastructure.XlsxBuilder()
            .SharedStrings(
                "<t>区长信箱日均工单处理数量</t><rPh sb=\"0\" eb=\"2\"><t>phonetic</t></rPh><phoneticPr fontId=\"0\" type=\"noConversion\"/>",
                "<r><rPr><b/></rPr><t>热线</t></r><r><t xml:space=\"preserve\">接通率 </t></r><rPh sb=\"0\" eb=\"2\"><t>rexian</t></rPh>")
            .Sheet("绩效指标", [
                HeaderRow(),
                IndicatorRow(2, ("三级指标", Shared(0)), ("目标内容", Shared(1)),
                    ("目标值", Raw("<is><t>≥95%</t><rPh sb=\"0\" eb=\"1\"><t>da yu</t></rPh></is>", "t=\"inlineStr\""))),
            ]);

        var line = Assert.Single(Lines(Read(book)));

        Assert.Equal(("区长信箱日均工单处理数量", "热线接通率", "≥95%"), (line.Level3, line.Content, line.Target));
    }

    [Fact]
    public void Given_rows_and_cells_without_references_When_read_Then_they_are_placed_by_position()
    {
        static string Cells(params string[] texts) => string.Concat(texts.Select(t => double.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? $"<c><v>{t}</v></c>"
            : $"<c t=\"inlineStr\"><is><t>{t}</t></is></c>"));
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            $"<row>{Cells([.. IndicatorFile.Header])}</row>",
            $"<row>{Cells("产出指标", "数量指标", "接通率", "内容", "≥95%", "96%", "10", "9")}</row>",
            $"<row r=\"5\">{Cells("效益指标", "社会效益", "满意度", "内容", "≥90%", "92%", "5", "5")}</row>",
            $"<row><c r=\"A6\" t=\"inlineStr\"><is><t>满意度指标</t></is></c>{Cells("服务对象满意度", "群众满意度")}<c r=\"G6\"><v>4</v></c>{Cells("4")}</row>",
        ]);

        var lines = Lines(Read(book));

        Assert.Equal(["接通率", "满意度", "群众满意度"], lines.Select(l => l.Level3));
        Assert.Equal([10m, 5m, 4m], lines.Select(l => l.Weight));
        Assert.Equal([9m, 5m, 4m], lines.Select(l => l.Score));
    }

    [Fact]
    public void Given_a_分值_merged_over_two_rows_When_read_Then_refused_naming_the_range_and_the_field()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            HeaderRow(),
            IndicatorRow(2),
            IndicatorRow(3, ("分值", 10)),
            IndicatorRow(4, ("分值", null)),
        ], "G3:G4");

        var result = Read(book);

        Assert.Empty(result.Lines);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "分值"), (error.Row, error.Column));
        Assert.StartsWith("单元格 G3:G4（第3至4行「分值」）是合并单元格", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_merged_category_cells_When_read_Then_the_text_fills_the_merged_rows()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            HeaderRow(),
            IndicatorRow(2, ("一级指标", "效益指标")),
            IndicatorRow(3, ("一级指标", null)),
        ], "A2:A3");

        Assert.Equal(["效益指标", "效益指标"], Lines(Read(book)).Select(l => l.Level1));
    }

    [Fact]
    public void Given_a_header_without_改进措施_When_read_Then_the_missing_column_is_named()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            Row(1, [.. IndicatorFile.Header.Take(9)]),
            IndicatorRow(2),
        ]);

        var result = Read(book);

        Assert.Contains("缺少「改进措施」", Messages(result), StringComparison.Ordinal);
        Assert.Contains("第1行", Messages(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_extra_column_with_its_own_header_When_read_Then_it_is_ignored()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            Row(1, [.. IndicatorFile.Header, "备注"]),
            Row(2, "产出指标", "数量指标", "接通率", "内容", "≥95%", "96%", 10, 9, null, null, "已核实"),
            Row(3, "产出指标", "质量指标", "办结率", "内容", "≥90%", "92%", 10, 10, null, null, "已核实"),
        ]);

        var result = Read(book);

        Assert.Equal(2, Lines(result).Count);
        Assert.Equal(["未导入表头之外的列：K列「备注」。"], result.Notes);
    }

    [Fact]
    public void Given_columns_in_another_order_When_read_Then_each_is_found_by_its_header()
    {
        string[] order = ["三级指标", "一级指标", "二级指标", "得分", "分值", "目标内容", "目标值", "完成值", "改进措施", "未完成原因"];
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            Row(1, [.. order]),
            Row(2, "接通率", "产出指标", "数量指标", 9, 10, "内容", "≥95%", "96%", "加强培训", "人手不足"),
        ]);

        var line = Assert.Single(Lines(Read(book)));

        Assert.Equal(("产出指标", "接通率", 10m, 9m, "人手不足", "加强培训"), (line.Level1, line.Level3, line.Weight, line.Score, line.Reason, line.Measure));
    }

    [Fact]
    public void Given_values_in_a_column_without_a_header_When_read_Then_refused_once_naming_the_column()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("绩效指标", [
            HeaderRow(),
            Row(2, "产出指标", "数量指标", "接通率", "内容", "≥95%", "96%", 10, 9, null, null, null, "多余"),
            Row(3, "产出指标", "质量指标", "办结率", "内容", "≥90%", "92%", 10, 10, null, null, null, "多余"),
        ]);

        var error = Assert.Single(Read(book).Errors);

        Assert.Equal("L列没有表头，第2、3行却填有内容：请删除，或移到对应的列。", error.Message);
    }

    [Fact]
    public void Given_an_extra_column_in_csv_with_its_own_header_When_read_Then_it_is_ignored()
    {
        var lines = Lines(ReadCsv(string.Join(',', IndicatorFile.Header) + ",备注\n产出指标,数量指标,a,b,1,1,5,5,,,已核实\n"));

        Assert.Equal("a", Assert.Single(lines).Level3);
    }

    [Fact]
    public void Given_an_instruction_sheet_before_the_table_When_read_Then_the_table_sheet_is_found()
    {
        var book = new Infrastructure.XlsxBuilder()
            .Sheet("填表说明", [Row(1, "请在“自评表”工作表中填写指标。"), Row(2, "分值、得分填数字。")])
            .Sheet("自评表", [HeaderRow(), IndicatorRow(2), IndicatorRow(3, ("分值", "五"))]);

        var result = Read(book);

        Assert.Equal("工作表「自评表」单元格 G3（第3行「分值」）“五”不是数字。", Assert.Single(result.Errors).Message);
        book = new Infrastructure.XlsxBuilder()
            .Sheet("填表说明", [Row(1, "请在“自评表”工作表中填写指标。")])
            .Sheet("自评表", [HeaderRow(), IndicatorRow(2), IndicatorRow(3)]);
        result = Read(book);
        Assert.Equal(2, Lines(result).Count);
        Assert.Contains(result.Notes, n => n.Contains("工作表「自评表」", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_no_sheet_with_the_header_When_read_Then_the_sheets_read_are_named()
    {
        var book = new Infrastructure.XlsxBuilder()
            .Sheet("填表说明", [Row(1, "请填写指标。")])
            .Sheet("Sheet2", [Row(1, "指标", "分值"), Row(2, "接通率", 5)]);

        var message = Messages(Read(book));

        Assert.Contains("「填表说明」", message, StringComparison.Ordinal);
        Assert.Contains("「Sheet2」", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_indicator_row_below_the_总分_row_When_read_Then_refused_naming_the_row()
    {
        var book = new Infrastructure.XlsxBuilder().Sheet("自评表", [
            HeaderRow(),
            IndicatorRow(2),
            Row(3, "总分", null, null, null, null, null, 15, 14, "等级：优"),
            IndicatorRow(4),
            Row(6, "填表人：张三"),
        ], "A3:F3", "I3:J3");

        var result = Read(book);

        Assert.Empty(result.Lines);
        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Row);
        Assert.Contains("第4行", error.Message, StringComparison.Ordinal);
        Assert.Contains("「总分」行（第3行）", error.Message, StringComparison.Ordinal);
    }
}
