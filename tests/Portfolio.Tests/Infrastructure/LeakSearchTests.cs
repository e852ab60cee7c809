namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The fuzz run's search for internal detail in a response (<see cref="MalformedRequestFuzzTests.Leak"/>): what it must
/// find, and what an ordinary page says without being a leak. Pins the pattern's meaning whatever engine runs it.
/// </summary>
[ProviderIndependent]
public sealed class LeakSearchTests
{
    [Theory]
    [InlineData("   at Portfolio.Web.Booking.BookingService.BookAsync(BookingRequest request)", "at Portfolio.Web.Booking.BookingService.BookAsync(")]
    [InlineData("--- End of stack trace from previous location ---", "--- End of stack trace")]
    [InlineData("in /src/Portfolio.Web/Program.cs:line 42", ".cs:line 42")]
    [InlineData("<p>System.InvalidOperationException</p>", "System.InvalidOperationException")]
    [InlineData("DbUpdateException: An error occurred", "DbUpdateException:")]
    [InlineData("SQLite Error 19: 'UNIQUE constraint failed: Bookings.Id'.", "SQLite Error")]
    [InlineData("Npgsql.PostgresException (0x80004005)", "Npgsql.PostgresException")]
    [InlineData("<p>Npgsql could not connect</p>", "Npgsql")]
    [InlineData("SqlState: 23505", "SqlState")]
    [InlineData("Failed executing DbCommand: SELECT \"b\".\"Id\" FROM \"Bookings\" AS \"b\"", "SELECT \"b\".\"Id\" FROM")]
    [InlineData("INSERT INTO \"Outbox\" (\"Id\") VALUES (@p0)", "INSERT INTO \"Outbox\" (\"Id\") VALUES")]
    [InlineData("duplicate key value violates unique constraint \"IX_Bookings_Slot\"", "violates unique constraint")]
    [InlineData("NOT NULL constraint failed: Messages.Email", "NOT NULL constraint failed")]
    [InlineData("syntax error at or near \"FROM\"", "syntax error at or near")]
    public void FindsInternalDetail(string body, string found) =>
        Assert.Equal(found, MalformedRequestFuzzTests.Leak(body));

    [Theory]
    [InlineData("<h1>Book a consultation</h1><p>Select a time, then update your details.</p>")]
    [InlineData("<p>Exceptional engineering, delivered at pace.</p>")]
    [InlineData("<p>We talk about exceptions: what to do when a payment fails.</p>")]
    [InlineData("<a href=\"/articles/outbox-pattern\">Delete from your queue what you delivered</a>")]
    public void LeavesAnOrdinaryPageAlone(string body) =>
        Assert.Null(MalformedRequestFuzzTests.Leak(body));
}
