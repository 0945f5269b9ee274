using BudgetEval.Web.SelfEvaluations.Import;

namespace BudgetEval.Web.Demo;

/// <summary>
/// The 2022 部门整体支出自评表 of 长沙市望城区社会治理服务中心 (a real document, see shared/samples):
/// the demo draft is prefilled from it, and the tests check the product reproduces its totals. The texts are
/// the table's word for word and in full; only the text rendering's spaces and stray half-width marks are tidied.
/// </summary>
internal static class SampleSelfEvaluation
{
    public const decimal Budget = 1412.74m;
    public const decimal Executed = 979.56m;
    public const decimal UpperTransfer = 0m;

    /// <summary>所属独立核算单位个数 on the sample table.</summary>
    public const int IndependentUnits = 0;

    /// <summary>The sample's one funds source row above 年度资金总额: 财政拨款, the whole budget.</summary>
    public const string FundsSource = "财政拨款";

    public const string GoalsPlanned = "2022年以“热线+网格、吹哨+报到”工作为中心工作重点，突出12345政务热线和网格化治理的协同联动，在减少12345投诉量和提高问题解决率上下功夫，推动“热线+网格、吹哨+报到”工作落地落实见成效。";

    public const string GoalsAchieved = "2022年部门整体支出绩效目标涉及资金总额1412.74万元，其中基本支出314.74万元，项目支出1098万元。公共专项一个，为“热线+网格、吹哨+报到”项目。预算金额400万元。截至12月31日，全区共受理工单68249件，办结66564件（其他工单在限期办理中），群众满意度98.39%，及时联系率99.67%，问题解决率82.78%。每季度对街镇三、四级网格工作进行考核，当前已完成四个季度考核，并严格按照考核办法将季度考核奖励资金拨付到各街镇，下发至各村（社区）二级网格，进一步激发基层网格员工作活力。全年绩效目标基本完成。";

    /// <summary>
    /// 部门职能概述, word for word as the sample table has it (the same text opens the report's 部门基本情况); the
    /// demo's form carries it with 所属独立核算单位个数 <see cref="IndependentUnits"/>.
    /// </summary>
    public const string Functions = "一、负责全区社会治理网格化体系建设、运行、管理工作。二、负责全区市场、农业、交通、文化、生态环境、城市管理等执法领域以及应急、综治维稳等方面各类社会治理信息的收集、跟踪、反馈、调度等工作。三、负责全区社会治理问题及热线的受理、分派、反馈工作。四、负责组织区、街镇、村(社区)三级信息过滤、调度、处置平台的建设、维护、管理和应用工作，建立健全与应急、城管及其他执法机构的信息共享机制。";

    // The 自评报告's other required sections, abridged from the sample report (shared/samples/wangcheng-2022-dept-self-evaluation-report.txt).
    public const string BudgetSpending = "基本支出：人员经费支出373.58万元，公用经费支出18.89万元，“三公经费”总支出2.4万元，均为公务用车运行维护费。项目支出：2022年度预算安排专项资金合计1098万元，涉及公共专项一个，为“热线+网格、吹哨+报到”专项，预算金额400万元。";

    public const string Performance = "截至12月31日，全区共受理工单68249件，办结66564件（其他工单在限期办理中），群众满意度98.39%，及时联系率99.67%，问题解决率82.78%。";

    public const string Problems = "2022年度社会治理系统运行维护专项资金使用率较低：信息化硬件运维合同根据实际运维情况按得分比例扣除对应金额进行支付，2022年实付合同比例的59%。";

    public const string NextSteps = "在2023年已根据设备实际运行情况调整了专项预算金额。";

    /// <summary>Fills the report's required sections with the sample's texts (the demo draft and tests that submit a plan's form).</summary>
    public static void FillReport(SelfEvaluations.SelfEvaluationReport report)
    {
        report.Basics = Functions;
        report.Budget = BudgetSpending;
        report.Performance = Performance;
        report.Problems = Problems;
        report.NextSteps = NextSteps;
    }

    public static byte[] IndicatorsCsv() => DemoResources.Read("wangcheng-2022-dept-self-evaluation.csv");
}
