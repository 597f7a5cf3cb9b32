"""The local capture endpoint: the browser extension's door into a library.

`payload` turns the extension's JSON into a `BrowserPage` (checked and bounded),
`pairing` keeps the per-library token, `server` is the loopback HTTP server with the
checks that keep web pages out, `clipping` stores a page through the `Library` facade.
No Qt: `clipper serve` and the app window run the same server.
"""
