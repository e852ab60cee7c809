using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Portfolio.Web.Content;

namespace Portfolio.Web.Booking;

/// <summary>The <c>BusyCalendar</c> configuration section: importing busy times from an expert's own calendar (ICS).</summary>
public sealed class BusyCalendarOptions
{
    public const string SectionName = "BusyCalendar";

    /// <summary>Whether this instance runs the fetch job (the tests run the refresher themselves).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each expert's calendar is fetched.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A fetch (connect, headers and body) that takes longer is given up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A calendar larger than this is refused, counted while it streams in (not trusted from Content-Length alone).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// Whether a calendar may live on a loopback, private or link-local address. Off in production: the app fetches a URL
    /// a backoffice user typed, and without this rule that user could make the server read its own network
    /// (server-side request forgery: the cloud's metadata service at 169.254.169.254, an admin port on localhost). The
    /// tests turn it on to serve calendars from a local server.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}

[OptionsValidator]
public sealed partial class BusyCalendarOptionsValidator : IValidateOptions<BusyCalendarOptions>;

/// <summary>
/// An expert's own calendar feed (a secret ICS URL) and the state of its last fetches; one row per expert. The busy
/// times of the last good copy are <see cref="ExpertBusyInterval"/> rows, kept until a newer good copy replaces them.
/// </summary>
public sealed class ExpertBusyFeed
{
    public Guid ExpertKey { get; set; }

    /// <summary>The URL, encrypted with Data Protection: it is a bearer secret (anyone with it reads the calendar).</summary>
    public string ProtectedUrl { get; set; } = "";

    /// <summary>What the owner is shown of the URL after saving: scheme and host only.</summary>
    public string UrlHint { get; set; } = "";

    public string? ETag { get; set; }
    public string? LastModified { get; set; }

    /// <summary>When the stored busy times were last confirmed good (a 200 parsed, or a 304).</summary>
    public DateTime? FetchedUtc { get; set; }

    /// <summary>When the stored busy times were expanded from a full copy; a 304 keeps them, but not forever (see the refresher).</summary>
    public DateTime? ParsedUtc { get; set; }

    /// <summary>The last fetch's problem in words, null when it went well.</summary>
    public string? LastError { get; set; }

    /// <summary>Since when fetches fail (the first failure after a good one); null when the last one went well.</summary>
    public DateTime? FailingSinceUtc { get; set; }

    public DateTime NextFetchUtc { get; set; }

    /// <summary>Set while one instance fetches this feed, so that others leave it alone until then.</summary>
    public DateTime? LeaseUntilUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    public int IntervalCount { get; set; }
}

/// <summary>A busy time from an expert's own calendar, in UTC; it blocks slots but does not count towards the day's limit.</summary>
public sealed class ExpertBusyInterval
{
    public long Id { get; set; }
    public Guid ExpertKey { get; set; }
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
}

internal sealed class ExpertBusyFeedConfiguration : IEntityTypeConfiguration<ExpertBusyFeed>
{
    public void Configure(EntityTypeBuilder<ExpertBusyFeed> builder)
    {
        builder.ToTable("ExpertBusyFeeds");
        builder.HasKey(feed => feed.ExpertKey);
        builder.Property(feed => feed.ProtectedUrl).HasMaxLength(4000).IsRequired();
        builder.Property(feed => feed.UrlHint).HasMaxLength(300).IsRequired();
        builder.Property(feed => feed.ETag).HasMaxLength(300);
        builder.Property(feed => feed.LastModified).HasMaxLength(100);
        builder.Property(feed => feed.LastError).HasMaxLength(500);
        builder.HasIndex(feed => feed.NextFetchUtc);
        builder.HasOne<ContentItem>().WithMany().HasForeignKey(feed => feed.ExpertKey).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExpertBusyIntervalConfiguration : IEntityTypeConfiguration<ExpertBusyInterval>
{
    public void Configure(EntityTypeBuilder<ExpertBusyInterval> builder)
    {
        builder.ToTable("ExpertBusyIntervals", table => table.HasCheckConstraint("CK_ExpertBusyIntervals_Range", "\"EndUtc\" > \"StartUtc\""));
        builder.HasKey(interval => interval.Id);
        builder.HasIndex(interval => new { interval.ExpertKey, interval.StartUtc });
        builder.HasOne<ExpertBusyFeed>().WithMany().HasForeignKey(interval => interval.ExpertKey).OnDelete(DeleteBehavior.Cascade);
    }
}
