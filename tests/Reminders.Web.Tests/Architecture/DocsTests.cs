using System.Text.RegularExpressions;

namespace Reminders.Web.Tests.Architecture;

/// <summary>
/// docs/rules.md names, for every rule, the code that implements it and the tests that check it. This keeps it true:
/// every file or folder it names exists, and every test it names is a test in the repository. Nothing in docs/ or the
/// README links out of the repository.
/// </summary>
public sealed partial class DocsTests
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["D/"] = "src/Reminders.Domain/",
        ["A/"] = "src/Reminders.Application/",
        ["I/"] = "src/Reminders.Infrastructure/",
        ["W/"] = "src/Reminders.Web/",
        ["T/"] = "tests/Reminders.Domain.Tests/",
        ["WT/"] = "tests/Reminders.Web.Tests/",
        ["BT/"] = "tests/Reminders.BrowserTests/",
    };

    [Fact]
    public void Every_path_in_the_rules_document_exists()
    {
        var root = Repository.Root;
        var missing = Paths(File.ReadAllText(Path.Combine(root, "docs", "rules.md")))
            .Where(p => !File.Exists(Path.Combine(root, p)) && !Directory.Exists(Path.Combine(root, p)))
            .ToList();
        Assert.Empty(missing);
        Assert.Equal(["src/Reminders.Domain/Nowhere.cs"], Paths("see `D/Nowhere.cs` and `docs/rules.md`").Where(p => !File.Exists(Path.Combine(root, p))));
    }

    [Fact]
    public void Every_test_the_rules_document_names_is_a_test_in_the_repository()
    {
        var root = Repository.Root;
        var tests = string.Join('\n', Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var named = TestNames(File.ReadAllText(Path.Combine(root, "docs", "rules.md"))).ToList();
        Assert.NotEmpty(named);
        var unknown = named.Where(n => !Regex.IsMatch(tests, $@"(void|Task)\s+{Regex.Escape(n)}\s*\(")).ToList();
        Assert.Empty(unknown);
        Assert.Equal(["R1_no_such_test"], TestNames("`RecipientTests.R1_no_such_test`, `R12_*`"));
    }

    [Fact]
    public void The_README_and_docs_link_nowhere_outside_the_repository()
    {
        var root = Repository.Root;
        var files = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(root, "README.md"));
        var outside = files.SelectMany(f => OutsideLinks(File.ReadAllText(f)).Select(l => $"{Path.GetRelativePath(root, f)}: {l}")).ToList();
        Assert.Empty(outside);
        Assert.Equal(2, OutsideLinks("[spec](../shared/spec/domain-rules.md) and /work/shared/seeds").Count);
    }

    /// <summary>Backticked tokens that look like repository paths, with the document's prefixes expanded.</summary>
    private static IEnumerable<string> Paths(string markdown) =>
        Backticked().Matches(markdown).Select(m => m.Groups[1].Value)
            .Where(t => !t.Contains(' ', StringComparison.Ordinal) && !t.Contains('*', StringComparison.Ordinal)
                        && (t.EndsWith(".cs", StringComparison.Ordinal) || t.EndsWith(".cshtml", StringComparison.Ordinal)
                            || t.EndsWith(".md", StringComparison.Ordinal) || t.EndsWith('/'))
                        && t.Contains('/', StringComparison.Ordinal))
            .Select(t => Prefixes.FirstOrDefault(p => t.StartsWith(p.Key, StringComparison.Ordinal)) is { Key: not null } p ? p.Value + t[p.Key.Length..] : t)
            .Distinct(StringComparer.Ordinal);

    /// <summary>Test method names in backticks (<c>Class.R12_…</c> or <c>R12_…</c>), wildcards left out.</summary>
    private static List<string> TestNames(string markdown) =>
        TestName().Matches(markdown).Select(m => m.Groups[1].Value).Where(n => !n.EndsWith('_')).Distinct(StringComparer.Ordinal).ToList();

    private static List<string> OutsideLinks(string markdown) =>
        OutsideLink().Matches(markdown).Select(m => m.Value).ToList();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"(?<![\w*])(R\d+b?_[A-Za-z0-9_]+)(?![\w*])")]
    private static partial Regex TestName();

    [GeneratedRegex(@"\]\((\.\./)+[^)]*\)|/work/[\w./-]+|\.\./shared/[\w./-]*")]
    private static partial Regex OutsideLink();
}

/// <summary>The repository's root, found from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reminders.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Reminders.sln not found above the test's directory.");
    }
}
