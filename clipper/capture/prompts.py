"""Prompts: short texts that talk to the reader about the site, not about the story.

"Register for free", "Read more: ...", "Share on Facebook", "Advertisement",
"[email protected]". A text is a prompt only when it is short and the pattern covers
what it *is* (a label, a call to action), so that a sentence which merely mentions
"newsletter" or "cookies" in passing is never taken for one.
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE | re.UNICODE

# Whole-text labels (after trimming punctuation and counts).
_LABELS = re.compile(
    r"^(?:advertisement|advertising|advert|ads?|sponsored(?: content| links?)?|promoted|"
    r"paid (?:content|post)|partner content|publicit[ée]|anzeige|werbung|publicidad|"
    r"pubblicit[àa]|reklama|scroll (?:down )?to continue(?: with content)?|"
    r"continue reading|read (?:the )?(?:full )?(?:more|article|story)|show more|load more|"
    r"more|related(?: (?:posts?|articles?|stories|content|coverage|topics|news|links|reading))?|"
    r"recommended(?: for you| stories| articles)?|you (?:may|might) (?:also )?like|"
    r"(?:more|also) (?:from|in|on) [\w .&'-]{1,40}|"
    r"most (?:read|popular|viewed|shared)(?: (?:in|on|from) [\w .&'-]{1,40})?|"
    r"(?:trending|popular)(?: now| stories| news)?|top stories|latest(?: news| stories)?|"
    r"more (?:stories|news|videos|articles)|(?:don'?t|do not) miss(?: out)?|see also|"
    r"further reading|what to read next|up next|read next|"
    r"share(?: this| the)?(?: article| story| post| page| video)?|tweet|pin(?: it)?|e-?mail|"
    r"print(?: this)?(?: article| page)?|copy(?: the)? link|link copied|save(?: article)?|"
    r"follow(?: us)?|comments?|\d+ comments?|leave a (?:comment|reply)|post a comment|"
    r"view comments|show comments|join the (?:conversation|discussion)|"
    r"sign ?in|log ?in|log ?out|login|register|sign ?up|subscribe(?: now| today)?|"
    r"back to top|skip to (?:main )?content|skip navigation|close|menu|search|"
    r"toggle navigation|loading(?: comments)?|or continue with|continue with \w+|"
    r"listen(?: to this (?:article|story))?|(?:watch|play) (?:the )?video|image|photo|video|"
    r"gallery|enlarge(?: this)? image|order reprints|reprints?|print article|"
    r"(?:all )?rights reserved|terms (?:of use|and conditions)|privacy policy|"
    r"cookie (?:policy|settings|preferences)|manage (?:cookies|preferences|consent)|"
    r"accept(?: all)?(?: cookies)?|reject all|i agree|got it|ok)$",
    _FLAGS,
)

# "Read more: <headline>" and its translations: a label, a colon (or dash), a short tail.
_LEAD_IN = re.compile(
    r"^(?:read (?:more|also|next)|related(?: article| story| content| coverage)?|"
    r"see (?:more|also)|also read|also see|more|watch|listen|recommended|more on this"
    r"(?: story)?|(?:don'?t|do not) miss|must read|editor'?s? picks?|trending|"
    r"(?:more|also) (?:from|on|in) [\w .&'-]{1,40}|"
    r"leggi anche(?: su)?|lesen sie (?:auch|mehr)|mehr zum thema|(?:à )?lire (?:aussi|également)|"
    r"leia (?:também|mais)|veja (?:também|mais)|le[ae] (?:también|más)|ver también|"
    r"zie ook|czytaj (?:także|też)|читайте также|ler mais)\s*[:：|»>–—-]",
    _FLAGS,
)

# Calls to action specific enough to judge a text of up to 40 words.
_CALLS_TO_ACTION = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"\b(?:sign|log) ?(?:in|up)\b.{0,40}\b(?:to (?:continue|read|comment|access|get|"
            r"receive|save|keep)|for (?:free|our|the|a|an|unlimited))\b",
            r"\bregister (?:for free|to (?:continue|read|comment)|now|today|here)\b",
            r"\balready (?:a )?(?:registered|subscriber|member|have an account)\b",
            r"\bsubscribe (?:now|today|here|for|to (?:our|the|continue|read|get|receive|"
            r"access))\b",
            r"\b(?:subscribers?|members?) only\b",
            r"\bfor (?:unlimited|full|digital|complete) access\b",
            r"\bstart (?:your|a) (?:free )?trial\b",
            r"\byou(?:'ve| have) (?:reached|read|used) (?:your|all|the|\d+)\b.{0,50}"
            r"\b(?:free|articles?|stories|limit)\b",
            r"\bby (?:registering|signing up|subscribing)\b",
            r"\bthanks?(?: you)? for (?:signing up|subscribing|registering|your subscription)\b",
            r"\byou(?:'re| are) (?:now )?(?:subscribed|signed up|registered)\b",
            r"\berror (?:processing|occurred).{0,40}\b(?:subscription|try again)\b",
            r"\bthis copy is for your personal,? non-?commercial use\b",
            r"\b(?:follow|like) us on\b",
        )
    ),
    _FLAGS,
)
# Calls to action that only count in a short text (up to 15 words).
_SHORT_CALLS = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"^(?:sign|log) ?(?:in|up)(?:\s+(?:to|for|with|now|here|or)\b|\s*[.!:]?$)",
            r"^register(?:\s+(?:now|here|today|for|to)\b|\s*[.!:]?$)",
            r"^subscribe\b",
            r"\bcreate (?:a |your )?(?:free )?account\b",
            r"\bforgot (?:your )?password\b",
            r"\bcheck your (?:e-?mail|inbox)\b",
            r"\benter your e-?mail\b",
            r"\bor continue with\b",
            r"\bplease try again later\b",
            r"^(?:get|turn on|enable|allow) (?:push |breaking news )?notifications\b",
            r"^never miss\b",
            r"^(?:tap|swipe) (?:here|to)\b",
            r"\bemail(?:\s|\u00a0)*protected\]",
            r"^(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}))",
            r"\ball rights reserved\b",
            r"^share (?:this|on|via|with)\b",
            r"^(?:photo|image|picture|photograph|credit|foto|bild)s?(?: credit)?\s*:",
            r"^(?:estimated )?(?:reading time|read time|tempo de leitura|tiempo de lectura|"
            r"lesezeit|lesedauer|temps de lecture|tempo di lettura|leestijd)\s*[:：\-–]?\s*"
            r"(?:\d|less than|about|under|approx|circa|ca\.|menos|moins)",
            r"^\d+\s*(?:min(?:ute)?s?|mins?)\.?\s*(?:read|de leitura|de lectura|lesezeit|"
            r"de lecture|di lettura|leestijd)\b",
            r"^(?:filed|posted) (?:under|in)\s*:?\s*\S",
            r"^(?:tags?|tagged(?: with)?|topics?|categories|category|schlagwörter|etiquetas)"
            r"\s*:",
        )
    ),
    _FLAGS,
)

_NEWSLETTER = re.compile(r"\bnewsletters?\b|\bdaily (?:edition|briefing|digest)\b", _FLAGS)
# A newsletter text that *starts* as a call to action is a prompt up to 40 words...
_NEWSLETTER_START = re.compile(
    r"^(?:sign up|subscribe|get|join|register|receive|click|want|never miss|don'?t miss|stay|"
    r"enter|be the first|keep up|start your)\b",
    _FLAGS,
)
# ...one that merely contains one only when it is short.
_NEWSLETTER_CALL = re.compile(
    r"\b(?:sign up|subscribe|delivered to your inbox|in your inbox|straight to your inbox)\b",
    _FLAGS,
)
_COOKIE = re.compile(r"\bcookies?\b", _FLAGS)
_COOKIE_CALL = re.compile(
    r"\b(?:we use|this (?:site|website) uses|uses cookies|accept|consent|agree|cookie policy|"
    r"cookie settings|by continuing)\b",
    _FLAGS,
)
_SOCIAL_ONLY = re.compile(
    r"^(?:(?:share|tweet|pin|email|e-mail|print|whatsapp|facebook|twitter|x|linkedin|reddit|"
    r"flipboard|pinterest|messenger|telegram|copy link|mail|sms|comments?)[\s|/·•,]*){2,}$",
    _FLAGS,
)
_TRIM = " \t\n.:;!?…·•|-–—()[]{}«»\"'“”‘’*>"
_MAX_WORDS_LEAD_IN = 30
_MAX_WORDS_CALL = 40
_MAX_WORDS_SHORT = 15


def is_prompt(text: str) -> bool:
    """Whether a short text is, as a whole, site furniture rather than article prose."""
    text = " ".join(text.split())
    core = text.strip(_TRIM)
    if not core:
        return bool(text)  # punctuation and separators only
    words = len(core.split())
    if _LABELS.match(core) or _SOCIAL_ONLY.match(core):
        return True
    if words <= _MAX_WORDS_LEAD_IN and _LEAD_IN.match(text.lstrip(_TRIM)):
        return True
    if words > _MAX_WORDS_CALL:
        return False
    if _CALLS_TO_ACTION.search(text):
        return True
    if words <= _MAX_WORDS_SHORT and _SHORT_CALLS.search(text.lstrip(_TRIM)):
        return True
    if _NEWSLETTER.search(core) and (
        _NEWSLETTER_START.search(core)
        or (words <= _MAX_WORDS_SHORT and _NEWSLETTER_CALL.search(core))
    ):
        return True
    return bool(_COOKIE.search(core) and _COOKIE_CALL.search(core))


__all__ = ["is_prompt"]
