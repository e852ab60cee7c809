using Portfolio.Web.Api;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Email;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Media;
using Portfolio.Web.Site;

// Builds and prepares the site, then runs it; a failure to start is one log line and exit code 1.
return await PortfolioHost.RunAsync(args, BuildSiteAsync);

static async Task<WebApplication> BuildSiteAsync(string[] args)
{
    var builder = WebApplication.CreateBuilder(PortfolioHost.Arguments(args));

    // Where data, logs and media live: everything under {ContentRoot}/umbraco/.
    builder.AddPortfolioPaths();
    // Serilog: console and rolling files in umbraco/Logs, as text or compact JSON; one line per request.
    builder.AddPortfolioLogging();
    // OpenTelemetry traces and metrics over OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    builder.AddPortfolioTelemetry();
    // Forwarded headers from trusted proxies, ProblemDetails, security headers, health checks.
    builder.AddPortfolioPlatform();
    // Per-IP rate limits for API reads and writes (429 with Retry-After).
    builder.AddPortfolioRateLimiting();
    // EF Core on SQLite (default) or PostgreSQL, migrations applied on start.
    builder.AddPortfolioData();
    // The content engine: document types, versions, publishing, schedules, sample content.
    builder.AddContentEngine();
    // The mail outbox, its dispatcher and the SMTP / pickup-folder transports.
    builder.AddEmail();
    // Contact messages and their spam defences.
    builder.AddContact();
    // Experts' availability, free slots, bookings, calendar invitations.
    builder.AddBookings();
    // The public JSON API and its OpenAPI document.
    builder.AddPublicApi();
    // Public pages (Razor Pages), output cache, sitemap, feeds.
    builder.AddPublicSite();
    // The backoffice at /umbraco: users and roles (Identity), sign-in, two-factor, session cookie, audit log.
    builder.AddBackoffice();
    // The media library: images checked by their bytes, stored in umbraco/media, served from /media/{name}.
    builder.AddMediaLibrary();

    var app = builder.Build();

    // Order matters: see "Request path" in README.md.
    app.UsePortfolioPlatform();
    app.UsePublicSite();

    app.MapPortfolioHealth();
    app.MapPublicApi();
    app.MapPublicSite();
    app.MapMediaLibrary();

    await app.Services.PrepareDatabaseAsync();
    await app.Services.PrepareBackofficeAsync();
    await app.Services.ImportSampleContentAsync();

    return app;
}

/// <summary>Entry point; public so integration tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
