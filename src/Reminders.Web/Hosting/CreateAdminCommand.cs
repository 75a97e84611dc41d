using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;

namespace Reminders.Web.Hosting;

/// <summary>
/// <c>create-admin EMAIL</c>: the first admin of a production install. A random password is printed once
/// and must be changed at the first sign-in: no default password exists outside Development's demo accounts.
/// </summary>
internal static class CreateAdminCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length != 2)
        {
            await output.WriteLineAsync("Användning: create-admin EPOST");
            return 2;
        }

        var email = args[1].Trim();
        if (!new InlineValidator<string> { v => v.RuleFor(x => x).EmailAddress() }.Validate(email).IsValid)
        {
            await output.WriteLineAsync($"Ogiltig e-postadress: {email}");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        var password = StaffAccounts.GeneratePassword();
        var result = await accounts.CreateAsync(email, email, password, [StaffRoles.Admin], [], mustChangePassword: true);
        if (!result.Succeeded)
        {
            await output.WriteLineAsync("Kontot kunde inte skapas: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            return 1;
        }

        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email);
        await scope.ServiceProvider.GetRequiredService<AuditLog>().AppendNowAsync(AuditAction.UserAdmin, Actor.System with { Channel = ChangeChannel.Command }, null, null,
            new { user = user!.Id, change = "created-admin" }, cancellationToken);

        await output.WriteLineAsync($"Administratören {email} är skapad.");
        await output.WriteLineAsync($"Engångslösenord (visas bara nu, byts vid första inloggningen): {password}");
        return 0;
    }
}
