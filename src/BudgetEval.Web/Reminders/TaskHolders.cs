using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Reminders;

/// <summary>
/// Who holds an overdue task, as a 督办 names them: the organisation, the role and, when one person holds it
/// (assigned or claimed), that person — the one receiving the 督办 must know whom to chase, not only which role.
/// Loaded once per sweep batch.
/// </summary>
internal sealed class TaskHolders(IReadOnlyDictionary<Guid, string> organisations, IReadOnlyDictionary<Guid, string> people)
{
    public static async Task<TaskHolders> LoadAsync(AppDbContext db, IReadOnlyCollection<WorkItem> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return new TaskHolders(new Dictionary<Guid, string>(), new Dictionary<Guid, string>());
        }

        var organisations = await OrganisationNames.ForAsync(db, items.Select(i => i.AssigneeOrganisationId ?? i.CaseOrganisationId).Select(id => (Guid?)id), ct);
        var ids = items.Select(i => i.AssigneeUserId ?? i.ClaimedBy).OfType<Guid>().Distinct().ToList();
        var people = ids.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return new TaskHolders(organisations, people);
    }

    /// <summary>e.g. 长沙市望城区社会治理服务中心（单位填报人：张晓燕）, or without the name when the whole role holds it.</summary>
    /// <param name="unreached">Nobody received the task's own reminders (no account with its role, or only locked ones):
    /// the 督办 says so, or the officer would assume the unit has been reminded and only chase by phone much later.</param>
    public string Describe(WorkItem item, bool unreached = false)
    {
        var organisation = organisations.GetValueOrDefault(item.AssigneeOrganisationId ?? item.CaseOrganisationId) ?? string.Empty;
        var role = item.AssigneeRole is { } r ? Roles.Label(r) : "经办人";
        if (unreached)
        {
            return $"{organisation}（{role}；暂无可接收提醒的{role}账号）";
        }

        return (item.AssigneeUserId ?? item.ClaimedBy) is { } holder && people.GetValueOrDefault(holder) is { } name
            ? $"{organisation}（{role}：{name}）"
            : $"{organisation}（{role}）";
    }
}
