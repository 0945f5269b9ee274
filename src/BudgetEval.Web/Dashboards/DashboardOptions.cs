namespace BudgetEval.Web.Dashboards;

internal sealed class DashboardOptions
{
    public const string Section = "Dashboards";

    /// <summary>
    /// Age in seconds after which the bureau dashboard's figures are recomputed in the background (viewers
    /// meanwhile see the last ones, with the time they were computed); 0 computes them on every view.
    /// </summary>
    public int CacheSeconds { get; set; } = 30;
}
