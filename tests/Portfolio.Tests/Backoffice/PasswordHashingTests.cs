using System.Buffers.Binary;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Deployment;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

/// <summary>
/// The test apps hash passwords with fewer PBKDF2 iterations to save CPU (<see cref="PortfolioApp"/>); the app itself
/// keeps Identity's default. Checked on a second instance, which is the app as configured outside the tests.
/// </summary>
[ProviderIndependent]
public sealed class PasswordHashingTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    /// <summary>Identity's default for its version-3 hashes (PBKDF2 with HMAC-SHA512) since .NET 7.</summary>
    private const int IdentityDefaultIterations = 100_000;

    [Fact]
    public async Task TheAppHashesPasswordsWithIdentitysDefaultIterationsAndOnlyTheTestAppsWithFewer()
    {
        await using var production = new SecondInstance(app, TimeSpan.FromMinutes(10));

        Assert.Equal(IdentityDefaultIterations, IterationsOf(Hash(production.Services)));
        Assert.Equal(PortfolioApp.TestPasswordHashIterations, IterationsOf(Hash(app.Services)));
    }

    private static string Hash(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IPasswordHasher<BackofficeUser>>()
            .HashPassword(new BackofficeUser(), "staple battery horse correct");
    }

    /// <summary>A version-3 hash: format marker 0x01, the PRF (4 bytes), then the iteration count, big-endian.</summary>
    private static int IterationsOf(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5, 4));
    }
}
