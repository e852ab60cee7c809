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
/// code 1 (<see cref="PortfolioHost.RunAsync"/>): a bad setting, an unreachable or unusable database, a data folder it
/// cannot write. A failure it does not recognise is logged with its stack trace, because it is a bug, not a setting.
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

    private static string InvalidSettings(IEnumerable<string> failures)
    {
        var sentences = failures.Select(Sentence).ToList();
        return (sentences.Count == 1 ? "Invalid setting: " : "Invalid settings: ") + string.Join(" ", sentences);
    }

    private static string Sentence(string failure) => failure.EndsWith('.') ? failure : failure + ".";

    private static string FirstLine(string message) => Sentence(message.Split('\n', 2)[0].Trim());
}
