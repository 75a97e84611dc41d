using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Reminders.Infrastructure.Seeding;
using Reminders.Testing;

namespace Reminders.BrowserTests;

/// <summary>The browser tests share one app and one browser.</summary>
[CollectionDefinition("browser")]
public sealed class BrowserTestsDefinition : ICollectionFixture<AppServerFixture>;

/// <summary>
/// The real app on Kestrel on a loopback port (Development: plain HTTP, demo data seeded) and Debian's
/// chromium driven by Playwright .NET. Playwright never downloads a browser here: the executable is
/// <c>REMINDERS_CHROMIUM</c> or <c>/usr/bin/chromium</c> (installed by scripts/test.sh).
/// </summary>
public sealed class AppServerFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The app under test.</summary>
    public RemindersFactory Factory { get; } = new RemindersFactory { EnvironmentName = "Development" }
        .With("Seed:Demo", "true")
        .With("Dispatcher:Enabled", "false");

    /// <summary>The app's base URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Where screenshots go (kept as test artifacts).</summary>
    public static string ScreenshotDirectory { get; } =
        Path.Combine(Environment.GetEnvironmentVariable("REMINDERS_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts"), "screenshots");

    public async Task InitializeAsync()
    {
        Factory.UseKestrel(0);
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("REMINDERS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A new page in a fresh browser context (its own cookies), with a Swedish locale.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(new BrowserNewContextOptions { BaseURL = BaseUrl });

    /// <summary>
    /// A new page on another app of the test's own, e.g. <see cref="OidcHarness"/>'s on HTTPS with its self-signed
    /// loopback certificate (which this context accepts).
    /// </summary>
    public Task<IPage> NewPageAsync(string baseUrl) => NewPageAsync(new BrowserNewContextOptions { BaseURL = baseUrl, IgnoreHTTPSErrors = true });

    private async Task<IPage> NewPageAsync(BrowserNewContextOptions options)
    {
        options.Locale = "sv-SE";
        options.TimezoneId = "Europe/Stockholm";
        var context = await _browser!.NewContextAsync(options);
        // Generous: CI runs the integration and browser suites side by side on 2 cores, and a sign-in hashes a password.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in through the sign-in form; a user with several units picks the first.</summary>
    public async Task<IPage> SignedInPageAsync(string email, string password = DemoDataSeeder.DemoPassword)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        await LeftAsync(page, "/Account/SignIn");
        if (page.Url.Contains("/Account/ChooseUnit", StringComparison.Ordinal))
        {
            await page.Locator("input[name=Unit]").First.CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
            await LeftAsync(page, "/Account/ChooseUnit");
        }

        return page;
    }

    /// <summary>
    /// Waits until the page has left <paramref name="path"/> by polling its URL. Not WaitForURLAsync: when the
    /// navigation has already committed it waits for a load state instead, and with <c>Commit</c> (not a load
    /// state) that wait never ends; CI timed out there once. Later locator calls wait for the new document.
    /// </summary>
    public static Task LeftAsync(IPage page, string path) =>
        Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path)), new() { Timeout = 30_000 });

    /// <summary>Runs axe-core in the page; fails on any serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"Accessibility violations on {page.Url}:\n" + string.Join("\n", serious.Select(Describe)));
    }

    /// <summary>Saves a full-page screenshot under <see cref="ScreenshotDirectory"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Factory.Dispose();
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Impact}: {violation.Id} – {violation.Help} ({string.Join(", ", violation.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})";
}
