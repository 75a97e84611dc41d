using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// An interceptor that checks the context's pending changes before every save, synchronous or not, and throws to
/// stop a save that would break an invariant. Subclasses say only what they check.
/// </summary>
public abstract class SaveCheckInterceptor : SaveChangesInterceptor
{
    /// <inheritdoc />
    public sealed override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context)
        {
            CheckBeforeSave(context);
        }

        return result;
    }

    /// <inheritdoc />
    public sealed override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SavingChanges(eventData, result));

    /// <summary>Throws when the pending changes of <paramref name="context"/> must not be saved.</summary>
    protected abstract void CheckBeforeSave(DbContext context);
}
