using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>
/// <c>/umbraco/content/create?type=article</c>: a new item in the same generic editor; it is created as a draft
/// (the engine refuses an invalid document, so the first save needs the required fields). Without a type: a
/// list of the types to choose from.
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentEdit)]
public sealed class CreateModel(ContentService content, AuditLog audit, MarkdownRenderer markdown) : ContentEditorPageModel(markdown)
{
    [BindProperty(SupportsGet = true, Name = "type")]
    public string? TypeAlias { get; set; }

    /// <summary>Singleton types that already have their one item (offered as a link to it instead).</summary>
    public IReadOnlyDictionary<string, Guid> ExistingSingletons { get; private set; } = new Dictionary<string, Guid>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await ChooseTypeAsync(cancellationToken))
        {
            return Page();
        }

        Document = (IDocument)Activator.CreateInstance(Type.ClrType)!;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await ChooseTypeAsync(cancellationToken))
        {
            return Page();
        }

        ReadPostedDocument();
        if (PostedSlug.Length == 0 && Document.DisplayName.Length > 0)
        {
            Slug = Slugs.From(Document.DisplayName);
        }

        if (!IsValid())
        {
            return Page();
        }

        try
        {
            var created = await content.CreateAsync(Document, PostedSlug, Author, cancellationToken: cancellationToken);
            await audit.RecordAsync(ContentAuditActions.Created, created.ContentType, created.Key.ToString(), created.LatestVersionNumber,
                created.Document.DisplayName, cancellationToken: cancellationToken);
            return LocalRedirect($"/umbraco/content/{created.Key}?status=created");
        }
        catch (ContentException refused) when (Explain(refused))
        {
            return Page();
        }
    }

    public async Task<IActionResult> OnPostCommandAsync(CancellationToken cancellationToken)
    {
        if (!await ChooseTypeAsync(cancellationToken))
        {
            return Page();
        }

        ReadPostedDocument();
        ApplyCommand();
        return Page();
    }

    /// <summary>False when no (creatable) type is chosen: the page then lists the types.</summary>
    private async Task<bool> ChooseTypeAsync(CancellationToken cancellationToken)
    {
        SetTitle("Create content");
        var singletons = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var type in ContentTypeGroups.Ordered.Where(type => type.Singleton))
        {
            if ((await content.ListAsync(type.Alias, cancellationToken)) is [var only, ..])
            {
                singletons[type.Alias] = only.Key;
            }
        }

        ExistingSingletons = singletons;
        if (TypeAlias is null || !DocumentTypeRegistry.ByAlias.TryGetValue(TypeAlias, out var chosen) || singletons.ContainsKey(chosen.Alias))
        {
            TypeAlias = null;
            return false;
        }

        Type = chosen;
        State.CommandAction = Url.Page("/Content/Create", "Command", new { area = BackofficeRoutes.Area, type = chosen.Alias }) ?? "";
        SetTitle($"New {ContentTypeGroups.Singular(chosen)}");
        return true;
    }
}
