using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Contact;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

/// <summary>Several rows in one command: the values stay parameters, and a refused row keeps none of them.</summary>
public sealed class SqlBatchTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    [Fact]
    public void JoiningRenumbersEachStatementsPlaceholdersAfterTheOnesBefore()
    {
        var first = 7;
        var second = "it's";
        var third = 2.5;

        FormattableString many = $"SELECT {0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10,5}, {11,-3:x}, '{{{12}}}'";

        var joined = SqlBatch.Join([$"SELECT {first}, {second}", $"SELECT {third:0.0}, '{{literal}}'", many]);

        Assert.Equal(
            "SELECT {0}, {1};\nSELECT {2:0.0}, '{{literal}}';\n" +
            "SELECT {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13,5}, {14,-3:x}, '{{{15}}}';\n",
            joined.Format);
        Assert.Equal([7, "it's", 2.5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], joined.GetArguments());
    }

    [Fact]
    public void AppendingAClauseRenumbersItsPlaceholdersAfterTheStatements()
    {
        var appended = SqlBatch.Append($"SELECT {1}, '{{x}}'", $"WHERE {"a"} = {2.5:0.0}");

        Assert.Equal("SELECT {0}, '{{x}}'\nWHERE {1} = {2:0.0}", appended.Format);
        Assert.Equal([1, "a", 2.5], appended.GetArguments());
    }

    [Fact]
    public async Task ABatchAnswersWithTheFirstValueItsLastStatementSelectsOrNull()
    {
        var id = Guid.CreateVersion7();
        var now = DateTime.UtcNow;
        object? selected = null;
        object? nothing = "not run";

        await app.WithDbAsync(async db =>
        {
            selected = await db.ExecuteAtomicallyAsync(
                [Insert(id, now), $"""SELECT "Id" FROM "ContactMessages" WHERE "Id" = {id}"""], CancellationToken.None);
            nothing = await db.ExecuteAtomicallyAsync(
                [$"""SELECT "Id" FROM "ContactMessages" WHERE "Id" = {Guid.CreateVersion7()}"""], CancellationToken.None);
        });

        // PostgreSQL answers a uuid; SQLite the text the model stores a Guid as.
        Assert.Equal(id, selected is string text ? Guid.Parse(text) : selected);
        Assert.Null(nothing);
    }

    [Fact]
    public async Task TheRowsOfABatchAreKeptTogetherOrNotAtAll()
    {
        var stored = Guid.CreateVersion7();
        var refusedTwice = Guid.CreateVersion7();
        var now = DateTime.UtcNow;

        await app.WithDbAsync(db => db.ExecuteAtomicallyAsync([Insert(stored, now), Insert(Guid.CreateVersion7(), now)], CancellationToken.None));
        var failure = await Record.ExceptionAsync(() => app.WithDbAsync(db =>
            db.ExecuteAtomicallyAsync([Insert(refusedTwice, now), Insert(refusedTwice, now)], CancellationToken.None)));

        // The second row repeats the first one's key: the database refuses it, as it refuses a taken slot (a 409).
        Assert.True(failure is DbException refusal && DatabaseErrors.IsConflict(refusal), $"not a refused row: {failure}");
        await app.WithDbAsync(async db =>
        {
            Assert.True(await db.ContactMessages.AnyAsync(m => m.Id == stored));
            Assert.False(await db.ContactMessages.AnyAsync(m => m.Id == refusedTwice)); // the first row went with it
        });
    }

    [Fact]
    public async Task ARefusedRowBeforeTheSelectThrowsAndKeepsNothing()
    {
        var refused = Guid.CreateVersion7();
        var now = DateTime.UtcNow;

        var failure = await Record.ExceptionAsync(() => app.WithDbAsync(db => db.ExecuteAtomicallyAsync(
            [Insert(refused, now), Insert(refused, now), $"""SELECT "Id" FROM "ContactMessages" WHERE "Id" = {refused}"""],
            CancellationToken.None)));

        Assert.True(failure is DbException refusal && DatabaseErrors.IsConflict(refusal), $"not a refused row: {failure}");
        await app.WithDbAsync(async db => Assert.False(await db.ContactMessages.AnyAsync(m => m.Id == refused)));
    }

    private static FormattableString Insert(Guid id, DateTime now) => $"""
        INSERT INTO "ContactMessages" ("Id", "Name", "Email", "Company", "Subject", "Message", "Status", "SpamReason",
            "Source", "ContentHash", "CreatedUtc")
        VALUES ({id}, {"Batch"}, {"batch@example.com"}, {(string?)null}, {"Batch"}, {"A message written in a batch."},
            {(int)ContactMessageStatus.New}, {(string?)null}, {"api"}, {id.ToString("N")}, {now})
        """;
}
