using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The app in process, on a fresh content root (so its data, logs and media stay out of the repo) and a
/// fresh database of the provider the run asks for. The clock is a <see cref="ManualClock"/>.
/// With sample content (the default), the database is a copy of <see cref="SampleSiteTemplate"/>: what the app's
/// first start on an empty database leaves, made once per test run instead of once per fixture.
/// </summary>
public class PortfolioApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>PBKDF2 iterations of the password hashes made in the test apps (see <see cref="ConfigureWebHost"/>).</summary>
    public const int TestPasswordHashIterations = 1_000;

    private TestDatabase? _database;

    public PortfolioApp()
        : this("portfolio-test-")
    {
    }

    /// <summary>An app whose fresh content root's folder name starts with <paramref name="contentRootPrefix"/>.</summary>
    protected PortfolioApp(string contentRootPrefix)
    {
        ContentRoot = Directory.CreateTempSubdirectory(contentRootPrefix).FullName;
    }

    public string ContentRoot { get; }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public TestDatabase Database => _database ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Whether the app imports the sample site on start (default yes).</summary>
    protected virtual bool ImportSampleContent => true;

    /// <summary>
    /// Whether the database starts as a copy of <see cref="SampleSiteTemplate"/> (default: when sample content is
    /// imported) rather than empty, for the app to migrate and import on its own first start.
    /// </summary>
    protected virtual bool StartsFromTemplate => ImportSampleContent;

    /// <summary>The database the app starts on: a template's copy or an empty one (see <see cref="StartsFromTemplate"/>).</summary>
    protected virtual Task<TestDatabase> CreateDatabaseAsync() =>
        StartsFromTemplate ? SampleSiteTemplate.CopyAsync(ContentRoot) : TestDatabase.CreateAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        await BeforeAppStartsAsync();
        // Starting the server runs migrations and the sample-content import (both find nothing to do on a template's copy).
        if (RunsOnKestrel)
        {
            UseKestrel(0);
            StartServer();
        }
        else
        {
            _ = Server;
        }
    }

    /// <summary>
    /// Serve over real HTTP (Kestrel on a free loopback port) instead of the in-memory TestServer, for tests
    /// that depend on what only a real server does, such as enforcing request body size limits (413).
    /// <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> then talks to Kestrel.
    /// </summary>
    protected virtual bool RunsOnKestrel => false;

    /// <summary>Runs after the database exists and before the app starts: start what the app must find (an SMTP server, say).</summary>
    protected virtual Task BeforeAppStartsAsync() => Task.CompletedTask;

    /// <summary>Runs after the app has stopped and its database is gone: stop what <see cref="BeforeAppStartsAsync"/> started.</summary>
    protected virtual Task AfterAppStoppedAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        await AfterAppStoppedAsync();
        try
        {
            Directory.Delete(ContentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be held open for a moment; the temp folder is cleaned by the OS.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(ContentRoot);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider);
        builder.UseSetting("ConnectionStrings:Portfolio", Database.ConnectionString ?? "");
        builder.UseSetting("Content:ImportSampleContent", ImportSampleContent ? "true" : "false");
        builder.UseSetting("Content:SchedulerInterval", "01:00:00");
        // The app's own information logs would bury the test output; warnings and errors still show.
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Warning");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            // Every user a test creates and every sign-in hashes a password: 508 hashes in the SQLite suite, at 68 ms of CPU
            // each with Identity's 100,000 PBKDF2 iterations (34 s of the suite's 230 CPU seconds on the 2-core CI machine).
            // These tests are about who may sign in, not about the hash's cost, so they hash with 1,000 iterations (0.7 ms).
            // The app keeps Identity's default: PasswordHashingTests checks it on an app without this line.
            services.Configure<PasswordHasherOptions>(options => options.IterationCount = TestPasswordHashIterations);
        });
    }

    /// <summary>Runs work against the app's services in a fresh scope (like one request would).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task WithScopeAsync(Func<IServiceProvider, Task> work) =>
        WithScopeAsync<object?>(async services =>
        {
            await work(services);
            return null;
        });

    public Task<T> WithContentAsync<T>(Func<ContentService, Task<T>> work) =>
        WithScopeAsync(services => work(services.GetRequiredService<ContentService>()));

    public Task WithDbAsync(Func<PortfolioDbContext, Task> work) =>
        WithScopeAsync(services => work(services.GetRequiredService<PortfolioDbContext>()));

    /// <summary>A client that does not follow redirects, so tests see 301s as they are.</summary>
    public HttpClient CreatePlainClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}

/// <summary>
/// The app on an empty database that imports the sample site on its own first start (no template copy), for the
/// tests of that import.
/// </summary>
public sealed class FirstStartPortfolioApp : PortfolioApp
{
    protected override bool StartsFromTemplate => false;
}

/// <summary>The app with an empty database: no sample content.</summary>
public sealed class EmptyPortfolioApp : PortfolioApp
{
    protected override bool ImportSampleContent => false;
}
