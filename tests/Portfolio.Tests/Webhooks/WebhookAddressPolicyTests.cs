using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Webhooks;

namespace Portfolio.Tests.Webhooks;

/// <summary>Which endpoint URLs an administrator may enter: https only and no private network in production, unless allowed.</summary>
[ProviderIndependent]
public sealed class WebhookAddressPolicyTests
{
    [Theory]
    [InlineData("http://hooks.example.com/x")]
    [InlineData("https://localhost/x")]
    [InlineData("https://127.0.0.1:8080/x")]
    [InlineData("https://10.1.2.3/x")]
    [InlineData("https://192.168.0.10/x")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/x")]
    [InlineData("https://user:secret@hooks.example.com/x")]
    [InlineData("hooks.example.com/x")]
    [InlineData("ftp://hooks.example.com/x")]
    public void InProductionAnEndpointOnPlainHttpOrInAPrivateNetworkIsRefused(string url) =>
        Assert.NotNull(Policy(Environments.Production, new WebhookOptions()).Problem(url));

    [Fact]
    public void InProductionAPublicHttpsEndpointIsAccepted() =>
        Assert.Null(Policy(Environments.Production, new WebhookOptions()).Problem("https://hooks.example.com/portfolio"));

    [Fact]
    public void InProductionTheOptionsCanAllowAPrivateAddressAndPlainHttp()
    {
        var policy = Policy(Environments.Production, new WebhookOptions { AllowPrivateAddresses = true, AllowHttp = true });

        Assert.Null(policy.Problem("http://127.0.0.1:9000/hooks"));
        Assert.True(policy.AllowPrivateAddresses);
    }

    [Fact]
    public void InTestingAndDevelopmentALocalReceiverOnPlainHttpIsAccepted()
    {
        Assert.Null(Policy("Testing", new WebhookOptions()).Problem("http://127.0.0.1:9000/hooks"));
        Assert.Null(Policy(Environments.Development, new WebhookOptions()).Problem("http://localhost:9000/hooks"));
        Assert.False(Policy(Environments.Production, new WebhookOptions()).AllowPrivateAddresses);
    }

    private static WebhookAddressPolicy Policy(string environment, WebhookOptions options) =>
        new(new Monitor(options), new HostingEnvironment { EnvironmentName = environment });

    private sealed class Monitor(WebhookOptions value) : IOptionsMonitor<WebhookOptions>
    {
        public WebhookOptions CurrentValue => value;

        public WebhookOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<WebhookOptions, string?> listener) => null;
    }
}
