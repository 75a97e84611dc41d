using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Hosting;

/// <summary>
/// <c>create-admin EMAIL</c>: the first admin of a production install. A random password is printed once
/// and must be changed at the first sign-in: no default password exists outside Development's demo accounts.
/// </summary>
internal static class CreateAdminCommand
{
    public static string Help => $"""
        Usage: create-admin EMAIL

        Creates an admin account with a random one-time password, which must be changed at the first sign-in.
        stdout: {"{"}"email": "...", "password": "...", "mustChangePassword": true{"}"} (the only time the password is shown)
        Uses only the database settings (Database:Provider, ConnectionStrings:Reminders, Data:Directory).
        {Commands.ExitCodesHelp}
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var own = Commands.OwnArguments(args);
        if (own.Count != 1 || own[0].StartsWith('-'))
        {
            await error.WriteLineAsync("create-admin: expected one argument, the admin's email address. Usage: create-admin EMAIL");
            return ExitCodes.Usage;
        }

        var email = own[0].Trim();
        if (!new InlineValidator<string> { v => v.RuleFor(x => x).EmailAddress() }.Validate(email).IsValid)
        {
            await error.WriteLineAsync($"create-admin: '{email}' is not an email address. Nothing was created.");
            return ExitCodes.InputUnusable;
        }

        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            await error.WriteLineAsync($"create-admin: an account with the address '{email}' exists already. Nothing was created.");
            return ExitCodes.InputUnusable;
        }

        var password = StaffAccounts.GeneratePassword();
        var result = await accounts.CreateAsync(email, email, password, [StaffRoles.Admin], [], mustChangePassword: true);
        if (!result.Succeeded)
        {
            // Identity's messages are the staff UI's (Swedish); the codes name the problem for an operator.
            await error.WriteLineAsync("create-admin: the account could not be created (" + string.Join(", ", result.Errors.Select(e => e.Code)) + "). Nothing was created.");
            return ExitCodes.InputUnusable;
        }

        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var user = await users.FindByEmailAsync(email);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Record(AuditActions.UserAdmin, "Command",
            details: new { user = user!.Id, change = "created-admin" }, actor: Actor.System);
        await db.SaveChangesAsync(cancellationToken);

        await output.WriteLineAsync(JsonSerializer.Serialize(new { email, password, mustChangePassword = true }, JsonSerializerOptions.Web));
        await error.WriteLineAsync($"create-admin: the admin {email} is created; the password above is shown only now and must be changed at the first sign-in.");
        return ExitCodes.Done;
    }
}
