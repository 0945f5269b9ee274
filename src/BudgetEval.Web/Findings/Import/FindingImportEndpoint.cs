using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.Findings.Import;

/// <summary>POST /api/findings/import: 问题台账批量登记 over the API, multipart <c>file</c>, answered as the other imports answer.</summary>
internal static class FindingImportEndpoint
{
    /// <summary>What was registered: counts, per unit, and each finding with the file row it came from.</summary>
    internal sealed record FindingsImported(int Registered, int Open, int Rectified, int Recurring, IReadOnlyList<ImportedUnit> Units,
        IReadOnlyList<ImportedFinding> Findings, IReadOnlyList<string> Notes);

    public static void MapFindingImport(this RouteGroupBuilder group) =>
        group.MapPost("/import", async (HttpRequest request, HttpContext http, CancellationToken ct) =>
        {
            // Refused before the file is read: only those who may register by hand may register in bulk.
            var actor = WorkflowActor.From(http.User);
            if (!actor.IsInRole(Roles.FinanceOfficer) || actor.OrganisationKind != OrganisationKind.FinanceBureau)
            {
                return ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权办理", "只有财政局绩效管理员可以登记问题。");
            }

            var (file, problem) = await FormEndpoints.SingleFileAsync(request, FindingFile.MaxBytes, "5 MB", ct);
            if (problem is not null)
            {
                return FormEndpoints.ImportProblem([new SelfEvaluations.Import.ImportError(0, string.Empty, problem)]);
            }

            var import = ActivatorUtilities.CreateInstance<FindingImport>(http.RequestServices);
            var result = await import.RunAsync(http, file!.Value.Name, file.Value.Content, ct);
            return result.Status switch
            {
                FireStatus.Ok => TypedResults.Ok(new FindingsImported(result.Findings.Count, result.Open, result.Findings.Count - result.Open, result.Recurring,
                    result.Units, result.Findings, result.Notes)),
                FireStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权办理", string.Join(" ", result.Errors.Select(e => e.Message))),
                FireStatus.Conflict => ApiProblems.Conflict(string.Join(" ", result.Errors.Select(e => e.Message))),
                _ => FormEndpoints.ImportProblem(result.Errors),
            };
        }).DisableAntiforgery().Produces<FindingsImported>();
}
