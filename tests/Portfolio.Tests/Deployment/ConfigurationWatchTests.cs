using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Deployment;

/// <summary>
/// Configuration files are read at start and not watched: the framework's watcher would cover the whole content
/// root, where every database and log write would wake it. An operator can still ask for watching.
/// </summary>
public sealed class ConfigurationWatchTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public void TheRunningAppDoesNotWatchItsConfigurationFiles()
    {
        var root = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();

        var files = root.Providers.OfType<JsonConfigurationProvider>().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched"));
    }

    [Fact]
    public void AnOperatorCanTurnWatchingBackOn()
    {
        Assert.Contains("--hostBuilder:reloadConfigOnChange=false", PortfolioHost.Arguments([]));
        Assert.DoesNotContain("--hostBuilder:reloadConfigOnChange=false",
            PortfolioHost.Arguments(["--hostBuilder:reloadConfigOnChange=true"]));
    }
}
