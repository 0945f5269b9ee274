using BudgetEval.Web.Workflows;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Tests.Workflows;

/// <summary>The loader on its own, on files in a temp directory: every mistake names the file and the line.</summary>
public sealed class DefinitionLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("be-wf-").FullName;

    internal static readonly WorkflowLoader Loader = new(
        new HashSet<string> { "SelfEvaluationIsComplete", "CommissionComplete", "TeamDeclared", "ScoresComplete", "ReportDrafted", "CommentsAnswered", "ReportNumbered",
            "RectificationPlanComplete", "RectificationResultComplete", "ExtensionRequested", "NewDeadlineSet", "FollowUpStated", "RequestedDeadlineAhead" },
        new HashSet<string> { "SnapshotVersion", "MarkLateIfPastDeadline", "MarkReviewed", "NotifyUnit", "NotifyBureau", "AssignFirm", "NotifyFirm", "ReleaseFirm", "CreateFindings",
            "ApplyExtension", "DropExtension", "RecordVerification", "SendFindingNotice", "NotifyRectificationVerified" });

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Given_the_shipped_definition_When_loaded_Then_it_has_the_review_flow()
    {
        var def = Loader.LoadDirectories([WorkflowFiles.ShippedDirectory]).Single(d => d.Id == "self-evaluation-review");
        Assert.Equal(("self-evaluation-review", 1, "自评审核", "draft"), (def.Id, def.Version, def.Title, def.Initial));
        Assert.Equal(["draft", "unit_review", "bureau_review", "returned", "accepted"], def.States.Select(s => s.Id));
        Assert.Equal(ActorScope.Bureau, def.State("bureau_review").Actor!.Scope);
        Assert.Equal([7, 3, 1], def.State("draft").Reminders!.DaysBefore);
        Assert.Equal("FinanceOfficer", def.State("draft").Reminders!.Escalate[1].To);
        Assert.True(def.State("bureau_review").Action("return")!.CommentRequired);
        Assert.Equal(DueRuleKind.WorkingDaysAfterEntry, def.State("bureau_review").Due!.Kind);
    }

    [Fact]
    public void Given_the_shipped_rectification_When_loaded_Then_unit_states_are_due_by_the_finding_deadline_and_the_bureau_verifies()
    {
        var versions = Loader.LoadDirectories([WorkflowFiles.ShippedDirectory]).Where(d => d.Id == "rectification").ToList();
        Assert.Equal([1, 2], versions.Select(d => d.Version).Order());
        var def = versions.MaxBy(d => d.Version)!;
        Assert.All(["planning_extension", "implementing_extension"], s => Assert.Equal(["RequestedDeadlineAhead"], def.State(s).Action("grantExtension")!.Requires));
        Assert.All(versions.Single(d => d.Version == 1).States.SelectMany(s => s.Actions), a => Assert.DoesNotContain("RequestedDeadlineAhead", a.Requires));
        Assert.Equal(["planning", "planning_extension", "implementing", "implementing_extension", "verifying", "closed", "unrectifiable"], def.States.Select(s => s.Id));
        Assert.Equal(DueRuleKind.SubjectDeadline, def.State("planning").Due!.Kind);
        Assert.Equal(DueRuleKind.SubjectDeadline, def.State("implementing").Due!.Kind);
        Assert.Equal(["verify", "partial", "return", "cannotRectify"], def.State("verifying").Actions.Select(a => a.Id));
        Assert.Contains("NewDeadlineSet", def.State("verifying").Action("partial")!.Requires);
        Assert.True(def.State("implementing_extension").Action("refuseExtension")!.CommentRequired);
    }

    [Fact]
    public void Given_the_shipped_external_evaluation_When_loaded_Then_firm_drafts_unit_comments_bureau_accepts()
    {
        var versions = Loader.LoadDirectories([WorkflowFiles.ShippedDirectory]).Where(d => d.Id == "external-evaluation").OrderBy(d => d.Version).ToList();
        Assert.Equal([1, 2], versions.Select(d => d.Version));
        foreach (var def in versions)
        {
            Assert.Equal(["selected", "commissioning", "drafting", "comment_window", "final_report", "quality_review", "completed", "dropped"], def.States.Select(s => s.Id));
            Assert.Equal(ActorScope.Firm, def.State("drafting").Actor!.Scope);
            Assert.Equal(ActorScope.Unit, def.State("comment_window").Actor!.Scope);
            Assert.Equal(5, def.State("comment_window").Due!.WorkingDays);
            Assert.Contains("ScoresComplete", def.State("final_report").Action("submitFinal")!.Requires);
            Assert.Contains("CreateFindings", def.State("quality_review").Action("accept")!.Then);
            Assert.True(def.State("quality_review").Action("return")!.CommentRequired);
        }

        // Version 2 adds 更换评价机构 where the firm holds the case, and only there.
        Assert.DoesNotContain(versions[0].States.SelectMany(s => s.Actions), a => a.Id == "replaceFirm");
        Assert.Equal(["drafting", "final_report"], versions[1].States.Where(s => s.Action("replaceFirm") is not null).Select(s => s.Id));
        var replace = versions[1].State("drafting").Action("replaceFirm")!;
        Assert.Equal(("commissioning", true), (replace.Target, replace.CommentRequired));
        Assert.Equal(["FinanceOfficer"], replace.Roles);
        Assert.Equal(["ReleaseFirm", "NotifyBureau"], replace.Then);
    }

    [Fact]
    public void Given_an_unknown_guard_When_loading_Then_it_fails_naming_the_file_and_line()
    {
        var error = LoadBroken("requires: [SelfEvaluationIsComplete, FollowUpStated]", "requires: [NoSuchGuard]");
        Assert.Contains("broken.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown guard 'NoSuchGuard'", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf("requires: [SelfEvaluationIsComplete, FollowUpStated]"), error.Line);
    }

    [Fact]
    public void Given_an_unknown_effect_When_loading_Then_it_fails()
    {
        var error = LoadBroken("then: [NotifyBureau]", "then: [NotifyMars]");
        Assert.Contains("unknown effect 'NotifyMars'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unknown_role_When_loading_Then_it_fails()
    {
        var error = LoadBroken("roles: [UnitHead]", "roles: [Janitor]");
        Assert.Contains("unknown role 'Janitor'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unknown_target_state_When_loading_Then_it_fails()
    {
        var error = LoadBroken("target: accepted", "target: archived");
        Assert.Contains("unknown state 'archived'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unreachable_state_When_loading_Then_it_fails()
    {
        var error = LoadBroken("  accepted:\n    label: 已通过\n    kind: end", "  accepted:\n    label: 已通过\n    kind: end\n  archived:\n    label: 已归档\n    kind: end");
        Assert.Contains("state 'archived' is unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_task_state_without_actions_When_loading_Then_it_fails()
    {
        var text = WorkflowFiles.ShippedText();
        var start = text.IndexOf("    actions:\n      resubmit:", StringComparison.Ordinal);
        var end = text.IndexOf("  accepted:", StringComparison.Ordinal);
        var error = Load(text[..start] + "\n" + text[end..]);
        Assert.Contains("state 'returned' is not an end state but has no action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_role_outside_its_scope_When_loading_Then_it_fails()
    {
        var error = LoadBroken("actor: { role: UnitHead, scope: unit }", "actor: { role: UnitHead, scope: bureau }");
        Assert.Contains("does not belong to scope 'bureau'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_files_with_the_same_id_and_version_When_loading_Then_it_fails()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), WorkflowFiles.ShippedText());
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), WorkflowFiles.ShippedText());
        var error = Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadDirectories([_dir]));
        Assert.Contains("b.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_district_folder_beside_the_shipped_one_When_its_copy_repeats_a_shipped_version_Then_the_message_names_both_folders()
    {
        // With several Workflows:Directories the file name alone does not say which copy to fix.
        var district = Directory.CreateDirectory(Path.Combine(_dir, "district")).FullName;
        File.WriteAllText(Path.Combine(district, "self-evaluation-review.v1.yaml"), WorkflowFiles.ShippedText());
        var twin = Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadDirectories([WorkflowFiles.ShippedDirectory, district]));
        Assert.StartsWith(Path.Combine(district, "self-evaluation-review.v1.yaml") + ":1: ", twin.Message, StringComparison.Ordinal);
        Assert.EndsWith("is also defined in " + Path.Combine(WorkflowFiles.ShippedDirectory, "self-evaluation-review.v1.yaml"), twin.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(district, "self-evaluation-review.v1.yaml"), "id: [");
        var broken = Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadDirectories([district]));
        Assert.StartsWith(Path.Combine(district, "self-evaluation-review.v1.yaml") + ":", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_unknown_guard_When_the_application_starts_Then_start_up_fails_with_the_file_name()
    {
        File.WriteAllText(Path.Combine(_dir, "bad-guard.yaml"), WorkflowFiles.ShippedText().Replace("requires: [SelfEvaluationIsComplete, FollowUpStated]", "requires: [Nope]", StringComparison.Ordinal));
        var guards = new IGuard[] { new BudgetEval.Web.SelfEvaluations.SelfEvaluationIsComplete() };
        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowRegistry.Load([_dir], guards, []));
        Assert.Contains("bad-guard.yaml", error.Message, StringComparison.Ordinal);
    }

    private static int LineOf(string fragment)
    {
        var text = WorkflowFiles.ShippedText();
        return text[..text.IndexOf(fragment, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
    }

    private WorkflowDefinitionException LoadBroken(string original, string replacement)
    {
        var text = WorkflowFiles.ShippedText();
        Assert.Contains(original, text, StringComparison.Ordinal);
        var at = text.IndexOf(original, StringComparison.Ordinal);
        return Load(text[..at] + replacement + text[(at + original.Length)..]);
    }

    private WorkflowDefinitionException Load(string text)
    {
        var path = Path.Combine(_dir, "broken.yaml");
        File.WriteAllText(path, text);
        return Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadFile(path));
    }
}

internal static class WorkflowFiles
{
    /// <summary>The repository's workflows/ directory, found from the test binaries upwards.</summary>
    public static string ShippedDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "workflows");
                if (File.Exists(Path.Combine(candidate, "self-evaluation-review.v1.yaml")))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("workflows/ not found");
        }
    }

    public static string ShippedText() => File.ReadAllText(Path.Combine(ShippedDirectory, "self-evaluation-review.v1.yaml"));
}
