namespace PromoPilot.Models.Evaluation;

/// <summary>Argument checks shared by every model's options: a bad value names the option.</summary>
internal static class ModelArgs
{
    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(option, value, $"{option} must be positive.");

    public static double NonNegative(double value, string option) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(option, value, $"{option} must be a finite number >= 0.");

    public static double Positive(double value, string option) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(option, value, $"{option} must be a finite number > 0.");
}
