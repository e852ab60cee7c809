using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Webhooks;

public static class WebhookExtensions
{
    /// <summary>Outgoing webhooks: the queue written with each change, its dispatcher, and the administrator's page.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(WebhookOptions.SectionName)
            .Validate(options => options.MaxDelay >= options.BaseDelay, "Webhooks:MaxDelay must not be shorter than Webhooks:BaseDelay.")
            .Validate(options => options.Lease > options.Timeout, "Webhooks:Lease must be longer than Webhooks:Timeout, or a slow post could go twice.");
        builder.Services.AddSingleton<WebhookDispatchSignal>();
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddSingleton<WebhookAddressPolicy>();
        builder.Services.AddScoped<WebhookStore>();
        builder.Services.AddScoped<WebhookAdministration>();
        // The per-attempt timeout is the dispatcher's (Webhooks:Timeout); the client's own is off so that one rules.
        builder.Services.AddHttpClient(WebhookDispatcher.ClientName, client =>
            {
                client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Portfolio-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(services => WebhookDispatcher.CreateHandler(services.GetRequiredService<WebhookAddressPolicy>()));
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookDispatcher>());
        return builder;
    }
}
