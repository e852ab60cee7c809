using Microsoft.Extensions.Options;

namespace Portfolio.Web.Email;

public static class EmailExtensions
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.EffectiveTransport != EmailTransportKind.Smtp || !string.IsNullOrWhiteSpace(options.Smtp.Host),
                "Email:Transport is Smtp but Email:Smtp:Host is empty.")
            .Validate(options => MimeKit.MailboxAddress.TryParse(options.From, out _),
                "Email:From is not an address, e.g. TechNext <no-reply@example.com>.")
            .Validate(options => !options.Dkim.Enabled || (!string.IsNullOrWhiteSpace(options.Dkim.Domain) && !string.IsNullOrWhiteSpace(options.Dkim.Selector)),
                "Email:Dkim:PrivateKeyPath is set, so Email:Dkim:Domain and Email:Dkim:Selector must be set too.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EmailDispatchSignal>();
        builder.Services.AddSingleton<EmailOutbox>();
        builder.Services.AddSingleton<MimeMessageFactory>();
        builder.Services.AddSingleton<SmtpMailTransport>();
        builder.Services.AddSingleton<PickupDirectoryMailTransport>();
        // The transport is chosen once at start from configuration: SMTP when a host is set, else the pickup folder.
        builder.Services.AddSingleton<IMailTransport>(services =>
            services.GetRequiredService<IOptions<EmailOptions>>().Value.EffectiveTransport == EmailTransportKind.Smtp
                ? services.GetRequiredService<SmtpMailTransport>()
                : services.GetRequiredService<PickupDirectoryMailTransport>());
        builder.Services.AddSingleton<EmailDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmailDispatcher>());
        return builder;
    }
}
