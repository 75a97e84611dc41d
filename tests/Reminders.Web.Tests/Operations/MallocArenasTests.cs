using System.Runtime.InteropServices;
using Reminders.Web.Hosting;

namespace Reminders.Web.Tests.Operations;

/// <summary>Issue #18 item 6: the native heap's arenas are bounded unless the operator chose (docs/operations.md, "Memory").</summary>
[Collection(nameof(EntryPointTests))]
public sealed class MallocArenasTests
{
    internal static bool OnGlibc => OperatingSystem.IsLinux() && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);

    [Fact]
    public void Without_the_operators_setting_glibc_is_told_to_keep_two_arenas()
    {
        Assert.Equal(OnGlibc ? MallocArenas.Outcome.Bounded : MallocArenas.Outcome.NotApplicable, MallocArenas.Decide(null));
        Assert.Equal(OnGlibc ? MallocArenas.Outcome.Bounded : MallocArenas.Outcome.NotApplicable, MallocArenas.Decide(""));
        Assert.Equal(2, MallocArenas.Bound);
    }

    [Fact]
    public void The_operators_MALLOC_ARENA_MAX_wins()
    {
        Assert.Equal(MallocArenas.Outcome.SetByOperator, MallocArenas.Decide("4"));
    }

    [Fact]
    public void Apply_decides_once_per_process_and_reports_what_it_did()
    {
        var first = MallocArenas.Apply();

        Assert.NotEqual(MallocArenas.Outcome.NotApplied, first);
        Assert.Equal(first, MallocArenas.Applied);
        Assert.Equal(first, MallocArenas.Apply());
    }

    [Fact]
    public void The_app_runs_workstation_GC_concurrent_as_its_runtimeconfig_says()
    {
        // Decision 0017: the configuration the app is published with (copied beside the tests from its build).
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reminders.Web.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }
}
