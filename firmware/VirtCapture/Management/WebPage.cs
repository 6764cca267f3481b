namespace VirtCapture.Management;

/// <summary>The login form (the page itself is one of the <see cref="WebAssets"/>).</summary>
internal static class WebPage
{
    public static string Login(bool failed) => $$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>VirtCapture: log in</title>
        <style>body{font-family:system-ui,sans-serif;background:#14171c;color:#e8e8e8;display:grid;place-items:center;height:100vh;margin:0}
        form{background:#1f242c;padding:2em;border-radius:8px}input{font-size:1em;padding:.4em;width:24em}button{font-size:1em;padding:.4em 1em}</style></head>
        <body><form method="post" action="/login"><h1>VirtCapture</h1>
        <p>Enter the box's token (<code>virtcapture token</code> on the box prints it).</p>
        {{(failed ? "<p style=\"color:#ff6b6b\">That token is not right.</p>" : string.Empty)}}
        <input name="token" type="password" autofocus> <button type="submit">Log in</button></form></body></html>
        """;
}
