using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Reminders;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Oversight;

/// <summary>Whose turn a late task is: the unit's, the firm's or the bureau's own (by the role the task waits for).</summary>
internal enum WaitingOn
{
    Unit = 1,
    Firm = 2,
    Bureau = 3,
}

/// <summary>
/// 办理方 is the kind of organisation the task's role belongs to (<see cref="Roles.KindFor"/>), named as organisations are
/// (<see cref="OrganisationKindLabels.Label"/>); the API keeps its own short words Unit / Firm / Bureau.
/// </summary>
internal static class WaitingOnLabels
{
    public static OrganisationKind Kind(this WaitingOn w) => w switch
    {
        WaitingOn.Unit => OrganisationKind.BudgetUnit,
        WaitingOn.Firm => OrganisationKind.EvaluationFirm,
        _ => OrganisationKind.FinanceBureau,
    };

    public static string Label(this WaitingOn w) => w.Kind().Label();

    public static string[] RolesOf(WaitingOn w) => [.. Roles.All.Where(r => Roles.KindFor(r) == w.Kind())];

    public static WaitingOn Of(string? role) =>
        role is null || !Roles.All.Contains(role) ? WaitingOn.Bureau : Enum.GetValues<WaitingOn>().First(w => w.Kind() == Roles.KindFor(role));
}

/// <summary>The filters of the 逾期督办 list as understood: a flow id, whose turn, part of a unit's name.</summary>
internal sealed record OverdueFilter(string? Flow, WaitingOn? WaitingOn, string? Unit)
{
    public static readonly OverdueFilter All = new(null, null, null);

    /// <summary>The filter, or the Chinese problems naming each parameter that is wrong.</summary>
    public static (OverdueFilter Filter, Dictionary<string, string[]> Errors) Parse(string? flow, string? waitingOn, string? unit, WorkflowRegistry registry)
    {
        var errors = new Dictionary<string, string[]>();
        flow = string.IsNullOrWhiteSpace(flow) ? null : flow.Trim();
        if (flow is not null && !registry.All.Any(d => d.Id == flow))
        {
            errors["flow"] = [$"流程「{flow}」不存在，应为：{string.Join("、", Flows(registry).Select(f => $"{f.Id}（{f.Title}）"))}。"];
        }

        WaitingOn? waiting = null;
        if (!string.IsNullOrWhiteSpace(waitingOn))
        {
            if (Enum.TryParse<WaitingOn>(waitingOn.Trim(), ignoreCase: true, out var w) && Enum.IsDefined(w) && !int.TryParse(waitingOn, out _))
            {
                waiting = w;
            }
            else
            {
                errors["waitingOn"] = [$"办理方「{waitingOn}」无效，应为 Unit（预算单位）、Firm（第三方机构）或 Bureau（财政局）。"];
            }
        }

        unit = TextInput.Line(unit);
        return (new OverdueFilter(flow, waiting, unit), errors);
    }

    /// <summary>The flows in use (newest version of each), for the filter's choices.</summary>
    public static IReadOnlyList<(string Id, string Title)> Flows(WorkflowRegistry registry) =>
        registry.All.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).Select(id => (id, registry.Latest(id).Title)).ToList();
}

/// <summary>
/// One late task as the 逾期督办 list shows it: the case, its unit, the step, who holds it, the due day, how many working
/// days it is late, and the last reminder or 催办 that went out for it (so the officer sees whether the unit has been
/// told before picking up the phone).
/// </summary>
internal sealed record OverdueTask(Guid WorkItemId, Guid CaseId, string Title, string Unit, string Flow, string StateLabel, WaitingOn WaitingOn, string Holder,
    DateOnly DueDay, int OverdueWorkingDays, DateOnly? LastReminded, string? LastReminder);

/// <summary>How many tasks are late across the district, and whose turn they are.</summary>
internal sealed record OverdueCounts(int Total, int Units, int Firms, int Bureau)
{
    public static async Task<OverdueCounts> CountAsync(AppDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var byRole = await Late(db, now).GroupBy(w => w.AssigneeRole).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Of(WaitingOn w) => byRole.Where(r => WaitingOnLabels.Of(r.Key) == w).Sum(r => r.Count);
        return new(byRole.Sum(r => r.Count), Of(WaitingOn.Unit), Of(WaitingOn.Firm), Of(WaitingOn.Bureau));
    }

    /// <summary>Open tasks past their due time, across the district (the bureau sees every case).</summary>
    public static IQueryable<WorkItem> Late(AppDbContext db, DateTimeOffset now) =>
        db.WorkItems.IgnoreQueryFilters().Where(w => w.Status == WorkItemStatus.Open && w.DueAt < now);
}

/// <summary>The bureau's 逾期督办: every open task past its due date, whoever holds it, the longest overdue first.</summary>
internal sealed class OverdueTasks(AppDbContext db, TimeProvider clock, DueDates dueDates, ReminderSchedule schedule, WorkflowRegistry registry)
{
    /// <summary>An export holds at most this many rows; more asks for a narrower filter.</summary>
    public const int MaxExportRows = 20_000;

    public async Task<Paged<OverdueTask>> PageAsync(OverdueFilter filter, int? page, int pageSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var items = await Ordered(filter, now).ToPageAsync(page, ct, pageSize);
        return new Paged<OverdueTask>(await DescribeAsync(items.Items, now, ct), items.Page, items.PageSize, items.HasNext);
    }

    /// <summary>Every late task of the filter, or null when there are more than <see cref="MaxExportRows"/>.</summary>
    public async Task<IReadOnlyList<OverdueTask>?> AllAsync(OverdueFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var items = await Ordered(filter, now).Take(MaxExportRows + 1).ToListAsync(ct);
        return items.Count > MaxExportRows ? null : await DescribeAsync(items, now, ct);
    }

    public Task<int> CountAsync(OverdueFilter filter, CancellationToken ct) => Filtered(filter, clock.GetUtcNow()).CountAsync(ct);

    private IQueryable<WorkItem> Filtered(OverdueFilter filter, DateTimeOffset now)
    {
        var items = OverdueCounts.Late(db, now);
        if (filter.Flow is { } flow)
        {
            items = items.Where(w => db.WorkflowInstances.IgnoreQueryFilters().Any(i => i.Id == w.InstanceId && i.DefinitionId == flow));
        }

        if (filter.WaitingOn is { } waiting)
        {
            var roles = WaitingOnLabels.RolesOf(waiting);
            items = items.Where(w => roles.Contains(w.AssigneeRole!));
        }

        if (filter.Unit is { } unit)
        {
            var named = db.Organisations.IgnoreQueryFilters().NamedLike(unit).Select(o => o.Id);
            items = items.Where(w => named.Contains(w.CaseOrganisationId));
        }

        return items;
    }

    private IQueryable<WorkItem> Ordered(OverdueFilter filter, DateTimeOffset now) =>
        Filtered(filter, now).AsNoTracking().OrderBy(w => w.DueAt).ThenBy(w => w.Id);

    private async Task<IReadOnlyList<OverdueTask>> DescribeAsync(IReadOnlyList<WorkItem> items, DateTimeOffset now, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var holders = await TaskHolders.LoadAsync(db, items, ct);
        var units = await OrganisationNames.ForAsync(db, items.Select(w => (Guid?)w.CaseOrganisationId), ct);
        var caseIds = items.Select(w => w.InstanceId).Distinct().ToList();
        var flows = await db.WorkflowInstances.IgnoreQueryFilters().AsNoTracking().Where(i => caseIds.Contains(i.Id))
            .Select(i => new { i.Id, i.DefinitionId, i.DefinitionVersion }).ToDictionaryAsync(i => i.Id, i => registry.Get(i.DefinitionId, i.DefinitionVersion).Title, ct);
        var itemIds = items.Select(w => w.Id).ToList();
        var reminded = (await db.ReminderLedger.AsNoTracking().Where(r => itemIds.Contains(r.WorkItemId))
                .GroupBy(r => r.WorkItemId).Select(g => g.OrderByDescending(r => r.CreatedAt).Select(r => new { r.WorkItemId, r.Day, r.Stage }).First()).ToListAsync(ct))
            .ToDictionary(r => r.WorkItemId);
        var today = dueDates.Today(now);
        return items.Select(w =>
        {
            var dueDay = dueDates.DueDay(w.DueAt!.Value);
            var last = reminded.GetValueOrDefault(w.Id);
            return new OverdueTask(w.Id, w.InstanceId, w.Title, units.GetValueOrDefault(w.CaseOrganisationId) ?? string.Empty, flows.GetValueOrDefault(w.InstanceId) ?? string.Empty,
                w.StateLabel, WaitingOnLabels.Of(w.AssigneeRole), holders.Describe(w), dueDay, schedule.OverdueWorkingDays(dueDay, today),
                last?.Day, last is null ? null : StageLabel(last.Stage));
        }).ToList();
    }

    /// <summary>The kind of the last reminder in Chinese (the ledger's stage ids are code).</summary>
    public static string StageLabel(string stage) =>
        stage.StartsWith("manual", StringComparison.Ordinal) ? "催办"
        : stage.StartsWith("escalate", StringComparison.Ordinal) ? "督办"
        : stage == ReminderSchedule.OverdueStage ? "逾期提醒"
        : "到期提醒";
}
