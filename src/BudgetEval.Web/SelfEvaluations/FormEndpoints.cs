using System.Globalization;
using System.Text.Json;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.SelfEvaluations.Scoring;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>The 自评表 over the API: the scored view, funds, indicators (JSON and file import), export, template, attachments.</summary>
internal static class FormEndpoints
{
    internal sealed record IndicatorDto(int Order, string? Level1, string? Level2, string? Level3, string? Content, string? Target, string? Actual,
        decimal? Weight, decimal? Score, string? Reason, string? Measure, string Reading, string ReadingNote);

    internal sealed record IndicatorsRequest(List<IndicatorLine>? Indicators, [property: ConcurrencyToken] uint? ExpectedVersion);

    /// <summary>
    /// The form's texts; a field left out (or null) stays as it is. <c>functions</c> (部门职能概述) and <c>independentUnits</c>
    /// (所属独立核算单位个数, a whole number ≥ 0) belong to a 部门整体 self-evaluation only.
    /// </summary>
    internal sealed record TextRequest(string? GoalsPlanned, string? GoalsAchieved, Dictionary<string, string?>? Report, [property: ConcurrencyToken] uint? ExpectedVersion,
        string? Functions = null, int? IndependentUnits = null);

    /// <summary>A save of the form: the record's new <c>version</c> (the next save's expectedVersion).</summary>
    internal sealed record FormSaved(Guid Id, uint Version);

    /// <summary>An accepted import: rows imported, the new version, and what of the file was not imported.</summary>
    internal sealed record IndicatorsImported(int Count, uint Version, IReadOnlyList<string> Notes);

    internal sealed record AttachmentCreated(Guid Id, string FileName, long Size, string ContentType);

    internal sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long Size, DateTimeOffset UploadedAt, string UploadedByName);

    internal sealed record FundsRowDto(string Name, decimal? Budget, decimal? Executed, decimal? UpperTransfer, decimal? ExecutionRate);

    /// <summary>资金情况 in 万元; <c>executionRate</c> is a fraction (0.9 = 90%), <c>score</c> the funds' score under <c>rule</c>.</summary>
    internal sealed record FundsDto(decimal? Budget, decimal? Executed, decimal? UpperTransfer, decimal? ExecutionRate, string? ExecutionRateText,
        decimal Weight, string Rule, decimal Score, IReadOnlyList<FundsRowDto> Rows);

    internal sealed record GoalsDto(string? Planned, string? Achieved);

    /// <summary>The 部门整体自评表's header: 所属独立核算单位个数 and 部门职能概述 (null until filled); null for a project's form.</summary>
    internal sealed record HeaderDto(int? IndependentUnits, string? Functions);

    /// <summary>
    /// The scored view of a self-evaluation. <c>version</c> is the next save's expectedVersion; <c>submissionErrors</c>
    /// empty means 提交 will pass; <c>report</c> has one text per section key.
    /// </summary>
    internal sealed record SelfEvaluationDetail(Guid Id, Guid? CaseId, Guid? PlanId, Guid OrganisationId, string UnitName, int FiscalYear, string Title,
        string Kind, string KindLabel, string? ProjectName, DateOnly Deadline, string Status, string StatusLabel, bool IsLate, int CurrentVersion,
        string? Summary, decimal? TotalBudget, uint Version, HeaderDto? Header, FundsDto Funds, GoalsDto Goals, decimal IndicatorWeightTotal, decimal IndicatorTotal,
        decimal IndicatorScore, decimal TotalScore, string Grade, IReadOnlyList<string> Warnings, IReadOnlyList<string> SubmissionErrors,
        IReadOnlyList<IndicatorDto> Indicators, IReadOnlyDictionary<string, string?> Report, IReadOnlyList<AttachmentDto> Attachments);

    public static void MapSelfEvaluationFormEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/self-evaluations").RequireAuthorization(ApiAuth.Policy).WithTags("SelfEvaluations").OnlyEditorsChangeSelfEvaluations();

        group.MapGet("/template.xlsx", () => TypedResults.File(FormWorkbook.BlankTemplate(), FormWorkbook.ContentType, "绩效指标导入模板.xlsx"))
            .ProducesFile(FormWorkbook.ContentType);
        group.MapGet("/template.csv", () => TypedResults.File(FormFiles.BlankCsv(), "text/csv; charset=utf-8", "绩效指标导入模板.csv"))
            .ProducesFile("text/csv");

        group.MapGet("/{id:guid}", async (Guid id, AppDbContext db, WorkflowRegistry registry, CancellationToken ct) =>
            await SelfEvaluationForm.LoadAsync(db, id, ct) is { } form ? TypedResults.Ok(await DetailAsync(db, registry, form, ct)) : ApiProblems.NotFound())
            .Produces<SelfEvaluationDetail>();

        group.MapPut("/{id:guid}/funds", async (Guid id, JsonElement body, HttpContext http, SelfEvaluationService service, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var budget = Amount(body, "budget", errors);
            var executed = Amount(body, "executed", errors);
            var upper = Amount(body, "upperTransfer", errors);
            List<FundsSubRow>? rows = null;
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("rows", out var rowsJson) && rowsJson.ValueKind != JsonValueKind.Null)
            {
                try
                {
                    rows = rowsJson.ValueKind == JsonValueKind.Array ? rowsJson.Deserialize<List<FundsSubRow>>(Plan.Json) : throw new JsonException();
                }
                catch (JsonException)
                {
                    errors["rows"] = ["「资金明细」格式不正确（应为数组）。"];
                }
            }

            if (rows is not null && RowProblem(rows) is { } rowProblem)
            {
                errors[rowProblem.Field] = [rowProblem.Message];
            }

            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("expectedVersion", out var versionJson)
                && versionJson.ValueKind != JsonValueKind.Null && ExpectedVersion(body) is null)
            {
                errors["expectedVersion"] = ["「expectedVersion」应为记录的版本号（非负整数）。"]; // not skipped: it guards against overwriting
            }

            if (errors.Count == 0)
            {
                foreach (var (k, v) in SelfEvaluationForm.ValidateFunds(budget, executed, upper))
                {
                    errors[k] = v;
                }
            }

            // Said with the other problems, so the client can settle everything at once.
            if (ExpectedVersion(body) is null)
            {
                errors.TryAdd("expectedVersion", [MissingVersion(id)]);
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors);
            }

            return await SaveAsync(service, id, http, ExpectedVersion(body)!.Value, (se, _) =>
            {
                se.FundsBudget = budget;
                se.FundsExecuted = executed;
                se.FundsUpperTransfer = upper ?? 0m;
                if (rows is not null)
                {
                    se.FundsRows = rows.Select(r => r with { Name = Shared.TextInput.LineOrEmpty(r.Name), Budget = Money.Round(r.Budget), Executed = Money.Round(r.Executed), UpperTransfer = Money.Round(r.UpperTransfer) }).ToList();
                }

                return Task.FromResult<IReadOnlyDictionary<string, string[]>?>(null);
            }, ct);
        }).Produces<FormSaved>();

        group.MapPut("/{id:guid}/indicators", async (Guid id, IndicatorsRequest request, HttpContext http, SelfEvaluationService service, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var lines = request.Indicators ?? [];
            var errors = SelfEvaluationForm.ValidateLines(lines);
            if (request.ExpectedVersion is null)
            {
                errors["expectedVersion"] = [MissingVersion(id)];
            }

            if (errors.Count > 0 || request.ExpectedVersion is not { } expected)
            {
                return ApiProblems.Validation(errors);
            }

            return await SaveAsync(service, id, http, expected, async (se, c) =>
            {
                await SelfEvaluationForm.ReplaceIndicatorsAsync(db, se, lines, clock.GetUtcNow(), c);
                return null;
            }, ct);
        }).Produces<FormSaved>();

        group.MapPut("/{id:guid}/text", async (Guid id, TextRequest request, HttpContext http, SelfEvaluationService service, CancellationToken ct) =>
        {
            // Every text too long, named as the body spells it (goalsPlanned, report.{section}), with the same limits as the page.
            var errors = SelfEvaluationForm.ValidateTexts(request.GoalsPlanned, request.GoalsAchieved, request.Report);
            if (HeaderFields.FunctionsProblem(request.Functions) is { } functionsProblem)
            {
                errors["functions"] = [functionsProblem];
            }

            if (request.IndependentUnits is { } units && !HeaderFields.Valid(units))
            {
                errors["independentUnits"] = [$"「{HeaderFields.UnitsLabel}」{units}无效：{HeaderFields.UnitsMessage}。"];
            }

            // A section the report does not have would be dropped without a word; name it instead.
            if (errors.Count == 0 && request.Report?.Keys.FirstOrDefault(k => SelfEvaluationReport.Sections.All(x => x.Key != k)) is { } unknown)
            {
                errors["report"] = [$"自评报告没有「{unknown}」一节；可填写：{string.Join("、", SelfEvaluationReport.Sections.Select(x => $"{x.Key}（{x.Label}）"))}。"];
            }

            if (request.ExpectedVersion is null)
            {
                errors["expectedVersion"] = [MissingVersion(id)];
            }

            if (errors.Count > 0 || request.ExpectedVersion is not { } expected)
            {
                return ApiProblems.Validation(errors);
            }

            return await SaveAsync(service, id, http, expected, (se, _) =>
            {
                if (!HeaderFields.Apply(se) && (request.Functions is not null || request.IndependentUnits is not null))
                {
                    // Said rather than dropped: a project's 自评表 (and a hand-made record) has neither field.
                    return Task.FromResult<IReadOnlyDictionary<string, string[]>?>(new Dictionary<string, string[]>
                    {
                        [request.Functions is not null ? "functions" : "independentUnits"] =
                            [$"只有部门整体支出绩效自评有「{HeaderFields.FunctionsLabel}」和「{HeaderFields.UnitsLabel}」，本自评没有这两项。"],
                    });
                }

                se.Functions = Shared.TextInput.Block(request.Functions) ?? se.Functions;
                se.IndependentUnits = request.IndependentUnits ?? se.IndependentUnits;
                se.GoalsPlanned = Shared.TextInput.Block(request.GoalsPlanned) ?? se.GoalsPlanned;
                se.GoalsAchieved = Shared.TextInput.Block(request.GoalsAchieved) ?? se.GoalsAchieved;
                foreach (var (key, value) in request.Report ?? [])
                {
                    se.Report.Set(key, value);
                }

                return Task.FromResult<IReadOnlyDictionary<string, string[]>?>(null);
            }, ct);
        }).Produces<FormSaved>();

        group.MapPost("/{id:guid}/indicators/import", async (Guid id, HttpRequest request, HttpContext http, FormFiles files, CancellationToken ct) =>
        {
            var (file, problem) = await SingleFileAsync(request, IndicatorFile.MaxBytes, "10 MB", ct);
            if (problem is not null)
            {
                return ImportProblem([new ImportError(0, string.Empty, problem)]);
            }

            var (saved, errors, count, notes) = await files.ImportIndicatorsAsync(id, file!.Value.Name, file.Value.Content, WorkflowActor.From(http.User), ct);
            return saved is null ? ImportProblem(errors)
                : saved.Status == FireStatus.Ok ? TypedResults.Ok(new IndicatorsImported(count, saved.Record!.RowVersion, notes))
                : Failure(saved);
        }).DisableAntiforgery().Produces<IndicatorsImported>();

        group.MapGet("/{id:guid}/export.xlsx", async Task<IResult> (Guid id, AppDbContext db, HttpContext http, TimeProvider clock, Shared.ChinaClock china, CancellationToken ct) =>
        {
            if (await SelfEvaluationForm.LoadAsync(db, id, ct) is not { } form)
            {
                return ApiProblems.NotFound();
            }

            await AuditTrail.ExportedAsync(db, http, clock, form.Record.Title, "自评表（Excel）", ct);
            return TypedResults.File(await FormWorkbook.BuildAsync(db, form, china, ct), FormWorkbook.ContentType, $"{form.Record.Title}.xlsx");
        }).ProducesFile(FormWorkbook.ContentType);

        group.MapGet("/{id:guid}/export.docx", async Task<IResult> (Guid id, AppDbContext db, HttpContext http, TimeProvider clock, Shared.ChinaClock china, CancellationToken ct) =>
        {
            if (await SelfEvaluationForm.LoadAsync(db, id, ct) is not { } form)
            {
                return ApiProblems.NotFound();
            }

            await AuditTrail.ExportedAsync(db, http, clock, form.Record.Title, FormDocument.AuditDetail, ct);
            return TypedResults.File(await FormDocument.BuildAsync(db, form, china, ct), Shared.WordDocument.ContentType, $"{form.Record.Title}.docx");
        }).ProducesFile(Shared.WordDocument.ContentType);

        group.MapPost("/{id:guid}/attachments", async (Guid id, HttpRequest request, HttpContext http, FormFiles files, CancellationToken ct) =>
        {
            var (file, problem) = await SingleFileAsync(request, Attachments.MaxBytes, "20 MB", ct);
            var (saved, added, typeProblem) = problem is null
                ? await files.AddAttachmentAsync(id, file!.Value.Name, file.Value.Content, WorkflowActor.From(http.User), ct)
                : (null, null, problem);
            if (saved is null)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["file"] = [typeProblem!] });
            }

            return saved.Status == FireStatus.Ok
                ? TypedResults.Created($"/api/self-evaluations/{id}/attachments/{added!.Id}", new AttachmentCreated(added.Id, added.FileName, added.Size, added.ContentType))
                : Failure(saved);
        }).DisableAntiforgery().Produces<AttachmentCreated>(StatusCodes.Status201Created);

        group.MapGet("/{id:guid}/attachments/{attachmentId:guid}", async (Guid id, Guid attachmentId, FormFiles files, CancellationToken ct) =>
            await files.FindAttachmentAsync(id, attachmentId, ct) is { } a
                ? TypedResults.File(a.Content, a.ContentType, a.FileName)
                : ApiProblems.NotFound())
            .ProducesFile(ApiDocument.AttachmentContentTypes);

        group.MapDelete("/{id:guid}/attachments/{attachmentId:guid}", async (Guid id, Guid attachmentId, HttpContext http, FormFiles files, CancellationToken ct) =>
        {
            var saved = await files.DeleteAttachmentAsync(id, attachmentId, WorkflowActor.From(http.User), ct);
            return saved.Status == FireStatus.Ok ? TypedResults.Ok(new FormSaved(id, saved.Record!.RowVersion)) : Failure(saved);
        }).Produces<FormSaved>();
    }

    /// <summary>The scored view of a self-evaluation: what the form shows, and what other tools read.</summary>
    public static async Task<SelfEvaluationDetail> DetailAsync(AppDbContext db, WorkflowRegistry registry, LoadedForm form, CancellationToken ct)
    {
        var se = form.Record;
        var sheet = form.Sheet();
        // Every check 提交 runs (the form's, the goals, the 整改情况说明), so an empty list means it will pass.
        var submissionErrors = (await SelfEvaluationIsComplete.ErrorsAsync(db, se, ct)).Concat(await Rectifications.FollowUpStated.ErrorsAsync(db, se, ct)).ToList();
        var attachments = await db.SelfEvaluationAttachments.AsNoTracking().Where(a => a.SelfEvaluationId == se.Id)
            .OrderBy(a => a.UploadedAt).Select(a => new AttachmentDto(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedAt, a.UploadedByName)).ToListAsync(ct);
        var funds = new FundsDto(
            se.FundsBudget,
            se.FundsExecuted,
            se.FundsUpperTransfer,
            sheet.ExecutionRate,
            sheet.ExecutionRate is { } r ? Money.Percent(r) : null,
            form.Rules.FundsWeight,
            form.Rules.FundsRule.ToString(),
            sheet.FundsScore,
            se.FundsRows.Select(x => new FundsRowDto(x.Name, x.Budget, x.Executed, x.UpperTransfer, new FundsFigures(x.Budget, x.Executed, x.UpperTransfer).ExecutionRate)).ToList());
        return new SelfEvaluationDetail(
            se.Id,
            se.CaseId,
            se.PlanId,
            se.OrganisationId,
            form.UnitName,
            se.FiscalYear,
            se.Title,
            se.Kind.ToString(),
            EvaluationKinds.Label(se.Kind),
            se.ProjectName,
            se.Deadline,
            se.Status,
            StatusLabel(registry, se.Status),
            se.IsLate,
            se.CurrentVersion,
            se.Summary,
            se.TotalBudget,
            se.RowVersion,
            HeaderFields.Apply(se) ? new HeaderDto(se.IndependentUnits, se.Functions) : null,
            funds,
            new GoalsDto(se.GoalsPlanned, se.GoalsAchieved),
            sheet.IndicatorWeightTotal,
            form.Rules.IndicatorTotal,
            sheet.IndicatorScore,
            sheet.TotalScore,
            sheet.Grade,
            sheet.Checks.Select(c => c.Message).ToList(),
            submissionErrors,
            form.Rows.Select((row, i) => new IndicatorDto(row.SortOrder, row.Level1, row.Level2, row.Level3, row.Content, row.Target, row.Actual,
                row.Weight, row.Score, row.Reason, row.Measure, sheet.Readings[i].Label, sheet.Readings[i].Note)).ToList(),
            SelfEvaluationReport.Sections.ToDictionary(s => s.Key, s => se.Report.Get(s.Key)),
            attachments);
    }

    public static string StatusLabel(WorkflowRegistry registry, string status) =>
        registry.Latest(SelfEvaluationService.WorkflowId).States.FirstOrDefault(s => s.Id == status)?.Label ?? status;

    public static IResult Failure(SelfEvaluationSaveResult result) => ApiProblems.For(result.Status, result.Errors);

    /// <summary>
    /// A save of the form without the version it read: refused (400) before anything is written, as it would overwrite
    /// unseen whatever someone else saved since. The editors-only filter has already answered a caller who may not save.
    /// </summary>
    internal static string MissingVersion(Guid id) =>
        $"缺少版本号 expectedVersion：请先读取该自评（GET /api/self-evaluations/{id}，返回的 version）并随保存一并提交，以免覆盖他人的修改。";

    private static async Task<IResult> SaveAsync(SelfEvaluationService service, Guid id, HttpContext http, uint expectedVersion,
        Func<SelfEvaluation, CancellationToken, Task<IReadOnlyDictionary<string, string[]>?>> change, CancellationToken ct)
    {
        var saved = await service.EditAsync(id, WorkflowActor.From(http.User), expectedVersion, change, ct);
        return saved.Status == FireStatus.Ok ? TypedResults.Ok(new FormSaved(id, saved.Record!.RowVersion)) : Failure(saved);
    }

    internal static IResult ImportProblem(IReadOnlyList<ImportError> errors) => TypedResults.Json(new
    {
        type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        title = "导入失败",
        status = 400,
        detail = $"文件有 {errors.Count} 处错误，未导入任何内容。",
        errors = errors.Select(e => new { row = e.Row, column = e.Column, message = e.Message }),
    }, statusCode: StatusCodes.Status400BadRequest, contentType: "application/problem+json");

    /// <summary>Reads the multipart field <c>file</c>, refusing oversize files before buffering them.</summary>
    internal static async Task<((string Name, byte[] Content)? File, string? Problem)> SingleFileAsync(HttpRequest request, long maxBytes, string limitText, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return (null, "请以 multipart/form-data 上传文件，字段名为 file。");
        }

        var form = await request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file)
        {
            return (null, "请选择文件（字段名 file）。");
        }

        if (file.Length > maxBytes)
        {
            return (null, $"文件超过 {limitText}。");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return ((Attachments.CleanName(file.FileName), buffer.ToArray()), null);
    }

    /// <summary>A money field: a JSON number or a numeric string; anything else is an error naming the field.</summary>
    private static decimal? Amount(JsonElement body, string key, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d))
        {
            return d;
        }

        if (v.ValueKind == JsonValueKind.String && Money.TryParse(v.GetString(), out var s))
        {
            return s;
        }

        errors[key] = [$"「{SelfEvaluationForm.FundsFieldLabels[key]}」不是数字。"];
        return null;
    }

    /// <summary>
    /// The first problem of the 资金明细 rows, under the row's field as the body names it (<c>rows[0].budget</c>,
    /// 0-based; a null row under <c>rows</c> as the other lists' null items): a missing row or name, or an amount the main fields would refuse.
    /// </summary>
    private static Shared.FieldError? RowProblem(List<FundsSubRow> rows)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not { } r)
            {
                return new("rows", NoNullItems.Message("rows", i + 1));
            }

            if (Shared.TextInput.Line(r.Name) is null)
            {
                return new($"rows[{i}].name", $"资金明细第{i + 1}行须有名称。");
            }

            foreach (var (field, label, amount) in new[] { ("budget", "全年预算数", r.Budget), ("executed", "全年执行数", r.Executed), ("upperTransfer", "上级财政转移支付", r.UpperTransfer) })
            {
                if (amount is { } a && (a < 0 || a > SelfEvaluationForm.MaxAmount || a != Math.Round(a, 2)))
                {
                    return new($"rows[{i}].{field}", $"资金明细「{r.Name}」的「{label}」须为 0 至 {SelfEvaluationForm.MaxAmount:0} 之间、最多两位小数的金额（万元）。");
                }
            }
        }

        return null;
    }

    private static uint? ExpectedVersion(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("expectedVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt32(out var u) ? u : null;
}
