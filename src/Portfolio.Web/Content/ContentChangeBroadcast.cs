using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Portfolio.Web.Data;

namespace Portfolio.Web.Content;

/// <summary>
/// Tells the other instances on the same PostgreSQL that what the public site shows has changed (a publish, a
/// redirect, a media item's alt text …): the <c>content</c> row of <c>ChangeStamps</c> goes up by one and a
/// <c>NOTIFY portfolio_content</c> carries the new value and this instance's id. <see cref="RemoteContentChanges"/>
/// on each instance drops its published snapshot and its cached pages when it hears it. On SQLite (one process)
/// there is nobody to tell.
/// </summary>
public sealed partial class ContentChangeBroadcast(IServiceScopeFactory scopes, ILogger<ContentChangeBroadcast> logger)
{
    internal const string Channel = "portfolio_content";

    /// <summary>Tells this process's own notifications from the others'.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public async Task SendAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<PortfolioDbContext>() is not PostgresPortfolioDbContext db)
        {
            return;
        }

        try
        {
            // One statement: the stamp and the notification go together (NOTIFY is sent when the statement commits).
            await db.Database.ExecuteSqlRawAsync($$"""
                WITH bumped AS (UPDATE "ChangeStamps" SET "Version" = "Version" + 1 WHERE "Name" = '{{ChangeStamp.Content}}' RETURNING "Version")
                SELECT pg_notify('{{Channel}}', {0} || ':' || "Version") FROM bumped
                """, [InstanceId], cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // The change itself is committed; failing the editor's request now would not undo it. The other instances
            // see it at their next change or restart; the warning says so.
            LogNotSent(logger, exception);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning,
        Message = "Could not tell the other instances that content changed; they show the old content until the next change")]
    private static partial void LogNotSent(ILogger logger, Exception exception);
}

/// <summary>
/// Listens on PostgreSQL for <see cref="ContentChangeBroadcast"/>'s notifications on a connection of its own and
/// drops this instance's published snapshot and output cache when another instance changed content. Every
/// <see cref="DatabaseOptions.ChangeCheckInterval"/> without a notification it reads the stamp itself, so a
/// notification lost with a dropped connection is made up for within that interval; after a reconnect it compares
/// the stamp at once.
/// </summary>
public sealed partial class RemoteContentChanges(IServiceScopeFactory scopes, ContentChangeBroadcast broadcast, PublishedContentCache cache,
    IOptions<DatabaseOptions> options, ILogger<RemoteContentChanges> logger) : BackgroundService
{
    private long? _seen;
    private bool _remoteChange;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (scope.ServiceProvider.GetRequiredService<PortfolioDbContext>() is not PostgresPortfolioDbContext db)
            {
                return;
            }

            // Outside the pool: LISTEN is session state, and pooled connections are not reset (DataExtensions.WithPoolDefaults).
            connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
            {
                Pooling = false,
                Multiplexing = false,
                KeepAlive = 30,
            }.ConnectionString;
        }

        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogListenFailed(logger, retry.TotalSeconds, exception);
                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, 15));
                continue;
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, notification) => Heard(notification.Payload);
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {ContentChangeBroadcast.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Anything changed while this instance was not listening (a dropped connection) is caught up on now.
        await CheckStampAsync(connection, stoppingToken);
        while (true)
        {
            if (await connection.WaitAsync(options.Value.ChangeCheckInterval, stoppingToken))
            {
                if (_remoteChange)
                {
                    _remoteChange = false;
                    await cache.InvalidateLocalAsync(stoppingToken);
                }

                continue;
            }

            await CheckStampAsync(connection, stoppingToken);
        }
    }

    private void Heard(string payload)
    {
        var separator = payload.LastIndexOf(':');
        if (separator < 0 || !long.TryParse(payload.AsSpan(separator + 1), out var version))
        {
            return;
        }

        _seen = Math.Max(_seen ?? 0, version);
        // This instance's own change was dropped locally already.
        if (!payload.AsSpan(0, separator).SequenceEqual(broadcast.InstanceId))
        {
            _remoteChange = true;
        }
    }

    private async Task CheckStampAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT \"Version\" FROM \"ChangeStamps\" WHERE \"Name\" = '{ChangeStamp.Content}'", connection);
        var stamp = await command.ExecuteScalarAsync(cancellationToken) as long?;
        if (stamp is null)
        {
            return;
        }

        var changed = _seen is not null && stamp != _seen;
        _seen = stamp;
        if (changed || _remoteChange)
        {
            _remoteChange = false;
            LogCaughtUp(logger, stamp.Value);
            await cache.InvalidateLocalAsync(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Listening for other instances' content changes failed; trying again in {Seconds} s")]
    private static partial void LogListenFailed(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(EventId = 212, Level = LogLevel.Debug, Message = "Content changed elsewhere (stamp {Stamp}): cached pages dropped")]
    private static partial void LogCaughtUp(ILogger logger, long stamp);
}
