using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Deployment;

/// <summary>
/// The image the unmodified Dockerfile builds (with podman, from local stand-ins for Microsoft's base images: see
/// <see cref="ContainerImage"/>), run as an operator would run it. DockerfileTests read the file; these run what it makes.
/// </summary>
[RunsFirst]
public sealed partial class ContainerImageTests(ContainerImage image) : IClassFixture<ContainerImage>
{
    [SkippableFact]
    public async Task TheContainerServesTheHomePageAContentPageAndTheCompressedStylesheet()
    {
        Skip.If(image.SkipReason is not null, image.SkipReason);
        using var client = image.Shared.CreateClient();

        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        // Sample content, imported on first start from the build output's copy (/app/bin/umbraco/content).
        var page = await client.GetAsync("/services/backend-development");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Backend development", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The web root is the published one in /app/bin/wwwroot (the image has no /app/wwwroot), with its precompressed copies.
        var stylesheet = StylesheetLink().Match(await home.Content.ReadAsStringAsync());
        Assert.True(stylesheet.Success, "The home page links no stylesheet.");
        using var request = new HttpRequestMessage(HttpMethod.Get, stylesheet.Groups["href"].Value);
        request.Headers.AcceptEncoding.ParseAdd("br");
        var css = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal(["br"], css.Content.Headers.ContentEncoding);
    }

    [SkippableFact]
    public async Task TheAppRunsAsTheUnprivilegedAppUser()
    {
        Skip.If(image.SkipReason is not null, image.SkipReason);

        // PID 1 is the entry point (the self-contained app's own executable); its real, effective, saved and file-system
        // UIDs are all the app user's.
        var status = await Podman.RunAsync(["exec", image.Shared.Name, "cat", "/proc/1/status"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches(@"(?m)^Name:\s+Portfolio\.Web$", status.Output);
        Assert.Matches(@"(?m)^Uid:\s+1654\s+1654\s+1654\s+1654$", status.Output);
        Assert.Matches(@"(?m)^Gid:\s+1654\s+1654\s+1654\s+1654$", status.Output);
    }

    [SkippableFact]
    public async Task TheAppRunsOnAReadOnlyRootFileSystemAndItsDataOnTheVolumeOutlivesTheContainer()
    {
        Skip.If(image.SkipReason is not null, image.SkipReason);
        var volume = image.NewVolume("read-only");
        // Docker's --read-only: nothing but the volume is writable, not even /tmp (podman would add tmpfs mounts).
        string[] readOnly = ["--read-only", "--read-only-tmpfs=false"];

        var first = await image.StartAsync("read-only-1", volume, readOnly);
        // As root, whom only a read-only file system stops; the volume stays writable.
        foreach (var path in new[] { "/app/probe", "/tmp/probe", "/home/app/probe" })
        {
            var write = await Podman.RunAsync(["exec", "--user", "root", first.Name, "touch", path]);
            Assert.True(write.ExitCode != 0, $"{path} is writable: the root file system is not read-only.");
        }

        var volumeWrite = await Podman.RunAsync(["exec", first.Name, "touch", "/app/umbraco/probe"]);
        Assert.True(volumeWrite.ExitCode == 0, $"The app user cannot write to the volume:\n{volumeWrite}");

        using (var client = first.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }

        var subject = "Volume " + Guid.NewGuid().ToString("N")[..8];
        var id = await first.SendContactMessageAsync(subject);
        Assert.Equal(0, (await Podman.RunAsync(["stop", "--time", "30", first.Name])).ExitCode);
        // Nothing the app tried to write outside the volume failed loudly.
        Assert.DoesNotMatch(ErrorLine(), await first.LogsAsync());
        Assert.Equal(0, (await Podman.RunAsync(["rm", first.Name])).ExitCode);

        // A new container on the same volume has the message: the same text resent within the duplicate window is
        // answered with the stored one's id (ContactService), which only the database on the volume can know.
        var second = await image.StartAsync("read-only-2", volume, readOnly);
        Assert.Equal(id, await second.SendContactMessageAsync(subject));
        Assert.DoesNotMatch(ErrorLine(), await second.LogsAsync());
    }

    [SkippableFact]
    public async Task TheImagesHealthcheckPassesOnARunningContainer()
    {
        Skip.If(image.SkipReason is not null, image.SkipReason);

        // The Dockerfile's HEALTHCHECK (bash's /dev/tcp to /health/live), kept because the image is built in docker format.
        Assert.Contains("/health/live", await image.Shared.InspectAsync("{{json .Config.Healthcheck}}"), StringComparison.Ordinal);
        var check = await Podman.RunAsync(["healthcheck", "run", image.Shared.Name]);
        Assert.True(check.ExitCode == 0, $"The healthcheck failed:\n{check}");
    }

    [SkippableFact]
    public async Task SigtermStopsTheAppGracefullyWithinSeconds()
    {
        Skip.If(image.SkipReason is not null, image.SkipReason);
        var container = await image.StartAsync("sigterm", image.NewVolume("sigterm"));

        // podman stop sends SIGTERM and would send SIGKILL only after 30 s.
        var stopping = Stopwatch.StartNew();
        var stop = await Podman.RunAsync(["stop", "--time", "30", container.Name]);
        stopping.Stop();

        Assert.True(stop.ExitCode == 0, stop.ToString());
        var logs = await container.LogsAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {stopping.Elapsed.TotalSeconds:0.0} s:\n{logs}");
        // Exit code 0 from the app itself; a SIGKILL would have made it 137.
        Assert.Equal("0", await container.InspectAsync("{{.State.ExitCode}}"));
        Assert.Contains("Application is shutting down", logs, StringComparison.Ordinal);
    }

    /// <summary>A console line of level Error or Fatal (the text format: <c>[12:34:56 ERR] …</c>).</summary>
    [GeneratedRegex(@"(?m)^\[\d\d:\d\d:\d\d (ERR|FTL)\]")]
    private static partial Regex ErrorLine();

    [GeneratedRegex("""<link[^>]+rel="stylesheet"[^>]+href="(?<href>/[^"]+)"|<link[^>]+href="(?<href>/[^"]+)"[^>]+rel="stylesheet"[^>]*>""")]
    private static partial Regex StylesheetLink();
}
