using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// The keys every instance must share: the data-protection key ring (sign-in cookies, antiforgery tokens, protected
/// links) and the share cards' signing key. Both live in the database, so instances on one PostgreSQL accept each
/// other's cookies and card URLs. An install that kept them as files (<c>umbraco/Data/keys/</c>,
/// <c>umbraco/Data/share-card.key</c>) has them copied into the database on start, so nobody is signed out and no card
/// URL breaks by the upgrade; the files are left where they are.
/// </summary>
public sealed partial class SharedKeys(IServiceScopeFactory scopes, PortfolioPaths paths, DatabaseStartupLock startupLock,
    IDataProtectionProvider protection, ILogger<SharedKeys> logger)
{
    internal const string ShareCardSecret = "share-card";

    private byte[]? _shareCardKey;

    /// <summary>The share cards' HMAC key; read at start by <see cref="PrepareAsync"/>.</summary>
    public byte[] ShareCardKey => _shareCardKey ?? throw new InvalidOperationException("Shared keys are read at start (PrepareSharedKeysAsync).");

    /// <summary>The folder the app kept its data-protection keys in before they moved to the database.</summary>
    public string LegacyKeyFolder => Path.Combine(paths.Data, "keys");

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        // Under the start-up lock: two instances starting on an empty table would otherwise each make a first key (and
        // a share-card key), and until their key rings next refresh each would refuse the other's cookies.
        await using var held = await startupLock.AcquireAsync("shared keys", cancellationToken);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
            await ImportKeyFilesAsync(db, cancellationToken);
            _shareCardKey = await ShareCardKeyAsync(db, cancellationToken);
        }

        // Loads the key ring now, still under the lock: the first instance makes the first key, the others read it.
        protection.CreateProtector("Portfolio.SharedKeys.Start").Protect([1]);
    }

    private async Task ImportKeyFilesAsync(PortfolioDbContext db, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(LegacyKeyFolder))
        {
            return;
        }

        // The file store's names are the EF store's friendly names (key-{id}, revocation-…); a name already there was
        // imported before, so the import happens once however often the app starts.
        var known = (await db.DataProtectionKeys.Select(key => key.FriendlyName).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var imported = 0;
        foreach (var file in Directory.EnumerateFiles(LegacyKeyFolder, "*.xml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (known.Contains(name))
            {
                continue;
            }

            XElement xml;
            try
            {
                xml = XElement.Load(file);
            }
            catch (System.Xml.XmlException exception)
            {
                LogUnreadableKeyFile(logger, file, exception.Message);
                continue;
            }

            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = name, Xml = xml.ToString(SaveOptions.DisableFormatting) });
            imported++;
        }

        if (imported > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogImported(logger, imported, LegacyKeyFolder);
        }
    }

    private async Task<byte[]> ShareCardKeyAsync(PortfolioDbContext db, CancellationToken cancellationToken)
    {
        var stored = await db.SharedSecrets.AsNoTracking().Where(secret => secret.Name == ShareCardSecret)
            .Select(secret => secret.Value).FirstOrDefaultAsync(cancellationToken);
        if (stored is not null)
        {
            return stored;
        }

        // The key an earlier version kept beside the database, so the card URLs that pages and other sites hold stay valid.
        var file = Path.Combine(paths.Data, "share-card.key");
        var key = File.Exists(file) ? await File.ReadAllBytesAsync(file, cancellationToken) : RandomNumberGenerator.GetBytes(32);
        db.SharedSecrets.Add(new SharedSecret { Name = ShareCardSecret, Value = key });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Copied {Count} data-protection key file(s) from {Folder} into the database")]
    private static partial void LogImported(ILogger logger, int count, string folder);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Data-protection key file {File} is not XML and was not copied: {Problem}")]
    private static partial void LogUnreadableKeyFile(ILogger logger, string file, string problem);
}

public static class SharedKeysExtensions
{
    /// <summary>Data protection with its key ring in the database (the table <c>DataProtectionKeys</c>).</summary>
    public static IServiceCollection AddSharedKeys(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("Portfolio")
            .PersistKeysToDbContext<PortfolioDbContext>();
        services.AddSingleton<SharedKeys>();
        return services;
    }

    /// <summary>Copies an older install's key files into the database and reads the shared keys; after the migrations.</summary>
    public static Task PrepareSharedKeysAsync(this IServiceProvider services) =>
        services.GetRequiredService<SharedKeys>().PrepareAsync(CancellationToken.None);
}
