using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

/// <summary>
/// Which SQLite refusals mean "someone else got there first" (a 409 for the client) and which are bugs that must
/// not be dressed up as a conflict. The errors come from a real SQLite engine.
/// </summary>
public sealed class DatabaseErrorsTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public DatabaseErrorsTests()
    {
        _connection.Open();
        Execute($"""
            CREATE TABLE Things (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL UNIQUE, Size INTEGER CHECK (Size > 0));
            CREATE TRIGGER NoOverlap BEFORE INSERT ON Things WHEN NEW.Name = 'overlap'
              BEGIN SELECT RAISE(ABORT, '{DatabaseErrors.BookingOverlapMessage}'); END;
            CREATE TRIGGER SomethingElse BEFORE INSERT ON Things WHEN NEW.Name = 'other'
              BEGIN SELECT RAISE(ABORT, 'some other rule'); END;
            INSERT INTO Things (Id, Name, Size) VALUES (1, 'taken', 1);
            """);
    }

    [Theory]
    [InlineData("INSERT INTO Things (Id, Name, Size) VALUES (2, 'taken', 1)", true)]      // unique index
    [InlineData("INSERT INTO Things (Id, Name, Size) VALUES (1, 'fresh', 1)", true)]      // primary key
    [InlineData("INSERT INTO Things (Id, Name, Size) VALUES (3, 'overlap', 1)", true)]    // the booking trigger
    [InlineData("INSERT INTO Things (Id, Name, Size) VALUES (4, 'other', 1)", false)]     // another trigger
    [InlineData("INSERT INTO Things (Id, Name, Size) VALUES (5, 'small', 0)", false)]     // CHECK
    [InlineData("INSERT INTO Things (Id, Name, Size) VALUES (6, NULL, 1)", false)]        // NOT NULL
    public void OnlyUniqueKeysAndTheBookingTriggerAreConflicts(string sql, bool conflict)
    {
        var error = Assert.Throws<SqliteException>(() => Execute(sql));
        Assert.Equal(19, error.SqliteErrorCode);

        Assert.Equal(conflict, DatabaseErrors.IsConflict(new DbUpdateException("save failed", error)));
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
