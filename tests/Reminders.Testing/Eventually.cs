namespace Reminders.Testing;

/// <summary>Waits for a condition with short polling and a time-out: no sleeps of guessed length.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (started.Elapsed > limit)
            {
                throw new Xunit.Sdk.XunitException($"Timed out waiting: {because}");
            }

            await Task.Delay(20);
        }
    }
}
