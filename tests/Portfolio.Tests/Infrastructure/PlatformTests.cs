using System.Net;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Infrastructure;

public sealed class PlatformTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/no-such-page")]
    [InlineData("/api/v1/no-such-endpoint")]
    [InlineData("/health/live")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.Contains("Referrer-Policy"));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("http://localhost", false)]
    [InlineData("https://localhost", true)]
    public async Task InsecureRequestsAreUpgradedOnlyWhenTheSiteIsServedOverHttps(string baseAddress, bool upgraded)
    {
        // Over plain HTTP the directive would send a script's requests (and the redirects they follow) to an
        // https:// nobody answers: the media upload broke that way on local runs.
        var client = app.CreateClient(new() { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });

        var response = await client.GetAsync("/team");

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(upgraded, csp.Contains("upgrade-insecure-requests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LivenessAndReadinessAnswerHealthyAndReadinessNamesEachCheck()
    {
        var client = app.CreateClient();
        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = System.Text.Json.Nodes.JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", report["status"]!.GetValue<string>());
        foreach (var check in new[] { "database", "storage", "outbox" })
        {
            Assert.Equal("Healthy", report["checks"]![check]!["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task DataAndLogsLiveUnderTheContentRoot()
    {
        await app.CreateClient().GetAsync("/");

        Assert.True(Directory.Exists(Path.Combine(app.ContentRoot, "umbraco", "Logs")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(app.ContentRoot, "umbraco", "Logs"), "*.log"));
        if (!app.Database.IsPostgres)
        {
            Assert.True(File.Exists(Path.Combine(app.ContentRoot, "umbraco", "Data", "portfolio.db")));
        }
    }

    [Fact]
    public void ContentSecurityPolicyAllowsNoInlineScript() =>
        Assert.DoesNotContain("'unsafe-inline'", SecurityHeadersMiddleware.ContentSecurityPolicy);
}

public sealed class RequestLogRedactionTests
{
    [Theory]
    [InlineData("/bookings/manage/Yp_9_fTxHMA6cNJeC_Rq0kqwQpSIA", "/bookings/manage/{token}")]
    [InlineData("/bookings/manage/abc/extra", "/bookings/manage/{token}")]
    [InlineData("/team/talha", "/team/talha")]
    [InlineData("/bookings", "/bookings")]
    public void ManageTokensNeverReachTheLog(string path, string logged) =>
        Assert.Equal(logged, Portfolio.Web.Infrastructure.RequestLogging.Redact(new Microsoft.AspNetCore.Http.PathString(path)));
}
