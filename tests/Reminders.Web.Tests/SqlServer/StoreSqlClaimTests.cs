using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Persistence;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.SqlServer;

/// <summary>
/// The behaviour of <see cref="IStoreSql"/>'s claim, on SQLite (the provider the tests can run); its SQL Server
/// text is parsed and checked in <see cref="SqlServerStatementTests"/>.
/// </summary>
public sealed class StoreSqlClaimTests
{
    [Fact]
    public async Task The_claim_leases_the_oldest_due_SMS_up_to_its_limit_and_no_other_claim_takes_them_until_the_lease_ends()
    {
        using var api = new ApiHarness();
        await api.ActivatedAdultWithBookingAsync(Duration.FromHours(30), mobile: "070-174 06 12");
        await api.ActivatedAdultWithBookingAsync(Duration.FromHours(40), mobile: "070-174 06 13");
        var store = api.Factory.Services.GetRequiredService<IStoreSql>();
        Assert.Equal(DatabaseProvider.Sqlite, store.Provider);
        long[] byDue;
        await using (var db = api.Factory.NewDbContext())
        {
            byDue = await db.Messages.Where(m => m.Status == SmsStatus.Pending && m.NotBefore <= api.Now).OrderBy(m => m.NotBefore).Select(m => m.Id).ToArrayAsync();
        }

        Assert.Equal(2, byDue.Length);
        var lease = Duration.FromMinutes(5);

        var first = await ClaimAsync(api, store, new SmsClaim("instance-a", api.Now, api.Now + lease, 1));
        var second = await ClaimAsync(api, store, new SmsClaim("instance-b", api.Now, api.Now + lease, 10));
        var third = await ClaimAsync(api, store, new SmsClaim("instance-c", api.Now + lease - Duration.FromSeconds(1), api.Now + lease, 10));
        var afterLease = await ClaimAsync(api, store, new SmsClaim("instance-c", api.Now + lease, api.Now + lease + lease, 10));

        Assert.Equal([byDue[0]], first);
        Assert.Equal([byDue[1]], second);
        Assert.Empty(third);
        Assert.Equal(byDue, afterLease.Order());
        await using var check = api.Factory.NewDbContext();
        var leased = await check.Messages.Where(m => byDue.Contains(m.Id)).ToListAsync();
        Assert.All(leased, m => Assert.Equal("instance-c", m.LeaseOwner));
        Assert.All(leased, m => Assert.Equal(api.Now + lease + lease, m.LeaseUntil));
    }

    private static async Task<IReadOnlyList<long>> ClaimAsync(ApiHarness api, IStoreSql store, SmsClaim claim)
    {
        await using var db = api.Factory.NewDbContext();
        return await store.ClaimDueSmsAsync(db, claim, CancellationToken.None);
    }
}
