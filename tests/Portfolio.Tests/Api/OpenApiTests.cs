using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Api;

/// <summary>
/// <c>/openapi/v1.json</c> describes every public API endpoint the app maps, with the responses each one
/// declares and examples. The list of endpoints comes from the app itself (its EndpointDataSource), so a
/// new endpoint under <c>/api</c> that is missing from the document fails here.
/// </summary>
public sealed partial class OpenApiTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    /// <summary>What the issue promises per operation, at least; the endpoint's own metadata may add more.</summary>
    public static TheoryData<string, string, int[]> PromisedResponses => new()
    {
        { "POST", "/api/v1/contact-messages", [202, 400, 413, 415, 429] },
        { "POST", "/api/v1/bookings", [201, 400, 404, 409, 413, 415, 422, 429] },
        { "GET", "/api/v1/experts/{slug}/slots", [200, 400, 404, 429] },
    };

    [Fact]
    public async Task TheDocumentListsEveryApiEndpointTheAppMaps()
    {
        var document = await DocumentAsync();

        var mapped = ApiEndpoints().SelectMany(endpoint => Methods(endpoint).Select(method => $"{method} {Path(endpoint)}")).ToHashSet();
        var documented = Operations(document).Select(operation => $"{operation.Method} {operation.Path}").ToHashSet();

        Assert.NotEmpty(mapped);
        Assert.True(mapped.Count >= 3, "Expected at least the contact, bookings and slots endpoints: " + string.Join(", ", mapped));
        var missing = mapped.Except(documented).ToList();
        Assert.True(missing.Count == 0, "Mapped but not in /openapi/v1.json: " + string.Join(", ", missing));
        var stale = documented.Where(operation => operation.Contains(" /api/", StringComparison.Ordinal)).Except(mapped).ToList();
        Assert.True(stale.Count == 0, "In the document but not mapped: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryApiOperationDocumentsEveryResponseItsEndpointDeclares()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToDictionary(operation => $"{operation.Method} {operation.Path}");

        foreach (var endpoint in ApiEndpoints())
        {
            var declared = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(produces => produces.StatusCode).ToHashSet();
            foreach (var method in Methods(endpoint))
            {
                Assert.True(operations.TryGetValue($"{method} {Path(endpoint)}", out var operation), $"{method} {Path(endpoint)} is not in the document");
                var documented = Responses(operation.Element);
                Assert.True(declared.IsSubsetOf(documented),
                    $"{method} {Path(endpoint)} declares {string.Join(",", declared.Order())} but documents {string.Join(",", documented.Order())}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(PromisedResponses))]
    public async Task EachOperationDocumentsTheResponsesTheIssuePromises(string method, string path, int[] statuses)
    {
        var operations = Operations(await DocumentAsync()).Where(candidate => candidate.Method == method && candidate.Path == path).ToList();
        Assert.True(operations.Count == 1, $"{method} {path} is not in the document");
        var operation = operations[0];

        var documented = Responses(operation.Element);

        Assert.True(statuses.ToHashSet().IsSubsetOf(documented), $"{method} {path} documents {string.Join(",", documented.Order())}");
        // Errors are problem details; the success answer is plain JSON.
        foreach (var status in statuses.Where(status => status >= 400))
        {
            var content = operation.Element.GetProperty("responses").GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(content.TryGetProperty("content", out var media) && media.TryGetProperty("application/problem+json", out _),
                $"{method} {path} {status} is not documented as application/problem+json");
        }
    }

    [Fact]
    public async Task EveryApiOperationHasANameASummaryAndExamples()
    {
        foreach (var operation in Operations(await DocumentAsync()).Where(operation => operation.Path.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var element = operation.Element;
            var name = $"{operation.Method} {operation.Path}";
            Assert.False(string.IsNullOrWhiteSpace(element.TryGetProperty("operationId", out var id) ? id.GetString() : null), $"{name} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace(element.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{name} has no summary");
            if (operation.Method is "POST" or "PUT" or "PATCH")
            {
                var json = element.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
                Assert.True(json.TryGetProperty("example", out var example) && example.ValueKind == JsonValueKind.Object, $"{name} has no request example");
            }

            var success = element.GetProperty("responses").EnumerateObject().Single(response => response.Name.StartsWith('2'));
            Assert.True(success.Value.TryGetProperty("content", out var content)
                        && content.EnumerateObject().Any(media => media.Value.TryGetProperty("example", out _)),
                $"{name} has no example for its {success.Name} answer");
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private List<RouteEndpoint> ApiEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => Path(endpoint).StartsWith("/api/", StringComparison.Ordinal) || Path(endpoint) == "/api")
            .ToList();

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete];

    /// <summary>"/api/v1/contact-messages/" and "/api/v1/x/{id:guid}" as OpenAPI writes them: no trailing slash, no constraints.</summary>
    private static string Path(RouteEndpoint endpoint) => Normalize("/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/'));

    private static string Normalize(string path) => RouteConstraint().Replace(path.Length > 1 ? path.TrimEnd('/') : path, "{$1}");

    private static IEnumerable<(string Method, string Path, JsonElement Element)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(operation => operation.Name is "get" or "post" or "put" or "patch" or "delete")
            .Select(operation => (operation.Name.ToUpperInvariant(), Normalize(path.Name), operation.Value)));

    private static HashSet<int> Responses(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject().Select(response => int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?::[^}]*|\?)\}")]
    private static partial Regex RouteConstraint();
}
