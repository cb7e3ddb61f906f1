"""Line rules: which lines of a scraped page are not the article, and why.

Each rule is (reason, pattern) and is matched against one whole line (bullets stripped). The
reason is what editors see in the "Removed from the original" block. Every pattern has a test
in tests/test_clean.py (`RULE_EXAMPLES`) with a line it must drop; body lines that must survive
are tested there too. Rules look at whole lines only: a real paragraph that merely mentions
"Getty" or "Twitter" is never cut in the middle.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Picture agencies and wires that appear at the end of photo credits ("-/Kremlin/dpa").
_AGENCIES = (r"dpa|AP|AFP|Reuters|EPA|EPA-EFE|Getty Images|Getty|Bloomberg|Xinhua|TASS|Sputnik|"
             r"Shutterstock|Alamy|PA|PA Wire|Pool|Anadolu|Anadolu Agency|NurPhoto|SIPA|Rex|"
             r"Rex Features|WireImage|Storyful|Handout|Kyodo|Yonhap|UPI|ZUMA|ZUMA Wire|"
             r"picture alliance|AAP|Keystone|ANP|ANSA|IMAGO|imago|Ria Novosti|RIA Novosti")

_RULE_TABLE: tuple[tuple[str, str, int], ...] = (
    # Icon fonts and widget labels flattened into one line ("bookmarkicon cameraicon ...").
    ("icon and widget list", r"^(?=(?:.*?icon\b){4})", _I),
    ("widget error text", r"^(?:oops!?|something went wrong\.?|please try again later\.?)$", _I),
    ("widget error text", r"^oops!?\s+something went wrong", _I),
    ("widget error text", r"^(?=.{0,100}$)(?:an error (?:has )?occurred|something went wrong)\b.*\btry again\b", _I),
    # Before the captions: a copyright line may carry a © too.
    ("copyright notice", r"^Copyright\s+(?:©|\(c\)|\d{4})|\bAll rights reserved\b|^This copy is for your personal\b|"
                         r"\bmay not be published, broadcast, rewritten\b", _I),
    # Photo captions and credits.
    ("photo caption", r"^file(?: photo)?\s*(?::|-|–|—)\s", _I),
    ("photo caption", r"^(?=.{0,400}$).*©", 0),
    ("photo caption", r"\bvia (?:Getty Images|Storyful|Shutterstock|Reuters|AP|AFP|Twitter|Instagram)\)?\.?$", 0),
    ("photo caption", r"\((?:Photo|Image|Picture|Credit)s?:[^()]+\)\.?$", _I),
    ("photo caption", r"\[Photo(?:/[^\]]+)?\]\.?$", _I),
    ("photo caption", r"\b(?:Photograph|Photographer|Photo|Picture|Image|Credit)s?:\s*[A-Z][^.!?]{1,80}$", 0),
    ("photo caption", r"(?:^|\s)-?/?(?:[A-Z][\w.'’&-]*\s?){0,4}/(?:" + _AGENCIES + r")\)?\.?$", 0),
    ("photo caption", r"\((?:[A-Z][\w.'’-]*\s?){1,4}/(?:[A-Z][\w.'’-]*\s?){1,4}\)\.?$", 0),
    ("photo caption", r"\((?:" + _AGENCIES + r")(?:/File)?\)\.?$", 0),
    ("photo caption", r"^(?:" + _AGENCIES + r")(?: Images)?\s+-\s+(?:Contributor|Getty|AFP|Reuters)\b", 0),
    ("photo caption", r"^(?:GETTY|Getty Images)\s+[A-Z]", 0),
    # A credit in front of a caption that has no final period: "Reuters A man walks past ...",
    # "Jo Roe / AFP Crowds gather ...", "AP:Associated Press Tensions rise ...".
    ("photo caption", r"^(?=(?:\S+\s+){2,45}\S+$)(?:[A-Z][\w.'’-]*\s?){0,4}(?:[/•:]\s?)?(?:" + _AGENCIES +
                      r"|Associated Press|Splash News)\s+(?:[A-Z][\w.'’-]*\s?){0,3}(?:/\s?(?:" + _AGENCIES +
                      r")\s+)?[A-Z\"“‘'][^\n]*(?<![.!?\"”’:])$", 0),
    ("photo caption", r"^(?:[A-Z][\w.'’-]*\s?){1,3}/(?:[A-Z][\w.'’-]*\s?){1,4}$", 0),
    ("photo caption", r"\bImage (?:copyright|caption)\b", 0),
    ("photo caption", r"^Enlarge (?:this )?image\b|\btoggle caption\b", _I),
    ("photo caption", r"^\((?:Courtesy of|Photo by|Image:)[^()]+\)$", _I),
    ("photo caption", r"^Facebook Twitter Pinterest\b", 0),
    ("gallery slide caption", r"\bHide Caption \d+ of \d+$", _I),
    ("gallery slide caption", r"^Photos?:\s.*\bHide Caption\b", _I),
    ("gallery slide caption", r"\bPlay slideshow\b|^Slideshow \(\d+ Images?\)$|\b\d+ of \d+ Full Screen\b", _I),
    ("gallery slide caption", r"^\d{1,3}/\d{1,3}\s+[A-Z][^.!?]{0,200}(?<![.!?])$|^\+?\s?show all\b", 0),
    ("media placeholder", r"^(?:Photo|Photos|Video|Videos|Image|Images|Gallery|Audio|Graphic|Watch|Listen)$", _I),
    # Video and embed widgets.
    ("video widget", r"^Media playback is (?:unsupported|not supported) on (?:your|this) device", _I),
    ("video widget", r"^Scroll (?:down|below) for (?:video|the video)$", _I),
    ("video widget", r"\bJUST WATCHED\b|\bMUST WATCH\b|\bReplay More Videos\b", 0),
    ("video widget", r"^Your browser does not support (?:iframes|the video tag|HTML5 video|video)\.?$", _I),
    ("embedded post widget", r"^Skip (?:Twitter|Facebook|Instagram|YouTube|TikTok) post(?: by\b|\b)", _I),
    # Comments, related links, share / subscribe / register prompts.
    ("comments widget", r"^(?:\d+\s+)?comments?(?:\s*\(\d+\))?$", _I),
    ("comments widget", r"^(?:view|show|read|load|see|add|post) (?:all |the )?(?:\d+ )?comments?\b", _I),
    ("comments widget", r"^Join the conversation\b", _I),
    ("related link", r"^read more\b", _I),
    ("related link", r"\bRead more$", 0),
    ("related link", r"^\[?(?:More|Related|See also|See more|Also read|Read also|Recommended|Most read|Don't miss|"
                     r"Related stories|Related articles|Related coverage|Related content|Related links)\s*:", _I),
    ("related link", r"^Related(?: stories| articles| coverage| content| links)?\s+[A-Z‘'\"“][^.]*$", 0),
    ("related link", r"^Continue reading(?:…|\.\.\.)?$", _I),
    ("related link", r"^Also on [\w-]+\.[a-z]{2,}\b", _I),
    ("related link", r"\[(?:INSIGHT|VIDEO|VIDEOS|PICTURES|PICS|PHOTOS|WARNING|NEWS|REACTION|REVEALED|LATEST|POLL|"
                     r"ANALYSIS|LIVE|OPINION)\]\W*$", 0),
    ("share prompt", r"^Read or Share this story\b", _I),
    ("share prompt", r"^Like this (?:story|article)\?|^This article has been sent to\b", _I),
    ("share prompt", r"^Share (?:this (?:article|story|page|post)|on|via)\b", _I),
    ("share prompt", r"^(?:(?:Share|Tweet|Email|Print|WhatsApp|Pinterest|Facebook|Twitter|LinkedIn|Reddit|"
                     r"Copy link|Messenger)\b[\s|,]*){1,8}$", _I),
    ("subscribe prompt", r"^Sign up\b.*\b(?:newsletter|e-?mails?|updates|alerts)\b", _I),
    ("subscribe prompt", r"\bNewsletter Sign Up\b|\bThanks for subscribing\b|\bYou must select a newsletter\b", _I),
    ("subscribe prompt", r"^Subscribe\b|\bSUBSCRIBE$|\bby subscribing now$|^Get the [\w ]+ newsletter\b", 0),
    ("subscribe prompt", r"^Interested in [^?]+\? Add\b.*\bAdd Interest$", _I),
    ("subscribe prompt", r"^(?=.{0,300}$)(?=.*\bnewsletters?\b)(?=.*\b(?:inbox|subscrib\w*|sign up)\b)", _I),
    ("register prompt", r"\bregister with your social account\b|\balready have an account\b|"
                        r"^Create (?:an|a free) account\b|^(?=.{0,120}$)(?:Please )?(?:register|sign in|log in|login)\b"
                        r".{0,40}\b(?:to (?:comment|continue|read|access|view|keep reading)|for free|"
                        r"with (?:your|Facebook|Google|e-?mail))\b", _I),
    ("advertisement", r"^Advertisement\b(?:\s*-?\s*Continue reading(?: the main story| below)?)?$", _I),
    ("advertisement", r"^(?:Story continues below|Article continues below)\b", _I),
    ("reader appeal", r"\bWe pay for your stories\b|\bDo you have a story for\b|\bClick here to upload\b|"
                      r"^Chat with us in Facebook Messenger\b|^If you enjoyed this article\b|^Have a tip\?|"
                      r"^Got a (?:story|tip|news tip)\b", _I),
    # Credits and notes around the article.
    ("reporting credits", r"^\((?:Reporting|Writing|Additional reporting) by\b[^()]*\)$|"
                          r"^[-—–]\s*With assistance by\b", _I),
    ("reporting credits", r"^(?:Reporting|Writing) by\b.*\bEditing by\b", _I),
    ("reporting credits", r"^(?=.{0,300}$).*\bcontributed (?:to this report|reporting)\b", _I),
    ("author note", r"^(?:E-?mail|Contact):\s*\S+@\S+", _I),
    ("author note", r"^(?=.{0,250}$)(?:E-?mail|Write to|Reach|Contact)\b.*(?:\S+@[\w-]+\.\w|twitter\.com/)", _I),
    ("author note", r"^(?=.{0,200}$)Follow\b.{0,80}(?:\bon (?:Twitter|Facebook|Instagram)\b|@\w+)", _I),
    ("author note", r"\bThe opinions expressed in this commentary\b|\bRead (?:her|his|their) other columns\b", _I),
    ("source credit", r"^Information from:|^For more [\w ]+ coverage:\s*https?://", _I),
    ("source credit", r"^Sources?:\s?[\w .,&'’/-]{1,60}$", 0),
    ("print edition note", r"^\((?:[\w .'’-]{2,40})\s\d{1,2}/\d{1,2}/\d{4}\s?page\s?\w{1,4}\)$", _I),
    ("related link", r"^\[\s?[^\[\].!?]{5,200}\s?\]$", 0),
    # Legal and technical notes of the site (in one-paragraph records they arrive sentence by sentence).
    ("copyright notice", r"^(?=.{0,300}$)(?!.*\b(?:said|says|told|according to)\b)"
                         r"(?=.*\b(?:content|material|articles?|photos?|text)\b)"
                         r"(?=.*\b(?:belongs? to|property of|without (?:the )?(?:prior |express )?(?:written )?"
                         r"(?:permission|authori[sz]ation|consent)|in any form)\b)"
                         r"(?=.*\b(?:site|website|reproduc\w*|republish\w*|redistribut\w*|copyright)\b)", _I),
    ("site note", r"^(?=.{0,200}$)(?:.*\bbrowsers?\b.*\bresolution\b|.*\bbest viewed (?:in|with|at)\b|"
                  r"Visit our website terms of use\b|.*\bterms of (?:use|service) and (?:permissions|privacy)\b)", _I),
    ("site registration notice", r"^(?:[^.!?:]{0,40}\b(?:registration|licen[cs]e|permit|ICP|filing)\b[^.!?:]{0,40}?"
                                 r"(?:\b(?:No|Number|Nr)\b\.?)?\s*:?\s*[A-Z]{0,6}[\s-]?\d[\d-]{4,}\s*)+$", _I),
    # Embedded posts and the promotion around them.
    ("embedded post caption", r"\bA (?:post|photo|video) shared by\b.{1,80}\(@[\w.]{1,30}\)\s*on\b", 0),
    ("embedded post caption", r"^View this (?:post|photo|video) on (?:Instagram|Facebook|Twitter|X|TikTok|YouTube)$", _I),
    ("site promotion", r"^(?=.{0,200}$).*\bClick (?:here )?to (?:read|see|view|watch|learn|find out|subscribe)\b", _I),
    ("related link", r"^(?:You (?:may|might) also (?:like|enjoy|be interested in)|Recommended (?:for you|reading|stories)|"
                     r"More (?:from|on) [\w .'’-]{1,40}:|Most (?:popular|viewed|shared|read)(?: stories)?:?$)", _I),
    ("photo caption", r"^(?:Pictured|Above|Below|Inset|Main (?:picture|image)|Clockwise from (?:top )?left|"
                      r"(?:From )?left(?: to right)?|Top|Bottom)\s*(?:\([^)]{0,40}\))?\s*:\s+\S", _I),
    # Transcripts: a speaker tag on its own line ("JANE DOE, HOST:", "UNIDENTIFIED PERSON #2:").
    ("transcript speaker tag", r"^(?:[A-Z][A-Z.'’-]+\s){1,3}[A-Z][A-Z.'’-]+(?:,\s(?:[A-Z][A-Z.'’-]+\s?){1,4})?"
                               r"(?:\s#\d+)?:$|^[A-Z][A-Z.'’-]+,\s(?:[A-Z][A-Z.'’-]+\s?){1,4}:$", 0),
    ("separator", r"^[\W_]+$", 0),
)
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, flags)) for reason, pattern, flags in _RULE_TABLE)

BYLINE = re.compile(r"^By\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
                    r"(?:\s+and\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})?)$")
_BULLET = re.compile(r"^[\s•·▪►▶*–-]+(?=\S)")


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line).strip()


MAX_RULE_LINE = 5000  # boilerplate lines are short; very long lines skip the rules (bounded time)


def rule_reason(line: str) -> str | None:
    """The reason a whole line is boilerplate, or None when it may be article text."""
    text = strip_bullet(line)
    if not text or len(text) > MAX_RULE_LINE:
        return None
    for reason, pattern in RULES:
        if pattern.search(text):
            return reason
    if is_diagram_labels(text):
        return "map or diagram labels"
    return None


# Map and diagram labels flattened into text: runs of capitalised labels ("NORTH GATE MAIN STAGE
# 200 FEET RIVER ROAD") make up a large share of the line. A sentence may name an acronym or two
# (FBI, NATO), never several runs of label words.
LABEL_RUNS = 2
LABEL_WORDS = 8
LABEL_SHARE = 0.2
_TOKEN = re.compile(r"\S+")
_CAPS = re.compile(r"^[(\[\"“]?[A-Z][A-Z0-9.'’&/-]*[A-Z.][)\]\"”,:;]?$")
_NUMBER = re.compile(r"^\d[\d.,]*$")


def is_diagram_labels(text: str) -> bool:
    tokens = _TOKEN.findall(text)
    runs = label_words = 0
    run = 0
    for i, token in enumerate(tokens + [""]):
        caps = bool(_CAPS.match(token)) or (bool(_NUMBER.match(token)) and i + 1 < len(tokens)
                                             and bool(_CAPS.match(tokens[i + 1])))
        if caps:
            run += 1
            continue
        if run >= 2:
            runs += 1
            label_words += run
        run = 0
    return runs >= LABEL_RUNS and label_words >= LABEL_WORDS and label_words >= LABEL_SHARE * len(tokens)
