using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Reminders;

/// <summary>
/// Who a work item's reminders go to: its person (assigned or claimed), else every member of its role at its
/// organisation; escalations go to a role at the case's unit (UnitHead) or at the bureau (FinanceOfficer,
/// FinanceLead). Loaded once per batch of work items, not per item. Accounts an administrator has locked (someone who
/// left, or is barred) are left out: they cannot act, and mail about the unit's cases should not follow them.
/// </summary>
internal sealed class ReminderRecipients
{
    private readonly ILookup<(Guid Org, string Role), Guid> _byOrgRole;
    private readonly ILookup<string, Guid> _bureauByRole;

    private readonly HashSet<Guid> _lockedHolders;

    private ReminderRecipients(ILookup<(Guid, string), Guid> byOrgRole, ILookup<string, Guid> bureauByRole, HashSet<Guid> lockedHolders)
    {
        _byOrgRole = byOrgRole;
        _bureauByRole = bureauByRole;
        _lockedHolders = lockedHolders;
    }

    public static async Task<ReminderRecipients> LoadAsync(AppDbContext db, IReadOnlyCollection<WorkItem> items, IEnumerable<string> escalationRoles, DateTimeOffset now, CancellationToken ct)
    {
        // The failure lockout (15 minutes) keeps its reminders; only an administrator's lock (years ahead) drops them.
        var lockedFrom = Auth.LockoutKinds.AdministrativeFrom(now);
        var roles = items.Select(i => i.AssigneeRole).OfType<string>().Concat(escalationRoles).Distinct().ToList();
        var orgs = items.Select(i => i.AssigneeOrganisationId).OfType<Guid>().Concat(items.Select(i => i.CaseOrganisationId))
            .Concat(items.Select(i => i.CaseFirmId).OfType<Guid>()).Distinct().ToList();
        var rows = await (
                from u in db.Users.IgnoreQueryFilters()
                join ur in db.UserRoles on u.Id equals ur.UserId
                join r in db.Roles on ur.RoleId equals r.Id
                where roles.Contains(r.Name!) && (orgs.Contains(u.OrganisationId) || u.Organisation!.Kind == OrganisationKind.FinanceBureau)
                    && (u.LockoutEnd == null || u.LockoutEnd <= lockedFrom)
                select new { u.Id, u.OrganisationId, Role = r.Name!, Bureau = u.Organisation!.Kind == OrganisationKind.FinanceBureau })
            .AsNoTracking().ToListAsync(ct);
        var holders = items.Select(i => i.AssigneeUserId).Concat(items.Select(i => i.ClaimedBy)).OfType<Guid>().Distinct().ToList();
        var lockedHolders = holders.Count == 0 ? [] : (await db.Users.IgnoreQueryFilters()
            .Where(u => holders.Contains(u.Id) && u.LockoutEnd != null && u.LockoutEnd > lockedFrom).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        return new ReminderRecipients(
            rows.ToLookup(r => (r.OrganisationId, r.Role), r => r.Id),
            rows.Where(r => r.Bureau).ToLookup(r => r.Role, r => r.Id),
            lockedHolders);
    }

    /// <remarks>A task held by a locked account (claimed or assigned before the lock) falls back to its role's members.</remarks>
    public IReadOnlyList<Guid> Assignees(WorkItem item) =>
        item.AssigneeUserId is { } user && !_lockedHolders.Contains(user) ? [user]
        : item.ClaimedBy is { } claimer && !_lockedHolders.Contains(claimer) ? [claimer]
        : item is { AssigneeRole: { } role, AssigneeOrganisationId: { } org } ? _byOrgRole[(org, role)].ToList()
        : [];

    public IReadOnlyList<Guid> Escalation(WorkItem item, string role) => Roles.KindFor(role) switch
    {
        OrganisationKind.FinanceBureau => _bureauByRole[role].ToList(),
        OrganisationKind.EvaluationFirm => item.CaseFirmId is { } firm ? _byOrgRole[(firm, role)].ToList() : [],
        _ => _byOrgRole[(item.CaseOrganisationId, role)].ToList(),
    };
}
