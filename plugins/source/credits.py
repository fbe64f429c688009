"""Story credits: the agencies or outlets a text credits the story itself to, with the evidence line.

Rule-based and line-oriented; every pattern is compiled once per :class:`CreditFinder`.
Each rule says where a credit may stand and what it looks like, and in most rules a name
only counts when the publisher table (or CREDIT_ALIASES) knows it, so a chart's "Source:
Exxon Mobil" or a person in "Fox News' James Rogers contributed" is not a credit; only the
strongest forms ("h/t X", "From X:", "Reposted With Permission From X", …) take a name no
table knows, and only when it reads as an outlet (:func:`open_outlet`). Photo credits
("© Reuters", "George Ourfalian/AFP", "Image copyright AP", "Jim Mone/AP Photo")
match none of the rules: they have no dateline, "contributed", "reporting by",
"Source:"/"Via" or closing-dash form; a bracketed "(AFP)" closing a caption mid-text
("… October 5 2017. (AFP) Russian air strikes …") is not a dateline either, since a
dateline opens a line after a place name or is followed by a dash. See docs/source.md
for what counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from .publishers import PublisherTable, load_table

#: Agencies that open a story as "BEIRUT (Reuters) -", "(CNN)" or "JUNEAU, Alaska (AP) —".
DATELINE_AGENCIES = (
    "Reuters", "AP", "Associated Press", "AFP", "CNN", "Bloomberg", "UPI", "dpa", "Xinhua", "SANA", "TASS",
    "NNA", "Anadolu", "Sputnik", "Kyodo", "Interfax", "RIA Novosti", "MNA", "CBS News", "ABC News", "NBC News",
)  # fmt: skip
#: A dateline whose first letters BuzzFeed-Webis lost with its drop cap: "NN)The senator …" is "(CNN)The senator …".
#: Endings that only one agency's name has, of three letters or two capitals ("NN" -> CNN, "uters" -> Reuters; not
#: "ws", which three names end with, nor "rs").
_WIRE_ENDINGS = {
    ending: name
    for name in DATELINE_AGENCIES
    for ending in {name[i:] for i in range(1, len(name) - 1)}
    if sum(other.endswith(ending) for other in DATELINE_AGENCIES) == 1
    and ending[0].isalpha()
    and (len(ending) > 2 or ending.isupper())  # not "rs", "ax": too little of a name
}
#: The wire agencies among them (not the networks' news desks), as the canonical names the tables give them.
_WIRES = frozenset(DATELINE_AGENCIES) - {"AP", "CNN", "CBS News", "ABC News", "NBC News"}
#: Agencies that also open a story without brackets ("Aleppo, SANA -", "Monitor AFP, Wednesday 29 Oct 2014").
#: (Upper-case "REUTERS" is left out: in these sets it is a photo credit, "REUTERS Rodi Said".)
BARE_DATELINE_AGENCIES = ("Reuters", "AFP", "SANA", "NNA", "TASS", "Xinhua", "Anadolu")

#: Outlets and agencies that appear in these sets only as credits, spelling -> name. publishers.json lists the
#: publishers the model knows; these are read only here, so they change no publisher answer.
CREDIT_ALIASES = {
    "Press TV": "Press TV", "PressTV": "Press TV", "presstv": "Press TV",
    "Infowars": "Infowars", "InfoWars": "Infowars",
    "Campus Reform": "Campus Reform", "Twitchy": "Twitchy", "Bearing Arms": "Bearing Arms",
    "Daily Caller News Foundation": "The Daily Caller", "The Daily Caller News Foundation": "The Daily Caller",
    "CNNMoney": "CNN",  # CNN's business desk in its own datelines: "NEW YORK (CNNMoney) --"
    # Sources the aggregating sites excerpt whose names hold no outlet word ("From Zero Hedge:", "Sources: ESPN")
    "Zero Hedge": "Zero Hedge", "ZeroHedge": "Zero Hedge", "Louder with Crowder": "Louder with Crowder",
    "Louder With Crowder": "Louder with Crowder", "ESPN": "ESPN",
    "Center for Public Integrity": "Center for Public Integrity",  # a newsroom syndicating its stories, as ProPublica
    # The Syrian news site FA-KES' Al-Alam texts compile from: "… shelling the city. (Al-Masdar and Sputnik)"
    "Al-Masdar": "Al-Masdar", "Al-Masdar News": "Al-Masdar", "Al Masdar News": "Al-Masdar",
    "Mail Online": "Daily Mail", "MailOnline": "Daily Mail",  # the Daily Mail's site
}  # fmt: skip
#: Outlets the aggregating sites of these sets quote and credit whose names the open-name test cannot read as outlets
#: (no outlet word, all capitals) or that the known-name forms ("CNBC contributed to this report", "Source: CNBC") need;
#: each keeps its own spelling, as the labels do (without a leading "The": the patterns and the lookup drop it).
CREDIT_ALIASES.update(
    (name, name)
    for name in (
        "CNBC", "Sky News", "Yahoo News", "Chicago Tribune", "Huffington Post", "HuffPost", "BuzzFeed News",
        "Mediaite", "WND", "NewsBusters", "Newsbusters", "RedState", "Weasel Zippers", "TruthRevolt", "Truth Revolt",
        "Daily Wire",
        "Washington Free Beacon", "Free Beacon", "Independent Journal Review", "Daily Signal", "CNSNews.com",
        "CNS News",
        # the same for the sites the left-leaning aggregators quote, and others whose names hold no outlet word
        "Raw Story", "Mother Jones", "Crooks and Liars", "Common Dreams", "Shareblue", "US Uncut", "Politicus USA",
        "Alternet", "Think Progress", "Truthout", "Newsweek", "Fox Business", "American Thinker", "Legal Insurrection",
        "Instapundit", "Downtrend", "Liberty Unyielding", "Heat Street", "BET",
    )
)  # fmt: skip
#: Words that make a capitalised name an outlet rather than a person ("h/t The Right Scoop", "Source: Yahoo Finance";
#: not "h/t Ed Morrissey"). Used only for names the tables lack, and only in the strongest credit forms.
OUTLET_WORDS = frozenset(
    "News Times Post Tribune Journal Herald Review Report Reports Reform Beacon Wire Scoop Watch Magazine Media Network"
    " TV Radio Press Daily Weekly Insider Finance Money Politics Gazette Observer Standard Chronicle Telegraph Mail"
    " Express Examiner Monitor Today Online Digest Register Dispatch Pundit Journalism Conservative Conservatives"
    " Patriot Patriots Fix Project Blog Feed Channel Broadcasting Bulletin Courier Sentinel Inquirer Enquirer Globe"
    " Caller Agency Spectator Voice Intercept Republic Reporter Sun Star Bee Ledger Advocate Statesman Courant".split()
)
#: Newspaper-title words a writer may pluralise by mistake ("the Houston Chronicles"), unlike "Facebook Posts".
_MASTHEAD_WORDS = frozenset(
    "Chronicle Herald Tribune Journal Gazette Examiner Observer Telegraph Inquirer Courier".split()
)
#: Names that look like outlets but are not story credits: platforms, government bodies, a Fox News show on Fox pages.
NOT_OUTLETS = frozenset(
    ("YouTube", "Twitter", "Facebook", "Instagram", "Reddit", "Google", "Wikipedia", "Getty Images", "Flickr",
     "White House", "The White House", "World Bank", "The World Bank", "Media Buzz",
     # platforms a camel-case name would pass for an outlet ("(Source: LiveLeak)", "Via WikiLeaks")
     "LiveLeak", "LinkedIn", "WikiLeaks", "GoFundMe", "SoundCloud", "DailyMotion", "Dailymotion", "TikTok", "WhatsApp",
     "PayPal", "WordPress", "iTunes", "Change.org", "The Pentagon",
     # pollsters introducing their release ("From Rasmussen Reports:", as "More from Gallup:"), not story credits
     "Rasmussen Reports", "Pew Research Center", "The Pew Research Center", "Public Policy Polling", "Morning Consult",
     "Harris Poll", "The Harris Poll", "Zogby Analytics", "Gallup", "Gallup News",
     "Monmouth University Polling Institute")
)  # fmt: skip

#: Single capitalised words that a strong credit form may hold but that name no outlet.
ONE_WORD_NOT_OUTLETS = frozenset(
    "email e-mail reader readers staff wire wires agencies agency reports report here this that source sources link"
    " video photo photos image images getty ap/getty twitter facebook instagram youtube reddit google wikipedia"
    " imgur tumblr pinterest vimeo snapchat tiktok flickr"
    # a bracketed tag closing a paragraph that is no name ("[Video]", "[sic]"), a reprint in another language
    " update updated updates video videos audio watch listen emphasis sic more gallery graphic slideshow editor news"
    " correction advertisement exclusive breaking live opinion analysis editorial print excerpt"
    " spanish french german english arabic russian chinese italian portuguese japanese korean hebrew turkish persian"
    " dutch greek polish".split()
)
#: Platforms as domains ("Via youtube.com", "Source: imgur.com"): where a thing was posted, not who reported it.
_PLATFORM_SITES = frozenset(
    {name.casefold().replace(" ", "") for name in NOT_OUTLETS} | ONE_WORD_NOT_OUTLETS | {"youtu", "t", "bit", "goo"}
) - {"news"}  # ("(NEWS)" is a section label, news.com.au an outlet)
#: Unnamed sources a list of credited outlets may end with: "(Al Jazeera and agencies)".
_UNNAMED_WIRES = frozenset(("agencies", "news agencies", "wires", "wire services", "wire reports", "other agencies"))
#: Lower-case substrings without which no body-line rule can match (most lines have none of them): contributor,
#: copyright and "written by" lines anywhere; reprint and pooled-copy notes only open or close a story.
_BODY_KEYS = ("contribut", "reporting", "copyright", "ritten", "\nfrom ", "more from", "h/t", "via")
_EDGE_KEYS = ("material", "originally", "first published", "compiled", "click for more", "rest of the story")
#: Notes that only close a story: "Information from X was used …", "© 2016 The Associated Press. All rights reserved.",
#: "… the Free Beacon, where this column first appeared.", the Daily Caller News Foundation's syndication notice.
_TAIL_KEYS = ("information from", "rights reserved", "where this", "news foundation is available")
_EDGE_HEAD, _EDGE_TAIL = 3, 4
#: A sentence ends after a word of two lower-case letters or more: not after "N.C." nor an initial ("Eric T. Smith").
_SENTENCE_END = re.compile(r"(?<=[a-z]{2}[.!?])\s+")
_SENTENCE_BEFORE = re.compile(r"[a-z]{2}[.!?]\s$")  # the same, just before an agency ("buses. Afp - The")
#: An embedded tweet: "… pic.twitter.com/x — Meg Kinnard (@MegKinnardAP) December 7, 2017" (its dateline is not ours).
_TWEET = re.compile(r"pic\.twitter\.com/|\(@\w+\)\s+[A-Z][a-z]+\s+\d{1,2},\s+\d{4}\s*$")
_HEAD_LINES = 8  # datelines open the story: title, standfirst, then the first paragraphs
_HEAD_CHARS = 400
_TAIL_LINES = 4  # closing credits sit on the last content lines
_TAIL_CHARS = 400
_CLOSING_SOURCE = 2  # a Sources line among the last two lines closes the story: its one-word names are outlets
_OPEN_TAIL_LINES = 6  # aggregators close an excerpt with "Read the rest at X" above two or three lines of site chrome
#: An agency's desk inside its dateline bracket: "(Reuters Breakingviews) -", "(CNN Business)", "(Reuters Health) -".
_DESKS = r"(?:Breakingviews|Business|Money|Politics|Health|Sport|Sports)"
_BRACKET_DASH = re.compile(r"\)\s*[-—–]")  # without it no dateline of an outlet the tables lack
_CONNECTORS = frozenset(("of", "and", "for", "on", "in", "with", "&"))
_DOMAIN = re.compile(
    r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:(?:com|org|net|co|us|info|news|tv)(?:\.[a-z]{2})?|uk|ca|au|ie|nz|in|io)",
    re.IGNORECASE,
)  # also the country sites: "news.com.au", "theglobeandmail.ca", "telegraph.co.uk"
#: A name tag closing a story: an outlet's name alone, maybe in brackets (open_outlet decides: an outlet word, so
#: not a person's name).
_NAME_TAG = re.compile(r"\[?\s*(?P<span>The\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s*\]?")
#: A bracketed name closing a paragraph of the last lines: "… not by Banksy." [Emergent]", "[BBC]",
#: "… the new laptop design. [9to5Mac]".
_BRACKET_TAG = re.compile(  # (not "[Via X]", "[Source X]": the whole-line forms read those)
    r"(?:^|[.!?”\"’)]\s+)\[(?!(?:Via|VIA|Source|SOURCE|Sources|Hat|From|More)\b)(?P<span>[A-Z0-9][^\[\]/|:;,]{1,40}?)\]\s*$"
)
#: The last line only naming the story's sources: "- WA Today", "Reuters, Fairfax Media" (each name vetted).
_CLOSING_NAMES = re.compile(
    r"^(?:[-—–]{1,2}\s*(?P<one>[A-Z][\w.&'’ -]{1,40})"
    r"|(?P<list>[A-Z][\w.&'’ -]{1,30}(?:,\s*[A-Z][\w.&'’ -]{1,30}){1,3}))$"
)
#: An image's credit in brackets before a "via X": "[Image: EuroPics (CEN) via the Daily Mail]" is no story credit.
_PHOTO_BRACKET = re.compile(r"[\[(]\s*(?:Image|Photo|Picture|Pic|Video|Credit|Photograph)s?\b[^\[\]]*$", re.IGNORECASE)


def _photo_via(line: str, match: re.Match[str]) -> bool:
    """Whether a "via X" match sits in an image's bracketed credit ("[Image: EuroPics (CEN) via the Daily Mail]")."""
    return "via" in match.group(0).lower() and bool(
        _PHOTO_BRACKET.search(line, max(0, match.start() - 60), match.start() + 1)
    )


#: A copy-paste tracker's link ("… http://www.ft.com/cms/s/0/….html#ixzz3Qzwu98DB",
#: "#sthash.….dpuf"): the text was copied from that site.
_TRACKED_LINK = re.compile(r"https?://(?P<host>[\w.-]+\.[a-z]{2,})/\S*#(?:ixzz|sthash)")
#: A link closing a story: a copy-paste tracker's "Read more: http://www.digitaljournal.com/…#ixzz3S…" or "- See more
#: at: http://disinfo.com/…#sthash…", an excerpt's "(Excerpt) Read more at washingtontimes.com ...": its host.
_LINK_POINTER = re.compile(
    r"^\W*(?:\(Excerpt\)\s*)?(?:Read|See|READ|SEE)\s+(?:[Mm]ore|MORE|the\s+(?:full|rest|original)\b[^:]{0,30}?)"
    r"(?:\s+(?:at|on|here))?\s*:?\s+(?:https?://)?(?P<host>(?:www\.)?[\w-]+(?:\.[\w-]+)+)(?:[/?#]\S*)?\s*(?:\.{3}|…)?$"
)
#: What a reprint notice calls the story: "This column originally appeared at the Richmond Times-Dispatch."
_PIECE = r"(?:article|story|post|piece|report|column|op-ed|essay|commentary|editorial)"
#: How a reprint note's sentence opens (after any bullet or dash): "This article was originally published on X. …"
_REPRINT_OPENINGS = (
    "This ", "Originally", "originally", "First ", "Republished", "Reprinted", "Reposted", "Editor", "EDITOR", "Note",
    "A version", "An earlier version", "A shorter version", "A longer version",
)  # fmt: skip
#: "A version of this article first appeared in X."
_VERSION_OF = r"An?\s+(?:earlier\s+|shorter\s+|longer\s+|different\s+)?version\s+of\s+this"
#: An editor's note may introduce a reprint note: "Editor's note: This article originally appeared on X."
_NOTE = r"(?:(?:[Ee]ditor['’]s\s+[Nn]ote|EDITOR['’]S\s+NOTE|Note)\s*:\s*)?"
_BULLETS = "*•⦁—–- "
_REPRINT_FIRST = frozenset("TOoFRENA" + _BULLETS)
_NOTE_FIRST = frozenset("TEN([" + _BULLETS)  # "This story was reported by X", "(This article was written by Reuters.)"
#: (not "The report was compiled by X": a report the story discusses)
_NOTE_OPENINGS = ("This ", "Editor", "EDITOR", "Note")  # also after "Editor's note:"
#: "… originally appeared at The Daily Beast on September 14, 2013"
_TRAILING_DATE = re.compile(r",?\s+on\s+(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})$")
#: Words after an outlet's name that make a section or an edition of it, not another outlet ("Fox News Insider").
_EDITIONS = (
    " News", " Online", " English", " Insider", " UK", " U.K.", " US", " Network", " Magazine", " TV", " Politics",
    " Money", " Business", " International", " Europe",
)  # fmt: skip
#: An outlet's office named as the source: "Syrian Coalitions Media Office" (FA-KES lost the apostrophe).
_OFFICE = re.compile(r"(.+?)['’]?s\s+(?:Media|Press|Information)\s+(?:Office|Department|Cent(?:er|re))")
#: A local broadcast station, an outlet of its own: "ABC 13" (Houston's KTRK, not ABC News), "FOX 5 DC", "NBC 4 New
#: York", "CBS Atlanta", call letters "KSFY", "WFAA", "KTRK-TV", "WBZ-TV", "KOMO News".
_STATION = re.compile(
    r"(?:ABC|CBS|NBC|FOX|Fox|CW|PBS)\s?\d{1,2}(?:\s+[A-Z][\w.]*){0,2}"
    # a network's local brand: "CBS Atlanta", "NBC Bay Area" (not "CBS Evening News", "Fox Nation": the network's own)
    r"|(?:ABC|CBS|NBC|FOX|Fox)\s+(?!(?:News|Sports|Business|Evening|Nightly|This|Morning|World|Radio|Entertainment"
    r"|Family|Films|Studios|Television|Network|Interactive|Digital|Insider|Nation|Today|Tonight|Weekend|Sunday|Face"
    r"|Meet|Good|Special|Report|Politics|Money|Online|Mundo|Noticias|Deportes)\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"
    r"|[KW][A-Z]{3}(?:-(?:TV|DT|FM|AM))?(?:\s+(?:\d{1,2}(?:\s+[A-Z][a-z]+){0,2}|TV|News))?"  # "KIRO 7 Seattle"
    r"|[KW][A-Z]{2}-(?:TV|DT|FM|AM)(?:\s+\d{1,2})?"
    r"|(?:ABC|CBS|NBC|FOX)\s+[A-Z]{2,3}"  # a network's city site: "CBS DC", "NBC DFW"
    r"|(?:ABC|CBS|NBC|FOX)\s+(?!(?:NEWS|SPORTS|BUSINESS|EVENING|NIGHTLY|MORNING|WORLD|RADIO|NETWORK|NATION|TODAY"
    r"|ONLINE|MONEY|POLITICS)\b)[A-Z]{4,}"  # the same city in capitals: "(CBS HOUSTON) –"
)
#: One name with an apostrophe inside, as the Palestinian agency writes its own: "Ma'an" (not a possessive "Gaza's").
_APOSTROPHE_NAME = re.compile(r"[A-Z][a-z]+['’](?!s$)[a-z]+")
#: Capitals that read as call letters but are words or bodies ("Source: WHO" is a chart's source).
_NOT_STATIONS = frozenset(
    "WHAT WHEN WITH WILL WERE WANT WELL WEEK WORK WORD WAIT WALL WARS WEST WIDE WIFE WILD WIND WISH WHOM WHOS KEEP"
    " KIDS KILL KIND KING KNOW KNEW WIPO WADA WMDS WIKI WORLD".split()
)
#: Outlets' short forms the aggregators write in a credit line ("Read more: WT", "h/t WaPo"); read only when the
#: whole name of an open-name credit form is one of them, never in running text ("(NYT)" closing a quote is a cite).
ABBREVIATIONS = {
    "WT": "Washington Times", "WashTimes": "Washington Times", "WaPo": "Washington Post", "WAPO": "Washington Post",
    "Wapo": "Washington Post", "WashPost": "Washington Post", "NYTimes": "New York Times", "NY Times": "New York Times",
    "NYPost": "New York Post", "WashEx": "Washington Examiner", "WFB": "Washington Free Beacon",
    "DCNF": "The Daily Caller", "IJR": "Independent Journal Review", "HuffPo": "HuffPost", "FOX": "Fox News",
    "CSM": "Christian Science Monitor",
}  # fmt: skip


@dataclass(frozen=True)
class Credit:
    name: str
    evidence: str


def _alias_pattern(table: PublisherTable) -> str:
    # Case-sensitive on purpose: "Reason", "Salon" or "Independent" as plain words are not outlets.
    names = {n for p in table.publishers for n in (p.name, *p.aliases)} | set(CREDIT_ALIASES)
    names |= {n.upper() for n in names}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _camel(word: str) -> bool:
    """One word with a capital inside and a small letter somewhere: "RealMoney", "CNNMoney", "iPatriot"."""
    return word.isalpha() and any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


#: How much a credit form vouches for the name it holds (open_outlet): a closing "Read more: X" is also the site's
#: chrome before a related headline (only a domain, a station or a short form then), a Sources list also names
#: companies, a dateline may name a service ("RealMoney"), and "Reposted With Permission From X" names an outlet.
#: LOOSE: a whole line or a line's end that says "Via X" / "h/t X" (the blogs' own credit line), where one word may
#: be the outlet ("h/t Deadspin"); mid-line hat tips stay NORMAL: "(h/t BKR)" in a list of birthdays is a person.
NAMED, STRICT, DATELINE, NORMAL, LOOSE, REPRINT = range(6)


def open_outlet(span: str, how: int = NORMAL) -> str | None:
    """The outlet a strong credit form names when no table knows it, or None for a person, a sentence or a platform.

    Outlet: a domain ("Constitution.com") or a capitalised name with an outlet word ("Yahoo Finance"; "Campus
    Reform" is in CREDIT_ALIASES); from DATELINE on also one camel-case word ("RealMoney"); from NORMAL on "The"
    and up to three capitalised words ("The Lid", "The Intercept"); in a REPRINT notice any capitalised name of up
    to four words ("Freedom Outpost", "Future of Freedom Foundation"). At every level a local station ("ABC 13",
    "KSFY") and an outlet's short form ("WT" -> Washington Times); at NAMED (a closing "Read more: X") nothing else
    but a domain. Not "Ed Morrissey", "Glenn Beck", "Media Matters' Eric Boehlert", "the Post".
    """
    span = _TRAILING_DATE.sub("", span.strip().strip("()").rstrip(".:…!,;").strip())
    referred = span.startswith("the ")  # "More from the Post:": a name the text gave before, not one word's outlet
    span = span[4:] if referred else span
    if not span or len(span) > 50 or span in NOT_OUTLETS or "Syndicate" in span:  # column syndicates are not credits
        return None
    if span in ABBREVIATIONS or span.removeprefix("The ") in ABBREVIATIONS:  # "Source: The NY Times"
        return ABBREVIATIONS.get(span) or ABBREVIATIONS[span.removeprefix("The ")]
    if _STATION.fullmatch(span):
        network, _, city = span.partition(" ")
        if city.isalpha() and city.isupper() and len(city) > 3:  # "CBS HOUSTON" -> "CBS Houston"
            return f"{network} {city.title()}"
        return None if span in _NOT_STATIONS else span
    if _DOMAIN.fullmatch(span):
        host = span[4:] if span[:4].lower() == "www." else span
        site = host.split(".")[-3 if host.lower().endswith((".co.uk", ".com.au")) else -2].casefold()
        return None if host.lower().endswith(".gov") or site in _PLATFORM_SITES else host  # not "Via youtube.com"
    if how == NAMED:
        return None
    words = span.split()
    if len(words) > 6 or words[-1] in _CONNECTORS or re.search(r"['’]s?(?:\s|$)|[,;/|()]", span):
        return None
    if not all(w[0].isupper() or w[0].isdigit() or w in _CONNECTORS or _camel(w) or _mixed(w) for w in words):
        return None
    one_word = len(words) == 1 and (words[0][0].isdigit() or _camel(words[0]) or _mixed(words[0]))  # "9to5Mac", "io9"
    if not (words[0][0].isupper() or one_word):
        return None
    core = words[1:] if words[0] == "The" else words
    if len(core) > 1 and any(part in OUTLET_WORDS for w in core for part in w.split("-")):  # not "the Post"
        return span
    # "the Houston Chronicles" (not "The Adobo Chronicles", a title written so)
    if words[0] != "The" and len(core) > 1 and core[-1][-1:] == "s" and core[-1][:-1] in _MASTHEAD_WORDS:
        return span[:-1]
    if len(core) == 1 and not referred and _one_word_outlet(core[0], how):
        return span
    if how >= NORMAL and words[0] == "The" and 1 <= len(core) <= 3 and all(w[0].isupper() for w in core):
        return span
    if how == REPRINT and len(words) <= 4 and all(w[0].isupper() or w in _CONNECTORS for w in words):
        return span  # "Freedom Outpost", "Future of Freedom Foundation"
    return None


def _one_word_outlet(word: str, how: int) -> bool:
    """One word naming an outlet: from DATELINE on a camel-case word ("RealMoney"), from LOOSE on any capitalised
    word of three or more letters ("h/t Deadspin", "VIA: BGR", "H/T: Quartz": the blogs of FNC-1 credit their
    sources so). Not a platform (NOT_OUTLETS) nor a word that names no one (ONE_WORD_NOT_OUTLETS: "Via Email")."""
    if word in NOT_OUTLETS or word.casefold() in ONE_WORD_NOT_OUTLETS or len(word) < 3:
        return False
    if how >= DATELINE and (_camel(word) or _mixed(word) or (how == DATELINE and word.isupper() and len(word) <= 8)):
        return True  # (all capitals only in a dateline: "(NEWSER) –")
    if how == DATELINE and _APOSTROPHE_NAME.fullmatch(word):
        return True  # a dateline's "(Ma'an) --": no English word of a sentence is written so after a place
    return how >= LOOSE and word.isalnum() and word[0].isupper() and not word.isdigit()


def _mixed(word: str) -> bool:
    """Letters and digits in one word: "9to5Mac", "9to5mac", "io9"."""
    return word.isalnum() and not word.isdigit() and not word.isalpha()


class _Deferred:
    """A pattern compiled on first use, which then replaces itself on its owner.

    Each pattern holding the alias alternation takes ~5 ms to compile, so building them all would add ~0.08 s to a
    one-file run, while a document reaches only the few its cue words lead to. After first use the owner's attribute
    is the compiled pattern itself: no cost per call.
    """

    __slots__ = ("args", "compiled", "owner", "attr")

    def __init__(self, *args: Any) -> None:
        self.args, self.compiled, self.owner, self.attr = args, None, None, ""

    def bind(self, owner: object, attr: str) -> None:
        self.owner, self.attr = owner, attr

    def __getattr__(self, name: str) -> Any:
        if self.compiled is None:
            self.compiled = re.compile(*self.args)
            if self.owner is not None:
                setattr(self.owner, self.attr, self.compiled)
        return getattr(self.compiled, name)


class CreditFinder:
    """Compiled once; :meth:`find` runs the rules over a document's lines."""

    def __init__(self, table: PublisherTable | None = None) -> None:
        self.table = table or load_table()
        self._credit_aliases = {k.casefold(): v for k, v in CREDIT_ALIASES.items()}
        alias = _alias_pattern(self.table)
        name = rf"(?:[Tt]he\s+)?(?P<name>{alias})(?![\w])"
        wires = "|".join(re.escape(n) for n in DATELINE_AGENCIES)
        bare = "|".join(re.escape(n) for n in BARE_DATELINE_AGENCIES)
        self._name = _Deferred(rf"(?<![\w]){name}")  # names in a list: "(With AFP and Reuters)", not "SNAP" as AP
        # (also "he Associated Press contributed …": BuzzFeed-Webis texts may lose a paragraph's first characters)
        self._name_start = _Deferred(rf"^\W*(?:he\s+)?{name}(?P<own>'s|’s|'|’)?")
        # WASHINGTON (Reuters) -, (CBSDC/AP) —, an agency's desk: "(Reuters Breakingviews) -", "New York (CNN Business)"
        self._bracketed = _Deferred(
            rf"(?:^|[\s,])\(\s*(?:The\s+|[A-Z]{{2,}}/)?(?P<name>{wires})(?:\s+{_DESKS})?\s*\)(?P<dash>\s*[-—–])?"
        )
        # "CNN)Interviewed …" opening a line: BuzzFeed-Webis texts may lose a paragraph's first characters
        self._lost_bracket = _Deferred(rf"(?:[A-Z]{{2,}}/)?(?P<name>{wires})(?:\s+{_DESKS})?\)")
        self._lost_start = _Deferred(r"([A-Za-z][A-Za-z ]{1,20}?)\)\s*(?:[-—–]+\s*)?(?=[A-Z\"“‘'])")  # _WIRE_ENDINGS
        # Cheap cues before the dateline patterns (one search instead of a test per agency name)
        self._wire_cue = _Deferred(wires)
        self._bare_cue = _Deferred(f"AP|{bare}")
        self._dateline = _Deferred(
            rf"(?:^|\d{{4}}\s+|\b[A-Z]\w*,?\s+)(?<!Thomson )(?P<bare>{bare})\b(?!,?\s+Yemen)\s*[-—–,]{{0,2}}\s*"
            rf"(?=[A-Z])(?!Photo|Images|Poll|File|FILE|Graphic|Video|PHOTO|News\s+[Aa]gency)"  # Aleppo SANA-Terrorists…
            rf"|\b(?P<byline>AFP|Reuters|AP)\s*,?\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+\d{{1,2}}\s+[A-Z][a-z]{{2}}"
        )
        # FA-KES: "… attacked their buses. Afp - The death toll …", the agency opening the body after the standfirst.
        self._opening_agency = _Deferred(
            r"(?P<name>AFP|Afp|Reuters|AP)\s+[-—–]{1,2}\s+(?=[A-Z][a-z]+\s)(?!Photo|Getty|File)"
        )  # (the sentence end before it is checked apart: a leading look-behind would make the regex slow)
        date = r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?,?\s*$"  # "BEIRUT August 21 (The Associated Press)"
        # (BuzzFeed-Webis drops a drop cap: "ashington (CNN)"; Sputnik: "DEIR EZ-ZOR (Syria) (Sputnik)".)
        self._place = _Deferred(
            rf"(?:[A-Za-z][\w.’'-]*(?:,?\s+[A-Z][\w.’'-]*){{0,3}}{date})?$|.*\b[A-Z]{{3,}}(?:\s+\([A-Z][a-z]+\))?{date}"
        )
        # A contributor line says so in one of these forms; a mere "Fox News contributor Ed Rollins" does not.
        self._contributed = _Deferred(
            r"(?:^|[;.]\s+)\W*(?:contribut(?:ing|ors?)\s*:|(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from)\b)"
            r"|\bcontributed\b(?:\s+(?:to\s+th(?:is|e)\s+(?:report|story|article)|reporting|this\s+\w+)|\.?$|\s+from\b)",
            re.IGNORECASE,
        )
        self._lead_in = _Deferred(
            r"^\W*(?:contribut(?:ing|ors?)\s*:|(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from))\s*",
            re.IGNORECASE,
        )
        # (also "(FRANCE 24 with AFP, AP)": the page's own name in capitals before "with")
        self._with = _Deferred(r"\(\s*(?:[A-Z][A-Z0-9]+(?:\s+[A-Z0-9]+){0,2}\s+)?[Ww]ith\s+(?P<list>[^()]{1,80})\)")
        # "This story was reported by The Associated Press." closing a story: the pooled-copy note in other words
        # (only names the tables know: "This story was reported by Jane Doe in Washington" names a person).
        # (a line of its own, or opening one: "This story was reported by The Associated Press. Editor's note: …")
        self._piece_by = _Deferred(
            rf"{_NOTE}This\s+{_PIECE}\s+(?:(?:was|has\s+been|is)\s+(?:jointly\s+)?"
            r"(?:(?:reported|written|produced|compiled|prepared|provided|supplied|filed)\s+by"
            r"|(?:reported|written|produced)\s+in\s+(?:partnership|collaboration)\s+with)"
            # "This story includes reporting from The Associated Press." (as "This report contains material from X")
            r"|(?:includes|contains|incorporates|uses)\s+(?:additional\s+)?(?:reporting|material|information)\s+(?:by|from))"
            r"\s+(?P<list>[^.;:()]{2,100}?)"
            r"\s*(?:[.)\]]+(?:\s|$)|$)"
        )
        # A bracketed list of the outlets a text was compiled from closing it: "… shelling the city. (Al-Masdar and
        # Sputnik)", before at most one word of page chrome ("MoreImage"); one name alone ("… (NYT)") is a cited report.
        self._closing_list = _Deferred(r"\((?P<list>[^()]{3,80})\)\s*(?:[A-Z][A-Za-z]{0,15})?\s*$")
        # More than one name: "(Al-Masdar and Sputnik)", "(Reuters, AFP)"; not "(NYT)" nor a photo credit "(AP/AFP)"
        self._listed = _Deferred(r"\s(?:and|&)\s|,")
        self._list_split = _Deferred(r",|\s+and\s+|\s*&\s*|/")
        self._and_agencies = _Deferred(rf"\b(?:Sources?|SOURCE)\s*:?\s*{name}\s+and\s+(?:other\s+)?agencies\b")
        # (not "… are livid (via Politico):" introducing a quoted passage, a cited report by the labels)
        # (a network's name before a channel number is a local station's, open_outlet's: "Source: ABC 13" is not ABC
        # News)
        # (nor is "Source: Independent Sentinel" The Independent: a known name must not run on into another word)
        station = r"(?!\s?\d|-TV|\s+[A-Z][a-z])"
        # (also an outlet's office: "(Source: Syrian Coalitions Media Office)", the possessive's apostrophe lost)
        office = r"['’]?s\s+(?:Media|Press|Information)\s+(?:Office|Department|Cent(?:er|re))\b"
        self._source = _Deferred(
            rf"(?:^|[.)\"”]\s+|\(\s*)(?:Sources?|SOURCE|Via|VIA|via)\s*:?\s*(?:[Tt]he\s+)?(?P<name>{alias})"
            rf"(?:{office}|(?![\w]){station})(?!\s*\)\s*:)"
        )
        # (also "ource: AFP", a line that lost its first letter in BuzzFeed-Webis)
        self._source_line = _Deferred(
            rf"^\W*(?:Sources?|SOURCE|Via|VIA|via|Courtesy(?: of)?|ources?(?=\s*:))\s*(?::|\s[–—-])?\s*{name}{station}"
        )
        self._hat_tip = _Deferred(rf"\b[Hh]/[Tt]:?\s+{name}{station}")
        # "As Written By LAWRENCE K. ALTMAN, M.D. for the New York Times:" (initials may hold periods, not a colon)
        self._written_for = _Deferred(rf"\b[Ww]ritten\s+[Bb]y\b[^:]{{1,80}}?\bfor\s+{name}")
        # "Sources: Miami Herald, USA Today / Photo credit: …"
        self._sources_list = _Deferred(r"^\W*(?:Sources?|SOURCES?|ources?)\s*:\s*(?P<list>[^/|]{1,120})")
        self._hat_tip_inline = _Deferred(rf"\(\s*[Hh]/[Tt]:?\s+{name}\s*\)")  # "… on July 23 (H/T Breitbart)."
        # "By Michael McAuliff and Lisa Gillespie, Kaiser Health News": only outlets that syndicate their stories, since
        # "By John Smith, Fox News" on Fox News' own page is staff, not a credit.
        self._syndicated_byline = _Deferred(
            r"^By\s+[^,]{2,80},\s*(?:The\s+)?(?P<name>Associated\s+Press|Reuters|AFP|Bloomberg\s+News|Kaiser\s+Health\s+News"
            r"|ProPublica|The\s+Conversation|Center\s+for\s+Public\s+Integrity|AP\b)"
            # "By Jill Colvin, Associated Press Writer", "By Julie Pace, AP White House Correspondent"
            r"(?:\s+(?:[A-Z][a-z]+\s+){0,2}(?:[Ww]riters?|[Cc]orrespondents?|[Rr]eporters?|[Ss]taff))?\s*$"
        )
        self._source_end = _Deferred(rf"\b(?:Sources?|SOURCE)\s*:?\s*{name}\W{{0,3}}$")
        self._closing = _Deferred(rf"(?:\s[-—–]{{1,2}}|[.”\"]\s*[-—–]{{1,2}})\s*{name}\W{{0,3}}$")
        # a lone "Reuters", "With Reuters" or "— The Associated Press" closing the story
        self._alone = _Deferred(rf"^(?:[-—–]{{1,2}}\s*)?(?:With\s+)?{name}\.?$")
        # "… is a sin”. THE NEW YORK TIMES", "… Partners Lp. Bloomberg": a name signing off the last paragraph
        # without the dash (an agency, or a known name in capitals: read by _sign_off)
        self._signed = _Deferred(rf"[.!?”\"’]\s+{name}\.?$")
        # "AP/AFP" as the last line: the agencies, slash-joined (not "ABC/wires": a broadcaster's, not a wire's)
        self._wire_pair = _Deferred(r"^[A-Za-z][A-Za-z .-]{0,20}(?:\s*/\s*[A-Za-z][A-Za-z .-]{0,20})+$")
        # "—Copyright the Associated Press" alone among the last lines (without the year and "All rights reserved"; the
        # word, not a bare "© Reuters", a photo's credit)
        self._copyright_line = _Deferred(
            r"^\W*(?:Copyright|COPYRIGHT)\s*(?:©\s*)?(?:\d{4}\s+)?(?:[Tt]he\s+)?"
            r"(?P<name>Associated\s+Press|Reuters|AFP|Agence\s+France-Presse)\W*$"
        )
        # Each tail rule with the substrings it cannot match without (skips the regex on most lines).
        self._tail_rules = [
            (self._source, ("ource", "OURCE", "via", "Via", "VIA"), True),  # (True: a "via X" an image may hold)
            (self._source_end, ("ource", "OURCE"), False),
            (self._hat_tip, ("/",), False),
        ]
        # Reprints and pooled copy: "This article originally appeared at The Daily Beast", "Material from Bloomberg
        # News and AFP was used in this report", "This report contains material from Reuters", "a reporting
        # partnership between NPR, WNPR and Kaiser Health News", "compiled from Associated Press material".
        self._reprint = _Deferred(
            rf"\b(?:[Oo]riginally|[Ff]irst)\s+(?:appeared|published|ran)\s+(?:on|in|at|by)\s+(?:the\s+website\s+of\s+)?{name}"
        )
        self._pooled = _Deferred(
            r"\b(?:[Ii]nformation|[Mm]aterial)\s+from\s+(?P<list>[^.]{1,120}?)\s+(?:was|were)\s+used\s+in\s+"
            r"(?:(?:compiling|preparing|writing)\s+)?this"  # "… was used in compiling this report"
            r"|\bcontains\s+material\s+from\s+(?P<list2>[^.]{1,120})"
            r"|\b(?:reporting\s+partnership\s+(?:between|with)|compiled\s+from)\s+(?P<list3>[^.]{1,120})"
        )
        # An aggregator's pointer to the story it excerpts: "Click for more from The Wall Street Journal", "Read the
        # rest of the story at Campus Reform", "Read more from The Los Angeles Times.", a line "From Fox News:"
        # introducing the quoted excerpt ("Via Fox News:" is _open_from's, which also takes the names the tables know).
        self._excerpt = _Deferred(
            rf"^(?:Click\s+(?:here\s+)?for\s+more\s+from|Read\s+the\s+[Rr]est\s+of\s+the\s+[Ss]tory\s+(?:at|on)"
            rf"|Read\s+more\s+from|From)"
            rf"\s+{name}\s*[.:…]?\s*$"
        )
        # "… last week. More from Fox News:" ending the line, or the excerpt run on after it in the same line ("…
        # coast to coast. More from The Hill: Many Americans find …")
        # (the run-on form only after a sentence end: a line opening "More from Fox News: <headline>" is site chrome)
        self._more_from = _Deferred(
            rf"(?P<after>(?<=[.!?”\"’)…]\s))?\bMore\s+from\s*{name}\s*:(?:\s*$|(?(after)\s+(?=[A-Z\"“])|(?!)))"
        )
        # "See an Associated Press story below.": the page runs the agency's story under its own lines
        self._see_below = _Deferred(
            rf"^See\s+(?:an?|the)\s+{name}\s+(?:story|update|report|article|video)\s+below\b"
        )
        self._agency_byline = _Deferred(  # also "By The Associated Press", "By Reuters Staff"
            r"^(?:By\s+)?(?P<name>(?:The\s+)?(?:Associated\s+Press|Reuters|Agence\s+France-Presse|AFP))(?:\s+[Ss]taff)?$"
        )
        # FA-KES Ahram pages: "Wednesday 27 Jul 2016 <the title again> AP Syrias state TV has raised the death toll…"
        self._agency_after_title = _Deferred(r"\s+(?P<name>AP|AFP|Reuters)\s+(?=[A-Z])")
        # The strongest forms, where an outlet no table knows may stand (open_outlet decides): a whole line
        # "Via X", "Source: X", "h/t X", "Reposted With Permission From X", "Please read the rest of the story at X",
        # "Read the rest … at Jeff Dunetz’s blog The Lid", "Click for more from X", "This story originally ran at X".
        self._open_line = _Deferred(
            rf"^\W*{_NOTE}(?:(?P<loose>(?:(?:Story|Article)\s+)?(?:Via|VIA|via)\b\s*:?|[Hh]/[Tt]\b\s*:?(?:\s+to\b)?"
            r"|[Hh]at[- ]?[Tt]ip(?:\s+to)?\b\s*:?)"
            # "Source: X", also "Source - X", "Source link: X"
            r"|(?P<source>(?:Sources?|SOURCE|ources?)(?:\s+(?:link|article|story))?(?:\s*:|\s+[–—-]))"
            rf"|(?P<reprint>(?:(?:This|The\s+following)\s+{_PIECE}\s+(?:was|is|has\s+been)\s+)?"
            r"(?:[Rr]eposted|[Rr]epublished|[Rr]eprinted|[Cc]ross-?posted|(?:Content\s+)?[Ss]yndicated(?=\s+from)"
            r"|(?:[Pp]ublished|[Uu]sed)(?=\s+with\s+permission))"
            r"\s+(?:here\s+)?(?:[Ww]ith\s+(?:the\s+)?(?:kind\s+)?[Pp]ermission\s+)?(?:[Ff]rom|[Bb]y|[Oo]f|[Aa]t))"
            r"|(?P<pointer>(?:Please\s+|(?:Click|Tap)\s+here\s+to\s+|You\s+can\s+)?[Rr]ead\s+"
            r"(?:the\s+(?:[Rr]est|[Ff]ull|[Ee]ntire|[Ww]hole|[Cc]omplete|[Oo]riginal)|it\s+all)\b"
            r"[^:]{0,60}?\s(?:(?:over\s+)?at|on|from))"  # "Read the full report from 9to5Mac.", "… over at X."
            r"(?:\s+(?:[A-Z]\S*\s+){0,2}\S+['’]s\s+(?:[Bb]log|[Ss]ite|[Ww]ebsite))?"
            rf"|(?:(?:(?:Click|Tap)\s+(?:here\s+)?to\s+)?[Rr]ead\s+more|(?:Continue|Keep)\s+reading(?:\s+(?:this|the)\s+{_PIECE})?"
            r"|Full\s+[Ss]tory"
            rf"|(?:See|View)\s+the\s+(?:full|entire|whole|complete|original)\s+{_PIECE})"
            r"\s+(?:over\s+)?(?:at|on)"  # "… at X"
            r"|(?P<more>Click\s+(?:here\s+)?for\s+more\s+from)"
            # "This column originally appeared at the Future of Freedom Foundation." (a reprint notice: REPRINT's names)
            rf"|(?P<first>(?:(?:(?:This|The\s+following|The|{_VERSION_OF})\s+{_PIECE}|Article|Story|Post|Column)\s+)?"
            r"(?:was\s+)?(?:(?:[Oo]riginally|[Ff]irst)\s+(?:appeared|published|posted|ran)"
            r"|(?:appeared|published|posted|ran)\s+originally)"  # also "This article appeared originally at X"
            r"\s+(?:on|in|at|by)(?:\s+the\s+website\s+of)?)"
            r"|(?:The\s+)?[Oo]riginal\s+(?:article|story|post)\s+(?:on|at|from)"  # "Original article on Space.com."
            # "Read more: WT" closing an excerpt; also the site's chrome before a related headline ("Read more: Trump
            # Signs …"), so only a name the tables know, a short form, a station or a domain (NAMED)
            r"|(?P<named>(?:Read|READ)\s+(?:[Mm]ore|MORE|the\s+(?:[Rr]est|[Ff]ull\s+(?:[Ss]tory|[Aa]rticle)|[Oo]riginal)"
            r"(?:\s+of\s+the\s+(?:[Ss]tory|[Aa]rticle))?)(?:\s+(?:here|at|on))?\s*:"
            r"|(?:Full|FULL|Original|ORIGINAL)\s+(?:[Ss]tory|[Aa]rticle|STORY|ARTICLE)\s*:))"
            r"\s+(?P<span>[^()\[\]]{1,70}?)(?:\s+under\s+a\s+Creative\s+Commons\s+[Ll]icen[cs]e"
            # "… originally appeared in X and is republished here with permission."
            r"|,?\s+(?:and\s+is\s+re(?:published|printed|posted)\s+(?:here\s+)?)?with\s+(?:the\s+)?(?:kind\s+)?permission)?"
            r"[\s.:…!)\]»›>]*$"  # "(Via Conservative Tribune)", "[Via X]", "Continue reading at X »"
        )
        # "Please go to Campus Reform to read the rest of the story": the name stands between the verb and the pointer.
        self._go_read = _Deferred(
            r"^\W*(?:Please\s+)?(?:[Gg]o|[Hh]ead|[Cc]ontinue)\s+(?:over\s+)?to\s+(?P<span>[^().,:]{1,60}?)\s+"
            r"(?:to\s+read|for)\s+(?:the\s+)?(?:rest|full|entire|whole|complete)\b"  # also "… for the full story"
            # "For more, head to THR.": the pointer alone on its line
            r"|^\W*For\s+more(?:\s+on\s+this(?:\s+story)?)?,?\s+(?:[Gg]o|[Hh]ead)\s+(?:over\s+)?to\s+(?:the\s+)?"
            r"(?P<alone>[A-Za-z0-9][^().,:]{0,40}?)\s*[.!]?$"
        )
        # "From Infowars:", "Via Infowars:" on a line of their own above the excerpt
        self._open_from = _Deferred(r"^(?:From|More\s+from|(?:Via|VIA|via)\s*:?)\s+(?P<span>[^():]{1,60}):\s*$")
        # The same notice opening a longer line: "This article was originally published on Pure Flix Insider. Visit …",
        # "This article is republished from The Conversation under a Creative Commons license. Read the original …"
        self._reprint_sentence = _Deferred(
            rf"^\W*{_NOTE}(?:(?:This|{_VERSION_OF})\s+{_PIECE}\s+)?(?:was\s+|is\s+|has\s+been\s+)?(?:(?:[Oo]riginally|[Ff]irst)\s+"
            r"(?:appeared|published|posted|ran)\s+(?:on|in|at|by)(?:\s+the\s+website\s+of)?"
            r"|(?:[Rr]eposted|[Rr]epublished|[Rr]eprinted)\s+(?:with\s+(?:the\s+)?permission\s+)?(?:from|of|by))"
            r"\s+(?P<span>[^()]{1,60}?)(?:\s+under\s+a\s+Creative\s+Commons\s+[Ll]icen[cs]e)?\.(?:\s+(?=[A-Z])|$)"
        )
        # "— X is the editor of the Washington Free Beacon, where this column first appeared."
        self._where_first = _Deferred(
            rf"(?P<span>(?:[A-Z][\w.&’'-]*\s+){{0,5}}[A-Z][\w.&’'-]*),\s+where\s+this\s+{_PIECE}\s+(?:was\s+)?"
            r"(?:first|originally)\s+(?:appeared|ran|published|posted)"
        )
        # "… And terrorism continues to grow. From Zero Hedge:", "… a mistake." More fromThe Media Line:" or "… Via the
        # Washington Examiner:" ending a paragraph line above the excerpt (a line of its own is _open_from's).
        self._from_end = _Deferred(
            r"(?:^|(?<=[.!?”\"’)…]\s))(?:More\s+from|From|Via|VIA)\s*(?:the\s+)?(?P<span>[A-Z][^.:!?()\"“”]{1,58}?)\s*:\s*$"
        )
        # "… by 66 points (via The Hill):" or "… I'm shocked (via NYT) [emphasis mine]:" above the excerpt: the
        # bracketed "Via X:" (counted by sample 11's labels, which the rules of 35e7d05 read as a cited report).
        self._via_bracket_end = _Deferred(  # also "… here's what they found (courtesy of Louder With Crowder):"
            r"\((?:via|Via|VIA|[Cc]ourtesy\s+of)\s+(?:the\s+)?(?P<span>[A-Z][^()\[\]:]{0,40}?)\s*\)"
            r"(?:\s*\[[^\[\]]{1,30}\])?\s*:\s*$"
        )
        # "(Via JewsNews) Quebec mayor gives …": the reposted story's source, bracketed, opening its first line.
        self._via_bracket_open = _Deferred(
            r"^\(\s*(?:via|Via|VIA)\s*:?\s+(?:the\s+)?(?P<span>[A-Z][^()\[\]:]{0,40}?)\s*\)\s+(?=\S)"
        )
        # An aggregator's byline above its excerpt: "BY: Jane Doe for Washington Free Beacon:", "As Written By Jane Doe
        # for the Houston Chronicles:" (the colon makes it the excerpt's, not the site's own byline).
        self._byline_for = _Deferred(
            r"^(?:As\s+)?(?:[Ww]ritten\s+)?(?:BY|By)\s*:?\s+[^:]{2,80}?\s+for\s+(?:the\s+)?(?P<span>[A-Z][^:]{1,60}?)\s*:\s*$"
        )
        # "Full Story Here:" above the excerpt's linked headline, which names the outlet: "<headline> | Fox News",
        # "<headline> – Houston Chronicle".
        self._full_story = _Deferred(
            r"^(?:Full\s+Story(?:\s+Here)?|Read\s+the\s+(?:full|entire|rest\s+of\s+the)\s+(?:story|article)(?:\s+here)?)"
            r"\s*[:.…]*$",
            re.IGNORECASE,
        )
        self._headline_outlet = _Deferred(r"\s[-–—|]\s*(?P<span>[^-–—|]{2,40}?)\s*$")
        # "Via X" or "h/t X" ending a paragraph line after its last sentence: the excerpt's credit (the whole-line
        # forms are _open_line's). Also after a closing quote the text garbled ("occur.â\x80\x9d Via The Hill").
        self._via_end = _Deferred(
            r"(?:[.!?…\"”’')\]]|[\x80-\x9f])[^\w\s]{0,3}\s+[(\[]?(?:Via|VIA|via|[Hh]/[Tt])\s*:?\s+"
            r"(?P<span>[A-Za-z0-9][^.!?()\[\]\"“”:|@]{0,58}?)[\s.!)\]]*$"
        )
        # A bracketed source note closing the last paragraph, one outlet or a list: "(Source: Syrian Coalition + Smart
        # News)", before at most one word of page chrome ("Twitter"); every item is read as in a Sources list.
        self._source_note = _Deferred(
            r"\(\s*(?:Sources?|SOURCES?|ources?)\s*:\s*(?P<list>[^()]{2,80})\)\s*(?:[A-Z][A-Za-z]{0,15})?\s*$"
        )
        self._source_items = _Deferred(r"\s*\+\s*|,|\s+and\s+|\s*&\s*|;")
        self._lone_source = _Deferred(r"^\W*(?:Sources?|SOURCES?|Via|VIA|[Hh]/[Tt])\s*:\s*$")
        self._open_hat_tip = _Deferred(r"\(\s*[Hh]/[Tt]:?\s+(?P<span>[^()]{1,60})\)")  # "(H/T The College Fix)"
        # "The Canadian Press, with files from the Winnipeg Free Press": the closing line of a Canadian wire story
        self._files_from = _Deferred(
            r"^(?:(?P<first>[A-Z][^,.;:()]{1,40}),\s+)?[Ww]ith\s+(?:a\s+)?files?\s+from\s+(?:the\s+)?(?P<span>[A-Z][^.;:()]{1,50}?)"
            r"\s*\.?$"
        )
        # "Additional reporting by Mashable staff.": "X staff" is an outlet; one word alone is too (a person has two)
        self._reporting_by = _Deferred(
            r"(?:^|(?<=[.!?]\s))(?:With\s+)?[Aa]dditional\s+reporting\s+by\s+(?:the\s+)?"
            r"(?P<span>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2}?)(?P<staff>\s+staff)?\s*(?:[.;]|$)"
        )
        # "(RNS) When Pope Francis …", "(Mashable) Reports that …": a name in brackets opening the story's first
        # lines, as the agencies' "(CNN) —" without the dash (one word: LOOSE, so not "(Update)", "(Video)")
        self._open_bracket = _Deferred(r"^\(\s*(?P<span>[A-Za-z][\w.]*(?:\s+[A-Z][\w.]*){0,3})\s*\)\s+(?=[A-Z][a-z])")
        # "(RealMoney) – The Obama administration…" after a place or opening the line, like the agencies' datelines.
        self._open_dateline = _Deferred(  # (also "GAZA CITY (Ma'an) --": an apostrophe inside a word)
            r"(?:^|(?<=[\s,]))\(\s*(?P<span>[A-Za-z][\w.]*(?:['’][a-z]+)?(?:\s+[A-Z][\w.]*){0,3})\)\s*[-—–]"
        )
        self._copyright = _Deferred(
            r"^(?:(?:©\s*)?copyright\s+(?:©\s*)?|©\s*|\(c\)\s*)\d{4}\s+"  # also "© 2016 The Associated Press. …"
            r"(?:the\s+)?(?P<name>associated press|reuters|afp)\b.*all rights reserved",
            re.IGNORECASE,
        )
        for attr, pattern in vars(self).items():
            if isinstance(pattern, _Deferred):
                pattern.bind(self, attr)

    def find(self, lines: list[str]) -> list[Credit]:
        """Credits in order of first evidence, one per canonical name."""
        content = [ln.strip() for ln in lines if ln.strip()]
        found: dict[str, Credit] = {}
        if not content:
            return []
        originals = _restore_openings(content)  # "ource: X" -> "Source: X"; evidence keeps the text's own line
        text = "\n".join(content)
        keys, ends = _key_lines(text, content)
        for raw_name, evidence in self._candidates(content, text, keys):
            canonical = self._known(raw_name)
            if canonical and canonical not in found:
                found[canonical] = Credit(canonical, originals.get(evidence, evidence)[:200])
        for span, evidence, how in self._open_candidates(content, text, keys, ends):
            name = self._known(span) or self._known_stem(span.strip().rstrip(".…!")) or open_outlet(span, how)
            if name:
                name = (
                    self._known(name)
                    or self._known(name.removeprefix("The "))
                    or self._known_stem(name)
                    or self._known_network(name)
                    or name
                )
            if name and name not in found:
                found[name] = Credit(name, originals.get(evidence, evidence)[:200])
        return list(found.values())

    @staticmethod
    def reads_same_edges(lines: list[str], other: list[str]) -> bool:
        """Whether two versions of a text (raw and cleaned) share the first and last non-blank lines these rules
        read, so that :meth:`find` would give both the same edge credits."""
        lines = [line for line in lines if line.strip()]
        other = [line for line in other if line.strip()]
        return lines[:_HEAD_LINES] == other[:_HEAD_LINES] and lines[-_OPEN_TAIL_LINES:] == other[-_OPEN_TAIL_LINES:]

    def from_author(self, author: str) -> list[Credit]:
        """Wire agencies named in a page's author metadata ("Reuters", "AFP; The Local"): the agency's byline, as
        "Jim Gomez / The Associated Press" in the text is (a network or a newspaper there is the site's own staff)."""
        found: dict[str, Credit] = {}
        for item in re.split(r"[;,|/]|\s+and\s+", author):
            name = self._known(item.strip().removeprefix("By ").removeprefix("The ").removesuffix(" Staff"))
            if name in _WIRES and name not in found:
                found[name] = Credit(name, f"author: {author.strip()}"[:200])
        return list(found.values())

    def _known(self, name: str) -> str | None:
        """Canonical name from publishers.json or CREDIT_ALIASES; None for a name neither knows."""
        return self.table.canonical(name) or self._credit_aliases.get(name.strip().casefold())

    def _known_list(self, listed: str) -> list[str]:
        """The names of a list ("The Associated Press and Reuters", "Al-Masdar and Sputnik", "Al Jazeera and agencies")
        when the tables know every item but unnamed wires; otherwise none: a list naming a person gives no credit."""
        items = [item.strip() for item in self._list_split.split(listed)]
        items = [item for item in items if item and item.lower() not in _UNNAMED_WIRES]
        names = [self._known(item.removeprefix("The ").removeprefix("the ")) for item in items]
        return names if names and all(names) else []  # type: ignore[return-value]

    def _known_stem(self, name: str) -> str | None:
        """A known outlet under a longer spelling: "Al Jazeera News" -> Al Jazeera, "Fox News Insider" -> Fox News,
        "Daily Mail UK" -> Daily Mail (a section or edition, not a second outlet beside the one the line names)."""
        for suffix in _EDITIONS:
            if name.endswith(suffix):
                return self._known(name.removesuffix(suffix)) or self._known_stem(name.removesuffix(suffix))
        office = _OFFICE.fullmatch(name) if "Media" in name or "Press" in name or "Information" in name else None
        return self._known(office.group(1)) if office else None  # "Syrian Coalitions Media Office"

    def _known_network(self, name: str) -> str | None:
        """A known network's show or desk that is no local station: "CBS Evening News" -> CBS News."""
        first = name.split(maxsplit=1)[0]
        return self._known(first) if first.isupper() and " " in name and not _STATION.fullmatch(name) else None

    def _open_candidates(
        self, content: list[str], text: str, keys: list[int], ends: list[int]
    ) -> Iterator[tuple[str, str, int]]:
        """(span, evidence line, how much the form vouches for an outlet) from the strongest credit forms."""
        for index in ends:  # "… take a little while for that to occur.” Via The Hill" ending an excerpt paragraph
            line = content[index]
            match = self._via_end.search(line, max(0, len(line) - 90))
            if match and not _photo_via(line, match):
                yield match.group("span"), line, LOOSE
        opening = "\n".join(line[:_HEAD_CHARS] for line in content[:_HEAD_LINES])
        for line in content[:_HEAD_LINES] if _BRACKET_DASH.search(opening) else ():
            head = line[:_HEAD_CHARS]
            if ")" in head:
                for match in self._open_dateline.finditer(head):
                    span = match.group("span")
                    if span in CREDIT_ALIASES:  # FA-KES: "… says a UK-based monitoring group. (presstv) - "At least …"
                        yield span, line, DATELINE
                    # An outlet the table knows that is no wire: "WASHINGTON (Fox News) -" (wires are _datelines')
                    elif (
                        span not in DATELINE_AGENCIES and self._known(span) and self._place.match(head[: match.start()])
                    ):
                        yield span, line, DATELINE
                    # Known agencies are _datelines' business (it also skips embedded tweets).
                    elif not self._known(span) and self._place.match(head[: match.start()]):
                        yield span, line, NORMAL if span.startswith("The ") else DATELINE
        yield from self._edge_lines(content)
        for line in content[:_EDGE_HEAD]:
            if line[0] == "(":
                match = self._open_bracket.match(line)
                if match and not self._known(match.group("span")):  # (a known agency's is _datelines')
                    span = match.group("span")  # (one word of capitals only as short as an acronym: not "(DETROIT)")
                    if " " in span or not span.isupper() or len(span) <= 5:
                        yield span, line, LOOSE if " " not in span else DATELINE
            if line[:4] in ("(Via", "(via", "(VIA"):
                match = self._via_bracket_open.match(line)
                if match:
                    yield match.group("span"), line, LOOSE
        yield from self._closing_forms(content, text)
        for line in content[-_TAIL_LINES:]:  # "… (Source: Syrian Coalition + Smart News) Twitter" closing the text
            if ")" in line[-20:] and "ource" in line[-100:]:
                match = self._source_note.search(line, max(0, len(line) - 100))
                for item in self._source_items.split(match.group("list")) if match else ():
                    if item.strip().lower() not in _UNNAMED_WIRES:
                        yield item, line, STRICT
        for index, line in enumerate(content[:_HEAD_LINES]):  # an aggregator's introduction: "… From Zero Hedge:"
            if line[-1] == ":" and not _related_links(content, index):
                yield from self._excerpt_intro(line)
        for index in keys:  # lines holding "h/t", "more from" or opening "From "
            line = content[index]
            if line[-1] == ":" and len(line) <= 80 and line.startswith(("From ", "More from ", "Via", "VIA", "via")):
                match = None if _related_links(content, index) else self._open_from.match(line)
                if match:
                    yield match.group("span"), line, LOOSE
            elif "(H/" in line or "(h/" in line:
                for match in self._open_hat_tip.finditer(line):  # LOOSE when it closes the line
                    yield match.group("span"), line, LOOSE if not line[match.end() :].strip(" .") else NORMAL
            if "where this" in line:  # "… the editor of the Free Beacon, where this column first appeared."
                for match in self._where_first.finditer(line):
                    yield match.group("span"), line, NORMAL

    def _closing_forms(self, content: list[str], text: str) -> Iterator[tuple[str, str, int]]:
        """Open-name forms of a story's close, as blogs and aggregators write them: bracketed name tags, tracker
        links, a last line of names ("- WA Today", "The Sunday Times"), "with files from", a closing link."""
        for line in content[-_TAIL_LINES:]:
            if line[-1] == "]":
                tag = _BRACKET_TAG.search(line, max(0, len(line) - 45))
                span = tag.group("span") if tag else ""
                # (one word of capitals only when a table knows it, "[FOX]", "[BBC]": "[CUSTOM]" is a template's)
                if span and (not span.isupper() or self._known(span) or span in ABBREVIATIONS):
                    yield span, line, LOOSE
            if "reporting by" in line:
                for match in self._reporting_by.finditer(line):
                    yield match.group("span"), line, REPRINT if match.group("staff") else LOOSE
            if "files from" in line or "file from" in line:
                match = self._files_from.match(line)
                if match:
                    yield from ((span, line, NORMAL) for span in match.group("first", "span") if span)
            if line[:4] in ("Read", "READ", "See ", "SEE ", "(Exc") or line[:1] in _BULLETS:
                link = _LINK_POINTER.match(line) if len(line) <= 300 else None
                if link:
                    yield link.group("host"), line, NAMED
        if "#ixzz" in text or "#sthash" in text:
            # A tracker's link in the last lines, or higher up in its own "Read more: …" line or copyright notice (the
            # FT's); not in a tweet or a related headline quoted mid-text.
            tail_from = len(content) - _TAIL_LINES
            for index, line in enumerate(content):
                if ("#ixzz" in line or "#sthash" in line) and (
                    index >= tail_from or line.startswith(("Read more", "Read More")) or "Copyright" in line
                ):
                    yield from ((link.group("host"), line, NAMED) for link in _TRACKED_LINK.finditer(line))
        last = content[-1]
        names = _CLOSING_NAMES.match(last) if len(content) > 2 and len(last) <= 80 else None
        if names and names.group("one"):
            yield names.group("one"), last, NORMAL
        elif names:
            items = [item.strip() for item in names.group("list").split(",")]
            if all(self._known(item) or open_outlet(item, NORMAL) for item in items):  # a person in it: none
                yield from ((item, last, NORMAL) for item in items)
        tag_like = len(last) <= 40 and last[-1:] in "]sS" and not last.startswith(("Source", "Via", "h/t"))
        if len(content) > 2 and tag_like:
            # "The Sunday Times" or "[The Boston Globe]" alone closing the text: a name tag under the story
            match = _NAME_TAG.fullmatch(last)
            if match:
                yield match.group("span"), last, NORMAL

    def _edge_lines(self, content: list[str]) -> Iterator[tuple[str, str, int]]:
        """Open-name forms of the first three and last six lines: reprint notes, source lines, pointers."""
        tail_from = max(1, len(content) - _OPEN_TAIL_LINES)
        for index in [*range(min(_EDGE_HEAD, tail_from)), *range(tail_from, len(content))]:
            line = content[index]
            if len(line) <= 160:
                yield from self._short_edge_line(content, index, tail_from)
            elif line[0] in _REPRINT_FIRST and line.lstrip(_BULLETS).startswith(_REPRINT_OPENINGS):  # "This article …"
                match = self._reprint_sentence.match(line)
                if match:
                    yield match.group("span"), line, LOOSE
            elif index >= tail_from and "to read" in line[:120]:  # "Head to io9 to read the rest of … Other than …"
                yield from self._go_read_pointer(line)

    def _go_read_pointer(self, line: str) -> Iterator[tuple[str, str, int]]:
        """ "Please go to Campus Reform to read the rest of the story", "For more, head to THR." (LOOSE: a whole line
        pointing to one name)."""
        match = self._go_read.match(line)
        if match:
            yield (match.group("alone"), line, LOOSE) if match.group("alone") else (match.group("span"), line, NORMAL)

    def _short_edge_line(self, content: list[str], index: int, tail_from: int) -> Iterator[tuple[str, str, int]]:
        """The forms that make up a whole short line at the edges ("Via X", "Sources: X, Y", "Full Story Here:")."""
        line = content[index]
        match = self._open_line.match(line)
        # "Via X", "h/t X", "Source: X" and "Read more: X" only close a story; reprint notes may also open it.
        closing = match and (match.group("loose") or match.group("source") or match.group("named"))
        via = bool(match and match.group("loose") and "via" in match.group("loose").lower())
        # "via Daily Buzz Live", "Source: Bleeding Cool" as the first line: the blog names its source up front (not
        # "h/t X", often a person's, nor "Read more: X", chrome before a related headline)
        opening = index == 0 and len(line) <= 60 and (via or bool(match and match.group("source")))
        last_two = index >= len(content) - _CLOSING_SOURCE  # a closing Sources line: its one-word names are outlets
        if match and (index >= tail_from or not closing or opening):
            # "(Source: The Lid)" in brackets is a note on the story; a bare "Source: X" may sit under a chart, but
            # closing the story ("Source: 9to5Mac", "SOURCE: INFORM") it is the blog's credit line
            at_edge = last_two or opening
            source = NORMAL if line[0] in "([" else LOOSE if at_edge else STRICT
            if source == LOOSE and match.group("span").strip().isupper():  # "Source: WHO": an agency, not an outlet
                source = STRICT
            span = match.group("span")
            how = source if match.group("source") else REPRINT if match.group("reprint") else NORMAL
            if match.group("pointer"):  # "Read the whole story at Uproxx": a pointer to the story's outlet
                how = LOOSE
            if match.group("more"):  # "Click for more from the Chosun Ilbo.": the outlet excerpted above
                how = REPRINT
            if match.group("loose"):
                how = LOOSE
                if "/" in span or "," in span:  # "[h/t Esquire / Jezebel]", "[h/t Metro, Photo: News.com.au]"
                    # (each item a name; "Photo: X" is a photo credit; "Via Yahoo News, she explains:" is a sentence
                    # citing a report, not a list)
                    items = re.split(r"\s+/\s+|,\s*", span)
                    if all(item[:1].isupper() for item in items):
                        yield from ((item, line, LOOSE) for item in items if ":" not in item)
                    span = ""
            if how == LOOSE and opening and 2 <= len(span.split()) <= 3:
                # "via Daily Buzz Live" or "Source: Bleeding Cool" opening the text names an outlet; elsewhere two words
                # still need an outlet word ("Via John Smith:" above a quote, a chart's closing "Source: Exxon Mobil")
                how = REPRINT
            if match.group("named"):
                how = NAMED
            elif match.group("first"):  # a reprint notice; one word may be "Spanish" (ONE_WORD_NOT_OUTLETS)
                span = span.split(". ", 1)[0]  # "… at Bellingcat. Copyright 2014. Follow Bellingcat on Twitter."
                how = REPRINT if " " in span.strip() else LOOSE
            if span:
                yield span, line, how
        elif "to read" in line or "for the " in line or line.startswith("For more"):
            yield from self._go_read_pointer(line)
        elif line[0] in _REPRINT_FIRST and line.lstrip(_BULLETS).startswith(_REPRINT_OPENINGS):
            match = self._reprint_sentence.match(line)
            if match:  # "This article originally appeared at Bellingcat. Copyright 2014." (not "… in Spanish.")
                yield match.group("span"), line, LOOSE
        if len(line) <= 12 and index >= tail_from and index + 1 < len(content) and len(content[index + 1]) <= 40:
            # "Source:" / "Via:" alone, the name (a link on the page) on the next line
            if self._lone_source.match(line):
                yield content[index + 1], content[index + 1], STRICT
        listed = self._sources_list.match(line) if "ource" in line[:20] else None
        list_level = LOOSE if last_two else STRICT  # "Sources: Metro, Daily Mirror"
        for item in listed.group("list").split(",") if listed else ():
            # (a local station, "ABC 6", keeps its name: not ABC News; in a closing list a camel-case or all-capitals
            # word stays STRICT: "Sources: The Denver Post, CenturyLink, BET" names a company, "NIH" an agency)
            word = item.strip()
            yield item, line, STRICT if _camel(word) or word.isupper() else list_level
        if len(line) <= 40 and index >= tail_from and index + 1 < len(content) and self._full_story.match(line):
            headline = content[index + 1]
            match = self._headline_outlet.search(headline, max(0, len(headline) - 60)) if len(headline) <= 200 else None
            if match:
                yield match.group("span"), headline, NORMAL

    def _excerpt_intro(self, line: str) -> Iterator[tuple[str, str, int]]:
        """An outlet introducing the excerpt below, at the end of a paragraph line or in a byline ending in a colon."""
        end = line[-75:]
        if "rom" in end or "Via" in end or "VIA" in end:
            match = self._from_end.search(line, max(0, len(line) - 75))
            if match:
                yield match.group("span"), line, NORMAL
        if "(via" in end or "(Via" in end or "(VIA" in end or "ourtesy of" in end:
            match = self._via_bracket_end.search(line, max(0, len(line) - 75))
            if match:
                yield match.group("span"), line, NORMAL
        if len(line) <= 160 and line[:2] in ("BY", "By", "As", "Wr"):
            match = self._byline_for.match(line)
            if match:
                yield match.group("span"), line, NORMAL

    def _candidates(self, content: list[str], text: str, keys: list[int]) -> Iterator[tuple[str, str]]:
        for line in content[:_HEAD_LINES]:
            yield from self._datelines(line)
            # "Jim Gomez" / "The Associated Press", or "By The Associated Press"
            byline = self._agency_byline.match(line) if len(line) <= 30 else None
            if byline:
                yield byline.group("name"), line
            if line.startswith("By ") and len(line) <= 120:
                for match in self._syndicated_byline.finditer(line):
                    yield match.group("name"), line
        if len(content) > 1:
            yield from self._after_title(content[0], content[1])
        if "\nSee " in text and "below" in text:
            for line in content:
                match = self._see_below.match(line) if line[:4] == "See " and len(line) <= 80 else None
                if match:
                    yield match.group("name"), line
        for index in keys:
            yield from self._body_line(content[index], _related_links(content, index))
        if "agencies" in text:  # FA-KES pages: "… Source TRTWorld and agencies Related News …" mid-line
            for line in content:
                for match in self._and_agencies.finditer(line):
                    yield match.group("name"), line
        # The title is no closing credit: "… - Region - World - Ahram Online" names the site itself.
        tail = content[-_TAIL_LINES:] if len(content) > _TAIL_LINES else content[1:] or content
        for line in tail:
            yield from self._tail_line(line)
        yield from self._closing_notes(tail)
        yield from self._closing_credit(tail, content)
        yield from self._sign_off(tail, content)

    def _datelines(self, line: str) -> Iterator[tuple[str, str]]:
        """Agency datelines; "(AFP)" closing a caption ("… October 5 2017. (AFP) Russian air strikes") is not one."""
        head = line[:_HEAD_CHARS]
        if len(line) <= 400 and ("twitter" in line or "(@" in line) and _TWEET.search(line):
            return
        if ")" in head and self._wire_cue.search(head):
            for match in self._bracketed.finditer(head):
                if match.group("dash") or self._place.match(head[: match.start()]):
                    yield match.group("name"), line
            if head[0] != "(" and ")" in head[:40]:
                match = self._lost_bracket.match(head)
                if match:
                    yield match.group("name"), line
        if ")" in head[:20] and head[0] != "(":  # "NN)The senator …": more of the agency's name lost
            lost = self._lost_start.match(head)
            if lost and lost.group(1) in _WIRE_ENDINGS:
                yield _WIRE_ENDINGS[lost.group(1)], line
        if self._bare_cue.search(head):
            for match in self._dateline.finditer(head):
                yield match.group("bare") or match.group("byline"), line
        if ("AP" in head or "Afp" in head or "Reuters" in head) and (" - " in head or " — " in head or " – " in head):
            for match in self._opening_agency.finditer(head):
                if _SENTENCE_BEFORE.search(head, max(0, match.start() - 4), match.start()):
                    yield match.group("name"), line

    def _after_title(self, title: str, line: str) -> Iterator[tuple[str, str]]:
        """An agency named right after the headline repeated at the top of the body (Ahram's FA-KES pages)."""
        at = line.find(title, 0, 120) if len(title) >= 20 else -1
        if at >= 0:
            match = self._agency_after_title.match(line, at + len(title))
            if match:
                yield match.group("name"), line

    def _tail_line(self, line: str) -> Iterator[tuple[str, str]]:
        end = line[-_TAIL_CHARS:]
        for pattern, keys, via in self._tail_rules:
            if any(key in end for key in keys):
                for match in pattern.finditer(end):  # (not an image's "[Image: … via X]"; its "h/t X" is the story's)
                    if not (via and _photo_via(end, match)):
                        yield match.group("name"), line
        if "(" in end:
            for match in self._with.finditer(end):  # "(With AFP and Reuters)", FA-KES "(With AP Reuters and AFP)"
                for named in self._name.finditer(match.group("list")):
                    yield named.group("name"), line
        match = self._source_line.search(line) or self._alone.search(line)
        if match and len(line) <= 80:
            yield match.group("name"), line
        if len(line) <= 160 and "ource" in line[:20]:
            listed = self._sources_list.match(line)
            for named in self._name.finditer(listed.group("list")) if listed else ():
                # "ABC 6" is a local station, "Independent Sentinel" no The Independent (open_outlet's, both)
                after = listed.group("list")[named.end() : named.end() + 3]
                if not after.lstrip()[:1].isdigit() and not (after[:1].isspace() and after[1:2].isupper()):
                    yield named.group("name"), line

    def _closing_notes(self, tail: list[str]) -> Iterator[tuple[str, str]]:
        """ "This story was reported by The Associated Press.", "… (Al-Masdar and Sputnik)" closing the text."""
        for line in tail:
            if line[0] in _NOTE_FIRST and line.lstrip(_BULLETS + "([").startswith(_NOTE_OPENINGS):
                match = self._piece_by.match(line.lstrip(_BULLETS + "(["))
                for name in self._known_list(match.group("list")) if match else ():
                    yield name, line
            if ")" in line[-20:]:
                match = self._closing_list.search(line, max(0, len(line) - 100))
                listed = match.group("list") if match else ""
                for name in self._known_list(listed) if self._listed.search(listed) and "/" not in listed else ():
                    yield name, line

    def _body_line(self, line: str, related: bool = False) -> Iterator[tuple[str, str]]:
        lower = line[:400].lower()
        if len(line) <= 400 and ("contribut" in lower or "reporting" in lower) and self._contributed.search(line):
            yield from self._contributors(line)
        if "material" in lower or "information from" in lower or "partnership" in lower or "compiled" in lower:
            for match in self._pooled.finditer(line):
                for named in self._name.finditer(match.group("list") or match.group("list2") or match.group("list3")):
                    yield named.group("name"), line
        if "originally" in lower or "first published" in lower:
            for match in self._reprint.finditer(line):
                yield match.group("name"), line
        if "h/t" in lower:
            for match in self._hat_tip_inline.finditer(line):
                yield match.group("name"), line
        if "ore from" in line and not related:  # anywhere in the line: "More from X:" may follow a long paragraph
            for match in self._more_from.finditer(line):
                yield match.group("name"), line
        if len(line) <= 120 and lower.startswith(("click", "read the rest", "read more from", "from ")):
            match = self._excerpt.search(line)
            if match:
                yield match.group("name"), line
        if lower.startswith(("copyright", "©", "(c) ")):  # "© 2016 The Associated Press. All rights reserved."
            match = self._copyright.search(line)
            if match:
                yield match.group("name"), line
        if "ritten" in lower:
            for match in self._written_for.finditer(line[:300]):
                yield match.group("name"), line
        # The Daily Caller News Foundation's syndication notice on another outlet's page: on its own pages the notice
        # ends with the licensing address in full, on the copies other sites serve it is obfuscated
        # ("[email protected]").
        if "news foundation is available" in lower and "dailycallernewsfoundation" not in line:
            yield "Daily Caller News Foundation", line

    def _contributors(self, line: str) -> Iterator[tuple[str, str]]:
        """Outlets credited as such in a contributor sentence — not "CNN's Jim Acosta" nor "Grace Hauck, USA TODAY",
        nor "CBS RADIO" in the copyright sentence before "The Associated Press contributed to this report"."""
        for sentence in _SENTENCE_END.split(line):
            if not self._contributed.search(sentence):
                continue
            for part in re.split(r";|\s+and\s+|\s*&\s*", sentence):
                match = self._name_start.search(self._lead_in.sub("", part))
                if match and not match.group("own"):
                    yield match.group("name"), line

    def _closing_credit(self, tail: list[str], content: list[str]) -> Iterator[tuple[str, str]]:
        """A credit ending the last paragraph, "… said. — Al Jazeera" or "… --Reuters" (not a caption or headline)."""
        if len(content) < 2 and len(content[0]) < 300:
            return
        for line in tail:
            if len(line) < 80 or content.count(line) > 1:
                continue
            match = self._closing.search(line, max(0, len(line) - 80))  # it ends the line: read only the end
            if match:
                yield match.group("name"), line

    def _sign_off(self, tail: list[str], content: list[str]) -> Iterator[tuple[str, str]]:
        """Agencies signing off the story without a dash: "AP/AFP" as the last line, "—Copyright the Associated Press"
        among the last lines, "… said. Bloomberg" or "… THE NEW YORK TIMES" ending the last paragraph."""
        last = content[-1]
        if len(content) > 2 and len(last) <= 40 and "/" in last and self._wire_pair.match(last):
            items = [item.strip() for item in last.split("/")]
            if all(item in DATELINE_AGENCIES or item.lower() in _UNNAMED_WIRES for item in items):
                yield from ((item, last) for item in items if item in DATELINE_AGENCIES)
        for line in tail:
            if len(line) <= 60 and "OPYRIGHT" in line.upper():
                match = self._copyright_line.match(line)
                if match:
                    yield match.group("name"), line
        if len(last) >= 80 and (len(content) > 1 or len(last) >= 300):
            match = self._signed.search(last, max(0, len(last) - 40))
            name = match.group("name") if match else ""
            if name in DATELINE_AGENCIES or (name.isupper() and " " in name):
                yield name, last


def _related_links(content: list[str], index: int) -> bool:
    """Whether the line at ``index`` heads a list of related headlines closing the text ("More from The Washington
    Post:" above three short lines without a full stop): site chrome, not an excerpt's introduction."""
    if content[index][-1] != ":" or index + 2 >= len(content):
        return False
    return all(len(line) <= 90 and line[-1] not in ".!?\"”’…:" for line in content[index + 1 :])


def _key_lines(text: str, content: list[str]) -> tuple[list[int], list[int]]:
    """Indices of the lines that may hold a body-line credit (``text`` is ``content`` joined by newlines), and of those
    whose last 70 characters hold "via" or "h/t" after a space or a bracket (a credit ending an excerpt paragraph).

    A few str.find calls over the lower-cased text instead of testing every line: most articles hold no key.
    """
    lowered = text.lower()
    head_end = sum(len(line) + 1 for line in content[:_EDGE_HEAD])
    last = max(0, len(text) - sum(len(line) + 1 for line in content[-_EDGE_TAIL:]))
    tail_start = max(head_end, last)
    searches = [(key, 0, len(text)) for key in _BODY_KEYS]
    searches += [(key, start, end) for key in _EDGE_KEYS for start, end in ((0, head_end), (tail_start, len(text)))]
    searches += [(key, last, len(text)) for key in _TAIL_KEYS]
    hits: list[int] = []
    ends: list[int] = []
    for key, start, end in searches:
        at = lowered.find(key, start, end)
        while at != -1:
            if key[0] == "v":  # "Via X" opening a line is a key line; "… Via X" ending one an end line
                if at and lowered[at - 1] == "\n" and lowered[at + 3 : at + 4] == " ":
                    hits.append(at)
                elif _ends_line(lowered, at):
                    ends.append(at)
            else:
                hits.append(at + 1 if key[0] == "\n" else at)
                if key == "h/t" and _ends_line(lowered, at):
                    ends.append(at)
            at = lowered.find(key, at + 1, end)
    if not hits and not ends:
        return [], []
    starts = list(accumulate((len(line) + 1 for line in content[:-1]), initial=0))
    return sorted({bisect_right(starts, at) - 1 for at in hits}), sorted({bisect_right(starts, at) - 1 for at in ends})


def _ends_line(lowered: str, at: int) -> bool:
    """A "via" or "h/t" at ``at`` stands as a word after a space or a bracket among its line's last 70 characters."""
    if not at or lowered[at - 1] not in " ([" or lowered[at + 3 : at + 4] not in (" ", ":"):
        return False
    line_end = lowered.find("\n", at, at + 71)
    return line_end != -1 or len(lowered) - at <= 70


#: Credit openings whose first letter BuzzFeed-Webis lost with a paragraph's drop cap ("ource: ABC 13", "ia The
#: Hill", "ead more: WT"), each with the letter it lost; none is an English word's start that could be meant.
_LOST_OPENINGS = {
    "ource": "S", "OURCE": "S", "ia ": "V", "ia:": "V", "/t ": "h", "/t:": "h", "/T ": "H", "/T:": "H",
    "ead more": "R", "ead More": "R", "ead the rest": "R", "ead the full": "R", "ead it all": "R", "at tip": "H",
    "at-tip": "H", "rom ": "F", "ore from ": "M", "riginally ": "O", "eposted ": "R", "epublished ": "R",
    "eprinted ": "R", "ross-posted": "C", "ontinue reading": "C", "lick for more": "C", "lick here to read": "C",
    "ull story": "F", "ditor's note": "E", "ditor’s note": "E", "aterial from": "M", "nformation from": "I",
    "dditional reporting": "A", "ontributing:": "C", "his article": "T", "his story": "T", "his post": "T",
    "his column": "T", "his piece": "T", "his report": "T",
}  # fmt: skip
_LOST_FIRST = frozenset(key[0] for key in _LOST_OPENINGS)
_LOST_STARTS = tuple(_LOST_OPENINGS)


def _restore_openings(content: list[str]) -> dict[str, str]:
    """Give back in place the first letter a credit line's opening lost ("ource: X" -> "Source: X") and the characters
    a wrong decoding garbled, in the opening and closing lines, where such lines stand; returns each restored line's
    original text, so the evidence quotes the text as it is."""
    originals = {}
    count = len(content)
    edges = _HEAD_LINES + _OPEN_TAIL_LINES
    for index in range(count) if count <= edges else (*range(_HEAD_LINES), *range(count - _OPEN_TAIL_LINES, count)):
        line = content[index]
        if "â" in line or "Â" in line:  # UTF-8 read as Latin-1: "Source:Â ABC 13", "occur.â\x80\x9d Via The Hill"
            fixed = _unmangle(line)
            if fixed != line and fixed:
                content[index], originals[fixed], line = fixed, line, fixed
        if line[0] in _LOST_FIRST and line.startswith(_LOST_STARTS):
            opening = next(key for key in _LOST_OPENINGS if line.startswith(key))
            content[index] = _LOST_OPENINGS[opening] + line
            originals[content[index]] = originals.get(line, line)
    return originals


def _unmangle(line: str) -> str:
    """A line whose UTF-8 bytes were read as Windows-1252 or Latin-1, decoded again; unchanged when it is not one."""
    for encoding in ("cp1252", "latin-1"):
        try:
            return line.encode(encoding).decode("utf-8").strip()
        except UnicodeError:
            continue
    return line
