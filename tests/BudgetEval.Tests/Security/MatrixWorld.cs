using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Security;

/// <summary>
/// The records the matrix is walked against, on top of the seeded demo district: for each kind of
/// record one of the 社会治理服务中心 (the organisation of <c>unit</c>/<c>unithead</c>: "own"), one of the
/// 教育局 ("other"), and for evaluations the firm's three situations: assigned and running ("own"),
/// another firm's ("other"), and its own finished 2021 evaluation ("ended").
/// </summary>
internal sealed class MatrixWorld
{
    private readonly Dictionary<(Res, Scope, Who), Dictionary<string, string>> _values = [];

    public Guid BureauId { get; private set; }

    public static async Task<MatrixWorld> BuildAsync(AppFixture app)
    {
        var w = new MatrixWorld();
        var bureau = await app.OrganisationIdAsync(DemoSeeder.BureauName);
        var centre = await app.SocialGovernanceCentreAsync();
        var education = await app.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var xinCaiYuan = await app.OrganisationIdAsync(DemoSeeder.XinCaiYuan);
        var otherFirm = await app.DbAsync(db => db.Organisations.Where(o => o.Kind == Web.Organisations.OrganisationKind.EvaluationFirm && o.Id != xinCaiYuan).Select(o => o.Id).FirstAsync());
        w.BureauId = bureau;

        var finance = await app.ApiAsync("finance");
        var unit = await app.ApiAsync("unit");
        var unit2 = await app.ApiAsync("unit2");

        // Self-evaluations of the 2022 plan (drafts) and their cases.
        var (ownSe, ownSeCase) = await SelfEvaluationOfAsync(app, centre);
        var (otherSe, otherSeCase) = await SelfEvaluationOfAsync(app, education);
        w.SetIds(Res.SelfEvaluation, ownSe, otherSe);
        w.SetIds(Res.SelfEvaluationCase, ownSeCase, otherSeCase);
        w.Set(Res.Attachment,
            new() { ["id"] = ownSe.ToString(), ["attachmentId"] = (await UploadAsync(unit, $"/api/self-evaluations/{ownSe}/attachments")).ToString() },
            new() { ["id"] = otherSe.ToString(), ["attachmentId"] = (await UploadAsync(unit2, $"/api/self-evaluations/{otherSe}/attachments")).ToString() });

        // Evaluations: the centre's 2022 one with 新财苑 at work, the 教育局's with the other firm, the finished 2021 one.
        var ownEval = await CommissionAsync(app, finance, centre, xinCaiYuan);
        var otherEval = await CommissionAsync(app, finance, education, otherFirm);
        var endedEval = await app.DbAsync(db => db.Evaluations.Where(e => e.OrganisationId == centre && e.FirmId == xinCaiYuan && e.CompletedOn != null).Select(e => e.Id).SingleAsync());
        w.SetIds(Res.Evaluation, ownEval, otherEval, endedEval);
        w.SetIds(Res.EvaluationCase, await CaseOfEvaluationAsync(app, ownEval), await CaseOfEvaluationAsync(app, otherEval), await CaseOfEvaluationAsync(app, endedEval));
        w.Set(Res.FieldworkRecord, await FieldworkOfAsync(app, ownEval), await FieldworkOfAsync(app, otherEval), await FieldworkOfAsync(app, endedEval));

        // Tasks: the open one of each case above; the ended evaluation's case has none open, so the firm's last one there
        // (a bureau task of it would let its role through to the engine, which answers 409 for a done task).
        w.Set(Res.SelfEvaluationTask, await TaskOfAsync(app, ownSeCase), await TaskOfAsync(app, otherSeCase));
        w.Set(Res.EvaluationTask, await TaskOfAsync(app, await CaseOfEvaluationAsync(app, ownEval)), await TaskOfAsync(app, await CaseOfEvaluationAsync(app, otherEval)),
            await TaskOfAsync(app, await CaseOfEvaluationAsync(app, endedEval), Web.Users.Roles.Evaluator));

        // Findings: an open one of the centre from the 2021 report, and one registered for the 教育局.
        var ownFindingId = await app.DbAsync(db => db.Findings.Where(f => f.OrganisationId == centre && f.Status == Web.Findings.FindingStatus.Open).OrderBy(f => f.Number).Select(f => f.Id).FirstAsync());
        var ownFinding = (ownFindingId, await CaseOfFindingAsync(app, ownFindingId));
        var otherFinding = await RegisterFindingAsync(app, finance, education);
        w.SetIds(Res.Finding, ownFinding.Item1, otherFinding.Item1);
        w.SetIds(Res.FindingCase, ownFinding.Item2, otherFinding.Item2);
        w.Set(Res.Evidence,
            new() { ["id"] = ownFinding.Item1.ToString(), ["evidenceId"] = (await UploadAsync(unit, $"/api/findings/{ownFinding.Item1}/evidence")).ToString() },
            new() { ["id"] = otherFinding.Item1.ToString(), ["evidenceId"] = (await UploadAsync(unit2, $"/api/findings/{otherFinding.Item1}/evidence")).ToString() });

        // Single records that are not organisation-owned: the published 2022 plan and a spare user for the admin pages.
        var plan = await app.DbAsync(db => db.Plans.Where(p => p.FiscalYear == 2022).Select(p => p.Id).FirstAsync());
        w.SetSingle(Res.Plan, plan);
        w.SetSingle(Res.User, await app.CreateUnitUserAsync("matrix.spare", education));
        foreach (var who in Enum.GetValues<Who>())
        {
            w._values[(Res.ResultYear, Scope.Any, who)] = new() { ["year"] = "2021", ["subjectKind"] = "Evaluation", ["subjectId"] = endedEval.ToString() };
        }

        var category = await app.DbAsync(db => db.FindingCategories.Where(c => c.IsActive).OrderByDescending(c => c.SortOrder).Select(c => c.Id).FirstAsync());
        foreach (var who in Enum.GetValues<Who>())
        {
            w._values[(Res.FindingCategory, Scope.Any, who)] = new() { ["id"] = category.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        var template = await app.DbAsync(db => db.IndicatorTemplates.Where(t => t.Key == "national2020").Select(t => t.Id).SingleAsync());
        foreach (var who in Enum.GetValues<Who>())
        {
            w._values[(Res.Template, Scope.Any, who)] = new() { ["id"] = template.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        // Organisations and notifications are "own" per caller: the caller's organisation, a notice of the caller.
        var unit2Notice = await AddNotificationAsync(app, "unit2");
        foreach (var who in Enum.GetValues<Who>().Where(x => x != Who.Anonymous))
        {
            var org = who switch
            {
                Who.Admin or Who.FinanceOfficer or Who.FinanceLead => bureau,
                Who.UnitFiller or Who.UnitHead => centre,
                _ => xinCaiYuan,
            };
            w.SetFor(Res.Organisation, who, org, education);
            w.SetFor(Res.Notification, who, await AddNotificationAsync(app, Matrix.UserName(who)), unit2Notice);
        }

        w.SetFor(Res.Organisation, Who.Anonymous, centre, education);
        w.SetFor(Res.Notification, Who.Anonymous, unit2Notice, unit2Notice);
        return w;
    }

    /// <summary>An evaluation's first 现场评价工作记录, written straight to the table when it has none (the other firm has no demo login).</summary>
    private static async Task<Dictionary<string, string>> FieldworkOfAsync(AppFixture app, Guid evaluation)
    {
        var record = await app.DbAsync(async db =>
        {
            var e = await db.Evaluations.IgnoreQueryFilters().SingleAsync(x => x.Id == evaluation);
            if (await db.FieldworkRecords.IgnoreQueryFilters().Where(r => r.EvaluationId == evaluation).OrderBy(r => r.Date).Select(r => (Guid?)r.Id).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }

            var added = new Web.Evaluations.Fieldwork.FieldworkRecord
            {
                Id = Guid.NewGuid(), EvaluationId = evaluation, OrganisationId = e.OrganisationId, FirmId = e.FirmId!.Value, Kind = Web.Evaluations.Fieldwork.FieldworkKind.SiteVisit,
                Date = new DateOnly(e.FiscalYear + 1, 4, 1), Subject = "权限矩阵", Content = "权限矩阵", RecordedByName = "权限矩阵", RecordedAt = DateTimeOffset.UtcNow,
            };
            db.FieldworkRecords.Add(added);
            await db.SaveChangesAsync();
            return added.Id;
        });
        return new() { ["id"] = evaluation.ToString(), ["recordId"] = record.ToString() };
    }

    public IReadOnlyDictionary<string, string> Values(Res res, Scope scope, Who who) =>
        res == Res.None ? new Dictionary<string, string>()
        : _values.TryGetValue((res, scope, who), out var v) ? v : throw new InvalidOperationException($"no {res} record for {scope}/{who}");

    private void SetIds(Res res, Guid own, Guid other, Guid? ended = null) =>
        Set(res, new() { ["id"] = own.ToString() }, new() { ["id"] = other.ToString() }, ended is { } e ? new() { ["id"] = e.ToString() } : null);

    private void Set(Res res, Dictionary<string, string> own, Dictionary<string, string> other, Dictionary<string, string>? ended = null)
    {
        foreach (var who in Enum.GetValues<Who>())
        {
            _values[(res, Scope.Own, who)] = own;
            _values[(res, Scope.Other, who)] = other;
            if (ended is not null)
            {
                _values[(res, Scope.Ended, who)] = ended;
            }
        }
    }

    private void SetFor(Res res, Who who, Guid own, Guid other)
    {
        _values[(res, Scope.Own, who)] = new() { ["id"] = own.ToString() };
        _values[(res, Scope.Other, who)] = new() { ["id"] = other.ToString() };
    }

    private void SetSingle(Res res, Guid id)
    {
        foreach (var who in Enum.GetValues<Who>())
        {
            _values[(res, Scope.Any, who)] = new() { ["id"] = id.ToString() };
        }
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string url)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Matrix.SmallPdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "佐证.pdf");
        var response = await client.PostAsync(url, form);
        await Succeeded(response);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<Guid> CommissionAsync(AppFixture app, HttpClient finance, Guid unit, Guid firm)
    {
        var response = await finance.PostAsJsonAsync("/api/evaluations", new
        {
            fiscalYear = 2022,
            targets = new[] { new { organisationId = unit, kind = "DepartmentWide", reason = "预算规模大", budget = 900m } },
        });
        await EvaluationApi.Ok(response);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetGuid();
        await EvaluationApi.Ok(await EvaluationApi.ActAsync(await app.ApiAsync("financelead"), id, "approve"));
        await EvaluationApi.Ok(await finance.PostAsJsonAsync($"/api/evaluations/{id}/commission", new
        {
            firmId = firm,
            reportDueDate = "2026-06-30",
            templateKey = EvaluationTemplates.DefaultKey,
        }));
        return id;
    }

    private static async Task Succeeded(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"setup {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<(Guid Id, Guid CaseId)> SelfEvaluationOfAsync(AppFixture app, Guid unit)
    {
        var se = await app.DbAsync(db => db.SelfEvaluations.Where(s => s.OrganisationId == unit && s.FiscalYear == 2022).OrderBy(s => s.Kind).Select(s => new { s.Id, s.CaseId }).FirstAsync());
        return (se.Id, se.CaseId!.Value);
    }

    private static Task<Guid> CaseOfFindingAsync(AppFixture app, Guid finding) =>
        app.DbAsync(db => db.WorkflowInstances.Where(i => i.SubjectType == Web.Rectifications.RectificationCases.SubjectType && i.SubjectId == finding).Select(i => i.Id).SingleAsync());

    private static async Task<Dictionary<string, string>> TaskOfAsync(AppFixture app, Guid caseId, string? role = null)
    {
        var item = await app.DbAsync(db => db.WorkItems.IgnoreQueryFilters().Where(w => w.InstanceId == caseId && (role == null || w.AssigneeRole == role))
            .OrderBy(w => w.Status != Web.Workflows.WorkItemStatus.Open).ThenByDescending(w => w.CreatedAt).Select(w => w.Id).FirstAsync());
        return new() { ["id"] = caseId.ToString(), ["workItemId"] = item.ToString() };
    }

    private static Task<Guid> CaseOfEvaluationAsync(AppFixture app, Guid evaluation) =>
        app.DbAsync(db => db.Evaluations.Where(e => e.Id == evaluation).Select(e => e.CaseId!.Value).SingleAsync());

    private static async Task<(Guid, Guid)> RegisterFindingAsync(AppFixture app, HttpClient finance, Guid unit)
    {
        var response = await finance.PostAsJsonAsync("/api/findings", new
        {
            organisationId = unit,
            fiscalYear = 2025,
            category = "财务管理",
            title = "专项资金未按进度拨付",
            detail = "区审计局审计发现。",
            source = "Audit",
            sourceDocument = "望审〔2026〕5号",
            deadline = "2026-06-30",
        });
        await Succeeded(response);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("id").GetGuid();
        return (id, await CaseOfFindingAsync(app, id));
    }

    private static Task<Guid> AddNotificationAsync(AppFixture app, string userName) => app.DbAsync(async db =>
    {
        var user = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        var notice = new Notification { Id = Guid.NewGuid(), RecipientUserId = user, Title = "权限矩阵测试通知", Body = "用于权限矩阵测试。", Link = "/inbox", CreatedAt = app.Clock.GetUtcNow() };
        db.Add(notice);
        await db.SaveChangesAsync();
        return notice.Id;
    });
}
