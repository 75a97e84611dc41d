using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Testing;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

public sealed class AdminSmsPageTests
{
    [Fact]
    public async Task Admin_page_is_refused_to_an_api_client_without_a_staff_session()
    {
        using var api = new ApiHarness();
        var response = await api.Client.GetAsync("/Admin/Sms");
        // An API key is no staff session: the page sends it to the staff sign-in.
        Assert.Contains("/Account/SignIn", response.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sink_gateway_stores_the_SMS_and_the_admin_page_shows_counts_and_masked_numbers()
    {
        using var api = new ApiHarness();
        await api.ActivatedAdultWithBookingAsync(Duration.FromHours(30), mobile: "0701740611");
        await api.Factory.Services.GetRequiredService<Infrastructure.Messaging.SmsDispatcher>().DispatchDueAsync(CancellationToken.None);

        var admin = await api.Factory.SignedInClientAsync("admin@test.invalid", [Infrastructure.Identity.StaffRoles.Admin], []);
        var page = await admin.GetPageAsync("/Admin/Sms");

        var html = page.Body!.TextContent;
        Assert.Contains("Skickade", html, StringComparison.Ordinal);
        Assert.Contains("••••••••••11", html, StringComparison.Ordinal); // +46701740611 masked but for the last two digits
        Assert.DoesNotContain("701740611", html, StringComparison.Ordinal);
        Assert.Contains("Påminnelse om bokad kontakt med Vårdcentralen Ekdal", html, StringComparison.Ordinal);
    }
}
