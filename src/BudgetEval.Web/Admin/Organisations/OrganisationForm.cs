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

    /// <summary>主管部门: an id from the drop-down, or a typed name, short name or 统一社会信用代码 from the search field.</summary>
    public string? ParentId { get; set; }

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
        ParentId = org.ParentId?.ToString(),
        CreditCode = org.CreditCode,
        ContactPerson = org.ContactPerson,
        ContactPhone = org.ContactPhone,
        IsActive = org.IsActive,
        RowVersion = org.RowVersion,
    };
}

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

    /// <summary>
    /// Budget units that may supervise this one: a list (without itself and its descendants) while there
    /// are few, a search field once there are many (the choice is then checked when the form is saved).
    /// </summary>
    public OrganisationChoices ParentChoices { get; private set; } = new([]);

    /// <summary>What the 主管部门 field holds: the chosen id, else the text as posted.</summary>
    public string? ParentValue { get; private set; }

    /// <summary>What the 主管部门 search field shows: the unit's name when the field holds an id.</summary>
    public string? ParentText { get; private set; }

    /// <summary>The organisation being edited; null on the create page.</summary>
    public Guid? EditingId { get; protected set; }

    /// <summary>Users in the organisation: its kind is fixed once there are any.</summary>
    public int UserCount { get; protected set; }

    protected AppDbContext Db => db;

    /// <summary>The 主管部门 the posted text resolved to (set by <see cref="ValidateAsync"/>, used by <see cref="Apply"/>).</summary>
    private Guid? _resolvedParentId;

    /// <summary>Who may be a 主管部门: any budget unit, deactivated ones included.</summary>
    private IQueryable<Organisation> ParentCandidates =>
        db.Organisations.IgnoreQueryFilters().Where(o => o.Kind == OrganisationKind.BudgetUnit);

    /// <summary>Fills the 主管部门 picker: at most <see cref="OrganisationPicker.ListLimit"/> options, never the whole table.</summary>
    protected async Task LoadOptionsAsync(CancellationToken ct)
    {
        ParentChoices = await OrganisationPicker.ChoicesAsync(ParentCandidates, ct);
        if (!ParentChoices.IsSearch && EditingId is { } self)
        {
            // Every budget unit is listed, so its descendants (budget units too) are few: leave them out.
            var excluded = await SelfAndDescendantsAsync(self, ct);
            ParentChoices = new OrganisationChoices(ParentChoices.Items.Where(o => !excluded.Contains(o.Id)).ToList());
        }

        (ParentValue, ParentText) = await OrganisationPicker.ShownAsync(ParentCandidates, ParentChoices, Input.ParentId, _resolvedParentId, ct);
    }

    /// <summary>Checks the posted form against the database; fills <see cref="Errors"/>, saves nothing.</summary>
    protected async Task ValidateAsync(Organisation? existing, CancellationToken ct)
    {
        AdminForms.AddBindingErrors(ModelState, Labels, Errors);

        var name = Shared.TextInput.Line(Input.Name);
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

        if (Shared.TextInput.Line(Input.CreditCode) is { } code)
        {
            if (!CreditCodePattern().IsMatch(code))
            {
                Errors.Add(AdminForms.Field("统一社会信用代码", "应为 18 位数字或大写字母。"));
            }
            else if (await db.Organisations.IgnoreQueryFilters().Where(o => o.CreditCode == code && o.Id != (existing == null ? Guid.Empty : existing.Id))
                .Select(o => o.Name).FirstOrDefaultAsync(ct) is { } holder)
            {
                // A code names one legal entity; two organisations with it would make every pick by code ambiguous.
                Errors.Add(AdminForms.Field("统一社会信用代码", $"“{code}”已是“{holder}”的统一社会信用代码。"));
            }
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

        if (Shared.TextInput.Line(Input.ParentId) is { } parentText)
        {
            var isId = Guid.TryParse(parentText, out var postedId);
            if (kind != OrganisationKind.BudgetUnit)
            {
                Errors.Add(AdminForms.Field("主管部门", "只有预算单位可以设置主管部门。"));
            }
            else if (existing is not null && isId && postedId == existing.Id)
            {
                Errors.Add(AdminForms.Field("主管部门", "不能选择机构自身。"));
            }
            else
            {
                var picked = await OrganisationPicker.ResolveAsync(ParentCandidates, parentText, ct);
                if (picked.Error is { } pickError)
                {
                    // An id that names no budget unit keeps its old message; a typed text gets the picker's.
                    Errors.Add(AdminForms.Field("主管部门", isId ? "请选择一个预算单位。" : pickError));
                }
                else if (picked.Id is { } parentId)
                {
                    _resolvedParentId = parentId;
                    if (existing is not null && parentId == existing.Id)
                    {
                        Errors.Add(AdminForms.Field("主管部门", "不能选择机构自身。"));
                    }
                    else if (existing is not null && await IsSelfOrDescendantAsync(parentId, existing.Id, ct))
                    {
                        Errors.Add(AdminForms.Field("主管部门", "不能选择本机构的下属单位（会形成循环）。"));
                    }
                }
            }
        }
    }

    /// <summary>Copies the (validated) form onto the entity.</summary>
    protected void Apply(Organisation org)
    {
        org.Name = Shared.TextInput.Line(Input.Name)!;
        org.ShortName = Shared.TextInput.Line(Input.ShortName);
        org.Kind = Input.Kind!.Value;
        org.ParentId = org.Kind == OrganisationKind.BudgetUnit ? _resolvedParentId : null;
        org.CreditCode = Shared.TextInput.Line(Input.CreditCode);
        org.ContactPerson = Shared.TextInput.Line(Input.ContactPerson);
        org.ContactPhone = Shared.TextInput.Line(Input.ContactPhone);
        org.IsActive = Input.IsActive;
    }

    /// <summary>
    /// True when walking up from <paramref name="candidate"/> (it, its 主管部门, that one's, …) reaches
    /// <paramref name="self"/>: one row per level, so bounded by the depth of the hierarchy, not its size.
    /// </summary>
    private async Task<bool> IsSelfOrDescendantAsync(Guid candidate, Guid self, CancellationToken ct)
    {
        var seen = new HashSet<Guid>();
        Guid? current = candidate;
        while (current is { } id && seen.Add(id)) // a cycle already stored ends the walk instead of looping
        {
            if (id == self)
            {
                return true;
            }

            current = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
                .Where(o => o.Id == id).Select(o => o.ParentId).SingleOrDefaultAsync(ct);
        }

        return false;
    }

    /// <summary>
    /// <paramref name="self"/> and everything under it, one query per level. Only used while every budget
    /// unit is listed (at most <see cref="OrganisationPicker.ListLimit"/>), so the answer is small.
    /// </summary>
    private async Task<HashSet<Guid>> SelfAndDescendantsAsync(Guid self, CancellationToken ct)
    {
        var found = new HashSet<Guid> { self };
        List<Guid> level = [self];
        while (level.Count > 0)
        {
            var parents = level;
            var children = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
                .Where(o => o.ParentId != null && parents.Contains(o.ParentId.Value))
                .Select(o => o.Id).ToListAsync(ct);
            level = children.Where(found.Add).ToList();
        }

        return found;
    }

    private void CheckLength(string label, string? value, int max)
    {
        if (Shared.TextInput.Line(value) is { Length: var length } && length > max)
        {
            Errors.Add(AdminForms.Field(label, $"不能超过 {max} 个字符。"));
        }
    }

    [GeneratedRegex("^[0-9A-Z]{18}$")]
    private static partial Regex CreditCodePattern();
}
