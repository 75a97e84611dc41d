using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reminders.Web.Hosting;

namespace Reminders.Web.Tests.Operations;

/// <summary>
/// Issue #18 item 6: the native heap's free memory goes back to the system at an interval (docs/operations.md,
/// "Memory"). Run alone (the entry-point collection), since they read the process's own resident memory.
/// </summary>
[Collection(nameof(EntryPointTests))]
public sealed class NativeHeapTrimmingTests
{
    private static bool OnGlibc => MallocArenasTests.OnGlibc;

    [Fact]
    public void A_trim_hands_memory_that_malloc_kept_after_free_back_to_the_system()
    {
        Assert.Equal(OnGlibc, NativeHeapTrimming.Supported);
        if (!OnGlibc)
        {
            Assert.Equal(NativeHeapTrimming.Outcome.NotSupported, NativeHeapTrimming.Trim());
            return;
        }

        // 192 MB in small blocks, as SQLite's pages and statements are, then freed with one block left at the end:
        // glibc keeps all of it, since it gives back on its own only what lies at the top of a heap.
        const int Blocks = 768 * 1024;
        var pattern = Enumerable.Repeat((byte)0xA5, 256).ToArray();
        var blocks = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(256); // malloc
            Marshal.Copy(pattern, 0, blocks[i], 256); // touched, so resident
        }

        var fence = Marshal.AllocHGlobal(256);
        var allocated = ResidentMegabytes();
        for (var i = 0; i < Blocks; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        var freed = ResidentMegabytes();
        var outcome = NativeHeapTrimming.Trim();
        var trimmed = ResidentMegabytes();
        Marshal.FreeHGlobal(fence);

        Assert.True(freed > trimmed + 100, $"resident {allocated} MB allocated, {freed} MB after free, {trimmed} MB after the trim");
        Assert.Equal(NativeHeapTrimming.Outcome.Released, outcome);
    }

    [Fact]
    public async Task The_service_trims_at_its_interval_and_counts_each_trim()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var counted = new List<string?>();
        using var listener = Listen(meters, "reminders.native_heap.trims", counted);
        var service = new NativeHeapTrimming(Options.Create(new MemoryOptions { NativeHeapTrimInterval = TimeSpan.FromSeconds(1) }), TimeProvider.System, meters,
            NullLogger<NativeHeapTrimming>.Instance);

        await service.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (service.Trims < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await service.StopAsync(CancellationToken.None);
        var trims = service.Trims;
        Assert.True(trims >= (OnGlibc ? 2 : 0), $"{trims} trims in 20 s at one a second");
        Assert.True(service.ExecuteTask!.IsCompleted, "stopping ends the loop");
        lock (counted)
        {
            Assert.Equal(trims, counted.Count);
            Assert.All(counted, outcome => Assert.Contains(outcome, new[] { "released", "nothing_free" }));
        }
    }

    [Fact]
    public async Task An_interval_of_zero_switches_trimming_off()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var service = new NativeHeapTrimming(Options.Create(new MemoryOptions { NativeHeapTrimInterval = TimeSpan.Zero }), TimeProvider.System,
            services.GetRequiredService<IMeterFactory>(), NullLogger<NativeHeapTrimming>.Instance);

        await service.StartAsync(CancellationToken.None);

        // Off: the loop ends by itself, without being stopped (on, it would wait for its first interval).
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, service.Trims);
        await service.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("00:00:30", true)]
    [InlineData("00:00:01", true)]
    [InlineData("00:00:00", true)]
    [InlineData("00:00:00.5", false)]
    [InlineData("-00:00:30", false)]
    public void The_interval_is_off_or_at_least_a_second(string interval, bool accepted)
    {
        var result = new MemoryOptionsValidator().Validate(null, new MemoryOptions { NativeHeapTrimInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Contains("Memory:NativeHeapTrimInterval", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Trimming_is_on_every_thirty_seconds_unless_configured()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new MemoryOptions().NativeHeapTrimInterval);
    }

    private static MeterListener Listen(IMeterFactory meters, string instrument, List<string?> outcomes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (published, l) =>
            {
                if (published.Name == instrument && ReferenceEquals(published.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(published);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            lock (outcomes)
            {
                outcomes.Add(outcome);
            }
        });
        listener.Start();
        return listener;
    }

    private static long ResidentMegabytes() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture) / 1024;
}
