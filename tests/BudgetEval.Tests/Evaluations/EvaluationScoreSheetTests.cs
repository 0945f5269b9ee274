using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Plans;

namespace BudgetEval.Tests.Evaluations;

/// <summary>The 2021 sample table (shared/samples) through the product's own reader and arithmetic.</summary>
public sealed class EvaluationScoreSheetTests
{
    private static IReadOnlyList<ScoreRow> SampleRows() => Read(SampleExternalEvaluation.IndicatorsCsv());

    private static IReadOnlyList<ScoreRow> Read(byte[] csv)
    {
        var result = ScoreFile.Read("sample.csv", csv, EvaluationTemplates.Default.Groups, EvaluationTemplates.Default.Rows);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Rows;
    }

    [Fact]
    public void Given_sample_csv_When_imported_and_scored_Then_7_22_8_39_21_total_89_80_good()
    {
        var sheet = EvaluationScoreSheet.Compute(SampleRows(), EvaluationTemplates.Default.Groups, ScoringRules.Default.Grades);

        Assert.Equal([7m, 22.8m, 39m, 21m], sheet.Groups.Select(g => g.Score));
        Assert.Equal([7m, 29m, 42m, 22m], sheet.Groups.Select(g => g.Weight));
        Assert.Equal(100m, sheet.WeightTotal);
        Assert.Equal(89.80m, sheet.Total);
        Assert.Equal("良", sheet.Grade);
        Assert.Empty(sheet.Incomplete);
    }

    private static IReadOnlyList<ScoreRow> ScoreTableRows() => Read(SampleExternalEvaluation.ScoreTableCsv());

    [Fact]
    public void Given_the_demo_score_table_When_read_Then_scores_weights_and_notes_are_the_transcription_and_total_is_89_80_good()
    {
        var rows = ScoreTableRows();

        // Only 评分要点 and 评分标准 are added: everything the arithmetic and the findings read stays as transcribed.
        Assert.Equal(SampleRows().Select(r => r with { Points = null, Standard = null }), rows.Select(r => r with { Points = null, Standard = null }));
        var sheet = EvaluationScoreSheet.Compute(rows, EvaluationTemplates.Default.Groups, ScoringRules.Default.Grades);
        Assert.Equal([7m, 22.8m, 39m, 21m], sheet.Groups.Select(g => g.Score));
        Assert.Equal(89.80m, sheet.Total);
        Assert.Equal("良", sheet.Grade);
        Assert.Empty(sheet.Incomplete);
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Points) || string.IsNullOrWhiteSpace(r.Standard), r.Level3));
    }

    /// <summary>The report annex's wording (shared/samples/wangcheng-2021-external-evaluation-report.txt), not the template's.</summary>
    [Theory]
    [InlineData("政府采购执行率", "政府采购执行率=（实际政府采购金额/政府采购预算数）×100%。", "政府采购执行率100%计1分，每超过（降低）1%扣0.1分，扣完为止。")]
    [InlineData("聘用人员控制率", "本年度聘用人员按月加权平均后的人数与上年加权平均人数对比。聘用人员是指除在编、政府雇员、退役士官外每月发放工资的工作人员（含劳务派遣人员）。",
        "与上年对比，每超1人扣0.5分，扣完为止。（对比后按去尾法计算超上年人数）")]
    [InlineData("问题整改情况", "根据近三年审计、财政绩效评价报告，查看单位的整改情况；确实无法整改的，检查以后年度执行情况。",
        "对近三年审计、财政评价报告中发现的问题全部整改，计2分；部分整改，计1分；未整改，计0分。")]
    [InlineData("社会公众或服务对象满意度", "社会公众或服务对象对项目实施效果的满意度。", "满意度95%及以上为8分，80%及以下不得分，每下降1%扣0.4分。")]
    [InlineData("横向拨款", "部门以本级预算安排的资金拨付给其他预算部门、街镇（通过财政预算调剂的不在此列）", "超过2笔后，每发现1笔扣0.4分，扣完为止。")]
    [InlineData("工单处理", "①区长信箱日均工单数量、雷锋“580”热线日均工单数、“12345”市民服务热线日均工单数量是否达到预期目标；②是否建立制度让处置单位及时知晓并督促其办理工单；③是否建立台账对工单进行管理。",
        "①区长信箱日均工单数量达到5-20单，计1分，低于5单，每少一单扣0.5分，扣完为止；②雷锋“580”热线日均工单数量达到10-50单，计1分，低于10单，每少一单扣0.5分，扣完为止；③“12345”市民服务热线日均工单数量达到100-400单，计1分，每少10单扣0.5分，扣完为止；④建立相关制度让处置单位及时知晓并督促其办理工单，计1分，否则不计分；⑤建立工单台账，计1分，否则不计分。")]
    [InlineData("及时性", "①雷锋580热线、林火预警平台、城管网格化指挥平台业务受理、派单等是否及时有效；②区长信箱受理、处理群众反映问题是否及时；③12345市民服务热线处理问题是否及时。",
        "①雷锋580热线、林火预警平台、城管网格化指挥平台派遣工单及时，计1分；根据处置单位上报的处置情况，及时办理核查、结案，计2分。每发现一例不及时现象，扣0.3分，扣完为止；②区长信箱实时受理群众来信，当日派发至处置单位，处置时效符合相关规定，计1分，每发现一例处置或者反馈不及时现象，扣0.3分，扣完为止；③12345市民服务热线调度、回访工作符合各事项类型处置时限，计1分，月度延期率不高于25%，每上升5%扣0.5分，扣完为止。")]
    [InlineData("社会影响", "①是否发生影响社会的恶劣事件；②发生恶劣事件的次数及重大程度。", "全年未发生影响社会的恶性事件，计4分，每出现一例重大事件，该指标不计分。")]
    public void Given_the_demo_score_table_When_read_Then_the_row_carries_the_reports_points_and_standard(string level3, string points, string standard)
    {
        var row = ScoreTableRows().Single(r => r.Level3 == level3);

        Assert.Equal(points, row.Points);
        Assert.Equal(standard, row.Standard);
    }

    [Fact]
    public void Given_sample_When_read_Then_not_applicable_rows_carry_zero_weight()
    {
        var rows = SampleRows();

        Assert.True(rows.Single(r => r.Level3 == "资金到位率（公共专项）").NotApplicable);
        Assert.Equal(2, rows.Count(r => r.NotApplicable));
    }

    [Fact]
    public void Given_row_below_full_marks_without_note_When_checked_Then_incomplete_names_it()
    {
        var rows = SampleRows().Select(r => r.Level3 == "政府采购执行率" ? r with { Note = null } : r).ToList();

        var sheet = EvaluationScoreSheet.Compute(rows, EvaluationTemplates.Default.Groups, ScoringRules.Default.Grades);

        Assert.Contains(sheet.Incomplete, m => m.Contains("政府采购执行率", StringComparison.Ordinal) && m.Contains("评分说明", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(90, "优")]
    [InlineData(89.99, "良")]
    [InlineData(80, "良")]
    [InlineData(60, "中")]
    [InlineData(59.99, "差")]
    public void Given_total_When_graded_Then_boundaries_apply(double total, string grade) =>
        Assert.Equal(grade, ScoringRules.Default.Grades.Grade((decimal)total));

    [Fact]
    public void Given_score_above_weight_and_unknown_group_When_imported_Then_cell_errors_and_nothing_returned()
    {
        var csv = "一级指标,二级指标,三级指标,分值,得分,评分说明\n投入,目标设定,绩效目标合理性,2,3,\n决策,x,y,2,1,z\n"u8.ToArray();

        var result = ScoreFile.Read("bad.csv", csv, EvaluationTemplates.Default.Groups, EvaluationTemplates.Default.Rows);

        Assert.Empty(result.Rows);
        Assert.Contains(result.Errors, e => e.Row == 2 && e.Column == "得分");
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Column == "一级指标");
    }

    [Fact]
    public void Given_an_xlsx_with_评分要点_and_评分标准_in_its_own_order_When_imported_Then_both_are_read_and_a_备注_column_is_left_out()
    {
        var xlsx = new Infrastructure.XlsxBuilder().Sheet("评分表", [
            Infrastructure.XlsxBuilder.Row(1, "一级指标", "二级指标", "三级指标", "评分标准", "分值", "得分", "评分说明", "评分要点", "备注"),
            Infrastructure.XlsxBuilder.Row(2, "投入", "目标设定", "绩效目标合理性", "依据充分得满分", 3, 3, null, "是否符合规划", "复核"),
        ]).Build();

        var result = ScoreFile.Read("评分表.xlsx", xlsx, EvaluationTemplates.Default.Groups, EvaluationTemplates.Default.Rows);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        var row = Assert.Single(result.Rows);
        Assert.Equal(("是否符合规划", "依据充分得满分", 3m, (decimal?)3m), (row.Points, row.Standard, row.Weight, row.Score));
        Assert.Equal(["未导入表头之外的列：I列「备注」。"], result.Notes);
    }
}
