using Portfolio.Web.Infrastructure;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The file's background writer loses nothing: every line, in order, also when its queue is full. The console's drops
/// lines rather than hold up the logging thread when its output stalls.
/// </summary>
[ProviderIndependent]
public sealed class BatchingLogSinkTests
{
    [Fact]
    public void DisposingWritesOutEveryQueuedEventInOrder()
    {
        var inner = new CollectingSink();
        var sink = new BatchingLogSink(inner, TimeSpan.FromHours(1));

        for (var i = 0; i < 5_000; i++)
        {
            sink.Emit(Event(i));
        }

        sink.Dispose();

        Assert.Equal(Enumerable.Range(0, 5_000), inner.Numbers);
        Assert.True(inner.Disposed);
    }

    [Fact]
    public void AFullQueueMakesTheLoggerWaitInsteadOfDroppingLines()
    {
        var inner = new CollectingSink();
        using (var sink = new BatchingLogSink(inner, TimeSpan.FromMilliseconds(5), capacity: 8))
        {
            Parallel.For(0, 4, worker =>
            {
                for (var i = 0; i < 500; i++)
                {
                    sink.Emit(Event((worker * 500) + i));
                }
            });
        }

        Assert.Equal(Enumerable.Range(0, 2_000), inner.Numbers.Order());
    }

    [Fact]
    public async Task WithDropWhenFullAStalledSinkLosesLinesButNeverHoldsTheLogger()
    {
        var inner = new CollectingSink();
        inner.Stall();
        var sink = new BatchingLogSink(inner, TimeSpan.FromMilliseconds(5), capacity: 8, dropWhenFull: true);

        var logging = Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                sink.Emit(Event(i));
            }
        });

        var finished = await Task.WhenAny(logging, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(finished == logging, "the logging thread waited for the stalled sink");
        inner.Resume();
        sink.Dispose();
        Assert.InRange(inner.Numbers.Count, 1, 100);
        Assert.Equal(inner.Numbers.Order(), inner.Numbers); // what was kept, in order
    }

    [Fact]
    public void EventsReachTheSinkWithoutADispose()
    {
        var inner = new CollectingSink();
        using var sink = new BatchingLogSink(inner, TimeSpan.FromMilliseconds(10));

        sink.Emit(Event(1));

        Assert.True(SpinWait.SpinUntil(() => inner.Numbers.Count == 1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void AfterAQuietSpellTheFirstLineIsWrittenAtOnceNotAfterTheRest()
    {
        // The worker sleeps until a line is queued (an idle site costs nothing); the rest between batches only
        // starts after a write, so a long one must not hold back the first line.
        var inner = new CollectingSink();
        using var sink = new BatchingLogSink(inner, TimeSpan.FromHours(1));
        Thread.Sleep(50);

        sink.Emit(Event(1));

        Assert.True(SpinWait.SpinUntil(() => inner.Numbers.Count == 1, TimeSpan.FromSeconds(10)));
    }

    private static LogEvent Event(int number) => new(
        DateTimeOffset.UnixEpoch, LogEventLevel.Information, null,
        new MessageTemplateParser().Parse("Line {Number}"),
        [new LogEventProperty("Number", new ScalarValue(number))]);

    private sealed class CollectingSink : ILogEventSink, IDisposable
    {
        private readonly List<int> _numbers = [];

        public bool Disposed { get; private set; }

        public List<int> Numbers
        {
            get
            {
                lock (_numbers)
                {
                    return [.. _numbers];
                }
            }
        }

        private readonly ManualResetEventSlim _flowing = new(true);

        /// <summary>Emit blocks until <see cref="Resume"/>, as a terminal nobody reads would.</summary>
        public void Stall() => _flowing.Reset();

        public void Resume() => _flowing.Set();

        public void Emit(LogEvent logEvent)
        {
            _flowing.Wait();
            lock (_numbers)
            {
                _numbers.Add((int)((ScalarValue)logEvent.Properties["Number"]).Value!);
            }
        }

        public void Dispose()
        {
            Disposed = true;
            _flowing.Dispose();
        }
    }
}
