using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// One page of each type the site has, by name, so the accessibility, layout and console checks run over
/// the same list. Service and article pages are found through their lists, so the tests don't depend on
/// the sample content's slugs.
/// </summary>
public static class PageTypes
{
    /// <summary>The expert whose profile stands for all profiles (sample content).</summary>
    public const string SampleExpertSlug = "talha";

    private static readonly Dictionary<string, Func<IPage, Task>> Openers = new()
    {
        ["home"] = page => HomePage.OpenAsync(page),
        ["team"] = page => TeamPage.OpenAsync(page),
        ["profile"] = page => ProfilePage.OpenAsync(page, SampleExpertSlug),
        ["services"] = page => ListingPage.OpenAsync(page, "/services"),
        ["service"] = async page => await (await ListingPage.OpenAsync(page, "/services")).OpenFirstItemAsync(),
        ["articles"] = page => ListingPage.OpenAsync(page, "/articles"),
        ["article"] = async page => await (await ListingPage.OpenAsync(page, "/articles")).OpenFirstItemAsync(),
        ["engineering"] = page => EngineeringPage.OpenAsync(page),
        ["contact"] = page => ContactPage.OpenAsync(page),
        ["booking"] = page => BookingPage.OpenAsync(page, SampleExpertSlug),
        ["privacy"] = page => ListingPage.OpenAsync(page, "/privacy"),
        ["not-found"] = page => NotFoundPage.OpenAsync(page),
        ["search"] = async page =>
        {
            var response = await page.GotoAsync("/search?q=scaling");
            Assert.Equal(200, response?.Status);
        },
    };

    public static IEnumerable<string> Names => Openers.Keys;

    /// <summary>xunit member data: one row per page type.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Openers.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    /// <summary>The colour schemes every public page is checked in (<c>prefers-color-scheme</c>).</summary>
    public static readonly IReadOnlyList<ColorScheme> Schemes = [ColorScheme.Light, ColorScheme.Dark];

    /// <summary>xunit member data: one row per page type, screen size and colour scheme.</summary>
    public static TheoryData<string, string, string> AllAtEveryViewportInEveryScheme
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var name in Openers.Keys)
            {
                foreach (var viewport in Infrastructure.Viewport.All)
                {
                    foreach (var scheme in Schemes)
                    {
                        data.Add(name, viewport.Name, SchemeName(scheme));
                    }
                }
            }

            return data;
        }
    }

    public static string SchemeName(ColorScheme scheme) => scheme == ColorScheme.Dark ? "dark" : "light";

    public static ColorScheme Scheme(string name) => name == "dark" ? ColorScheme.Dark : ColorScheme.Light;

    public static Task OpenAsync(IPage page, string name) => Openers[name](page);
}
