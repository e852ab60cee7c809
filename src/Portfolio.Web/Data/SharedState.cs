using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Data;

/// <summary>
/// A secret every instance must agree on (the share cards' signing key), kept in the database so that instances on
/// one PostgreSQL sign and check with the same key. Made once, never changed by the app.
/// </summary>
public sealed class SharedSecret
{
    public const int MaxNameLength = 100;

    public required string Name { get; init; }
    public required byte[] Value { get; init; }
}

/// <summary>
/// A counter that goes up whenever what the public site shows has changed (<c>Content/ContentChangeBroadcast.cs</c>).
/// Instances that missed the PostgreSQL notification of a change find it here at their next periodic check.
/// </summary>
public sealed class ChangeStamp
{
    public const int MaxNameLength = 50;

    /// <summary>The stamp of the published content, the redirects and the media that pages show.</summary>
    public const string Content = "content";

    public required string Name { get; init; }
    public long Version { get; set; }
}

internal sealed class SharedSecretConfiguration : IEntityTypeConfiguration<SharedSecret>
{
    public void Configure(EntityTypeBuilder<SharedSecret> builder)
    {
        builder.ToTable("SharedSecrets");
        builder.HasKey(secret => secret.Name);
        builder.Property(secret => secret.Name).HasMaxLength(SharedSecret.MaxNameLength);
    }
}

internal sealed class ChangeStampConfiguration : IEntityTypeConfiguration<ChangeStamp>
{
    public void Configure(EntityTypeBuilder<ChangeStamp> builder)
    {
        builder.ToTable("ChangeStamps");
        builder.HasKey(stamp => stamp.Name);
        builder.Property(stamp => stamp.Name).HasMaxLength(ChangeStamp.MaxNameLength);
        // The row exists from the migration on, so a change only ever updates it (no insert race between instances).
        builder.HasData(new ChangeStamp { Name = ChangeStamp.Content, Version = 0 });
    }
}
