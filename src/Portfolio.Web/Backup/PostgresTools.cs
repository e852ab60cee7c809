using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Portfolio.Web.Backup;

/// <summary>
/// PostgreSQL's own client tools, <c>pg_dump</c>, <c>pg_restore</c> and <c>psql</c>, run with the settings of the app's connection
/// string. Everything reaches them through libpq's environment variables (<c>PGHOST</c>, <c>PGPASSWORD</c>, …), never
/// the command line, where any user of the machine could read the password in the process list.
/// </summary>
public static partial class PostgresTools
{
    /// <summary><c>pg_dump --format=custom</c> of the configured database into <paramref name="file"/>.</summary>
    public static Task DumpAsync(string connectionString, string file, CancellationToken cancellationToken) =>
        RunAsync("pg_dump", connectionString, ["--format=custom", "--no-password", "--file", file], cancellationToken);

    /// <summary>
    /// <c>pg_restore</c> of <paramref name="file"/> into the configured database, and then <paramref name="then"/> (a psql
    /// script, e.g. the outbox hold), all in one transaction: every part is there or, on any error, none of it. Objects
    /// belong to the app's role (<c>--no-owner</c>, <c>--no-privileges</c>), whoever owned them where the backup was made.
    /// <paramref name="replace"/> drops the objects the dump holds first. Returns what <paramref name="then"/> echoed.
    /// </summary>
    /// <remarks>
    /// pg_restore cannot run anything of ours in its transaction, so it writes the restore as SQL and psql runs it: after a
    /// BEGIN written first, followed by <paramref name="then"/> and a COMMIT written only once pg_restore has read the whole
    /// dump without an error. A dump that breaks off half-way thus commits nothing (psql ends at the end of its input, and
    /// the server rolls the open transaction back), and neither does a failing statement (ON_ERROR_STOP). psql confirms the
    /// COMMIT with a line of its own, which must come. Large objects are refused: without pg_restore's own
    /// <c>--single-transaction</c>, its script commits each batch of them in a transaction of its own, which would end ours
    /// half-way (the app never makes any).
    /// </remarks>
    public static async Task<IReadOnlyList<string>> RestoreAsync(
        string connectionString, string file, bool replace, PsqlScript? then, CancellationToken cancellationToken)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
                       ?? throw new BackupProblemException("ConnectionStrings:Portfolio names no Database to restore into.");
        List<string> restoreArguments = ["--no-owner", "--no-privileges", "--file=-"];
        if (replace)
        {
            restoreArguments.AddRange(["--clean", "--if-exists"]);
        }

        restoreArguments.Add(file);
        List<string> psqlArguments = ["--no-psqlrc", "--no-password", "--quiet", "--set=ON_ERROR_STOP=1",
            // Query results go nowhere; what the script says with \echo goes to standard output.
            "--output=/dev/null", "--file=-",
            // A connection string rather than a bare name: a name with '=' in it would be read as one.
            "--dbname", $"dbname='{database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'"];
        foreach (var (name, value) in then?.Variables ?? new Dictionary<string, string>())
        {
            psqlArguments.Add($"--set={name}={value}");
        }

        await RefuseLargeObjectsAsync(connectionString, file, cancellationToken);
        using var psql = Start("psql", connectionString, psqlArguments, redirectInput: true);
        var psqlErrors = psql.StandardError.ReadToEndAsync(cancellationToken);
        var psqlOutput = psql.StandardOutput.ReadToEndAsync(cancellationToken);
        Process? restore = null;
        try
        {
            restore = Start("pg_restore", connectionString, restoreArguments);
            var restoreErrors = restore.StandardError.ReadToEndAsync(cancellationToken);
            var input = psql.StandardInput.BaseStream;
            var psqlGaveUp = !await TryAsync(async () =>
            {
                await input.WriteAsync("BEGIN;\n"u8.ToArray(), cancellationToken);
                await restore.StandardOutput.BaseStream.CopyToAsync(input, cancellationToken);
            });
            if (psqlGaveUp)
            {
                // psql stopped at a failing statement: nobody reads what pg_restore still has to write, and it would wait
                // for a reader forever.
                Stop(restore);
            }

            await restore.WaitForExitAsync(cancellationToken);
            if (restore.ExitCode == 0 && !psqlGaveUp)
            {
                await TryAsync(async () =>
                {
                    await input.WriteAsync(Encoding.UTF8.GetBytes($"\n{then?.Text}\nCOMMIT;\n\\echo {Committed}\n"), cancellationToken);
                });
            }

            // End of input: psql ends, and a transaction without its COMMIT is rolled back.
            await TryAsync(async () => await input.DisposeAsync());
            await psql.WaitForExitAsync(cancellationToken);
            // The tool that stopped first says why: when psql stopped at a failing statement, pg_restore's "broken pipe" is
            // only the echo of it; when pg_restore broke off (a damaged dump), psql's complaint about a half row is.
            if (!psqlGaveUp)
            {
                ThrowIfFailed("pg_restore", restore.ExitCode, await restoreErrors, "");
            }

            ThrowIfFailed("psql", psql.ExitCode, await psqlErrors, await psqlOutput);
            ThrowIfFailed("pg_restore", restore.ExitCode, await restoreErrors, "");
            var said = Lines(await psqlOutput);
            if (!said.Contains(Committed, StringComparer.Ordinal))
            {
                throw new BackupProblemException("psql ended without committing the restore; nothing was changed.");
            }

            return said;
        }
        finally
        {
            Stop(restore);
            Stop(psql);
            restore?.Dispose();
        }
    }

    /// <summary>What psql echoes once the restore's COMMIT went through.</summary>
    private const string Committed = "portfolio-restore-committed";

    /// <summary>
    /// Refuses a dump that holds large objects (see <see cref="RestoreAsync"/>), from its table of contents
    /// (<c>pg_restore --list</c>: "id; tableoid oid TYPE …", the type being BLOB, BLOBS or BLOB METADATA).
    /// </summary>
    private static async Task RefuseLargeObjectsAsync(string connectionString, string file, CancellationToken cancellationToken)
    {
        var contents = await RunAsync("pg_restore", connectionString, ["--list", file], cancellationToken);
        if (Lines(contents).Any(line => LargeObjectEntry().IsMatch(line)))
        {
            throw new BackupProblemException(
                "The PostgreSQL dump holds large objects, which the app never makes and restore does not take; nothing was changed.");
        }
    }

    [GeneratedRegex(@"^\d+; \d+ \d+ BLOB(S| METADATA)? ")]
    private static partial Regex LargeObjectEntry();

    /// <summary>The libpq environment for the connection string's server, database, role, password and TLS mode.</summary>
    public static Dictionary<string, string> Environment(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string>();
        void Set(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                environment[name] = value;
            }
        }

        Set("PGHOST", settings.Host);
        Set("PGPORT", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("PGDATABASE", settings.Database);
        Set("PGUSER", settings.Username);
        Set("PGPASSWORD", settings.Password);
        Set("PGSSLMODE", settings.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        Set("PGSSLROOTCERT", settings.RootCertificate);
        Set("PGCONNECT_TIMEOUT", settings.Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("PGAPPNAME", "portfolio-backup");
        // The schemas the app's tables are found in, as Npgsql's "Search Path" gives them to the app: the restore's hold
        // (RestoredOutbox) names the tables unqualified. libpq splits PGOPTIONS at spaces; a backslash keeps one.
        if (!string.IsNullOrEmpty(settings.SearchPath))
        {
            Set("PGOPTIONS", "-c search_path=" + settings.SearchPath.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal));
        }
        return environment;
    }

    /// <summary>Runs <paramref name="tool"/> to its end; returns its standard output, or throws with its cause.</summary>
    private static async Task<string> RunAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(tool, connectionString, arguments);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        ThrowIfFailed(tool, process.ExitCode, await errors, await output);
        return await output;
    }

    private static Process Start(string tool, string connectionString, IReadOnlyList<string> arguments, bool redirectInput = false)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the connection string says: a PGPASSFILE or PGSERVICE of the operator's shell would otherwise win.
        foreach (var name in new[] { "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSERVICE", "PGOPTIONS", "PGSSLMODE" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in Environment(connectionString))
        {
            start.Environment[name] = value;
        }

        try
        {
            return Process.Start(start) ?? throw new BackupProblemException($"{tool} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new BackupProblemException(
                $"{tool} was not found on PATH: install PostgreSQL's client tools (Debian: apt-get install postgresql-client; " +
                "their version must be at least the server's).", exception);
        }
    }

    private static void ThrowIfFailed(string tool, int exitCode, string errors, string output)
    {
        if (exitCode == 0)
        {
            return;
        }

        // The first error line names the cause (wrong password, version mismatch, a failing statement); the ones after it
        // are context the operator can get by running the tool by hand.
        var said = Lines(errors + "\n" + output);
        var cause = said.FirstOrDefault(line => line.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? said.FirstOrDefault()
                    ?? $"exit code {exitCode}";
        throw new BackupProblemException($"{tool} failed: {cause}");
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <paramref name="write"/>; false when the other end of the pipe has gone (that process's exit code says why).</summary>
    private static async Task<bool> TryAsync(Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Stop(Process? process)
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }
}

/// <summary>A psql script and the variables it reads (<c>:name</c>, <c>:'name'</c> quoted by psql as a literal).</summary>
public sealed record PsqlScript(string Text, IReadOnlyDictionary<string, string> Variables);
