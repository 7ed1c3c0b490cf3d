using System.Collections;
using System.Text.Json;

namespace PromoPilot.Decisioning;

/// <summary>
/// Strings written into every decision's JSON (a campaign's reasons), with their JSON encodings made once per catalog.
/// </summary>
internal sealed class EncodedStrings : IReadOnlyList<string>
{
    private readonly string[] _values;

    public EncodedStrings(IEnumerable<string> values)
    {
        _values = [.. values];
        Encoded = [.. _values.Select(v => JsonEncodedText.Encode(v))];
    }

    public JsonEncodedText[] Encoded { get; }

    public int Count => _values.Length;

    public string this[int index] => _values[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();
}
