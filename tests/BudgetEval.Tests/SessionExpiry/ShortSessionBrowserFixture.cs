using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.SessionExpiry;

/// <summary>
/// Like <see cref="BrowserFixture"/>, but sessions end after 30 idle seconds (Auth:IdleMinutes = 0.5), so the
/// warning and the end of a session can be watched on the real clock. session.js then renews at most every 10 s
/// and warns 15 s before the end: a keystroke gap of up to 5 s, or a 15 s warning, leaves room for a busy
/// 2-core CI machine (at 12 s the margins were 2 s and 6 s, and one CI run failed).
/// </summary>
public sealed class ShortSessionBrowserFixture() : BrowserFixture(new Dictionary<string, string?>
{
    ["Auth:IdleMinutes"] = (IdleSeconds / 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
})
{
    public const double IdleSeconds = 30;
}
