namespace PromoPilot.Measurement.Experiments.Sequential;

/// <summary>The scale a treatment effect is reported on.</summary>
public enum EffectScale
{
    /// <summary>Difference in means, treatment minus control, in the metric's unit.</summary>
    Absolute,

    /// <summary>
    /// Relative lift, (treatment − control) / control; its standard error comes from the delta method.
    /// Undefined when the control mean is 0 (<see cref="EffectStatus.ZeroControlMean"/>).
    /// </summary>
    Relative,
}
