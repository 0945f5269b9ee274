using BudgetEval.Web.Audit;
using System.Net.Mail;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Users;

/// <summary>What the user form posts. Strings are nullable so MVC adds no implicit (English) "required" checks.</summary>
internal sealed class UserInput
{
    /// <summary>Only on the create page; a user name never changes.</summary>
    public string? UserName { get; set; }

    public string? DisplayName { get; set; }

    public string? Email { get; set; }

    /// <summary>An id from the drop-down, or a typed name, short name or 统一社会信用代码 from the search field.</summary>
    public string? OrganisationId { get; set; }

    public List<string> Roles { get; set; } = [];

    public bool IsLeadEvaluator { get; set; }

    /// <summary>Only on the create page.</summary>
    public string? Password { get; set; }

    /// <summary>Identity's stamp the form was rendered from (optimistic concurrency).</summary>
    public string? ConcurrencyStamp { get; set; }
}

/// <summary>The create and edit pages share the form, its options and its validation.</summary>
internal abstract class UserFormPage(AppDbContext db, UserManager<AppUser> accounts) : PageModel
{
    public const string ConflictMessage = "该用户已被他人修改，请刷新后重新编辑。";

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["Input.UserName"] = "用户名",
        ["Input.DisplayName"] = "姓名",
        ["Input.Email"] = "电子邮箱",
        ["Input.OrganisationId"] = "所属单位",
        ["Input.Roles"] = "角色",
        ["Input.IsLeadEvaluator"] = "主评人",
        ["Input.Password"] = "初始密码",
        ["Input.ConcurrencyStamp"] = "版本",
    };

    [BindProperty]
    public UserInput Input { get; set; } = new();

    public List<string> Errors { get; } = [];

    /// <summary>The organisations offered: a list while there are few, a search field once there are many.</summary>
    public OrganisationChoices OrganisationChoices { get; private set; } = new([]);

    /// <summary>What the 所属单位 field holds: the chosen id, else the text as posted.</summary>
    public string? OrganisationValue { get; private set; }

    /// <summary>What the 所属单位 search field shows: the organisation's name when the field holds an id.</summary>
    public string? OrganisationText { get; private set; }

    /// <summary>The create page asks for a user name and an initial password; the edit page does not.</summary>
    public abstract bool IsNew { get; }

    protected AppDbContext Db => db;

    protected UserManager<AppUser> Accounts => accounts;

    /// <summary>The organisation the posted text resolved to (set by <see cref="ValidateAsync"/>).</summary>
    private Guid? _resolvedOrganisationId;

    /// <summary>Any organisation, deactivated ones included (a user may stay in one; the form says which).</summary>
    private IQueryable<Organisation> Candidates => db.Organisations.IgnoreQueryFilters();

    /// <summary>Fills the 所属单位 picker: at most <see cref="OrganisationPicker.ListLimit"/> options, never the whole table.</summary>
    protected async Task LoadOptionsAsync(CancellationToken ct)
    {
        OrganisationChoices = await OrganisationPicker.ChoicesAsync(Candidates, ct);
        (OrganisationValue, OrganisationText) = await OrganisationPicker.ShownAsync(Candidates, OrganisationChoices, Input.OrganisationId, _resolvedOrganisationId, ct);
    }

    /// <summary>
    /// Checks the posted fields that are not Identity's business (Identity checks user name and password
    /// itself). Fills <see cref="Errors"/>; returns the chosen organisation when it exists.
    /// </summary>
    protected async Task<Organisation?> ValidateAsync(AppUser? existing, CancellationToken ct)
    {
        AdminForms.AddBindingErrors(ModelState, Labels, Errors);

        if (existing is null)
        {
            var userName = Shared.TextInput.Line(Input.UserName);
            if (userName is null)
            {
                Errors.Add(AdminForms.Field("用户名", "必填。"));
            }
            else if (userName.Length > 256)
            {
                Errors.Add(AdminForms.Field("用户名", "不能超过 256 个字符。"));
            }
        }

        var displayName = Shared.TextInput.Line(Input.DisplayName);
        if (displayName is null)
        {
            Errors.Add(AdminForms.Field("姓名", "必填。"));
        }
        else if (displayName.Length > 50)
        {
            Errors.Add(AdminForms.Field("姓名", "不能超过 50 个字符。"));
        }

        if (Shared.TextInput.Line(Input.Email) is { } email
            && (email.Length > 256 || !MailAddress.TryCreate(email, out var address) || address.Address != email))
        {
            Errors.Add(AdminForms.Field("电子邮箱", $"“{email}”格式不正确。"));
        }

        Organisation? org = null;
        var picked = await OrganisationPicker.ResolveAsync(Candidates, Input.OrganisationId, ct);
        if (picked.Error is { } pickError)
        {
            // An id that names nothing keeps its old message; a typed text gets the picker's (which names the matches).
            Errors.Add(AdminForms.Field("所属单位", Guid.TryParse(Shared.TextInput.Line(Input.OrganisationId), out _) ? "所选单位不存在。" : pickError));
        }
        else if (picked.Id is { } orgId)
        {
            _resolvedOrganisationId = orgId;
            org = await Candidates.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, ct);
            if (org is null)
            {
                Errors.Add(AdminForms.Field("所属单位", "所选单位不存在。"));
            }
            else if (!org.IsActive && existing?.OrganisationId != org.Id)
            {
                Errors.Add(AdminForms.Field("所属单位", $"“{org.Name}”已停用，不能添加用户。"));
            }
        }
        else
        {
            Errors.Add(AdminForms.Field("所属单位", "必选。"));
        }

        var roles = Input.Roles.Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
        {
            Errors.Add(AdminForms.Field("角色", "至少选择一个角色。"));
        }

        foreach (var role in roles)
        {
            if (!Roles.All.Contains(role))
            {
                Errors.Add(AdminForms.Field("角色", "包含无效的角色。"));
            }
            else if (org is not null && Roles.KindFor(role) != org.Kind)
            {
                Errors.Add(AdminForms.Field("角色", $"“{Roles.Label(role)}”只能授予{Roles.KindFor(role).Label()}的用户。"));
            }
        }

        return org;
    }

    /// <summary>The posted roles, deduplicated and in the product's order.</summary>
    protected IReadOnlyList<string> PostedRoles => Roles.All.Where(Input.Roles.Contains).ToList();

    /// <summary>主评人 only means something for an evaluator; anyone else has it cleared.</summary>
    protected bool PostedLeadEvaluator => Input.IsLeadEvaluator && Input.Roles.Contains(Roles.Evaluator);

    /// <summary>Runs <paramref name="work"/> in one transaction; it returns errors to roll back, or nothing to commit.</summary>
    /// <summary>An audit line about <paramref name="user"/>, saved with the change (see InTransactionAsync).</summary>
    protected void Audit(string action, AppUser user, string? detail = null) =>
        AuditTrail.Add(db, HttpContext, HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), action,
            user.UserName, detail);

    protected async Task<IReadOnlyList<string>> InTransactionAsync(Func<Task<IReadOnlyList<string>>> work, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var errors = await work();
            if (errors.Count > 0)
            {
                await tx.RollbackAsync(ct);
            }
            else
            {
                await db.SaveChangesAsync(ct); // the audit line written by the work, with it
                await tx.CommitAsync(ct);
            }

            return errors;
        });
    }
}
