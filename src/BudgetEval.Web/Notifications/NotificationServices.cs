using BudgetEval.Web.Infrastructure.Jobs;
using BudgetEval.Web.Reminders;

namespace BudgetEval.Web.Notifications;

internal static class NotificationServices
{
    /// <summary>Reminders, notifications, the outbox and its delivery (the calendar is registered with the workflows).</summary>
    public static IServiceCollection AddRemindersAndNotifications(this IServiceCollection services)
    {
        services.AddSingleton<NotificationWriter>();
        services.AddSingleton<OutboxDelivery>();
        services.AddSingleton<JobRunLog>();
        services.AddScoped<ReminderSweep>();
        services.AddScoped<ManualReminders>();
        services.AddScoped<UnreadNotifications>();
        services.AddScoped<ReminderSweepJob>();
        services.AddScoped<OutboxDeliveryJob>();
        services.AddScoped<DigestJob>();
        return services;
    }
}
