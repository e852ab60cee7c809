using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Content;

[ProviderIndependent]
public sealed class SlugsTests
{
    [Theory]
    [InlineData("Élan & Scale!", "elan-scale")]
    [InlineData("  API  Design -- Lifecycle ", "api-design-lifecycle")]
    [InlineData("Talha", "talha")]
    public void TitlesBecomeUrlSafeSlugs(string title, string slug) => Assert.Equal(slug, Slugs.From(title));

    [Theory]
    [InlineData("talha", true)]
    [InlineData("maya-lindqvist", true)]
    [InlineData("a1-b2", true)]
    [InlineData("", false)]
    [InlineData("Talha", false)]
    [InlineData("-leading", false)]
    [InlineData("double--hyphen", false)]
    [InlineData("with space", false)]
    [InlineData("../etc", false)]
    public void OnlyLowerCaseWordsJoinedBySingleHyphensAreValid(string slug, bool valid) => Assert.Equal(valid, Slugs.IsValid(slug));
}
