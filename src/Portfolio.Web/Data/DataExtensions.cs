using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Data;

public static class DataExtensions
{
    /// <summary>Name of the connection string used for both providers.</summary>
    public const string ConnectionStringName = "Portfolio";

    /// <summary>
    /// Registers both provider contexts and resolves <see cref="PortfolioDbContext"/> to the configured one.
    /// The choice is read when a context is first needed (not while the builder runs), so every
    /// configuration source — including the ones tests add late — is taken into account.
    /// </summary>
    public static WebApplicationBuilder AddPortfolioData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);

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
            .AddInterceptors(services.GetRequiredService<SqliteConnectionSettings>())
            .ConfigureWarnings(IgnorePendingModelChanges));
        builder.Services.AddDbContextPool<PostgresPortfolioDbContext>((services, db) => db
            .UseNpgsql(PostgresConnectionString(services))
            .ConfigureWarnings(IgnorePendingModelChanges));
        builder.Services.AddScoped<PortfolioDbContext>(services =>
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? services.GetRequiredService<PostgresPortfolioDbContext>()
                : services.GetRequiredService<SqlitePortfolioDbContext>());

        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddSingleton<SqliteCheckpointService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SqliteCheckpointService>());
        return builder;
    }

    /// <summary>Applies migrations on start (unless turned off).</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
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

        var file = Path.Combine(services.GetRequiredService<PortfolioPaths>().Data, "portfolio.db");
        return $"Data Source={file};Pooling=True";
    }

    private static string PostgresConnectionString(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                "Database:Provider is Postgres but ConnectionStrings:Portfolio is empty. Set it, e.g. " +
                "ConnectionStrings__Portfolio=\"Host=localhost;Database=portfolio;Username=portfolio;Password=...\".");
        }

        return WithPreparedStatements(configured);
    }

    /// <summary>
    /// Unless the connection string says otherwise, Npgsql prepares the statements a connection runs repeatedly
    /// and keeps them across uses from the pool. Without it PostgreSQL parsed and planned every INSERT and lookup
    /// again (a quarter of its CPU per contact message) and each reuse of a pooled connection sent DISCARD ALL.
    /// </summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        // The operator's keys as written (any spelling Npgsql accepts); if either setting is there, both are theirs.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (PreparationKeys.Any(written.ContainsKey))
        {
            return connectionString;
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    private static readonly string[] PreparationKeys = ["Max Auto Prepare", "MaxAutoPrepare", "Auto Prepare Min Usages", "AutoPrepareMinUsages"];
}
