using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Portfolio.Web.Delivery;

/// <summary>Response examples of the delivery API's operations in the OpenAPI document.</summary>
internal sealed class DeliveryApiExamples : IOpenApiOperationTransformer
{
    private static JsonObject Item() => new()
    {
        ["contentType"] = "caseStudy",
        ["name"] = "Taking a freight marketplace's API from sluggish to quick",
        ["createDate"] = "2026-10-01T09:00:00+00:00",
        ["updateDate"] = "2026-10-12T14:30:00+00:00",
        ["route"] = new JsonObject
        {
            ["path"] = "/case-studies/logistics-api-latency",
            ["startItem"] = new JsonObject { ["id"] = "1f0c2b8e-3d4a-4b5c-9e6f-7a8b9c0d1e2f", ["path"] = "home" },
        },
        ["id"] = "5b2e9f0d-1c4a-4c7e-8f63-0a9d2b7e4c21",
        ["properties"] = new JsonObject
        {
            ["title"] = "Taking a freight marketplace's API from sluggish to quick",
            ["client"] = "A freight marketplace (anonymised)",
            ["challenge"] = new JsonObject { ["markup"] = "<p>Search and quote requests had crept past a second at peak.</p>", ["blocks"] = new JsonArray() },
            ["outcomes"] = new JsonArray(new JsonObject { ["value"] = "-78%", ["label"] = "p95 latency" }),
            ["experts"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "expertProfile", ["name"] = "Talha", ["createDate"] = "2026-09-01T09:00:00+00:00", ["updateDate"] = "2026-10-02T09:00:00+00:00",
                ["route"] = new JsonObject { ["path"] = "/team/talha", ["startItem"] = new JsonObject { ["id"] = "1f0c2b8e-3d4a-4b5c-9e6f-7a8b9c0d1e2f", ["path"] = "home" } },
                ["id"] = "628e4673-068f-4ed6-ab3a-193a416b581a", ["properties"] = new JsonObject(), ["cultures"] = new JsonObject(),
            }),
        },
        ["cultures"] = new JsonObject(),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        JsonNode? example = operation.OperationId switch
        {
            "DeliveryQueryContent" => new JsonObject { ["total"] = 2, ["items"] = new JsonArray(Item()) },
            "DeliveryContentById" or "DeliveryContentByRoute" => Item(),
            "DeliveryContentByIds" => new JsonArray(Item()),
            _ => null,
        };
        if (example is null || operation.Responses is null)
        {
            return Task.CompletedTask;
        }

        var badQuery = new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            ["title"] = "The query needs your attention.",
            ["status"] = 400,
            ["errors"] = new JsonObject { ["take"] = new JsonArray("Take must be a whole number from 0 to 100.") },
        };
        foreach (var (status, value) in new[] { ("200", example), ("400", (JsonNode)badQuery) })
        {
            if (operation.Responses.TryGetValue(status, out var response) && response.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = value.DeepClone();
                }
            }
        }

        return Task.CompletedTask;
    }
}
