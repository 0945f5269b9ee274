using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Home;

/// <summary>One home page, whose sections depend on the roles of the user; every number is a live count.</summary>
internal sealed class IndexModel(AppDbContext db, TimeProvider clock, ChinaClock china, BudgetEval.Web.Workflows.InboxQueries inbox) : PageModel
{
    public IReadOnlyList<HomeSection> Sections { get; private set; } = [];

    public string RoleLabels { get; private set; } = string.Empty;

    public string Today { get; private set; } = string.Empty;

    /// <summary>数据看板 for the roles that may open one (the bureau's or the unit's own).</summary>
    public string? DashboardLink =>
        User.IsInRole(Roles.Admin) || User.IsInRole(Roles.FinanceOfficer) || User.IsInRole(Roles.FinanceLead) ? "/dashboards"
        : User.IsInRole(Roles.UnitFiller) || User.IsInRole(Roles.UnitHead) ? "/dashboards/unit"
        : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        RoleLabels = string.Join("、", Roles.All.Where(User.IsInRole).Select(Roles.Label));
        Today = ChineseFormat.Date(china.Today(clock));
        var sections = new List<HomeSection>();
        var now = clock.GetUtcNow();

        // Everyone signed in has a 待办; the numbers come from the work items, like the inbox itself.
        // Both numbers in one pass over my open items (the bureau's are a whole province's).
        var mine = await inbox.OpenFor(BudgetEval.Web.Workflows.WorkflowActor.From(User)).GroupBy(w => 1)
            .Select(g => new { Open = g.Count(), Overdue = g.Count(w => w.DueAt < now) }).FirstOrDefaultAsync(ct);
        sections.Add(new HomeSection("待办事项",
        [
            new("inbox-open", "待办", mine?.Open ?? 0, "/inbox"),
            new("inbox-overdue", "已逾期", mine?.Overdue ?? 0, "/inbox?overdue=true"),
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
            var units = await db.Organisations.CountAsync(o => o.IsActive && o.Kind == OrganisationKind.BudgetUnit, ct);
            var supervising = await db.Organisations.CountAsync(o => o.IsActive && o.Kind == OrganisationKind.BudgetUnit && db.Organisations.Any(c => c.ParentId == o.Id), ct);
            var firms = await db.Organisations.CountAsync(o => o.IsActive && o.Kind == OrganisationKind.EvaluationFirm, ct);
            // All users less those of the few organisations that are not units: two index reads instead of
            // joining 60,000 users with 30,000 units on every view (province scale).
            var otherOrganisations = db.Organisations.Where(o => o.Kind != OrganisationKind.BudgetUnit).Select(o => o.Id);
            var unitUsers = await db.Users.CountAsync(ct) - await db.Users.CountAsync(u => otherOrganisations.Contains(u.OrganisationId), ct);
            sections.Add(new HomeSection("全区概况",
            [
                new("bureau-units", "预算单位", units, "/organisations?kind=BudgetUnit"),
                new("bureau-supervising", "主管部门", supervising, "/organisations?kind=BudgetUnit"),
                new("bureau-firms", "第三方机构", firms, "/organisations?kind=EvaluationFirm"),
                new("bureau-unit-users", "单位用户", unitUsers, "/organisations"),
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
        }

        Sections = sections;
    }
}

internal sealed record HomeSection(string Title, IReadOnlyList<HomeTile> Tiles);

internal sealed record HomeTile(string Key, string Label, int Value, string Link);
