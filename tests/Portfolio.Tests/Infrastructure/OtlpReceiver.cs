using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// An OTLP endpoint on a free loopback port that keeps every export it is sent: OTLP/HTTP (<c>POST /v1/traces</c>,
/// <c>/v1/metrics</c>) or OTLP/gRPC (HTTP/2, the .NET exporter's default). No collector is packaged for Debian and no
/// protobuf reader is needed: span names, attribute keys and values, resource attributes and metric names travel as
/// UTF-8 strings inside the protobuf, so tests look for them in the bytes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();

    private OtlpReceiver(bool grpc)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // gRPC needs HTTP/2, which Kestrel speaks without TLS only on an endpoint that speaks nothing else.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0,
            listen => listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));
        _server = builder.Build();
        _server.Run(grpc ? AcceptGrpcAsync : AcceptHttpAsync);
    }

    /// <summary>The base URL for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint { get; private set; } = "";

    public static async Task<OtlpReceiver> StartAsync(bool grpc = false)
    {
        var receiver = new OtlpReceiver(grpc);
        await receiver._server.StartAsync();
        var addresses = receiver._server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        receiver.Endpoint = addresses.Addresses.Single();
        return receiver;
    }

    /// <summary>Waits until an export of the signal (<c>traces</c> or <c>metrics</c>) has carried every one of the texts.</summary>
    public async Task WaitForAsync(string signal, params string[] texts)
    {
        // Generous: it returns as soon as all have arrived, and a busy CI machine can be slow.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var missing = texts.Where(text => !HasReceived(signal, text)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No {signal} export carried {string.Join(", ", missing)} within 60 s ({ExportCount(signal)} {signal} exports arrived).");
            }

            await Task.Delay(100);
        }
    }

    public bool HasReceived(string signal, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _exports.Any(export => export.Signal == signal && export.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    public int ExportCount(string signal) => _exports.Count(export => export.Signal == signal);

    /// <summary>OTLP/HTTP: the body is the protobuf request; an empty body is a valid (empty) response.</summary>
    private async Task AcceptHttpAsync(HttpContext context)
    {
        var signal = context.Request.Path.Value switch
        {
            "/v1/traces" => "traces",
            "/v1/metrics" => "metrics",
            "/v1/logs" => "logs",
            _ => null,
        };
        if (signal is null || !HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        _exports.Enqueue((signal, await ReadBodyAsync(context)));
        context.Response.ContentType = "application/x-protobuf";
    }

    /// <summary>
    /// OTLP/gRPC: <c>/opentelemetry.proto.collector.{signal}.v1.{Signal}Service/Export</c>, the message behind gRPC's
    /// 5-byte frame header; the answer is one empty message and the status in the trailers.
    /// </summary>
    private async Task AcceptGrpcAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var signal = path.Contains(".trace.", StringComparison.Ordinal) ? "traces"
            : path.Contains(".metrics.", StringComparison.Ordinal) ? "metrics"
            : path.Contains(".logs.", StringComparison.Ordinal) ? "logs"
            : null;
        if (signal is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        _exports.Enqueue((signal, await ReadBodyAsync(context)));
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5]);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        return body.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
