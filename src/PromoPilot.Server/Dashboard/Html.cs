using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// The dashboard's HTML: a page layout (skip link, navigation with the current page marked, one main landmark) and
/// encoding and number helpers. Every value that comes from data is HTML-encoded through <see cref="E"/>.
/// </summary>
internal static class Html
{
    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (string Path, string Label)[] Navigation =
    [
        ("/dashboard", "Overview"),
        ("/dashboard/customers", "Customers"),
        ("/dashboard/campaigns", "Campaigns"),
        ("/dashboard/designer", "Designer"),
        ("/dashboard/experiments", "Experiments"),
        ("/dashboard/models", "Models"),
        ("/dashboard/inspector", "Decision inspector"),
    ];

    /// <summary>HTML-encodes text (null as empty).</summary>
    public static string E(string? text) => text is null ? "" : HtmlEncoder.Default.Encode(text);

    /// <summary>A number with thousands separators and the given decimals.</summary>
    public static string N(double value, int decimals = 0) => double.IsFinite(value) ? value.ToString("N" + decimals.ToString(Invariant), Invariant) : "n/a";

    /// <summary>An amount of money (two decimals).</summary>
    public static string Money(double value) => N(value, 2);

    /// <summary>A fraction as a percentage with one decimal.</summary>
    public static string Percent(double fraction) => double.IsFinite(fraction) ? (fraction * 100).ToString("0.0", Invariant) + "%" : "n/a";

    /// <summary>A full page: the layout around <paramref name="body"/>; <paramref name="user"/> null for the login page.</summary>
    public static string Page(string title, string currentPath, string body, string? user = null, string? logoutToken = null)
    {
        var page = new StringBuilder(4096 + body.Length);
        page.Append(Head(title, """
            <link rel="stylesheet" href="/dashboard/assets/site.css">
            <link rel="icon" href="data:,">
            """));
        page.Append(Invariant, $"""

            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <span class="brand">PromoPilot</span>
            """);
        if (user is not null)
        {
            page.Append("<nav aria-label=\"Dashboard pages\"><ul>");
            foreach (var (path, label) in Navigation)
            {
                var current = path == currentPath ? " aria-current=\"page\"" : "";
                page.Append(Invariant, $"<li><a href=\"{path}\"{current}>{E(label)}</a></li>");
            }

            page.Append("</ul></nav>");
            page.Append(Invariant, $"""
                <form class="logout" method="post" action="/dashboard/logout">
                <input type="hidden" name="__RequestVerificationToken" value="{E(logoutToken)}">
                <span class="who">{E(user)}</span> <button type="submit">Sign out</button>
                </form>
                """);
        }

        page.Append(Invariant, $"""
            </header>
            <main id="main" tabindex="-1">
            <h1>{E(title)}</h1>
            {body}
            </main>
            </body>
            </html>
            """);
        return page.ToString();
    }

    /// <summary>A document's start through <c>&lt;/head&gt;</c>: language, charset, viewport, the title, then <paramref name="head"/> (stylesheet links or an inline style).</summary>
    public static string Head(string title, string head) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} · PromoPilot</title>
        {head}
        </head>
        """;

    /// <summary>A figure card: a label and a big value.</summary>
    public static string Card(string label, string value, string? note = null) =>
        $"<div class=\"card\"><div class=\"card-label\">{E(label)}</div><div class=\"card-value\">{E(value)}</div>{(note is null ? "" : $"<div class=\"card-note\">{E(note)}</div>")}</div>";

    /// <summary>A muted note (what to run to fill an empty section).</summary>
    public static string Note(string text) => $"<p class=\"note\">{E(text)}</p>";

    /// <summary>The stylesheet: system fonts, contrast at least 4.5:1 for text, a visible focus ring.</summary>
    public const string Css = """
        :root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #d0d7de; --accent: #0a58ca; --bg: #ffffff; --panel: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, main:focus-visible { outline: 3px solid #ff9900; outline-offset: 2px; }
        .skip { position: absolute; left: -9999px; top: 0; background: #000; color: #fff; padding: .5em 1em; }
        .skip:focus { left: 0; z-index: 10; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: 1.5em; padding: .6em 1.5em; background: #0d1b2a; color: #fff; }
        .top .brand { font-weight: 700; font-size: 1.1em; }
        .top nav ul { display: flex; gap: 1em; list-style: none; margin: 0; padding: 0; }
        .top nav a { color: #e6edf3; text-decoration: none; padding: .25em .4em; border-radius: 4px; }
        .top nav a[aria-current="page"] { background: #fff; color: #0d1b2a; font-weight: 600; }
        .top nav a:hover { text-decoration: underline; }
        .logout { margin-left: auto; display: flex; align-items: center; gap: .5em; }
        .who { color: #e6edf3; }
        main { padding: 1em 1.5em 3em; max-width: 1200px; }
        h1 { font-size: 1.6em; margin: .3em 0 .6em; }
        h2 { font-size: 1.2em; margin: 1.6em 0 .5em; }
        .cards { display: flex; flex-wrap: wrap; gap: 1em; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .7em 1em; min-width: 11em; }
        .card-label { color: var(--muted); font-size: .9em; }
        .card-value { font-size: 1.5em; font-weight: 650; }
        .card-note { color: var(--muted); font-size: .8em; }
        table { border-collapse: collapse; margin: .5em 0; }
        th, td { border: 1px solid var(--line); padding: .3em .6em; text-align: right; }
        th:first-child, td:first-child, th.l, td.l { text-align: left; }
        caption { text-align: left; color: var(--muted); padding-bottom: .3em; }
        .note { color: var(--muted); }
        .error { color: #a40e26; font-weight: 600; }
        form.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 1em; max-width: 40em; }
        form.panel label { display: block; font-weight: 600; margin-top: .6em; }
        form.panel input, form.panel select { font: inherit; padding: .35em .5em; width: 100%; max-width: 28em; border: 1px solid #6e7781; border-radius: 4px; }
        button { font: inherit; padding: .4em 1em; border-radius: 4px; border: 1px solid #0a3d91; background: var(--accent); color: #fff; cursor: pointer; margin-top: .8em; }
        .logout button { margin-top: 0; background: #fff; color: #0d1b2a; border-color: #fff; }
        .bar { background: #dbe5f3; height: .8em; min-width: 8em; border-radius: 3px; }
        .bar > span { display: block; height: 100%; background: var(--accent); border-radius: 3px; }
        .bar.over > span { background: #a40e26; }
        svg.chart { max-width: 100%; height: auto; }
        svg.chart text { font: 12px system-ui, sans-serif; fill: #1b1f24; }
        .heat td { min-width: 5em; text-align: center; }
        .reasons { margin: 0; padding-left: 1.2em; text-align: left; }
        .pass { color: #116329; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .8em 0; padding: .4em 1em .8em; }
        legend { font-weight: 650; padding: 0 .3em; }
        .help { color: var(--muted); font-size: .88em; margin: .15em 0 0; }
        .field-error { margin: .2em 0 0; }
        [aria-invalid="true"] { border-color: #a40e26 !important; border-width: 2px !important; }
        button.secondary { background: #116329; border-color: #0b4a1e; margin-left: .6em; }
        .cohort td { min-width: 3.6em; text-align: center; }
        .warning { background: #fff4e5; border: 1px solid #b35900; color: #1b1f24; padding: .5em .8em; border-radius: 4px; }
        .fail { color: #a40e26; }
        """;
}
