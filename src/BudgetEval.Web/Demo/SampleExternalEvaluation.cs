using BudgetEval.Web.Evaluations;

namespace BudgetEval.Web.Demo;

/// <summary>
/// The 2021 部门整体支出绩效评价 of 长沙市望城区社会治理服务中心 by 湖南新财苑会计师事务所 (a real report, see
/// shared/samples): its indicator table (89.80, 良), its report sections and its nine problems. The demo
/// seed enters it through the evaluation service; the tests drive the same data through the API.
/// </summary>
internal static class SampleExternalEvaluation
{
    public const int FiscalYear = 2021;
    public const string ReportNumber = "湘财苑专审字[2022]第124号";
    public const string LeadEvaluator = "江惠平";
    public static readonly DateOnly ReportDate = new(2022, 7, 15);

    /// <summary>
    /// The 报告提交期限 of the commission. The report does not state it; the demo's is shortly after the report's date, so
    /// the finished evaluation reads as delivered on time, whenever the demo is seeded.
    /// </summary>
    public static readonly DateOnly ReportDueDate = new(2022, 7, 31);

    /// <summary>
    /// 现场评价 as the report tells it (资料审阅、账务核实…、实地核查 in May 2022; the asset count on 25 May found 48 对讲机
    /// missing). The report dates only the count; the other two days are the demo's.
    /// </summary>
    public static readonly IReadOnlyList<Evaluations.Fieldwork.FieldworkInput> Fieldwork =
    [
        new("DocumentReview", new(2022, 5, 23), "2021年度部门预算、决算、绩效目标申报表及部门整体支出自评报告", LeadEvaluator + "等评价组成员",
            "审阅预算执行、绩效目标及自评报告。自评报告总结了绩效目标实现的基本情况，但未说明以前年度发现问题的整改情况。"),
        new("AccountsCheck", new(2022, 5, 24), "2021年度会计账簿、记账凭证及费用报销单据", LeadEvaluator + "等评价组成员，单位财务人员陪同",
            "核对收支账务及费用报销审批。部分费用报销未按《望城区社会治理服务中心内部控制制度》逐级报批。"),
        new("SiteVisit", new(2022, 5, 25), "区社会治理服务中心账面资产（抽盘）", LeadEvaluator + "等评价组成员，单位资产管理人员陪同",
            "对账面资产进行抽盘，发现对讲机 48 件未见实物；经了解已随职能划转，相关资产转移手续已办妥，但单位未进行账务处理。"),
    ];

    public static readonly IReadOnlyDictionary<string, string?> Sections = new Dictionary<string, string?>
    {
        ["overview"] = "区社会治理服务中心是望城区政府直属公益类事业单位，为正科级，内设综合办公室、信息采集科、网格管理科和热线平台科，主要承担全区社会治理网格化体系建设、运行、管理等事务性工作。",
        ["spending"] = "区社会治理服务中心2021年度实际支出902.42万元，其中：基本支出309.15万元，一般项目支出593.27万元。",
        ["goals"] = "落实三定方案部门职责要求，积极整合各类资源，完成中央、省、市、区下派的12345市民热线、区级信箱等政务热线平台工单任务，推进全区社会治理网格化建设工作。",
        ["conclusion"] = "区社会治理服务中心2021年度基本完成年初设定的部门整体绩效目标，但仍有部分绩效目标未实现，如超期处置工单、存在案件应结未结的情况。综合评分89.80分，评价等级为“良”。",
        ["problems"] = "预算绩效管理工作不到位；财务管理不规范；业务活动管理有待加强；重点问题未及时整改到位（详见问题清单）。",
        ["recommendations"] = "加强绩效管理，提高预算绩效管理水平；加强财务管理，提高资金使用效益；加强资产管理，确保资产安全完整；重视业务活动管理，提高绩效目标完成率。",
    };

    public static IReadOnlyList<Problem> Problems { get; } =
    [
        new(1, "预算绩效管理", "政府采购执行率偏低", "年初政府采购预算294.7万元，实际采购65.48万元，执行率22.22%。", "政府采购执行率", "加强绩效管理，提高预算绩效管理水平"),
        new(2, "预算绩效管理", "绩效自评报告质量不高", "问题部分仅涉及预算执行，未提出建议，未反映上年自评报告中问题的整改情况。", "绩效自评情况", "加强绩效管理，提高预算绩效管理水平"),
        new(3, "财务管理", "未对资产进行年度盘点和编码管理", "资产管理工作待加强。", "资产管理安全性", "加强资产管理，确保资产安全完整"),
        new(4, "财务管理", "部分资产账实不符", "2022年5月25日抽盘发现对讲机48件未见实物（2019年12月已移交区应急管理局，未做账务处理）。", "资产管理安全性", "加强资产管理，确保资产安全完整"),
        new(5, "财务管理", "费用报销不规范", "2021年3月加班餐费0.17万元、11月0.12万元，凭证后未见加班用餐审批表。", "资金使用合规性", "加强财务管理，提高资金使用效益"),
        new(6, "业务管理", "三级网格队伍建设管理不严谨", "月亮岛街道、金山桥街道三级网格未按“1+1+N”模式组建；截至2021年12月已符合要求。", "网格化管理", "重视业务活动管理，提高绩效目标完成率",
            RectifiedBeforeReport: true, RectifiedOn: new DateOnly(2021, 12, 31), RectifiedEvidence: "截至2021年12月，两街道三级网格已按“1+1+N”模式组建。"),
        new(7, "项目管理", "个别项目建设未完成", "智慧社区试点示范工程（一期）（政府端）建设周期2020年12月至2021年10月，截至现场评价日仍未完成。", "试点智慧社区建设", "重视业务活动管理，提高绩效目标完成率"),
        new(8, "业务管理", "绩效目标完成率待提高", "超期未结案件197件，超期已结案件201件。", "及时性", "重视业务活动管理，提高绩效目标完成率"),
        new(9, "整改落实", "重点问题未及时整改到位", "区委第三巡察组反馈（望治党组〔2020〕9号）“资产管理不规范，部分软件未作为无形资产入账”问题现场评价时仍存在；出具报告时已整改到位。", "问题整改情况", "加强资产管理，确保资产安全完整",
            RectifiedBeforeReport: true, RectifiedOn: new DateOnly(2022, 7, 15), RectifiedEvidence: "出具报告时软件已作为无形资产入账。", PriorSourceKind: "巡察", PriorSourceDocument: "望治党组〔2020〕9号"),
    ];

    /// <summary>The six-column transcription (shared/samples/structured): scores and 评分说明 only.</summary>
    public static byte[] IndicatorsCsv() => DemoResources.Read("wangcheng-2021-external-evaluation-indicators.csv");

    /// <summary>
    /// The same rows with the report annex's own 评分要点 and 评分标准 as the last two columns. The demo seeds
    /// from this one: without them the import falls back to the generic template's wording, which contradicts
    /// the report on several rows (政府采购执行率, 聘用人员控制率, 满意度 …).
    /// </summary>
    public static byte[] ScoreTableCsv() => DemoResources.Read("wangcheng-2021-external-evaluation-score-table.csv");
}
