using System.Net;
using System.Text.Json;
using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.FollowUpPage;

/// <summary>
/// 带入: the centre's 2022 部门整体 and 项目 self-evaluations list the same seven open 2021 findings. What the unit wrote
/// on the project's list is offered in the department-wide list's blank boxes, marked as not yet saved, and is stored
/// there only when that page is saved; a box with its own statement keeps it.
/// </summary>
public sealed class FollowUpCarryOverTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_statements_saved_on_the_project_When_the_department_wide_list_is_opened_Then_they_are_offered_in_its_blank_boxes_and_stored_only_when_saved()
    {
        var unit = await app.ApiAsync("unit");
        var list = JsonDocument.Parse(await unit.GetStringAsync("/api/self-evaluations?fiscalYear=2022")).RootElement.EnumerateArray().ToList();
        var department = list.Single(i => i.GetProperty("kind").GetString() == "DepartmentWide").GetProperty("id").GetGuid();
        var project = list.Single(i => i.GetProperty("kind").GetString() == "Project");
        var (projectId, projectTitle) = (project.GetProperty("id").GetGuid(), project.GetProperty("title").GetString()!);
        using var signedIn = await app.SignInAsync("unit");

        // The department-wide list already has its own statement on the first finding; the project states the first three.
        var departmentPage = await FollowUpFormPage.OpenAsync(signedIn, department);
        var findings = departmentPage.Statements.Keys.ToList();
        var (own, carried, alsoCarried, untouched) = (findings[0], findings[1], findings[2], findings[3]);
        departmentPage.Statements[own] = "部门整体：已修订资产管理办法。";
        Assert.Equal(HttpStatusCode.Redirect, (await departmentPage.PostAsync(signedIn)).StatusCode);
        var projectPage = await FollowUpFormPage.OpenAsync(signedIn, projectId);
        projectPage.Statements[own] = "项目：另有说法。";
        projectPage.Statements[carried] = "项目：已完成资产盘点并编码。";
        projectPage.Statements[alsoCarried] = "项目：账实不符的对讲机已完成账务处理。";
        Assert.Equal(HttpStatusCode.Redirect, (await projectPage.PostAsync(signedIn)).StatusCode);

        var html = await signedIn.GetStringAsync($"/self-evaluations/{department}/follow-up");
        var offered = FollowUpFormPage.From(html, $"/self-evaluations/{department}/follow-up");
        var api = (await EvaluationApi.JsonAsync(unit, $"/api/self-evaluations/{department}/follow-up")).EnumerateArray()
            .ToDictionary(i => i.GetProperty("findingId").GetGuid());
        var storedBefore = await FollowUpFormPage.StoredAsync(app, department);

        Assert.Equal("部门整体：已修订资产管理办法。", offered.Statements[own]); // its own statement, not the project's
        Assert.Equal("项目：已完成资产盘点并编码。", offered.Statements[carried]);
        Assert.Equal("项目：账实不符的对讲机已完成账务处理。", offered.Statements[alsoCarried]);
        Assert.Equal(string.Empty, offered.Statements[untouched]);
        Assert.Contains("有 2 项已带入本单位本年度其他自评中填写的整改情况说明", html, StringComparison.Ordinal);
        Assert.Contains($"带入自「{projectTitle}」，尚未保存。", WebUtility.HtmlDecode(FollowUpFormPage.Row(html, carried)), StringComparison.Ordinal); // the title's + is encoded
        Assert.DoesNotContain("带入自", FollowUpFormPage.Row(html, own), StringComparison.Ordinal);
        Assert.Equal("项目：已完成资产盘点并编码。", api[carried].GetProperty("carriedStatement").GetString());
        Assert.Equal(projectTitle, api[carried].GetProperty("carriedFrom").GetString());
        Assert.Equal(JsonValueKind.Null, api[carried].GetProperty("statement").ValueKind);
        Assert.Equal(JsonValueKind.Null, api[own].GetProperty("carriedStatement").ValueKind);
        Assert.Equal(JsonValueKind.Null, api[untouched].GetProperty("carriedStatement").ValueKind);
        Assert.Equal([own], storedBefore.Keys.ToList()); // offered, not stored

        // Saved as offered: now they are the department-wide list's own, and nothing is offered any more.
        Assert.Equal(HttpStatusCode.Redirect, (await offered.PostAsync(signedIn)).StatusCode);
        var storedAfter = await FollowUpFormPage.StoredAsync(app, department);
        var again = await signedIn.GetStringAsync($"/self-evaluations/{department}/follow-up");

        Assert.Equal("项目：已完成资产盘点并编码。", storedAfter[carried]);
        Assert.Equal("项目：账实不符的对讲机已完成账务处理。", storedAfter[alsoCarried]);
        Assert.Equal("部门整体：已修订资产管理办法。", storedAfter[own]);
        Assert.False(storedAfter.ContainsKey(untouched));
        Assert.DoesNotContain("带入", again, StringComparison.Ordinal);
    }
}
