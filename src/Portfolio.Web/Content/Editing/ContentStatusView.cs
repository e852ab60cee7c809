namespace Portfolio.Web.Content.Editing;

/// <summary>An item's publishing state as the content tree and the editor show it.</summary>
public sealed record ContentStatusView(bool IsPublished, bool HasUnpublishedChanges, DateTime? PublishAtUtc, DateTime? UnpublishAtUtc)
{
    public string Label => !IsPublished ? "Draft" : HasUnpublishedChanges ? "Changed since published" : "Published";

    public string BadgeClass => !IsPublished ? "" : HasUnpublishedChanges ? "bo-badge--warn" : "bo-badge--ok";
}
