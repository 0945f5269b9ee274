using System.Globalization;
using System.Text.Json;
using BudgetEval.Web.SelfEvaluations.Scoring;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// The fields of the 自评表 page, each as it is (or would be) stored, in one canonical text per field: what a refused
/// save compares, and what the page's hidden fingerprints describe (a short SHA-256 per field of the version it loaded),
/// so a save refused because someone else saved first can tell the other person's changes from the user's own.
/// </summary>
internal sealed class FormSnapshot
{
    private readonly List<(string Key, string Label, string Value)> fields = [];

    private FormSnapshot()
    {
    }

    /// <summary>The stored record.</summary>
    public static FormSnapshot Of(LoadedForm stored)
    {
        var se = stored.Record;
        return Build(se.IndependentUnits, se.Functions, se.FundsBudget, se.FundsExecuted, se.FundsUpperTransfer ?? 0m, se.FundsRows, se.GoalsPlanned, se.GoalsAchieved,
            stored.Rows.Select(r => r.ToLine()), key => se.Report.Get(key));
    }

    /// <summary>The posted form (parsed), normalised the way the save stores it.</summary>
    /// <param name="units">所属独立核算单位个数 as it would be stored (the stored one where the form does not show it).</param>
    /// <param name="functions">部门职能概述 as posted (the stored one where the form does not show it).</param>
    public static FormSnapshot Of(int? units, string? functions, decimal? budget, decimal? executed, decimal upper, IReadOnlyList<FundsSubRow> fundsRows, string? goalsPlanned,
        string? goalsAchieved, IReadOnlyList<IndicatorLine> lines, IReadOnlyDictionary<string, string?> report) =>
        Build(units, Shared.TextInput.Block(functions), budget, executed, upper, fundsRows, Shared.TextInput.Block(goalsPlanned), Shared.TextInput.Block(goalsAchieved), lines,
            key => Shared.TextInput.Block(report.GetValueOrDefault(key)));

    private static FormSnapshot Build(int? units, string? functions, decimal? budget, decimal? executed, decimal upper, IEnumerable<FundsSubRow> fundsRows, string? goalsPlanned,
        string? goalsAchieved, IEnumerable<IndicatorLine> lines, Func<string, string?> report)
    {
        // Amounts are numeric(18,2) columns and indicator figures numeric(9,2): rounded as the database does, and
        // written without trailing zeros, so 1.5 and 1.50 are one value.
        var s = new FormSnapshot();
        s.Add("independentUnits", HeaderFields.UnitsLabel, units);
        s.Add("budget", "全年预算数", Number(budget));
        s.Add("executed", "全年执行数", Number(executed));
        s.Add("upperTransfer", "上级财政转移支付", Number(upper));
        s.Add("fundsRows", "资金明细", fundsRows.Select(r => new[] { r.Name, Number(r.Budget), Number(r.Executed), Number(r.UpperTransfer) }).ToList());
        s.Add("functions", HeaderFields.FunctionsLabel, functions);
        s.Add("goalsPlanned", "年初设定目标", goalsPlanned);
        s.Add("goalsAchieved", "全年完成情况", goalsAchieved);
        s.Add("indicators", "绩效指标", lines.Select(SelfEvaluationForm.Normalised)
            .Select(l => new[] { l.Level1, l.Level2, l.Level3, l.Content, l.Target, l.Actual, Number(l.Weight), Number(l.Score), l.Reason, l.Measure }).ToList());
        foreach (var (key, label) in SelfEvaluationReport.Sections)
        {
            s.Add($"report.{key}", $"自评报告「{label}」", report(key));
        }

        return s;
    }

    private void Add(string key, string label, object? value) => fields.Add((key, label, JsonSerializer.Serialize(value)));

    private static string? Number(decimal? d) => d is { } v ? Plans.Money.Round(v).ToString("0.############################", CultureInfo.InvariantCulture) : null;

    /// <summary>The labels of the fields whose value differs from the other snapshot's.</summary>
    public List<string> Differing(FormSnapshot other) =>
        fields.Zip(other.fields).Where(p => p.First.Value != p.Second.Value).Select(p => p.First.Label).ToList();

    /// <summary>
    /// One hidden input's value: the version it describes, then each field's fingerprint
    /// (<c>1234;budget=0123456789abcdef;executed=…</c>). 8 bytes of SHA-256 tell a change apart well enough.
    /// </summary>
    public string Fingerprints(uint version) =>
        string.Join(';', fields.Select(f => $"{f.Key}={Hash(f.Value)}").Prepend(version.ToString(CultureInfo.InvariantCulture)));

    private static string Hash(string value) => Shared.ContentStamp.Of(value);

    /// <summary>
    /// After a save refused because someone else saved first: the fields the other person changed since the page was
    /// loaded (stored now ≠ loaded) and, among them, those the user changed too, differently (posted ≠ loaded and ≠ stored now).
    /// A field both changed to the same value is in neither list. Without readable fingerprints for the posted version
    /// (an older page, a hand-made post) the fields where stored and posted differ are all that can be said.
    /// </summary>
    public static FormConflict Conflict(FormSnapshot storedNow, FormSnapshot posted, string? fingerprints, uint? postedVersion)
    {
        if (Read(fingerprints, postedVersion, storedNow) is not { } loaded)
        {
            return new(storedNow.Differing(posted), [], Traced: false);
        }

        var byOther = new List<string>();
        var byOtherKeys = new List<string>();
        var byBoth = new List<string>();
        foreach (var ((key, label, now), (_, _, mine)) in storedNow.fields.Zip(posted.fields))
        {
            var original = loaded[key];
            if (Hash(now) == original)
            {
                continue; // the other person left it alone
            }

            if (Hash(mine) == original)
            {
                byOther.Add(label);
                byOtherKeys.Add(key);
            }
            else if (mine != now)
            {
                byBoth.Add(label);
            }
        }

        return new(byOther, byBoth, Traced: true) { TakenFromStored = byOtherKeys };
    }

    /// <summary>
    /// The labels of the fields the user changed since the page was loaded (posted ≠ the page's fingerprints); without
    /// readable fingerprints, the fields where <paramref name="stored"/> and posted differ (which then counts another
    /// person's save in between as the user's edit, the best that can be said).
    /// </summary>
    public static List<string> EditedByUser(FormSnapshot stored, FormSnapshot posted, string? fingerprints, uint? postedVersion) =>
        Read(fingerprints, postedVersion, posted) is { } loaded
            ? posted.fields.Where(f => Hash(f.Value) != loaded[f.Key]).Select(f => f.Label).ToList()
            : stored.Differing(posted);

    /// <summary>The fingerprints by field key; null unless the text is well formed, for the posted version, and names every field.</summary>
    private static Dictionary<string, string>? Read(string? text, uint? postedVersion, FormSnapshot shape)
    {
        var parts = text?.Split(';') ?? [];
        if (parts.Length != shape.fields.Count + 1 || postedVersion is not { } version
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var described) || described != version)
        {
            return null;
        }

        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var hash = eq < 0 ? string.Empty : part[(eq + 1)..];
            if (eq <= 0 || hash.Length != 16 || !hash.All(char.IsAsciiHexDigitLower) || !loaded.TryAdd(part[..eq], hash))
            {
                return null;
            }
        }

        return shape.fields.All(f => loaded.ContainsKey(f.Key)) ? loaded : null;
    }
}

/// <summary>What a save refused because someone else saved first tells the user (see <see cref="FormSnapshot.Conflict"/>).</summary>
/// <param name="ChangedByOther">Traced: the fields only the other person changed. Not traced: every field where stored and posted differ.</param>
/// <param name="ChangedByBoth">The fields both changed, differently (the user decides); empty when not traced.</param>
/// <param name="Traced">Whether the page's fingerprints of the version it loaded could be read.</param>
internal sealed record FormConflict(IReadOnlyList<string> ChangedByOther, IReadOnlyList<string> ChangedByBoth, bool Traced)
{
    /// <summary>
    /// Traced: the keys of the fields only the other person changed (<c>budget</c>, <c>indicators</c>, <c>report.basics</c>):
    /// the page shows the stored value there, since the user left them as loaded and saving again must not undo them.
    /// </summary>
    public IReadOnlyList<string> TakenFromStored { get; init; } = [];
}
