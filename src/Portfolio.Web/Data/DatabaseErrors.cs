using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portfolio.Web.Data;

/// <summary>Recognises the database saying "no" to a change that conflicts with another (a lost race).</summary>
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
}
