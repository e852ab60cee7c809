using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Content;

/// <summary>The redirects page accepts only plain local paths: anything else could send visitors to another site.</summary>
[ProviderIndependent]
public sealed class RedirectPathTests
{
    [Theory]
    [InlineData("/team/old-name", "/team/old-name")]
    [InlineData("  /team/old-name/  ", "/team/old-name")]
    [InlineData("/", "/")]
    [InlineData("/caf%C3%A9", "/caf%C3%A9")]
    [InlineData("/Blog/2019/Post.html", "/Blog/2019/Post.html")]
    public void PlainLocalPathsAreAccepted(string input, string expected) =>
        Assert.Equal(expected, RedirectService.Normalize(input, "ToPath"));

    [Theory]
    [InlineData("")]
    [InlineData("team/old")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/a//b")]
    [InlineData("/with space")]
    [InlineData("/with?query=1")]
    [InlineData("/with#fragment")]
    [InlineData("/tab\there")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/%zz")]
    public void AnythingElseIsRefused(string input)
    {
        var refused = Assert.Throws<RedirectRefusedException>(() => RedirectService.Normalize(input, "ToPath"));
        Assert.Equal("ToPath", refused.Field);
    }
}
