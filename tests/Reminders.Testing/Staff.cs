using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Testing;

/// <summary>Arranging units and staff accounts, and clients signed in through the real sign-in form.</summary>
public static class Staff
{
    /// <summary>The password of every test account.</summary>
    public const string Password = "Test-Password-2025";

    /// <summary>The unit test accounts work at unless told otherwise.</summary>
    public static HsaId UnitA { get; } = HsaId.FromTrusted("SE2321000115-T1000A");

    /// <summary>A second unit.</summary>
    public static HsaId UnitB { get; } = HsaId.FromTrusted("SE2321000115-T2000B");

    /// <summary>A unit of another clinic.</summary>
    public static HsaId UnitC { get; } = HsaId.FromTrusted("SE2321000115-T3000C");

    /// <summary>Creates the three test units (idempotent).</summary>
    public static async Task EnsureUnitsAsync(this RemindersFactory factory)
    {
        await using var db = factory.NewDbContext();
        foreach (var (id, name, clinic) in new[] { (UnitA, "Testmottagning A", "Testkliniken"), (UnitB, "Testmottagning B", "Testkliniken"), (UnitC, "Annan mottagning C", "Andra kliniken") })
        {
            if (await db.Units.FindAsync(id) is null)
            {
                db.Units.Add(CareUnit.Create(id, name, clinic, usesSmsReminders: true, offersSelfCheckIn: true));
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Creates an account with <see cref="Password"/>; returns its user id.</summary>
    public static async Task<string> CreateStaffAsync(this RemindersFactory factory, string email, string[] roles, HsaId[]? units = null, bool mustChangePassword = false, bool isDemo = false)
    {
        await factory.EnsureUnitsAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        var result = await accounts.CreateAsync(email, email.Split('@')[0], Password, roles, units ?? [UnitA], mustChangePassword, isDemo);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        return db.Users.Single(u => u.Email == email).Id;
    }

    /// <summary>A client on https (the session cookie is Secure) that does not follow redirects.</summary>
    public static HttpClient NewClient(this RemindersFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    /// <summary>Signs in through the real form; returns the response of the form post.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password = Password)
    {
        var page = await client.GetPageAsync("/Account/SignIn");
        return await client.SubmitAsync(page, "#sign-in", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    /// <summary>A client signed in as a new account with the given roles (unit chosen when it has one).</summary>
    public static async Task<HttpClient> SignedInClientAsync(this RemindersFactory factory, string email, string[] roles, HsaId[]? units = null)
    {
        await factory.CreateStaffAsync(email, roles, units);
        var client = factory.NewClient();
        var response = await client.SignInAsync(email);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {email} answered {(int)response.StatusCode}.");
        }

        return client;
    }

    /// <summary>Chooses the unit the user works from this session (needed when the account has several).</summary>
    public static async Task ChooseUnitAsync(this HttpClient client, HsaId unit)
    {
        var page = await client.GetPageAsync("/Account/ChooseUnit");
        var response = await client.SubmitAsync(page, "#choose-unit", new Dictionary<string, string> { ["Unit"] = unit.Value });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Choosing unit {unit.Value} answered {(int)response.StatusCode}.");
        }
    }
}
