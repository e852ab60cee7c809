using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Portfolio.Web.Data;

/// <summary>
/// Empties Npgsql's connection pool when a command fails on the connection itself (Npgsql's own error, not the
/// server's answer): the server restarted or the network dropped. The pool's other idle connections broke at the same
/// moment, and Npgsql would find that out only when a request used one, failing that request after the database was
/// back (DatabaseOutageTests met one that answered "BindComplete while expecting ParseCompleteMessage"). Cleared, idle
/// connections close at once and busy ones when they are returned, so the requests after the outage open fresh ones.
/// </summary>
public sealed class BrokenConnectionPoolReset : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => ClearIfConnectionFailed(command, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ClearIfConnectionFailed(command, eventData.Exception);
        return Task.CompletedTask;
    }

    private static void ClearIfConnectionFailed(DbCommand command, Exception exception)
    {
        if (exception is NpgsqlException and not PostgresException && command.Connection is NpgsqlConnection connection)
        {
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
