using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Rectifications;

/// <summary>The rectification case of a finding: plan, result with evidence, the bureau's verification, extensions, scope.</summary>
public sealed class RectificationFlowTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly DateOnly Deadline = new(2026, 5, 1);

    [Fact]
    public async Task Given_a_finding_When_planned_reported_partly_verified_and_reported_again_Then_it_is_closed_as_rectified()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("往来款项长期挂账未清理", Deadline);
        Assert.Equal("Open", (await api.FindingAsync("unit", id)).GetProperty("rectification").GetProperty("status").GetString());

        await api.PlanAndReportAsync(id, caseId);
        var tooEarly = await api.Cases.FireAsync("finance", caseId, "partial", "尚有两笔往来款未清理。");
        await api.PutOkAsync("finance", $"/api/findings/{id}/next-deadline", new { deadline = "2026-06-30", stamp = await api.StampAsync("finance", id) });
        await api.Cases.FireOkAsync("finance", caseId, "partial", "尚有两笔往来款未清理。");
        var partly = await api.FindingAsync("unit", id);
        await api.ReportAsync(id, caseId, "整改报告.pdf");
        await api.Cases.FireOkAsync("finance", caseId, "verify", "已全部清理。");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooEarly.StatusCode);
        Assert.Contains("先在问题页面的「部分整改的新整改期限」中填写并保存", await tooEarly.Content.ReadAsStringAsync(), StringComparison.Ordinal); // where the date goes
        Assert.Equal("Partial", partly.GetProperty("rectification").GetProperty("status").GetString());
        Assert.Equal(new DateOnly(2026, 6, 30), RectificationApi.Date(partly.GetProperty("rectification").GetProperty("deadline")));
        Assert.Equal("尚有两笔往来款未清理。", partly.GetProperty("rectification").GetProperty("remaining").GetString());
        Assert.Equal("implementing", partly.GetProperty("case").GetProperty("state").GetString());
        var closed = await api.FindingAsync("unit", id);
        var r = closed.GetProperty("rectification");
        Assert.Equal("Rectified", r.GetProperty("status").GetString());
        Assert.Equal("已整改", r.GetProperty("statusLabel").GetString());
        Assert.False(closed.GetProperty("finding").GetProperty("followUp").GetBoolean());
        Assert.Equal("closed", closed.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal([2, 1], r.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("version").GetInt32()));
        Assert.Equal(["start", "submitPlan", "submitResult", "partial", "submitResult", "verify"],
            closed.GetProperty("case").GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));

        // The bureau is asked to act only when the task is its own (财政核验); of the plan it hears the outcome.
        var told = await app.DbAsync(db => db.Notifications.Where(n => n.Link == $"/cases/{caseId}" && db.Users.Any(u => u.Id == n.RecipientUserId && u.UserName == "finance"))
            .OrderBy(n => n.CreatedAt).Select(n => new { n.Event, n.Title }).ToListAsync());
        Assert.Contains(told, n => n.Event == "Decision" && n.Title.EndsWith("（报送整改方案）", StringComparison.Ordinal));
        Assert.Equal(2, told.Count(n => n.Event == "TaskAssigned" && n.Title.EndsWith("（财政核验）", StringComparison.Ordinal)));
        Assert.DoesNotContain(told, n => n.Event == "TaskAssigned" && n.Title.Contains("整改落实", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_finding_When_one_extension_is_refused_and_another_granted_Then_only_the_granted_date_moves_the_deadline_and_due_date()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("固定资产账实不符", Deadline);

        var noDate = await api.Cases.FireAsync("unit", caseId, "requestExtension", "需盘点。");
        await api.PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-06-01", stamp = await api.StampAsync("unit", id) });
        await api.Cases.FireOkAsync("unit", caseId, "requestExtension", "资产盘点需要时间。");
        var refusedWithoutReason = await api.Cases.FireAsync("finance", caseId, "refuseExtension");
        await api.Cases.FireOkAsync("finance", caseId, "refuseExtension", "期限充足，不予延期。");
        var afterRefusal = await api.FindingAsync("unit", id);
        await api.PutOkAsync("unit", $"/api/findings/{id}/requested-deadline", new { deadline = "2026-07-01", stamp = await api.StampAsync("unit", id) });
        await api.Cases.FireOkAsync("unit", caseId, "requestExtension", "盘点范围扩大。");
        await api.Cases.FireOkAsync("finance", caseId, "grantExtension");
        var granted = await api.FindingAsync("unit", id);
        var caseView = await api.Cases.CaseAsync("unit", caseId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noDate.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedWithoutReason.StatusCode);
        Assert.Equal(Deadline, RectificationApi.Date(afterRefusal.GetProperty("rectification").GetProperty("deadline")));
        Assert.Equal("planning", afterRefusal.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal(new DateOnly(2026, 7, 1), RectificationApi.Date(granted.GetProperty("rectification").GetProperty("deadline")));
        Assert.Equal(1, granted.GetProperty("rectification").GetProperty("extensions").GetInt32());
        Assert.Equal("planning", caseView.GetProperty("state").GetString());

        // Due by the end of the new deadline, Beijing time.
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 16, 0, 0, TimeSpan.Zero), caseView.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_a_reported_finding_When_the_bureau_finds_it_cannot_be_rectified_Then_it_is_closed_as_such_and_stays_on_the_follow_up_list()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("历史遗留项目无法追溯原始凭证", Deadline);
        await api.PlanAndReportAsync(id, caseId);

        var noJustification = await api.Cases.FireAsync("finance", caseId, "cannotRectify");
        await api.Cases.FireOkAsync("finance", caseId, "cannotRectify", "原始凭证已按规定销毁，无法补正。");
        var finding = await api.FindingAsync("finance", id);
        var followUp = await EvaluationApi.JsonAsync(await api.Cases.As("finance"), "/api/findings?status=Unrectifiable&fiscalYear=2025");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noJustification.StatusCode);
        Assert.Equal("unrectifiable", finding.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal("无法整改", finding.GetProperty("rectification").GetProperty("statusLabel").GetString());
        Assert.True(finding.GetProperty("finding").GetProperty("followUp").GetBoolean());
        Assert.Contains(followUp.EnumerateArray(), f => f.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Given_a_centre_finding_When_unit2_asks_for_it_its_case_or_writes_to_it_Then_reads_are_not_found_and_writes_refused()
    {
        var api = new RectificationApi(app);
        var (id, caseId) = await api.RegisterAsync("公务卡使用不规范", Deadline);
        var other = await api.Cases.As("unit2");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/findings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/cases/{caseId}")).StatusCode);
        // Actions answer 403 whether the record is someone else's or missing (docs/authorization.md).
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Cases.FireAsync("unit2", caseId, "submitPlan", expectedVersion: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.UploadAsync("unit2", id, "x.pdf", RectificationApi.Pdf("x"))).StatusCode);
    }

    [Fact]
    public async Task Given_the_demo_When_listing_rectification_cases_Then_the_seven_open_findings_of_2021_have_theirs()
    {
        var finance = await new RectificationApi(app).Cases.As("finance");
        var findings = await EvaluationApi.JsonAsync(finance, "/api/findings?fiscalYear=2021");

        var states = new List<string?>();
        foreach (var f in findings.EnumerateArray())
        {
            var view = await EvaluationApi.JsonAsync(finance, $"/api/findings/{f.GetProperty("id").GetGuid()}");
            states.Add(view.GetProperty("case").ValueKind == JsonValueKind.Null ? null : view.GetProperty("case").GetProperty("state").GetString());
        }

        Assert.Equal(9, states.Count);
        Assert.Equal(7, states.Count(s => s == "planning"));
        Assert.Equal(2, states.Count(s => s is null));
        var inbox = await EvaluationApi.JsonAsync(await new RectificationApi(app).Cases.As("unit"), "/api/inbox");
        Assert.Equal(7, inbox.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("state").GetString() == "planning"));
    }
}
