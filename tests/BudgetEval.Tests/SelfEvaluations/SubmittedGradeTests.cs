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
}
