using System.Text.RegularExpressions;

namespace Reminders.Web.Tests.Architecture;

/// <summary>
/// The docs stay true to the code: every repository path docs/ and the README name exists (docs/rules.md names, for
/// every rule, the code that implements it), every test docs/rules.md names is a test in the repository, and nothing
/// in docs/ or the README links out of the repository.
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
    public void Every_repository_path_the_docs_and_the_README_name_exists()
    {
        var root = Repository.Root;
        var documents = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("performance-log.md", StringComparison.Ordinal)) // a notebook: paths as they were then
            .Append(Path.Combine(root, "README.md"));
        var missing = documents
            .SelectMany(d => Paths(File.ReadAllText(d)).Where(p => !Exists(root, p)).Select(p => $"{Path.GetRelativePath(root, d)}: {p}"))
            .ToList();
        Assert.Empty(missing);
        Assert.Equal(["src/Reminders.Domain/Nowhere.cs"], Paths("see `D/Nowhere.cs`, `docs/rules.md`, `W/Pages/Admin/Units/Index`, `W/Pages/CheckIn/Patient.cshtml(.cs)` and `docs/decisions/0005`").Where(p => !Exists(root, p)));
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

    private static readonly string[] Roots = ["src/", "tests/", "bench/", "scripts/", "docs/", ".ci/"];

    /// <summary>
    /// Backticked tokens that name a place in the repository (a root folder or one of the rules document's prefixes),
    /// prefixes expanded; globs and files the app creates at run time (under a <c>data/</c> folder) are left out.
    /// </summary>
    private static IEnumerable<string> Paths(string markdown) =>
        Backticked().Matches(markdown).Select(m => m.Groups[1].Value)
            .Where(t => !t.Contains(' ', StringComparison.Ordinal) && !t.Contains('*', StringComparison.Ordinal)
                        && !t.Contains("/data/", StringComparison.Ordinal)
                        && (Roots.Any(r => t.StartsWith(r, StringComparison.Ordinal)) || Prefixes.Keys.Any(k => t.StartsWith(k, StringComparison.Ordinal))))
            .Select(t => Prefixes.FirstOrDefault(p => t.StartsWith(p.Key, StringComparison.Ordinal)) is { Key: not null } p ? p.Value + t[p.Key.Length..] : t)
            .Select(t => t.Split('#')[0].Replace("(.cs)", "", StringComparison.Ordinal).TrimEnd('.', ',', ':', ';'))
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// A file or folder; a page or class named without its extension (<c>W/Pages/Admin/Units/Index</c>); or the start of
    /// a name in its folder (<c>docs/decisions/0005</c> for a decision record).
    /// </summary>
    private static bool Exists(string root, string path)
    {
        var full = Path.Combine(root, path);
        if (File.Exists(full) || Directory.Exists(full) || File.Exists(full + ".cs") || File.Exists(full + ".cshtml"))
        {
            return true;
        }

        var folder = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        return name.Length > 0 && folder is not null && Directory.Exists(folder)
            && Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFileName(e).StartsWith(name + "-", StringComparison.Ordinal));
    }

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
