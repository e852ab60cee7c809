using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Delivery;

/// <summary>The content delivery API (<see cref="DeliveryApi"/>): its settings, its CORS policy, its endpoints.</summary>
public static class DeliveryExtensions
{
    public static WebApplicationBuilder AddContentDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DeliveryOptions, DeliveryOptionsValidator>(DeliveryOptions.SectionName);
        builder.Services.AddSingleton<DeliveryContentSource>();
        builder.Services.AddCors();
        // Only the origins an operator lists (none by default): the framework answers preflights and adds the
        // Access-Control-* headers for them, and for any other origin leaves them out, so the browser refuses the read.
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<DeliveryOptions>>((cors, delivery) =>
            cors.AddPolicy(DeliveryApi.CorsPolicy, policy => policy
                .WithOrigins([.. delivery.Value.AllowedOrigins])
                .WithMethods(HttpMethods.Get)
                .WithHeaders(DeliveryApi.ApiKeyHeader, DeliveryApi.PreviewHeader, "Accept-Language", "Start-Item")
                .WithExposedHeaders("ETag")));
        // Examples in the OpenAPI document that AddPublicApi declares (/openapi/v1.json).
        builder.Services.Configure<OpenApiOptions>("v1", options => options.AddOperationTransformer<DeliveryApiExamples>());
        return builder;
    }

    /// <summary>After routing (the policy is the endpoint's) and before authorization, as the framework's CORS middleware must be.</summary>
    public static WebApplication UseContentDelivery(this WebApplication app)
    {
        app.UseCors();
        return app;
    }

    public static WebApplication MapContentDelivery(this WebApplication app)
    {
        app.MapDeliveryApi();
        return app;
    }
}
