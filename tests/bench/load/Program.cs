// The load generator of tests/bench/load.sh for what wrk cannot do: a booking that first looks up free slots and books
// one of them (wrk gives one latency distribution per process and cannot read an answer into the next request cheaply),
// and junk writes from many source addresses across 127.0.0.0/8 (wrk cannot choose its source address; Linux routes the
// whole /8 to loopback, so a socket may bind any of it).
//
//   LoadTool urls   --base https://127.0.0.1:PORT --cert CERT.pem --out PATHS.txt
//       What a visitor browses: every URL of the sitemap, plus the static files (styles, scripts, fonts, images) that the
//       home page and an expert's page refer to. Each is fetched once and must answer 200.
//   LoadTool writes --base … --cert … --seconds S --workers W --pace-ms P --experts a,b,c [--tag T]
//       W writers, each in turn: look up an expert's free slots on a random day (GET /api/v1/experts/{slug}/slots), book
//       one of them (POST /api/v1/bookings), pause P ms, send a contact message (POST /api/v1/contact-messages), pause
//       P ms. A 409 (the slot was taken by another writer in between, or the day filled up) is an expected answer.
//   LoadTool flood  --base … --cert … --seconds S --concurrency C --clients N --first-address 127.100.0.1 --mode invalid|overlimit
//       Junk writes (malformed JSON, invalid fields) from N distinct source addresses, C at a time, each address on its
//       own connection. invalid: an address sends 5 junk contact messages and 10 junk bookings (no more than the
//       production limits allow one client on one instance), then a fresh address takes over: every answer should be a
//       400. overlimit: the N addresses take turns for the whole run, so after their first few 400s every answer is a 429.
//       valid: as invalid, but each fresh address sends 5 proper contact messages (202), for an accepted write's cost.
//
// Every mode prints "key value" lines for the script. Only a loopback target is accepted, only the run's own certificate
// is trusted, and every run ends after S seconds (a request still in flight has a 10 s time-out).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Portfolio.Bench.Load;

var arguments = Arguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine("usage: LoadTool urls|writes|flood --base https://127.0.0.1:PORT --cert CERT.pem …");
    return 2;
}

var target = new Uri(arguments.Get("base"));
if (!IPAddress.TryParse(target.Host, out var targetAddress) || !IPAddress.IsLoopback(targetAddress))
{
    Console.Error.WriteLine($"LoadTool: {target} is not a loopback address.");
    return 2;
}

using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(arguments.Get("cert")));
var connections = new Connections(target, certificate);
return arguments.Mode switch
{
    "urls" => await Modes.UrlsAsync(arguments, connections),
    "writes" => await Modes.WritesAsync(arguments, connections),
    "flood" => await Modes.FloodAsync(arguments, connections),
    _ => 2,
};

namespace Portfolio.Bench.Load
{
    internal static partial class Modes
    {
        public static async Task<int> UrlsAsync(Arguments arguments, Connections connections)
        {
            using var client = connections.Create(null, 1);
            var sitemap = await client.GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative));
            var pages = Patterns.SitemapLocation().Matches(sitemap)
                .Select(match => new Uri(WebUtility.HtmlDecode(match.Groups[1].Value)).PathAndQuery)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (pages.Count == 0)
            {
                Console.Error.WriteLine("LoadTool: the sitemap lists no page.");
                return 1;
            }

            var assets = new SortedSet<string>(StringComparer.Ordinal);
            var expert = pages.FirstOrDefault(page => page.StartsWith("/team/", StringComparison.Ordinal)) ?? "/";
            foreach (var page in new[] { "/", expert })
            {
                var html = await client.GetStringAsync(new Uri(page, UriKind.Relative));
                foreach (System.Text.RegularExpressions.Match match in Patterns.Asset().Matches(html))
                {
                    assets.Add(WebUtility.HtmlDecode(match.Groups[1].Value));
                }
            }

            var all = pages.Concat(assets).ToList();
            foreach (var path in all)
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Console.Error.WriteLine($"LoadTool: GET {path} answered {(int)response.StatusCode}.");
                    return 1;
                }
            }

            await File.WriteAllLinesAsync(arguments.Get("out"), all);
            Console.WriteLine($"pages {pages.Count}");
            Console.WriteLine($"assets {assets.Count}");
            return 0;
        }

        public static async Task<int> WritesAsync(Arguments arguments, Connections connections)
        {
            var workers = arguments.Int("workers");
            var pace = TimeSpan.FromMilliseconds(arguments.Int("pace-ms"));
            var experts = arguments.Get("experts").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var tag = arguments.Get("tag", "run");
            var end = TimeSpan.FromSeconds(arguments.Int("seconds"));
            var recorder = new Recorder(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["slots"] = ["200"],
                ["booking"] = ["201", "409"],
                ["contact"] = ["202"],
            });
            using var client = connections.Create(null, workers);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var fullDays = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
            {
                var random = new Random(HashCode.Combine(worker, Environment.TickCount64, tag));
                for (var round = 0; clock.Elapsed < end; round++)
                {
                    var who = $"{tag}-{worker}-{round}";
                    if (!await BookAsync(client, recorder, random, experts, today, who))
                    {
                        Interlocked.Increment(ref fullDays);
                    }

                    await Task.Delay(pace);
                    if (clock.Elapsed >= end)
                    {
                        break;
                    }

                    await SendAsync(client, recorder, "contact", Json(HttpMethod.Post, "/api/v1/contact-messages", JsonSerializer.Serialize(new
                    {
                        name = $"Load Sender {who}",
                        email = $"sender-{who}@example.com",
                        company = "Load Ltd",
                        subject = $"Load test message {who}",
                        message = $"Hello, this is load-test message {who}. We would like to talk about a project.",
                    })));
                    await Task.Delay(pace);
                }
            })));
            recorder.Print(clock.Elapsed);
            Console.WriteLine($"full-days {fullDays}");
            return 0;
        }

        /// <summary>
        /// Up to five random days until one has a free slot, then books a random one of them. False when all five days
        /// were full (the lookups are still counted).
        /// </summary>
        private static async Task<bool> BookAsync(HttpClient client, Recorder recorder, Random random, string[] experts, DateOnly today, string who)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var expert = experts[random.Next(experts.Length)];
                // From the day after tomorrow (a slot must still lie ahead when the booking arrives) into the horizon.
                var day = today.AddDays(random.Next(2, 360)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var (status, body) = await SendAsync(client, recorder, "slots",
                    new HttpRequestMessage(HttpMethod.Get, $"/api/v1/experts/{expert}/slots?from={day}&days=1"), readBody: true);
                if (status != 200)
                {
                    return true;
                }

                using var slots = JsonDocument.Parse(body);
                var count = slots.RootElement.GetArrayLength();
                if (count == 0)
                {
                    continue;
                }

                var start = slots.RootElement[random.Next(count)].GetProperty("start").GetString();
                await SendAsync(client, recorder, "booking", Json(HttpMethod.Post, "/api/v1/bookings", JsonSerializer.Serialize(new
                {
                    expert,
                    start,
                    name = $"Load Client {who}",
                    email = $"client-{who}@example.com",
                    company = "Load Ltd",
                    topic = $"Load test {who}",
                    notes = "Booked by the load test.",
                    timeZone = "Europe/Berlin",
                })));
                return true;
            }

            return false;
        }

        public static async Task<int> FloodAsync(Arguments arguments, Connections connections)
        {
            var mode = arguments.Get("mode");
            var clients = arguments.Int("clients");
            var concurrency = arguments.Int("concurrency");
            var first = arguments.Get("first-address");
            var end = TimeSpan.FromSeconds(arguments.Int("seconds"));
            if (mode is not ("invalid" or "overlimit" or "valid") || clients < concurrency)
            {
                Console.Error.WriteLine("LoadTool: --mode invalid|overlimit|valid, and at least as many --clients as --concurrency.");
                return 2;
            }

            var recorder = new Recorder(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["junk"] = ["400", "429"], ["contact"] = ["202", "429"] });
            var next = -1;
            var reused = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
            {
                if (mode is "invalid" or "valid")
                {
                    while (clock.Elapsed < end)
                    {
                        var index = Interlocked.Increment(ref next);
                        if (index >= clients)
                        {
                            // Out of fresh addresses: this one has spent part of its budget already (its answers may be 429s).
                            Interlocked.Increment(ref reused);
                            index %= clients;
                        }

                        using var client = connections.Create(Addresses.At(first, index), 1);
                        if (mode == "valid")
                        {
                            for (var request = 0; request < Junk.ValidPerFreshAddress && clock.Elapsed < end; request++)
                            {
                                await SendAsync(client, recorder, "contact", Junk.Valid(index, request));
                            }

                            continue;
                        }

                        for (var request = 0; request < Junk.PerFreshAddress && clock.Elapsed < end; request++)
                        {
                            await SendAsync(client, recorder, "junk", Junk.Request(request));
                        }
                    }

                    return;
                }

                var own = Enumerable.Range(0, clients).Where(index => index % concurrency == worker)
                    .Select(index => connections.Create(Addresses.At(first, index), 1)).ToList();
                try
                {
                    for (var turn = 0; clock.Elapsed < end; turn++)
                    {
                        await SendAsync(own[turn % own.Count], recorder, "junk", Junk.Request(turn / own.Count));
                    }
                }
                finally
                {
                    own.ForEach(client => client.Dispose());
                }
            })));
            recorder.Print(clock.Elapsed);
            Console.WriteLine($"addresses {(mode is "invalid" or "valid" ? Math.Min(clients, next + 1) : clients)}");
            Console.WriteLine($"reused-addresses {reused}");
            return 0;
        }

        private static HttpRequestMessage Json(HttpMethod method, string path, string body) =>
            new(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        /// <summary>Sends, reads the whole answer and records its status (or the exception's type) and time.</summary>
        private static async Task<(int Status, string Body)> SendAsync(HttpClient client, Recorder recorder, string kind, HttpRequestMessage request, bool readBody = false)
        {
            using (request)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var body = readBody ? await response.Content.ReadAsStringAsync() : "";
                    var status = (int)response.StatusCode;
                    recorder.Add(kind, status.ToString(CultureInfo.InvariantCulture), Stopwatch.GetElapsedTime(started));
                    return (status, body);
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
                {
                    recorder.Add(kind, "error-" + exception.GetType().Name, Stopwatch.GetElapsedTime(started));
                    return (0, "");
                }
            }
        }
    }

    internal static partial class Patterns
    {
        [System.Text.RegularExpressions.GeneratedRegex("<loc>([^<]+)</loc>")]
        public static partial System.Text.RegularExpressions.Regex SitemapLocation();

        /// <summary>Same-site static files and media a page refers to (href or src).</summary>
        [System.Text.RegularExpressions.GeneratedRegex("""(?:href|src)="(/(?:media/[^"]+|[^"?#]+\.(?:css|js|mjs|svg|png|jpe?g|webp|avif|gif|ico|woff2?)(?:\?[^"]*)?))(?=")""")]
        public static partial System.Text.RegularExpressions.Regex Asset();
    }

    /// <summary>The junk writes of the flood, in the order one address sends them.</summary>
    internal static class Junk
    {
        /// <summary>
        /// Five contact messages and ten bookings: the production limits per client and instance
        /// (RateLimiting:ContactWrites 5, RateLimiting:BookingWrites 10), so a fresh address gets only 400s.
        /// </summary>
        public const int PerFreshAddress = 15;

        /// <summary>Contact messages a fresh address may send on one instance (RateLimiting:ContactWrites, 5).</summary>
        public const int ValidPerFreshAddress = 5;

        /// <summary>A contact message that is accepted (202): for the CPU of an accepted write beside a rejected one.</summary>
        public static HttpRequestMessage Valid(int address, int sequence)
        {
            var who = $"{address}-{sequence}-{Environment.ProcessId}";
            var body = JsonSerializer.Serialize(new
            {
                name = $"Flood Sender {who}",
                email = $"flood-{who}@example.com",
                subject = $"Load test message {who}",
                message = $"Hello, this is load-test message {who}. We would like to talk about a project.",
            });
            return new HttpRequestMessage(HttpMethod.Post, "/api/v1/contact-messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }

        public static HttpRequestMessage Request(int sequence)
        {
            var step = sequence % PerFreshAddress;
            var (path, body) = step switch
            {
                // Cut off in the middle: not JSON.
                < 5 when step % 2 == 0 => ("/api/v1/contact-messages", """{"name":"Junk","email":"junk@example.com","message":"""),
                // JSON, but no field is valid.
                < 5 => ("/api/v1/contact-messages", """{"name":"","email":"not-an-address","subject":"","message":"short"}"""),
                // A start that is not a date.
                _ when step % 2 == 0 => ("/api/v1/bookings", """{"expert":"talha","start":"not-a-date","name":"Junk"}"""),
                // An answer of the wrong kind.
                _ => ("/api/v1/bookings", """{"expert":"talha","start":"2030-01-07T10:00:00Z","name":"Junk","email":"junk@example.com","answers":{"topic":42}}"""),
            };
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    internal static class Addresses
    {
        /// <summary>The address <paramref name="index"/> places after <paramref name="first"/>; it must stay inside 127.0.0.0/8.</summary>
        public static IPAddress At(string first, int index)
        {
            var bytes = IPAddress.Parse(first).GetAddressBytes();
            var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) + (uint)index;
            if (value >> 24 != 127)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"{first} + {index} leaves 127.0.0.0/8.");
            }

            return new IPAddress(new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value });
        }
    }

    internal sealed class Connections(Uri target, X509Certificate2 certificate)
    {
        /// <summary>A client whose connections come from <paramref name="local"/> (any address when null).</summary>
        public HttpClient Create(IPAddress? local, int maxConnections)
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = maxConnections,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
                AllowAutoRedirect = false,
                UseCookies = false,
                SslOptions = new SslClientAuthenticationOptions
                {
                    // The throwaway certificate of this run, and no other.
                    RemoteCertificateValidationCallback = (_, presented, _, _) =>
                        presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(certificate.GetCertHash()),
                },
            };
            if (local is not null)
            {
                handler.ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(local, 0));
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                };
            }

            return new HttpClient(handler) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(10) };
        }
    }

    /// <summary>Status counts and latencies per kind of request; what is not an expected status is counted as unexpected.</summary>
    internal sealed class Recorder(Dictionary<string, string[]> expected)
    {
        private readonly Lock gate = new();
        private readonly SortedDictionary<string, long> statuses = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<double>> latencies = new(StringComparer.Ordinal);

        public void Add(string kind, string outcome, TimeSpan elapsed)
        {
            lock (gate)
            {
                var key = kind + " " + outcome;
                statuses[key] = statuses.GetValueOrDefault(key) + 1;
                if (!latencies.TryGetValue(kind, out var list))
                {
                    latencies[kind] = list = [];
                }

                list.Add(elapsed.TotalMilliseconds);
            }
        }

        public void Print(TimeSpan elapsed)
        {
            lock (gate)
            {
                var requests = statuses.Values.Sum();
                var unexpected = statuses
                    .Where(entry => !expected.TryGetValue(entry.Key.Split(' ')[0], out var allowed) || !allowed.Contains(entry.Key.Split(' ')[1]))
                    .Sum(entry => entry.Value);
                Console.WriteLine(FormattableString.Invariant($"seconds {elapsed.TotalSeconds:F2}"));
                Console.WriteLine($"requests {requests}");
                Console.WriteLine($"unexpected {unexpected}");
                foreach (var (key, count) in statuses)
                {
                    Console.WriteLine($"status {key} {count}");
                }

                foreach (var (kind, values) in latencies)
                {
                    Console.WriteLine(Summary(kind, values));
                }

                // Bookings and contact messages together: "writes" in the results table.
                var writes = latencies.Where(entry => entry.Key is "booking" or "contact").SelectMany(entry => entry.Value).ToList();
                if (writes.Count > 0)
                {
                    Console.WriteLine(Summary("writes", writes));
                }
            }
        }

        private static string Summary(string kind, List<double> values)
        {
            values.Sort();
            double At(double quantile) => values[Math.Clamp((int)Math.Ceiling(quantile * values.Count) - 1, 0, values.Count - 1)];
            return FormattableString.Invariant($"latency {kind} {values.Count} {At(0.5):F2} {At(0.99):F2} {values[^1]:F2}");
        }
    }

    internal sealed class Arguments
    {
        private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

        public string Mode { get; private init; } = "";

        public static Arguments? Parse(string[] args)
        {
            if (args.Length == 0 || args.Length % 2 == 0)
            {
                return null;
            }

            var parsed = new Arguments { Mode = args[0] };
            for (var i = 1; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    return null;
                }

                parsed.values[args[i][2..]] = args[i + 1];
            }

            return parsed;
        }

        public string Get(string name, string? fallback = null) =>
            values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is missing.");

        public int Int(string name) => int.Parse(Get(name), CultureInfo.InvariantCulture);
    }
}
