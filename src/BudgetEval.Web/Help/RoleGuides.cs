using BudgetEval.Web.Users;

namespace BudgetEval.Web.Help;

/// <summary>One thing a role does, and the page where it is done (null when it is done from 待办).</summary>
internal sealed record GuideStep(string Text, string? Href = null, string? LinkText = null);

internal sealed record RoleGuide(string Role, IReadOnlyList<GuideStep> Steps)
{
    public string Label => Roles.Label(Role);
}

/// <summary>
/// What each role does in the yearly cycle, in the order a year brings it, with a link to where it is done.
/// Users coming from Word, Excel and phone calls read this first; the links are walked by a test.
/// </summary>
internal static class RoleGuides
{
    private static readonly GuideStep Inbox = new("每天先看「待办」：要您办理的事项都在这里，按办理期限排列，已逾期的标有「逾期」。", "/inbox", "待办");

    public static readonly IReadOnlyList<RoleGuide> All =
    [
        new(Roles.UnitFiller,
        [
            Inbox,
            new("财政局发布评价工作计划后，本单位的自评事项出现在「绩效自评」和待办中。打开自评表填写指标和资金情况，也可以下载 Excel 模板填好后「导入指标」；文件有错时逐格列出，不会保存一半。", "/self-evaluations", "绩效自评"),
            new("本单位上年及以前发现的问题，须在自评表页上方的「填写整改情况说明」中逐项说明整改情况，才能提交。"),
            new("填写完成并保存后点「去提交」，在事项页点「提交」，交单位负责人审核。截止日期后仍可提交，系统会标记「逾期」。"),
            new("被单位负责人或财政局退回时，待办中可以看到退回意见；修改后点「重新提交」。"),
            new("本单位的问题在「问题台账」：先报送整改方案，整改完成后报送整改结果和佐证材料；确有困难可在期限前「申请延期」。", "/findings", "问题台账"),
            new("单位被列为重点评价对象时，评价报告初稿会送到待办征求意见，请在 5 个工作日内反馈。"),
        ]),
        new(Roles.UnitHead,
        [
            Inbox,
            new("审核本单位填报人提交的自评表：无误点「同意上报」送财政局；需要修改时填写意见后「退回」。", "/self-evaluations", "绩效自评"),
            new("本单位的事项逾期时，督办通知会发给您；问题的整改进度在「问题台账」查看。", "/findings", "问题台账"),
        ]),
        new(Roles.FinanceOfficer,
        [
            Inbox,
            new("每年制定并发布评价工作计划：选择覆盖的单位和项目、截止日期和计分规则。发布后各单位立即收到待办；发布后要增加单位或调整截止日期，用「计划变更」。", "/plans", "评价计划"),
            new("在待办中审核各单位上报的自评：「版本差异」列出与上次审核版本相比改了什么；通过，或填写意见退回修改。"),
            new("在「重点评价」中选定评价对象（系统按预算规模、执行率和等级提出建议），经财政局领导批准后委托评价机构，最后验收评价报告。", "/evaluations", "重点评价"),
            new("评价报告验收后，问题自动登记进「问题台账」；审计、巡察等发现的问题可以手工登记。单位报送整改结果后，在待办中核验：已整改、部分整改（给出新期限）、未通过或无法整改。", "/findings", "问题台账"),
            new("「逾期督办」列出全区所有已逾期的待办（谁在办、逾期几个工作日、最近一次提醒），可勾选多项一次催办；单个事项也可在事项页点「催办」。系统每天 9:00 自动提醒、逾期后督办。", "/oversight", "逾期督办"),
            new("「数据看板」看全区的提交、评价和整改进度；「结果应用」汇总得分、等级和整改率，供预算安排参考和公开。", "/dashboards", "数据看板"),
        ]),
        new(Roles.FinanceLead,
        [
            Inbox,
            new("审批绩效管理员提出的重点评价对象清单：同意评价或不予评价。", "/evaluations", "重点评价"),
            new("财政局的事项逾期较久时，督办通知会发给您。「逾期督办」看全区哪些事项逾期、在谁手里；「数据看板」看全区进度。", "/oversight", "逾期督办"),
            new("在「结果应用」核对当年的得分、等级和整改情况后「审定」；审定后结果冻结，公开清单锁定。", "/results", "结果应用"),
        ]),
        new(Roles.Evaluator,
        [
            Inbox,
            new("财政局委托给本机构的评价任务在「我的评价任务」。先登记评价组成员及其回避声明；现场评价的每一步（资料审阅、账务核实、实地核查等）记入评价页的「现场评价工作记录」，财政局可查阅；再逐项评分、撰写报告初稿和发现的问题。", "/evaluations", "我的评价任务"),
            new("初稿「提交初稿征求意见」后，被评价单位在 5 个工作日内反馈；逐条答复后提交正式报告，由财政局验收。"),
            new("报告提交期限以委托时约定的日期为准，逾期会提醒并督办。"),
        ]),
        new(Roles.Admin,
        [
            new("新建机构（财政局、预算单位、评价机构）和用户，分配角色；新用户首次登录须修改密码。忘记密码的用户由您重置。", "/admin/users", "用户管理"),
            new("每年 11 月前登记下一年的节假日和调休上班日：办理期限和提醒都按工作日计算。", "/admin/calendar", "工作日历"),
            new("维护指标模板：新建评价计划、委托重点评价时可选的自评和重点评价指标模板。修改只影响此后新建的计划和委托的评价，不再使用的请停用。", "/admin/templates", "指标模板"),
            new("维护问题类别；查看和导出审计日志（登录、角色变更、每次流转、导出）。", "/admin/audit", "审计日志"),
            new("「后台任务」查看提醒、邮件发送等任务的运行情况。", "/admin/jobs", "后台任务"),
        ]),
    ];

    /// <summary>The caller's own roles first, in the order of <see cref="Roles.All"/>.</summary>
    public static (IReadOnlyList<RoleGuide> Own, IReadOnlyList<RoleGuide> Others) Split(Func<string, bool> isInRole) =>
        (All.Where(g => isInRole(g.Role)).ToList(), All.Where(g => !isInRole(g.Role)).ToList());
}
