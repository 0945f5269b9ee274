using System.Text.Json;
using BudgetEval.Tests.Dashboards;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>The grade frozen with a submitted version is kept on the record too, for lists that filter on it (推荐评价对象).</summary>
public sealed class SubmittedGradeTests(SeededYear seeded) : IClassFixture<SeededYear>
{
    [Fact]
    public async Task Given_self_evaluations_submitted_through_the_engine_When_read_Then_each_record_carries_its_current_versions_grade()
    {
        var pairs = await seeded.App.DbAsync(db => db.SelfEvaluations.Where(s => s.CurrentVersion > 0)
            .Join(db.SelfEvaluationVersions, s => new { Id = s.Id, No = s.CurrentVersion }, v => new { Id = v.SelfEvaluationId, No = v.VersionNo },
                (s, v) => new { s.SubmittedGrade, v.ContentJson })
            .ToListAsync());

        Assert.True(pairs.Count >= 4, $"only {pairs.Count} submitted self-evaluations");
        Assert.Contains(pairs, p => p.SubmittedGrade is not null); // the accepted plan form has a real grade
        foreach (var p in pairs)
        {
            using var content = JsonDocument.Parse(p.ContentJson);
            var frozen = content.RootElement.TryGetProperty("grade", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
            Assert.Equal(frozen, p.SubmittedGrade);
        }
    }

    [Fact]
    public async Task Given_the_centres_plan_form_submitted_When_its_version_is_read_Then_it_keeps_the_rate_and_funds_score_for_the_reviewers_diff()
    {
        var contents = await seeded.App.DbAsync(db => db.SelfEvaluationVersions.Select(v => v.ContentJson).ToListAsync());

        // The real 2022 table: 1412.74 / 979.56 → 69.34% → 6.93 (DOMAIN.md).
        var centre = contents.Select(c => JsonDocument.Parse(c).RootElement)
            .First(c => c.TryGetProperty("fundsBudget", out var b) && b.ValueKind == JsonValueKind.Number && b.GetDecimal() == 1412.74m);
        Assert.Equal(0.6934m, centre.GetProperty("executionRate").GetDecimal());
        Assert.Equal(6.93m, centre.GetProperty("fundsScore").GetDecimal());
    }
}
