namespace BudgetEval.Web.Notifications;

/// <summary>
/// Accounts an administrator has locked get no notices, reminders or mail: they cannot sign in to act, and
/// mail about a unit's cases should not follow someone who left it. The rule matches
/// <see cref="Auth.LockoutKinds.IsAdministrativeLock"/>: the failure lockout (15 minutes) keeps its mail.
/// </summary>
internal static class LockedAccounts
{
    /// <summary>A LockoutEnd after this instant is an administrator's lock.</summary>
    public static DateTimeOffset From(DateTimeOffset now) => now.AddYears(1);
}
