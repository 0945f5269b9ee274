using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// One line of a finding's 延期记录: the request (its place in the case history, when, who, the date asked for, why) and the bureau's answer. <see cref="Asked"/>
/// is null for a request decided before the 延期记录 was kept (the history has no date); <see cref="Pending"/> while the bureau decides.
/// </summary>
internal sealed record ExtensionRecord(int Seq, DateTimeOffset AskedAt, string AskedBy, DateOnly? Asked, DateOnly? DeadlineBefore, string? Reason,
    ExtensionDecision? Decision, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionComment, bool Pending);

/// <summary>The 延期记录 of a finding: written by the case's actions in their transaction, read by the finding page and its API.</summary>
internal static class FindingExtensions
{
    public const string RequestAction = "requestExtension";

    public const string GrantAction = "grantExtension";

    public const string RefuseAction = "refuseExtension";

    /// <summary>The states in which the bureau decides a request (the requested date is frozen there).</summary>
    public static readonly string[] ReviewStates = ["planning_extension", "implementing_extension"];

    public static string DecisionLabel(ExtensionDecision decision) => decision == ExtensionDecision.Granted ? "同意" : "不同意";

    /// <summary>申请延期 fired (from any client): the date it asks for is the finding's now, kept beside the history entry just written.</summary>
    public static async Task RecordRequestAsync(FireContext context, CancellationToken ct)
    {
        var f = await RectificationCases.LoadAsync(context, ct);
        context.Db.FindingExtensionRequests.Add(NewLine(context, f, context.Instance.HistorySeq, context.Comment, context.Now, context.Actor.UserId, context.Actor.DisplayName));
    }

    /// <summary>A request's line: the date asked for and the deadline it would replace are the finding's when it is written.</summary>
    private static FindingExtensionRequest NewLine(FireContext context, Finding f, int seq, string? reason, DateTimeOffset at, Guid? by, string byName) => new()
    {
        Id = Guid.CreateVersion7(context.Now),
        FindingId = f.Id,
        OrganisationId = f.OrganisationId,
        CaseId = context.Instance.Id,
        RequestSeq = seq,
        RequestedDeadline = f.RequestedDeadline,
        DeadlineBefore = f.Deadline,
        Reason = reason,
        RequestedAt = at,
        RequestedBy = by,
        RequestedByName = byName,
    };

    /// <summary>
    /// 同意延期 / 不同意延期: the answer goes onto the open request, read before the effect clears the finding's date. A request
    /// made before the 延期记录 existed gets its line now, from its history entry and the date the finding still holds.
    /// </summary>
    public static async Task DecideAsync(FireContext context, Finding f, ExtensionDecision decision, CancellationToken ct)
    {
        var caseId = context.Instance.Id;
        var row = await context.Db.FindingExtensionRequests.IgnoreQueryFilters()
            .Where(r => r.CaseId == caseId && r.Decision == null).OrderByDescending(r => r.RequestSeq).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            var asked = await context.Db.WorkflowHistory.IgnoreQueryFilters().AsNoTracking()
                .Where(h => h.InstanceId == caseId && h.Action == RequestAction).OrderByDescending(h => h.Seq).FirstOrDefaultAsync(ct);
            if (asked is null || await context.Db.FindingExtensionRequests.IgnoreQueryFilters().AnyAsync(r => r.CaseId == caseId && r.RequestSeq == asked.Seq, ct))
            {
                return; // a review state set by hand (调整状态), with no request of its own to answer
            }

            row = NewLine(context, f, asked.Seq, asked.Comment, asked.At, asked.ActorId, asked.ActorName);
            context.Db.FindingExtensionRequests.Add(row);
        }

        row.Decision = decision;
        row.DecidedAt = context.Now;
        row.DecidedBy = context.Actor.UserId;
        row.DecidedByName = context.Actor.DisplayName;
        row.DecisionComment = context.Comment;
    }

    /// <summary>
    /// The finding's requests, newest first: the kept lines, and those made before the 延期记录 existed from the case history
    /// (their answer is the history's next entry; the date asked for is known only while still pending, on the finding).
    /// </summary>
    public static async Task<IReadOnlyList<ExtensionRecord>> ListAsync(AppDbContext db, Finding finding, Guid? caseId, string? state, CancellationToken ct)
    {
        if (caseId is not { } id)
        {
            return [];
        }

        var inReview = ReviewStates.Contains(state);
        var rows = await db.FindingExtensionRequests.AsNoTracking().Where(r => r.FindingId == finding.Id).ToListAsync(ct);
        var history = await db.WorkflowHistory.AsNoTracking()
            .Where(h => h.InstanceId == id && (h.Action == RequestAction || h.Action == GrantAction || h.Action == RefuseAction))
            .OrderBy(h => h.Seq).ToListAsync(ct);
        var lastRequest = history.LastOrDefault(h => h.Action == RequestAction)?.Seq;
        var list = rows.Select(r => new ExtensionRecord(r.RequestSeq, r.RequestedAt, r.RequestedByName, r.RequestedDeadline, r.DeadlineBefore, r.Reason,
            r.Decision, r.DecidedAt, r.DecidedByName, r.DecisionComment, r.Decision is null && inReview && r.RequestSeq == lastRequest)).ToList();
        var kept = rows.Select(r => r.RequestSeq).ToHashSet();
        for (var i = 0; i < history.Count; i++)
        {
            var h = history[i];
            if (h.Action != RequestAction || kept.Contains(h.Seq))
            {
                continue;
            }

            var answer = i + 1 < history.Count && history[i + 1].Action != RequestAction ? history[i + 1] : null;
            var pending = answer is null && inReview && h.Seq == lastRequest;
            list.Add(new ExtensionRecord(h.Seq, h.At, h.ActorName, pending ? finding.RequestedDeadline : null, null, h.Comment,
                answer is null ? null : answer.Action == GrantAction ? ExtensionDecision.Granted : ExtensionDecision.Refused,
                answer?.At, answer?.ActorName, answer?.Comment, pending));
        }

        return [.. list.OrderByDescending(r => r.Seq)]; // the case's order: one case per finding
    }
}

/// <summary>The fields of the finding page's 申请延期 form, as its labels and the messages about them name them.</summary>
internal static class ExtensionLabels
{
    public const string Date = "申请延至";

    public const string Reason = "申请理由";
}
