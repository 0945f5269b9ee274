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

    public DbSet<Findings.Finding> Findings => Set<Findings.Finding>();

    public DbSet<Rectifications.FindingEvidence> FindingEvidence => Set<Rectifications.FindingEvidence>();

    public DbSet<Rectifications.FindingStatement> FindingStatements => Set<Rectifications.FindingStatement>();

    // Read by the query filters; EF evaluates these per context instance, i.e. per request.
    internal DataScope CurrentScope => ScopeAccessor?.Current ?? DataScope.Nobody;

    internal bool ScopeSeesAll => CurrentScope.SeesAll;

    internal Guid ScopeOrganisationId => CurrentScope.Kind == DataScopeKind.Nothing ? Guid.Empty : CurrentScope.OrganisationId ?? Guid.Empty;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        // The data scope, in one place: every organisation-owned set gets its filter here.
        builder.Entity<Organisation>().HasQueryFilter(o => ScopeSeesAll || o.Id == ScopeOrganisationId);

        // Cases and their tasks: a unit sees its own; a firm sees what it is assigned to, and only while the
        // assignment lasts: the evaluation behind the case must still be open (see Evaluation below).
        // Organisation ids of units and firms never coincide, so one comparison each is enough.
        builder.Entity<WorkflowInstance>().HasQueryFilter(i => ScopeSeesAll || i.OrganisationId == ScopeOrganisationId
            || (i.AssignedFirmId == ScopeOrganisationId && Set<Evaluations.Evaluation>().Any(e => e.CaseId == i.Id && e.CompletedOn == null)));
        builder.Entity<WorkItem>().HasQueryFilter(w => ScopeSeesAll || w.CaseOrganisationId == ScopeOrganisationId
            || (w.CaseFirmId == ScopeOrganisationId && Set<Evaluations.Evaluation>().Any(e => e.CaseId == w.InstanceId && e.CompletedOn == null)));
        builder.Entity<SelfEvaluation>().HasQueryFilter(s => ScopeSeesAll || s.OrganisationId == ScopeOrganisationId);
        builder.Entity<SelfEvaluationVersion>().HasQueryFilter(v => ScopeSeesAll || v.OrganisationId == ScopeOrganisationId);
        builder.Entity<SelfEvaluationIndicator>().HasQueryFilter(i => ScopeSeesAll || i.OrganisationId == ScopeOrganisationId);
        builder.Entity<SelfEvaluationAttachment>().HasQueryFilter(a => ScopeSeesAll || a.OrganisationId == ScopeOrganisationId);

        // Plans are the bureau's published notice and are not filtered (every unit reads its rules), but a
        // unit sees only its own lines of the coverage list.
        builder.Entity<Plans.PlanTarget>().HasQueryFilter(t => ScopeSeesAll || t.OrganisationId == ScopeOrganisationId);

        // An evaluation: its unit, and the firm only while its assignment lasts: it is the one commissioned
        // (FirmId moves with a change of firm) and the bureau has not yet accepted the final report
        // (CompletedOn). After that the report belongs to the bureau and the unit; the firm keeps its own
        // copy outside the system. The findings register belongs to the bureau and the responsible unit.
        builder.Entity<Evaluations.Evaluation>().HasQueryFilter(e => ScopeSeesAll || e.OrganisationId == ScopeOrganisationId
            || (e.FirmId == ScopeOrganisationId && e.CompletedOn == null));
        builder.Entity<Findings.Finding>().HasQueryFilter(f => ScopeSeesAll || f.OrganisationId == ScopeOrganisationId);
        builder.Entity<Rectifications.FindingEvidence>().HasQueryFilter(e => ScopeSeesAll || e.OrganisationId == ScopeOrganisationId);
        builder.Entity<Rectifications.FindingStatement>().HasQueryFilter(s => ScopeSeesAll || s.OrganisationId == ScopeOrganisationId);
    }
}
