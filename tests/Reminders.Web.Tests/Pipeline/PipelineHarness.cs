using Microsoft.Extensions.DependencyInjection;
using Reminders.Infrastructure.Messaging;
using Reminders.Testing;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>The app speaking to a real loopback provider, with the dispatcher driven by the test and the fake clock.</summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string User = "region-user";
    public const string Password = "secret-pw";

    private PipelineHarness(LoopbackSmsProvider provider, ApiHarness api)
    {
        Provider = provider;
        Api = api;
    }

    public LoopbackSmsProvider Provider { get; }

    public ApiHarness Api { get; }

    public SmsDispatcher Dispatcher => Api.Factory.Services.GetRequiredService<SmsDispatcher>();

    public static async Task<PipelineHarness> StartAsync(Action<RemindersFactory>? configure = null)
    {
        var provider = await LoopbackSmsProvider.StartAsync();
        var api = new ApiHarness(f =>
        {
            f.With("Sms:Provider", "FortySixElks")
                .With("Sms:FortySixElks:BaseUrl", provider.BaseUrl.ToString())
                .With("Sms:FortySixElks:Username", User)
                .With("Sms:FortySixElks:Password", Password)
                // Generous: on a loaded 2-core CI machine a 1 s time-out let the loopback provider's answer arrive
                // after the dispatcher gave up, and the retry (which the contract requires) sent it again. Tests of
                // the time-out itself set a short one.
                .With("Sms:FortySixElks:Timeout", "00:00:10")
                .With("Sms:From", "Regionen")
                .With("Sms:CallbackBaseUrl", "https://paminnelser.example.se");
            configure?.Invoke(f);
        });
        return new PipelineHarness(provider, api);
    }

    public Task<DispatchSummary> DispatchAsync() => Dispatcher.DispatchDueAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Provider.DisposeAsync();
    }
}
