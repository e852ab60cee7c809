using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Content;

public sealed class SampleContentImportTests(FirstStartPortfolioApp app) : IClassFixture<FirstStartPortfolioApp>
{
    [Fact]
    public async Task TheFirstStartImportsTheWholeSampleSitePublished()
    {
        var folder = app.Services.GetRequiredService<PortfolioPaths>().SampleContent;
        var files = SampleContentImporter.LoadFiles(folder);
        Assert.NotEmpty(files);

        await app.WithDbAsync(async db =>
        {
            Assert.Equal(files.Count, await db.ContentItems.CountAsync());
            Assert.Equal(files.Count(file => file.File.Published), await db.ContentItems.CountAsync(item => item.PublishedVersionNumber != null));
            Assert.True(await db.ContentItems.CountAsync(item => item.ContentType == "expertProfile") >= 2);
            Assert.True(await db.ContentItems.CountAsync(item => item.ContentType == "service") >= 6);
            Assert.Equal(3, await db.ContentItems.CountAsync(item => item.ContentType == "article"));
        });
    }

    [Fact]
    public async Task ImportingAgainChangesNothing()
    {
        var importer = app.Services.GetRequiredService<SampleContentImporter>();
        var folder = app.Services.GetRequiredService<PortfolioPaths>().SampleContent;
        var before = await app.WithScopeAsync(services => services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>()
            .ContentVersions.CountAsync());

        Assert.Equal(0, await importer.ImportIfEmptyAsync());
        Assert.Equal(0, await importer.ImportAsync(folder));
        var results = await Task.WhenAll(importer.ImportAsync(folder), importer.ImportAsync(folder));

        Assert.All(results, created => Assert.Equal(0, created));
        var after = await app.WithScopeAsync(services => services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>()
            .ContentVersions.CountAsync());
        Assert.Equal(before, after);
    }

    [Fact]
    public void EverySampleFileIsAValidDocumentWithAUniqueKeyAndSlug()
    {
        var files = SampleContentImporter.LoadFiles(app.Services.GetRequiredService<PortfolioPaths>().SampleContent);

        Assert.Equal(files.Count, files.Select(file => file.File.Key).Distinct().Count());
        Assert.Equal(files.Count, files.Select(file => file.File.Type + "/" + file.File.Slug).Distinct().Count());
        foreach (var (path, file) in files)
        {
            var type = DocumentTypeRegistry.Get(file.Type);
            var document = (IDocument)System.Text.Json.JsonSerializer.Deserialize(file.Document, type.ClrType, SampleContentImporter.StrictJson)!;
            Assert.True(DocumentValidator.Validate(document).Count == 0, $"{path} is not valid.");
            Assert.True(Slugs.IsValid(file.Slug), $"{path} has an invalid slug.");
        }
    }

    [Fact]
    public async Task SampleExpertsUseExampleDotComAddressesOnly()
    {
        var snapshot = await app.Services.GetRequiredService<PublishedContentCache>().GetAsync();

        Assert.All(snapshot.List<ExpertProfile>(), expert =>
            Assert.EndsWith("@example.com", ((ExpertProfile)expert.Document).Email, StringComparison.Ordinal));
    }
}
