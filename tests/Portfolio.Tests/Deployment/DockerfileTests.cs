using System.Text.RegularExpressions;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Deployment;

/// <summary>What the Dockerfile says, checked by reading it; <see cref="ContainerImageTests"/> build it with podman and run the image.</summary>
[ProviderIndependent]
public sealed class DockerfileTests
{
    private static readonly string RepositoryRoot = Repository.Root;

    private static string Dockerfile => File.ReadAllText(Path.Combine(RepositoryRoot, "Dockerfile"));

    [Fact]
    public void TheImageBuildsInOneStageAndRunsInAnother() =>
        Assert.True(Dockerfile.Split('\n').Count(line => line.StartsWith("FROM ", StringComparison.Ordinal)) >= 2);

    [Theory]
    [InlineData("appsettings.json")]
    [InlineData("umbraco/content")]
    public void TheRuntimeImageHoldsWhatTheAppReadsFromItsContentRoot(string path)
    {
        var copies = Dockerfile.Split('\n').Where(line => line.StartsWith("COPY", StringComparison.Ordinal));
        Assert.Contains(copies, line => line.Contains(path, StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(RepositoryRoot, path)) || File.Exists(Path.Combine(RepositoryRoot, path)),
            $"{path} is copied by the Dockerfile but does not exist in the repository.");
    }

    /// <summary>
    /// The published wwwroot (in /app/bin) is the web root: it has the precompressed copies that the published endpoints
    /// manifest names. The repository's wwwroot copied to /app/wwwroot would become the web root instead, and every
    /// request for a compressed copy would fail (issue 16, delivery).
    /// </summary>
    [Fact]
    public void TheWebRootIsThePublishedOneWithItsCompressedCopies()
    {
        var copies = Dockerfile.Split('\n').Where(line => line.StartsWith("COPY", StringComparison.Ordinal));
        Assert.DoesNotContain(copies, line => line.Contains("wwwroot", StringComparison.Ordinal));
        Assert.Contains("dotnet publish src/Portfolio.Web -c Release -o /app/bin", Dockerfile);
    }

    /// <summary>
    /// The benchmarks measure the app as production runs it: their publish (tests/bench/lib.sh) passes the options the
    /// Dockerfile's does, and the image starts the self-contained app's own executable on a base without .NET.
    /// </summary>
    [Fact]
    public void TheBenchmarksPublishTheAppAsTheImageDoes()
    {
        var lib = File.ReadAllText(Path.Combine(RepositoryRoot, "tests", "bench", "lib.sh"));
        var benchmarks = Regex.Match(lib, @"(?m)^PRODUCTION_PUBLISH_OPTIONS=\((?<options>[^)]*)\)$").Groups["options"].Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        // The image's publish command, its continuation lines joined; of it, what the two choose alike (not where the
        // output goes, the configuration, the restore or the platform, which each names its own way).
        var publish = Regex.Match(Dockerfile.ReplaceLineEndings("\n"), @"RUN dotnet publish src/Portfolio\.Web (?:[^\n]*\\\n)*[^\n]*").Value
            .Replace("\\\n", " ", StringComparison.Ordinal);
        var image = publish.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(token => token.StartsWith("--self-contained", StringComparison.Ordinal) || token.StartsWith("-p:", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["--self-contained", "-p:PublishReadyToRunComposite=true"], image);
        Assert.Equal(image, benchmarks);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime-deps:", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/app/bin/Portfolio.Web\"", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppRunsAsANonRootUserWithItsContentRootAtApp()
    {
        var lines = Dockerfile.Split('\n');
        var lastUser = lines.Last(line => line.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", lastUser, StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && line.Contains("/app", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("WORKDIR /app", StringComparison.Ordinal));
    }

    [Fact]
    public void DataLivesOnAVolumeAndHealthIsChecked()
    {
        Assert.Contains("VOLUME", Dockerfile);
        Assert.Contains("/app/umbraco", Dockerfile);
        Assert.Contains("HEALTHCHECK", Dockerfile);
        Assert.Contains("/health/live", Dockerfile);
        // A loopback name: the app answers it even when AllowedHosts comes from Site:PublicUrl (issue 13, finding 1).
        Assert.Contains("Host: localhost", Dockerfile);
    }

    /// <summary>The backup and restore commands run pg_dump and pg_restore for a PostgreSQL site (issue 17, backups).</summary>
    [Fact]
    public void TheRuntimeImageHasPostgreSqlClientToolsForBackups()
    {
        var runtime = Dockerfile[Dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        Assert.Contains(runtime.Split("RUN ").Skip(1), step => step.Contains("apt-get install", StringComparison.Ordinal)
                                                               && step.Contains(" postgresql-client", StringComparison.Ordinal));
    }

    [Fact]
    public void BuildOutputAndLocalDataStayOutOfTheBuildContext()
    {
        var ignore = File.ReadAllText(Path.Combine(RepositoryRoot, ".dockerignore"));
        foreach (var entry in new[] { "bin", "obj", "umbraco/Data", "umbraco/Logs" })
        {
            Assert.Contains(entry, ignore);
        }
    }
}
