using System.Security.Claims;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications.Report;

/// <summary>What selects the findings of one 整改情况报告: the register's filters, narrowed to one unit.</summary>
internal sealed record RectificationReportQuery(string? Unit, int? FiscalYear, string? Source, string? SourceDocument);

/// <summary>One finding as the report tells it: the register's row and what it says in the report's words.</summary>
internal sealed record RectificationReportItem(Finding Finding, bool Recurring, IReadOnlyList<string> EvidenceFiles)
{
    /// <summary>已整改（报告前已整改）: the register's status, with the register's words for one fixed early.</summary>
    public string Status => FindingLabels.Status(Finding.Status) + (Finding.RectifiedBeforeReport ? $"（{FindingLabels.RectifiedEarly(Finding)}）" : string.Empty);

    /// <summary>The result as reported: the unit's 整改结果, or for one fixed early the evidence note registered with it.</summary>
    public string? Result => Finding.ResultText ?? Finding.RectifiedEvidence;

    /// <summary>When it was finished, whichever way (closed by the bureau, or the date it was fixed before the report).</summary>
    public DateOnly? FinishedOn => Finding.FinishedOn;

    /// <summary>The section's heading after its number: the problem, marked 重复发生 as the follow-up list marks it.</summary>
    public string Heading => Finding.Title + (Recurring ? "（重复发生）" : string.Empty);

    /// <summary>
    /// The section's labelled lines in the report's order; a label with nothing to say is left out (an empty 整改措施：
    /// would read as "no measures"). 问题来源 only when the report's findings do not share one (the opening names it
    /// then), 此前发现 when an earlier 巡察 or 审计 named it first; 整改期限 only while the finding is not finished. A 无法整改 carries its reason in 核验意见, the bureau's
    /// words on accepting it.
    /// </summary>
    public IReadOnlyList<(string Label, string Text)> Lines(bool sharedSource)
    {
        string? Date(DateOnly? d) => d is { } x ? ChineseFormat.Date(x) : null;
        var source = FindingLabels.Source(Finding.Source) + (Finding.SourceDocument is { } doc ? $"（{doc}）" : string.Empty);
        var prior = $"{Finding.PriorSourceKind}{(Finding.PriorSourceDocument is { } pd ? $"（{pd}）" : string.Empty)}"; // as the finding page says 此前发现
        var open = FinishedOn is null && Finding.Status != FindingStatus.Unrectifiable;
        (string, string?)[] all =
        [
            ("问题", Finding.Detail), ("问题来源", sharedSource ? null : source), ("此前发现", prior),
            ("整改建议", Finding.Recommendation), ("整改期限", open ? Date(Finding.Deadline) : null), ("整改措施", Finding.PlanMeasures),
            ("责任人", Finding.PlanResponsible), ("计划完成时间", Date(Finding.PlanDate)), ("整改结果", Result),
            ("尚未整改", Finding.Status == FindingStatus.Partial ? Finding.Remaining : null), ("佐证材料", EvidenceFiles.Count > 0 ? string.Join("、", EvidenceFiles) : null),
            ("完成时间", Finding.Status == FindingStatus.Unrectifiable ? null : Date(FinishedOn)), ("核验意见", Finding.Verification), ("状态", Status),
        ];
        return all.Where(l => !string.IsNullOrWhiteSpace(l.Item2)).Select(l => (l.Item1, l.Item2!)).ToList();
    }

    /// <summary>
    /// The annex's 完成情况: the result and the date it was finished; what remains of a 部分整改 and its deadline; the
    /// bureau's reason for a 无法整改.
    /// </summary>
    public string Progress
    {
        get
        {
            var parts = new List<string>();
            if (Result is { } result)
            {
                parts.Add(result);
            }

            if (Finding.Status == FindingStatus.Partial && Finding.Remaining is { } remaining)
            {
                parts.Add($"尚未整改：{remaining}");
            }

            if (Finding.Status == FindingStatus.Unrectifiable)
            {
                // Closed without being fixed: the bureau's reason for accepting that, not a completion date.
                if (Finding.Verification is { } why)
                {
                    parts.Add(why);
                }
            }
            else if (FinishedOn is { } d)
            {
                parts.Add($"完成时间：{ChineseFormat.Date(d)}");
            }
            else
            {
                parts.Add($"整改期限：{ChineseFormat.Date(Finding.Deadline)}");
            }

            return string.Join("\n", parts);
        }
    }
}

/// <summary>
/// 整改情况报告: what a unit writes to the finance bureau at the end of a rectification round — per finding the
/// problem, the measures, who was responsible, the result and the date, the status — generated from the register
/// so the report says what the register says. One unit, the findings of one year and/or one source document.
/// </summary>
internal sealed record RectificationReport(
    string UnitName,
    string? BureauName,
    int? FiscalYear,
    FindingSource? Source,
    string? SourceDocument,
    string? EvaluationSubject,
    DateOnly Today,
    IReadOnlyList<RectificationReportItem> Items)
{
    /// <summary>Every finding has the same source and 来源文号, which the title and the opening name once.</summary>
    public bool SharedSource => Source is not null && (SourceDocument is not null || Items.All(i => i.Finding.SourceDocument is null));

    /// <summary>The most findings one report holds: a wider selection is refused by name, never cut short.</summary>
    public const int MaxItems = 300;

    /// <summary>长沙市望城区社会治理服务中心关于2021年度部门整体支出绩效评价发现问题整改情况的报告.</summary>
    public string Title => $"{UnitName}关于{(FiscalYear is { } y ? $"{y}年度" : string.Empty)}{SourcePhrase}发现问题整改情况的报告";

    /// <summary>What found the problems, when every finding shares it: 部门整体支出绩效评价, 审计, 巡察, 绩效自评.</summary>
    private string SourcePhrase => Source switch
    {
        FindingSource.ThirdParty => EvaluationSubject is { } s ? $"{s}绩效评价" : "绩效评价",
        FindingSource.Audit => "审计",
        FindingSource.Inspection => "巡察",
        FindingSource.SelfEvaluation => "绩效自评",
        _ => string.Empty,
    };

    /// <summary>The opening paragraph: what found the problems (its 文号 when they share one), how many, and the usual pledge.</summary>
    public string Opening
    {
        get
        {
            var what = Source switch
            {
                FindingSource.ThirdParty => $"{(FiscalYear is { } y ? $"{y}年度" : string.Empty)}{EvaluationSubject ?? string.Empty}绩效评价报告",
                FindingSource.Audit => "审计",
                FindingSource.Inspection => "巡察",
                FindingSource.SelfEvaluation => "绩效自评",
                _ => FiscalYear is { } y2 ? $"{y2}年度绩效评价、审计、巡察等" : "绩效评价、审计、巡察等",
            };
            var document = SourceDocument is { } d ? $"（{d}）" : string.Empty;
            return $"{what}{document}共指出我单位问题{Items.Count}个。我单位高度重视，对照问题逐项制定整改措施，明确责任人和完成时限，抓好整改落实。现将整改情况报告如下：";
        }
    }

    /// <summary>The order the units' reports count in: what is done first, what is not last (已整改、部分整改、整改中、未整改、无法整改).</summary>
    private static readonly FindingStatus[] SummaryOrder =
        [FindingStatus.Rectified, FindingStatus.Partial, FindingStatus.InProgress, FindingStatus.Open, FindingStatus.Unrectifiable];

    /// <summary>The counts by status (those with none left out), from the same rows as the sections.</summary>
    public IReadOnlyList<(FindingStatus Status, int Count)> Counts =>
        SummaryOrder.Select(s => (s, Items.Count(i => i.Finding.Status == s))).Where(c => c.Item2 > 0).ToList();

    /// <summary>共9个问题，已整改3个（其中报告前已整改2个）、未整改6个。</summary>
    public string Summary
    {
        get
        {
            var parts = Counts.Select(c =>
            {
                var text = $"{FindingLabels.Status(c.Status)}{c.Count}个";
                if (c.Status == FindingStatus.Rectified)
                {
                    var early = Items.Where(i => i.Finding.Status == FindingStatus.Rectified && i.Finding.RectifiedBeforeReport)
                        .GroupBy(i => FindingLabels.RectifiedEarly(i.Finding)).Select(g => $"{g.Key}{g.Count()}个").ToList();
                    if (early.Count > 0)
                    {
                        text += $"（其中{string.Join("、", early)}）";
                    }
                }

                return text;
            });
            return $"综上，共{Items.Count}个问题，{string.Join("、", parts)}。";
        }
    }

    /// <summary>The closing words after the counts: what is still open gets a promise, as the units write it.</summary>
    public string Closing => Items.Any(i => FindingLabels.FollowedUp(i.Finding.Status) && i.Finding.Status != FindingStatus.Unrectifiable)
        ? "对尚未整改到位的问题，我单位将继续按计划推进整改，整改完成后及时报送整改结果。"
        : "我单位将以此次整改为契机，健全长效机制，防止同类问题再次发生。";

    public string FileName => $"{Title}.docx";

    /// <summary>
    /// The report for <paramref name="q"/> as <paramref name="user"/> may see it. The data scope filters the findings:
    /// a unit sees its own, a firm none, the bureau every unit's; nothing visible is null (the caller answers 404,
    /// alike for another unit's and for none). Errors name the field: no unit for the bureau, neither year nor source
    /// document, a unit text that matches several units, too many findings.
    /// </summary>
    public static async Task<(RectificationReport? Report, Dictionary<string, string[]> Errors)> LoadAsync(
        AppDbContext db, ClaimsPrincipal user, RectificationReportQuery q, BureauLookup bureau, TimeProvider clock, ChinaClock china, CancellationToken ct)
    {
        var unit = q.Unit;
        if (string.IsNullOrWhiteSpace(unit) && (user.IsInRole(Roles.UnitFiller) || user.IsInRole(Roles.UnitHead)) && user.OrganisationId() is { } own)
        {
            unit = own.ToString(); // a unit's staff report on their own unit
        }

        var sourceDocument = TextInput.Line(q.SourceDocument);
        var (query, errors) = FindingEndpoints.Filter(db, unit, q.FiscalYear, null, q.Source);
        if (string.IsNullOrWhiteSpace(unit))
        {
            errors["unit"] = ["「单位」：请指定要生成整改情况报告的单位。"];
        }

        if (q.FiscalYear is null && sourceDocument is null)
        {
            errors["fiscalYear"] = ["「年度」：请指定年度或来源文号（整改情况报告按一个年度或一份来源文件生成）。"];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if (sourceDocument is not null)
        {
            query = query.Where(f => f.SourceDocument == sourceDocument);
        }

        var rows = await query.OrderBy(f => f.FiscalYear).ThenBy(f => f.Number).ThenBy(f => f.Id).Take(MaxItems + 1).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return (null, errors);
        }

        if (rows.Select(f => f.OrganisationId).Distinct().Count() > 1)
        {
            errors["unit"] = [$"「单位」：“{unit}”对应多个单位，请填写单位全称或在问题台账中按单位筛选后生成。"];
            return (null, errors);
        }

        if (rows.Count > MaxItems)
        {
            errors["fiscalYear"] = [$"符合条件的问题超过 {MaxItems} 个，请按年度、来源或来源文号分别生成整改情况报告。"];
            return (null, errors);
        }

        var unitId = rows[0].OrganisationId;
        var unitName = (await OrganisationNames.ForAsync(db, [unitId], ct))[unitId];
        var recurring = await RecurringFindings.AmongAsync(db, rows, ct);
        var ids = rows.Select(f => f.Id).ToList();

        // File names only (never the content): the latest version of each name, as the unit handed them in.
        var evidence = (await db.FindingEvidence.AsNoTracking().Where(e => ids.Contains(e.FindingId))
                .Select(e => new { e.FindingId, e.FileName }).Distinct().ToListAsync(ct))
            .GroupBy(e => e.FindingId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(e => e.FileName).Order(StringComparer.Ordinal).ToList());

        T? Common<T>(Func<Finding, T?> of) => rows.Select(of).Distinct().ToList() is [var one] ? one : default;
        var year = rows.Select(f => f.FiscalYear).Distinct().ToList() is [var y] ? y : (int?)null;
        var source = rows.Select(f => f.Source).Distinct().ToList() is [var s] ? s : (FindingSource?)null;
        var document = Common(f => f.SourceDocument);
        string? subject = null;
        if (source == FindingSource.ThirdParty && rows.Select(f => f.EvaluationId).Distinct().ToList() is [{ } evaluationId])
        {
            // The evaluation's subject as its report names it; the data scope lets the unit and the bureau read it.
            var projectName = await db.Evaluations.AsNoTracking().Where(e => e.Id == evaluationId).Select(e => new { e.ProjectName }).SingleOrDefaultAsync(ct);
            subject = projectName is null ? null : projectName.ProjectName is { } p ? $"“{p}”项目支出" : "部门整体支出";
        }

        var items = rows.Select(f => new RectificationReportItem(f, recurring.Contains(f.Id), evidence.GetValueOrDefault(f.Id) ?? [])).ToList();
        return (new RectificationReport(unitName, await bureau.NameAsync(db, ct), year, source, document, subject, china.Today(clock), items), errors);
    }

    /// <summary>一 … 九十九 for the section numbers (the report has at most <see cref="MaxItems"/>).</summary>
    public static string Numeral(int n)
    {
        string[] digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        if (n < 10)
        {
            return digits[n];
        }

        if (n < 100)
        {
            return $"{(n / 10 == 1 ? string.Empty : digits[n / 10])}十{(n % 10 == 0 ? string.Empty : digits[n % 10])}";
        }

        return $"{digits[n / 100]}百{(n % 100 == 0 ? string.Empty : n % 100 < 10 ? "零" + digits[n % 100] : Numeral(n % 100).StartsWith('十') ? "一" + Numeral(n % 100) : Numeral(n % 100))}";
    }
}
