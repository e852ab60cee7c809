using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Data;

public static partial class DataExtensions
{
    /// <summary>Name of the connection string used for both providers.</summary>
    public const string ConnectionStringName = "Portfolio";

    public static WebApplicationBuilder AddPortfolioData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        var paths = new PortfolioPaths(builder.Environment.ContentRootPath);

        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Database:Provider is Postgres but ConnectionStrings:Portfolio is empty. " +
                        "Set it, e.g. ConnectionStrings__Portfolio=\"Host=localhost;Database=portfolio;Username=portfolio;Password=...\".");
                }

                builder.Services.AddDbContext<PostgresPortfolioDbContext>(db => db
                    .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory"))
                    .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
                builder.Services.AddScoped<PortfolioDbContext>(sp => sp.GetRequiredService<PostgresPortfolioDbContext>());
                break;
            default:
                var sqlite = string.IsNullOrWhiteSpace(connectionString)
                    ? $"Data Source={Path.Combine(paths.Data, "portfolio.db")};Cache=Shared;Pooling=True"
                    : connectionString;
                builder.Services.AddDbContext<SqlitePortfolioDbContext>(db => db
                    .UseSqlite(sqlite)
                    .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
                builder.Services.AddScoped<PortfolioDbContext>(sp => sp.GetRequiredService<SqlitePortfolioDbContext>());
                break;
        }

        builder.Services.AddSingleton<DatabaseMigrator>();
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
}
