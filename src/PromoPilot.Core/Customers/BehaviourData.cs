namespace PromoPilot.Core.Customers;

/// <summary>How many customers did exactly this set of event types (bit i set = did EventType i).</summary>
public sealed record EventTypeSetCount(int EventTypeMask, long Customers);

/// <summary>Customers of one first-purchase month who bought again some months later (0 = the first month).</summary>
public sealed record CohortActivity(DateOnly CohortMonth, int MonthsSinceFirst, long Customers);
