using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Media;

namespace Portfolio.Tests.Media;

/// <summary>The backoffice app with a small upload limit, so "too large" needs no megabytes.</summary>
public sealed class MediaApp : BackofficeApp
{
    public const long MaxUploadBytes = 64 * 1024;

    protected override bool ImportSampleContent => true;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [.. base.Settings, new("Media:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public string MediaFolder => Path.Combine(ContentRoot, "umbraco", "media");

    public Task<IReadOnlyList<MediaItem>> ItemsAsync() =>
        WithScopeAsync(services => services.GetRequiredService<MediaLibrary>().ListAsync());
}

/// <summary>Drives the upload form as a browser does: a multipart post with the form's antiforgery token.</summary>
public static class MediaForms
{
    public const string Page = "/umbraco/media";

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] bytes, string fileName,
        string? altText = null, string contentType = "application/octet-stream", bool withAntiforgeryToken = true)
    {
        var form = await UploadFormAsync(client);
        using var content = new MultipartFormDataContent();
        if (withAntiforgeryToken)
        {
            content.Add(new StringContent(form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken");
        }

        if (altText is not null)
        {
            content.Add(new StringContent(altText), "UploadAltText");
        }

        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Add(file, "Upload", fileName);
        return await client.PostAsync(form.GetAttribute("action"), content);
    }

    /// <summary>Uploads and checks that it was stored; answers the new item's URL from the redirect.</summary>
    public static async Task<string> UploadStoredAsync(this HttpClient client, byte[] bytes, string fileName, string? altText = "A red square")
    {
        var response = await client.UploadAsync(bytes, fileName, altText);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"The upload answered {(int)response.StatusCode}: {FieldError(Html.Parse(await response.Content.ReadAsStringAsync()))}");
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<IElement> UploadFormAsync(HttpClient client) =>
        (await client.GetDocumentAsync(Page)).QuerySelector("main form[data-media-upload]")
        ?? throw new InvalidOperationException("The media page has no upload form.");

    /// <summary>The error shown beside the file field.</summary>
    public static string FieldError(IDocument document) => document.QuerySelector("#upload-error")?.TextContent.Trim() ?? "";
}
