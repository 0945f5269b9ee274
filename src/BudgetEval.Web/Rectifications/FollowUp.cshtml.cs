using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// 上年及以前发现问题的整改情况 of one self-evaluation: the earlier findings and the unit's statement for each —
/// live while the unit edits, as submitted once it has left the unit.
/// </summary>
internal sealed class FollowUpModel(AppDbContext db, TimeProvider clock, ChinaClock china) : PageModel
{
    private Dictionary<Guid, string?>? posted;

    private Dictionary<Guid, string?> postedStamps = [];

    private IReadOnlyList<FieldError> errors = [];

    public SelfEvaluation SelfEvaluation { get; private set; } = null!;

    public FollowUpList List { get; private set; } = new([], null, false);

    public IReadOnlyList<FollowUpItem> Items => List.Items;

    public DateOnly Today { get; private set; }

    /// <summary>Listed findings of a category the unit already had the year before (重复发生), marked as in the register.</summary>
    public IReadOnlySet<Guid> Recurring { get; private set; } = new HashSet<Guid>();

    public ChinaClock China => china;

    /// <summary>Statements offered from the unit's other self-evaluations of the year for boxes still blank here (带入).</summary>
    public IReadOnlyDictionary<Guid, CarriedStatement> Carried { get; private set; } = new Dictionary<Guid, CarriedStatement>();

    public bool Editable => FollowUp.IsWithUnit(SelfEvaluation) && User.IsInRole(Users.Roles.UnitFiller);

    /// <summary>A refused save's page holds the user's unsaved text (the leave-page guard starts armed).</summary>
    public bool Refused => posted is not null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary><paramref name="stamps"/>: per finding, the stamp of the statement as the page showed it (see <see cref="FollowUp.StampOf"/>).</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, Dictionary<Guid, string?> statements, Dictionary<Guid, string?> stamps, CancellationToken ct)
    {
        var result = await FollowUp.SaveAsync(db, id, statements ?? [], stamps ?? [], WorkflowActor.From(User), clock.GetUtcNow(), ct);
        if (result.Succeeded)
        {
            TempData["Flash"] = "整改情况说明已保存。";
            return RedirectToPage(new { id });
        }

        if (result.Status == FireStatus.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }

        // Nothing was saved: the boxes show what was typed, each refusal beside its box.
        (posted, postedStamps, errors) = (statements ?? [], stamps ?? [], result.Errors);
        return this.Refused(result);
    }

    /// <summary>
    /// What a box shows: the stored statement, or after a refused save what the user typed. A box the user left as
    /// loaded shows what is stored now (someone else may have filled it in the meantime). A blank box on a fresh page
    /// shows the statement carried over from another self-evaluation, if any.
    /// </summary>
    public string? Shown(FollowUpLine line)
    {
        if (CarriedInto(line) is { } carried)
        {
            return carried.Statement;
        }

        if (posted is null || !posted.TryGetValue(line.FindingId, out var typed) || !ChangedByUser(line.FindingId, typed))
        {
            return line.Statement;
        }

        return typed;
    }

    /// <summary>The carried-over statement the box shows (a fresh page, nothing stored here yet); null otherwise.</summary>
    public CarriedStatement? CarriedInto(FollowUpLine line) =>
        posted is null && string.IsNullOrWhiteSpace(line.Statement) ? Carried.GetValueOrDefault(line.FindingId) : null;

    /// <summary>
    /// After a refused save: the statement someone else saved since this user loaded the page, which this user also
    /// changed. Shown beside the box; the box's stamp is now that statement's, so saving again keeps the user's text.
    /// </summary>
    public bool ChangedByOther(FollowUpLine line, out string? theirs)
    {
        theirs = line.Statement;
        return posted is not null && posted.TryGetValue(line.FindingId, out var typed) && ChangedByUser(line.FindingId, typed)
            && FollowUp.Classify(TextInput.Block(typed), postedStamps.GetValueOrDefault(line.FindingId), line.Statement) == FollowUp.Change.Conflict;
    }

    /// <summary>The refusals about one box (keyed statements.{findingId}, as the API answers them).</summary>
    public IReadOnlyList<string> ErrorsFor(FollowUpLine line) =>
        errors.Where(e => e.Field == $"statements.{line.FindingId}").Select(e => e.Message).ToList();

    private bool ChangedByUser(Guid findingId, string? typed) =>
        postedStamps.GetValueOrDefault(findingId) is not { } stamp || FollowUp.StampOf(TextInput.Block(typed)) != stamp.Trim();

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is not { } se)
        {
            return false;
        }

        SelfEvaluation = se;
        List = await FollowUp.ShownAsync(db, se, china, ct);
        Carried = Editable ? await FollowUp.CarriedAsync(db, se, List.Items, ct) : new Dictionary<Guid, CarriedStatement>();
        Recurring = List.Recurring;
        Today = china.Today(clock);
        return true;
    }
}
