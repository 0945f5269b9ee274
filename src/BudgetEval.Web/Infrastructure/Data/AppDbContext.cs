using System.Linq.Expressions;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Calendar;
using BudgetEval.Web.Infrastructure.Jobs;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Reminders;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using EvaluationProposal = BudgetEval.Web.Evaluations.EvaluationProposal;

namespace BudgetEval.Web.Infrastructure.Data;

internal sealed class AppDbContext : IdentityDbContext<AppUser, AppRole, Guid>
{
    public const string Schema = "budgeteval";

    // Contexts are pooled (ADR 0012): the scope is not a constructor argument but is set on every rent by
    // the request's DI scope (AppComposition) and cleared when the context goes back to the pool, so a
    // context never carries one caller's scope to the next; one without a scope sees nothing.
    public AppDbContext(DbContextOptions<AppDbContext> options)
        : base(options)
    {
    }

    internal DataScopeAccessor? ScopeAccessor { get; set; }

    public override void Dispose()
    {
        ScopeAccessor = null;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ScopeAccessor = null;
        return base.DisposeAsync();
    }

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();

    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();

    public DbSet<Findings.FindingCategory> FindingCategories => Set<Findings.FindingCategory>();

    public DbSet<Admin.Templates.IndicatorTemplateRecord> IndicatorTemplates => Set<Admin.Templates.IndicatorTemplateRecord>();

    public DbSet<WorkflowInstance> WorkflowInstances => Set<WorkflowInstance>();

    public DbSet<WorkItem> WorkItems => Set<WorkItem>();

    public DbSet<WorkflowHistoryEntry> WorkflowHistory => Set<WorkflowHistoryEntry>();

    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<ReminderLedgerEntry> ReminderLedger => Set<ReminderLedgerEntry>();

    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();

    public DbSet<JobRun> JobRuns => Set<JobRun>();

    public DbSet<SelfEvaluation> SelfEvaluations => Set<SelfEvaluation>();

    public DbSet<SelfEvaluationVersion> SelfEvaluationVersions => Set<SelfEvaluationVersion>();

    public DbSet<SelfEvaluationIndicator> SelfEvaluationIndicators => Set<SelfEvaluationIndicator>();

    public DbSet<SelfEvaluationAttachment> SelfEvaluationAttachments => Set<SelfEvaluationAttachment>();

    public DbSet<Plans.Plan> Plans => Set<Plans.Plan>();

    public DbSet<Plans.PlanTarget> PlanTargets => Set<Plans.PlanTarget>();

    public DbSet<Evaluations.Evaluation> Evaluations => Set<Evaluations.Evaluation>();

    public DbSet<Evaluations.Fieldwork.FieldworkRecord> FieldworkRecords => Set<Evaluations.Fieldwork.FieldworkRecord>();

    public DbSet<Evaluations.ReplacedFirms.ReplacedFirmRecord> ReplacedFirmRecords => Set<Evaluations.ReplacedFirms.ReplacedFirmRecord>();

    public DbSet<Findings.Finding> Findings => Set<Findings.Finding>();

    public DbSet<Rectifications.FindingEvidence> FindingEvidence => Set<Rectifications.FindingEvidence>();

    public DbSet<Rectifications.FindingStatement> FindingStatements => Set<Rectifications.FindingStatement>();

    public DbSet<Rectifications.FindingExtensionRequest> FindingExtensionRequests => Set<Rectifications.FindingExtensionRequest>();

    internal DataScope CurrentScope => ScopeAccessor?.Current ?? DataScope.Nobody;

    /// <summary>
    /// Read by the query filters, per query: the caller's organisation when it is a unit or a firm. For anyone
    /// else it is an id no row has, so the filters that remain for them (ScopedQueryCompiler) match nothing.
    /// </summary>
    internal Guid FilterOwn => CurrentScope.Kind is DataScopeKind.Unit or DataScopeKind.Firm ? CurrentScope.OrganisationId ?? Guid.Empty : Guid.Empty;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        // The data scope, in one place: every organisation-owned set gets its two filters here (ADR 0014).
        // A unit's queries keep the Unit filter, a firm's the Firm filter, the bureau's neither
        // (ScopedQueryCompiler), so each kind of caller gets SQL that PostgreSQL can plan once.
        OwnedBy<Organisation>(builder, o => o.Id);

        // Cases and their tasks: a unit sees its own, except an evaluation's case while it is the bureau's
        // proposal (see Evaluation below; the case's own columns, no join); a firm sees what it is assigned to,
        // and only while the assignment lasts: the evaluation behind the case must still be open.
        // Organisation ids of units and firms never coincide, so one comparison each is enough.
        OwnedBy<WorkflowInstance>(builder, i => i.OrganisationId, i => i.OrganisationId == FilterOwn
            || (i.AssignedFirmId == FilterOwn && Set<Evaluations.Evaluation>().Any(e => e.CaseId == i.Id && e.CompletedOn == null)),
            unit: i => i.OrganisationId == FilterOwn && (i.DefinitionId != EvaluationProposal.WorkflowId
                || (i.State != EvaluationProposal.Selected && i.State != EvaluationProposal.Dropped)));
        OwnedBy<WorkItem>(builder, w => w.CaseOrganisationId, w => w.CaseOrganisationId == FilterOwn
            || (w.CaseFirmId == FilterOwn && Set<Evaluations.Evaluation>().Any(e => e.CaseId == w.InstanceId && e.CompletedOn == null)));
        OwnedBy<SelfEvaluation>(builder, s => s.OrganisationId);
        OwnedBy<SelfEvaluationVersion>(builder, v => v.OrganisationId);
        OwnedBy<SelfEvaluationIndicator>(builder, i => i.OrganisationId);
        OwnedBy<SelfEvaluationAttachment>(builder, a => a.OrganisationId);

        // Plans are the bureau's published notice and are not filtered (every unit reads its rules), but a
        // unit sees only its own lines of the coverage list.
        OwnedBy<Plans.PlanTarget>(builder, t => t.OrganisationId);

        // An evaluation: its unit once the lead has approved it (before that, and when rejected, it is the
        // bureau's internal proposal: EvaluationProposal), and the firm only while its assignment lasts: it is
        // the one commissioned (FirmId moves with a change of firm) and the bureau has not yet accepted the final
        // report (CompletedOn). After that the report belongs to the bureau and the unit; the firm keeps its own
        // copy outside the system. The findings register belongs to the bureau and the responsible unit.
        OwnedBy<Evaluations.Evaluation>(builder, e => e.OrganisationId, e => e.OrganisationId == FilterOwn
            || (e.FirmId == FilterOwn && e.CompletedOn == null),
            unit: e => e.OrganisationId == FilterOwn
                && e.Status != EvaluationProposal.Selected && e.Status != EvaluationProposal.Dropped);

        // 现场评价工作记录: the firm's working record. The firm that recorded it, while its assignment lasts (as the
        // evaluation); never the evaluated unit. The bureau reads them all (FieldworkRules.MayRead).
        OwnedBy<Evaluations.Fieldwork.FieldworkRecord>(builder, r => r.OrganisationId,
            firm: r => r.FirmId == FilterOwn && Set<Evaluations.Evaluation>().Any(e => e.Id == r.EvaluationId && e.FirmId == FilterOwn && e.CompletedOn == null),
            unit: r => false);

        // What a replaced firm left (更换评价机构): the unit's own rows (the page shows them only when it sees the score table),
        // and the firm that holds the evaluation now, while it lasts; the replaced firm is no longer that firm, so never.
        OwnedBy<Evaluations.ReplacedFirms.ReplacedFirmRecord>(builder, r => r.OrganisationId,
            firm: r => Set<Evaluations.Evaluation>().Any(e => e.Id == r.EvaluationId && e.FirmId == FilterOwn && e.CompletedOn == null));
        OwnedBy<Findings.Finding>(builder, f => f.OrganisationId);
        OwnedBy<Rectifications.FindingEvidence>(builder, e => e.OrganisationId);
        OwnedBy<Rectifications.FindingStatement>(builder, s => s.OrganisationId);
        OwnedBy<Rectifications.FindingExtensionRequest>(builder, r => r.OrganisationId);
    }

    /// <summary>
    /// Both scope filters of an entity: a unit (unless <paramref name="unit"/> says less) and a firm (unless
    /// <paramref name="firm"/> says more) see the rows of their own organisation.
    /// </summary>
    private void OwnedBy<T>(ModelBuilder builder, Expression<Func<T, Guid>> organisation, Expression<Func<T, bool>>? firm = null,
        Expression<Func<T, bool>>? unit = null)
        where T : class
    {
        var own = Expression.Lambda<Func<T, bool>>(
            Expression.Equal(organisation.Body, Expression.Property(Expression.Constant(this), nameof(FilterOwn))), organisation.Parameters);
        builder.Entity<T>().HasQueryFilter(ScopeFilters.Unit, unit ?? own).HasQueryFilter(ScopeFilters.Firm, firm ?? own);
    }
}
