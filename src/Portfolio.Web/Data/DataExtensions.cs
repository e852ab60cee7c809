using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Data;

public static class DataExtensions
{
    /// <summary>Stateless (each context keeps its own lease), so one serves every SQLite context.</summary>
    private static readonly SqliteWriteGateInterceptor WriteGate = new();

    /// <summary>Stateless too; one serves every PostgreSQL context.</summary>
    private static readonly UnrecycledNpgsqlCommands FreshCommands = new();

    /// <summary>Name of the connection string used for both providers.</summary>
    public const string ConnectionStringName = "Portfolio";

    /// <summary>
    /// Registers both provider contexts and resolves <see cref="PortfolioDbContext"/> to the configured one.
    /// The choice is read when a context is first needed (not while the builder runs), so every
    /// configuration source — including the ones tests add late — is taken into account.
    /// </summary>
    public static WebApplicationBuilder AddPortfolioData(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.SectionName)
            .Validate<IConfiguration>((options, configuration) => options.Provider != DatabaseProvider.Postgres
                    || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)),
                "Database:Provider is Postgres but ConnectionStrings:Portfolio is empty. Set it, e.g. " +
                "ConnectionStrings__Portfolio=\"Host=localhost;Database=portfolio;Username=portfolio;Password=...\".")
            .Validate<IConfiguration>((options, configuration) => IsValidConnectionString(options.Provider, configuration.GetConnectionString(ConnectionStringName)),
                "ConnectionStrings:Portfolio is not a connection string for Database:Provider: PostgreSQL takes " +
                "\"Host=…;Database=…;Username=…;Password=…\", SQLite \"Data Source=path/to/file.db\".");

        // One instance: EF keeps one internal service provider per distinct set of interceptors.
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new SqliteConnectionSettings(options.SqliteSynchronous, options.SqliteBusyTimeout);
        });
        // Pooled: the API's writes spent about a tenth of their CPU building a context and its options for every
        // request (perf, tests/bench/api.sh). A pooled context is reset and reused; its options are built once.
        builder.Services.AddDbContextPool<SqlitePortfolioDbContext>((services, db) => db
            .UseSqlite(SqliteConnectionString(services))
            .AddInterceptors(services.GetRequiredService<SqliteConnectionSettings>(), WriteGate, services.GetRequiredService<StorageFaults>())
            .ConfigureWarnings(IgnorePendingModelChanges));
        builder.Services.AddDbContextPool<PostgresPortfolioDbContext>((services, db) => db
            .UseNpgsql(PostgresConnectionString(services))
            .AddInterceptors(services.GetRequiredService<StorageFaults>(), FreshCommands)
            .ConfigureWarnings(IgnorePendingModelChanges));
        builder.Services.AddScoped<PortfolioDbContext>(services =>
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? services.GetRequiredService<PostgresPortfolioDbContext>()
                : services.GetRequiredService<SqlitePortfolioDbContext>());

        builder.Services.AddSingleton<DatabaseStartup>();
        builder.Services.AddSingleton<DatabaseStartupLock>();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddSingleton<SharedJobLock>();
        builder.Services.AddSingleton<SqliteCheckpointService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SqliteCheckpointService>());
        return builder;
    }

    /// <summary>
    /// Loads EF Core's model (the compiled one in <c>Data/CompiledModels</c>, made by tests/compiled-models.sh) and EF
    /// Core's own services on a thread-pool thread and returns at once; the task never fails. The thread that runs
    /// <c>Program</c> has the request pipeline and endpoints to set up first, so on a second core the model is ready by
    /// the time <see cref="PrepareDatabaseAsync"/> needs it (numbers in docs/performance.md). It opens no connection.
    /// Its failure is left for <see cref="PrepareDatabaseAsync"/>, which loads the model anyway after checking the
    /// settings, and reports it there.
    /// </summary>
    public static Task StartLoadingModel(this IServiceProvider services) => Task.Run(() =>
    {
        try
        {
            using var scope = services.CreateScope();
            _ = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>().Model;
        }
        catch (Exception)
        {
            // A bad setting or a model error: reported by PrepareDatabaseAsync (see above).
        }
    });

    /// <summary>
    /// Checks every setting, waits for the database (PostgreSQL: creating it when missing), then applies migrations
    /// (unless turned off).
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services)
    {
        // Settings first: a bad one stops the app before it waits for, creates or migrates a database.
        services.ValidateSettings();
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await services.GetRequiredService<DatabaseStartup>().EnsureReachableAsync(createIfMissing: options.MigrateOnStartup, CancellationToken.None);
        if (options.MigrateOnStartup)
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        }
    }

    // A model/migration mismatch is caught by a test (MigrationsTests), not at start-up.
    private static void IgnorePendingModelChanges(WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(RelationalEventId.PendingModelChangesWarning);

    private static string SqliteConnectionString(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return $"Data Source={services.GetRequiredService<PortfolioPaths>().SqliteDatabase};Pooling=True";
    }

    // Empty for PostgreSQL is checked on start (AddPortfolioData), before any context is made.
    private static string PostgresConnectionString(IServiceProvider services) =>
        WithPoolDefaults(services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName) ?? "");

    private static bool IsValidConnectionString(DatabaseProvider provider, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return true;
        }

        try
        {
            _ = provider == DatabaseProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(connectionString).ConnectionString
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).ConnectionString;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Unless the connection string says otherwise:
    /// <list type="bullet">
    /// <item>Npgsql prepares the statements a connection runs repeatedly and keeps them across uses from the pool.
    /// Without it PostgreSQL parsed and planned every INSERT and lookup again (a quarter of its CPU per contact
    /// message).</item>
    /// <item>A connection going back to the pool is not reset. The reset is seven statements (RESET ALL, UNLISTEN,
    /// advisory unlocks…) that the server runs at the start of the connection's next use, twice per message or
    /// booking: an eighth to a third of PostgreSQL's CPU per write (README, Performance). The app leaves no session
    /// state behind: it sets no settings, listens to nothing, makes no temporary tables, and the migrator releases
    /// its advisory lock itself.</item>
    /// </list>
    /// </summary>
    internal static string WithPoolDefaults(string connectionString)
    {
        // The operator's keys as written (any spelling Npgsql accepts); a setting named there is theirs.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!PreparationKeys.Any(written.ContainsKey))
        {
            // The two preparation settings go together: if either is there, both are the operator's.
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!ResetKeys.Any(written.ContainsKey))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static readonly string[] PreparationKeys = ["Max Auto Prepare", "MaxAutoPrepare", "Auto Prepare Min Usages", "AutoPrepareMinUsages"];
    private static readonly string[] ResetKeys = ["No Reset On Close", "NoResetOnClose"];
}
