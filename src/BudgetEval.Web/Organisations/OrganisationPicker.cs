using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Organisations;

/// <summary>One organisation a form may offer.</summary>
internal sealed record OrganisationChoice(Guid Id, string Name, OrganisationKind Kind, bool IsActive);

/// <summary>
/// One suggestion for a search field. The browser shows a suggestion only if what was typed appears in its
/// value or label, so the label carries the short name and the credit code too (one may type either).
/// </summary>
internal sealed record OrganisationSuggestion(Guid Id, string Name, string? ShortName, string? CreditCode)
{
    public string Label => string.Join(" · ", new[] { Name, ShortName, CreditCode }.Where(x => !string.IsNullOrEmpty(x)));
}

/// <summary>
/// What a form offers for picking an organisation: the whole list while it is short, otherwise nothing
/// (<see cref="IsSearch"/>), and the form shows a search field instead. A district's hundred units stay
/// a drop-down; a province's 30,000 are never loaded into one page.
/// </summary>
internal sealed record OrganisationChoices(IReadOnlyList<OrganisationChoice>? Listed)
{
    public bool IsSearch => Listed is null;

    public IReadOnlyList<OrganisationChoice> Items => Listed ?? [];
}

/// <summary>The organisation a typed text stands for, or why it stands for none (without the field's label).</summary>
internal sealed record PickedOrganisation(Guid? Id, string? Error)
{
    public static readonly PickedOrganisation None = new(null, null);
}

/// <summary>
/// Organisation pickers that stay bounded at province scale: at most <see cref="ListLimit"/> options are
/// ever read for a drop-down, and a typed name, short name, 统一社会信用代码 or id is resolved on the server
/// (so the search field works without script; the script only adds suggestions).
/// </summary>
internal static class OrganisationPicker
{
    /// <summary>Above this many candidates a form shows a search field instead of a list.</summary>
    public const int ListLimit = 200;

    /// <summary>Set in HttpContext.Items by a search field, so the layout includes organisation-search.js.</summary>
    public const string ScriptItem = "organisation-search";

    /// <summary>How many names an error or a suggestion list shows.</summary>
    public const int ShownMatches = 10;

    public static IQueryable<Organisation> ActiveUnits(IQueryable<Organisation> organisations) =>
        organisations.Where(o => o.Kind == OrganisationKind.BudgetUnit && o.IsActive);

    public static async Task<OrganisationChoices> ChoicesAsync(IQueryable<Organisation> candidates, CancellationToken ct)
    {
        var rows = await candidates.AsNoTracking().OrderBy(o => o.Kind).ThenBy(o => o.Name).ThenBy(o => o.Id)
            .Select(o => new OrganisationChoice(o.Id, o.Name, o.Kind, o.IsActive))
            .Take(ListLimit + 1).ToListAsync(ct);
        return new OrganisationChoices(rows.Count > ListLimit ? null : rows);
    }

    /// <summary>Suggestions for a search field: names or short names containing the text, codes starting with it.</summary>
    public static async Task<IReadOnlyList<OrganisationSuggestion>> SuggestAsync(IQueryable<Organisation> candidates, string? text, CancellationToken ct)
    {
        var q = text?.Trim();
        if (string.IsNullOrEmpty(q))
        {
            return [];
        }

        return await candidates.AsNoTracking()
            .Where(o => o.Name.Contains(q) || (o.ShortName != null && o.ShortName.Contains(q)) || (o.CreditCode != null && o.CreditCode.StartsWith(q)))
            .OrderBy(o => o.Name.Length).ThenBy(o => o.Name).ThenBy(o => o.Id)
            .Select(o => new OrganisationSuggestion(o.Id, o.Name, o.ShortName, o.CreditCode))
            .Take(ShownMatches).ToListAsync(ct);
    }

    /// <summary>
    /// The candidate a text names: an id (what a drop-down posts), or exactly one candidate whose name,
    /// short name or credit code equals the text, or else exactly one whose name or short name contains it.
    /// Blank is <see cref="PickedOrganisation.None"/>; anything else that does not name one candidate is an error.
    /// </summary>
    public static async Task<PickedOrganisation> ResolveAsync(IQueryable<Organisation> candidates, string? text, CancellationToken ct, string noun = "单位")
    {
        var all = await ResolveAllAsync(candidates, [text], ct, noun);
        return all.Count == 0 ? PickedOrganisation.None : all.Values.Single();
    }

    /// <summary>
    /// <see cref="ResolveAsync"/> for many texts (a plan's list of units) with one query for those named
    /// exactly; blank texts are left out of the answer.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, PickedOrganisation>> ResolveAllAsync(
        IQueryable<Organisation> candidates, IEnumerable<string?> texts, CancellationToken ct, string noun = "单位")
    {
        var wanted = texts.Select(t => t?.Trim()).OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var answers = new Dictionary<string, PickedOrganisation>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return answers;
        }

        var ids = wanted.Select(t => Guid.TryParse(t, out var id) ? id : (Guid?)null).OfType<Guid>().ToList();
        var exact = await candidates.AsNoTracking()
            .Where(o => ids.Contains(o.Id) || wanted.Contains(o.Name) || (o.ShortName != null && wanted.Contains(o.ShortName))
                || (o.CreditCode != null && wanted.Contains(o.CreditCode)))
            .Select(o => new { o.Id, o.Name, o.ShortName, o.CreditCode })
            .ToListAsync(ct);

        foreach (var text in wanted)
        {
            if (Guid.TryParse(text, out var id))
            {
                answers[text] = exact.Any(o => o.Id == id) ? new PickedOrganisation(id, null) : new PickedOrganisation(null, $"所选{noun}不存在或不可选。");
                continue;
            }

            // A full name is unique: it wins over another unit's short name that happens to read the same.
            var named = exact.Where(o => o.Name == text).Select(o => (o.Id, o.Name)).ToList() is [var full] ? [full]
                : exact.Where(o => o.ShortName == text || o.CreditCode == text).OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => (o.Id, o.Name)).ToList();
            answers[text] = named.Count switch
            {
                1 => new PickedOrganisation(named[0].Id, null),
                > 1 => new PickedOrganisation(null, $"「{text}」对应 {named.Count} 个{noun}（{Names(named)}），请改填其中一个的全称或统一社会信用代码。"),
                _ => await ByPartAsync(candidates, text, noun, ct),
            };
        }

        return answers;
    }

    /// <summary>
    /// What a picker shows for what its form holds: an id selects itself in a drop-down and is shown by name
    /// in a search field; typed text stays as typed in a search field, and a drop-down selects what it
    /// resolved to (<paramref name="resolved"/>).
    /// </summary>
    public static async Task<(string? Value, string? Text)> ShownAsync(IQueryable<Organisation> candidates, OrganisationChoices choices, string? posted,
        Guid? resolved, CancellationToken ct)
    {
        posted = string.IsNullOrWhiteSpace(posted) ? null : posted.Trim();
        if (!Guid.TryParse(posted, out var id))
        {
            return (choices.IsSearch ? posted : resolved?.ToString() ?? posted, null);
        }

        var name = choices.IsSearch ? await candidates.AsNoTracking().Where(o => o.Id == id).Select(o => o.Name).SingleOrDefaultAsync(ct) : null;
        return (id.ToString(), name);
    }

    private static async Task<PickedOrganisation> ByPartAsync(IQueryable<Organisation> candidates, string text, string noun, CancellationToken ct)
    {
        var matches = await candidates.AsNoTracking().NamedLike(text)
            .OrderBy(o => o.Name).ThenBy(o => o.Id)
            .Select(o => new { o.Id, o.Name })
            .Take(ShownMatches + 1).ToListAsync(ct);
        return matches.Count switch
        {
            0 => new PickedOrganisation(null, $"找不到「{text}」，请填写{noun}全称、简称或统一社会信用代码。"),
            1 => new PickedOrganisation(matches[0].Id, null),
            _ => new PickedOrganisation(null, string.Create(CultureInfo.InvariantCulture,
                $"「{text}」对应多个{noun}（{Names(matches.Take(ShownMatches).Select(m => (m.Id, m.Name)).ToList())}{(matches.Count > ShownMatches ? " 等" : "")}），请填写全称。")),
        };
    }

    /// <summary>What the messages call a candidate: 机构 for evaluation firms, 单位 otherwise.</summary>
    public static string Noun(OrganisationKind? kind) => kind == OrganisationKind.EvaluationFirm ? "机构" : "单位";

    private static string Names(IReadOnlyList<(Guid Id, string Name)> matches) => string.Join("、", matches.Select(m => m.Name));
}

/// <summary>
/// One picker on a form, rendered by Shared/_OrganisationPicker: <paramref name="Value"/> is what the form
/// holds (an id or typed text), <paramref name="Text"/> what a search field shows for it.
/// </summary>
internal sealed record OrganisationField(string Name, string Id, string Label, OrganisationChoices Choices, string? Value = null, string? Text = null,
    string? EmptyOption = null, OrganisationKind? Kind = OrganisationKind.BudgetUnit, bool Disabled = false, bool ShowInactive = false);
