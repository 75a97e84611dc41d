using System.Reflection;
using System.Reflection.Emit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Application.Changes;
using Reminders.Infrastructure.Persistence;
using Reminders.Testing;

namespace Reminders.Web.Tests.Architecture;

/// <summary>
/// The shape of docs/architecture.md, checked: pages and endpoints never touch the context (they call a use case of
/// Reminders.Application), and every change is saved by the write primitive (<see cref="ChangeWriter"/>); the few
/// other writers are named below with the reason. Each rule is also run on a violating fixture, so it can fail.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Writers allowed to save outside the write primitive, with why.</summary>
    private static readonly Dictionary<string, string> OtherWriters = new(StringComparer.Ordinal)
    {
        ["Reminders.Infrastructure.Audit.ReadAuditWriter"] = "the group commit of audit rows that are an operation's only write (reads, refusals)",
        ["Reminders.Infrastructure.Messaging.SmsDispatcher"] = "claims and send results of SMS: the dispatcher's own state machine (R22 leases)",
        ["Reminders.Infrastructure.Messaging.DeliveryReports"] = "the provider's delivery callbacks: a status change of one SMS, no audit row",
        ["Reminders.Infrastructure.VasImport.VasImporter"] = "the bulk VAS import (R30–R36): batches of a million rows, audited once per run",
        ["Reminders.Infrastructure.VasImport.EfVasBatchWriter"] = "the VAS import's portable batch writer",
        ["Reminders.Infrastructure.VasImport.SqliteVasBatchWriter"] = "the VAS import's batch writer for SQLite (prepared statements)",
        ["Reminders.Infrastructure.Seeding.DemoDataSeeder"] = "demo data for a development store",
        ["Reminders.Infrastructure.Seeding.DemoOutcomeHistory"] = "13 months of demo outcomes for a development store's reports",
        ["Reminders.Infrastructure.Messaging.SinkSmsGateway"] = "the development SMS sink: the texts it 'sent', in its own table, no patient change",
        ["Reminders.Infrastructure.Replanning.PlanningStateStore"] = "the replanning job's state and claim row: job state, no patient data",
    };

    private static readonly Type[] ProductTypes =
    [
        .. typeof(Program).Assembly.GetTypes(),
        .. typeof(ChangeWriter).Assembly.GetTypes(),
        .. typeof(RemindersDbContext).Assembly.GetTypes(),
    ];

    [Fact]
    public void No_page_model_takes_the_database_context()
    {
        Assert.Empty(PageModelsTakingTheContext(typeof(Program).Assembly.GetTypes()));
        Assert.Equal([typeof(FixturePageModel).FullName!], PageModelsTakingTheContext(typeof(ArchitectureTests).Assembly.GetTypes()));
    }

    [Fact]
    public void No_API_endpoint_takes_the_database_context()
    {
        using var factory = new RemindersFactory();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var handlers = endpoints.Select(e => e.Metadata.GetMetadata<MethodInfo>()).OfType<MethodInfo>().ToList();
        Assert.NotEmpty(handlers);
        Assert.DoesNotContain(handlers, TakesTheContext);
        Assert.True(TakesTheContext(typeof(ArchitectureTests).GetMethod(nameof(FixtureEndpoint), BindingFlags.NonPublic | BindingFlags.Static)!));
        Assert.DoesNotContain(typeof(Program).Assembly.GetTypes(), t => t.Namespace?.StartsWith("Reminders.Web.Api", StringComparison.Ordinal) == true
            && t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(RemindersDbContext))));
    }

    [Fact]
    public void Every_change_is_saved_by_the_write_primitive_or_a_named_writer()
    {
        var savers = Savers(ProductTypes).Where(t => t != typeof(ChangeWriter).FullName && !OtherWriters.ContainsKey(t)).ToList();
        Assert.Empty(savers);
        Assert.Contains(typeof(ChangeWriter).FullName!, Savers(ProductTypes));
        // The rule can fail: the violating fixture (nested here, so reported as this class) is found.
        Assert.Equal([typeof(ArchitectureTests).FullName!], Savers(typeof(ArchitectureTests).Assembly.GetTypes()).Where(t => t.Contains("Architecture", StringComparison.Ordinal)));
    }

    [Fact]
    public void Test_and_benchmark_data_generation_is_not_in_the_product()
    {
        var testData = typeof(VasFileGenerator).Assembly.GetName().Name;
        Assert.DoesNotContain(ProductAssemblies, a => a.GetReferencedAssemblies().Any(r => r.Name == testData));
        Assert.DoesNotContain(ProductTypes, t => t.Name == nameof(VasFileGenerator) || t.Name.StartsWith("VasGenerated", StringComparison.Ordinal));
        // The rule can fail: this test assembly does reference the generator.
        Assert.Contains(typeof(ArchitectureTests).Assembly.GetReferencedAssemblies(), r => r.Name == testData);
    }

    [Fact]
    public void Only_the_web_layer_names_a_web_route()
    {
        // Routes are mapped by the web layer; the layers below it get a path from it (the delivery report's callback URL).
        // A path is a literal that starts with one (a message that names an endpoint to a caller is not a route).
        foreach (var assembly in ProductAssemblies.Where(a => a != typeof(Program).Assembly))
        {
            Assert.DoesNotContain(StringLiterals(assembly), s => s.StartsWith("/api/", StringComparison.Ordinal));
        }

        Assert.Contains(StringLiterals(typeof(Program).Assembly), s => s.StartsWith("/api/v1/sms/delivery/", StringComparison.Ordinal));
    }

    [Fact]
    public void SQL_text_lives_in_Infrastructure_only()
    {
        // Pages, endpoints and use cases query through EF's LINQ; statements written by hand (bulk paths, claims, the
        // VAS writer) are Infrastructure's, next to the mappings they depend on and parsed as T-SQL by the SqlServer tests.
        var sql = new System.Text.RegularExpressions.Regex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|PRAGMA|EXEC)\s", System.Text.RegularExpressions.RegexOptions.None);
        foreach (var assembly in new[] { typeof(Program).Assembly, typeof(ChangeWriter).Assembly })
        {
            Assert.DoesNotContain(StringLiterals(assembly), s => sql.IsMatch(s));
        }

        // The rule can fail: Infrastructure's own statements are found.
        Assert.Contains(StringLiterals(typeof(RemindersDbContext).Assembly), s => sql.IsMatch(s));
    }

    [Fact]
    public void No_reason_is_recognised_by_its_code_alone()
    {
        // Codes repeat across rules (AtOnce: R20 and R21; Cancelled: R22 and R61; ProtectedIdentity: R14 and R34), so the
        // product recognises a reason with Reason.Is (rule and code). Reading a code to print it (an attribute, the API's
        // JSON) is fine; comparing, switching, grouping or looking up by it is not. Razor views are read too.
        var root = Repository.Root;
        var found = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => CodeComparisons(File.ReadAllText(f)).Select(line => $"{Path.GetRelativePath(root, f)}: {line}"))
            .ToList();
        Assert.Empty(found);

        // The rule can fail: each form it looks for is found in a fixture.
        Assert.Equal(5, CodeComparisons("""
            if (reason.Code == "UnitBlocked") { }
            var x = reason.Code switch { _ => 1 };
            var y = reasons.DistinctBy(r => r.Code);
            var z = codes.Contains(r.Code);
            var w = Reasons.ProtectedIdentity.Code;
            """).Count);
    }

    /// <summary>Identity's error codes are not reasons: the one comparison by such a code.</summary>
    private static readonly string[] NotReasons = ["error.Code == \"PasswordMismatch\""];

    private static List<string> CodeComparisons(string source) =>
        source.Split('\n').Select(l => l.Trim())
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l,
                @"\.Code\s*(==|!=|\bis\b|\bswitch\b|\.Equals)|\b(DistinctBy|GroupBy|ToDictionary|ToLookup|Contains)\(\s*(\w+\s*=>\s*)?[\w.]+\.Code\s*\)|\bReasons\.\w+\.Code\b"))
            .Where(l => !NotReasons.Any(n => l.Contains(n, StringComparison.Ordinal)))
            .ToList();

    private static IEnumerable<System.Reflection.Assembly> ProductAssemblies =>
    [
        typeof(Program).Assembly,
        typeof(ChangeWriter).Assembly,
        typeof(RemindersDbContext).Assembly,
        typeof(Domain.Reason).Assembly,
    ];

    /// <summary>Every string a method of <paramref name="assembly"/> loads (<c>ldstr</c>, 0x72), constants folded in included.</summary>
    private static HashSet<string> StringLiterals(System.Reflection.Assembly assembly)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all))))
        {
            var il = method.GetMethodBody()?.GetILAsByteArray();
            for (var i = 0; il is not null && i + 4 < il.Length; i++)
            {
                if (il[i] != OpCodes.Ldstr.Value)
                {
                    continue;
                }

                try
                {
                    found.Add(method.Module.ResolveString(BitConverter.ToInt32(il, i + 1)));
                }
                catch (ArgumentException)
                {
                    // An operand byte that looked like ldstr: not a string token.
                }
            }
        }

        return found;
    }

    private static List<string> PageModelsTakingTheContext(IEnumerable<Type> types) =>
        types.Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract)
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(RemindersDbContext)))
                || t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly).Any(TakesTheContext))
            .Select(t => t.FullName!).ToList();

    private static bool TakesTheContext(MethodInfo method) => method.GetParameters().Any(p => typeof(DbContext).IsAssignableFrom(p.ParameterType));

    /// <summary>The outermost declaring type of every method whose IL calls <c>DbContext.SaveChanges[Async]</c>.</summary>
    private static List<string> Savers(IEnumerable<Type> types)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (CallsSaveChanges(method))
                {
                    var outer = type;
                    while (outer.DeclaringType is { } declaring)
                    {
                        outer = declaring;
                    }

                    found.Add(outer.FullName!);
                }
            }
        }

        return [.. found];
    }

    private static bool CallsSaveChanges(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return false;
        }

        // call (0x28) / callvirt (0x6F) followed by a method token; a false match on operand bytes only makes a token
        // that fails to resolve or names another method.
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != OpCodes.Call.Value && il[i] != (byte)OpCodes.Callvirt.Value)
            {
                continue;
            }

            var token = BitConverter.ToInt32(il, i + 1);
            try
            {
                if (method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null) is { } callee
                    && callee.Name.StartsWith("SaveChanges", StringComparison.Ordinal)
                    && typeof(DbContext).IsAssignableFrom(callee.DeclaringType))
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
            }
            catch (BadImageFormatException)
            {
            }
        }

        return false;
    }

    private static IResult FixtureEndpoint(RemindersDbContext db) => Results.Ok(db.ContextId);

    /// <summary>Violates the page rule (used only to show the rule can fail).</summary>
    private sealed class FixturePageModel(RemindersDbContext db) : PageModel
    {
        public Guid Id => db.ContextId.InstanceId;
    }

    /// <summary>Violates the write rule (used only to show the rule can fail).</summary>
    private sealed class FixtureSaver(RemindersDbContext db)
    {
        public Task<int> SaveAsync() => db.SaveChangesAsync();
    }
}
