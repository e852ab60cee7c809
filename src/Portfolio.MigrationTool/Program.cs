using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Web.Data;

// Usage: dotnet run --project src/Portfolio.MigrationTool -- add <MigrationName>
//        dotnet run --project src/Portfolio.MigrationTool -- check      (exit 1 when the model has unmigrated changes)
if (args is not (["add", _] or ["check"]))
{
    Console.Error.WriteLine("usage: add <MigrationName> | check");
    return 2;
}

var webProject = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../Portfolio.Web"));
var exitCode = 0;
foreach (var (provider, context) in DesignTimeContexts.Create())
{
    using (context)
    {
        if (args[0] == "check")
        {
            var pending = context.Database.HasPendingModelChanges();
            Console.WriteLine($"{provider}: {(pending ? "model has changes that no migration holds" : "up to date")}");
            exitCode |= pending ? 1 : 0;
            continue;
        }

        var services = new ServiceCollection()
            .AddEntityFrameworkDesignTimeServices()
            .AddDbContextDesignTimeServices(context);
        DesignTimeContexts.AddProviderServices(provider, services);
        using var serviceProvider = services.BuildServiceProvider();
        var scaffolder = serviceProvider.GetRequiredService<IMigrationsScaffolder>();
        var migration = scaffolder.ScaffoldMigration(args[1], "Portfolio.Web", $"Data.Migrations.{provider}", "C#");
        var files = scaffolder.Save(webProject, migration, Path.Combine(webProject, "Data", "Migrations", provider));
        Console.WriteLine($"{provider}: wrote {files.MigrationFile}");
    }
}

return exitCode;

internal static class DesignTimeContexts
{
    public static IEnumerable<(string Provider, PortfolioDbContext Context)> Create()
    {
        // No connection is opened: scaffolding only compares the model with the snapshot.
        yield return ("Sqlite", new SqlitePortfolioDbContext(new DbContextOptionsBuilder<SqlitePortfolioDbContext>()
            .UseSqlite("Data Source=design-time.db").Options));
        yield return ("Postgres", new PostgresPortfolioDbContext(new DbContextOptionsBuilder<PostgresPortfolioDbContext>()
            .UseNpgsql("Host=localhost;Database=design_time").Options));
    }

    public static void AddProviderServices(string provider, IServiceCollection services)
    {
        IDesignTimeServices designTime = provider == "Sqlite"
            ? new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices()
            : new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices();
        designTime.ConfigureDesignTimeServices(services);
    }
}
