using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portfolio.Web.Data;

/// <summary>
/// Recognises the database saying "no" to a change that conflicts with another (a lost race), and the database being
/// out of reach or out of space (a fault of ours that passes: 503, not 500).
/// </summary>
public static class DatabaseErrors
{
    /// <summary>Raised by the SQLite triggers that keep bookings from overlapping.</summary>
    public const string BookingOverlapMessage = "booking overlaps another booking";

    /// <summary>
    /// Raised by the triggers that count an expert's bookings a day (SQLite's message; PostgreSQL's function raises a
    /// check_violation naming <see cref="ExpertDayFullConstraint"/>).
    /// </summary>
    public const string ExpertDayFullMessage = "the expert's day is fully booked";

    /// <inheritdoc cref="ExpertDayFullMessage"/>
    public const string ExpertDayFullConstraint = "CK_Bookings_MaxPerDay";

    /// <summary>The database refused a booking because the expert's day already holds their maximum (a lost race, too).</summary>
    public static bool IsExpertDayFull(System.Data.Common.DbException exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.CheckViolation && postgres.ConstraintName == ExpertDayFullConstraint,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteConstraintTrigger && sqlite.Message.Contains(ExpertDayFullMessage, StringComparison.Ordinal),
        _ => false,
    };

    /// <inheritdoc cref="IsExpertDayFull(System.Data.Common.DbException)"/>
    public static bool IsExpertDayFull(DbUpdateException exception) =>
        exception.InnerException is System.Data.Common.DbException inner && IsExpertDayFull(inner);

    public static bool IsConflict(DbUpdateException exception) =>
        (exception.InnerException is System.Data.Common.DbException inner && IsConflict(inner)) || exception is DbUpdateConcurrencyException;

    /// <summary>The same, for a statement run without SaveChanges (the provider's own exception).</summary>
    public static bool IsConflict(System.Data.Common.DbException exception) => IsExpertDayFull(exception) || exception switch
    {
        // 23505 unique_violation, 23P01 exclusion_violation; 40P01 deadlock_detected, which two reschedules swapping
        // each other's days can meet in the daily-cap trigger: one of them lost a race, so it is a conflict, not a 500.
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation
            or PostgresErrorCodes.DeadlockDetected,
        SqliteException sqlite => IsSqliteConflict(sqlite),
        _ => false,
    };

    /// <summary>A row still referenced by another (an expert with bookings): the caller says what holds it.</summary>
    public static bool IsForeignKeyViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        // The extended code when SQLite has it; a violation found at COMMIT (deferred) reports only the plain one.
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteConstraintForeignKey ||
                                  (sqlite.SqliteErrorCode == SqliteConstraint && sqlite.Message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal)),
        _ => false,
    };

    // Extended result codes (https://sqlite.org/rescode.html). A CHECK, NOT NULL or foreign-key failure is also
    // SQLITE_CONSTRAINT (19), but it is a bug in the caller, not a lost race, and must not become a 409.
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintTrigger = 1811;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraint = 19;

    private static bool IsSqliteConflict(SqliteException sqlite) => sqlite.SqliteExtendedErrorCode switch
    {
        SqliteConstraintPrimaryKey or SqliteConstraintUnique => true,
        // RAISE(ABORT, …) in a trigger: only ours that keeps bookings apart means "taken".
        SqliteConstraintTrigger => sqlite.Message.Contains(BookingOverlapMessage, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// The database cannot answer now but may in a moment: the server is gone or restarting, the connection broke, the
    /// pool is exhausted, the disk is full or read-only, the file is locked past the busy timeout. The request is
    /// answered 503 with <c>Retry-After</c>; nothing the client sent is at fault. Looks through the wrapping exceptions
    /// (EF's <see cref="DbUpdateException"/>, <see cref="InvalidOperationException"/>s around a failed connection).
    /// </summary>
    public static bool IsUnavailable(Exception exception) => IsOutOfSpace(exception) || Causes(exception).Any(cause => cause switch
    {
        PostgresException postgres => IsPostgresUnavailable(postgres.SqlState),
        // Npgsql's own (not the server's): the socket, a timeout, the pool. IsTransient says "trying again may work"; on
        // such a break Npgsql also empties its pool, so the requests after an outage open fresh connections.
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoError
            or SqliteFull or SqliteCantOpen,
        _ => false,
    });

    /// <summary>
    /// A write failed because the disk has no space left: the database server's, the SQLite file's, or the app's own
    /// (a media upload, a key file).
    /// </summary>
    public static bool IsOutOfSpace(Exception exception) => Causes(exception).Any(cause => cause switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.DiskFull,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
        IOException io => io.HResult == DiskFullHResult,
        _ => false,
    });

    // Class 08 connection exception, 53 insufficient resources (disk full, out of memory, too many connections),
    // 57P01-57P03 the server shutting down or starting, 58 system errors (I/O). Not 40001/40P01: a serialization
    // failure or deadlock is a lost race, answered 409 by IsConflict.
    private static bool IsPostgresUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("58", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    // Primary result codes (https://sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    // ENOSPC as .NET reports it on Linux (HResult of the IOException a write to a full disk throws).
    private const int DiskFullHResult = 28;
}
