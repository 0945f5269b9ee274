using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Help;

/// <summary>
/// 使用说明: the cycle in five steps, the caller's own work first (other roles folded away), and every flow's
/// steps, people, deadlines and reminders as the engine runs them. Nothing here reads a case.
/// </summary>
[Authorize]
internal sealed class IndexModel(WorkflowRegistry registry) : PageModel
{
    public IReadOnlyList<RoleGuide> Own { get; private set; } = [];

    public IReadOnlyList<RoleGuide> Others { get; private set; } = [];

    public IReadOnlyList<WorkflowDefinition> Flows { get; private set; } = [];

    public void OnGet()
    {
        (Own, Others) = RoleGuides.Split(User.IsInRole);
        Flows = WorkflowGuide.Newest(registry);
    }
}
