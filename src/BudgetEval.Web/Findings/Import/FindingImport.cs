using System.Globalization;
using BudgetEval.Web.Admin.Import;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Findings.Import;

/// <summary>One unit's share of an import, for the result page and the API's answer.</summary>
internal sealed record ImportedUnit(Guid OrganisationId, string Name, int Count, int Open, int Rectified, IReadOnlyList<int> Years);

/// <summary>A registered finding and the file row it came from.</summary>
internal sealed record ImportedFinding(int Row, Guid Id, string Number, Guid OrganisationId, int FiscalYear, string Title, bool Open, bool Recurring);

/// <summary>What an import registered, or why it registered nothing.</summary>
internal sealed record FindingImportResult(IReadOnlyList<ImportError> Errors, IReadOnlyList<ImportedFinding> Findings, IReadOnlyList<ImportedUnit> Units,
    IReadOnlyList<string> Notes, FireStatus Status)
{
    /// <summary>The registered findings as <see cref="ImportedNumbers"/> names them, for the result page's address.</summary>
    public string Key { get; init; } = string.Empty;

    public bool Succeeded => Status == FireStatus.Ok;

    public int Open => Findings.Count(f => f.Open);

    public int Recurring => Findings.Count(f => f.Recurring);

    public static FindingImportResult Refused(IReadOnlyList<ImportError> errors, FireStatus status = FireStatus.Invalid) => new(errors, [], [], [], status);
}

/// <summary>
/// 问题台账批量登记, the database half: each row's unit (resolved as the unit picker resolves a typed name), category and
/// dates checked as hand registration checks them (<see cref="FindingRegister.Validate"/>), duplicates within the file
/// and against the register refused, then every row registered through <see cref="FindingRegister.RegisterManyAsync"/>
/// in one transaction. All or nothing: one problem anywhere and nothing is saved, every problem listed by its cell.
/// </summary>
internal sealed class FindingImport(AppDbContext db, FindingRegister register, DueDates dueDates, TimeProvider clock)
{
    /// <summary>The keys of <see cref="FindingRegister.Validate"/> and the file's column each is about.</summary>
    private static readonly Dictionary<string, int> ColumnOf = new(StringComparer.Ordinal)
    {
        ["organisationId"] = FindingFile.Unit, ["fiscalYear"] = FindingFile.Year, ["source"] = FindingFile.SourceColumn,
        ["sourceDocument"] = FindingFile.SourceDocument, ["sourceDate"] = FindingFile.SourceDate, ["category"] = FindingFile.Category,
        ["title"] = FindingFile.Title, ["detail"] = FindingFile.Detail, ["deadline"] = FindingFile.Deadline, ["rectifiedOn"] = FindingFile.RectifiedOn,
    };

    public async Task<FindingImportResult> RunAsync(HttpContext http, string fileName, byte[] content, CancellationToken ct)
    {
        var actor = WorkflowActor.From(http.User);
        var today = dueDates.Today(clock.GetUtcNow());
        var read = FindingFile.Read(fileName, content, today);
        var errors = read.Errors;
        if (read.Rows.Count == 0)
        {
            return FindingImportResult.Refused(errors.Ordered);
        }

        void Error(int row, int column, string message) => errors.Add(row, column, FindingFile.Header[column], read.Where(row, column) + message);

        // Every unit named, resolved at once as the 登记问题 form's picker resolves one (full name, short name, credit code).
        string Key(string text) => Shared.TextInput.Narrow(text)!.ToUpperInvariant() is { Length: 18 } code && code.All(char.IsAsciiLetterOrDigit) ? code : text;
        var units = await OrganisationPicker.ResolveAllAsync(OrganisationPicker.ActiveUnits(db.Organisations),
            read.Rows.Select(r => r.UnitText).OfType<string>().Select(Key), ct);
        var categories = await FindingCategories.ActiveAsync(db, ct);

        var checkedRows = new List<(FindingRow Row, FindingInput Input)>();
        foreach (var row in read.Rows)
        {
            Guid? unitId = null;
            if (row.UnitText is { } text && units.TryGetValue(Key(text), out var picked))
            {
                unitId = picked.Id;
                if (picked.Error is { } unitError)
                {
                    Error(row.Row, FindingFile.Unit, unitError);
                }
            }

            var input = new FindingInput(unitId, row.Year, row.Category, row.Title, row.Detail, row.IndicatorRow, row.Recommendation, row.Deadline,
                row.Source?.ToString(), row.SourceDocument, row.SourceDate, row.Rectified, row.RectifiedOn, row.RectifiedEvidence);

            // Hand registration's own rules, each placed on its column; a cell already named is not named twice.
            foreach (var (key, messages) in FindingRegister.Validate(input, categories, today))
            {
                if (!ColumnOf.TryGetValue(key, out var column) || errors.Has(row.Row, column))
                {
                    continue;
                }

                foreach (var message in messages)
                {
                    Error(row.Row, column, message.StartsWith("请填写", StringComparison.Ordinal) ? "未填写。"
                        : key == "category" ? $"{TableRead.Quote(row.Category ?? string.Empty)}不是有效的问题类别，应为{string.Join("、", categories)}之一。"
                        : Unlabelled(message, column));
                }
            }

            checkedRows.Add((row, input));
        }

        var duplicates = await DuplicatesAsync(checkedRows, ct);
        foreach (var (row, message) in duplicates)
        {
            Error(row, FindingFile.Title, message);
        }

        if (errors.Count > 0)
        {
            return FindingImportResult.Refused(errors.Ordered);
        }

        var now = clock.GetUtcNow();
        var (findings, refused, status) = await register.RegisterManyAsync(
            checkedRows.Select(r => (r.Input, r.Row.Source!.Value)).ToList(), actor, async c =>
            {
                // Two imports of the same file at once: the second waits here, then finds the first one's findings.
                await db.Database.LockForTransactionAsync("finding-import", c);
                var late = await DuplicatesAsync(checkedRows, c);
                if (late.Count > 0)
                {
                    return [.. late.Select(d => read.Where(d.Row, FindingFile.Title) + d.Message)];
                }

                var rectified = checkedRows.Count(r => r.Row.Rectified);
                AuditTrail.Add(db, http, now, AuditActions.FindingsImported, fileName, string.Create(CultureInfo.InvariantCulture,
                    $"问题 {checkedRows.Count} 条（单位 {checkedRows.Select(r => r.Input.OrganisationId).Distinct().Count()} 个，其中登记时已整改 {rectified} 条）"));
                return [];
            }, ct);

        if (status != FireStatus.Ok)
        {
            return FindingImportResult.Refused([.. refused.Select(m => new ImportError(0, string.Empty, m))], status);
        }

        return await ResultAsync(checkedRows.Select(r => r.Row.Row).ToList(), findings, read.Notes, ct);
    }

    /// <summary>
    /// An import's result read back from what it registered (the result page after its redirect, on any node): the
    /// findings <paramref name="key"/> names, as they are now. The file rows are not kept (<see cref="ImportedFinding.Row"/>
    /// is 0). Null if the key is not one an import gave, or names nothing.
    /// </summary>
    public async Task<FindingImportResult?> ReadBackAsync(string? key, IReadOnlyList<string> notes, CancellationToken ct)
    {
        if (ImportedNumbers.Parse(key) is not { Count: > 0 } numbers)
        {
            return null;
        }

        var order = numbers.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var findings = (await db.Findings.AsNoTracking().Where(f => numbers.Contains(f.Number)).ToListAsync(ct)).OrderBy(f => order[f.Number]).ToList();
        return findings.Count == 0 ? null : await ResultAsync(null, findings, notes, ct);
    }

    /// <summary>
    /// Hand registration's message without its leading 「年度」: the cell's place already names the column, and
    /// "第5行「年度」「年度」不能晚于本年度" read as a stutter.
    /// </summary>
    private static string Unlabelled(string message, int column) =>
        message.StartsWith($"「{FindingFile.Header[column]}」", StringComparison.Ordinal) ? message[(FindingFile.Header[column].Length + 2)..] : message;

    /// <summary>
    /// One finding per unit, year and title: a row repeating an earlier row, or a finding already in the register (any
    /// source), is refused — so the same file imported twice registers nothing the second time.
    /// </summary>
    private async Task<List<(int Row, string Message)>> DuplicatesAsync(List<(FindingRow Row, FindingInput Input)> rows, CancellationToken ct)
    {
        var keyed = rows.Where(r => r.Input.OrganisationId is not null && r.Input.FiscalYear is not null && r.Input.Normalised().Title is not null)
            .Select(r => (r.Row.Row, Unit: r.Input.OrganisationId!.Value, Year: r.Input.FiscalYear!.Value, Title: r.Input.Normalised().Title!)).ToList();
        var unitIds = keyed.Select(k => k.Unit).Distinct().ToList();
        var years = keyed.Select(k => k.Year).Distinct().ToList();
        var titles = keyed.Select(k => k.Title).Distinct().ToList();
        var existing = (await db.Findings.IgnoreQueryFilters().AsNoTracking()
                .Where(f => unitIds.Contains(f.OrganisationId) && years.Contains(f.FiscalYear) && titles.Contains(f.Title))
                .Select(f => new { f.OrganisationId, f.FiscalYear, f.Title, f.Number }).ToListAsync(ct))
            .GroupBy(f => (f.OrganisationId, f.FiscalYear, f.Title)).ToDictionary(g => g.Key, g => g.OrderBy(f => f.Number, StringComparer.Ordinal).First().Number);

        var found = new List<(int Row, string Message)>();
        var seen = new Dictionary<(Guid, int, string), int>();
        foreach (var (row, unit, year, title) in keyed)
        {
            if (seen.TryGetValue((unit, year, title), out var first))
            {
                found.Add((row, $"与第{first}行重复（同一单位、年度的问题名称相同）。"));
            }
            else
            {
                seen[(unit, year, title)] = row;
                if (existing.TryGetValue((unit, year, title), out var number))
                {
                    found.Add((row, $"系统中已登记该单位{year}年度的同名问题（编号 {number}），不会重复登记：请删除这一行。"));
                }
            }
        }

        return found;
    }

    private async Task<FindingImportResult> ResultAsync(List<int>? fileRows, IReadOnlyList<Finding> findings, IReadOnlyList<string> notes, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var recurring = await RecurringFindings.AmongAsync(db, findings, ct);
        var names = await OrganisationNames.ForAsync(db, findings.Select(f => (Guid?)f.OrganisationId), ct);

        // Open as registered (not as now): read back later, a finding rectified since still counts as registered open.
        var imported = findings.Select((f, i) => new ImportedFinding(fileRows?[i] ?? 0, f.Id, f.Number, f.OrganisationId, f.FiscalYear, f.Title,
            !f.RectifiedBeforeReport, recurring.Contains(f.Id))).ToList();
        var units = imported.GroupBy(f => f.OrganisationId)
            .Select(g => new ImportedUnit(g.Key, names[g.Key], g.Count(), g.Count(f => f.Open), g.Count(f => !f.Open), [.. g.Select(f => f.FiscalYear).Distinct().Order()]))
            .OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        return new FindingImportResult([], imported, units, notes, FireStatus.Ok) { Key = ImportedNumbers.Of(findings) };
    }
}

/// <summary>
/// Which findings one import registered, short enough for an address: per year and source, the first sequence number
/// and how many (e.g. <c>2023-Audit-12-40_2022-ThirdParty-3-1</c>). An import's numbers of one year and source are
/// consecutive: <see cref="FindingRegister.RegisterManyAsync"/> takes them under a lock held to its commit.
/// </summary>
internal static class ImportedNumbers
{
    public static string Of(IEnumerable<Finding> findings) =>
        string.Join('_', findings.GroupBy(f => (f.FiscalYear, f.Source))
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key.FiscalYear}-{g.Key.Source}-{Seq(g.First().Number)}-{g.Count()}")));

    /// <summary>The numbers a key names, or null if it is not one <see cref="Of"/> gives (a hand-edited address).</summary>
    public static IReadOnlyList<string>? Parse(string? key)
    {
        var numbers = new List<string>();
        foreach (var part in (key ?? string.Empty).Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Split('-') is not [var y, var s, var f, var c]
                || !int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || !Shared.DateRange.IsYear(year)
                || !Enum.TryParse<FindingSource>(s, out var source) || !Enum.IsDefined(source)
                || !int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var first) || first < 1
                || !int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || numbers.Count + count > FindingFile.MaxRows)
            {
                return null;
            }

            numbers.AddRange(Enumerable.Range(first, count).Select(seq => FindingRegister.NumberOf(year, source, seq)));
        }

        return numbers;
    }

    /// <summary>The sequence number a finding's number ends with (<see cref="FindingRegister.NumberOf"/>).</summary>
    private static int Seq(string number) => int.Parse(number.AsSpan(number.LastIndexOf('-') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
}
