using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portfolio.Tests.Backoffice;

namespace Portfolio.Tests.Infrastructure;

/// <summary>The app plus two routes that throw, to see what a failure looks like from outside.</summary>
public sealed class FailingPortfolioApp : PortfolioApp
{
    public const string SecretDetail = "connection string Password=hunter2 at Npgsql.Internal";

    public CapturedLog Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services
            .AddSingleton<IStartupFilter, ThrowingRoutes>()
            .AddSingleton<ILoggerProvider>(Log));
    }

    private sealed class ThrowingRoutes : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            // "/_boom": a path no page can have (the pages' catch-all route would take "/boom" before this middleware).
            app.Map("/_boom", branch => branch.Run(_ => throw new InvalidOperationException(SecretDetail)));
            app.Map("/api/v1/boom", branch => branch.Run(_ => throw new InvalidOperationException(SecretDetail)));
        };
    }
}

public sealed class ErrorHandlingTests(FailingPortfolioApp app) : IClassFixture<FailingPortfolioApp>
{
    [Fact]
    public async Task ABrowserSeesTheFriendlyErrorPageWithStatus500AndNoDetail()
    {
        var response = await app.CreateClient().GetAsync("/_boom");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Something went wrong on our side", body);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at ", Html.Parse(body).Body!.TextContent);
    }

    [Fact]
    public async Task AnApiClientGetsProblemDetailsWithATraceIdAndNoDetail()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/boom");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain("Npgsql", body);
    }

    [Fact]
    public async Task AnUnknownApiRouteIsAProblemDetails404()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheErrorPageCannotBeOpenedDirectlyAsIfSomethingFailed()
    {
        var response = await app.CreateClient().GetAsync("/error/500");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUntrustedClientAreIgnored()
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example.net");

        var page = Html.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync());

        Assert.Equal("http://localhost/", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
    }
}
