using System.Globalization;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>A 一级 group as typed: its name and, for 自评 templates, its 二级 names (重点评价 groups have none).</summary>
internal sealed record TemplateGroupInput(string? Level1, IReadOnlyList<string?>? Level2);

/// <summary>A 重点评价 row as typed; <c>Weight</c> is text so that the page and the API refuse an unreadable 分值 alike.</summary>
internal sealed record TemplateRowInput(string? Level1, string? Level2, string? Level3, string? Weight, string? Points, string? Standard)
{
    public bool IsBlank => string.IsNullOrWhiteSpace(Level1) && string.IsNullOrWhiteSpace(Level2) && string.IsNullOrWhiteSpace(Level3)
        && string.IsNullOrWhiteSpace(Weight) && string.IsNullOrWhiteSpace(Points) && string.IsNullOrWhiteSpace(Standard);
}

internal sealed record TemplateInput(string? Name, IReadOnlyList<TemplateGroupInput>? Groups, IReadOnlyList<TemplateRowInput>? Rows);

/// <summary>One template as the list shows it: <c>UsedBy</c> counts the plans (自评) or commissioned evaluations (重点评价) that took it.</summary>
internal sealed record TemplateSummary(int Id, TemplateKind Kind, string Key, string Name, IReadOnlyList<TemplateGroup> Groups, IReadOnlyList<TemplateRow> Rows,
    bool IsActive, int UsedBy, uint Version)
{
    public decimal? WeightTotal => Kind == TemplateKind.Evaluation ? Rows.Sum(r => r.Weight) : null;
}

internal enum TemplateChange
{
    Ok,

    /// <summary>Something typed is wrong (400); every message names its field and row.</summary>
    Invalid,

    NotFound,

    /// <summary>Someone saved the template since it was read (409).</summary>
    Conflict,

    /// <summary>Retiring it would leave nothing of its kind to pick (422).</summary>
    LastActive,
}

internal sealed record TemplateOutcome(TemplateChange Status, TemplateSummary? Template, IReadOnlyList<FieldError> Errors)
{
    public static TemplateOutcome Refused(TemplateChange status, params FieldError[] errors) => new(status, null, errors);
}

/// <summary>
/// The rules of 指标模板管理, shared by /admin/templates and /api/admin/templates: what a template must hold, one
/// answer naming every wrong value (nothing saved), names unique per kind, saves against the version read, at least
/// one active template of each kind, and an audit line in the same save as every change.
/// </summary>
internal static class TemplateAdmin
{
    public const int MaxNameLength = 100;
    public const int MaxGroupLength = 50;
    public const int MaxTextLength = 1000;
    public const int EvaluationGroupCount = 4;

    public const string ConflictMessage = "该指标模板已被他人修改，请刷新后重新编辑。";

    public static async Task<List<TemplateSummary>> ListAsync(AppDbContext db, CancellationToken ct)
    {
        var templates = await db.IndicatorTemplates.AsNoTracking().OrderBy(t => t.Kind).ThenBy(t => t.SortOrder).ThenBy(t => t.Id).ToListAsync(ct);
        var uses = await UsesAsync(db, ct);
        return templates.Select(t => Summary(t, uses)).ToList();
    }

    public static async Task<TemplateSummary?> FindAsync(AppDbContext db, int id, CancellationToken ct) =>
        await db.IndicatorTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) is { } t ? Summary(t, await UsesAsync(db, ct)) : null;

    public static async Task<TemplateOutcome> CreateAsync(AppDbContext db, HttpContext http, DateTimeOffset now, TemplateKind kind, TemplateInput input, string? copiedFrom,
        CancellationToken ct)
    {
        var (errors, name, groups, rows) = await ValidateAsync(db, kind, input, null, ct);
        if (errors.Count > 0)
        {
            return new(TemplateChange.Invalid, null, errors);
        }

        var order = await db.IndicatorTemplates.Where(t => t.Kind == kind).MaxAsync(t => (int?)t.SortOrder, ct) ?? 0;
        var template = new IndicatorTemplateRecord
        {
            Kind = kind,
            // What plans and evaluations record; the name may change later, this never does.
            Key = "custom-" + Guid.CreateVersion7(now).ToString("N")[^12..],
            Name = name!,
            SortOrder = order + 10,
            UpdatedAt = now,
        };
        Apply(template, groups, rows);
        db.IndicatorTemplates.Add(template);
        AuditTrail.Add(db, http, now, AuditActions.TemplateChanged, template.Name,
            $"新增{TemplateKinds.Label(kind)}{(copiedFrom is null ? string.Empty : $"（复制自“{copiedFrom}”）")}：{Describe(template)}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same name saved a moment earlier by someone else (the unique index); the audit line went with it.
            db.ChangeTracker.Clear();
            return TemplateOutcome.Refused(TemplateChange.Invalid, Duplicate(kind, name!));
        }

        return new(TemplateChange.Ok, await FindAsync(db, template.Id, ct), []);
    }

    /// <summary>Saves the template as typed over the version <paramref name="expectedVersion"/> that the editor read.</summary>
    public static async Task<TemplateOutcome> UpdateAsync(AppDbContext db, HttpContext http, DateTimeOffset now, int id, TemplateInput input, uint? expectedVersion,
        CancellationToken ct)
    {
        if (await db.IndicatorTemplates.SingleOrDefaultAsync(t => t.Id == id, ct) is not { } template)
        {
            return TemplateOutcome.Refused(TemplateChange.NotFound);
        }

        if (expectedVersion is null)
        {
            return TemplateOutcome.Refused(TemplateChange.Invalid, new FieldError("expectedVersion", "「版本」：必填（读取模板时得到的 version）。"));
        }

        if (template.RowVersion != expectedVersion)
        {
            return TemplateOutcome.Refused(TemplateChange.Conflict, FieldError.Whole(ConflictMessage));
        }

        var (errors, name, groups, rows) = await ValidateAsync(db, template.Kind, input, template.Id, ct);
        if (errors.Count > 0)
        {
            return new(TemplateChange.Invalid, null, errors);
        }

        var before = Describe(template);
        var oldName = template.Name;
        template.Name = name!;
        Apply(template, groups, rows);
        template.UpdatedAt = now;

        // The UPDATE's WHERE xmin = … carries the version the editor read: a save in between fails here instead of being overwritten.
        db.Entry(template).Property(t => t.RowVersion).OriginalValue = expectedVersion.Value;
        var renamed = oldName == template.Name ? string.Empty : $"名称“{oldName}”改为“{template.Name}”；";
        AuditTrail.Add(db, http, now, AuditActions.TemplateChanged, template.Name,
            $"修改{TemplateKinds.Label(template.Kind)}：{renamed}原为 {before}，现为 {Describe(template)}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return TemplateOutcome.Refused(TemplateChange.Conflict, FieldError.Whole(ConflictMessage));
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return TemplateOutcome.Refused(TemplateChange.Invalid, Duplicate(template.Kind, name!));
        }

        return new(TemplateChange.Ok, await FindAsync(db, template.Id, ct), []);
    }

    /// <summary>
    /// 启用 or 停用; <paramref name="active"/> null flips it (the page's one button). A retired template is no longer
    /// offered but stays on what uses it. Asking for the state it is in changes nothing and writes no audit line.
    /// </summary>
    public static async Task<TemplateOutcome> SetActiveAsync(AppDbContext db, HttpContext http, DateTimeOffset now, int id, bool? active, CancellationToken ct)
    {
        if (await db.IndicatorTemplates.SingleOrDefaultAsync(t => t.Id == id, ct) is not { } template)
        {
            return TemplateOutcome.Refused(TemplateChange.NotFound);
        }

        var next = active ?? !template.IsActive;
        if (next != template.IsActive)
        {
            // Two administrators retiring the last two active templates of a kind at once must not both pass the
            // count: the kind's active rows are locked first, so the second waits and then counts one.
            var strategy = db.Database.CreateExecutionStrategy();
            var refused = await strategy.ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var kind = template.Kind.ToString();
                var stillActive = await db.Database.SqlQuery<int>($"""
                    SELECT "Id" AS "Value" FROM budgeteval.indicator_templates WHERE "Kind" = {kind} AND "IsActive" FOR UPDATE
                    """).ToListAsync(ct);
                await db.Entry(template).ReloadAsync(ct);
                if (next == template.IsActive)
                {
                    return false;
                }

                if (!next && stillActive.Count <= 1)
                {
                    return true;
                }

                template.IsActive = next;
                template.UpdatedAt = now;
                AuditTrail.Add(db, http, now, AuditActions.TemplateChanged, template.Name, $"{(next ? "启用" : "停用")}{TemplateKinds.Label(template.Kind)}");
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return false;
            });
            if (refused)
            {
                return TemplateOutcome.Refused(TemplateChange.LastActive, FieldError.Whole($"至少保留一个启用的{TemplateKinds.Label(template.Kind)}，否则无法新建计划或委托评价。"));
            }
        }

        return new(TemplateChange.Ok, await FindAsync(db, id, ct), []);
    }

    /// <summary>Every wrong value, each naming its field (and row); the values as they will be saved when there is none.</summary>
    private static async Task<(List<FieldError> Errors, string? Name, List<TemplateGroup> Groups, List<TemplateRow> Rows)> ValidateAsync(
        AppDbContext db, TemplateKind kind, TemplateInput input, int? self, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var name = TextInput.Line(input.Name);
        if (name is null)
        {
            errors.Add(new("name", "「模板名称」：必填。"));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new("name", $"「模板名称」：不能超过 {MaxNameLength} 个字符。"));
        }
        else if (await db.IndicatorTemplates.AnyAsync(t => t.Kind == kind && t.Name == name && t.Id != self, ct))
        {
            errors.Add(Duplicate(kind, name));
        }

        var groups = kind == TemplateKind.SelfEvaluation ? SelfEvaluationGroups(input, errors) : EvaluationGroups(input, errors);
        var rows = kind == TemplateKind.Evaluation ? EvaluationRows(input, groups, errors) : [];
        return (errors, name, groups, rows);
    }

    private static List<TemplateGroup> SelfEvaluationGroups(TemplateInput input, List<FieldError> errors)
    {
        var groups = new List<TemplateGroup>();
        var all = input.Groups ?? [];
        for (var i = 0; i < all.Count; i++)
        {
            var level1 = TextInput.Line(all[i].Level1);
            var level2 = (all[i].Level2 ?? []).Select(TextInput.Line).Where(l => l is not null).Select(l => l!).ToList();
            if (level1 is null && level2.Count == 0)
            {
                continue; // a blank group (the page's spare one) is left out
            }

            var field = $"groups[{i}]";
            var label = level1 is null ? $"第{i + 1}个一级指标" : $"一级指标「{level1}」";
            if (level1 is null)
            {
                errors.Add(new($"{field}.level1", $"第{i + 1}个一级指标「名称」：必填。"));
            }
            else if (level1.Length > MaxGroupLength)
            {
                errors.Add(new($"{field}.level1", $"{label}「名称」：不能超过 {MaxGroupLength} 个字符。"));
            }
            else if (groups.Any(g => g.Level1 == level1))
            {
                errors.Add(new($"{field}.level1", $"{label}：重复，一级指标名称不能相同。"));
            }

            if (level2.Count == 0)
            {
                errors.Add(new($"{field}.level2", $"{label}「二级指标」：至少填写一个。"));
            }

            foreach (var dup in level2.GroupBy(l => l, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                errors.Add(new($"{field}.level2", $"{label}「二级指标」：“{dup.Key}”重复。"));
            }

            foreach (var longOne in level2.Where(l => l.Length > MaxGroupLength))
            {
                errors.Add(new($"{field}.level2", $"{label}「二级指标」：“{longOne}”超过 {MaxGroupLength} 个字符。"));
            }

            groups.Add(new(level1 ?? string.Empty, level2));
        }

        if (groups.Count == 0)
        {
            errors.Add(new("groups", "「一级指标」：至少填写一个一级指标及其二级指标。"));
        }

        return groups;
    }

    private static List<TemplateGroup> EvaluationGroups(TemplateInput input, List<FieldError> errors)
    {
        var names = (input.Groups ?? []).Select(g => TextInput.Line(g.Level1)).ToList();
        var given = names.Where(n => n is not null).Select(n => n!).ToList();
        if (given.Count != EvaluationGroupCount)
        {
            errors.Add(new("groups", $"「一级指标」：重点评价模板须有 {EvaluationGroupCount} 个一级指标（如 投入、过程、产出、效果），现填写了 {given.Count} 个。"));
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is { } n && n.Length > MaxGroupLength)
            {
                errors.Add(new($"groups[{i}].level1", $"第{i + 1}个一级指标：不能超过 {MaxGroupLength} 个字符。"));
            }
        }

        foreach (var dup in given.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new("groups", $"「一级指标」：“{dup.Key}”重复，四个一级指标名称不能相同。"));
        }

        return given.Distinct(StringComparer.Ordinal).Select(n => new TemplateGroup(n, [])).ToList();
    }

    private static List<TemplateRow> EvaluationRows(TemplateInput input, List<TemplateGroup> groups, List<FieldError> errors)
    {
        var names = groups.Select(g => g.Level1).ToList();
        var rows = new List<TemplateRow>();
        var all = input.Rows ?? [];
        var weightsRead = true;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
        {
            var r = all[i];
            if (r.IsBlank)
            {
                continue; // the page's spare rows; clearing a row removes it
            }

            var at = $"第{i + 1}行";
            var field = $"rows[{i}]";
            var level1 = TextInput.Line(r.Level1);
            var level2 = TextInput.Line(r.Level2);
            var level3 = TextInput.Line(r.Level3);
            var points = TextInput.Block(r.Points);
            var standard = TextInput.Block(r.Standard);
            if (level1 is null)
            {
                errors.Add(new($"{field}.level1", $"{at}「一级指标」：必填。"));
            }
            else if (!names.Contains(level1))
            {
                errors.Add(new($"{field}.level1", $"{at}「一级指标」：“{level1}”不是本模板的一级指标（{string.Join("、", names)}）。"));
            }

            Required(level2, "二级指标", "level2");
            Required(level3, "三级指标", "level3");
            if (level3 is not null)
            {
                // The score sheet finds a row by its 三级 name (scores, 不适用 moves), so it must be unique in the table.
                if (seen.TryGetValue(level3, out var first))
                {
                    errors.Add(new($"{field}.level3", $"{at}「三级指标」：“{level3}”与第{first + 1}行重复。"));
                }
                else
                {
                    seen[level3] = i;
                }
            }

            if (points is { Length: > MaxTextLength })
            {
                errors.Add(new($"{field}.points", $"{at}「评分要点」：不能超过 {MaxTextLength} 个字符。"));
            }

            if (standard is { Length: > MaxTextLength })
            {
                errors.Add(new($"{field}.standard", $"{at}「评分标准」：不能超过 {MaxTextLength} 个字符。"));
            }

            var weight = Weight(r.Weight, at, $"{field}.weight", errors);
            weightsRead &= weight is not null;
            rows.Add(new(level1 ?? string.Empty, level2, level3 ?? string.Empty, weight ?? 0m, points, standard));

            void Required(string? value, string label, string key)
            {
                if (value is null)
                {
                    errors.Add(new($"{field}.{key}", $"{at}「{label}」：必填。"));
                }
                else if (value.Length > MaxGroupLength * 2)
                {
                    errors.Add(new($"{field}.{key}", $"{at}「{label}」：不能超过 {MaxGroupLength * 2} 个字符。"));
                }
            }
        }

        if (rows.Count == 0)
        {
            errors.Add(new("rows", "「指标」：至少填写一行指标。"));
            return rows;
        }

        foreach (var empty in names.Where(n => rows.All(r => r.Level1 != n)))
        {
            errors.Add(new("rows", $"一级指标「{empty}」：下面没有指标行。"));
        }

        var total = rows.Sum(r => r.Weight);
        if (weightsRead && total != 100m)
        {
            var byGroup = string.Join(" + ", names.Select(n => Number(rows.Where(r => r.Level1 == n).Sum(r => r.Weight))));
            errors.Add(new("rows", $"「分值」：各行分值合计须为 100，现为 {Number(total)}（{byGroup}）。"));
        }

        return rows;
    }

    private static decimal? Weight(string? text, string at, string field, List<FieldError> errors)
    {
        var typed = TextInput.Narrow(text)?.Trim();
        if (string.IsNullOrEmpty(typed))
        {
            errors.Add(new(field, $"{at}「分值」：必填。"));
            return null;
        }

        if (!decimal.TryParse(typed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var weight))
        {
            errors.Add(new(field, $"{at}「分值」：“{typed}”不是数字（如 2 或 1.5）。"));
            return null;
        }

        if (weight <= 0m || weight > 100m)
        {
            errors.Add(new(field, $"{at}「分值」：须大于 0 且不超过 100。"));
            return null;
        }

        if (decimal.Round(weight, 2) != weight)
        {
            errors.Add(new(field, $"{at}「分值」：最多两位小数。"));
            return null;
        }

        return weight;
    }

    private static FieldError Duplicate(TemplateKind kind, string name) =>
        new("name", $"「模板名称」：已有{TemplateKinds.Label(kind)}“{name}”（如已停用，可重新启用或换一个名称）。");

    private static void Apply(IndicatorTemplateRecord template, List<TemplateGroup> groups, List<TemplateRow> rows)
    {
        if (template.Kind == TemplateKind.SelfEvaluation)
        {
            template.SelfEvaluationGroups = groups;
        }
        else
        {
            template.EvaluationGroups = groups.Select(g => g.Level1).ToList();
            template.Rows = rows;
        }
    }

    /// <summary>What the audit line says a template holds, short enough for one line.</summary>
    private static string Describe(IndicatorTemplateRecord t) => t.Kind == TemplateKind.SelfEvaluation
        ? string.Join("；", t.SelfEvaluationGroups.Select(g => $"{g.Level1}（{string.Join("、", g.Level2)}）"))
        : $"{string.Join("/", t.EvaluationGroups)}，{t.Rows.Count} 行，合计 {Number(t.Rows.Sum(r => r.Weight))} 分";

    internal static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static TemplateSummary Summary(IndicatorTemplateRecord t, IReadOnlyDictionary<string, int> uses) =>
        new(t.Id, t.Kind, t.Key, t.Name,
            t.Kind == TemplateKind.SelfEvaluation ? t.SelfEvaluationGroups : t.EvaluationGroups.Select(g => new TemplateGroup(g, [])).ToList(),
            t.Rows, t.IsActive, uses.GetValueOrDefault(t.Kind + ":" + t.Key), t.RowVersion);

    /// <summary>Plans by their template, commissioned evaluations (a firm named) by theirs; keyed "Kind:key".</summary>
    private static async Task<Dictionary<string, int>> UsesAsync(AppDbContext db, CancellationToken ct)
    {
        var plans = await db.Plans.IgnoreQueryFilters().GroupBy(p => p.TemplateId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var evaluations = await db.Evaluations.IgnoreQueryFilters().Where(e => e.FirmId != null).GroupBy(e => e.TemplateKey)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return plans.Select(p => (Key: TemplateKind.SelfEvaluation + ":" + p.Key, p.Count))
            .Concat(evaluations.Select(e => (Key: TemplateKind.Evaluation + ":" + e.Key, e.Count)))
            .ToDictionary(x => x.Key, x => x.Count, StringComparer.Ordinal);
    }
}
