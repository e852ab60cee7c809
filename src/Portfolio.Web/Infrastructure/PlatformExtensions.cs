using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Portfolio.Web.Data;

namespace Portfolio.Web.Infrastructure;

/// <summary>Proxies the app trusts for X-Forwarded-For/-Proto; nobody else's forwarded headers count.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>IP addresses of trusted reverse proxies, e.g. <c>10.0.0.5</c>.</summary>
    [AddressList(AddressKind.Address)]
    public List<string> KnownProxies { get; init; } = [];

    /// <summary>CIDR networks of trusted reverse proxies, e.g. <c>10.0.0.0/24</c>.</summary>
    [AddressList(AddressKind.Network)]
    public List<string> KnownNetworks { get; init; } = [];

    public bool Any => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

[OptionsValidator]
public sealed partial class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>;

public enum AddressKind
{
    /// <summary>An IP address, e.g. <c>10.0.0.5</c>.</summary>
    Address,

    /// <summary>A CIDR network, e.g. <c>10.0.0.0/24</c>.</summary>
    Network,
}

/// <summary>Every entry of the list is an address of the kind; the failure names the first that is not.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AddressListAttribute(AddressKind kind) : ValidationAttribute
{
    public AddressKind Kind { get; } = kind;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var wrong = (value as IEnumerable<string> ?? []).FirstOrDefault(entry => Kind == AddressKind.Network
            ? !System.Net.IPNetwork.TryParse(entry, out _)
            : !IPAddress.TryParse(entry, out _));
        return wrong is null
            ? ValidationResult.Success
            : new ValidationResult(Kind == AddressKind.Network
                ? $"The field {validationContext.DisplayName} has '{wrong}', which is not a network like 10.0.0.0/24."
                : $"The field {validationContext.DisplayName} has '{wrong}', which is not an IP address like 10.0.0.5.");
    }
}

public static class PlatformExtensions
{
    public static WebApplicationBuilder AddPortfolioPlatform(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        builder.Services.AddValidatedOptions<ForwardedHeadersSettings, ForwardedHeadersSettingsValidator>(ForwardedHeadersSettings.SectionName);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            var trusted = settings.Value;
            // Not X-Forwarded-Host: host filtering has already checked the Host header when this runs, so a forwarded
            // host would replace a checked value with an unchecked one; the proxy passes the visitor's Host instead
            // (nginx: proxy_set_header Host $host), and links come from Site:PublicUrl anyway.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Deny by default: the framework trusts loopback out of the box, we trust only what is configured.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Every problem carries a trace id the owner can find in the logs; nothing else internal.
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });

        // The framework leaves the antiforgery cookie without Secure even over HTTPS; like the session cookie it must not
        // travel in the clear. SameAsRequest, not Always: the site also runs on plain http://localhost under dotnet run.
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // Keys survive restarts (antiforgery tokens, cookies) and are the same on every instance: they live in the database.
        builder.Services.AddSharedKeys();

        builder.Services.AddValidatedOptions<HealthOptions, HealthOptionsValidator>(HealthOptions.SectionName);
        builder.Services.AddSingleton<StorageFaults>();
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<PortfolioDbContext>("database", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<Email.OutboxHealthCheck>("outbox", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UsePortfolioPlatform(this WebApplication app)
    {
        // With no proxy configured the middleware would trust every client's X-Forwarded-* headers
        // (empty known lists mean "no check"), so it only runs when proxies are named.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Any)
        {
            app.UseForwardedHeaders();
        }

        app.UsePortfolioRequestLogging();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler("/error/500");
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        // Browsers get the friendly 404/4xx pages, API clients get ProblemDetails.
        app.UseWhen(context => !RequestKind.IsApi(context.Request),
            branch => branch.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseWhen(context => RequestKind.IsApi(context.Request),
            branch => branch.UseStatusCodePages());
        return app;
    }

    public static WebApplication MapPortfolioHealth(this WebApplication app)
    {
        // Liveness: the process answers. Readiness: the database answers, writes have disk space (Unhealthy, 503 otherwise),
        // and mails go out (Degraded, still 200, when they die or wait too long).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return app;
    }
}
