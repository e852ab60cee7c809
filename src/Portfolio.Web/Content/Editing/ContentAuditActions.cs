namespace Portfolio.Web.Content.Editing;

/// <summary>
/// What the content editor writes to the audit log. The entity type is the document type's alias
/// (<c>expertProfile</c>), the entity id the item's key, the version the one the action produced or used.
/// </summary>
public static class ContentAuditActions
{
    public const string Created = "ContentCreated";
    public const string DraftSaved = "ContentDraftSaved";
    public const string Published = "ContentPublished";
    public const string Unpublished = "ContentUnpublished";
    public const string Scheduled = "ContentScheduled";
    public const string Reordered = "ContentReordered";
    /// <summary>Moved to the recycle bin (what the editor's "Delete" does).</summary>
    public const string Deleted = "ContentDeleted";
    public const string Restored = "ContentRestored";
    /// <summary>Deleted for good from the recycle bin, by an administrator.</summary>
    public const string DeletedPermanently = "ContentDeletedPermanently";
}
