using BudgetEval.Web.Auth;
using BudgetEval.Web.Users;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>
/// 指标模板管理: both kinds of template, what they hold and how often they were used. The bureau's officers and lead
/// read it (the one page of /Admin they may open, see AppComposition); only the administrator changes anything.
/// </summary>
[Authorize(Roles = Roles.Admin + "," + Roles.FinanceOfficer + "," + Roles.FinanceLead)]
internal sealed class IndexModel(AppDbContext db, TimeProvider clock) : PageModel
{
    /// <summary>This page's path, which the /Admin folder's administrator-only rule leaves to the attribute above.</summary>
    public const string PagePath = "/Admin/Templates/Index";

    public IReadOnlyList<TemplateSummary> Rows { get; private set; } = [];

    public List<string> Errors { get; } = [];

    public bool IsAdmin => User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct) => Rows = await TemplateAdmin.ListAsync(db, ct);

    public async Task<IActionResult> OnPostToggleAsync(int? id, CancellationToken ct)
    {
        if (!IsAdmin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var outcome = id is { } templateId ? await TemplateAdmin.SetActiveAsync(db, HttpContext, clock.GetUtcNow(), templateId, null, ct)
            : TemplateOutcome.Refused(TemplateChange.NotFound);
        if (outcome.Status == TemplateChange.Ok)
        {
            var t = outcome.Template!;
            TempData["Flash"] = t.IsActive ? $"指标模板“{t.Name}”已启用。" : $"指标模板“{t.Name}”已停用：新建计划、委托评价不再可选，已使用它的计划和评价不受影响。";
            return RedirectToPage();
        }

        Errors.AddRange(outcome.Status == TemplateChange.NotFound ? ["指标模板不存在，请刷新页面。"] : outcome.Errors.Select(e => e.Message));
        Rows = await TemplateAdmin.ListAsync(db, ct);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
