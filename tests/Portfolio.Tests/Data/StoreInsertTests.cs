using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Data;

/// <summary>
/// The stores write some rows with their own INSERTs (one round trip for a booking with its mails): each must name
/// every column EF maps for its table, so that a property added to the model without a column in the INSERT (it would
/// silently get its default) fails here. Only columns the database generates (an identity key) are left out.
/// </summary>
public sealed partial class StoreInsertTests
{
    [Fact]
    public void TheBookingInsertNamesEveryColumn() =>
        AssertNamesEveryColumn<ConsultationBooking>(BookingStore.Insert(new ConsultationBooking()));

    [Fact]
    public void TheIdempotencyRecordInsertNamesEveryColumn() =>
        AssertNamesEveryColumn<IdempotentRequest>(BookingStore.Insert(new IdempotentRequest()));

    [Fact]
    public void TheContactMessageInsertNamesEveryColumn() =>
        AssertNamesEveryColumn<ContactMessage>(ContactMessageStore.Insert(new ContactMessage()));

    [Fact]
    public void TheOutboxInsertNamesEveryColumnButTheGeneratedId() =>
        AssertNamesEveryColumn<EmailOutboxMessage>(OutboxStore.Insert(new EmailOutboxMessage()));

    [Fact]
    public void AColumnMissingFromAnInsertIsFound()
    {
        var insert = BookingStore.Insert(new ConsultationBooking());
        var withoutOne = System.Runtime.CompilerServices.FormattableStringFactory.Create(
            insert.Format.Replace("\"CancelledUtc\", ", "", StringComparison.Ordinal), insert.GetArguments());

        Assert.Contains("CancelledUtc", Assert.ThrowsAny<Exception>(() => AssertNamesEveryColumn<ConsultationBooking>(withoutOne)).Message);
    }

    private static void AssertNamesEveryColumn<TEntity>(FormattableString insert)
    {
        foreach (var db in Contexts())
        {
            using (db)
            {
                var entity = db.Model.FindEntityType(typeof(TEntity))!;
                var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
                var mapped = entity.GetProperties()
                    .Where(property => !IsGeneratedByTheDatabase(property))
                    .Select(property => property.GetColumnName(table)!)
                    .Order(StringComparer.Ordinal)
                    .ToList();

                var match = InsertColumns().Match(insert.Format);
                Assert.True(match.Success, $"Not an INSERT with a column list: {insert.Format}");
                Assert.Equal(entity.GetTableName(), match.Groups["table"].Value);
                var named = match.Groups["columns"].Value.Split(',').Select(column => column.Trim().Trim('"')).ToList();
                Assert.Equal(named.Count, named.Distinct(StringComparer.Ordinal).Count());
                Assert.Equal(mapped, named.Order(StringComparer.Ordinal).ToList());
            }
        }
    }

    /// <summary>An integer key the database numbers (identity / autoincrement); a Guid key is made by the app.</summary>
    private static bool IsGeneratedByTheDatabase(IProperty property) =>
        property.ValueGenerated == ValueGenerated.OnAdd && property.IsPrimaryKey() && property.ClrType == typeof(long);

    private static IEnumerable<PortfolioDbContext> Contexts()
    {
        yield return new SqlitePortfolioDbContext(new DbContextOptionsBuilder<SqlitePortfolioDbContext>().UseSqlite("Data Source=:memory:").Options);
        yield return new PostgresPortfolioDbContext(new DbContextOptionsBuilder<PostgresPortfolioDbContext>().UseNpgsql("Host=localhost").Options);
    }

    [GeneratedRegex("""INSERT INTO "(?<table>\w+)" \((?<columns>[^)]*)\)""")]
    private static partial Regex InsertColumns();
}
