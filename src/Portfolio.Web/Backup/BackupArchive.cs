using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portfolio.Web.Data;

namespace Portfolio.Web.Backup;

/// <summary>A backup or restore that cannot go on, worded for the operator as the one line the command prints.</summary>
public sealed class BackupProblemException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// What a backup archive says about itself: the first entry, <c>manifest.json</c>, so a restore knows what it holds
/// before it reads (or trusts) anything else.
/// </summary>
public sealed record BackupManifest(
    int Format,
    DatabaseProvider Provider,
    string AppVersion,
    DateTime CreatedUtc,
    string Database,
    int MediaFiles,
    int KeyFiles)
{
    /// <summary>The archive layout this build writes and reads; a newer one is refused rather than half understood.</summary>
    public const int CurrentFormat = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Read by people too: "1.0.0+abc", not "1.0.0\u002Babc" (the file is never embedded in HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>
/// The archive: a gzip-compressed POSIX tar (readable with <c>tar -xzf</c> when the tool is not at hand) of
/// <list type="bullet">
/// <item><c>manifest.json</c> (<see cref="BackupManifest"/>), first;</item>
/// <item><c>database/portfolio.db</c> (SQLite's online backup) or <c>database/portfolio.pgdump</c> (<c>pg_dump</c>'s custom format);</item>
/// <item><c>media/…</c>: the library's uploads (<c>umbraco/media</c> without the sizes and share cards made from them);</item>
/// <item><c>keys/data-protection/…</c> and <c>keys/share-card.key</c>, when the content root has them.</item>
/// </list>
/// </summary>
public static class BackupArchive
{
    public const string ManifestEntry = "manifest.json";
    public const string SqliteEntry = "database/portfolio.db";
    public const string PostgresEntry = "database/portfolio.pgdump";
    public const string MediaPrefix = "media/";
    public const string DataProtectionPrefix = "keys/data-protection/";
    public const string ShareCardKeyEntry = "keys/share-card.key";

    /// <summary>Writes the archive from files already collected in <paramref name="staging"/> (same layout as the entries).</summary>
    public static async Task WriteAsync(string file, BackupManifest manifest, string staging, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            var manifestEntry = new PaxTarEntry(TarEntryType.RegularFile, ManifestEntry)
            {
                DataStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, BackupManifest.Json)),
            };
            await tar.WriteEntryAsync(manifestEntry, cancellationToken);
            foreach (var path in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(staging, path).Replace(Path.DirectorySeparatorChar, '/');
                await tar.WriteEntryAsync(path, name, cancellationToken);
            }
        }

        // The archive is the only copy once the disaster happens: on disk before the command says it is done.
        output.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Reads the archive into <paramref name="staging"/> and returns its manifest. Every entry is checked: the manifest
    /// first and of a known format, only files and folders, names inside the archive's layout (no <c>..</c>, no absolute
    /// path), the database present. A damaged file fails here, before anything of the content root is touched.
    /// </summary>
    public static async Task<BackupManifest> ExtractAsync(string file, string staging, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new BackupProblemException($"The backup file {file} does not exist.");
        }

        try
        {
            await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using var gzip = new GZipStream(input, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            BackupManifest? manifest = null;
            var hasDatabase = false;
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (manifest is null)
                {
                    manifest = await ReadManifestAsync(file, entry, cancellationToken);
                    continue;
                }

                if (entry.EntryType == TarEntryType.Directory)
                {
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !IsKnownName(entry.Name))
                {
                    throw new BackupProblemException($"The backup file {file} holds an entry a backup never has ({entry.Name}); it was not made by this app's backup command.");
                }

                hasDatabase |= entry.Name == DatabaseEntry(manifest.Provider);
                var target = Path.Combine(staging, entry.Name.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await entry.ExtractToFileAsync(target, overwrite: false, cancellationToken);
            }

            if (manifest is null)
            {
                throw new BackupProblemException($"The backup file {file} is empty: it holds no manifest.json.");
            }

            return hasDatabase
                ? manifest
                : throw new BackupProblemException($"The backup file {file} holds no database ({DatabaseEntry(manifest.Provider)}); it is incomplete.");
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException or JsonException
                                              or ArgumentException or NotSupportedException or IOException and not FileNotFoundException)
        {
            throw new BackupProblemException($"The backup file {file} is damaged or not a backup archive: {FirstLine(exception.Message)}", exception);
        }
    }

    public static string DatabaseEntry(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? PostgresEntry : SqliteEntry;

    private static async Task<BackupManifest> ReadManifestAsync(string file, TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Name != ManifestEntry || entry.DataStream is null)
        {
            throw new BackupProblemException($"The backup file {file} does not start with manifest.json: it is not a backup made by this app.");
        }

        var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(entry.DataStream, BackupManifest.Json, cancellationToken)
                       ?? throw new BackupProblemException($"The backup file {file} has an empty manifest.json.");
        return manifest.Format is > 0 and <= BackupManifest.CurrentFormat
            ? manifest
            : throw new BackupProblemException(
                $"The backup file {file} has format {manifest.Format}, which this version of the app ({BackupCommand.AppVersion}) cannot read " +
                $"(it reads format {BackupManifest.CurrentFormat}); restore it with the version that made it ({manifest.AppVersion}) or newer.");
    }

    /// <summary>Only the layout's own names: nothing can be written outside the staging folder, whatever the archive says.</summary>
    private static bool IsKnownName(string name)
    {
        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Split('/').Any(part => part is "" or "." or ".."))
        {
            return false;
        }

        return name is SqliteEntry or PostgresEntry or ShareCardKeyEntry
               || (name.StartsWith(MediaPrefix, StringComparison.Ordinal) && name.Length > MediaPrefix.Length)
               || (name.StartsWith(DataProtectionPrefix, StringComparison.Ordinal) && name.Length > DataProtectionPrefix.Length
                   && !name[DataProtectionPrefix.Length..].Contains('/', StringComparison.Ordinal));
    }

    internal static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
