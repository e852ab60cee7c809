using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Booking;

/// <summary>What one fetch of a calendar feed gave.</summary>
public abstract record FeedFetch
{
    /// <summary>A new copy (its text) with the validators to send next time.</summary>
    public sealed record Fetched(string Text, string? ETag, string? LastModified) : FeedFetch;

    /// <summary>304: the copy we have is still the calendar's.</summary>
    public sealed record NotModified : FeedFetch;

    /// <summary>No usable copy; <paramref name="Error"/> says why in words the owner understands (never the URL).</summary>
    public sealed record Failed(string Error) : FeedFetch;
}

/// <summary>
/// Fetches a calendar feed over HTTP(S) with a conditional GET, a time limit for the whole exchange and a size limit
/// counted while the body streams in. The named client's handler refuses private addresses at connect time
/// (<see cref="ConnectAsync"/>), where a host name that resolves differently on a second look cannot slip past.
/// </summary>
public sealed class BusyCalendarFetcher(IHttpClientFactory clients, IOptionsMonitor<BusyCalendarOptions> options)
{
    public const string ClientName = "busy-calendar";

    /// <summary>Marks the feed's requests, so that telemetry leaves them out: their URL is a secret.</summary>
    public static readonly HttpRequestOptionsKey<bool> FeedRequest = new("Portfolio.BusyCalendar");

    public static bool IsFeedRequest(HttpRequestMessage request) => request.Options.TryGetValue(FeedRequest, out var marked) && marked;

    /// <summary>Why an http(s) URL is refused before any request, or null when it may be fetched.</summary>
    public static string? Refusal(Uri url) =>
        url.Scheme is not ("http" or "https") ? "Only http and https calendar addresses can be used."
        : !string.IsNullOrEmpty(url.UserInfo) ? "Put no user name or password in the address."
        : null;

    public async Task<FeedFetch> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        if (Refusal(url) is { } refusal)
        {
            return new FeedFetch.Failed(refusal);
        }

        var settings = options.CurrentValue;
        // The limit is on wall-clock time, not the app's clock: it guards a real network exchange.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Options.Set(FeedRequest, true);
        request.Headers.Accept.ParseAdd("text/calendar");
        if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }

        if (lastModified is not null && DateTimeOffset.TryParse(lastModified, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var since))
        {
            request.Headers.IfModifiedSince = since;
        }

        try
        {
            var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new FeedFetch.NotModified();
            }

            if (!response.IsSuccessStatusCode)
            {
                return new FeedFetch.Failed($"The calendar server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            if (response.Content.Headers.ContentLength > settings.MaxBytes)
            {
                return new FeedFetch.Failed(TooLarge(settings.MaxBytes));
            }

            var text = await ReadLimitedAsync(response.Content, settings.MaxBytes, timeout.Token);
            if (text is null)
            {
                return new FeedFetch.Failed(TooLarge(settings.MaxBytes));
            }

            return new FeedFetch.Fetched(text, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FeedFetch.Failed($"The calendar server did not answer within {settings.Timeout.TotalSeconds:0.#} seconds.");
        }
        catch (HttpRequestException exception)
        {
            // Described from the error's kind, not its message: a message may carry the address.
            return new FeedFetch.Failed(exception.InnerException is AddressRefusedException refused ? refused.Message : exception.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "The calendar's host name could not be found.",
                HttpRequestError.ConnectionError => "The calendar server could not be reached.",
                HttpRequestError.SecureConnectionError => "A secure connection to the calendar server failed (its certificate?).",
                HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "The calendar server sent a broken answer.",
                _ => "The calendar could not be fetched.",
            });
        }
    }

    /// <summary>The body as text, or null as soon as it grows past <paramref name="maxBytes"/> (the rest is never read).</summary>
    private static async Task<string?> ReadLimitedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static string TooLarge(long maxBytes) => $"The calendar is larger than {maxBytes / (1024.0 * 1024):0.#} MB and was not read.";

    /// <summary>The handler of the named client: no proxy (it would connect for us, past the address check), no cookies.</summary>
    public static SocketsHttpHandler CreateHandler(IOptionsMonitor<BusyCalendarOptions> options) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // Every connection, also one a redirect asks for, goes through the address check.
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, options.CurrentValue.AllowPrivateAddresses, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(address => allowPrivate || !IsPrivate(address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new AddressRefusedException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loopback, private, link-local (cloud metadata), shared (CGNAT), unspecified and multicast addresses.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0);
        }

        var bytes = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC;
    }

    /// <summary>The feed's host is on a private address and such addresses are not allowed here.</summary>
    private sealed class AddressRefusedException() : IOException(
        "The calendar's address points into a private network, which the site does not fetch from (see BusyCalendar:AllowPrivateAddresses).");
}
