using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Content;

/// <summary>One file of sample content under <c>umbraco/content/</c>.</summary>
public sealed record SampleContentFile
{
    public Guid Key { get; init; }
    public string Type { get; init; } = "";
    public string Slug { get; init; } = "";
    public int SortOrder { get; init; }
    public bool Published { get; init; } = true;
    public JsonObject Document { get; init; } = [];
}

/// <summary>
/// Imports the sample site (the TechNext consultancy) on first start with an empty database. Idempotent:
/// every file carries a fixed key and an item that exists already is left alone, so running it twice, or
/// on two instances at once, gives the same content.
/// </summary>
public sealed partial class SampleContentImporter(
    IServiceScopeFactory scopes, PortfolioPaths paths, DatabaseStartupLock startupLock, ILogger<SampleContentImporter> logger)
{
    public const string Author = "sample-content";

    /// <summary>Sample files are written by hand: a misspelt property must fail the import, not vanish.</summary>
    internal static readonly JsonSerializerOptions StrictJson = new(DocumentTypeRegistry.Json)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// Imports when the database has no content yet; returns how many items were created. Instances that start
    /// together on one database take turns (<see cref="DatabaseStartupLock"/>): one imports, the others find content.
    /// </summary>
    public async Task<int> ImportIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await startupLock.AcquireAsync("sample content import", cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<ContentService>().ExistsAsync(cancellationToken: cancellationToken))
        {
            return 0;
        }

        return await ImportAsync(paths.SampleContent, cancellationToken);
    }

    /// <summary>Creates (and publishes) every item in the folder that does not exist yet.</summary>
    public async Task<int> ImportAsync(string folder, CancellationToken cancellationToken = default)
    {
        var files = LoadFiles(folder);
        var created = 0;
        foreach (var (path, file) in files)
        {
            await using var scope = scopes.CreateAsyncScope();
            var content = scope.ServiceProvider.GetRequiredService<ContentService>();
            if (await content.ExistsAsync(file.Key, cancellationToken))
            {
                continue;
            }

            var type = DocumentTypeRegistry.Get(file.Type);
            var document = (IDocument)(file.Document.Deserialize(type.ClrType, StrictJson)
                                       ?? throw new InvalidDataException($"{path}: the document is empty."));
            try
            {
                await content.CreateAsync(document, file.Slug, Author, file.SortOrder, file.Key, cancellationToken);
            }
            catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
            {
                if (await ExistsAsync(file.Key, cancellationToken))
                {
                    // Another instance imported it at the same moment.
                    continue;
                }

                throw;
            }
            catch (DocumentValidationException exception)
            {
                throw new InvalidDataException($"{path}: {exception.Message}", exception);
            }

            if (file.Published)
            {
                await content.PublishAsync(file.Key, Author, cancellationToken: cancellationToken);
            }

            created++;
        }

        if (created > 0)
        {
            LogImported(logger, created, folder);
        }

        return created;
    }

    private async Task<bool> ExistsAsync(Guid key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ContentService>().ExistsAsync(key, cancellationToken);
    }

    internal static List<(string Path, SampleContentFile File)> LoadFiles(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => (path, JsonSerializer.Deserialize<SampleContentFile>(File.ReadAllText(path), StrictJson)
                                  ?? throw new InvalidDataException($"{path} is empty.")))
            .ToList();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Imported {Count} sample content item(s) from {Folder}")]
    private static partial void LogImported(ILogger logger, int count, string folder);
}
