using BudgetEval.Web.SelfEvaluations.Scoring;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>Every 目标值/完成值 pair of the 2022 sample table, read as a human reads it, plus the edge cases of ADR 0005.</summary>
public sealed class TargetReaderTests
{
    private const string Hotline = "12345市民服务热线工单由市热线处分派，每日分派工单需当日受理或提出回退申请，已受理工单需当日派发至12345市民服务热线三级平台，部分区直单位已开设四级平台，由各相关部门自行管理。调度、回访工作依据各事项类型处置时限决定。反馈工作依据具体事项类型决定，一般事项反馈时限为5天，咨询类事项一般为2天。";

    [Theory]
    [InlineData(1, "5-20", "6", "Met")]
    [InlineData(2, "10-40", "51", "Met")] // above the range: over-fulfilled, read as met
    [InlineData(3, "100-400", "272", "Met")]
    [InlineData(4, "1套", "1套", "Met")]
    [InlineData(5, ">10000", "18100", "Met")]
    [InlineData(6, "≥1人", "1人", "Met")]
    [InlineData(7, "≥2套", "2套", "Met")]
    [InlineData(8, "2套", "2套", "Met")]
    [InlineData(9, "100%", "100%", "Met")]
    [InlineData(10, "100%", "100%", "Met")]
    [InlineData(11, "100%", "100%", "Met")]
    [InlineData(12, "≤0.5%", "≤0.2%", "Met")] // an actual bound wholly inside the target
    [InlineData(13, "≥8份", "12份", "Met")]
    [InlineData(14, "7*24小时", "7*24小时", "Met")]
    [InlineData(15, "100%", "100%", "Met")]
    [InlineData(16, "100%", "100%", "Met")]
    [InlineData(17, "实时受理、派遣工单、根据处置单位上报的处置情况，及时办理核查、结案。", "100%", "NotComparable")]
    [InlineData(18, "100%", "100%", "Met")]
    [InlineData(19, Hotline, "100%", "NotComparable")]
    [InlineData(20, "实时受理群众来信情况，当日派发至处置单位，处置时效根据事件类型确定，一般事项反馈时限为5天。", "100%", "NotComparable")]
    [InlineData(21, "7*24小时", "7*24小时", "Met")]
    [InlineData(22, "一年", "一年", "Met")]
    [InlineData(23, "100%", "100%", "Met")]
    [InlineData(24, "0%", "0%", "Met")]
    [InlineData(25, "", "", "NotComparable")] // 经济效益指标: no target
    [InlineData(26, "100%", "100%", "Met")]
    [InlineData(27, "\"12345\"市民服务热线工单办结率100%，智慧望城雷锋哨平台、林火预警平台处置率95%，区长信箱回复率≥95%。", "\"12345\"办结率100%，雷锋哨平台及林火预警平台处置率99.23%，区长信箱回复率100%", "NotComparable")]
    [InlineData(28, "", "", "NotComparable")] // 生态效益指标: no target
    [InlineData(29, "一年", "一年", "Met")]
    [InlineData(30, "长期坚持", "长期坚持", "NotComparable")]
    [InlineData(31, "均高于96%", "是", "Met")] // the filler's yes
    [InlineData(32, "≥95%", "98%", "Met")]
    public void Given_sample_row_When_read_Then_reading_is_what_a_human_reads(int row, string target, string actual, string expected)
    {
        Assert.True(row is >= 1 and <= 32);
        Assert.Equal(Enum.Parse<TargetOutcome>(expected), TargetReader.Read(target, actual).Outcome);
    }

    [Fact]
    public void Given_sample_csv_When_every_row_is_read_Then_each_pair_is_covered_by_the_theory_above()
    {
        var rows = SampleForm.Indicators();
        Assert.Equal(32, rows.Count);
        Assert.Equal(25, rows.Count(r => TargetReader.Read(r.Target, r.Actual).Outcome == TargetOutcome.Met));
        Assert.Equal(7, rows.Count(r => TargetReader.Read(r.Target, r.Actual).Outcome == TargetOutcome.NotComparable));
    }

    [Theory]
    [InlineData("5-20", "3", "NotMet")]
    [InlineData("5-20", "5", "Met")]
    [InlineData(">10000", "10000", "NotMet")]
    [InlineData(">10000", "10001", "Met")]
    [InlineData("≥95%", "94.99%", "NotMet")]
    [InlineData("≥95%", "95%", "Met")]
    [InlineData("≤0.5%", "0.6%", "NotMet")]
    [InlineData("≤0.5%", "0.5%", "Met")]
    [InlineData("≤0.5%", "≥0.3%", "NotComparable")] // overlaps the target only partly
    [InlineData("≤0.5%", "≥0.6%", "NotMet")]
    [InlineData("0%", "2%", "NotMet")] // zero is a ceiling
    [InlineData("100%", "98%", "NotMet")]
    [InlineData("2套", "1套", "NotMet")]
    [InlineData("2套", "3套", "Met")] // exact non-zero targets are floors
    [InlineData("1套", "2人", "NotComparable")] // different units
    [InlineData("7*24小时", "5*8小时", "NotMet")]
    [InlineData("7*24小时", "168小时", "Met")]
    [InlineData("一年", "两年", "Met")]
    [InlineData("不低于95%", "96%", "Met")]
    [InlineData("95%以上", "90%", "NotMet")]
    [InlineData("１００％", "100%", "Met")] // full-width
    [InlineData("≥1人", "否", "NotMet")]
    [InlineData("≥1人", "", "NotComparable")]
    [InlineData("500万元", "480万元", "NotMet")]
    [InlineData("20件", "20", "Met")] // a unit on one side only is taken as the same unit
    public void Given_target_and_actual_When_read_Then_outcome_follows_adr_0005(string target, string actual, string expected) =>
        Assert.Equal(Enum.Parse<TargetOutcome>(expected), TargetReader.Read(target, actual).Outcome);

    [Theory]
    [InlineData("5-20", "Range", 5, 20, "")]
    [InlineData("100-400", "Range", 100, 400, "")]
    [InlineData(">10000", "GreaterThan", 10000, 10000, "")]
    [InlineData("≥1人", "AtLeast", 1, 1, "人")]
    [InlineData("≤0.5%", "AtMost", 0.5, 0.5, "%")]
    [InlineData("均高于96%", "GreaterThan", 96, 96, "%")]
    [InlineData("1套", "Exact", 1, 1, "套")]
    [InlineData("0%", "Exact", 0, 0, "%")]
    [InlineData("7*24小时", "Exact", 168, 168, "小时")]
    [InlineData("一年", "Exact", 1, 1, "年")]
    [InlineData("12份", "Exact", 12, 12, "份")]
    [InlineData("3件", "Exact", 3, 3, "件")]
    [InlineData("1412.74万元", "Exact", 1412.74, 1412.74, "万元")]
    [InlineData("长期坚持", "Text", 0, 0, "")]
    public void Given_target_text_When_parsed_Then_shape_value_and_unit_are_found(string text, string shape, double low, double high, string unit)
    {
        var parsed = TargetReader.Parse(text);
        Assert.Equal(new ParsedValue(Enum.Parse<ValueShape>(shape), (decimal)low, (decimal)high, unit), parsed);
    }
}
