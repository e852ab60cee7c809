using Microsoft.Extensions.Options;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// A start-up failure whose cause is known and worded for the operator: what is wrong and which setting (or folder)
/// to change. Thrown by the app's own start-up code where it knows the context; <see cref="StartupProblem"/> turns
/// it into the one line that is logged before the app exits.
/// </summary>
public sealed class StartupProblemException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// The app refuses to start with one log line that names the cause and the setting to change, no stack trace, and exit
/// code 1 (<c>Program.cs</c>): a bad setting, an unreachable or unusable database, a data folder it cannot write.
/// A failure it does not recognise is left alone (and ends the process as an unhandled exception, with its stack
/// trace, because it is a bug rather than a setting).
/// </summary>
public static class StartupProblem
{
    public const int ExitCode = 1;

    /// <summary>The one line for a failure whose cause is known, or null.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        StartupProblemException known => known.Message,
        OptionsValidationException invalid => InvalidSettings(invalid.Failures),
        // Every section checked on start that failed (IStartupValidator).
        AggregateException { InnerExceptions.Count: > 0 } several when several.InnerExceptions.All(inner => inner is OptionsValidationException) =>
            InvalidSettings(several.InnerExceptions.Cast<OptionsValidationException>().SelectMany(invalid => invalid.Failures)),
        // The configuration binder's "Failed to convert configuration value 'x' at 'Section:Key' to type '…'".
        InvalidOperationException bind when bind.TargetSite?.DeclaringType?.Assembly == typeof(ConfigurationBinder).Assembly =>
            "Invalid setting: " + bind.Message,
        Npgsql.NpgsqlException database =>
            $"PostgreSQL failed while the app was starting: {FirstLine(database.Message)} Check ConnectionStrings:Portfolio and the server.",
        Microsoft.Data.Sqlite.SqliteException sqlite =>
            $"SQLite failed while the app was starting: {FirstLine(sqlite.Message)} Check that the data folder (umbraco/Data under the content root, " +
            "or the file in ConnectionStrings:Portfolio) exists and the app may write to it.",
        UnauthorizedAccessException =>
            $"A file or folder the app needs is not writable: {FirstLine(exception.Message)} Make it writable for the app's user, or start the app " +
            "with --contentRoot on a writable folder.",
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } =>
            $"{FirstLine(exception.Message)} Another process listens there: stop it, or change Urls (--urls, ASPNETCORE_URLS).",
        _ when exception.InnerException is { } inner && exception is not AggregateException => Describe(inner),
        _ => null,
    };

    /// <summary>
    /// For the real process only: in a test host (<c>WebApplicationFactory</c>) the exception is left to reach the
    /// test, which sees the failure itself rather than a host that never started.
    /// </summary>
    public static bool IsReportable(Exception exception, out string problem)
    {
        problem = Describe(exception) ?? "";
        return problem.Length > 0 && System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupProblem).Assembly;
    }

    /// <summary>Logs the line through the app's logging when the app was built, else writes it to standard error.</summary>
    public static async Task ReportAsync(string problem, WebApplication? app)
    {
        if (app?.Services.GetService<ILoggerFactory>() is { } logging)
        {
            logging.CreateLogger(typeof(StartupProblem).FullName!).LogCritical("The app cannot start: {StartupProblem}", problem);
            // Disposing the host flushes the log sinks, which write on background threads.
            await app.DisposeAsync();
        }
        else
        {
            await Console.Error.WriteLineAsync($"[{DateTime.Now:HH:mm:ss} FTL] The app cannot start: {problem}");
        }
    }

    private static string InvalidSettings(IEnumerable<string> failures)
    {
        var sentences = failures.Select(Sentence).ToList();
        return (sentences.Count == 1 ? "Invalid setting: " : "Invalid settings: ") + string.Join(" ", sentences);
    }

    private static string Sentence(string failure) => failure.EndsWith('.') ? failure : failure + ".";

    private static string FirstLine(string message) => Sentence(message.Split('\n', 2)[0].Trim());
}
