using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portfolio.Web.Data;

/// <summary>Recognises the database saying "no" to a change that conflicts with another (a lost race).</summary>
public static class DatabaseErrors
{
    /// <summary>Raised by the SQLite triggers that keep bookings from overlapping.</summary>
    public const string BookingOverlapMessage = "booking overlaps another booking";

    public static bool IsConflict(DbUpdateException exception) => exception.InnerException switch
    {
        // 23505 unique_violation, 23P01 exclusion_violation.
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation,
        // SQLITE_CONSTRAINT (19): unique indexes and RAISE(ABORT) in our triggers.
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        _ => exception is DbUpdateConcurrencyException,
    };
}
