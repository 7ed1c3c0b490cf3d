namespace PromoPilot.Core.Customers;

/// <summary>
/// One customer's repeat-purchase history in a calibration period, in the notation of Fader, Hardie &amp; Lee (2005):
/// the input of the BG/NBD and Gamma-Gamma models. All times are in one unit (weeks in PromoPilot's store queries),
/// measured from the customer's first purchase.
/// </summary>
/// <param name="Frequency">x: the number of repeat purchases (transactions after the first one) in the calibration period.</param>
/// <param name="Recency">t_x: the time of the last repeat purchase (0 when x = 0).</param>
/// <param name="Age">T: the time the customer was observed, from the first purchase to the end of the calibration period.</param>
/// <param name="MeanSpend">zbar: the mean value of the repeat purchases (0 when x = 0 or unknown).</param>
/// <param name="HoldoutFrequency">x*: purchases in the holdout period that follows the calibration period, when known.</param>
/// <param name="HoldoutDuration">t*: the length of that holdout period, in the same unit.</param>
public sealed record RepeatPurchaseSummary(
    int Frequency,
    double Recency,
    double Age,
    double MeanSpend = 0,
    int? HoldoutFrequency = null,
    double? HoldoutDuration = null);

/// <summary>A customer of the store (<see cref="UserKey"/>) with its repeat-purchase summary.</summary>
public sealed record CustomerRepeatPurchases(int UserKey, RepeatPurchaseSummary Summary);
