using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>
/// What the create and edit pages share: reading the generic editor's form, the list and Markdown-preview
/// buttons (which re-render the posted form, saving nothing), and turning the engine's refusals into messages.
/// </summary>
public abstract class ContentEditorPageModel(MarkdownRenderer markdown) : BackofficePageModel
{
    public DocumentTypeInfo Type { get; protected set; } = null!;

    /// <summary>The document the form shows: stored, or as posted.</summary>
    public IDocument Document { get; protected set; } = null!;

    public DocumentEditorState State { get; } = new();

    /// <summary>Nullable for binding: an emptied field binds as null (and must not count as a missing required value).</summary>
    [BindProperty]
    public string? Slug { get; set; } = "";

    protected string PostedSlug => Slug ?? "";

    /// <summary>The button that re-renders the form: <c>add:Stats</c>, <c>remove:Faq[2]</c>, <c>preview:Body</c> …</summary>
    [BindProperty]
    public string? Command { get; set; }

    /// <summary>Whether the form holds changes that are not saved (after a list or preview button, or a refused save).</summary>
    public bool HasUnsavedChanges { get; protected set; }

    protected string Author => User.Identity?.Name ?? CurrentUserId;

    protected async Task<bool> MayAsync(string policy) =>
        (await HttpContext.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(User, policy)).Succeeded;

    /// <summary>The posted document; parse problems are recorded in <see cref="State"/>.</summary>
    protected IDocument ReadPostedDocument()
    {
        // A page's path may be typed as the address it is ("/about/"): the slug is the path without the outer slashes.
        Slug = Type.SlugIsPath ? (Slug ?? "").Trim().Trim('/') : (Slug ?? "").Trim();
        Document = DocumentForm.Read(Type.ClrType, Request.Form, State);
        return Document;
    }

    /// <summary>Applies a list or preview button to the posted document; returns the fragment to scroll back to.</summary>
    protected string? ApplyCommand()
    {
        HasUnsavedChanges = true;
        if (Command is null)
        {
            return null;
        }

        if (Command.StartsWith("preview:", StringComparison.Ordinal))
        {
            var path = Command["preview:".Length..];
            State.CommandPath = path;
            if (DocumentForm.ValueAt(Document, path) is string text)
            {
                State.Previews[path] = markdown.Render(text);
                return DocumentFormNames.Id(path);
            }

            return null;
        }

        State.CommandPath = DocumentForm.ApplyListCommand(Document, Command);
        return State.CommandPath is { } list ? DocumentFormNames.Id(list) : null;
    }

    /// <summary>Shows why the engine refused a save; false when the exception is not one it explains.</summary>
    protected bool Explain(ContentException exception)
    {
        HasUnsavedChanges = true;
        switch (exception)
        {
            case DocumentValidationException invalid:
                State.AddErrors(invalid.Errors);
                return true;
            case SlugConflictException { InRecycleBin: true }:
                State.Errors["Slug"] = [$"A {BackofficeText.Humanize(Type.Alias).ToLowerInvariant()} in the recycle bin still holds this slug (so that it can be restored). Choose another, or restore or empty it from the recycle bin."];
                return true;
            case SlugConflictException:
                State.Errors["Slug"] = [$"Another {BackofficeText.Humanize(Type.Alias).ToLowerInvariant()} already uses this slug. Choose another."];
                return true;
            default:
                return false;
        }
    }

    /// <summary>The validator's errors plus the parse errors, without saving: what a refused save would say.</summary>
    protected bool IsValid()
    {
        State.AddErrors(DocumentValidator.Validate(Document));
        if (Slugs.Problem(Type, Slug) is { } problem)
        {
            State.Errors.TryAdd("Slug", [problem]);
        }
        else if (Type.SlugIsPath && HttpContext.RequestServices.GetRequiredService<PagePaths>().Problem(PostedSlug) is { } taken)
        {
            State.Errors.TryAdd("Slug", [taken]);
        }

        HasUnsavedChanges |= State.Errors.Count > 0;
        return State.Errors.Count == 0;
    }
}
