using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Data.Sqlite;

namespace Reminders.Benchmarks;

/// <summary>
/// The dispatcher against a loopback provider (issue #9: at least 200 SMS/s with two instances, no duplicate).
/// Each iteration copies the prepared SQLite file (<see cref="DispatchData"/>), starts one or two
/// <see cref="DispatchWorker"/> processes on it (two app instances on one database, each with its own container
/// and lease owner), lets them dispatch until nothing is due, and checks the result: every due SMS Sent exactly
/// once, provider requests equal SMS sent, no duplicate at the provider, each SMS carrying the id the provider
/// gave it. Any failed check throws, and <see cref="Verdict"/> fails the command.
/// </summary>
[Config(typeof(Config))]
public class DispatchBenchmarks
{
    private static readonly ConcurrentDictionary<string, List<RunResult>> Results = new(StringComparer.Ordinal);
    private static readonly Lazy<Task<Shared>> State = new(CreateAsync);
    private readonly List<Worker> _workers = [];
    private string _file = string.Empty;
    private double _seconds;

    /// <summary>How many due SMS the prepared file holds (<c>dispatch --sms N</c>).</summary>
    public static int Sms { get; set; } = 4_000;

    /// <summary>
    /// Seconds each product worker dispatches from its own copies of the template before READY (<c>dispatch
    /// --warmup S</c>, default 20; 0 = cold, as the first version of this benchmark).
    /// </summary>
    public static int WarmupSeconds { get; set; } = 20;

    /// <summary>Dispatcher instances (processes) on the one file.</summary>
    [Params(1, 2)]
    public int Instances { get; set; }

    /// <summary>
    /// <c>Dispatcher:MaxParallelSends</c> of each product worker (1 = one SMS after the other, as before the
    /// option existed; 4 = the default). The raw floor stays sequential and ignores it.
    /// </summary>
    [Params(1, 4)]
    public int MaxParallelSends { get; set; }

    /// <summary>Builds the file once and starts the provider (shared by every case: in-process toolchain).</summary>
    [GlobalSetup]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet calls setups on the instance.")]
    public void Setup() => State.Value.GetAwaiter().GetResult();

    /// <summary>Fresh copy, counters reset, workers started and warm (not timed).</summary>
    [IterationSetup(Target = nameof(Product))]
    public void SetupProduct() => StartWorkers(raw: false);

    /// <inheritdoc cref="SetupProduct"/>
    [IterationSetup(Target = nameof(Raw))]
    public void SetupRaw() => StartWorkers(raw: true);

    /// <summary>The product's <c>SmsDispatcher</c>, one container per process.</summary>
    [Benchmark]
    public Task Product() => DispatchAsync();

    /// <summary>The floor: the same claim and the same two writes per SMS with raw SQL, no decision at send time.</summary>
    [Benchmark(Baseline = true)]
    public Task Raw() => DispatchAsync();

    /// <summary>Checks and records the run; fails loudly on a duplicate or an SMS not sent.</summary>
    [IterationCleanup(Target = nameof(Product))]
    public void CleanupProduct() => Check(nameof(Product));

    /// <inheritdoc cref="CleanupProduct"/>
    [IterationCleanup(Target = nameof(Raw))]
    public void CleanupRaw() => Check(nameof(Raw));

    /// <summary>Prints every run and returns 1 when a check failed or a case has no checked run.</summary>
    public static int Verdict()
    {
        var failed = false;
        foreach (var method in new[] { nameof(Raw), nameof(Product) })
        {
            foreach (var (instances, parallel) in new[] { (1, 1), (1, 4), (2, 1), (2, 4) })
            {
                var runs = Results.TryGetValue(Key(method, instances, parallel), out var list) ? list : [];
                foreach (var run in runs)
                {
                    Console.WriteLine(Invariant($"RUN {method} instances={instances} parallel={parallel} seconds={run.Seconds:F2} sms/s={run.PerSecond:F0} sent={run.Sent} requests={run.Requests} duplicates={run.Duplicates} notSent={run.NotSent} load={run.Load} perInstance=[{run.PerInstance}]"));
                    failed |= !run.Passed;
                }

                failed |= runs.Count == 0;
                if (runs.Count > 0)
                {
                    Console.WriteLine(Invariant($"RESULT {method} instances={instances} parallel={parallel} runs={runs.Count} median={Median(runs.Select(r => r.PerSecond)):F0} SMS/s duplicates={runs.Sum(r => r.Duplicates)} notSent={runs.Sum(r => r.NotSent)}"));
                }
            }
        }

        Console.WriteLine(failed ? "FAILED: a run had a duplicate or an SMS not sent, or a case did not run." : "All runs: every SMS sent exactly once.");
        return failed ? 1 : 0;
    }

    /// <summary>Runs the benchmark (the <c>dispatch</c> command).</summary>
    public static int Run(string[] args)
    {
        var index = Array.IndexOf(args, "--sms");
        if (index >= 0)
        {
            Sms = int.Parse(args[index + 1], CultureInfo.InvariantCulture);
            args = [.. args[..index], .. args[(index + 2)..]];
        }

        var warmup = Array.IndexOf(args, "--warmup");
        if (warmup >= 0)
        {
            WarmupSeconds = int.Parse(args[warmup + 1], CultureInfo.InvariantCulture);
            args = [.. args[..warmup], .. args[(warmup + 2)..]];
        }

        BenchmarkSwitcher.FromTypes([typeof(DispatchBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args);
        var verdict = Verdict();
        if (State.IsValueCreated && State.Value.IsCompletedSuccessfully)
        {
            var shared = State.Value.GetAwaiter().GetResult();
            shared.Provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
            SqliteConnection.ClearAllPools();
            Directory.Delete(shared.Folder, recursive: true);
        }

        return verdict;
    }

    private static async Task<Shared> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "reminders-dispatch-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var template = Path.Combine(folder, "template.db");
        var watch = Stopwatch.StartNew();
        await DispatchData.BuildAsync(template, Sms);
        Console.WriteLine(Invariant($"// Built {Sms} bookings with {Sms} due reminders and {Sms} later self check-in SMS in {watch.Elapsed.TotalSeconds:F1} s: {template}"));
        return new Shared(folder, template, await BenchSmsProvider.StartAsync());
    }

    private void StartWorkers(bool raw)
    {
        var shared = State.Value.GetAwaiter().GetResult();
        _file = Path.Combine(shared.Folder, "run.db");
        DispatchData.Copy(shared.Template, _file);
        _workers.Clear();
        for (var i = 0; i < Instances; i++)
        {
            _workers.Add(Worker.Start(_file, shared.Provider.BaseUrl, raw, MaxParallelSends, raw ? null : shared.Template));
        }

        foreach (var worker in _workers)
        {
            worker.WaitReady();
        }

        // After the warm-ups, which send to the same provider.
        shared.Provider.Reset();
    }

    private async Task DispatchAsync()
    {
        var watch = Stopwatch.StartNew();
        foreach (var worker in _workers)
        {
            worker.Go();
        }

        await Task.WhenAll(_workers.Select(w => w.WaitDoneAsync()));
        _seconds = watch.Elapsed.TotalSeconds;
    }

    private void Check(string method)
    {
        var shared = State.Value.GetAwaiter().GetResult();
        var provider = shared.Provider;
        int sent = 0, notSent = 0, wrongId = 0, repeated = 0, laterTouched = 0;
        using (var connection = new SqliteConnection($"Data Source={_file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT Kind, Status, CallbackToken, ProviderId, Attempts FROM Messages";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetString(0) != "Reminder")
                {
                    laterTouched += reader.GetString(1) == "Pending" ? 0 : 1;
                    continue;
                }

                if (reader.GetString(1) != "Sent")
                {
                    notSent++;
                    continue;
                }

                sent++;
                repeated += reader.GetInt32(4) == 1 ? 0 : 1;
                var providerId = reader.IsDBNull(3) ? null : reader.GetString(3);
                wrongId += provider.IdByToken.TryGetValue(reader.GetString(2), out var given) && given == providerId ? 0 : 1;
            }
        }

        var run = new RunResult(_seconds, sent, provider.Requests, provider.Duplicates, notSent, Load(),
            string.Join("; ", _workers.Select(w => w.Done)))
        {
            Passed = provider.Duplicates == 0 && notSent == 0 && sent == Sms && provider.Requests == sent && wrongId == 0 && repeated == 0 && laterTouched == 0,
        };
        Results.GetOrAdd(Key(method, Instances, MaxParallelSends), _ => []).Add(run);
        Console.WriteLine(Invariant($"// {method} instances={Instances} parallel={MaxParallelSends}: {run.Seconds:F2} s, {run.PerSecond:F0} SMS/s, sent {sent}, requests {run.Requests}, duplicates {run.Duplicates}, not sent {notSent}, wrong provider id {wrongId}, attempted twice {repeated}, later SMS touched {laterTouched}, load {run.Load}"));
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        if (!run.Passed)
        {
            throw new InvalidOperationException(Invariant($"Dispatch check failed: {sent} of {Sms} sent, {run.Requests} provider requests, {run.Duplicates} duplicates, {notSent} not sent, {wrongId} with another provider id, {repeated} attempted more than once, {laterTouched} later SMS touched."));
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Key(string method, int instances, int parallel) => string.Create(CultureInfo.InvariantCulture, $"{method}/{instances}/{parallel}");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Shared(string Folder, string Template, BenchSmsProvider Provider);

    private sealed record RunResult(double Seconds, int Sent, int Requests, int Duplicates, int NotSent, string Load, string PerInstance)
    {
        public double PerSecond => Sent / Seconds;

        public bool Passed { get; init; }
    }

    /// <summary>One <c>dispatch-worker</c> process.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _errors = [];

        private Worker(Process process) => _process = process;

        public string Done { get; private set; } = string.Empty;

        public static Worker Start(string file, Uri provider, bool raw, int maxParallelSends, string? warmFrom)
        {
            // The bench re-launched: through the dotnet host when it runs as "dotnet Reminders.Benchmarks.dll".
            var host = Environment.ProcessPath!;
            var info = new ProcessStartInfo(host)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["Dispatcher__MaxParallelSends"] = maxParallelSends.ToString(CultureInfo.InvariantCulture);
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                info.ArgumentList.Add(typeof(DispatchBenchmarks).Assembly.Location);
            }

            foreach (var argument in new[] { "dispatch-worker", "--db", file, "--provider", provider.ToString() })
            {
                info.ArgumentList.Add(argument);
            }

            if (raw)
            {
                info.ArgumentList.Add("--raw");
            }
            else if (WarmupSeconds > 0 && warmFrom is not null)
            {
                foreach (var argument in new[] { "--warm-from", warmFrom, "--warmup", WarmupSeconds.ToString(CultureInfo.InvariantCulture) })
                {
                    info.ArgumentList.Add(argument);
                }
            }

            var worker = new Worker(Process.Start(info)!);
            worker._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.WriteLine("WORKER " + e.Data);
                    lock (worker._errors)
                    {
                        worker._errors.Add(e.Data);
                    }
                }
            };
            worker._process.BeginErrorReadLine();
            return worker;
        }

        public void WaitReady()
        {
            var line = _process.StandardOutput.ReadLine();
            if (line != "READY")
            {
                throw Failure($"expected READY, got '{line}'");
            }
        }

        public void Go()
        {
            _process.StandardInput.WriteLine("GO");
            _process.StandardInput.Flush();
        }

        public async Task WaitDoneAsync()
        {
            var line = await _process.StandardOutput.ReadLineAsync();
            await _process.WaitForExitAsync();
            if (line?.StartsWith("DONE ", StringComparison.Ordinal) != true || _process.ExitCode != 0)
            {
                throw Failure($"expected DONE, got '{line}' (exit code {_process.ExitCode})");
            }

            Done = line[5..];
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }

        private InvalidOperationException Failure(string what)
        {
            lock (_errors)
            {
                return new InvalidOperationException($"dispatch-worker {_process.Id}: {what}{Environment.NewLine}{string.Join(Environment.NewLine, _errors)}");
            }
        }
    }

    /// <summary>Monitoring (one invocation per iteration, no pilot), in process, three iterations per case.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithWarmupCount(0)
                .WithIterationCount(3)
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
            AddColumn(new ResultColumn("SMS/s", "Median SMS sent per second (own stopwatch, GO to last DONE)", runs => Median(runs.Select(r => r.PerSecond)).ToString("F0", CultureInfo.InvariantCulture)));
            AddColumn(new ResultColumn("Duplicates", "Provider requests for an SMS already received, all runs", runs => runs.Sum(r => r.Duplicates).ToString(CultureInfo.InvariantCulture)));
            AddColumn(new ResultColumn("NotSent", "Due SMS not Sent after the run, all runs", runs => runs.Sum(r => r.NotSent).ToString(CultureInfo.InvariantCulture)));
            AddColumn(new ResultColumn("Requests", "Provider requests per run (median)", runs => Median(runs.Select(r => (double)r.Requests)).ToString("F0", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>A summary column computed from the checked runs of a case.</summary>
    private sealed class ResultColumn(string name, string legend, Func<IReadOnlyList<RunResult>, string> value) : IColumn
    {
        public string Id => nameof(ResultColumn) + name;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => legend;

        public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) =>
            Results.TryGetValue(Key(benchmarkCase.Descriptor.WorkloadMethod.Name, (int)benchmarkCase.Parameters["Instances"], (int)benchmarkCase.Parameters["MaxParallelSends"]), out var runs) && runs.Count > 0
                ? value(runs)
                : "-";

        public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
