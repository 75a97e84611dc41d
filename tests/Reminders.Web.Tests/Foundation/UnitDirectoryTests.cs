using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Units;
using Reminders.Testing;
using Reminders.Domain.Audit;
using Reminders.Application.Units;

namespace Reminders.Web.Tests.Foundation;

/// <summary>
/// The read pages' unit list (<see cref="UnitDirectory"/>): read once per 30 s, dropped at once when this app saves
/// a unit (at the commit when the save is inside a transaction), and a change made elsewhere (another instance of
/// the app: here a plain SQL update) shown within the 30 s.
/// </summary>
public sealed class UnitDirectoryTests : IAsyncLifetime
{
    private readonly RemindersFactory _factory = new();

    public async Task InitializeAsync() => await _factory.EnsureUnitsAsync();

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private UnitDirectory Directory => _factory.Services.GetRequiredService<UnitDirectory>();

    [Fact]
    public async Task A_unit_changed_by_another_instance_is_shown_once_the_cache_time_has_passed()
    {
        Assert.Equal("Testmottagning A", (await Directory.FindAsync(Staff.UnitA, default))!.Name);
        await RenameBehindTheAppsBackAsync("Omdöpt mottagning A");

        _factory.Time.Advance(Duration.FromSeconds(29));
        Assert.Equal("Testmottagning A", (await Directory.FindAsync(Staff.UnitA, default))!.Name);

        _factory.Time.Advance(Duration.FromSeconds(2));
        Assert.Equal("Omdöpt mottagning A", (await Directory.FindAsync(Staff.UnitA, default))!.Name);
    }

    [Fact]
    public async Task A_unit_created_by_another_instance_is_found_at_once()
    {
        Assert.Equal(3, (await Directory.AllAsync(default)).Count);
        await using (var db = _factory.NewDbContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO Units (HsaId, Name, Clinic, UsesSmsReminders, OffersSelfCheckIn, Active) VALUES ('SE2321000115-T4000D', 'Ny mottagning D', 'Testkliniken', 1, 0, 1)");
        }

        var found = await Directory.FindAsync(Domain.Units.HsaId.FromTrusted("SE2321000115-T4000D"), default);

        Assert.Equal("Ny mottagning D", found?.Name);
        Assert.Equal(4, (await Directory.AllAsync(default)).Count);
    }

    [Fact]
    public async Task R4_a_unit_saved_through_the_units_handler_is_shown_at_once()
    {
        Assert.True((await Directory.FindAsync(Staff.UnitA, default))!.UsesSmsReminders);

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<UnitsHandler>().PutAsync(
                Staff.UnitA, new UnitInput("Testmottagning A2", "Testkliniken", UsesSmsReminders: false, OffersSelfCheckIn: true),
                new Actor("test", ChangeChannel.Admin), CancellationToken.None);
            Assert.True(outcome.Succeeded);
        }

        var unit = (await Directory.FindAsync(Staff.UnitA, default))!;
        Assert.Equal("Testmottagning A2", unit.Name);
        Assert.False(unit.UsesSmsReminders);
    }

    [Fact]
    public async Task A_unit_saved_inside_a_transaction_is_shown_when_the_transaction_commits()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var unit = await db.Units.SingleAsync(u => u.HsaId == Staff.UnitA);
        unit.Update("Testmottagning A3", unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn);
        await db.SaveChangesAsync();

        // Read meanwhile by a page: the committed name, kept by the directory.
        Assert.Equal("Testmottagning A", (await Directory.FindAsync(Staff.UnitA, default))!.Name);

        await transaction.CommitAsync();
        Assert.Equal("Testmottagning A3", (await Directory.FindAsync(Staff.UnitA, default))!.Name);
    }

    [Fact]
    public async Task A_rolled_back_change_leaves_the_unit_as_it_was()
    {
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var unit = await db.Units.SingleAsync(u => u.HsaId == Staff.UnitA);
            unit.Update("Aldrig sparad", unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Equal("Testmottagning A", (await Directory.FindAsync(Staff.UnitA, default))!.Name);
    }

    private async Task RenameBehindTheAppsBackAsync(string name)
    {
        await using var db = _factory.NewDbContext();
        var changed = await db.Database.ExecuteSqlAsync($"UPDATE Units SET Name = {name} WHERE HsaId = {Staff.UnitA.Value}");
        Assert.Equal(1, changed);
    }
}
