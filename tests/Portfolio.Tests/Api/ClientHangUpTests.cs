using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Api;

/// <summary>
/// A client that hangs up in the middle of its request, or sends one Kestrel cannot read, is the client's doing:
/// the log gets one information line, not an error with a stack trace that would page someone at night. A fault of
/// ours still is an error. (Driven through the handler itself: a real hang-up races the server's reading.)
/// </summary>
public sealed class ClientHangUpTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "a body cut short", false },
        { "an aborted request", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheClientsOwnDoingIsOneInformationLine(string what, bool aborted)
    {
        var (log, context) = Request(aborted);
        Exception exception = aborted
            ? new OperationCanceledException(context.RequestAborted)
            : new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);

        Assert.True(await Handler(log).TryHandleAsync(context, exception, CancellationToken.None), what);

        var line = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("/api/v1/contact-messages ended by the client", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFaultOfOursIsStillAnError()
    {
        var (log, context) = Request(aborted: false);

        await Handler(log).TryHandleAsync(context, new InvalidOperationException("a bug"), CancellationToken.None);

        Assert.Equal(LogLevel.Error, Assert.Single(log.Lines).Level);
        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
    }

    private (CapturedLog Log, DefaultHttpContext Context) Request(bool aborted)
    {
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/contact-messages";
        context.Response.Body = new MemoryStream();
        if (aborted)
        {
            context.RequestAborted = new CancellationToken(canceled: true);
        }

        return (new CapturedLog(), context);
    }

    private ApiExceptionHandler Handler(CapturedLog log) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            app.Services.GetRequiredService<Portfolio.Web.Infrastructure.StorageFaults>(),
            new Logger<ApiExceptionHandler>(LoggerFactory.Create(logging => logging.AddProvider(log))));
}
