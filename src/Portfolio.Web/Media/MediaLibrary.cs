using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Media;

/// <summary>The audit log's names for media changes.</summary>
public static class MediaAudit
{
    public const string EntityType = "Media";
    public const string Uploaded = "MediaUploaded";
    public const string AltTextChanged = "MediaAltTextChanged";
    public const string Deleted = "MediaDeleted";
    public const string FocalPointChanged = "MediaFocalPointChanged";
}

/// <summary>A content item whose current draft or published version shows a media item.</summary>
public sealed record MediaUsage(Guid ContentId, string ContentName, string ContentType, bool InPublishedVersion);

public abstract record MediaUploadResult
{
    public sealed record Stored(MediaItem Item) : MediaUploadResult;
    /// <summary>The file is refused; <see cref="Problem"/> says why in words for the editor.</summary>
    public sealed record Refused(string Problem) : MediaUploadResult;
}

public abstract record MediaDeleteResult
{
    public sealed record Deleted : MediaDeleteResult;
    public sealed record NotFound : MediaDeleteResult;
    public sealed record InUse(IReadOnlyList<MediaUsage> Usages) : MediaDeleteResult;
}

/// <summary>
/// The media library: images in <c>umbraco/media/</c> under generated names, their metadata in <c>MediaItems</c>.
/// Upload decodes and re-encodes the image (<see cref="ImageCodec"/>) within the size limits; the picker offers only images with alt text;
/// an image that content shows cannot be deleted.
/// </summary>
public sealed partial class MediaLibrary(
    PortfolioDbContext db,
    ContentService documents,
    PortfolioPaths paths,
    AuditLog audit,
    IOptions<MediaOptions> options,
    PublishedContentCache publishedContent,
    ImageSizeCache sizes,
    TimeProvider clock,
    ILogger<MediaLibrary> logger)
{
    /// <summary>Whether <paramref name="name"/> has the shape of a name this library makes (32 hex digits and a known extension).</summary>
    public static bool IsStoredName(string? name) => name is not null && StoredNamePattern().IsMatch(name);

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    /// <summary>Checks and stores an upload. Reads at most one byte past the limit, so a lying length cannot make it read more.</summary>
    public async Task<MediaUploadResult> UploadAsync(Stream content, string? originalName, string? altText, string uploadedBy,
        CancellationToken cancellationToken = default)
    {
        var limit = options.Value.MaxUploadBytes;
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return new MediaUploadResult.Refused(TooLargeMessage(limit));
            }
        }

        // Decoded and encoded again: the stored file holds our encoder's bytes only (see ImageCodec).
        var image = ImageCodec.Normalize(buffer.ToArray(), options.Value.MaxDimension, options.Value.MaxPixels);
        if (!image.IsAccepted)
        {
            return new MediaUploadResult.Refused(image.Problem!);
        }

        var bytes = image.Bytes.AsMemory();
        var item = new MediaItem
        {
            Id = Guid.NewGuid(),
            OriginalName = CleanFileName(originalName),
            ContentType = image.Format!.ContentType,
            SizeBytes = bytes.Length,
            Width = image.Width,
            Height = image.Height,
            AltText = CleanAltText(altText),
            UploadedBy = Truncate(uploadedBy, MediaItem.UploadedByMaxLength),
            UploadedUtc = clock.GetUtcNow().UtcDateTime,
        };
        item.StoredName = item.Id.ToString("N") + image.Format.Extension;

        var path = PathOf(item.StoredName);
        var temporary = path + ".uploading";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await file.WriteAsync(bytes, cancellationToken);
        }

        // Complete files only: a reader never sees half an image under the final name.
        File.Move(temporary, path);
        try
        {
            db.MediaItems.Add(item);
            audit.Add(MediaAudit.Uploaded, MediaAudit.EntityType, item.Id.ToString(),
                details: $"{item.OriginalName} ({item.ContentType}, {MediaText.Size(item.SizeBytes)}) as {item.StoredName}");
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        logger.LogInformation("Media {MediaId} uploaded as {StoredName} ({ContentType}, {SizeBytes} bytes)",
            item.Id, item.StoredName, item.ContentType, item.SizeBytes);
        return new MediaUploadResult.Stored(item);
    }

    public static string TooLargeMessage(long limit) => $"The file is larger than {MediaText.Size(limit)}, the largest image the library accepts.";

    /// <summary>Every item, newest first.</summary>
    public async Task<IReadOnlyList<MediaItem>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.MediaItems.AsNoTracking().OrderByDescending(item => item.UploadedUtc).ThenBy(item => item.Id).ToListAsync(cancellationToken);

    /// <summary>The items that may be used in content: those with alt text, newest first. This is what the picker offers.</summary>
    public async Task<IReadOnlyList<MediaItem>> ListUsableAsync(CancellationToken cancellationToken = default) =>
        await db.MediaItems.AsNoTracking().Where(item => item.AltText != "")
            .OrderByDescending(item => item.UploadedUtc).ThenBy(item => item.Id).ToListAsync(cancellationToken);

    /// <summary>The backoffice search: items whose file name or alt text holds the term, case-insensitively, newest first.</summary>
    public async Task<IReadOnlyList<MediaItem>> SearchAsync(string term, int limit, CancellationToken cancellationToken = default)
    {
        var lower = term.ToLowerInvariant();
        return await db.MediaItems.AsNoTracking()
            .Where(item => item.OriginalName.ToLower().Contains(lower) || item.AltText.ToLower().Contains(lower))
            .OrderByDescending(item => item.UploadedUtc).ThenBy(item => item.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        await db.MediaItems.AsNoTracking().FirstOrDefaultAsync(item => item.Id == id, cancellationToken);

    public async Task<MediaItem?> FindByStoredNameAsync(string storedName, CancellationToken cancellationToken = default) =>
        IsStoredName(storedName)
            ? await db.MediaItems.AsNoTracking().FirstOrDefaultAsync(item => item.StoredName == storedName, cancellationToken)
            : null;

    /// <summary>The library item a URL such as <c>/media/{name}</c> points at; null for other URLs and unknown names.</summary>
    public async Task<MediaItem?> FindByUrlAsync(string? url, CancellationToken cancellationToken = default) =>
        MediaUrls.StoredNameOf(url) is { } name ? await FindByStoredNameAsync(name, cancellationToken) : null;

    /// <summary>Sets the alt text (empty marks the item "needs alt text" again). False when the item does not exist.</summary>
    public async Task<bool> UpdateAltTextAsync(Guid id, string? altText, CancellationToken cancellationToken = default)
    {
        var item = await db.MediaItems.FirstOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (item is null)
        {
            return false;
        }

        var cleaned = CleanAltText(altText);
        if (cleaned == item.AltText)
        {
            return true;
        }

        audit.Add(MediaAudit.AltTextChanged, MediaAudit.EntityType, item.Id.ToString(),
            details: $"{item.OriginalName}: \"{item.AltText}\" → \"{cleaned}\"");
        item.AltText = cleaned;
        await db.SaveChangesAsync(cancellationToken);
        // Public pages may show this alt text (an expert's photo): drop their cached copies, on every instance.
        await publishedContent.InvalidateAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Sets the point the crops keep in view (percent of width and height, clamped to 0–100). The sizes' URLs carry
    /// the focal point, so pages re-rendered now point at new crops; the cached pages are dropped.
    /// </summary>
    public async Task<bool> SetFocalPointAsync(Guid id, int x, int y, CancellationToken cancellationToken = default)
    {
        var item = await db.MediaItems.FirstOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (item is null)
        {
            return false;
        }

        (x, y) = (Math.Clamp(x, 0, 100), Math.Clamp(y, 0, 100));
        if (item.FocalX == x && item.FocalY == y)
        {
            return true;
        }

        audit.Add(MediaAudit.FocalPointChanged, MediaAudit.EntityType, item.Id.ToString(),
            details: $"{item.OriginalName}: {item.FocalX}% {item.FocalY}% → {x}% {y}%");
        (item.FocalX, item.FocalY) = (x, y);
        await db.SaveChangesAsync(cancellationToken);
        await publishedContent.InvalidateAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes an item and its file, unless content still shows it (then nothing changes).</summary>
    public async Task<MediaDeleteResult> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var item = await db.MediaItems.FirstOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (item is null)
        {
            return new MediaDeleteResult.NotFound();
        }

        var usages = await UsagesOfAsync(item.StoredName, cancellationToken);
        if (usages.Count > 0)
        {
            return new MediaDeleteResult.InUse(usages);
        }

        db.MediaItems.Remove(item);
        audit.Add(MediaAudit.Deleted, MediaAudit.EntityType, item.Id.ToString(), details: $"{item.OriginalName} ({item.StoredName})");
        await db.SaveChangesAsync(cancellationToken);
        sizes.Forget(item.Id);
        try
        {
            File.Delete(PathOf(item.StoredName));
        }
        catch (IOException exception)
        {
            // The row is gone, so the file is no longer served; a leftover file only takes space.
            logger.LogWarning(exception, "Media file {StoredName} could not be deleted", item.StoredName);
        }

        return new MediaDeleteResult.Deleted();
    }

    public async Task<IReadOnlyList<MediaUsage>> UsagesOfAsync(string storedName, CancellationToken cancellationToken = default) =>
        (await UsagesAsync(cancellationToken)).TryGetValue(storedName, out var usages) ? usages : [];

    /// <summary>
    /// Which content shows which media, by stored name: every <c>/media/{name}</c> in each item's latest draft and
    /// published version. Older versions do not count: rolling back to one that shows a deleted image shows none.
    /// A scan of the current documents; cheap for a site of this size (hundreds of items, not millions).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MediaUsage>>> UsagesAsync(CancellationToken cancellationToken = default)
    {
        var versions = await documents.CurrentVersionsAsync(cancellationToken);

        var found = new Dictionary<string, Dictionary<Guid, MediaUsage>>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            foreach (Match match in MediaUrlInText().Matches(version.Json))
            {
                var byItem = found.TryGetValue(match.Groups["name"].Value, out var existing)
                    ? existing
                    : found[match.Groups["name"].Value] = [];
                var published = version.Published || (byItem.TryGetValue(version.ItemId, out var earlier) && earlier.InPublishedVersion);
                byItem[version.ItemId] = new MediaUsage(version.ItemId, version.ItemName, version.ContentType, published);
            }
        }

        return found.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<MediaUsage>)[.. pair.Value.Values.OrderBy(usage => usage.ContentName, StringComparer.CurrentCulture)],
            StringComparer.Ordinal);
    }

    /// <summary>The file of a stored name; only names of <see cref="IsStoredName"/>'s shape reach the disk, so no path can escape the folder.</summary>
    public string PathOf(string storedName) =>
        IsStoredName(storedName) ? Path.Combine(paths.Media, storedName) : throw new ArgumentException("Not a media file name.", nameof(storedName));

    public static string CleanAltText(string? altText) => Truncate(TextInput.Clean(altText), MediaItem.AltTextMaxLength);

    /// <summary>The uploaded name without folders, control or direction-changing characters, for display only.</summary>
    public static string CleanFileName(string? name)
    {
        var withoutFolders = (name ?? "").Split('/', '\\').Last();
        var builder = new StringBuilder(withoutFolders.Length);
        foreach (var c in TextInput.Clean(withoutFolders))
        {
            // Format characters include U+202E (right-to-left override), which can disguise "gpj.exe" as "exe.jpg".
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                builder.Append(c);
            }
        }

        var cleaned = builder.ToString().Trim();
        return cleaned.Length == 0 ? "image" : Truncate(cleaned, MediaItem.OriginalNameMaxLength);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [GeneratedRegex("^[0-9a-f]{32}\\.(jpg|png|webp|gif)$", RegexOptions.CultureInvariant)]
    private static partial Regex StoredNamePattern();

    [GeneratedRegex("/media/(?<name>[0-9a-f]{32}\\.(jpg|png|webp|gif))", RegexOptions.CultureInvariant)]
    private static partial Regex MediaUrlInText();
}
