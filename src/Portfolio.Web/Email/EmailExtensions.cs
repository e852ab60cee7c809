using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Email;

public static class EmailExtensions
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<EmailOptions, EmailOptionsValidator>(EmailOptions.SectionName)
            .Validate(options => options.EffectiveTransport != EmailTransportKind.Smtp || !string.IsNullOrWhiteSpace(options.Smtp.Host),
                "Email:Transport is Smtp but Email:Smtp:Host is empty.")
            .Validate(options => options.Dispatcher.MaxDelay >= options.Dispatcher.BaseDelay,
                "Email:Dispatcher:MaxDelay must not be shorter than Email:Dispatcher:BaseDelay.")
            .Validate(options => !options.Dkim.Enabled || (!string.IsNullOrWhiteSpace(options.Dkim.Domain) && !string.IsNullOrWhiteSpace(options.Dkim.Selector)),
                "Email:Dkim:PrivateKeyPath is set, so Email:Dkim:Domain and Email:Dkim:Selector must be set too.");
        builder.Services.AddSingleton<EmailDispatchSignal>();
        builder.Services.AddSingleton<EmailOutbox>();
        builder.Services.AddScoped<OutboxStore>();
        builder.Services.AddSingleton<MimeMessageFactory>();
        builder.Services.AddSingleton<SmtpMailTransport>();
        builder.Services.AddSingleton<PickupDirectoryMailTransport>();
        // The transport is chosen once at start from configuration: SMTP when a host is set, else the pickup folder.
        builder.Services.AddSingleton<IMailTransport>(services =>
            services.GetRequiredService<IOptions<EmailOptions>>().Value.EffectiveTransport == EmailTransportKind.Smtp
                ? services.GetRequiredService<SmtpMailTransport>()
                : services.GetRequiredService<PickupDirectoryMailTransport>());
        builder.Services.AddSingleton<EmailDispatcher>();
        builder.Services.AddScoped<OwnerMailQueue>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmailDispatcher>());
        return builder;
    }
}
