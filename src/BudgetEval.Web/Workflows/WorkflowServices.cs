using BudgetEval.Web.Calendar;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Reminders;
using BudgetEval.Web.SelfEvaluations;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Workflows;

internal static class WorkflowServices
{
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<WorkflowOptions>(config.GetSection(WorkflowOptions.Section));

        // Guards and effects: one small class each, found by Name. A definition naming one that is not
        // registered here fails loading.
        services.AddSingleton<IGuard, SelfEvaluationIsComplete>();
        services.AddSingleton<IEffect, SnapshotVersion>();
        services.AddSingleton<IEffect, MarkLateIfPastDeadline>();
        services.AddSingleton<IEffect, MarkReviewed>();
        services.AddSingleton<IEffect, NotifyUnit>();
        services.AddSingleton<IEffect, NotifyBureau>();
        services.AddSingleton<IWorkflowSubject, SelfEvaluationStatusMirror>();
        services.AddSingleton<IGuard, Evaluations.CommissionComplete>();
        services.AddSingleton<IGuard, Evaluations.TeamDeclared>();
        services.AddSingleton<IGuard, Evaluations.ScoresComplete>();
        services.AddSingleton<IGuard, Evaluations.ReportDrafted>();
        services.AddSingleton<IGuard, Evaluations.CommentsAnswered>();
        services.AddSingleton<IGuard, Evaluations.ReportNumbered>();
        services.AddSingleton<IEffect, Evaluations.AssignFirm>();
        services.AddSingleton<IEffect, Evaluations.NotifyFirm>();
        services.AddSingleton<IEffect, Evaluations.ReleaseFirm>();
        services.AddSingleton<IEffect, Evaluations.CreateFindings>();
        services.AddSingleton<IWorkflowSubject, Evaluations.EvaluationStatusMirror>();
        services.AddSingleton<IGuard, Rectifications.RectificationPlanComplete>();
        services.AddSingleton<IGuard, Rectifications.RectificationResultComplete>();
        services.AddSingleton<IGuard, Rectifications.ExtensionRequested>();
        services.AddSingleton<IGuard, Rectifications.NewDeadlineSet>();
        services.AddSingleton<IGuard, Rectifications.RequestedDeadlineAhead>();
        services.AddSingleton<IEffect, Rectifications.ApplyExtension>();
        services.AddSingleton<IEffect, Rectifications.DropExtension>();
        services.AddSingleton<IEffect, Rectifications.RecordVerification>();
        services.AddSingleton<IEffect, Rectifications.SendFindingNotice>();
        services.AddSingleton<IEffect, Rectifications.NotifyRectificationVerified>();
        services.AddSingleton<IWorkflowSubject, Rectifications.FindingStatusMirror>();
        services.AddSingleton<IGuard, Rectifications.FollowUpStated>();

        // Working days come from the admin-maintained holiday calendar (Calendar/); one instance per node so its cache is shared.
        services.AddSingleton<HolidayCalendar>();
        services.AddSingleton<IWorkingCalendar>(sp => sp.GetRequiredService<HolidayCalendar>());
        services.AddSingleton<ReminderSchedule>();
        services.AddSingleton<DueDates>();
        services.AddSingleton<BureauLookup>();
        services.AddSingleton(sp => WorkflowRegistry.Load(
            WorkflowRegistry.DefaultDirectories(sp.GetRequiredService<IOptions<WorkflowOptions>>(), sp.GetRequiredService<IHostEnvironment>()),
            sp.GetServices<IGuard>(),
            sp.GetServices<IEffect>()));
        services.AddHostedService<WorkflowRegistryStartup>();
        services.AddScoped<WorkflowEngine>();
        services.AddScoped<InboxQueries>();
        services.AddScoped<InboxCounter>();
        services.AddScoped<SelfEvaluationService>();
        services.AddScoped<FormFiles>();
        services.AddSingleton<PdfRenderer>();
        services.AddScoped<Plans.PlanService>();
        services.AddScoped<Evaluations.EvaluationService>();
        services.AddScoped<Evaluations.Fieldwork.FieldworkService>();
        services.AddScoped<Findings.FindingRegister>();
        services.AddScoped<Rectifications.RectificationService>();
        services.AddScoped<Dashboards.BureauFigures>();
        services.AddScoped<Oversight.OverdueTasks>();
        services.AddSingleton(typeof(Shared.FigureReader<,>)); // bureau-wide counts, refreshed in the background
        services.AddScoped<Dashboards.UnitFigures>();
        services.AddScoped<ResultUse.ResultsReport>();
        services.AddScoped<ResultUse.ResultsService>();
        return services;
    }
}
