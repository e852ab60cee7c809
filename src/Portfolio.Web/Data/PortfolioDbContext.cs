using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Content;
using Portfolio.Web.Email;
using Portfolio.Web.Media;

namespace Portfolio.Web.Data;

/// <summary>
/// The one EF Core model. Each provider has a thin subclass with its own migrations folder
/// (EF Core's "multiple context types" approach), so SQLite and PostgreSQL get SQL written for them.
/// The backoffice's users and roles (ASP.NET Core Identity) live in the same model and migrations.
/// </summary>
public abstract class PortfolioDbContext(DbContextOptions options)
    : IdentityDbContext<BackofficeUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<ContentItem> ContentItems => Set<ContentItem>();
    public DbSet<ContentVersion> ContentVersions => Set<ContentVersion>();
    public DbSet<ContentRedirect> ContentRedirects => Set<ContentRedirect>();
    public DbSet<ContactMessage> ContactMessages => Set<ContactMessage>();
    public DbSet<ConsultationBooking> Bookings => Set<ConsultationBooking>();
    public DbSet<BookingDay> BookingDays => Set<BookingDay>();
    public DbSet<BookingReminder> BookingReminders => Set<BookingReminder>();
    public DbSet<ExpertCalendarFeed> ExpertCalendarFeeds => Set<ExpertCalendarFeed>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<EmailOutboxMessage> EmailOutbox => Set<EmailOutboxMessage>();
    public DbSet<EmailDeliveryAttempt> EmailDeliveryAttempts => Set<EmailDeliveryAttempt>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<MediaItem> MediaItems => Set<MediaItem>();
    public DbSet<ExpertBusyFeed> ExpertBusyFeeds => Set<ExpertBusyFeed>();
    public DbSet<ExpertBusyInterval> ExpertBusyIntervals => Set<ExpertBusyInterval>();
    /// <summary>Data-protection keys, shared by every instance (Infrastructure/SharedKeys.cs).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<SharedSecret> SharedSecrets => Set<SharedSecret>();
    public DbSet<ChangeStamp> ChangeStamps => Set<ChangeStamp>();
    public DbSet<Webhooks.Webhook> Webhooks => Set<Webhooks.Webhook>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Webhooks.WebhookDeliveryAttempt> WebhookDeliveryAttempts => Set<Webhooks.WebhookDeliveryAttempt>();

    /// <summary>
    /// Pinned, not read from <c>IdentityOptions</c>: the migration tool and the tests build the model without
    /// the app's services, and the model must be the same everywhere.
    /// </summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version2;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortfolioDbContext).Assembly,
            type => type.Namespace?.StartsWith("Portfolio.Web", StringComparison.Ordinal) == true);
        if (Database.IsNpgsql())
        {
            // See ConsultationBooking.MaxLength. On SQLite the overlap triggers hold bookings to it: SQLite adds a check
            // only by rebuilding the table, which drops the triggers and commits in several steps.
            builder.Entity<ConsultationBooking>().ToTable(table =>
                table.HasCheckConstraint("CK_Bookings_MaxLength", "\"EndUtc\" <= \"StartUtc\" + interval '1 day'"));
            // Booking.BookingOutcome's values; on SQLite, triggers of the BookingRemindersOutcomesAndReasons migration.
            builder.Entity<ConsultationBooking>().ToTable(table => table.HasCheckConstraint("CK_Bookings_Outcome", "\"Outcome\" IN (0, 1, 2)"));
            // A scheduled publish names an existing version (ContentItem.ScheduledVersionNumber); on SQLite, triggers of the
            // AddScheduledVersionToContentItems migration hold the same rule, for the same reason.
            builder.Entity<ContentItem>().ToTable(table => table.HasCheckConstraint("CK_ContentItems_ScheduledVersion",
                "(\"PublishAtUtc\" IS NULL AND \"ScheduledVersionNumber\" IS NULL) OR " +
                "(\"PublishAtUtc\" IS NOT NULL AND \"ScheduledVersionNumber\" > 0 AND \"ScheduledVersionNumber\" <= \"LatestVersionNumber\")"));
        }
    }

    /// <summary>
    /// Holds the SQLite write gate until disposed, for work outside EF that must not overlap the app's writes (a WAL
    /// checkpoint). EF's own writes need nothing: <see cref="SqliteWriteGateInterceptor"/> queues them. Other databases
    /// need no queue.
    /// </summary>
    public virtual ValueTask<IDisposable> HoldWriteGateAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable>(NoGate.Instance);

    private sealed class NoGate : IDisposable
    {
        public static readonly NoGate Instance = new();

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// Runs the statements as one command, all or nothing (on SQLite behind the app's other writes), and returns the first
    /// value the command selects (null when it selects nothing), so that a write can also answer a question in the same
    /// trip. On PostgreSQL that is one round trip: Npgsql sends the statements with one Sync, and the server runs them as
    /// one implicit transaction (in an explicit one, BEGIN rides with the first statement, but each further statement and
    /// the COMMIT cost a round trip). It relies on Npgsql splitting the text at semicolons (its default SQL rewriting).
    /// A refused row throws, and none is kept. Put the SELECT last: both providers run the statements before it first.
    /// </summary>
    public virtual async Task<object?> ExecuteAtomicallyAsync(IReadOnlyList<FormattableString> statements, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("ExecuteAtomicallyAsync makes its own transaction.");
        }

        return await ExecuteBatchAsync(statements, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ExecuteAtomicallyAsync"/>, or inside the caller's transaction when one is open: then the statements
    /// commit or roll back with the caller's work (a publish inside the availability editor's transaction, say).
    /// </summary>
    public Task<object?> ExecuteAtomicallyOrInTransactionAsync(IReadOnlyList<FormattableString> statements, CancellationToken cancellationToken) =>
        Database.CurrentTransaction is null ? ExecuteAtomicallyAsync(statements, cancellationToken) : ExecuteBatchAsync(statements, cancellationToken);

    /// <summary>
    /// The statements as one command through EF's own raw-SQL command (its parameters are typed as the model stores them:
    /// a Guid as TEXT on SQLite, for example), read as a scalar.
    /// </summary>
    protected async Task<object?> ExecuteBatchAsync(IReadOnlyList<FormattableString> statements, CancellationToken cancellationToken)
    {
        var (command, parameters) = RawCommand(SqlBatch.Join(statements));
        var value = await command.ExecuteScalarAsync(parameters, cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>
    /// The rows of one query, each read by <paramref name="read"/>, through EF's raw-SQL command as above. For the hot
    /// reads of the write paths: a LINQ query, even a compiled one, cost the booking API a tenth of its CPU in EF's
    /// query pipeline (parameter extraction, the query cache, a delegate built per call), measured with perf.
    /// </summary>
    public async Task<List<T>> QueryRowsAsync<T>(FormattableString query, Func<System.Data.Common.DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var (command, parameters) = RawCommand(query);
        await using var reader = await command.ExecuteReaderAsync(parameters, cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader.DbDataReader));
        }

        return rows;
    }

    /// <remarks>
    /// What ExecuteSqlRaw does, less its execution strategy (none that retries is configured: a retried batch would have
    /// to be safe to run twice) and its concurrency detector (a context is used by one request at a time).
    /// </remarks>
    private (IRelationalCommand Command, RelationalCommandParameterObject Parameters) RawCommand(FormattableString sql)
    {
        var raw = this.GetService<IRawSqlCommandBuilder>().Build(sql.Format, sql.GetArguments()!, Model);
        return (raw.RelationalCommand, new RelationalCommandParameterObject(
            this.GetService<IRelationalConnection>(), raw.ParameterValues, readerColumns: null, this,
            this.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.ExecuteSqlRaw));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Time is stored in UTC; SQLite hands DateTime back as "Unspecified", so say what it is.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));

    internal sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        value => value == null ? null : value.Value.Kind == DateTimeKind.Utc ? value : value.Value.ToUniversalTime(),
        value => value == null ? null : DateTime.SpecifyKind(value.Value, DateTimeKind.Utc));
}

/// <summary>The embedded default: a file in <c>umbraco/Data</c>.</summary>
public sealed class SqlitePortfolioDbContext : PortfolioDbContext
{
    public SqlitePortfolioDbContext(DbContextOptions<SqlitePortfolioDbContext> options) : base(options)
    {
        WriteLease = new SqliteWriteLease(() => _gateKey ??= Database.GetConnectionString() ?? "");
    }

    /// <summary>This context's place in the <see cref="SqliteWriteGate"/>, taken and given back by <see cref="SqliteWriteGateInterceptor"/>.</summary>
    internal SqliteWriteLease WriteLease { get; }

    /// <summary>
    /// SQLite runs a command's statements one by one, each its own transaction unless one is open: so one is. The write
    /// takes its turn in the <see cref="SqliteWriteGate"/> before the connection opens, not when its transaction begins
    /// (after the open, where <see cref="SqliteWriteGateInterceptor"/> would take it). That way the writer whose turn it
    /// is gets the connection the write before it just gave back to the pool, whose page cache is still current. Opened
    /// before the turn, every waiting writer held a connection of its own, and each found its cache stale (another
    /// connection had written since), so SQLite dropped it and read the pages again: the contact API spent 30 % more CPU
    /// per message (tests/bench/api.sh; perf showed the page reads, <c>pread</c>, twelve times as often).
    /// </summary>
    public override async Task<object?> ExecuteAtomicallyAsync(IReadOnlyList<FormattableString> statements, CancellationToken cancellationToken)
    {
        using var turn = await WriteLease.HoldAsync(cancellationToken);
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var selected = await ExecuteBatchAsync(statements, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return selected;
    }

    public override ValueTask<IDisposable> HoldWriteGateAsync(CancellationToken cancellationToken) => WriteLease.HoldAsync(cancellationToken);

    // A transaction disposed without a commit or rollback (an exception on the way) reports neither to the interceptor;
    // its lease goes back here at the latest, when the context's scope ends (or it returns to the pool).
    public override void Dispose()
    {
        WriteLease.Release();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        WriteLease.Release();
        return base.DisposeAsync();
    }

    private string? _gateKey;
}

/// <summary>PostgreSQL, for production and for running several instances.</summary>
public sealed class PostgresPortfolioDbContext(DbContextOptions<PostgresPortfolioDbContext> options) : PortfolioDbContext(options);
