using System.Globalization;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Plans;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>The template form as typed: text only, so a wrong 分值 comes back named in Chinese rather than dropped by binding.</summary>
internal sealed class TemplateForm
{
    /// <summary>Spare blank rows below the typed ones: the form grows without script; blank rows are left out.</summary>
    public const int SpareRows = 5;

    public const int SpareGroups = 2;

    public string? Name { get; set; }

    public uint Version { get; set; }

    public List<GroupForm> Groups { get; set; } = [];

    public List<RowForm> Rows { get; set; } = [];

    public TemplateInput ToInput()
    {
        var renamed = Renamed();
        return new(
            Name,
            Groups.Select(g => new TemplateGroupInput(g.Level1, (g.Level2 ?? string.Empty).Split('\n').Select(l => (string?)l).ToList())).ToList(),
            Rows.Select(r => new TemplateRowInput(r.Level1?.Trim() is { } l && renamed.TryGetValue(l, out var to) ? to : r.Level1, r.Level2, r.Level3, r.Weight, r.Points, r.Standard)).ToList());
    }

    /// <summary>
    /// 一级 names changed on the form (from <see cref="GroupForm.Was"/>): the rows still under an old name follow it to the
    /// new one, so renaming 效果 to 效益 is one edit, not one per row. A name still in use by another group is no rename.
    /// </summary>
    private Dictionary<string, string> Renamed()
    {
        var now = Groups.Select(g => g.Level1?.Trim()).OfType<string>().Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        return Groups
            .Select(g => (Was: g.Was?.Trim(), Now: g.Level1?.Trim()))
            .Where(g => !string.IsNullOrEmpty(g.Was) && !string.IsNullOrEmpty(g.Now) && g.Was != g.Now && !now.Contains(g.Was))
            .GroupBy(g => g.Was!, StringComparer.Ordinal)
            .Where(x => x.Count() == 1)
            .ToDictionary(x => x.Key, x => x.Single().Now!, StringComparer.Ordinal);
    }

    public static TemplateForm From(TemplateSummary t, string? name = null) => new()
    {
        Name = name ?? t.Name,
        Version = t.Version,
        Groups = t.Groups.Select(g => new GroupForm { Level1 = g.Level1, Was = g.Level1, Level2 = string.Join('\n', g.Level2) }).ToList(),
        Rows = t.Rows.Select(r => new RowForm
        {
            Level1 = r.Level1, Level2 = r.Level2, Level3 = r.Level3, Weight = TemplateAdmin.Number(r.Weight), Points = r.Points, Standard = r.Standard,
        }).ToList(),
    };

    /// <summary>A blank one: 自评 with one empty group to fill, 重点评价 with the usual four 一级 names to change if needed.</summary>
    public static TemplateForm Blank(TemplateKind kind) => new()
    {
        Groups = kind == TemplateKind.Evaluation ? new[] { "投入", "过程", "产出", "效果" }.Select(n => new GroupForm { Level1 = n, Was = n }).ToList() : [],
    };

    /// <summary>Pads the form with blank groups and rows for the page (重点评价 has exactly four group inputs).</summary>
    public void Pad(TemplateKind kind)
    {
        var groups = kind == TemplateKind.Evaluation ? TemplateAdmin.EvaluationGroupCount : Groups.Count(g => !g.IsBlank) + SpareGroups;
        while (Groups.Count < groups)
        {
            Groups.Add(new GroupForm());
        }

        // Blank rows stay where they were typed, so a refused post's "第N行" still points at the row on the form.
        var trailing = Rows.AsEnumerable().Reverse().TakeWhile(r => r.IsBlank).Count();
        if (kind == TemplateKind.Evaluation && trailing < SpareRows)
        {
            Rows.AddRange(Enumerable.Range(0, SpareRows - trailing).Select(_ => new RowForm()));
        }
    }

    public decimal? TypedTotal()
    {
        var sum = 0m;
        foreach (var r in Rows.Where(r => !r.IsBlank))
        {
            if (!decimal.TryParse(r.Weight, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var w))
            {
                return null;
            }

            sum += w;
        }

        return sum;
    }
}

internal sealed class GroupForm
{
    public string? Level1 { get; set; }

    /// <summary>The name as the form was shown (hidden): a changed <see cref="Level1"/> takes its rows along (重点评价).</summary>
    public string? Was { get; set; }

    /// <summary>自评: the 二级 names, one per line.</summary>
    public string? Level2 { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Level1) && string.IsNullOrWhiteSpace(Level2);
}

internal sealed class RowForm
{
    public string? Level1 { get; set; }

    public string? Level2 { get; set; }

    public string? Level3 { get; set; }

    public string? Weight { get; set; }

    public string? Points { get; set; }

    public string? Standard { get; set; }

    public bool IsBlank => new[] { Level1, Level2, Level3, Weight, Points, Standard }.All(string.IsNullOrWhiteSpace);
}

/// <summary>What /admin/templates/new and /admin/templates/{id} share: the form, its errors and its partial.</summary>
internal abstract class TemplateFormPage(AppDbContext db) : PageModel
{
    protected AppDbContext Db { get; } = db;

    [BindProperty]
    public TemplateForm Input { get; set; } = new();

    public TemplateKind Kind { get; protected set; }

    public List<string> Errors { get; } = [];

    /// <summary>The 一级 names offered for the rows' 一级 (as saved or as typed).</summary>
    public IReadOnlyList<string> GroupNames => Input.Groups.Select(g => g.Level1?.Trim()).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();

    /// <summary>What the page says after rows were taken from a workbook (not yet saved).</summary>
    public string? ImportNote { get; protected set; }

    /// <summary>
    /// 导入 Excel: the file's rows replace the form's (checked against the 一级 names as the form holds them), shown
    /// for review; nothing is saved until 保存. A refused file leaves the form as it was typed.
    /// </summary>
    protected async Task<IActionResult> ImportRowsAsync(IFormFile? file, CancellationToken ct)
    {
        if (Kind != TemplateKind.Evaluation)
        {
            return BadRequest();
        }

        if (file is null || file.Length == 0 || file.Length > SelfEvaluations.Import.IndicatorFile.MaxBytes)
        {
            Errors.Add("「导入 Excel」：请选择不超过 10 MB 的 .xlsx 或 .csv 文件。");
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var read = TemplateFile.Read(file.FileName, buffer.ToArray(), GroupNames);
            Errors.AddRange(read.Errors);
            if (read.Errors.Count == 0)
            {
                Input.Rows = [.. read.Rows];
                ImportNote = string.Join(" ", [$"已从“{Path.GetFileName(file.FileName)}”读入 {read.Rows.Count} 行指标，尚未保存：请核对后点「保存」。", .. read.Notes]);
            }
        }

        Input.Pad(Kind);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    protected IActionResult Refused(TemplateOutcome outcome)
    {
        Errors.AddRange(outcome.Errors.Select(e => e.Message));
        Input.Pad(Kind);
        Response.StatusCode = outcome.Status == TemplateChange.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
