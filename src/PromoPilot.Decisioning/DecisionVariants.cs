using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Decisioning;

/// <summary>
/// A decision's variants: the arm of each campaign considered (treatment or holdout), in catalog order, then each
/// experiment's variant. A view over the arms the evaluation already holds rather than a hash map built per decision:
/// it is written out whole far more often than looked up.
/// </summary>
internal sealed class DecisionVariants : IReadOnlyDictionary<string, string>
{
    private readonly CompiledCampaign[] _campaigns;
    private readonly string?[] _arms;
    private List<KeyValuePair<string, string>>? _experiments;

    /// <param name="arms">Per campaign (by index): its arm, or null when a check before the holdout rejected it. Owned by this view.</param>
    public DecisionVariants(CompiledCampaign[] campaigns, string?[] arms)
    {
        _campaigns = campaigns;
        _arms = arms;
        foreach (var arm in arms)
        {
            Count += arm is null ? 0 : 1;
        }
    }

    public int Count { get; private set; }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no variant for '{key}'");

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    /// <summary>Sets an experiment's variant (replacing a campaign's arm of the same name, as a map would).</summary>
    public void Set(string key, string variant)
    {
        for (var i = 0; i < _campaigns.Length; i++)
        {
            if (_arms[i] is not null && string.Equals(_campaigns[i].Id, key, StringComparison.Ordinal))
            {
                _arms[i] = variant;
                return;
            }
        }

        _experiments ??= [];
        var at = _experiments.FindIndex(p => string.Equals(p.Key, key, StringComparison.Ordinal));
        if (at >= 0)
        {
            _experiments[at] = new(key, variant);
            return;
        }

        _experiments.Add(new(key, variant));
        Count++;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        for (var i = 0; i < _campaigns.Length; i++)
        {
            if (_arms[i] is { } arm && string.Equals(_campaigns[i].Id, key, StringComparison.Ordinal))
            {
                value = arm;
                return true;
            }
        }

        foreach (var (name, variant) in _experiments ?? [])
        {
            if (string.Equals(name, key, StringComparison.Ordinal))
            {
                value = variant;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Writes the entries as JSON properties, the campaign ids and the two arms from their encodings made once per catalog.</summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        for (var i = 0; i < _campaigns.Length; i++)
        {
            if (_arms[i] is { } arm)
            {
                if (string.Equals(arm, CampaignHoldout.Treatment, StringComparison.Ordinal))
                {
                    writer.WriteString(_campaigns[i].EncodedId, EncodedTreatment);
                }
                else if (string.Equals(arm, CampaignHoldout.Holdout, StringComparison.Ordinal))
                {
                    writer.WriteString(_campaigns[i].EncodedId, EncodedHoldout);
                }
                else
                {
                    writer.WriteString(_campaigns[i].EncodedId, arm);
                }
            }
        }

        foreach (var (name, variant) in _experiments ?? [])
        {
            writer.WriteString(name, variant);
        }
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _campaigns.Length; i++)
        {
            if (_arms[i] is { } arm)
            {
                yield return new(_campaigns[i].Id, arm);
            }
        }

        foreach (var entry in _experiments ?? [])
        {
            yield return entry;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static readonly JsonEncodedText EncodedTreatment = JsonEncodedText.Encode(CampaignHoldout.Treatment);
    private static readonly JsonEncodedText EncodedHoldout = JsonEncodedText.Encode(CampaignHoldout.Holdout);
}
