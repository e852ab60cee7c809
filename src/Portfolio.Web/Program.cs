using Portfolio.Web.Api;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Delivery;
using Portfolio.Web.Email;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Media;
using Portfolio.Web.Privacy;
using Portfolio.Web.Search;
using Portfolio.Web.Site;
using Portfolio.Web.Webhooks;

// `backup --to FILE` and `restore --from FILE` run instead of the site (Backup/BackupCommand.cs).
if (Portfolio.Web.Backup.BackupCommand.IsCommand(args))
{
    return await Portfolio.Web.Backup.BackupCommand.RunAsync(args);
}

// Builds and prepares the site, then runs it; a failure to start is one log line and exit code 1.
return await PortfolioHost.RunAsync(args, BuildSiteAsync);

static async Task<WebApplication> BuildSiteAsync(string[] args)
{
    var builder = WebApplication.CreateBuilder(PortfolioHost.Arguments(args));

    // Platform: where files live, logs, telemetry, proxies and errors, rate limits, the database.
    // Where data, logs and media live: everything under {ContentRoot}/umbraco/.
    builder.AddPortfolioPaths();
    // Serilog: console and rolling files in umbraco/Logs, as text or compact JSON; one line per request.
    builder.AddPortfolioLogging();
    // OpenTelemetry traces and metrics over OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    builder.AddPortfolioTelemetry();
    // Forwarded headers from trusted proxies, ProblemDetails, security headers, health checks.
    builder.AddPortfolioPlatform();
    // The public address (Site:PublicUrl) every absolute link is built from, and the only host answered.
    builder.AddSiteUrls();
    // Per-IP rate limits for API reads and writes and backoffice sign-in (429 with Retry-After).
    builder.AddPortfolioRateLimiting();
    // EF Core on SQLite (default) or PostgreSQL, migrations applied on start.
    builder.AddPortfolioData();

    // Capabilities: each folder holds its logic, store, options and these calls.
    // Content: document types, versions, publishing, schedules, redirects, sample content, the editor's forms.
    builder.AddContentEngine();
    // Search: the public full-text index (SQLite FTS5 / PostgreSQL tsvector) that follows publishing, and /search.
    builder.AddSiteSearch();
    // Email: the outbox, its dispatcher, the SMTP / pickup-folder transports, the owner's mail queue.
    builder.AddEmail();
    // Contact: messages from the form and the API, spam defences, the owner's inbox.
    builder.AddContact();
    // Booking: availability, free slots, bookings, calendar invitations, the owner's bookings and availability editor.
    builder.AddBookings();
    // Webhooks: events queued with the change that caused them, signed and posted with retries; the administrator's page.
    builder.AddWebhooks();
    // Media: images checked by their bytes, stored in umbraco/media, served from /media/{name}.
    builder.AddMediaLibrary();
    // Privacy: retention of personal data and erasure on request.
    builder.AddPrivacy();
    // The public JSON API's conventions and its OpenAPI document.
    builder.AddPublicApi();
    // The content delivery API at /umbraco/delivery/api/v2/content (Umbraco's shape), its CORS origins and preview key.
    builder.AddContentDelivery();
    // Public pages (Razor Pages), output cache, sitemap, feeds.
    builder.AddPublicSite();
    // Backoffice access at /umbraco: users and roles (Identity), sign-in, two-factor, session cookie. After the public
    // site: its page conventions apply to the Razor Pages that AddPublicSite registers.
    builder.AddBackoffice();

    var app = builder.Build();
    // EF Core's compiled model and services load on another core meanwhile, ready before the database is prepared.
    var modelLoaded = app.Services.StartLoadingModel();

    // Order matters: see "Request path" in README.md.
    app.UsePortfolioPlatform();
    app.UsePublicSite();
    app.UseContentDelivery();
    app.UsePortfolioRateLimiting();
    app.UseBackoffice();
    app.UseAntiforgery();

    app.MapPortfolioHealth();
    app.MapPublicApi();
    app.MapContentDelivery();
    app.MapContact();
    app.MapBookings();
    app.MapMediaLibrary();
    app.MapBackoffice();
    app.MapPublicSite();

    await modelLoaded;
    await app.Services.PrepareDatabaseAsync();
    await app.Services.PrepareSharedKeysAsync();
    await app.Services.PrepareBackofficeAsync();
    await app.Services.ImportSampleContentAsync();
    await app.Services.RebuildSearchIndexAsync();
    await app.Services.BackfillBookingDaysAsync();

    return app;
}

/// <summary>Entry point; public so integration tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
