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

    /// <summary>
    /// 投入/过程/产出/效果 as in the 望城区 部门整体支出 sample (weights 9 + 31 + 40 + 20 = 100): its generic 投入 and 过程
    /// rows, and generic 产出 and 效果 rows in place of the sample unit's own indicators; every row has its
    /// 评分要点 and 评分标准.
    /// </summary>
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
        // 产出 and 效果 hold what any unit's department-wide spending is judged by (the sample's own 网格化管理,
        // 工单处理… belong to one centre: a firm adds such 个性指标 per evaluation, by import or by hand).
        Row("产出", "职责履行", "重点工作完成率", 10, "部门年度重点工作（“三定”职责及党委、政府交办事项）实际完成数与计划数之比。",
            "完成率100%计满分，每低1个百分点扣0.2分，扣完为止。"),
        Row("产出", "职责履行", "绩效目标完成率", 8, "部门整体支出绩效目标表中各产出指标的实际完成值与目标值对比。",
            "各产出指标均达到目标值计满分；每有一项未达到，按未完成比例扣分，扣完为止。"),
        Row("产出", "职责履行", "质量达标率", 6, "达到质量标准（验收、考核、检查合格）的产出数量与实际产出数量之比。",
            "达标率100%计满分，每低1个百分点扣0.2分，扣完为止。"),
        Row("产出", "职责履行", "完成及时性", 6, "重点工作和各项产出是否在计划或规定时限内完成。",
            "全部按时完成计满分，每有一项超期完成或未完成扣1分，扣完为止。"),
        Row("产出", "履职成本", "公用经费控制率", 4, "公用经费控制率=（本年度实际支出的公用经费总额/预算安排的公用经费总额）×100%。",
            "控制率≤100%计满分，每超出1个百分点扣0.4分，扣完为止。"),
        Row("产出", "履职成本", "项目成本控制", 3, "各项目实际成本与预算（计划）成本对比，是否存在超支或成本不合理的情况。",
            "均未超支计满分，每发现一个项目超支或成本明显不合理扣1分，扣完为止。"),
        Row("产出", "资产运行", "固定资产利用率", 3, "固定资产利用率=（实际在用固定资产总额/所有固定资产总额）×100%。",
            "利用率≥95%计满分，每低1个百分点扣0.2分，扣完为止。"),
        Row("效果", "履职效益", "社会效益", 5, "部门履职对经济社会发展、公共服务和社会治理产生的直接或间接影响是否达到预期。",
            "达到预期计满分；部分达到酌情扣分；未达到不计分。"),
        Row("效果", "履职效益", "社会影响", 2, "部门履职过程中是否发生造成不良社会影响的事件（重大舆情、安全事故、群体性事件等）。",
            "未发生计满分，每发生一例扣1分；发生重大事件的不计分。"),
        Row("效果", "履职效益", "经济效益", 2, "部门履职对经济发展、节约财政资金等方面产生的影响。",
            "效益明显计满分，一般计1分，无明显效益不计分。"),
        Row("效果", "履职效益", "生态效益", 1, "部门履职对生态环境产生的影响（无直接影响的，说明后计满分）。",
            "无负面影响且达到预期计满分，有负面影响不计分。"),
        Row("效果", "可持续影响", "长效管理机制", 4, "是否建立了保障履职效益持续发挥的制度、人员队伍和信息化等长效机制。",
            "机制健全且有效运行计满分；有机制未有效运行扣2分；未建立不计分。"),
        Row("效果", "满意度", "社会公众或服务对象满意度", 6, "社会公众或服务对象对部门履职效果的满意程度（问卷调查或座谈）。",
            "满意度≥95%计满分，每低1个百分点扣0.3分，扣完为止。"),
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
