namespace Portfolio.Web.Content;

/// <summary>
/// Told by <see cref="ContentService"/> after a change that can alter what the public site shows (publish, unpublish,
/// schedule applied, moved to or out of the recycle bin, deleted for good) has been committed. The search index
/// listens; a listener reads the items' current state itself, so being told twice does no harm.
/// </summary>
public interface IContentChangeListener
{
    Task ContentChangedAsync(IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken);
}
