using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Portfolio.Tests.Infrastructure;

/// <summary>Who sends a request: nobody, or a signed-in administrator.</summary>
public enum FuzzIdentity
{
    Anonymous,
    Administrator,
}

/// <summary>An endpoint the app maps (from its <see cref="EndpointDataSource"/>), with the methods it takes (null: any).</summary>
public sealed record FuzzRoute(string Pattern, IReadOnlyList<string>? Methods, RouteTemplate Template)
{
    public bool IsApi => Pattern.StartsWith("/api/", StringComparison.Ordinal);

    public bool IsBackoffice => Pattern.StartsWith("/umbraco", StringComparison.Ordinal);

    public int ParameterCount => Template.Parameters.Count;

    /// <summary>Made once: the fuzz run asks which route a path belongs to for every request and every page it reads.</summary>
    public TemplateMatcher Matcher { get; } = new(Template, []);
}

/// <summary>A form field as the page rendered it: its kind (input type, select, textarea) and its choices.</summary>
public sealed record FuzzField(string Name, string Value, string Kind, IReadOnlyList<string> Options);

/// <summary>A form found on a page, posted by the identity that saw it (its antiforgery token is that session's).</summary>
public sealed record FuzzForm(FuzzIdentity Identity, string Action, IReadOnlyList<FuzzField> Fields, bool Multipart);

/// <summary>A JSON operation from the OpenAPI document: its path template, method and example body.</summary>
public sealed record FuzzOperation(string Method, string Path, JsonNode? Example, IReadOnlyList<string> QueryParameters);

/// <summary>One generated request: what it is (for the report), who sends it and how to build it.</summary>
public sealed record FuzzCase(int Number, string Kind, string Target, FuzzIdentity? Identity, Func<HttpRequestMessage> Build);

/// <summary>
/// Generates malformed requests from what the app says it has: its endpoints, the forms and links its pages render,
/// and its OpenAPI document. Every choice comes from one seeded <see cref="Random"/>, so a seed names a run.
/// </summary>
public sealed class RequestFuzzer(Random random, IReadOnlyList<FuzzRoute> routes, IReadOnlyDictionary<FuzzRoute, List<(FuzzIdentity Identity, string Url)>> samples,
    IReadOnlyList<FuzzForm> forms, IReadOnlyList<FuzzOperation> allOperations, IReadOnlyList<string> queryNames)
{
    /// <summary>The operations that take a JSON body; the others are reached as routes with queries.</summary>
    private readonly List<FuzzOperation> _jsonOperations = allOperations.Where(operation => operation.Example is not null).ToList();

    /// <summary>Strings that have broken parsers, encoders, databases and mail headers before.</summary>
    private static readonly string[] NastyStrings =
    [
        "", " ", "\t\r\n", "\0", "a\0b", "\u0001\u0002\u0003\u001b[31m", "\u007f\u0085\u009f", "\u200b\u200e\u202e\u2028\u2029\ufeff",
        "\ud800", "\udc00x", "x\ud83d", "😀😀😀", "\uffff\ufffe", "Ω≈ç√∫", "İıŞş", "ß", "\u0130", "'", "\"", "`", "\\", "%", "%00", "%s%n%x",
        "{0}", "{{}}", "${jndi:ldap://x}", "<script>alert(1)</script>", "</textarea><b>", "' OR 1=1 --", "\"; DROP TABLE x; --",
        "Robert'); DROP TABLE Students;--", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "/", "//evil.example", "\\\\evil",
        "https://evil.example/", "javascript:alert(1)", "data:text/html,x", "mailto:x@y", "a@b", "x@example.com\r\nBcc: v@example.com",
        "null", "undefined", "true", "NaN", "Infinity", "-Infinity", "-0", "0", "-1", "1e309", "-1e309", "1e-400", "0x7fffffff",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "79228162514264337593543950336", "1.7976931348623157e309", "99999999999999999999999999999999999999999",
        "1,5", "1.5", "٣", "１２", "0001-01-01", "0000-00-00", "2026-02-30", "2026-13-01", "2026-11-03T25:61:61", "-0001-01-01",
        "10000-01-01T00:00:00Z", "2026-11-03T10:00:00+99:00", "2026-11-03T10:00:00.99999999999Z", "1762162200",
        "Europe/Berlin", "Mars/Olympus", "W. Europe Standard Time", "UTC", "Etc/GMT+14", "../../../etc/localtime",
        "00000000-0000-0000-0000-000000000000", "not-a-guid", "{00000000-0000-0000-0000-000000000000}", "talha", "Talha", "TALHA",
    ];

    /// <summary>Dates only: the booking and schedule fields read them.</summary>
    /// <remarks>No year-9999 values: finding 7 of the issue (extreme dates on the booking API, form and reschedule) is
    /// fixed separately; <c>BadInputTests</c> and that fix's own tests cover them.</remarks>
    private static readonly string[] NastyDates =
    [
        "0001-01-01", "0001-01-01T00:00", "1900-01-01T00:00", "1970-01-01T00:00:00Z", "2026-02-29", "2026-11-03T10:00",
        "2026-11-03T10:00:00Z", "2026-11-03T10:00:00-14:00", "2126-11-03T10:00", "2026-11-3", "03/11/2026", "2026-W45", "T10:00", "",
    ];

    private static readonly string[] OddMethods = ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND", "MKCOL", "FOO", "get", "HEAD", "POST"];

    private static readonly string[] OddContentTypes =
    [
        "text/plain", "application/json", "application/xml", "application/x-www-form-urlencoded; charset=utf-7",
        "application/x-www-form-urlencoded; charset=nonsense", "multipart/form-data", "multipart/form-data; boundary=",
        "multipart/mixed; boundary=x", "application/octet-stream", "*/*", ";;;", "text/html; charset=\"", "application/json; charset=latin1",
        "application/merge-patch+json", "application/problem+json", "image/png",
    ];

    private int _number;

    /// <summary>The next case: a kind of malformation, drawn by weight.</summary>
    public FuzzCase Next()
    {
        _number++;
        var roll = random.Next(100);
        return roll switch
        {
            < 36 when forms.Count > 0 => FormCase(),
            < 56 when _jsonOperations.Count > 0 => JsonCase(),
            < 70 => QueryCase(),
            < 80 => PathCase(),
            < 88 => MethodCase(),
            < 96 => HeaderCase(),
            _ => LongUrlCase(),
        };
    }

    // --- forms ------------------------------------------------------------------------------------------------------

    private FuzzCase FormCase()
    {
        var form = Pick(forms);
        var fields = form.Fields.Select(field => (Name: field.Name, Value: (object)ValueFor(field))).ToList();
        var mutations = new List<string>();
        for (var count = 1 + random.Next(3); count > 0; count--)
        {
            mutations.Add(MutateForm(form, fields));
        }

        var encoding = random.Next(100);
        var kind = encoding switch
        {
            < 65 => "urlencoded",
            < 85 => "multipart",
            < 92 => "broken multipart",
            _ => "odd content type",
        };
        if (form.Multipart && kind == "urlencoded")
        {
            kind = "multipart";
        }

        var action = form.Action;
        if (random.Next(10) == 0)
        {
            action = WithQuery(action, "handler", Pick(["", "Nope", "delete", "Delete", "%00", new string('h', 3000), "Save&handler=Publish"]));
        }

        var contentType = kind == "odd content type" ? Pick(OddContentTypes) : null;
        return new FuzzCase(_number, $"form ({kind}: {string.Join(", ", mutations)})", $"POST {action}", form.Identity, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, action);
            request.Content = kind switch
            {
                "multipart" => Multipart(fields, form),
                "broken multipart" => BrokenMultipart(fields),
                _ => UrlEncoded(fields, contentType),
            };
            return request;
        });
    }

    private string ValueFor(FuzzField field) => field.Kind switch
    {
        "select" or "radio" when field.Options.Count > 0 => Pick(field.Options),
        "checkbox" => field.Value,
        "hidden" => field.Value,
        "email" => "fuzz@example.com",
        "date" => "2026-11-20",
        "datetime-local" => "2026-11-20T10:00",
        "time" => "10:00",
        "number" => "1",
        "password" => "staple battery horse correct",
        _ => field.Value.Length > 0 ? field.Value : "Fuzz value",
    };

    private string MutateForm(FuzzForm form, List<(string Name, object Value)> fields)
    {
        var mutable = fields.Select((field, index) => (field, index))
            .Where(pair => pair.field.Name != "__RequestVerificationToken").Select(pair => pair.index).ToList();
        var roll = random.Next(100);
        if (mutable.Count == 0 || roll < 5)
        {
            fields.Add((NastyName(), NastyValue()));
            return "an unknown field";
        }

        var at = Pick(mutable);
        var field = form.Fields.FirstOrDefault(candidate => candidate.Name == fields[at].Name);
        switch (roll)
        {
            case < 40:
                fields[at] = (fields[at].Name, NastyValue());
                return "a nasty value";
            case < 55:
                fields[at] = (fields[at].Name, WrongTypeFor(field?.Kind));
                return "a value of the wrong type";
            case < 63:
                fields.Insert(at + 1, (fields[at].Name, NastyValue()));
                return "a duplicate key";
            case < 70:
                fields.RemoveAt(at);
                return "a field missing";
            case < 78:
                fields[at] = (MangledName(fields[at].Name), fields[at].Value);
                return "a mangled name";
            case < 82:
                fields[at] = (fields[at].Name, new RawValue(Pick(["%ED%A0%80", "%FF%FE", "%C0%80", "%", "%zz", "%E2%82", "a%2", "%F4%90%80%80", "+%2B+"])));
                return "invalid UTF-8 or a broken escape";
            case < 86:
                fields.AddRange(Enumerable.Range(0, 1025 + random.Next(500)).Select(i => ($"f{i}", (object)"1")));
                return "too many fields";
            case < 88:
                fields[at] = (fields[at].Name, new string('x', 4 * 1024 * 1024 + 1));
                return "a value over the form reader's limit";
            case < 90:
                fields.Add((new string('k', 2049 + random.Next(100)), "1"));
                return "a key over the form reader's limit";
            case < 95:
                fields[at] = (fields[at].Name, string.Concat(Enumerable.Repeat(NastyValue(), 1 + random.Next(2000))));
                return "a long value";
            default:
                fields.Clear();
                return "no fields at all";
        }
    }

    private string WrongTypeFor(string? kind) => kind switch
    {
        "date" or "datetime-local" or "time" => Pick(NastyDates.Concat(["tomorrow", "1e309", "-1"]).ToArray()),
        "number" => Pick(["", "abc", "1e309", "-1", "2147483648", "-9223372036854775809", "1.5", "NaN", "٣", "0x10", "+1", " 1 "]),
        "checkbox" => Pick(["maybe", "true,false", "", "on\0", "2"]),
        "select" or "radio" => Pick(["not-an-option", "", "-1", "999999", "Administrator", "Owner\0"]),
        "email" => Pick(["", "@", "a@", "@b", "a@b@c", "x@example.com\r\nBcc: v@example.com", new string('a', 300) + "@example.com"]),
        _ => Pick(NastyDates.Concat(["1e309", "-1", "true", "[]", "{}", "null"]).ToArray()),
    };

    // --- JSON ---------------------------------------------------------------------------------------------------

    private FuzzCase JsonCase()
    {
        var operation = Pick(_jsonOperations);
        var path = FillPath(operation.Path);
        var body = operation.Example?.DeepClone() ?? new JsonObject();
        string text;
        string mutation;
        var contentType = "application/json";
        var roll = random.Next(100);
        switch (roll)
        {
            case < 35 when body is JsonObject properties && properties.Count > 0:
            {
                var name = Pick(properties.Select(property => property.Key).ToList());
                properties[name] = WrongJson();
                text = body.ToJsonString();
                mutation = $"{name} of the wrong type or value";
                break;
            }

            case < 45 when body is JsonObject properties && properties.Count > 0:
            {
                var name = Pick(properties.Select(property => property.Key).ToList());
                properties.Remove(name);
                text = body.ToJsonString();
                mutation = $"{name} missing";
                break;
            }

            case < 52 when body is JsonObject properties && properties.Count > 0:
            {
                var name = Pick(properties.Select(property => property.Key).ToList());
                text = body.ToJsonString().TrimEnd('}') + $",\"{name}\":{WrongJson()?.ToJsonString() ?? "null"}}}";
                mutation = $"{name} twice";
                break;
            }

            case < 58 when body is JsonObject properties && properties.Count > 0:
            {
                var name = Pick(properties.Select(property => property.Key).ToList());
                // A lone surrogate or a NUL escaped in JSON text: the serializer's own checks, not the transport's.
                var escape = Pick(["\\ud800", "\\udfff", "\\u0000", "\\ud83d\\u0041", "\\u001b", "\\uffff"]);
                properties[name] = "marker";
                text = body.ToJsonString().Replace("\"marker\"", $"\"a{escape}b\"", StringComparison.Ordinal);
                mutation = $"{name} with {escape}";
                break;
            }

            case < 64:
            {
                var depth = Pick([64, 65, 100, 1000, 5000]);
                var nested = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                if (body is JsonObject properties && properties.Count > 0)
                {
                    var name = Pick(properties.Select(property => property.Key).ToList());
                    properties[name] = "marker";
                    text = body.ToJsonString().Replace("\"marker\"", nested, StringComparison.Ordinal);
                }
                else
                {
                    text = nested;
                }

                mutation = $"nested {depth} deep";
                break;
            }

            case < 69:
                text = Pick(["", " ", "null", "[]", "\"x\"", "1", "true", "{", "}", "{\"a\"", "{,}", "[{}]", "{\"a\":1,}", "\ufeff{}", "{} {}", "{\"a\":NaN}",
                    "{\"a\":1e999999}", "{\"a\":-}", "{'a':1}", "/*x*/{}", "{\"\\u0000\":1}"]);
                mutation = "not an object";
                break;
            case < 74:
                text = body.ToJsonString();
                text = text[..random.Next(Math.Max(1, text.Length))];
                mutation = "cut short";
                break;
            case < 79:
                if (body is JsonObject large && large.Count > 0)
                {
                    large[Pick(large.Select(property => property.Key).ToList())] = new string('x', 33 * 1024 + random.Next(100_000));
                }

                text = body.ToJsonString();
                mutation = "over the body limit";
                break;
            case < 86:
                text = body.ToJsonString();
                contentType = Pick(OddContentTypes.Concat(["application/json; charset=utf-16", "APPLICATION/JSON", "application/json;", "text/json"]).ToArray());
                mutation = $"sent as {contentType}";
                break;
            case < 90:
                if (body is JsonObject extra)
                {
                    extra[NastyName()] = WrongJson();
                }

                text = body.ToJsonString();
                mutation = "an unknown property";
                break;
            default:
                text = body.ToJsonString();
                mutation = "the example itself";
                break;
        }

        var idempotencyKey = random.Next(5) == 0 ? Pick(["", " ", new string('k', 101), "a\u0001b", Guid.NewGuid().ToString(), "ключ", "same"]) : null;
        var bytes = random.Next(25) == 0
            ? [0xFF, 0xFE, .. Encoding.UTF8.GetBytes(text), 0xC3] // bytes that are not UTF-8 around the JSON
            : Encoding.UTF8.GetBytes(text);
        return new FuzzCase(_number, $"JSON ({mutation}{(idempotencyKey is null ? "" : ", an Idempotency-Key")})", $"{operation.Method} {path}", null, () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
            var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Content = content;
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            return request;
        });
    }

    private JsonNode? WrongJson() => random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(Pick([0L, -1L, long.MaxValue, long.MinValue, int.MaxValue + 1L])),
        3 => JsonNode.Parse(Pick(["1e308", "-1e308", "123456789012345678901234567890", "1.0000000000000000000000001", "-0", "0.5"])),
        4 => new JsonArray(JsonValue.Create("a"), JsonValue.Create(1)),
        5 => new JsonObject { ["a"] = 1, ["$type"] = "System.IO.FileInfo" },
        6 => JsonValue.Create(Pick(NastyDates)),
        7 => JsonValue.Create(new string('x', random.Next(20_000))),
        _ => JsonValue.Create(NastyValue()),
    };

    // --- queries, paths, methods, headers, long URLs ----------------------------------------------------------------

    /// <summary>
    /// A query case aimed at one route: the run tops up with these the routes its random draw missed (with ~180 routes a
    /// uniform draw leaves one out now and then), so that every mapped route is fuzzed at least once whatever the seed.
    /// </summary>
    public FuzzCase QueryCaseFor(FuzzRoute route)
    {
        _number++;
        return QueryCase(route);
    }

    private FuzzCase QueryCase(FuzzRoute? aimed = null)
    {
        var (route, identity, url) = SampleUrl(aimed);
        var query = new List<string>();
        var count = random.Next(20) == 0 ? 2000 + random.Next(3000) : 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(4) == 0 ? NastyName() : Pick(queryNames);
            query.Add($"{PercentEncode(name)}={PercentEncode(random.Next(8) == 0 ? WrongTypeFor(Pick(["date", "number", "select"])) : NastyValue())}");
        }

        var target = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join('&', query);
        var method = route.Methods is { Count: > 0 } methods && !methods.Contains("GET") ? methods[0] : "GET";
        return new FuzzCase(_number, $"query ({count} values)", $"{method} {route.Pattern}", identity, () => new HttpRequestMessage(new HttpMethod(method), target));
    }

    private FuzzCase PathCase()
    {
        var withParameters = routes.Where(route => route.ParameterCount > 0).ToList();
        var route = withParameters.Count > 0 && random.Next(4) > 0 ? Pick(withParameters) : Pick(routes);
        var nasty = Pick(["%00", "%2F", "%252F", "..", ".", "%2E%2E", "a%00b", "%ED%A0%80", "%FF", "%", "%zz", "%20", "+", "~", "@", ";a=b", ":",
            "%E2%80%AE", "%F0%9F%98%80", "-1", "0", "99999999999999999999", "00000000-0000-0000-0000-000000000000", new string('a', 201),
            new string('a', 5000), "A", "ÄÖÜ", "%C3%A4", "index", "Index", "edit", "%3Cscript%3E", "%27", "%22", "%5C"]);
        var path = route.ParameterCount > 0
            ? FillPath(route.Pattern, Pick(route.Template.Parameters.ToList()).Name, nasty)
            : FillPath(route.Pattern) + "/" + nasty;
        var identity = route.IsBackoffice && random.Next(2) == 0 ? FuzzIdentity.Administrator : FuzzIdentity.Anonymous;
        var method = route.Methods is { Count: > 0 } methods ? Pick(methods) : "GET";
        return new FuzzCase(_number, $"path ({nasty[..Math.Min(12, nasty.Length)]})", $"{method} {route.Pattern}", identity, () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = new StringContent("a=1", Encoding.UTF8, "application/x-www-form-urlencoded");
            }

            return request;
        });
    }

    private FuzzCase MethodCase()
    {
        var (route, identity, url) = SampleUrl();
        var method = Pick(OddMethods);
        var withBody = random.Next(2) == 0;
        return new FuzzCase(_number, $"method {method}{(withBody ? " with a body" : "")}", $"{method} {route.Pattern}", identity, () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (withBody && method != "TRACE" && method != "HEAD" && method != "get")
            {
                request.Content = new StringContent(Pick(["a=1", "{}", "\0", "<x/>"]), Encoding.UTF8, Pick(["application/x-www-form-urlencoded", "application/json", "text/plain"]));
            }

            return request;
        });
    }

    private FuzzCase HeaderCase()
    {
        var (route, identity, url) = SampleUrl();
        var (name, value) = random.Next(14) switch
        {
            0 => ("Cookie", ".AspNetCore.Antiforgery.x=" + NastyCookieValue()),
            1 => ("Cookie", "__Host-portfolio-backoffice=" + NastyCookieValue()),
            2 => ("Cookie", "portfolio-tz=" + NastyCookieValue()),
            3 => ("Cookie", string.Join("; ", Enumerable.Range(0, 300).Select(i => $"c{i}={new string('v', 50)}"))),
            4 => ("Accept", Pick(["*/*;q=x", "text/html;q=0.5;q=", "application/json, */*", "a/b/c", new string('a', 10_000), "\0"])),
            5 => ("Accept-Language", Pick(["xx-XX", "*;q=abc", "de-DE-u-ca-islamic", "ar-SA", "th-TH-u-nu-thai", new string('a', 8000), "\0"])),
            6 => ("If-Modified-Since", Pick(["yesterday", "Mon, 32 Dec 9999 99:99:99 GMT", "0", "\0"])),
            7 => ("If-None-Match", Pick(["*", "\"x\"", "W/", new string('"', 1000)])),
            8 => ("Range", Pick(["bytes=0-0", "bytes=-1", "bytes=999999999999-", "bytes=5-1", "items=0-1", "bytes=0-1,0-1,0-1"])),
            9 => ("X-Forwarded-For", Pick(["999.999.999.999", "::::", "1.2.3.4, evil", new string('1', 5000)])),
            10 => ("X-Forwarded-Proto", Pick(["https", "gopher", "\0"])),
            11 => ("User-Agent", Pick(["", "\u0001", new string('a', 20_000), "Mozilla/5.0 \ud800"])),
            12 => ("Referer", Pick(["javascript:x", "//", "http://[::1", new string('r', 10_000)])),
            _ => ("X-" + new string('h', 200), new string('v', 32_000)),
        };
        var method = route.Methods is { Count: > 0 } methods && !methods.Contains("GET") ? methods[0] : "GET";
        return new FuzzCase(_number, $"header {name[..Math.Min(20, name.Length)]}", $"{method} {route.Pattern}", identity, () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            request.Headers.TryAddWithoutValidation(name, value);
            if (method == "POST")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            return request;
        });
    }

    private FuzzCase LongUrlCase()
    {
        var (route, identity, url) = SampleUrl();
        var length = Pick([8_192, 16_385, 65_536, 200_000]);
        var target = random.Next(2) == 0
            ? url.TrimEnd('/') + "/" + new string('a', length)
            : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "q=" + new string('q', length);
        return new FuzzCase(_number, $"URL of {length} characters", $"GET {route.Pattern}", identity, () => new HttpRequestMessage(HttpMethod.Get, target));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private (FuzzRoute Route, FuzzIdentity Identity, string Url) SampleUrl(FuzzRoute? aimed = null)
    {
        var route = aimed ?? Pick(routes);
        if (samples.TryGetValue(route, out var found) && found.Count > 0)
        {
            var (identity, url) = Pick(found);
            return (route, identity, url);
        }

        return (route, route.IsBackoffice && random.Next(2) == 0 ? FuzzIdentity.Administrator : FuzzIdentity.Anonymous, FillPath(route.Pattern));
    }

    /// <summary>The route with its parameters filled: from pages seen (same route), else made up by constraint.</summary>
    private string FillPath(string pattern, string? nastyParameter = null, string? nasty = null)
    {
        var route = routes.FirstOrDefault(candidate => candidate.Pattern == pattern);
        if (route is not null && nastyParameter is null && samples.TryGetValue(route, out var found) && found.Count > 0)
        {
            return Pick(found).Url.Split('?')[0];
        }

        var template = TemplateParser.Parse(pattern.TrimStart('/'));
        var segments = template.Segments.Select(segment => string.Concat(segment.Parts.Select(part =>
        {
            if (!part.IsParameter)
            {
                return part.Text;
            }

            if (part.Name == nastyParameter)
            {
                return nasty;
            }

            return KnownValue(part.Name!) ?? (part.InlineConstraints.Select(constraint => constraint.Constraint).FirstOrDefault() switch
            {
                "guid" => Guid.NewGuid().ToString(),
                "int" or "long" => "1",
                _ => "fuzz",
            });
        })));
        return "/" + string.Join('/', segments);
    }

    /// <summary>A value seen for a parameter of this name in any route (a slug from /team/{slug} for the API's slots).</summary>
    private string? KnownValue(string parameter)
    {
        var values = samples.SelectMany(pair => pair.Value.Select(sample => (pair.Key, sample.Url)))
            .Select(pair => RouteValue(pair.Key, pair.Url, parameter)).Where(value => value is not null).Distinct().ToList();
        return values.Count > 0 ? Pick(values)! : null;
    }

    private static string? RouteValue(FuzzRoute route, string url, string parameter)
    {
        var values = new RouteValueDictionary();
        return new TemplateMatcher(route.Template, []).TryMatch(url.Split('?')[0], values) && values.TryGetValue(parameter, out var value)
            ? value?.ToString()
            : null;
    }

    private string NastyValue() => Pick(NastyStrings);

    private string NastyName() => Pick(["", " ", "\0", "a[", "a]", "[0]", "a[0].b", "Document.Items[2147483647].Title", "Document.Items[-1].Title",
        "Document.Items[x]", string.Concat(Enumerable.Repeat("a.", 500)) + "b", string.Concat(Enumerable.Repeat("[0]", 300)), "__proto__",
        "constructor.prototype", "$type", "handler", "returnUrl", "tz", "page", "ÄÖÜ", "😀", "a\u202eb", "x.y[0][1].z"]);

    /// <summary>The name with its list indexes or member path changed: what a tampered list editor would send.</summary>
    private string MangledName(string name)
    {
        if (name.Contains('[', StringComparison.Ordinal))
        {
            var index = Pick(["-1", "2147483647", "99999", "x", "", "0][0", "1e3", " 1"]);
            return System.Text.RegularExpressions.Regex.Replace(name, @"\[\d+\]", $"[{index}]");
        }

        return Pick([name + ".x", name + "[0]", name.ToUpperInvariant(), name + "\0", "." + name, name + "." + name, name[..Math.Max(0, name.Length - 1)]]);
    }

    private string NastyCookieValue() => Pick(["", "x", "%00", "CfDJ8" + new string('A', 300), "==", new string('z', 8000), "a;b", "\u00e4", "Europe/Berlin\0",
        "Mars/Base", "W. Europe Standard Time", "../../etc/passwd", "UTC"]);

    private static string WithQuery(string url, string name, string value) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + PercentEncode(name) + "=" + PercentEncode(value);

    /// <summary>
    /// Percent-encodes UTF-8 bytes, a lone surrogate as U+FFFD as a browser would send it: what <see cref="Uri.EscapeDataString(string)"/>
    /// does (the same output as the byte loop it replaced on 200,000 random strings with lone surrogates, and 8 times
    /// faster on a 3 MB value).
    /// </summary>
    private static string PercentEncode(string text) => Uri.EscapeDataString(text);

    private static ByteArrayContent UrlEncoded(List<(string Name, object Value)> fields, string? contentType)
    {
        var body = string.Join('&', fields.Select(field => PercentEncode(field.Name) + "=" + (field.Value is RawValue raw ? raw.Encoded : PercentEncode((string)field.Value))));
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? "application/x-www-form-urlencoded");
        return content;
    }

    /// <summary>A well-formed multipart body, written by hand: names and file names carry what a browser would escape.</summary>
    private ByteArrayContent Multipart(List<(string Name, object Value)> fields, FuzzForm form)
    {
        var boundary = "fuzz" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, value) in fields)
        {
            var quotedName = name.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{quotedName}\"");
            if (form.Fields.FirstOrDefault(field => field.Name == name)?.Kind == "file")
            {
                var fileName = Pick(["a.png", "../../a.png", "a\0.png", new string('n', 300) + ".png", "", "a.svg", "a.png.exe", "😀.jpg", "CON", ".png", "a .png"]);
                Write($"; filename=\"{fileName}\"\r\nContent-Type: {Pick(["image/png", "image/jpeg", "text/html", "application/x-msdownload", ""])}\r\n\r\n");
                var bytes = new byte[random.Next(2000)];
                random.NextBytes(bytes);
                if (random.Next(2) == 0 && bytes.Length > 8)
                {
                    // A PNG signature over random bytes: gets past a check of the first bytes only.
                    new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
                }

                body.Write(bytes);
            }
            else
            {
                Write("\r\n\r\n" + (value is RawValue raw ? Uri.UnescapeDataString(raw.Encoded) : (string)value));
            }

            Write("\r\n");
        }

        Write($"--{boundary}--\r\n");
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }

    private ByteArrayContent BrokenMultipart(List<(string Name, object Value)> fields)
    {
        var parts = fields.Select(field => $"--b\r\nContent-Disposition: form-data; name=\"{field.Name}\"\r\n\r\n{(field.Value is RawValue raw ? raw.Encoded : field.Value)}\r\n");
        var body = string.Concat(parts);
        var (text, type) = random.Next(6) switch
        {
            0 => (body, "multipart/form-data; boundary=b"), // no closing boundary
            1 => (body + "--b--\r\n", "multipart/form-data"), // no boundary parameter
            2 => (body.Replace("\r\n\r\n", "\r\n", StringComparison.Ordinal) + "--b--\r\n", "multipart/form-data; boundary=b"), // headers never end
            3 => ("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n" + new string('h', 20_000) + "\r\n\r\nx\r\n--b--\r\n", "multipart/form-data; boundary=b"),
            4 => (body + "--b--\r\n", "multipart/form-data; boundary=" + new string('b', 200)), // boundary longer than allowed
            _ => ("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG", "multipart/form-data; boundary=b"),
        };
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        return content;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A form value that is already percent-encoded (bytes that are not UTF-8, broken escapes).</summary>
    private sealed record RawValue(string Encoded);
}

/// <summary>Finds what to fuzz: the app's endpoints, its pages' links and forms (per identity), its OpenAPI operations.</summary>
public static class FuzzTargets
{
    public static List<FuzzRoute> Routes(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint => (Pattern: "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/'), Endpoint: endpoint))
            .GroupBy(pair => pair.Pattern)
            .Select(group => new FuzzRoute(group.Key,
                group.Any(pair => pair.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is null)
                    ? null
                    : group.SelectMany(pair => pair.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods).Distinct().ToList(),
                new RouteTemplate(RoutePatternFactory.Parse(group.Key))))
            .ToList();

    /// <summary>The route a path belongs to: among those whose template matches, the one with the fewest parameters.</summary>
    public static FuzzRoute? RouteOf(IEnumerable<FuzzRoute> routes, string path) =>
        routes.Where(route => route.Matcher.TryMatch(path, new RouteValueDictionary()))
            // As the router: a catch-all (the pages built from blocks) only when no other route takes the path.
            .OrderBy(route => route.Template.Parameters.Any(parameter => parameter.IsCatchAll)).ThenBy(route => route.ParameterCount)
            .FirstOrDefault();

    /// <summary>The forms of a page: fields with their kinds, buttons' own actions as further forms.</summary>
    public static IEnumerable<FuzzForm> Forms(IDocument page, string pageUrl, FuzzIdentity identity)
    {
        foreach (var form in page.QuerySelectorAll("form"))
        {
            if (!string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var fields = new List<FuzzField>();
            foreach (var control in form.QuerySelectorAll("input[name], select[name], textarea[name]"))
            {
                var name = control.GetAttribute("name")!;
                var kind = control.LocalName switch
                {
                    "select" => "select",
                    "textarea" => "textarea",
                    _ => (control.GetAttribute("type") ?? "text").ToLowerInvariant(),
                };
                if (kind is "submit" or "button" or "image" or "reset")
                {
                    continue;
                }

                if (kind is "checkbox" or "radio" && !control.HasAttribute("checked") && fields.Any(field => field.Name == name))
                {
                    continue;
                }

                var options = control.LocalName == "select"
                    ? control.QuerySelectorAll("option").Select(option => option.GetAttribute("value") ?? option.TextContent).ToList()
                    : kind == "radio"
                        ? form.QuerySelectorAll($"input[type=radio]").Where(radio => radio.GetAttribute("name") == name).Select(radio => radio.GetAttribute("value") ?? "").ToList()
                        : [];
                var value = control.LocalName switch
                {
                    "textarea" => control.TextContent,
                    "select" => control.QuerySelector("option[selected]")?.GetAttribute("value") ?? options.FirstOrDefault() ?? "",
                    _ => control.GetAttribute("value") ?? (kind == "checkbox" ? "on" : ""),
                };
                fields.Add(new FuzzField(name, value, kind, options));
            }

            var multipart = string.Equals(form.GetAttribute("enctype"), "multipart/form-data", StringComparison.OrdinalIgnoreCase);
            var action = Resolve(pageUrl, form.GetAttribute("action"));
            var buttons = form.QuerySelectorAll("button, input[type=submit]").ToList();
            var actions = buttons.Select(button => button.GetAttribute("formaction")).Where(formAction => !string.IsNullOrEmpty(formAction))
                .Select(formAction => Resolve(pageUrl, formAction)).Prepend(action).Distinct().ToList();
            foreach (var target in actions)
            {
                // A named button says which action was chosen; send the form once with each.
                var named = buttons.Where(button => button.HasAttribute("name")).ToList();
                if (named.Count == 0)
                {
                    yield return new FuzzForm(identity, target, fields, multipart);
                    continue;
                }

                foreach (var button in named)
                {
                    yield return new FuzzForm(identity, target,
                        [.. fields, new FuzzField(button.GetAttribute("name")!, button.GetAttribute("value") ?? "", "hidden", [])], multipart);
                }
            }
        }
    }

    /// <summary>Same-site links and GET forms' targets of a page, as paths with their queries.</summary>
    public static IEnumerable<string> Links(IDocument page, string pageUrl)
    {
        var hrefs = page.QuerySelectorAll("a[href]").Select(link => link.GetAttribute("href"))
            .Concat(page.QuerySelectorAll("form").Where(form => !string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase))
                .Select(form => form.GetAttribute("action") ?? pageUrl));
        foreach (var href in hrefs)
        {
            if (string.IsNullOrEmpty(href) || href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.Ordinal) || href.StartsWith("tel:", StringComparison.Ordinal))
            {
                continue;
            }

            var url = new Uri(new Uri("https://localhost" + pageUrl), href);
            if (url.Host == "localhost")
            {
                yield return url.PathAndQuery;
            }
        }
    }

    /// <summary>The query parameter names the pages use (links and GET forms) and the API declares.</summary>
    public static IEnumerable<string> QueryNames(IDocument page) =>
        page.QuerySelectorAll("a[href*='?']").SelectMany(link => (link.GetAttribute("href")!.Split('?', 2)[1]).Split('&').Select(pair => pair.Split('=')[0]))
            .Concat(page.QuerySelectorAll("form:not([method=post]) [name]").Select(control => control.GetAttribute("name")!))
            .Where(name => name.Length > 0)
            .Select(Uri.UnescapeDataString);

    public static List<FuzzOperation> Operations(JsonDocument openApi)
    {
        var operations = new List<FuzzOperation>();
        foreach (var path in openApi.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                JsonNode? example = null;
                if (operation.Value.TryGetProperty("requestBody", out var body) &&
                    body.GetProperty("content").EnumerateObject().FirstOrDefault().Value is { ValueKind: JsonValueKind.Object } media)
                {
                    example = media.TryGetProperty("example", out var given) ? JsonNode.Parse(given.GetRawText()) : new JsonObject();
                }

                var query = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray().Where(parameter => parameter.GetProperty("in").GetString() == "query")
                        .Select(parameter => parameter.GetProperty("name").GetString()!).ToList()
                    : [];
                operations.Add(new FuzzOperation(operation.Name.ToUpperInvariant(), path.Name, example, query));
            }
        }

        return operations;
    }

    private static string Resolve(string pageUrl, string? action) =>
        string.IsNullOrEmpty(action) ? pageUrl : new Uri(new Uri("https://localhost" + pageUrl), action).PathAndQuery;
}
