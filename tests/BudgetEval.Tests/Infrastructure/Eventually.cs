namespace BudgetEval.Tests.Infrastructure;

/// <summary>For what happens in the background (a recount started by a view): read until done, or give up after a while.</summary>
internal static class Eventually
{
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
