using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Api;

/// <summary>The app on Kestrel with its log captured.</summary>
public sealed class LoggedKestrelPortfolioApp : UnthrottledPortfolioApp
{
    public CapturedLog Log { get; } = new();

    protected override bool RunsOnKestrel => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Log));
        // The test apps log warnings and up; this test reads an information line of the app's own.
        builder.ConfigureLogging(logging => logging.AddFilter("Portfolio", LogLevel.Information));
    }
}

/// <summary>
/// A client that hangs up in the middle of its request body is the client's doing: the log gets one line about
/// it, not an error with a stack trace that would page someone at night.
/// </summary>
public sealed class ClientHangUpTests(LoggedKestrelPortfolioApp app) : IClassFixture<LoggedKestrelPortfolioApp>
{
    [Fact]
    public async Task AClientThatHangsUpMidBodyIsLoggedAsSuchNotAsAnError()
    {
        var address = app.CreateClient().BaseAddress!;
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(address.Host, address.Port);
            var stream = socket.GetStream();
            var head = $"POST /api/v1/contact-messages HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"name\": \"Half a bo"));
            await stream.FlushAsync();
            await Task.Delay(300); // the app is reading the body now
        }

        var line = await WaitForAsync(app.Log, () => app.Log.Lines.FirstOrDefault(l => l.Message.Contains("/api/v1/contact-messages ended by the client", StringComparison.Ordinal)));

        Assert.Equal(LogLevel.Information, line.Level);
        Assert.DoesNotContain(app.Log.Lines, l => l.Level >= LogLevel.Error && !l.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
    }

    private static async Task<(LogLevel Level, string Category, string Message)> WaitForAsync(CapturedLog log, Func<(LogLevel Level, string Category, string Message)> find)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            var found = find();
            if (found.Message is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The app never logged the client's hang-up. It logged:\n" +
            string.Join('\n', log.Lines.Select(l => $"{l.Level} {l.Category}: {l.Message}")));
    }
}
