namespace Reminders.Infrastructure.Replanning;

/// <summary>Wakes the replanning service at once, e.g. after the admin saved the SMS settings.</summary>
public sealed class ReplanningSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();

    /// <summary>Asks for a replanning check now.</summary>
    public void Request()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already requested.
            }
        }
    }

    /// <summary>Waits for a request or <paramref name="interval"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(interval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed.
        }
    }
}
