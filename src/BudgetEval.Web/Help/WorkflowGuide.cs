using System.Globalization;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Web.Help;

/// <summary>
/// A definition in the words of its users: who acts in each step, by when, what reminds them and what they may
/// do. Read from workflows/*.yaml, so the 使用说明 page cannot drift from what the engine does.
/// </summary>
internal static class WorkflowGuide
{
    /// <summary>The flows in the order of the yearly cycle; a flow added later follows them.</summary>
    private static readonly string[] CycleOrder = ["self-evaluation-review", "external-evaluation", "rectification"];

    public static IReadOnlyList<WorkflowDefinition> Newest(WorkflowRegistry registry) =>
        registry.All.Select(d => d.Id).Distinct().Select(registry.Latest)
            .OrderBy(d => Array.IndexOf(CycleOrder, d.Id) is var i and >= 0 ? i : CycleOrder.Length)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

    public static string Actor(ActorRule? actor) => actor is null ? "—" : $"{Roles.Label(actor.Role)}（{Scope(actor.Scope)}）";

    private static string Scope(ActorScope scope) => scope switch
    {
        ActorScope.Unit => "被评价单位",
        ActorScope.Bureau => "财政局",
        _ => "受托评价机构",
    };

    public static string Due(WorkflowDefinition def, DueRule? due) => due?.Kind switch
    {
        null => "—",
        DueRuleKind.WorkingDaysAfterEntry => $"进入本环节后 {Number(due.WorkingDays)} 个工作日",
        DueRuleKind.PlanDeadline when def.SubjectType == "Evaluation" => "委托时约定的报告提交期限",
        DueRuleKind.PlanDeadline => "评价工作计划规定的截止日期",
        _ when def.SubjectType == "Finding" => "问题的整改期限（同意延期或部分整改后按新期限）",
        _ => "事项本身的期限",
    };

    /// <summary>E.g. 到期前 7、3、1 个工作日和到期当天提醒；逾期后每个工作日提醒；逾期 3 个工作日督办单位负责人。</summary>
    public static string Reminders(ReminderPolicy? policy)
    {
        if (policy is null)
        {
            return "—";
        }

        // The due day always gets one (ReminderSchedule), whatever the policy lists before it.
        var parts = new List<string>
        {
            policy.DaysBefore.Count > 0
                ? $"到期前 {string.Join("、", policy.DaysBefore.OrderDescending().Select(Number))} 个工作日和到期当天提醒"
                : "到期当天提醒",
        };
        if (policy.OverdueEvery is not null)
        {
            parts.Add("逾期后每个工作日提醒");
        }

        parts.AddRange(policy.Escalate.OrderBy(e => e.AfterWorkingDays)
            .Select(e => $"逾期 {Number(e.AfterWorkingDays)} 个工作日督办{Roles.Label(e.To)}"));
        return string.Join("；", parts) + "。";
    }

    /// <summary>E.g. 同意上报（单位负责人）→ 财政审核；退回（单位负责人，须填写意见）→ 草稿.</summary>
    public static IReadOnlyList<string> Actions(WorkflowDefinition def, StateDefinition state) =>
        state.Actions.Select(a =>
            $"{a.Label}（{string.Join("、", a.Roles.Select(Roles.Label))}{(a.CommentRequired ? "，须填写意见" : string.Empty)}）→ {def.State(a.Target).Label}")
        .ToList();

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
