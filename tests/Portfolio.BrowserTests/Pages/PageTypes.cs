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
        ["not-found"] = page => NotFoundPage.OpenAsync(page),
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

    /// <summary>xunit member data: one row per page type and screen size.</summary>
    public static TheoryData<string, string> AllAtEveryViewport
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in Openers.Keys)
            {
                foreach (var viewport in Infrastructure.Viewport.All)
                {
                    data.Add(name, viewport.Name);
                }
            }

            return data;
        }
    }

    public static Task OpenAsync(IPage page, string name) => Openers[name](page);
}
