using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portfolio.Web.Backoffice;

/// <summary>Someone who signs in to the backoffice. The user name is the e-mail address.</summary>
public sealed class BackofficeUser : IdentityUser
{
    /// <summary>The name the backoffice shows (top bar, audit log); falls back to the e-mail address.</summary>
    public string DisplayName { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public DateTime? LastSignInUtc { get; set; }

    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? UserName ?? Id : DisplayName;
}

internal sealed class BackofficeUserConfiguration : IEntityTypeConfiguration<BackofficeUser>
{
    public void Configure(EntityTypeBuilder<BackofficeUser> builder)
    {
        builder.Property(user => user.DisplayName).HasMaxLength(100).IsRequired();
        builder.Ignore(user => user.Label);
    }
}
