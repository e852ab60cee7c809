namespace Portfolio.Web.Booking;

/// <summary>An expert's load as the any-expert choice weighs it.</summary>
/// <param name="Upcoming">Confirmed meetings starting in the counted weeks ahead.</param>
/// <param name="LastBookedUtc">When the expert's latest confirmed booking (of any time) was made; null for never.</param>
public readonly record struct ExpertLoad(int Upcoming, DateTime? LastBookedUtc);

/// <summary>
/// The order in which the experts free at a time are offered a service's meeting: the fewest upcoming meetings first,
/// then the least recently booked (never booked first), then by slug. Each booking adds to the chosen expert's load and
/// makes them the most recently booked, so bookings go round the experts and stay spread; the same loads always give
/// the same order.
/// </summary>
public static class RoundRobin
{
    public static IEnumerable<T> Order<T>(IEnumerable<T> candidates, Func<T, Guid> key, Func<T, string> slug, IReadOnlyDictionary<Guid, ExpertLoad> load) =>
        candidates
            .OrderBy(candidate => load.GetValueOrDefault(key(candidate)).Upcoming)
            .ThenBy(candidate => load.GetValueOrDefault(key(candidate)).LastBookedUtc ?? DateTime.MinValue)
            .ThenBy(slug, StringComparer.Ordinal);
}
