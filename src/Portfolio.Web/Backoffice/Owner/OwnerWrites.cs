using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Backoffice.Owner;

/// <summary>Bulk writes that bypass SaveChanges, queued behind the app's other SQLite writes (see <see cref="SqliteWriteGate"/>).</summary>
internal static class OwnerWrites
{
    public static async Task<int> ExecuteDeleteAsync<TEntity>(PortfolioDbContext db, IQueryable<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        using var gate = await db.EnterWriteAsync(cancellationToken);
        return await rows.ExecuteDeleteAsync(cancellationToken);
    }
}
