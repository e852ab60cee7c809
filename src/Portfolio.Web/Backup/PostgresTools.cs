using System.Diagnostics;
using Npgsql;

namespace Portfolio.Web.Backup;

/// <summary>
/// PostgreSQL's own client tools, <c>pg_dump</c> and <c>pg_restore</c>, run with the settings of the app's connection
/// string. Everything reaches them through libpq's environment variables (<c>PGHOST</c>, <c>PGPASSWORD</c>, …), never
/// the command line, where any user of the machine could read the password in the process list.
/// </summary>
public static class PostgresTools
{
    /// <summary><c>pg_dump --format=custom</c> of the configured database into <paramref name="file"/>.</summary>
    public static Task DumpAsync(string connectionString, string file, CancellationToken cancellationToken) =>
        RunAsync("pg_dump", connectionString, ["--format=custom", "--no-password", "--file", file], cancellationToken);

    /// <summary>
    /// <c>pg_restore</c> of <paramref name="file"/> into the configured database in one transaction: it is all there
    /// or, on any error, none of it. Objects belong to the app's role (<c>--no-owner</c>, <c>--no-privileges</c>), whoever
    /// owned them where the backup was made. <paramref name="replace"/> drops the objects the dump holds first.
    /// </summary>
    public static Task RestoreAsync(string connectionString, string file, bool replace, CancellationToken cancellationToken)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
                       ?? throw new BackupProblemException("ConnectionStrings:Portfolio names no Database to restore into.");
        List<string> arguments = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", "--no-password",
            // A connection string rather than a bare name: a name with '=' in it would be read as one.
            "--dbname", $"dbname='{database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'"];
        if (replace)
        {
            arguments.AddRange(["--clean", "--if-exists"]);
        }

        arguments.Add(file);
        return RunAsync("pg_restore", connectionString, arguments, cancellationToken);
    }

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
        return environment;
    }

    private static async Task RunAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
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

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BackupProblemException($"{tool} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new BackupProblemException(
                $"{tool} was not found on PATH: install PostgreSQL's client tools (Debian: apt-get install postgresql-client; " +
                "their version must be at least the server's).", exception);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var said = (await errors + "\n" + await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (process.ExitCode != 0)
            {
                // The first error line names the cause (wrong password, version mismatch, a failing statement); the
                // ones after it are context the operator can get by running the tool by hand.
                var cause = said.FirstOrDefault(line => line.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? said.FirstOrDefault()
                            ?? $"exit code {process.ExitCode}";
                throw new BackupProblemException($"{tool} failed: {cause}");
            }
        }
    }
}
