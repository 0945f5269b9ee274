using BudgetEval.Web.Auth;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Home;

/// <summary>
/// One home page, whose sections depend on the roles of the user. A unit's or firm's numbers are live counts;
/// the bureau's 待办 and 全区概况 cover a whole province and come from <see cref="FigureReader{TKey,TValue}"/>
/// (the page says when they were counted).
/// </summary>
internal sealed class IndexModel(AppDbContext db, TimeProvider clock, ChinaClock china, InboxCounter inbox,
    FigureReader<string, BureauOverview> overview, FigureReader<string, LeadDecisions> decisions, FigureReader<string, Oversight.OverdueCounts> overdue,
    IOptions<FigureOptions> figureOptions) : PageModel
{
    public IReadOnlyList<HomeSection> Sections { get; private set; } = [];

    public string RoleLabels { get; private set; } = string.Empty;

    public string Today { get; private set; } = string.Empty;

    /// <summary>When the oldest of the reused (bureau-wide) numbers on the page was counted; null when all are live.</summary>
    public DateTimeOffset? CountedAt { get; private set; }

    /// <summary>数据看板 for the roles that may open one (the bureau's or the unit's own).</summary>
    public string? DashboardLink =>
        User.IsInRole(Roles.Admin) || User.IsInRole(Roles.FinanceOfficer) || User.IsInRole(Roles.FinanceLead) ? "/dashboards"
        : User.IsInRole(Roles.UnitFiller) || User.IsInRole(Roles.UnitHead) ? "/dashboards/unit"
        : null;

    /// <summary>
    /// A bureau-wide figure, recounted in the background once older than Figures:RefreshSeconds (ADR 0013); the page
    /// says 统计于 the oldest count it shows.
    /// </summary>
    private async Task<T> BureauWideAsync<T>(FigureReader<string, T> reader, Func<AppDbContext, CancellationToken, Task<T>> count)
    {
        var maxAge = TimeSpan.FromSeconds(figureOptions.Value.RefreshSeconds);
        var (value, at) = await reader.GetAsync(string.Empty, maxAge, (services, c) => SingleWorker.RunAsync(services.GetRequiredService<AppDbContext>(),
            t => count(services.GetRequiredService<AppDbContext>(), t), c));
        if (maxAge > TimeSpan.Zero && (CountedAt is null || at < CountedAt))
        {
            CountedAt = at;
        }

        return value;
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        RoleLabels = string.Join("、", Roles.All.Where(User.IsInRole).Select(Roles.Label));
        Today = ChineseFormat.Date(china.Today(clock));
        var sections = new List<HomeSection>();
        var now = clock.GetUtcNow();

        // Everyone signed in has a 待办; the numbers are the inbox's own.
        var mine = await inbox.ForAsync(User, ct);
        CountedAt = mine.At;
        sections.Add(new HomeSection("待办事项",
        [
            new("inbox-open", "待办", mine.Value.Total, "/inbox"),
            new("inbox-overdue", "已逾期", mine.Value.Overdue, "/inbox?overdue=true"),
        ]));

        if (User.IsInRole(Roles.Admin))
        {
            var byKind = await db.Organisations.Where(o => o.IsActive).GroupBy(o => o.Kind)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            var userCount = await db.Users.CountAsync(ct);
            var locked = await db.Users.CountAsync(u => u.LockoutEnd != null && u.LockoutEnd > now, ct);
            sections.Add(new HomeSection("系统管理",
            [
                new("admin-units", "预算单位", byKind.GetValueOrDefault(OrganisationKind.BudgetUnit), "/admin/organisations?kind=BudgetUnit"),
                new("admin-firms", "第三方机构", byKind.GetValueOrDefault(OrganisationKind.EvaluationFirm), "/admin/organisations?kind=EvaluationFirm"),
                new("admin-users", "用户", userCount, "/admin/users"),
                new("admin-locked", "已锁定用户", locked, "/admin/users?locked=true"),
            ]));
        }

        if (User.IsInRole(Roles.FinanceOfficer) || User.IsInRole(Roles.FinanceLead))
        {
            var o = await BureauWideAsync(overview, BureauOverview.CountAsync);

            sections.Add(new HomeSection("全区概况",
            [
                new("bureau-units", "预算单位", o.Units, "/organisations?kind=BudgetUnit"),
                new("bureau-supervising", "主管部门", o.Supervising, "/organisations?kind=BudgetUnit"),
                new("bureau-firms", "第三方机构", o.Firms, "/organisations?kind=EvaluationFirm"),
                new("bureau-unit-users", "单位用户", o.UnitUsers, "/organisations"),
            ]));

            // The 已逾期 above counts the officer's own tasks; the units' and firms' late ones are chased from 逾期督办.
            var late = await BureauWideAsync(overdue, (c, t) => Oversight.OverdueCounts.CountAsync(c, clock.GetUtcNow(), t));
            sections.Add(new HomeSection("全区逾期待办",
            [
                new("overdue-units", "待预算单位办理", late.Units, "/oversight?waitingOn=Unit"),
                new("overdue-firms", "待第三方机构办理", late.Firms, "/oversight?waitingOn=Firm"),
                new("overdue-bureau", "待财政局办理", late.Bureau, "/oversight?waitingOn=Bureau"),
            ]));
        }

        if (User.IsInRole(Roles.FinanceLead) && User.OrganisationKind() == OrganisationKind.FinanceBureau)
        {
            // What waits for the lead's decision: the selection of targets is also in 待办, the year's 审定 is not a task
            // anywhere else, so without this the lead had to think of opening 结果应用 by themselves.
            var d = await BureauWideAsync(decisions, LeadDecisions.CountAsync);

            sections.Add(new HomeSection("待我审定",
            [
                new("lead-selections", "重点评价对象待审批", d.PendingSelections, "/evaluations#pending-approval"),
                .. d.UnapprovedYears.Select(y => new HomeTile($"lead-results-{y.Year}", $"{y.Year}年度评价结果待审定（已出结果的项数）", y.Results, $"/results?year={y.Year}")),
            ]));
        }

        if (User.OrganisationKind() is OrganisationKind.BudgetUnit or OrganisationKind.EvaluationFirm && User.OrganisationId() is { } own)
        {
            var colleagues = await db.Users.CountAsync(u => u.OrganisationId == own, ct);
            var subordinate = await db.Organisations.IgnoreQueryFilters().CountAsync(o => o.ParentId == own && o.IsActive, ct);
            var tiles = new List<HomeTile> { new("own-users", "本单位用户", colleagues, $"/organisations/{own}") };
            if (subordinate > 0)
            {
                tiles.Add(new("own-subordinates", "下属单位", subordinate, $"/organisations/{own}"));
            }

            sections.Add(new HomeSection(User.OrganisationKind() == OrganisationKind.BudgetUnit ? "本单位" : "本机构", tiles));
            sections.Add(User.OrganisationKind() == OrganisationKind.BudgetUnit ? await UnitWorkAsync(ct) : await FirmWorkAsync(ct));
        }

        Sections = sections;
    }

    /// <summary>The statuses of a finding the unit still has work on, in the order it passes them.</summary>
    private static readonly FindingStatus[] BeingRectified = [FindingStatus.Open, FindingStatus.InProgress, FindingStatus.Partial];

    /// <summary>
    /// What a unit comes to do besides its 待办: its self-evaluations and the findings still being rectified. Counted
    /// through the data scope, as the lists they link to are, so each number is the length of the list it opens.
    /// </summary>
    private async Task<HomeSection> UnitWorkAsync(CancellationToken ct)
    {
        var selfEvaluations = await db.SelfEvaluations.CountAsync(ct);
        var open = await db.Findings.Where(f => BeingRectified.Contains(f.Status))
            .GroupBy(f => f.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return new HomeSection("自评与整改",
        [
            new("own-self-evaluations", "绩效自评", selfEvaluations, "/self-evaluations"),
            .. BeingRectified.Select(s => new HomeTile($"own-findings-{s.ToString().ToLowerInvariant()}", FindingLabels.Status(s) + "问题", open.GetValueOrDefault(s), $"/findings?Status={s}")),
        ]);
    }

    /// <summary>A firm's evaluations: those it is commissioned for and has not yet had accepted (its data scope).</summary>
    private async Task<HomeSection> FirmWorkAsync(CancellationToken ct) =>
        new("评价任务", [new("own-evaluations", "我的评价任务", await db.Evaluations.CountAsync(ct), "/evaluations")]);
}

/// <summary>全区概况 of the bureau's home page: the whole province's units, 主管部门, firms and unit users.</summary>
internal sealed record BureauOverview(int Units, int Supervising, int Firms, int UnitUsers)
{
    public static async Task<BureauOverview> CountAsync(AppDbContext db, CancellationToken ct)
    {
        var units = await db.Organisations.CountAsync(o => o.IsActive && o.Kind == OrganisationKind.BudgetUnit, ct);
        var supervising = await db.Organisations.CountAsync(o => o.IsActive && o.Kind == OrganisationKind.BudgetUnit && db.Organisations.Any(c => c.ParentId == o.Id), ct);
        var firms = await db.Organisations.CountAsync(o => o.IsActive && o.Kind == OrganisationKind.EvaluationFirm, ct);
        // All users less those of the few organisations that are not units: two index reads instead of
        // joining 60,000 users with 30,000 units (province scale).
        var otherOrganisations = db.Organisations.Where(o => o.Kind != OrganisationKind.BudgetUnit).Select(o => o.Id);
        var unitUsers = await db.Users.CountAsync(ct) - await db.Users.CountAsync(u => otherOrganisations.Contains(u.OrganisationId), ct);
        return new(units, supervising, firms, unitUsers);
    }
}

/// <summary>
/// The 财政局领导's decisions: targets of external evaluation waiting for approval (待审批), and each year (the three
/// newest) with results — an accepted self-evaluation or a completed evaluation — that the lead has not yet approved.
/// </summary>
internal sealed record LeadDecisions(int PendingSelections, IReadOnlyList<(int Year, int Results)> UnapprovedYears)
{
    /// <summary>The external-evaluation state in which the lead approves the target (workflows/external-evaluation.v1.yaml).</summary>
    public const string SelectedState = "selected";

    public const int MaxYears = 3;

    public static async Task<LeadDecisions> CountAsync(AppDbContext db, CancellationToken ct)
    {
        var pending = await db.Evaluations.IgnoreQueryFilters().CountAsync(e => e.Status == SelectedState, ct);
        var approved = db.Set<ResultUse.ResultApproval>().Select(a => a.FiscalYear);
        var accepted = await db.SelfEvaluations.IgnoreQueryFilters()
            .Where(s => s.Status == ResultUse.ResultsReport.Accepted && !approved.Contains(s.FiscalYear))
            .GroupBy(s => s.FiscalYear).Select(g => new { Year = g.Key, Count = g.Count() }).ToListAsync(ct);
        var completed = await db.Evaluations.IgnoreQueryFilters()
            .Where(e => e.Status == ResultUse.ResultsReport.Completed && !approved.Contains(e.FiscalYear))
            .GroupBy(e => e.FiscalYear).Select(g => new { Year = g.Key, Count = g.Count() }).ToListAsync(ct);
        var years = accepted.Concat(completed).GroupBy(c => c.Year).Select(g => (Year: g.Key, Results: g.Sum(c => c.Count)))
            .OrderByDescending(y => y.Year).Take(MaxYears).ToList();
        return new(pending, years);
    }
}

internal sealed record HomeSection(string Title, IReadOnlyList<HomeTile> Tiles);

internal sealed record HomeTile(string Key, string Label, int Value, string Link);
