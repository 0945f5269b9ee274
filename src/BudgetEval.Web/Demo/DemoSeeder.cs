using BudgetEval.Web.Calendar;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using BudgetEval.Web.Infrastructure.Hosting;

namespace BudgetEval.Web.Demo;

/// <summary>
/// The demo district (长沙市望城区): its finance bureau, a dozen budget units, two firms and one login
/// per role. Runs only with Demo:Seed=true, under the migration lock, and only into an empty database.
/// </summary>
internal sealed class DemoSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    IOptions<DemoOptions> options,
    Plans.PlanService plans,
    Evaluations.EvaluationService evaluations,
    Evaluations.Fieldwork.FieldworkService fieldwork,
    TimeProvider clock,
    ILogger<DemoSeeder> logger)
{
    public const string BureauName = "长沙市望城区财政局";
    public const string SocialGovernanceCentre = "长沙市望城区社会治理服务中心";
    public const string EducationBureau = "长沙市望城区教育局";
    public const string XinCaiYuan = "湖南新财苑会计师事务所有限公司";

    /// <summary>The second firm: the one commissioned when the bureau replaces 新财苑 (更换评价机构).</summary>
    public const string ZhengHeng = "湖南正衡绩效评价咨询有限公司";

    /// <summary>(login, display name, organisation, role, lead evaluator) — printed at start-up.</summary>
    public static readonly IReadOnlyList<DemoLogin> Logins =
    [
        new("admin", "赵磊", BureauName, Roles.Admin, false),
        new("finance", "李敏", BureauName, Roles.FinanceOfficer, false),
        new("financelead", "王建国", BureauName, Roles.FinanceLead, false),
        new("unit", "张晓燕", SocialGovernanceCentre, Roles.UnitFiller, false),
        new("unithead", "刘志强", SocialGovernanceCentre, Roles.UnitHead, false),
        new("unit2", "陈静", EducationBureau, Roles.UnitFiller, false),
        new("evaluator", "江惠平", XinCaiYuan, Roles.Evaluator, true),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        // The official 2022–2026 holidays and 调休 days, so due dates and reminders follow the real calendar.
        if (!await db.CalendarDays.AnyAsync(cancellationToken))
        {
            db.CalendarDays.AddRange(OfficialHolidays.All());
            await db.SaveChangesAsync(cancellationToken);
        }

        if (await db.Users.AnyAsync(cancellationToken))
        {
            logger.LogInformation("Demo seed skipped: the database already has users");
            await SeedPlanAsync(cancellationToken); // databases seeded before plans existed get the demo plan once
            await SeedEvaluationAsync(cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        var orgs = new Dictionary<string, Organisation>();
        Organisation Add(string name, string? shortName, OrganisationKind kind, string? parent = null)
        {
            var org = new Organisation
            {
                Id = Guid.CreateVersion7(now),
                Name = name,
                ShortName = shortName,
                Kind = kind,
                ParentId = parent is null ? null : orgs[parent].Id,
                CreatedAt = now,
            };
            orgs[name] = org;
            db.Organisations.Add(org);
            return org;
        }

        Add(BureauName, "区财政局", OrganisationKind.FinanceBureau);
        Add("中共长沙市望城区委政法委员会", "区委政法委", OrganisationKind.BudgetUnit);
        Add(SocialGovernanceCentre, "区社会治理服务中心", OrganisationKind.BudgetUnit, "中共长沙市望城区委政法委员会");
        Add(EducationBureau, "区教育局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区第一中学", "望城一中", OrganisationKind.BudgetUnit, EducationBureau);
        Add("长沙市望城区卫生健康局", "区卫健局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区人民医院", "区人民医院", OrganisationKind.BudgetUnit, "长沙市望城区卫生健康局");
        Add("长沙市望城区农业农村局", "区农业农村局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区住房和城乡建设局", "区住建局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区民政局", "区民政局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区交通运输局", "区交通运输局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区文化旅游体育局", "区文旅体局", OrganisationKind.BudgetUnit);
        Add(XinCaiYuan, "新财苑", OrganisationKind.EvaluationFirm);
        Add(ZhengHeng, "正衡咨询", OrganisationKind.EvaluationFirm);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var login in Logins)
        {
            var user = new AppUser
            {
                Id = Guid.CreateVersion7(now),
                UserName = login.UserName,
                DisplayName = login.DisplayName,
                Email = $"{login.UserName}@demo.budgeteval.local",
                EmailConfirmed = true,
                OrganisationId = orgs[login.Organisation].Id,
                IsLeadEvaluator = login.LeadEvaluator,
                CreatedAt = now,
            };
            Check(await users.CreateAsync(user, options.Value.Password), login.UserName);
            Check(await users.AddToRoleAsync(user, login.Role), login.UserName);
        }

        logger.LogInformation("Demo data seeded: {Organisations} organisations, {Users} users", orgs.Count, Logins.Count);
        await SeedPlanAsync(cancellationToken);
        await SeedEvaluationAsync(cancellationToken);
    }

    public const string DemoNotice = "望财绩〔2023〕1号";

    /// <summary>
    /// A published fiscal-year 2022 plan covering every demo unit, so the first login sees real work; the
    /// centre's 部门整体支出 self-evaluation is a draft prefilled from the real 2022 table. Idempotent: once
    /// the plan exists nothing happens.
    /// </summary>
    private async Task SeedPlanAsync(CancellationToken ct)
    {
        if (await db.Plans.AnyAsync(p => p.NoticeNumber == DemoNotice, ct))
        {
            return;
        }

        var finance = await db.Users.Include(u => u.Organisation).SingleAsync(u => u.UserName == "finance", ct);
        var officer = new Workflows.WorkflowActor(finance.Id, finance.DisplayName, finance.OrganisationId, OrganisationKind.FinanceBureau,
            new HashSet<string> { Roles.FinanceOfficer });
        var units = await db.Organisations.Where(o => o.Kind == OrganisationKind.BudgetUnit && o.IsActive).OrderBy(o => o.Name).ToListAsync(ct);
        var centre = units.Single(u => u.Name == SocialGovernanceCentre);
        var targets = units.Select(u => new Plans.PlanTargetInput(u.Id, Plans.EvaluationKind.DepartmentWide, null, null)).ToList();
        targets.Add(new(centre.Id, Plans.EvaluationKind.Project, "热线+网格、吹哨+报到", 400m));
        var created = await plans.CreateAsync(new Plans.PlanInput(2022, "2022年度部门整体支出和项目支出绩效自评工作", DemoNotice,
            new DateOnly(2023, 2, 28), null, null, targets), officer, ct);
        var published = await plans.PublishAsync(created.Plan!.Id, officer, ct);
        if (published.Status != Workflows.FireStatus.Ok)
        {
            throw new InvalidOperationException("demo plan could not be published: " + string.Join(" ", published.Errors.SelectMany(e => e.Value)));
        }

        db.ChangeTracker.Clear();
        var se = await db.SelfEvaluations.SingleAsync(s => s.PlanId == created.Plan.Id && s.OrganisationId == centre.Id && s.Kind == Plans.EvaluationKind.DepartmentWide, ct);
        se.FundsBudget = SampleSelfEvaluation.Budget;
        se.FundsExecuted = SampleSelfEvaluation.Executed;
        se.FundsUpperTransfer = SampleSelfEvaluation.UpperTransfer;
        // As the sample table: its one source row (财政拨款) above the total, then the header fields.
        se.FundsRows = [new(SampleSelfEvaluation.FundsSource, SampleSelfEvaluation.Budget, SampleSelfEvaluation.Executed, SampleSelfEvaluation.UpperTransfer)];
        se.IndependentUnits = SampleSelfEvaluation.IndependentUnits;
        se.Functions = SampleSelfEvaluation.Functions;
        se.GoalsPlanned = SampleSelfEvaluation.GoalsPlanned;
        se.GoalsAchieved = SampleSelfEvaluation.GoalsAchieved;
        SampleSelfEvaluation.FillReport(se.Report);
        var lines = SelfEvaluations.Import.IndicatorFile.Read("sample.csv", SampleSelfEvaluation.IndicatorsCsv()).Lines;
        await SelfEvaluations.SelfEvaluationForm.ReplaceIndicatorsAsync(db, se, lines, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Demo plan {Notice} published with {Count} self-evaluations", DemoNotice, targets.Count);
    }

    /// <summary>
    /// The completed 2021 external evaluation of the centre, walked through every step by the people who
    /// take them (finance selects, the lead approves, finance commissions, the firm scores and reports,
    /// the unit comments, finance accepts), so its nine findings come out of the same effect as in real
    /// use. Idempotent: once the centre has a 2021 evaluation nothing happens.
    /// </summary>
    private async Task SeedEvaluationAsync(CancellationToken ct)
    {
        var centreId = await db.Organisations.Where(o => o.Name == SocialGovernanceCentre).Select(o => o.Id).SingleAsync(ct);
        if (await db.Evaluations.AnyAsync(e => e.OrganisationId == centreId && e.FiscalYear == SampleExternalEvaluation.FiscalYear, ct))
        {
            return;
        }

        var firmId = await db.Organisations.Where(o => o.Name == XinCaiYuan).Select(o => o.Id).SingleAsync(ct);
        var finance = await ActorAsync("finance", ct);
        var (created, errors, _) = await evaluations.SelectAsync(SampleExternalEvaluation.FiscalYear,
            [new Evaluations.TargetInput(centreId, nameof(Plans.EvaluationKind.DepartmentWide), null, "望财绩〔2022〕3号确定的2021年度重点评价对象", 902.42m)], finance, ct);
        if (created.Count != 1)
        {
            throw new InvalidOperationException("demo evaluation could not be selected: " + string.Join(" ", errors.SelectMany(e => e.Value)));
        }

        var id = created[0].Id;
        var lead = await ActorAsync("financelead", ct);
        var evaluator = await ActorAsync("evaluator", ct);
        var unit = await ActorAsync("unit", ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Demand(await evaluations.FireAsync(id, "approve", lead, null, null, ct), "approve");
        Demand(await evaluations.CommissionAsync(id, new Evaluations.CommissionInput(firmId, today.AddDays(60), Evaluations.EvaluationTemplates.DefaultKey), finance, ct), "commission");
        Demand(await evaluations.AddMemberAsync(id, new Evaluations.MemberInput(SampleExternalEvaluation.LeadEvaluator, true, "主评人", true, null), evaluator, ct), "team");
        foreach (var record in SampleExternalEvaluation.Fieldwork)
        {
            var added = await fieldwork.AddAsync(id, record, evaluator, ct);
            Demand(new Evaluations.EvaluationResult(added.Status, null, added.Errors.Select(e => e.Message).ToList()), "fieldwork");
        }

        Demand((await evaluations.ImportScoresAsync(id, "sample.csv", SampleExternalEvaluation.ScoreTableCsv(), evaluator, ct)).Saved, "scores");
        Demand(await evaluations.SaveReportAsync(id, new Evaluations.ReportInput(new(SampleExternalEvaluation.Sections), null, null), evaluator, ct), "report");
        Demand(await evaluations.SaveProblemsAsync(id, SampleExternalEvaluation.Problems, evaluator, ct), "problems");
        Demand(await evaluations.FireAsync(id, "submitDraft", evaluator, null, null, ct), "submitDraft");
        Demand(await evaluations.CommentAsync(id, "无异议。", [], unit, ct), "comments");
        Demand(await evaluations.FireAsync(id, "comment", unit, "无异议。", null, ct), "comment");
        Demand(await evaluations.SaveReportAsync(id, new Evaluations.ReportInput(null, SampleExternalEvaluation.ReportNumber, SampleExternalEvaluation.ReportDate), evaluator, ct), "number");
        Demand(await evaluations.FireAsync(id, "submitFinal", evaluator, null, null, ct), "submitFinal");
        Demand(await evaluations.FireAsync(id, "accept", finance, null, null, ct), "accept");

        // Commissioning wants a date still ahead; the finished 2021 evaluation keeps the 报告提交期限 of its own time
        // (2022), not one 60 days after the seeding. Its case is closed, so no task or reminder runs on it.
        await db.Evaluations.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ReportDueDate, SampleExternalEvaluation.ReportDueDate), ct);
        var caseId = await db.Evaluations.Where(e => e.Id == id).Select(e => e.CaseId).SingleAsync(ct);
        await db.WorkflowInstances.Where(i => i.Id == caseId).ExecuteUpdateAsync(s => s.SetProperty(i => i.PlanDeadline, SampleExternalEvaluation.ReportDueDate), ct);

        // The steps above were taken at seeding: their notices (the lead's 待审批, the firm's 评价任务…) are history, not
        // news, and would greet each demo login as unread 待办 of a finished evaluation. The findings' 整改通知 stay.
        var link = $"/cases/{caseId}";
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.Link == link && n.ReadAt == null).ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now).SetProperty(x => x.DigestPending, false), ct);
        await db.Outbox.Where(m => m.Status == Notifications.OutboxStatus.Pending && m.Html.Contains(link)).ExecuteDeleteAsync(ct);
        logger.LogInformation("Demo external evaluation {Year} of {Unit} completed", SampleExternalEvaluation.FiscalYear, SocialGovernanceCentre);
    }

    private async Task<Workflows.WorkflowActor> ActorAsync(string userName, CancellationToken ct)
    {
        var user = await db.Users.Include(u => u.Organisation).SingleAsync(u => u.UserName == userName, ct);
        var login = Logins.Single(l => l.UserName == userName);
        return new Workflows.WorkflowActor(user.Id, user.DisplayName, user.OrganisationId, user.Organisation!.Kind, new HashSet<string> { login.Role })
        {
            UserName = userName, // the audit log names the seed's actors as it names everyone: 李敏（finance）
        };
    }

    private static void Demand(Workflows.FireResult result, string step)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"demo evaluation step {step} failed: {string.Join(" ", result.Errors)}");
        }
    }

    private static void Demand(Evaluations.EvaluationResult result, string step)
    {
        if (result.Status != Workflows.FireStatus.Ok)
        {
            throw new InvalidOperationException($"demo evaluation step {step} failed: {string.Join(" ", result.Errors)}");
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo seed failed for {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}

internal sealed record DemoLogin(string UserName, string DisplayName, string Organisation, string Role, bool LeadEvaluator);
