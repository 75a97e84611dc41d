using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Benchmarks;

/// <summary>The product's write primitive over a benchmark's own context (its audit rows are not part of the figures).</summary>
internal static class BenchWriter
{
    public static ChangeWriter For(RemindersDbContext db, IClock clock, ReminderPlanner planner)
    {
        var reads = new ReadAuditWriter(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>());
        return new ChangeWriter(db, planner, new AuditLog(db, clock, new SystemActor(), reads));
    }

    private sealed class SystemActor : IActorAccessor
    {
        public Actor Current => Actor.System;
    }
}
