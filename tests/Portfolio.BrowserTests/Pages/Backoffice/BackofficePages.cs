using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;

namespace Portfolio.BrowserTests.Pages.Backoffice;

/// <summary>The first-run page at <c>/umbraco/setup</c>: the token from the log and the first administrator.</summary>
public sealed class SetupPage(IPage page)
{
    public async Task CreateAdministratorAsync(string token, string email, string name, string password)
    {
        await page.GetByLabel("Setup token").FillAsync(token);
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the administrator" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/umbraco/login");
    }
}

/// <summary>The sign-in page at <c>/umbraco/login</c>.</summary>
public sealed class SignInPage(IPage page)
{
    public async Task SignInAsync(string email, string password)
    {
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/umbraco");
    }
}

/// <summary>The backoffice's navigation: down the side on a wide screen, behind a Menu button on a phone.</summary>
public static class BackofficeMenu
{
    /// <summary>The navigation's link called <paramref name="name"/>; on a phone the Menu is opened first.</summary>
    public static async Task<ILocator> LinkAsync(IPage page, string name)
    {
        var menuButton = page.Locator("details.bo-menu > summary");
        var navigation = "Backoffice";
        if (await menuButton.IsVisibleAsync())
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Backoffice", Exact = true })).ToBeHiddenAsync();
            await menuButton.ClickAsync();
            navigation = "Backoffice menu";
        }

        return page.GetByRole(AriaRole.Navigation, new() { Name = navigation, Exact = true }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
    }
}

/// <summary>The content tree at <c>/umbraco/content</c>.</summary>
public sealed class ContentTreePage(IPage page)
{
    public static async Task<ContentTreePage> OpenFromNavigationAsync(IPage page)
    {
        await (await BackofficeMenu.LinkAsync(page, "Content")).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/umbraco/content");
        return new ContentTreePage(page);
    }

    public async Task<ContentEditorPage> OpenItemAsync(string name)
    {
        await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath.StartsWith("/umbraco/content/", StringComparison.Ordinal));
        return new ContentEditorPage(page);
    }
}

/// <summary>The generic editor of one item at <c>/umbraco/content/{key}</c>.</summary>
public sealed class ContentEditorPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Form => Page.Locator("form#editor-form");

    /// <summary>
    /// A top-level property's field ("Role", "Summary"). By id, not by label: nested items have fields with the
    /// same labels (a track-record entry has a "Role" too), each inside its own labelled group.
    /// </summary>
    public ILocator Field(string property) => Form.Locator($"#field-{property}");

    public ILocator StatusMessage => Page.Locator("main [role=status]");

    /// <summary>Opens one of the editor's collapsible sections (a document type's group) by its heading.</summary>
    public async Task OpenSectionAsync(string name)
    {
        var section = Form.Locator("details.bo-section").Filter(new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true }) });
        if (await section.GetAttributeAsync("open") is null)
        {
            await section.Locator("summary").ClickAsync();
        }

        await Assertions.Expect(section).ToHaveAttributeAsync("open", "");
    }

    public ILocator Button(string name) => Form.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).First;

    public async Task<IPage> SaveAndPreviewAsync()
    {
        await Button("Save and preview").ClickAsync();
        await Page.WaitForAddressAsync(url => url.AbsolutePath.EndsWith("/preview", StringComparison.Ordinal));
        return Page;
    }

    public async Task SaveAndPublishAsync()
    {
        await Button("Save and publish").ClickAsync();
        await Page.WaitForAddressAsync(url => url.Query.Contains("status=published", StringComparison.Ordinal));
    }
}
