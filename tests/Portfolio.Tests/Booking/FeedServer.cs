using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portfolio.Tests.Booking;

/// <summary>
/// A real HTTP server (Kestrel on a loopback port) that plays a calendar host for the feed tests: a calendar with an
/// ETag that answers 304 to a matching If-None-Match, a slow one, garbage, a 50 MB body, and errors. What each path
/// answers can be changed while it runs; it counts requests and the bytes it managed to send.
/// </summary>
public sealed class FeedServer : IAsyncDisposable
{
    public const long HugeBytes = 50L * 1024 * 1024;

    private readonly WebApplication _app;

    /// <summary>Calendar text per path (e.g. "/a.ics"), served with an ETag made from its text.</summary>
    public ConcurrentDictionary<string, string> Calendars { get; } = new();

    /// <summary>Paths that answer this status instead (500, 404 …).</summary>
    public ConcurrentDictionary<string, int> Failing { get; } = new();

    public ConcurrentDictionary<string, int> Requests { get; } = new();

    /// <summary>Paths that wait this long before answering (still within the fetch limit).</summary>
    public ConcurrentDictionary<string, TimeSpan> Delays { get; } = new();

    public ConcurrentQueue<string?> IfNoneMatch { get; } = new();

    private long _hugeBytesSent;

    public long HugeBytesSent => Interlocked.Read(ref _hugeBytesSent);

    private readonly System.Net.Sockets.TcpListener _raw = new(System.Net.IPAddress.Loopback, 0);

    private FeedServer(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    /// <summary>
    /// The 50 MB calendar, from a plain socket server: Kestrel accepts (and drops) writes after the client has gone, so it
    /// cannot tell how much really left; a socket's send blocks once the client stops reading and the kernel's buffers are
    /// full, and fails once it has closed. <paramref name="declared"/>: with a Content-Length header, else until the connection closes.
    /// </summary>
    public string HugeUrl(bool declared) => $"http://127.0.0.1:{((System.Net.IPEndPoint)_raw.LocalEndpoint).Port}/{(declared ? "declared" : "streamed")}.ics";

    private async Task ServeHugeAsync()
    {
        while (true)
        {
            System.Net.Sockets.TcpClient client;
            try
            {
                client = await _raw.AcceptTcpClientAsync();
            }
            catch (Exception exception) when (exception is ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var request = new byte[8192];
                    var header = "";
                    while (!header.Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(request);
                        if (n == 0)
                        {
                            return;
                        }

                        header += System.Text.Encoding.ASCII.GetString(request, 0, n);
                    }

                    var declared = header.StartsWith("GET /declared", StringComparison.Ordinal);
                    var head = "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n" +
                               (declared ? $"Content-Length: {HugeBytes}\r\n" : "") + "\r\n";
                    var chunk = new byte[64 * 1024];
                    Array.Fill(chunk, (byte)'A');
                    try
                    {
                        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
                        for (long written = 0; written < HugeBytes; written += chunk.Length)
                        {
                            await stream.WriteAsync(chunk);
                            Interlocked.Add(ref _hugeBytesSent, chunk.Length);
                        }
                    }
                    catch (IOException)
                    {
                        // The client closed the connection: what the limit is for.
                    }
                }
            });
        }
    }

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FeedServer(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        server._raw.Start();
        _ = server.ServeHugeAsync();
        return server;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (Failing.TryGetValue(path, out var status))
        {
            context.Response.StatusCode = status;
            return;
        }

        switch (path)
        {
            case "/slow.ics":
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                return;
            case "/garbage.ics":
                await context.Response.WriteAsync("<html><body>Not a calendar at all</body></html>");
                return;
        }

        if (Delays.TryGetValue(path, out var delay))
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (!Calendars.TryGetValue(path, out var text))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var etag = $"\"{(uint)text.GetHashCode():x8}\"";
        IfNoneMatch.Enqueue(context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } sent ? sent : null);
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = 304;
            return;
        }

        context.Response.Headers.ETag = etag;
        context.Response.ContentType = "text/calendar";
        await context.Response.WriteAsync(text);
    }

    public async ValueTask DisposeAsync()
    {
        _raw.Stop();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
