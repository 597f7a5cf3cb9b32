"""Small article pages written in tests, for cases the fixture files do not need."""

from __future__ import annotations

from html import escape


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    canonical: str = "",
    figures: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    site: str = "The Daily Fixture",
) -> bytes:
    """A plain news page: header, h1, figures (src, caption, credit), paragraphs, footer."""
    figs = "".join(
        f'<figure><img src="{escape(src)}" alt="" width="1200" height="800">'
        f'<figcaption><span class="caption">{escape(cap)}</span> '
        f'<span class="credit">{escape(credit)}</span></figcaption></figure>'
        for src, cap, credit in figures
    )
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | {escape(site)}</title>{link}
<meta property="og:site_name" content="{escape(site)}">
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="2024-03-05T10:00:00+00:00">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Tech</a></nav></header>
<main><article><h1>{escape(title)}</h1>
<p class="byline">By Jane Fixture</p>
{figs}{body}</article></main>
<footer><p>Copyright 2024 {escape(site)}. All rights reserved.</p></footer>
</body></html>"""
    return html.encode("utf-8")


LOREM = [
    "The committee met on Tuesday to discuss the proposed changes to the harbour district, "
    "which residents have opposed for more than two years.",
    "According to the minutes, the chair asked engineers to present a revised plan that "
    "keeps the historic warehouses and adds a protected cycle lane along the quay.",
    "Several members questioned the cost estimate, noting that the previous contractor had "
    "underestimated the work needed to stabilise the old sea wall.",
    "A final vote is expected next month, after a public consultation that will run for six "
    "weeks and include two evening meetings in the district library.",
]
