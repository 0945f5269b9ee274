namespace BudgetEval.Web.Evaluations;

/// <summary>An indicator template: four level-1 groups and the rows the firm starts from.</summary>
internal sealed record EvaluationTemplate(string Key, string Name, IReadOnlyList<string> Groups, IReadOnlyList<ScoreRow> Rows);

/// <summary>
/// The templates the bureau commissions with. Kept in code for now: there are two, they change with the
/// national guidance rather than per year, and the firm edits the rows of each evaluation anyway.
/// </summary>
internal static class EvaluationTemplates
{
    public const string DefaultKey = "input-process-output-effect";
    public const string DecisionKey = "decision-process-output-benefit";

    /// <summary>投入/过程/产出/效果, the rows of the 望城区 部门整体支出 sample (weights total 100).</summary>
    public static readonly EvaluationTemplate Default = new(DefaultKey, "部门整体支出（投入/过程/产出/效果）", ["投入", "过程", "产出", "效果"],
    [
        Row("投入", "目标设定", "绩效目标合理性", 2, "绩效目标与部门职责、年度计划的相关性", "相关且符合计划得满分，否则酌情扣分"),
        Row("投入", "目标设定", "绩效指标明确性", 3, "绩效指标是否清晰、可量化、与资金匹配", "清晰可量化得满分，否则酌情扣分"),
        Row("投入", "预算配置", "聘用人员控制率", 2, "聘用人员数量与上年比较", "未超编得满分"),
        Row("投入", "预算配置", "资金到位率（公共专项）", 2, "专项资金到位情况", "到位率×分值"),
        Row("过程", "预算执行", "预算执行率（公共专项）", 2, "专项资金执行情况", "执行率×分值"),
        Row("过程", "预算执行", "横向拨款", 2, "对下拨款是否履行审批", "程序完整得满分"),
        Row("过程", "预算执行", "往来款项控制率", 2, "往来款项占比及账龄", "无三年以上往来得满分"),
        Row("过程", "预算执行", "结转结余率", 2, "年末结转结余", "无结转结余得满分"),
        Row("过程", "预算执行", "结转结余变动率", 2, "结转结余变动", "不增加得满分"),
        Row("过程", "预算执行", "三公经费控制率", 1, "“三公经费”实际与预算之比", "≤100%得满分"),
        Row("过程", "预算执行", "政府采购执行率", 1, "实际采购与采购预算之比", "≥90%得满分"),
        Row("过程", "预算管理", "内部控制健全性", 2, "内控制度建立与执行", "健全且执行到位得满分"),
        Row("过程", "预算管理", "资金使用合规性", 5, "资金使用及审批程序", "合规得满分，每发现一项扣分"),
        Row("过程", "预算管理", "预算信息公开性", 2, "预决算信息公开", "按时公开得满分"),
        Row("过程", "预算管理", "绩效自评情况", 3, "自评开展及报告质量", "完整得满分"),
        Row("过程", "预算管理", "问题整改情况", 3, "以前年度发现问题的整改", "全部整改得满分，部分整改酌情扣分"),
        Row("过程", "资产管理", "资产管理安全性", 4, "资产盘点、编码、账实相符", "规范得满分"),
        Row("产出", "职责履行", "体系建设", 6, null, null),
        Row("产出", "职责履行", "网格化管理", 5, null, null),
        Row("产出", "职责履行", "评优考核", 3, null, null),
        Row("产出", "职责履行", "治理信息收集及处理", 4, null, null),
        Row("产出", "职责履行", "工单处理", 5, null, null),
        Row("产出", "职责履行", "及时性", 5, null, null),
        Row("产出", "职责履行", "完成率", 5, null, null),
        Row("产出", "职责履行", "治理平台建设及应用", 4, null, null),
        Row("产出", "职责履行", "试点智慧社区建设", 3, null, null),
        Row("效果", "履职效果", "社会效益", 6, null, null),
        Row("效果", "履职效果", "社会影响", 4, null, null),
        Row("效果", "履职效果", "可持续影响", 4, null, null),
        Row("效果", "履职效果", "社会公众或服务对象满意度", 6, "满意度调查", "≥95%得满分，每低1个百分点扣分"),
    ]);

    /// <summary>决策/过程/产出/效益, the common layout for project evaluations.</summary>
    public static readonly EvaluationTemplate Decision = new(DecisionKey, "项目支出（决策/过程/产出/效益）", ["决策", "过程", "产出", "效益"],
    [
        Row("决策", "项目立项", "立项依据充分性", 4, "是否符合政策和部门职责", "充分得满分"),
        Row("决策", "项目立项", "立项程序规范性", 4, "是否按规定程序申请设立", "规范得满分"),
        Row("决策", "绩效目标", "绩效目标合理性", 4, "目标与实际工作内容的相关性", "合理得满分"),
        Row("决策", "绩效目标", "绩效指标明确性", 4, "指标是否细化、量化", "明确得满分"),
        Row("决策", "资金投入", "预算编制科学性", 4, "预算编制依据及测算", "科学得满分"),
        Row("过程", "资金管理", "资金到位率", 5, "实际到位/计划投入", "到位率×分值"),
        Row("过程", "资金管理", "预算执行率", 5, "实际支出/实际到位", "执行率×分值"),
        Row("过程", "资金管理", "资金使用合规性", 5, "是否符合财务管理制度", "合规得满分"),
        Row("过程", "组织实施", "管理制度健全性", 5, "制度是否健全", "健全得满分"),
        Row("产出", "产出数量", "实际完成率", 10, "实际产出/计划产出", "完成率×分值"),
        Row("产出", "产出质量", "质量达标率", 10, "达标产出/实际产出", "达标率×分值"),
        Row("产出", "产出时效", "完成及时性", 10, "是否按计划完成", "按时得满分"),
        Row("产出", "产出成本", "成本节约率", 10, "成本控制情况", "未超支得满分"),
        Row("效益", "项目效益", "社会效益", 10, "项目实施的社会影响", "达到预期得满分"),
        Row("效益", "项目效益", "可持续影响", 5, "长效机制", "有长效机制得满分"),
        Row("效益", "满意度", "服务对象满意度", 5, "满意度调查", "≥90%得满分"),
    ]);

    public static readonly IReadOnlyList<EvaluationTemplate> All = [Default, Decision];

    public static EvaluationTemplate? Find(string? key) => All.FirstOrDefault(t => t.Key == key);

    private static ScoreRow Row(string level1, string level2, string level3, decimal weight, string? points, string? standard) =>
        new(level1, level2, level3, weight, points, standard, null, null);
}
