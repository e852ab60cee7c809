using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;

namespace Portfolio.Web.Site;

/// <summary>
/// How responses travel: static assets precompressed and fingerprinted at build (<c>MapStaticAssets</c>, see the
/// project file), dynamic responses (pages, JSON, feeds, the sitemap) compressed as they are written, Brotli before
/// gzip, and output-cached pages given an ETag so a browser's revalidation is a 304.
/// </summary>
/// <remarks>
/// <para><b>Compression over HTTPS and BREACH.</b> BREACH reads a secret out of a compressed HTTPS response when the
/// same response also reflects text the attacker chose, by watching its size over many requests. Compression is on
/// for HTTPS (<see cref="ResponseCompressionOptions.EnableForHttps"/>) because the public responses hold no such
/// secret: a public page is the same for every visitor (the output cache serves one copy to all); the contact and
/// booking forms carry an antiforgery token (and the contact form a timestamp), but each is encrypted afresh for every
/// response (Data Protection, with a new random key derivation each time), so no two responses share the bytes a size
/// oracle would need; the only secret in a JSON answer is a new booking's manage link, new in that one response. The
/// responses that do hold personal data next to text someone else wrote — the
/// backoffice (a contact message's text beside other visitors' addresses) and a booking's manage page — call
/// <see cref="DoNotCompress"/>: they are few and small, so compressing them would save little.</para>
/// <para><b>Levels.</b> Output-cached responses are compressed once per cache entry and encoding (the cache stores
/// the compressed bytes, varied by <see cref="NegotiatedEncoding"/>), so a cache hit costs no compression at all:
/// they get the smaller Optimal level (the 49 KB engineering page: Brotli 7.6 KB instead of 8.8 KB, for 0.7 ms once
/// instead of 0.3 ms). Responses that are not cached (the forms' pages, the API) pay on every request and get Fastest:
/// on the 34 KB booking page Brotli took 0.1 ms for 5.3 KB where Optimal took 0.4 ms for 4.5 KB (measured side by
/// side, docs/performance.md). <see cref="LeveledCompressionProvider"/> tells the two apart.</para>
/// </remarks>
public static class SiteDelivery
{
    /// <summary>Media types compressed on the fly, beyond the framework's defaults (HTML, CSS, JavaScript, JSON, XML, plain text).</summary>
    private static readonly string[] ExtraCompressedTypes =
    [
        "application/atom+xml", "application/rss+xml", "application/problem+json", "image/svg+xml", "application/manifest+json",
    ];

    public static WebApplicationBuilder AddSiteDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add(new LeveledCompressionProvider("br",
                (output, level) => new BrotliStream(output, level, leaveOpen: true)));
            options.Providers.Add(new LeveledCompressionProvider("gzip",
                (output, level) => new GZipStream(output, level, leaveOpen: true)));
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, .. ExtraCompressedTypes];
        });
        return builder;
    }

    /// <summary>
    /// The encoding this request's response will be compressed with (<c>br</c>, <c>gzip</c>) or <c>identity</c>, as
    /// the compression middleware will choose it: what a cached public page varies by, so a client that accepts no
    /// Brotli never gets the Brotli copy, and so that three copies at most are kept however browsers spell their
    /// Accept-Encoding.
    /// </summary>
    public static KeyValuePair<string, string> NegotiatedEncoding(HttpContext context)
    {
        var encoding = context.Request.Headers.AcceptEncoding.Count == 0
            ? null
            : context.RequestServices.GetRequiredService<IResponseCompressionProvider>().GetCompressionProvider(context)?.EncodingName;
        return new("encoding", encoding ?? "identity");
    }

    /// <summary>This response holds personal data and is not compressed over HTTPS (see the remarks on BREACH above).</summary>
    public static void DoNotCompress(HttpContext context)
    {
        if (context.Features.Get<IHttpsCompressionFeature>() is { } compression)
        {
            compression.Mode = HttpsCompressionMode.DoNotCompress;
        }
    }
}

/// <summary>
/// Brotli or gzip at Optimal for a response the output cache will store (written into a
/// <see cref="CachedPageValidatorsMiddleware.StoredResponseBuffer"/>: compressed once, sent many times) and at Fastest
/// for every other (compressed on every request).
/// </summary>
public sealed class LeveledCompressionProvider(string encodingName, Func<Stream, CompressionLevel, Stream> create) : ICompressionProvider
{
    public string EncodingName => encodingName;

    public bool SupportsFlush => true;

    public Stream CreateStream(Stream outputStream) =>
        create(outputStream, outputStream is CachedPageValidatorsMiddleware.StoredResponseBuffer ? CompressionLevel.Optimal : CompressionLevel.Fastest);
}

/// <summary>
/// Gives each response that the output cache is about to store an ETag, a hash of its bytes as sent (compressed),
/// and <c>Cache-Control: no-cache</c>, so browsers revalidate and get a 304 from the output cache, which answers
/// If-None-Match from the stored ETag. The body is held until it is complete to hash it, which happens once per
/// cache entry: a cache hit never reaches this middleware. A page published since gets a new hash and a 200.
/// </summary>
public sealed class CachedPageValidatorsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IOutputCacheFeature>()?.Context is not { EnableOutputCaching: true, AllowCacheStorage: true })
        {
            await next(context);
            return;
        }

        var sendBody = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new StoredResponseBuffer();
        var holdBody = new StreamResponseBodyFeature(buffer, sendBody);
        context.Features.Set<IHttpResponseBodyFeature>(holdBody);
        try
        {
            await next(context);
            await holdBody.CompleteAsync();
        }
        finally
        {
            context.Features.Set(sendBody);
        }

        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status200OK && !response.HasStarted)
        {
            if (!response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.ETag))
            {
                var hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                response.Headers.ETag = $"\"{Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"";
            }

            if (!response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.CacheControl))
            {
                response.Headers.CacheControl = "no-cache";
            }

            // The uncompressed copy too (sent to a client that asked for none, so compression added nothing): a shared
            // cache must not hand it to every client as the page's only form.
            if (!response.Headers.Vary.Any(value => value?.Contains("Accept-Encoding", StringComparison.OrdinalIgnoreCase) == true))
            {
                response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Accept-Encoding");
            }

            if (!HttpMethods.IsHead(context.Request.Method))
            {
                response.ContentLength = buffer.Length;
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(sendBody.Stream, context.RequestAborted);
    }

    /// <summary>Where a response to be stored is held; what it is tells the compression its level.</summary>
    public sealed class StoredResponseBuffer : MemoryStream;
}
