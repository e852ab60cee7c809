using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Backup;

/// <summary>
/// The command-line verbs <c>backup --to FILE</c> and <c>restore --from FILE [--force] [--send-pending-mail]</c>, run instead
/// of the site: <c>dotnet Portfolio.Web.dll backup --to /backups/site.tar.gz</c>. The remaining arguments are the app's
/// own (<c>--contentRoot</c>, <c>--Database:Provider=…</c>), read with the same configuration sources as the site, so
/// the command finds the same database, media and keys the site uses. A failure is one line on standard error and exit
/// code 1, as a failed start is (<see cref="StartupProblem"/>).
/// </summary>
public static class BackupCommand
{
    public const string BackupVerb = "backup";
    public const string RestoreVerb = "restore";

    public static string AppVersion { get; } =
        typeof(BackupCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Whether the command line asks for a verb rather than the site.</summary>
    public static bool IsCommand(string[] args) => VerbIndex(args) >= 0;

    /// <summary>
    /// Where the verb is: the first argument that is neither an option nor an option's value. The image's entry point
    /// puts <c>--contentRoot /app</c> before whatever <c>docker run … IMAGE backup --to …</c> adds.
    /// </summary>
    private static int VerbIndex(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is BackupVerb or RestoreVerb)
            {
                return i;
            }

            if (!args[i].StartsWith('-'))
            {
                return -1;
            }

            // "--key value" takes the next argument as its value; "--key=value" does not.
            if (!args[i].Contains('=', StringComparison.Ordinal))
            {
                i++;
            }
        }

        return -1;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var at = VerbIndex(args);
        var verb = args[at];
        try
        {
            var (_, file, force, sendPendingMail, rest) = Parse([verb, .. args[..at], .. args[(at + 1)..]]);
            var settings = Settings.Read(rest, createContentRoot: verb == RestoreVerb);
            var summary = verb == BackupVerb
                ? await BackupAsync(settings, file, CancellationToken.None)
                : await RestoreAsync(settings, file, force, sendPendingMail, CancellationToken.None);
            await Console.Out.WriteLineAsync(summary);
            return 0;
        }
        catch (Exception exception) when (Describe(exception) is { } problem)
        {
            await Console.Error.WriteLineAsync($"{(verb == BackupVerb ? "Backup" : "Restore")} failed: {problem}");
            return StartupProblem.ExitCode;
        }
    }

    private static string? Describe(Exception exception) => exception switch
    {
        BackupProblemException known => known.Message,
        SqliteException sqlite => $"SQLite: {BackupArchive.FirstLine(sqlite.Message)}",
        PostgresException postgres => $"PostgreSQL: {postgres.MessageText} ({postgres.SqlState}).",
        NpgsqlException npgsql => $"PostgreSQL could not be reached: {BackupArchive.FirstLine(npgsql.Message)} Check ConnectionStrings:Portfolio.",
        IOException or UnauthorizedAccessException => BackupArchive.FirstLine(exception.Message),
        // Settings the site would refuse too (a bad Database:Provider, say).
        _ => StartupProblem.Describe(exception),
    };

    private static (string Verb, string File, bool Force, bool SendPendingMail, string[] Settings) Parse(string[] args)
    {
        var verb = args[0];
        var option = verb == BackupVerb ? "--to" : "--from";
        string? file = null;
        var force = false;
        var sendPendingMail = false;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == option && i + 1 < args.Length)
            {
                file = args[++i];
            }
            else if (args[i].StartsWith(option + "=", StringComparison.Ordinal))
            {
                file = args[i][(option.Length + 1)..];
            }
            else if (verb == RestoreVerb && args[i] == "--force")
            {
                force = true;
            }
            else if (verb == RestoreVerb && args[i] == "--send-pending-mail")
            {
                sendPendingMail = true;
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return string.IsNullOrWhiteSpace(file)
            ? throw new BackupProblemException($"Say where: {verb} {option} FILE (e.g. {verb} {option} /backups/portfolio.tar.gz).")
            : (verb, Path.GetFullPath(file), force, sendPendingMail, rest.ToArray());
    }

    private static async Task<string> BackupAsync(Settings settings, string file, CancellationToken cancellationToken)
    {
        if (File.Exists(file))
        {
            throw new BackupProblemException($"{file} exists already; a backup never overwrites a file (it may be the last good one).");
        }

        if (settings.Provider == DatabaseProvider.Sqlite && !File.Exists(settings.SqliteFile))
        {
            throw new BackupProblemException($"There is no SQLite database at {settings.SqliteFile}: check --contentRoot (or ConnectionStrings:Portfolio).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        // Beside the archive: the same disk, and writable when the container's root file system is not.
        var staging = Path.Combine(Path.GetDirectoryName(file)!, $".backup-{Guid.NewGuid():N}");
        var partial = file + ".partial";
        Directory.CreateDirectory(staging);
        try
        {
            var createdUtc = DateTime.UtcNow;
            // The database first: a media file is written before its row, so every row in the copy finds its file.
            var database = Path.Combine(staging, BackupArchive.DatabaseEntry(settings.Provider));
            Directory.CreateDirectory(Path.GetDirectoryName(database)!);
            if (settings.Provider == DatabaseProvider.Postgres)
            {
                await PostgresTools.DumpAsync(settings.ConnectionString, database, cancellationToken);
            }
            else
            {
                SqliteCopy.Backup(settings.SqliteFile, database);
            }

            var media = ContentRootFiles.CopyMedia(settings.Paths, Path.Combine(staging, "media"));
            var keys = ContentRootFiles.CopyKeys(settings.Paths, Path.Combine(staging, "keys"));
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, settings.Provider, AppVersion, createdUtc,
                BackupArchive.DatabaseEntry(settings.Provider), media, keys);
            File.Delete(partial);
            await BackupArchive.WriteAsync(partial, manifest, staging, cancellationToken);
            // Only a complete archive gets the name asked for: a failed backup never leaves a file that looks like one.
            File.Move(partial, file);
            return $"Backed up the {settings.Provider} database, {media} media file(s) and {keys} key file(s) to {file} " +
                   $"({MediaText(new FileInfo(file).Length)}).";
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task<string> RestoreAsync(Settings settings, string file, bool force, bool sendPendingMail, CancellationToken cancellationToken)
    {
        // In umbraco/ (the container's data volume; its root file system is read-only): the same file system as the
        // data, so the final moves are renames. Its subfolders are made only once the archive proved sound.
        var staging = Path.Combine(settings.Paths.UmbracoRoot, $".restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            // 1. Everything that can be wrong with the archive or the target is found before anything is changed.
            var manifest = await BackupArchive.ExtractAsync(file, staging, cancellationToken);
            if (manifest.Provider != settings.Provider)
            {
                throw new BackupProblemException(
                    $"The backup holds a {manifest.Provider} database but Database:Provider is {settings.Provider}: restore it with " +
                    $"Database:Provider={manifest.Provider} (and its ConnectionStrings:Portfolio), a backup goes back into the kind of database it was made from.");
            }

            settings.Paths.EnsureCreated();
            var database = Path.Combine(staging, manifest.Database);
            var held = 0;
            if (settings.Provider == DatabaseProvider.Postgres)
            {
                var hasData = await PostgresTarget.PrepareAsync(settings.ConnectionString, cancellationToken);
                RefuseToOverwrite(hasData, force, $"The PostgreSQL database {new NpgsqlConnectionStringBuilder(settings.ConnectionString).Database}");
                // 2. The database and the hold of its waiting mail: one transaction, all or nothing.
                var hold = sendPendingMail ? null : RestoredOutbox.PostgresHold(manifest.CreatedUtc);
                var said = await PostgresTools.RestoreAsync(settings.ConnectionString, database, replace: hasData, hold, cancellationToken);
                held = hold is null ? 0 : RestoredOutbox.HeldCount(said);
            }
            else
            {
                RefuseToOverwrite(SqliteCopy.HasData(settings.SqliteFile), force, $"The SQLite database {settings.SqliteFile}");
                // The staged copy is checked and its outbox held before it takes the database's place (a rename).
                held = await SqliteCopy.PrepareRestoredAsync(database, manifest.CreatedUtc, holdMail: !sendPendingMail, cancellationToken);
                SqliteCopy.ReplaceDatabase(database, settings.SqliteFile);
            }

            // 3. Media and keys: renames and small copies once the database, the part that can fail, is in place.
            var (media, keys) = ContentRootFiles.Restore(staging, settings.Paths);
            return $"Restored the {manifest.Provider} database of {manifest.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC (app {manifest.AppVersion}), " +
                   $"{media} media file(s) and {keys} key file(s) from {file}; " +
                   (sendPendingMail
                       ? "mails that were waiting will be sent."
                       : $"{held} mail(s) that were waiting are held in the mail queue (Retry now sends one).");
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static void RefuseToOverwrite(bool hasData, bool force, string what)
    {
        if (hasData && !force)
        {
            throw new BackupProblemException($"{what} already holds data; nothing was changed. Restore with --force to replace it.");
        }
    }

    private static string MediaText(long bytes) => Media.MediaText.Size(bytes);

    /// <summary>What the command needs from the site's configuration, read as the site reads it.</summary>
    private sealed record Settings(DatabaseProvider Provider, string ConnectionString, string SqliteFile, PortfolioPaths Paths)
    {
        public static Settings Read(string[] args, bool createContentRoot)
        {
            // The host builder refuses a content root that does not exist; a restore may be the first thing in a new one.
            var contentRoot = Path.GetFullPath(new ConfigurationBuilder().AddEnvironmentVariables("ASPNETCORE_").AddCommandLine(args).Build()["contentRoot"]
                                               ?? Directory.GetCurrentDirectory());
            if (createContentRoot)
            {
                Directory.CreateDirectory(contentRoot);
            }
            else if (!Directory.Exists(contentRoot))
            {
                throw new BackupProblemException($"The content root {contentRoot} does not exist: check --contentRoot.");
            }

            var builder = WebApplication.CreateBuilder(PortfolioHost.Arguments(args));
            var configuration = builder.Configuration;
            var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
            if (!Enum.IsDefined(database.Provider))
            {
                throw new BackupProblemException("Database:Provider must be Sqlite or Postgres.");
            }

            var paths = new PortfolioPaths(builder.Environment.ContentRootPath, builder.Configuration["Media:Folder"]);
            var configured = configuration.GetConnectionString(DataExtensions.ConnectionStringName);
            if (database.Provider == DatabaseProvider.Postgres)
            {
                return string.IsNullOrWhiteSpace(configured)
                    ? throw new BackupProblemException("Database:Provider is Postgres but ConnectionStrings:Portfolio is empty.")
                    : new Settings(database.Provider, configured, "", paths);
            }

            // As the site: the configured file, else umbraco/Data/portfolio.db under the content root.
            var file = string.IsNullOrWhiteSpace(configured)
                ? paths.SqliteDatabase
                : Path.GetFullPath(new SqliteConnectionStringBuilder(configured).DataSource);
            return new Settings(database.Provider, "", file, paths);
        }
    }
}
