using System.Text.RegularExpressions;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Organisations;

/// <summary>What the organisation form posts. Strings are nullable so MVC adds no implicit (English) "required" checks.</summary>
internal sealed class OrganisationInput
{
    public string? Name { get; set; }

    public string? ShortName { get; set; }

    public OrganisationKind? Kind { get; set; }

    public Guid? ParentId { get; set; }

    public string? CreditCode { get; set; }

    public string? ContactPerson { get; set; }

    public string? ContactPhone { get; set; }

    public bool IsActive { get; set; }

    /// <summary>The xmin the form was rendered from (optimistic concurrency).</summary>
    public uint RowVersion { get; set; }

    public static OrganisationInput From(Organisation org) => new()
    {
        Name = org.Name,
        ShortName = org.ShortName,
        Kind = org.Kind,
        ParentId = org.ParentId,
        CreditCode = org.CreditCode,
        ContactPerson = org.ContactPerson,
        ContactPhone = org.ContactPhone,
        IsActive = org.IsActive,
        RowVersion = org.RowVersion,
    };
}

internal sealed record ParentOption(Guid Id, string Name);

/// <summary>The create and edit pages share the form, its options and its validation.</summary>
internal abstract partial class OrganisationFormPage(AppDbContext db) : PageModel
{
    public const string ConflictMessage = "该机构已被他人修改，请刷新后重新编辑。";

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["Input.Name"] = "名称",
        ["Input.ShortName"] = "简称",
        ["Input.Kind"] = "类别",
        ["Input.ParentId"] = "主管部门",
        ["Input.CreditCode"] = "统一社会信用代码",
        ["Input.ContactPerson"] = "联系人",
        ["Input.ContactPhone"] = "联系电话",
        ["Input.IsActive"] = "状态",
        ["Input.RowVersion"] = "版本",
    };

    [BindProperty]
    public OrganisationInput Input { get; set; } = new();

    public List<string> Errors { get; } = [];

    /// <summary>Budget units that may supervise this one: not itself and not one of its descendants.</summary>
    public IReadOnlyList<ParentOption> ParentOptions { get; private set; } = [];

    /// <summary>The organisation being edited; null on the create page.</summary>
    public Guid? EditingId { get; protected set; }

    /// <summary>Users in the organisation: its kind is fixed once there are any.</summary>
    public int UserCount { get; protected set; }

    protected AppDbContext Db => db;

    protected async Task LoadOptionsAsync(CancellationToken ct)
    {
        var all = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .Select(o => new { o.Id, o.Name, o.Kind, o.ParentId })
            .ToListAsync(ct);
        var parents = all.ToDictionary(o => o.Id, o => o.ParentId);
        ParentOptions = all
            .Where(o => o.Kind == OrganisationKind.BudgetUnit && (EditingId is not { } self || !IsSelfOrDescendant(o.Id, self, parents)))
            .OrderBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => new ParentOption(o.Id, o.Name))
            .ToList();
    }

    /// <summary>Checks the posted form against the database; fills <see cref="Errors"/>, saves nothing.</summary>
    protected async Task ValidateAsync(Organisation? existing, CancellationToken ct)
    {
        AdminForms.AddBindingErrors(ModelState, Labels, Errors);

        var name = AdminForms.Clean(Input.Name);
        if (name is null)
        {
            Errors.Add(AdminForms.Field("名称", "必填。"));
        }
        else if (name.Length > 200)
        {
            Errors.Add(AdminForms.Field("名称", "不能超过 200 个字符。"));
        }
        else if (await db.Organisations.IgnoreQueryFilters().AnyAsync(o => o.Name == name && o.Id != (existing == null ? Guid.Empty : existing.Id), ct))
        {
            Errors.Add(AdminForms.Field("名称", $"已存在名为“{name}”的机构。"));
        }

        CheckLength("简称", Input.ShortName, 100);
        CheckLength("联系人", Input.ContactPerson, 50);
        CheckLength("联系电话", Input.ContactPhone, 30);

        if (AdminForms.Clean(Input.CreditCode) is { } code && !CreditCodePattern().IsMatch(code))
        {
            Errors.Add(AdminForms.Field("统一社会信用代码", "应为 18 位数字或大写字母。"));
        }

        if (Input.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            if (!ModelState.TryGetValue("Input.Kind", out var entry) || entry.Errors.Count == 0)
            {
                Errors.Add(AdminForms.Field("类别", "必选。"));
            }

            return;
        }

        if (existing is not null && existing.Kind != kind)
        {
            if (await db.Users.AnyAsync(u => u.OrganisationId == existing.Id, ct))
            {
                Errors.Add(AdminForms.Field("类别", "该机构已有用户，不能更改类别。"));
            }

            if (existing.Kind == OrganisationKind.BudgetUnit
                && await db.Organisations.IgnoreQueryFilters().AnyAsync(o => o.ParentId == existing.Id, ct))
            {
                Errors.Add(AdminForms.Field("类别", "该机构是其他预算单位的主管部门，不能改为其他类别。"));
            }
        }

        if (Input.ParentId is { } parentId)
        {
            if (kind != OrganisationKind.BudgetUnit)
            {
                Errors.Add(AdminForms.Field("主管部门", "只有预算单位可以设置主管部门。"));
            }
            else if (existing is not null && parentId == existing.Id)
            {
                Errors.Add(AdminForms.Field("主管部门", "不能选择机构自身。"));
            }
            else
            {
                var all = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
                    .Select(o => new { o.Id, o.Kind, o.ParentId }).ToListAsync(ct);
                var parent = all.SingleOrDefault(o => o.Id == parentId);
                if (parent is null || parent.Kind != OrganisationKind.BudgetUnit)
                {
                    Errors.Add(AdminForms.Field("主管部门", "请选择一个预算单位。"));
                }
                else if (existing is not null && IsSelfOrDescendant(parentId, existing.Id, all.ToDictionary(o => o.Id, o => o.ParentId)))
                {
                    Errors.Add(AdminForms.Field("主管部门", "不能选择本机构的下属单位（会形成循环）。"));
                }
            }
        }
    }

    /// <summary>Copies the (validated) form onto the entity.</summary>
    protected void Apply(Organisation org)
    {
        org.Name = AdminForms.Clean(Input.Name)!;
        org.ShortName = AdminForms.Clean(Input.ShortName);
        org.Kind = Input.Kind!.Value;
        org.ParentId = org.Kind == OrganisationKind.BudgetUnit ? Input.ParentId : null;
        org.CreditCode = AdminForms.Clean(Input.CreditCode);
        org.ContactPerson = AdminForms.Clean(Input.ContactPerson);
        org.ContactPhone = AdminForms.Clean(Input.ContactPhone);
        org.IsActive = Input.IsActive;
    }

    /// <summary>True when walking up from <paramref name="candidate"/> reaches <paramref name="self"/>.</summary>
    private static bool IsSelfOrDescendant(Guid candidate, Guid self, IReadOnlyDictionary<Guid, Guid?> parents)
    {
        Guid? current = candidate;
        for (var steps = 0; current is { } id && steps <= parents.Count; steps++)
        {
            if (id == self)
            {
                return true;
            }

            current = parents.GetValueOrDefault(id);
        }

        return false;
    }

    private void CheckLength(string label, string? value, int max)
    {
        if (AdminForms.Clean(value) is { Length: var length } && length > max)
        {
            Errors.Add(AdminForms.Field(label, $"不能超过 {max} 个字符。"));
        }
    }

    [GeneratedRegex("^[0-9A-Z]{18}$")]
    private static partial Regex CreditCodePattern();
}
