using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Backup;

/// <summary>The files of a content root a backup carries beside the database: media and keys.</summary>
public static class ContentRootFiles
{
    /// <summary>
    /// Folders under <c>umbraco/media</c> made from the uploads and made again on request: the image sizes
    /// (<c>ImageSizeCache</c>) and share cards (<c>ShareCards</c>). Leaving them out keeps the archive to what cannot be
    /// made again.
    /// </summary>
    private static readonly string[] DerivedMediaFolders = ["sizes", "cards"];

    private const string DataProtectionFolder = "keys";
    private const string ShareCardKey = "share-card.key";

    /// <summary>Copies the uploads into <paramref name="target"/>; returns how many.</summary>
    public static int CopyMedia(PortfolioPaths paths, string target)
    {
        if (!Directory.Exists(paths.Media))
        {
            return 0;
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(paths.Media, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(paths.Media, file);
            if (DerivedMediaFolders.Contains(relative.Split(Path.DirectorySeparatorChar)[0]) || Path.GetFileName(file).StartsWith(".write-test-", StringComparison.Ordinal))
            {
                continue;
            }

            var copy = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            try
            {
                File.Copy(file, copy);
                count++;
            }
            catch (FileNotFoundException)
            {
                // Deleted in the library since it was listed: the database copy, made first, may still name it, as the
                // site itself would have for that moment.
            }
        }

        return count;
    }

    /// <summary>
    /// Copies the data-protection key ring (<c>umbraco/Data/keys</c>) and the share-card key, when there: the database
    /// holds values protected with them (busy-calendar addresses, idempotent replies), and sign-in cookies and card URLs
    /// stay valid. When the keys live in the database instead, the database's copy carries them.
    /// </summary>
    public static int CopyKeys(PortfolioPaths paths, string target)
    {
        var count = 0;
        var ring = Path.Combine(paths.Data, DataProtectionFolder);
        if (Directory.Exists(ring))
        {
            foreach (var file in Directory.EnumerateFiles(ring))
            {
                Directory.CreateDirectory(Path.Combine(target, "data-protection"));
                File.Copy(file, Path.Combine(target, "data-protection", Path.GetFileName(file)));
                count++;
            }
        }

        var shareCard = Path.Combine(paths.Data, ShareCardKey);
        if (File.Exists(shareCard))
        {
            File.Copy(shareCard, Path.Combine(Directory.CreateDirectory(target).FullName, ShareCardKey));
            count++;
        }

        return count;
    }

    /// <summary>
    /// Puts the staged media and keys in place: the media folder is replaced as a whole (a rename; the old one, with its
    /// derived sizes, is removed), keys are added to the ring (each has its own name; a key ring may hold several) and
    /// the share-card key replaces the current one. Returns the media and key files restored.
    /// </summary>
    public static (int Media, int Keys) Restore(string staging, PortfolioPaths paths)
    {
        var media = 0;
        var stagedMedia = Path.Combine(staging, "media");
        var previous = Path.Combine(staging, "previous-media");
        if (Directory.Exists(stagedMedia))
        {
            media = Directory.EnumerateFiles(stagedMedia, "*", SearchOption.AllDirectories).Count();
        }
        else
        {
            Directory.CreateDirectory(stagedMedia);
        }

        try
        {
            if (Directory.Exists(paths.Media))
            {
                Directory.Move(paths.Media, previous);
            }

            Directory.Move(stagedMedia, paths.Media);
        }
        catch (IOException) when (Directory.Exists(paths.Media))
        {
            // The media folder is a mount of its own (a rename cannot leave it): its contents are replaced instead.
            foreach (var old in Directory.EnumerateFileSystemEntries(paths.Media))
            {
                if (Directory.Exists(old))
                {
                    Directory.Delete(old, recursive: true);
                }
                else
                {
                    File.Delete(old);
                }
            }

            foreach (var file in Directory.EnumerateFiles(stagedMedia, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(paths.Media, Path.GetRelativePath(stagedMedia, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }

        var keys = 0;
        var stagedRing = Path.Combine(staging, "keys", "data-protection");
        if (Directory.Exists(stagedRing))
        {
            var ring = Directory.CreateDirectory(Path.Combine(paths.Data, DataProtectionFolder)).FullName;
            foreach (var file in Directory.EnumerateFiles(stagedRing))
            {
                File.Copy(file, Path.Combine(ring, Path.GetFileName(file)), overwrite: true);
                keys++;
            }
        }

        var stagedShareCard = Path.Combine(staging, "keys", ShareCardKey);
        if (File.Exists(stagedShareCard))
        {
            File.Copy(stagedShareCard, Path.Combine(paths.Data, ShareCardKey), overwrite: true);
            keys++;
        }

        return (media, keys);
    }
}
