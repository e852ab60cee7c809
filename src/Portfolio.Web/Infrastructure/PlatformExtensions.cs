using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Portfolio.Web.Data;

namespace Portfolio.Web.Infrastructure;

/// <summary>Proxies the app trusts for X-Forwarded-For/-Proto; nobody else's forwarded headers count.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>IP addresses of trusted reverse proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; init; } = [];

    /// <summary>CIDR networks of trusted reverse proxies, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; init; } = [];
}

public static class PlatformExtensions
{
    public static WebApplicationBuilder AddPortfolioPlatform(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var trusted = builder.Configuration.GetSection(ForwardedHeadersSettings.SectionName).Get<ForwardedHeadersSettings>()
                      ?? new ForwardedHeadersSettings();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
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

        // Keys survive restarts (antiforgery tokens, cookies); scaled-out instances share them via the folder or, later, the database.
        builder.Services.AddDataProtection()
            .SetApplicationName("Portfolio")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(new PortfolioPaths(builder.Environment.ContentRootPath).Data, "keys")));

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<PortfolioDbContext>("database", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UsePortfolioPlatform(this WebApplication app)
    {
        // With no proxy configured the middleware would trust every client's X-Forwarded-* headers
        // (empty known lists mean "no check"), so it only runs when proxies are named.
        var trusted = app.Configuration.GetSection(ForwardedHeadersSettings.SectionName).Get<ForwardedHeadersSettings>();
        if (trusted is { KnownProxies.Count: > 0 } or { KnownNetworks.Count: > 0 })
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
        // Liveness: the process answers. Readiness: the database answers too.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
