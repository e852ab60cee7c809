using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site;

var builder = WebApplication.CreateBuilder(PortfolioHost.WithWebRoot(args));

// Where data, logs and media live: everything under {ContentRoot}/umbraco/.
builder.AddPortfolioPaths();
// Serilog: structured console output and rolling files in umbraco/Logs.
builder.AddPortfolioLogging();
// Forwarded headers from trusted proxies, ProblemDetails, security headers, health checks.
builder.AddPortfolioPlatform();
// EF Core on SQLite (default) or PostgreSQL, migrations applied on start.
builder.AddPortfolioData();
// The content engine: document types, versions, publishing, schedules, sample content.
builder.AddContentEngine();
// Public pages (Razor Pages), output cache, sitemap, feeds.
builder.AddPublicSite();

var app = builder.Build();

// Order matters: see "Request path" in DESIGN.md.
app.UsePortfolioPlatform();
app.UsePublicSite();

app.MapPortfolioHealth();
app.MapPublicSite();

await app.Services.PrepareDatabaseAsync();
await app.Services.ImportSampleContentAsync();

app.Run();

/// <summary>Entry point; public so integration tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
