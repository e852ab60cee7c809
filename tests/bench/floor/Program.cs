// The floor for POST /api/v1/contact-messages: the same database work as the app, and nothing else.
//
// tests/bench/api.sh runs it under the same wrk load as the app, against a database the app has just migrated (the
// same tables, indexes and constraints), so that "p99 at 20 connections" can be read against what this machine
// allows at all. Per request: read and check the JSON, store the message and its notification mail unless the same
// text came from the same address in the last 10 minutes (one command, one transaction, which also selects the id
// kept; bodies of the app's sizes: about 300 characters of text and 1,200 of HTML), answer 202 with the id. What it leaves out is what the app adds: middleware (forwarded headers,
// security headers, rate limiting, request log, error pages), EF Core, text cleaning and templates, and the log lines.
// Checkpoints of SQLite's log are left to SQLite (a commit that finds 1,000 pages in the log copies them), as a
// minimal server would; the app moves them off the request path.
//
//   Floor --urls http://127.0.0.1:PORT --Floor:Provider=Sqlite|Postgres --Floor:ConnectionString=...
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, FloorJson.Default));
var provider = builder.Configuration["Floor:Provider"] ?? "Sqlite";
var connectionString = builder.Configuration["Floor:ConnectionString"]
    ?? throw new InvalidOperationException("Set Floor:ConnectionString.");
IStore store = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase)
    ? new PostgresStore(connectionString)
    : new SqliteStore(connectionString);

var app = builder.Build();
app.MapGet("/health/ready", () => "ok");
app.MapPost("/api/v1/contact-messages", async (ContactRequest request, CancellationToken cancellationToken) =>
{
    if (!Valid(request))
    {
        return Results.Problem(statusCode: 400, title: "Invalid message.");
    }

    var now = DateTime.UtcNow;
    var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request.Email!.ToUpperInvariant() + "\n" + request.Message)));
    var id = Guid.CreateVersion7();
    var subject = $"New message: {request.Subject}";
    var text = $"{request.Name} <{request.Email}> wrote:\n\n{request.Message}";
    var html = $"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{Encode(subject)}</title></head>
        <body style="margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2933">
        <table role="presentation" style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
        <tr><td><h1 style="font-size:20px;margin:0 0 16px">{Encode(subject)}</h1>
        <p style="margin:0 0 12px;line-height:1.5">{Encode(request.Name!)} wrote through the contact API.</p>
        <p style="margin:0 0 4px"><strong>Name:</strong> {Encode(request.Name!)}</p>
        <p style="margin:0 0 4px"><strong>E-mail:</strong> {Encode(request.Email)}</p>
        <p style="margin:0 0 4px"><strong>Company:</strong> {Encode(request.Company ?? "")}</p>
        <p style="margin:0 0 12px"><strong>Subject:</strong> {Encode(request.Subject!)}</p>
        <blockquote style="margin:0 0 12px;padding:8px 16px;border-left:4px solid #cbd2d9;line-height:1.5">{Encode(request.Message!)}</blockquote>
        <p style="margin:0;color:#52606d">Reply to this mail to answer them directly.</p></td></tr></table></body></html>
        """;
    var kept = await store.StoreUnlessDuplicateAsync(id, request, hash, now, subject, text, html, cancellationToken);
    return Results.Accepted(value: new Accepted(kept));
});
app.Run();

static bool Valid(ContactRequest request) =>
    request.Name is { Length: > 0 and <= 100 } && request.Email is { Length: > 3 and <= 254 } && request.Email.Contains('@')
    && request.Subject is { Length: > 0 and <= 150 } && request.Message is { Length: >= 10 and <= 5000 }
    && (request.Company is null || request.Company.Length <= 100);

static string Encode(string value) => System.Net.WebUtility.HtmlEncode(value);

internal sealed record ContactRequest(string? Name, string? Email, string? Company, string? Subject, string? Message);

internal sealed record Accepted(Guid Id);

[JsonSerializable(typeof(ContactRequest))]
[JsonSerializable(typeof(Accepted))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class FloorJson : JsonSerializerContext;

internal interface IStore
{
    /// <summary>The id of the message kept: this one, or the one stored with the same hash in the last 10 minutes.</summary>
    Task<Guid> StoreUnlessDuplicateAsync(Guid id, ContactRequest request, string hash, DateTime now, string subject, string text, string html,
        CancellationToken cancellationToken);
}

/// <summary>The statements the app runs, with the app's columns; the outbox row's Message-ID is made here.</summary>
internal static class Sql
{
    public const string Store = """
        INSERT INTO "ContactMessages" ("Id", "Name", "Email", "Company", "Subject", "Message", "Status", "SpamReason",
            "Source", "ContentHash", "CreatedUtc")
        SELECT @id, @name, @email, @company, @subject, @message, 0, NULL, 'api', @hash, @now
        WHERE NOT EXISTS (SELECT 1 FROM "ContactMessages" WHERE "ContentHash" = @hash AND "CreatedUtc" >= @since);
        INSERT INTO "EmailOutbox" ("MessageId", "ToAddress", "ToName", "ReplyTo", "Subject", "TextBody", "HtmlBody",
            "Calendar", "CalendarMethod", "Kind", "Status", "Attempts", "CreatedUtc", "NextAttemptUtc")
        SELECT @messageId, 'owner@example.com', 'Owner', @email, @mailSubject, @text, @html, NULL, NULL,
            'contact-notification', 0, 0, @now, @now
        WHERE EXISTS (SELECT 1 FROM "ContactMessages" WHERE "Id" = @id);
        SELECT "Id" FROM "ContactMessages" WHERE "Id" = @id OR ("ContentHash" = @hash AND "CreatedUtc" >= @since)
        ORDER BY CASE WHEN "Id" = @id THEN 0 ELSE 1 END, "CreatedUtc" LIMIT 1
        """;

    public static void AddParameters(DbCommand command, object id, ContactRequest request, string hash, object now, string subject, string text, string html)
    {
        Add(command, "id", id);
        Add(command, "name", request.Name!);
        Add(command, "email", request.Email!);
        Add(command, "company", (object?)request.Company ?? DBNull.Value);
        Add(command, "subject", request.Subject!);
        Add(command, "message", request.Message!);
        Add(command, "hash", hash);
        Add(command, "now", now);
        Add(command, "since", ((DateTime)now).AddMinutes(-10));
        Add(command, "messageId", $"<{Guid.CreateVersion7():N}@example.com>");
        Add(command, "mailSubject", subject);
        Add(command, "text", text);
        Add(command, "html", html);
    }

    public static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>PostgreSQL: one round trip; the statements run as one implicit transaction.</summary>
internal sealed class PostgresStore(string connectionString) : IStore
{
    private readonly NpgsqlDataSource _dataSource = new NpgsqlDataSourceBuilder(
        new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true }.ConnectionString).Build();

    public async Task<Guid> StoreUnlessDuplicateAsync(Guid id, ContactRequest request, string hash, DateTime now, string subject, string text, string html,
        CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql.Store);
        Sql.AddParameters(command, id, request, hash, now, subject, text, html);
        return (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>
/// SQLite: one writer at a time (as the app's write gate), WAL with synchronous=NORMAL set once per native connection
/// (as the app).
/// </summary>
internal sealed class SqliteStore(string connectionString) : IStore
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _configured = new();

    public async Task<Guid> StoreUnlessDuplicateAsync(Guid id, ContactRequest request, string hash, DateTime now, string subject, string text, string html,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = connection.BeginTransaction();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Sql.Store;
            // As EF stores them on SQLite: the id as upper-case text.
            Sql.AddParameters(command, id.ToString().ToUpperInvariant(), request, hash, now, subject, text, html);
            var kept = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            return Guid.Parse(kept);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!_configured.TryGetValue(connection.Handle!, out _))
        {
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            _configured.AddOrUpdate(connection.Handle!, connection.Handle!);
        }

        return connection;
    }
}
