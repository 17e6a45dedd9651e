"""Spotting crisis language (suicide, self-harm, overdose, immediate danger) in text members write."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

# When one text fits several kinds, the one a responder would act on first wins: means in hand or a
# person hurting them beats an overdose under way, which beats thoughts, which beat self-harm urges.
KIND_PRIORITY: tuple[str, ...] = ("danger", "overdose", "suicide", "self_harm")

# How far back (in words) a "not" / "never" reaches. Long enough for "I would never ever kill myself",
# short enough that "I don't have anyone to talk to and I want to die" is not read as negated.
NEGATION_WINDOW_WORDS = 5


@dataclass(frozen=True)
class CrisisSignal:
    """What was found. `matched` exists for tests only: the bot must never log or repeat it."""

    kind: str
    # Hidden from repr so an accidental log line or traceback does not carry the member's words.
    matched: str = field(repr=False)


@dataclass(frozen=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]


# ---------------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})

# Forms that must be rewritten while the apostrophe is still there: once it is gone "od'd" reads as
# the ordinary word "odd".
_APOSTROPHE_FORMS: tuple[tuple[str, str], ...] = (
    (r"\bo\.?d['-]?(?:ing|in)\b", "overdosing"),
    (r"\bo\.?d['-](?:d|ed)\b", "overdosed"),
    (r"\bo\.d\.?(?=\s|$)", "overdose"),
)

# Digits and symbols used as letters inside words ("su1cide", "k!ll"); only between letters, so
# "2 years" and "!" as punctuation are left alone.
_LEET = str.maketrans({"1": "i", "3": "e", "0": "o", "!": "i", "$": "s", "@": "a"})
_LEET_RUN = re.compile(r"(?<=[a-z])[130!$@]+(?=[a-z])")

# Where one thought ends and another starts. Commas count, since members rarely use full stops;
# "and"/"so"/"because" only count before a new subject, so "the pills and vodka" stays together.
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n\u2026()\[\]]+|,|\s-+\s|\b(?:but|though|although|however)\b"
    r"|\b(?:and|so|because|cause|cuz|then|yet|plus)\b(?=\s+(?:i|im|ive|id|ill|its|it|he|hes|she|shes|"
    r"they|theyre|we|my|now|today|tonight|still|this|that|the (?:urges?|thoughts?)|thoughts|urges)\b)"
)

# Whole-word rewrites: slang, contractions spelled out, and the misspellings members actually make.
# Keys are matched as whole words after punctuation has been removed.
_WORD_FIXES: dict[str, str] = {
    # suicide and its misspellings, plus the euphemisms used to get past filters
    "suicidial": "suicidal",
    "sucidal": "suicidal",
    "suicidel": "suicidal",
    "suisidal": "suicidal",
    "suicdal": "suicidal",
    "suicidle": "suicidal",
    "sucidial": "suicidal",
    "suicidual": "suicidal",
    "suicdial": "suicidal",
    "sucicidal": "suicidal",
    "suicida": "suicidal",
    "sucide": "suicide",
    "suicde": "suicide",
    "suiside": "suicide",
    "suicid": "suicide",
    "sucicide": "suicide",
    "siucide": "suicide",
    "suacide": "suicide",
    "suicied": "suicide",
    "sewerslide": "suicide",
    "kms": "kill myself",
    "killmyself": "kill myself",
    "kil": "kill",
    "myslef": "myself",
    "mysefl": "myself",
    "mysef": "myself",
    "myseld": "myself",
    "meself": "myself",
    "myselfe": "myself",
    # overdose
    "od": "overdose",
    "ods": "overdoses",
    "oding": "overdosing",
    "odding": "overdosing",
    "oded": "overdosed",
    "odded": "overdosed",
    "overdosin": "overdosing",
    "overdoseing": "overdosing",
    "overdos": "overdose",
    "ovedose": "overdose",
    "ovrdose": "overdose",
    "overdozed": "overdosed",
    "overdossed": "overdosed",
    "pils": "pills",
    "pillz": "pills",
    "tabs": "pills",
    "tablets": "pills",
    "meds": "pills",
    "medication": "pills",
    "medications": "pills",
    # self-harm
    "selfharm": "self harm",
    "selfharming": "self harming",
    "sh": "self harm",
    "burnt": "burned",
    # dropped g's, only for verbs that matter here ("again" and "within" must stay as they are)
    "cuttin": "cutting",
    "thinkin": "thinking",
    "endin": "ending",
    "killin": "killing",
    "hurtin": "hurting",
    "dyin": "dying",
    "plannin": "planning",
    "savin": "saving",
    "takin": "taking",
    "bleedin": "bleeding",
    "burnin": "burning",
    "goin": "going",
    "tryin": "trying",
    "lookin": "looking",
    "bout": "about",
    # ordinary chat spelling
    "wanna": "want to",
    "wana": "want to",
    "wnna": "want to",
    "wan2": "want to",
    "gonna": "going to",
    "gona": "going to",
    "gunna": "going to",
    "finna": "going to",
    "tryna": "trying to",
    "gotta": "got to",
    "dnt": "dont",
    "cnt": "cant",
    "cannot": "cant",
    "u": "you",
    "ur": "your",
    "rn": "right now",
    "tn": "tonight",
    "tonite": "tonight",
    "2nite": "tonight",
    "2night": "tonight",
    "2day": "today",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
    "anymor": "anymore",
    "anymroe": "anymore",
    "nemore": "anymore",
    "idk": "i dont know",
    "idc": "i dont care",
    "bc": "because",
    "coz": "because",
    "cos": "because",
    "cuz": "because",
    "cause": "because",
    "alot": "a lot",
    "nobody": "noone",
    "evryone": "everyone",
    "everybody": "everyone",
    "yrs": "years",
    "yr": "year",
    "mos": "months",
}

# Multi-word rewrites, applied after the word fixes, so patterns see one spelling of each phrase.
_PHRASE_FIXES: tuple[tuple[str, str], ...] = (
    (r"\bsewer ?slid(?:e|ing)\b", "suicide"),
    (r"\bself ?harm", "self harm"),
    (r"\bmy self\b", "myself"),
    (r"\bi am\b", "im"),
    (r"\bi have\b", "ive"),
    (r"\bi would\b", "id"),
    (r"\bi will\b", "ill"),
    (r"\bdo not\b", "dont"),
    (r"\bdoes not\b", "doesnt"),
    (r"\bdid not\b", "didnt"),
    (r"\bwill not\b", "wont"),
    (r"\bwould not\b", "wouldnt"),
    (r"\bcan not\b", "cant"),
    (r"\bis not\b", "isnt"),
    (r"\bwas not\b", "wasnt"),
    (r"\bany more\b", "anymore"),
    (r"\bno one\b", "noone"),
    (r"\bwant(?:s)? 2\b", "want to"),
    (r"\bwants to\b", "want to"),
    (r"\bwant too\b", "want to"),
    (r"\bgoing too\b", "going to"),
)


def _collapse_runs(text: str, keep: int) -> str:
    """Shortens runs of three or more of one letter ("diiiie", "killllll") to `keep` letters."""
    return re.sub(r"([a-z])\1{2,}", lambda m: m.group(1) * keep, text)


def _fix_words(clause: str) -> str:
    clause = re.sub(r"[^a-z0-9 ]+", " ", clause)
    words = [_WORD_FIXES.get(word, word) for word in clause.split()]
    clause = " ".join(words)
    for pattern, replacement in _PHRASE_FIXES:
        clause = re.sub(pattern, replacement, clause)
    return clause


def _prepare(text: str) -> str:
    """Lowercase, one kind of apostrophe, no accents on lookalike letters, symbols-as-letters undone."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = _LEET_RUN.sub(lambda m: m.group(0).translate(_LEET), text)
    # "never, ever" is one thought; without this the comma would cut "never" off from what it negates.
    text = re.sub(r",\s*ever\b", " ever", text)
    # A trailing ", permanently" or ", tonight" belongs to the clause before it.
    text = re.sub(r",\s*(permanently|forever|for good|tonight|right now)\b", r" \1", text)
    for pattern, replacement in _APOSTROPHE_FORMS:
        text = re.sub(pattern, replacement, text)
    return text.replace("'", "")


def normalise(text: str) -> list[list[str]]:
    """The text as clauses, twice: once with letter runs collapsed to one letter, once to two.

    Both readings are needed because "diiie" is "die" but "killlll" is "kill"; a pattern only has to
    match one of them.
    """
    prepared = _prepare(text)
    readings: list[list[str]] = []
    for keep in (1, 2):
        collapsed = _collapse_runs(prepared, keep)
        clauses = [_fix_words(part) for part in _CLAUSE_BREAK.split(collapsed)]
        reading = [clause for clause in clauses if clause]
        if reading not in readings:
            readings.append(reading)
    return readings


# ---------------------------------------------------------------------------------------------------
# Patterns. Each runs on one normalised clause: lowercase words separated by single spaces, no
# apostrophes ("dont", "im", "ive"), slang and misspellings already rewritten.
# ---------------------------------------------------------------------------------------------------

# Someone other than the member as the subject: "my brother", "he".
_OTHER = (
    r"(?:he|hes|she|shes|they|theyre|someone|somebody|him|her|them|"
    r"my (?:partner|husband|wife|boyfriend|girlfriend|bf|gf|ex|dad|father|mum|mom|mother|stepdad|"
    r"stepfather|stepmom|brother|sister|son|daughter|roommate|flatmate|housemate|friend|mate|buddy|"
    r"cousin|uncle|aunt|dealer|neighbou?r|landlord|fiance|fiancee|kid|baby)|"
    r"(?:a|the|this) (?:guy|man|woman|person))"
)
_MEANS = r"(?:pills|knife|knives|blade|blades|razor|razors|gun|rope|noose|bottle of pills|lighter)"
_SUBSTANCE = (
    r"(?:pills|heroin|fent|fentanyl|opioids?|opiates?|oxy|oxys|oxycodone|xanax|xans|bars|benzos?|"
    r"tramadol|morphine|methadone|coke|cocaine|meth|crack|drugs|dope|percs?|percocet|vicodin|"
    r"tylenol|paracetamol|ibuprofen|insulin|alcohol|booze|vodka|klonopin|valium|ativan|ketamine|ghb|"
    r"sleeping pills|painkillers|antidepressants|lithium)"
)
# Verbs of wanting, planning or being about to, before an act: "want to", "going to", "thinking about".
_INTENT = (
    r"(?:want to|wanted to|going to|planning to|plan to|about to|ready to|need to|trying to|try to|"
    r"tempted to|urge to|urges to|urge is to|thinking about|thinking of|think about|considering|"
    r"might|could|should|will|ill|gonna|feel like|close to|so close to|wish i could|itching to)"
)

_PATTERNS: dict[str, tuple[str, ...]] = {
    "suicide": (
        # Direct statements, whatever the verb in front: "kill myself", "end my life".
        r"\bkill(?:ing|ed)? myself\b",
        r"\b(?:end|ending|take|taking) my (?:own )?life\b",
        r"\b(?:end|ending) (?:it|things|everything) (?:all|for good|tonight|now|today|forever|soon)\b",
        r"\b(?:end|ending) it all\b",
        # "end it" with nothing after it is about a life; "end it with him" is about a relationship.
        r"\b(?:end|ending) it(?= tonight| now| today| soon| for good| forever| this weekend|$)",
        r"\bunaliv(?:e|ing|ed)\b",
        r"\b(?:want|going|planning|plan|ready|need|thinking about|tempted) (?:to )?end (?:it|things)"
        r"(?! with| for| between)\b",
        # "drowning myself in work", "shoot myself in the foot" are figures of speech.
        r"\b(?:hang|hanging|shoot|shooting|drown|drowning) myself\b(?! in )",
        r"\b(?:slit|slitting|cut|cutting) my wrists?\b",
        # A place to jump from, so "jump off the wagon" stays recovery slang.
        r"\b(?:jump|jumping) (?:off|from|in front of) (?:a|the|my) (?:bridge|building|roof|cliff|ledge|"
        r"balcony|train|bus|car|truck|tower|overpass|car park|parking garage)\b",
        # Wanting to die, and the softer ways of saying it.
        # "I thought I was going to die" is how panic and withdrawal feel, so "going to" is left out.
        r"\b(?:want|wanted|ready|deserve|need) to die\b(?! of| laughing| from embarrassment)",
        r"\b(?:should just|could just|might as well|might as well just) die\b(?! of| laughing| from)",
        r"\blet me die\b",
        r"\bwish (?:i|id) (?:was|were|could be|would be|had) (?:dead|died|gone)\b",
        # "disappear for a weekend" is a holiday wish, so only the for-good kind counts.
        r"\bwish i (?:could|would) (?:die|just die|not exist|disappear(?= forever| for good| permanently|"
        r" and never|$))",
        r"\bwish (?:i|id) (?:was|were|had) never (?:been )?born\b",
        r"\bwish i (?:didnt|wouldnt|dont) wake up\b",
        r"\b(?:hope|pray|praying|hoping) (?:that )?i (?:die|dont wake up|never wake up|wont wake up)\b",
        r"\b(?:dont|never) want to wake up\b",
        # "I could sleep forever" is tiredness; wanting to sleep forever is not.
        r"\b(?:want to|wish i could|ready to|just want to) (?:go to )?sleep forever\b",
        r"\b(?:sleep|go to sleep|fall asleep) and (?:never|not) wake up\b",
        # Being a burden, or others being better off.
        r"\bbetter off dead\b",
        r"\b(?:rather|prefer to) be dead\b",
        r"\b(?:better|happier|easier) (?:off )?without me\b",
        r"\bbetter off if i (?:was|were|wasnt|werent|didnt|died|disappeared|left)\b",
        r"\bif i (?:was|were|wasnt|werent) (?:dead|gone|never born|not here anymore|not around anymore)\b",
        r"\b(?:suicide|dying|death|ending it|killing myself) (?:is|seems|feels|looks) (?:like )?(?:the|my)"
        r" only (?:option|way|answer|choice|way out|escape)\b",
        r"\b(?:dont see|cant see|cant find|theres no|there is no|no) (?:a |any |another |other )?(?:way out|escape)"
        r" (?:except|but|other than|apart from|besides) (?:dying|death|suicide|to die|ending it)\b",
        r"\bwant (?:it|it all|everything|this|the pain|all of it) (?:all )?to (?:stop|end|be over)"
        r"(?: \w+)? (?:permanently|forever|for good)\b",
        # Looking for a method.
        r"\b(?:ways|how) to (?:die|kill myself|end (?:it|my life))\b",
        r"\bpainless (?:way|ways|death)\b",
        r"\bhow many (?:pills|\w+) (?:would it take|does it take|it would take|it takes|to die)\b",
        r"\b(?:dont know|not sure) how (?:much )?(?:longer|long) i can (?:keep going|go on|do this|hold on|"
        r"keep living|last|take (?:it|this)|keep doing this)\b",
        # "be here at this party" is about a place, so "here" followed by a place word does not count.
        # Not wanting to be here, to go on, or to wake up.
        r"\b(?:dont|no longer) want to (?:be here|be alive|live|exist|be around|go on|keep going|"
        r"keep living|wake up)\b(?! at| in| with| for| on| tonight with)",
        r"\bwant to (?:stop existing|not exist|not be here|not be alive|disappear forever|disappear for"
        r" good|disappear permanently|disappear and never come back|be dead|not wake up)\b",
        r"\bdisappear (?:forever|for good|permanently)\b",
        # "go on the trip" and "be here at work" are about plans and places.
        r"\b(?:not|dont know if i|not sure i|not sure if i|dont think i) (?:want to|can) "
        r"(?:live|go on|keep going|keep living|be here|stay alive|do this anymore|do life)\b"
        r"(?! (?:on|at|in|to|with|for) (?:the|a|an|this|that|my|your|his|her|our|their|work|school)\b)",
        r"\bcant (?:go on|keep going|keep living|do life|live like this)\b"
        r"(?= anymore| like this| any longer| living|$)",
        r"\b(?:wont|not going to) (?:be here|be around|make it) (?:tomorrow|much longer|anymore|by)\b",
        r"\bno (?:reason|point|purpose) (?:to |in |of |for )?(?:live|living|go on|going on|being alive|"
        r"being here|keep going|keeping going|existing|life|staying alive|wake up|waking up)\b",
        r"\bnothing (?:left )?to live for\b",
        r"\bwhats the point (?:of|in) (?:living|life|being alive|going on|existing|waking up|anything)\b",
        r"\b(?:life|living) (?:isnt|aint|not) worth (?:living|it)\b",
        r"\bnot worth living\b",
        r"\b(?:tired|sick) of (?:living|being alive|existing|life)\b",
        r"\b(?:done|finished) (?:with )?(?:living|life|being alive|existing)\b",
        r"\bgiv(?:e|ing|en) up on (?:life|living|everything)\b",
        r"\bhate being alive\b",
        r"\b(?:shouldnt|dont deserve to) (?:be alive|live|exist)\b",
        r"\bnoone would (?:even |really |ever |actually )?(?:miss|notice|care)(?: me)?(?: if i| when i|$)",
        r"\b(?:im|feel like) (?:just )?a burden to (?:everyone|everybody|my family|them)\b",
        # The word itself. Someone else being suicidal still gets the card: the member may need the
        # numbers for them.
        r"\bsuicidal\b",
        r"\b(?:commit|committing|attempt|attempting) suicide\b",
        r"\b(?:thoughts?|thinking|think|thought|considering|contemplating|planning|plan|ideation|urges?)"
        r" (?:about |of |on )?(?:committing )?suicide\b",
        r"\bsuicide (?:thoughts?|ideation|plan|plans|note|urges?|feelings?|attempt)\b",
        r"\b(?:suicide|dying|death|killing myself|ending it|ending my life) (?:is|has been|keeps|keeps being) "
        r"(?:on my mind|in my head|all i (?:can )?think about|calling me)\b",
        r"\b(?:writing|wrote|written|write) (?:a|my) (?:goodbye|suicide) (?:notes?|letters?)\b",
        # Farewells and preparations.
        r"\bthis is (?:my )?goodbye\b",
        r"\b(?:last time|the last) (?:youll|you will|anyone will|anyone ll|yall will) (?:hear from|see) me\b",
        r"\b(?:im|just|im just) saying (?:my )?goodbyes?(?: to (?:you all|everyone|all of you|you guys))?$",
        r"\bgoodbye (?:forever|everyone|all)\b",
        r"\b(?:want|wanted|going|planning|plan) to (?:overdose|od) and (?:die|not wake up)\b",
    ),
    "self_harm": (
        # "hurt myself at the gym" is an injury, so places and activities after the verb rule it out.
        r"\b(?:cut|cutting|burn|burning|burned|hurt|hurting|harm|harming|hit|hitting|injure|injuring|"
        r"scratch|scratching|punish|punishing|stab|stabbing) myself\b"
        r"(?! (?:at|in|on|while|playing|lifting|running|cooking|working|moving|falling|shaving|skiing|"
        r"at the gym|badly at|in the kitchen))",
        # The words themselves; recovery milestones ("self harm free") are handled as past below.
        r"\bself harm(?:ing|ed)?\b",
        r"\bself injur(?:y|e|ed|ing)\b",
        # "want to cut" is self-harm; "want to cut back / cut sugar / cut him off" is not.
        rf"\b{_INTENT} (?:cut|cutting|self harm|bleed|make myself bleed)\b"
        r"(?! (?:back|down|out|off|ties|it|my hair|carbs|sugar|corners|class|someone|people|them|him|"
        r"her|contact|loose|the|this|that|a|an|in|up|costs|calories|caffeine|ties|my losses|the cord)\b)"
        # "cut my nails" is grooming; "cut my arms" is not.
        r"(?! my (?!arms?|wrists?|legs?|thighs?|skin|stomach|hips?|body)\b)",
        # Bare "cut" only when nothing but a time or a body part follows: "i cut last night".
        r"(?:^|\b(?:i|still|been|keep|started|start|back to|used to|use to) )(?:cut|cutting)\b"
        r"(?= again| tonight| today| right now| deeper| last night| my (?:arms?|wrists?|legs?|thighs?|"
        r"skin|stomach|hips?)|$)",
        r"\b(?:cut|cutting) (?:again|deeper)\b",
        r"\bmake myself bleed\b",
        r"\b(?:until|till|til) (?:they|it|i|my \w+) (?:bleed|bleeds|bled|bleeding)\b",
        r"\b(?:relapsed?|relapsing) (?:on|with|into) (?:self harm|cutting)\b",
        r"\b(?:cutting|self harm) (?:relapse|urges?)\b",
        r"\burges? to (?:cut|self harm|hurt myself|harm myself|bleed)\b",
        r"\b(?:got|get|getting|took|taking) (?:the|my|a) (?:razor|blade|blades|razors) out\b"
        r"(?! to shave| for shaving)",
    ),
    "overdose": (
        # Too much taken, now or just now (anyone: a friend overdosing in front of them counts too).
        # The amount must be followed by a substance or nothing: "took a bunch of photos" is fine.
        r"\b(?:took|taken|taking|swallowed|swallowing|downed|necked|popped|popping|shot up|"
        r"injected|snorted|railed) (?:way |far |a lot |much )?(?:too many|too much|a (?:bunch|lot|handful|"
        r"load|ton|whole bottle|whole pack|whole box|fistful|heap) of|the whole (?:bottle|pack|box|packet|"
        r"strip) of|a whole (?:bottle|pack|box|packet|strip) of|double|triple|more than (?:i should|usual|"
        r"normal|i meant to|i normally do|i ever do))"
        r"(?: (?:of )?(?:my |the |his |her |their |these |those )?" + _SUBSTANCE + r"\b| again\b|"
        r" tonight\b| at once\b|(?= (?:i|im|and|now|so)\b)|$)",
        # "took all my meds" is usually a member taking their medication as prescribed.
        r"\b(?:took|taken|taking|swallowed|downed|popped) all (?:of )?(?:my|the|his|her|their) "
        r"(?:(?:\w+ )?pills|" + _SUBSTANCE + r")\b"
        r"(?! (?:today|this morning|on time|as prescribed|like|for (?:the|today)|before|with|after|every)\b)",
        r"\b(?:took|taken|swallowed|downed|popped) (?:like |about |around |over )?(?:\d\d+|ten|twelve|"
        r"fifteen|twenty|thirty|forty|fifty|a dozen|a hundred) (?:of (?:my |the |his |her )?)?" + _SUBSTANCE + r"\b",
        # Only firm intent: "I need to take all my meds before bed" is an ordinary evening.
        r"\b(?:want to|wanted to|going to|planning to|plan to|about to|ready to|tempted to|urge to|"
        r"thinking about|thinking of|feel like|close to) (?:take|taking|swallow|swallowing) (?:all|every|"
        r"the whole|a bunch|a handful|too many|them all)\b",
        r"\b(?:got|been|was|just|get) narcann?(?:ed|d)\b",
        r"\b(?:had to|have to|need to|gave|give|giving|used) (?:\w+ )?narcan\b",
        # The words themselves; "on" a non-drug ("overdosed on chocolate") is a joke.
        r"\boverdosing\b",
        r"\b(?:i|i think i|i might have|i may have|think i|just|i just|i have|ive|probably) "
        r"(?:overdosed|overdose)\b(?! on (?!" + _SUBSTANCE + r"))",
        rf"\b{_INTENT} overdose\b"
        r"(?! on (?!" + _SUBSTANCE + r"))",
        # Someone else's overdose, described by what the member sees. A subject is required: "I can't
        # breathe" on its own is usually panic, which the check-in flow handles.
        rf"\b{_OTHER} (?:is |s |has |just )?(?:isnt|not|stopped|barely|hardly) breathing\b",
        r"\b(?:turning|turned|going|lips are|lips going|lips turning) blue\b",
        r"\b(?:cant|wont|cannot|wouldnt|couldnt) (?:wake (?:him|her|them|my \w+)(?: up)?|wake up)\b"
        r"(?= after| and| from|$)",
        rf"\b{_OTHER} (?:is |s |went |was |has gone |just went )?(?:totally |completely )?unresponsive\b",
        r"\b(?:need|needs|get|getting|use|using|where is (?:the|my)) narcan\b",
        # A plan to overdose on purpose: gathering the means.
        r"\b(?:saved up|saving up|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|"
        r"stashed) (?:all |some |enough )?(?:of )?(?:my |the |these )?pills\b",
        r"\b(?:saving|saved|stashing|stashed|stockpiling|hoarding|hiding) (?:them|my pills|the pills|pills)"
        r"(?: all)? up\b",
        r"\benough pills to\b",
        # Combinations that stop breathing.
        r"\bmix(?:ed|ing)? (?:xanax|xans|bars|benzos?|pills|opioids|fent|fentanyl|heroin) (?:with|and) "
        r"(?:alcohol|booze|drinking|vodka|wine|beer|fent|fentanyl|heroin|benzos?)\b",
    ),
    "danger": (
        # A person hurting or threatening the member. "hitting me" alone is left out: "it's hitting me
        # hard today" is about feelings.
        rf"\b{_OTHER} (?:is |s |are |keeps |keep |just |has been |have been |started |is still )?"
        r"(?:hurting|hitting|beating|choking|strangling|attacking|threatening|punching|kicking|"
        r"following|stalking) me\b",
        rf"\b{_OTHER} (?:just )?(?:hit|beat|choked|strangled|attacked|punched|kicked|raped|assaulted) me\b"
        r"(?= again| tonight| today| just now| right now| and| now|$)",
        # "hurt me" is usually about feelings, so only the here-and-now reading counts.
        rf"\b{_OTHER} (?:just )?hurt me (?:again|tonight|just now|right now)\b",
        r"\bthreat(?:en|ened|ening|ens) to (?:kill|hurt|stab|shoot) me\b",
        # Verbs nobody uses figuratively about themselves, whoever the subject is.
        r"\b(?:is|are|s|keeps|been|just) (?:threatening|choking|strangling|punching|kicking) me\b",
        r"\b(?:yelling|screaming|shouting|texting|texted|threatening) (?:that )?(?:hell|shell|theyll|he will|"
        r"she will|they will|hes going to|shes going to|theyre going to|going to) (?:kill|hurt|stab|shoot|"
        r"beat) me\b",
        rf"\b{_OTHER} (?:just )?(?:broke|is breaking|breaking|trying to break|tried to break) in\b",
        rf"\b{_OTHER} (?:said|says|swears|swore) (?:hell|hes going to|shell|shes going to|theyll|they"
        r" are going to|theyre going to|he will|she will|they will) (?:kill|hurt|stab|shoot) me\b",
        rf"\b{_OTHER} (?:has|got|is holding|pulled|grabbed|is waving) (?:a|the|his|her|their) "
        r"(?:gun|knife)\b",
        rf"\b(?:scared|afraid|terrified) {_OTHER} (?:is going to|will|ll|going to|might) "
        r"(?:kill|hurt|hit|beat) me\b",
        # Feeling unsafe, someone getting in.
        r"\b(?:afraid|scared|fear|fearing|terrified) for my life\b",
        r"\b(?:im not|not|dont feel|not feeling|never feel) safe(?= at home| here| right now| tonight|"
        r" anymore| with| around|$)",
        r"\b(?:trying to|tried to) (?:break in|get in|break down the door|kick (?:in )?the door)\b",
        r"\b(?:locked|hiding|hid) (?:myself )?(?:in|from)\b.{0,60}\b(?:he|she|they|him|her|them)\b",
        # Means within reach: the moment a responder most needs to know about.
        rf"\b{_MEANS} (?:are |is )?(?:right )?(?:in front of me|in my hand|in my hands|next to me|"
        r"here with me|ready|laid out|lined up|counted out|on the table in front of me)\b",
        rf"\b(?:holding|hold|have|ive got|got|have got) (?:a |the |my |all my |all the |some )?"
        rf"{_MEANS} (?:right )?(?:in front of me|in my hand|in my hands|next to me|ready|here|out)\b"
        r"(?! to shave| for shaving)",
        rf"\bholding (?:a |the |my )?{_MEANS}\b",
        r"\b(?:counting|counted|lined up|lining up|laid out|laying out) (?:out )?(?:all |some |enough )?"
        r"(?:of )?(?:my |the |these )?pills\b",
        # At a place or with a method, right now.
        r"\b(?:standing|sitting|stood|sat) on (?:the|a|top of the|the edge of the|the edge of a) "
        r"(?:bridge|ledge|roof|rooftop|edge|tracks|railing|cliff)\b",
        r"\b(?:tied|tying|made|making|hung|hanging) (?:a|the) (?:rope|noose)\b",
        r"\bloaded (?:the|my|a) gun\b",
        r"\b(?:car|engine) (?:running )?in (?:the|a) (?:closed |shut )?garage\b",
    ),
}

_COMPILED: tuple[_Pattern, ...] = tuple(
    _Pattern(kind, re.compile(source)) for kind in KIND_PRIORITY for source in _PATTERNS[kind]
)

# ---------------------------------------------------------------------------------------------------
# What turns a match into "not a crisis now"
# ---------------------------------------------------------------------------------------------------

# Words that negate what follows within NEGATION_WINDOW_WORDS. "no" is left out when it is part of
# "no matter" or a crisis phrase of its own ("no reason to live", "no way out").
_NEGATION = re.compile(
    r"\b(?:not|never|dont|doesnt|didnt|wont|wouldnt|isnt|arent|wasnt|werent|havent|hasnt|hadnt|"
    r"shouldnt|without|stopped|quit|nor|no longer|nothing like|zero|none)\b"
    r"|\bno\b(?! (?:matter|idea|clue|hope|way out|reason|point|purpose|longer want))"
)

# Doubt in front of a negation turns it back into a warning: "I can't promise I won't", "not sure I
# won't", "I can't go a day without wanting to die".
_DOUBT = re.compile(
    r"\b(?:cant promise|not sure|dont know|dont think i can|cant say|hard to say|"
    r"(?:cant|couldnt) (?:go|get through|make it through) (?:a|one|an) \w+ without|"
    r"(?:cant|couldnt) stop|wont stop|dont stop|doesnt stop|never stops?|not going away|wont go away|"
    r"not stopping|never (?:felt|been|had it) (?:this|so))\b"
)

# Time and distance: the clause is about something that happened a while ago.
_PAST = re.compile(
    r"\b(?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|couple of|several|"
    r"many|some|a few|a couple) (?:weeks?|months?|years?|decades?|yrs?) (?:ago|back|before)\b"
    r"|(?:a (?:long )?while|ages|long|a long time|a lifetime|forever) ago"
    r"|used to|use to|back (?:then|when|in)\b|in the past|in (?:19|20)\d\d"
    r"|last (?:year|month|summer|winter|spring|fall|autumn|christmas|easter|decade)"
    r"|when i was (?:younger|a kid|a teen|a teenager|little|young|in (?:school|high school|college|"
    r"uni|my)|\d+|using|drinking|still using|still drinking|active|in active|at my worst)"
    r"|as a (?:kid|teen|teenager|child|young)|in (?:high school|middle school|college|uni|my teens|my "
    r"twenties|my 20s|my thirties|active addiction|my addiction|my using days|my drinking days)"
    r"|(?:years?|months?) (?:clean|free|sober|since)|(?:clean|free|sober) (?:for|since)"
    r"|\d+ (?:days?|weeks?|months?|years?) (?:clean|free|sober|without)"
    r"|self harm free|cutting free|survivor|anniversary|history of|my history"
    r"|(?:survived|recovered from|recovering from) (?:an? |my |the )?(?:overdose|attempt|suicide attempt)"
    r"|(?:when|since|after|the (?:time|night|day|year)) i (?:overdosed|tried|attempted|was (?:suicidal|in "
    r"hospital|hospitalised|hospitalized|cutting|self harming)|used to|got out|nearly|almost)"
    r"|(?:since|after|before) my (?:overdose|attempt|suicide attempt|last overdose|first overdose)"
    r"|(?:my|the) (?:old|previous|past|first) (?:overdose|attempt|suicide attempt|scars)"
    r"|before (?:getting|i got|i was|going|i went) (?:sober|clean|into recovery|to rehab|to treatment)"
    r"|(?:early|my early|first year of|first year in) (?:recovery|sobriety)|last time (?:i|my)"
    r"|scars?|back in the day|in my old life)\b"
)

# The clause is about someone who died, or about the topic rather than the member: grief, a film,
# training, awareness days.
_ABOUT_OTHERS = re.compile(
    rf"\b(?:{_OTHER} (?:\w+ )?died|(?:friend|brother|sister|son|daughter|cousin|people|who) (?:\w+ )?died"
    r"|passed away|funeral|memorial|in memory|rest in peace|rip|lost (?:my|a|our|his|her|him|them) "
    r"\w*\s?(?:to|from)|killed (?:himself|herself|themselves)|took (?:his|her|their) (?:own )?life"
    r"|awareness|prevention|training|documentary|podcast|article|movie|film|book|episode|series"
    r"|show about|statistics|stats|lecture|class about|speaker|naloxone kit|narcan kit|carry narcan"
    r"|asked (?:me )?(?:if|whether))\b"
)

# A past crisis coming back into the present: "... and I want to again", "the thoughts are back".
_RETURNING = re.compile(
    r"\b(?:want to|going to|planning to|plan to|thinking about|think about|thinking of|tempted to|"
    r"urges? to|scared ill|scared i will|scared i might|afraid ill|afraid i will|afraid i might|might|"
    r"close to|about to|feel like|need to|could|ill|will) (?:do |doing |try |trying )?(?:it |that )?again\b"
    r"|\b(?:started|starting|start|doing|did|do|try|trying) (?:it |that )?again\b"
    r"|\b(?:feel|feeling|felt|having|getting) (?:that way|like that|like this|the same way|the same|those "
    r"thoughts|those urges|them) again\b"
    r"|\b(?:its|theyre|thoughts are|urges are|feelings are|the thoughts|the urges|thoughts|urges|"
    r"it is|they are) (?:all )?(?:coming |creeping |came |are |is )?back\b"
)


def _words_before(clause: str, start: int, count: int) -> str:
    return " ".join(clause[:start].split()[-count:])


def _is_negated(clause: str, start: int) -> bool:
    window = _words_before(clause, start, NEGATION_WINDOW_WORDS)
    if _DOUBT.search(window):
        return False
    return _NEGATION.search(window) is not None


def _is_distant(clause: str) -> bool:
    return _PAST.search(clause) is not None or _ABOUT_OTHERS.search(clause) is not None


def _matches(clause: str) -> Iterator[tuple[str, re.Match[str]]]:
    for pattern in _COMPILED:
        for match in pattern.regex.finditer(clause):
            if not _is_negated(clause, match.start()):
                yield pattern.kind, match


def _is_returning(clause: str) -> bool:
    match = _RETURNING.search(clause)
    return match is not None and not _is_negated(clause, match.start())


def _returning_from(clauses: list[str]) -> list[bool]:
    """For each clause: does it, or any clause after it, bring a past crisis back into the present?"""
    flags = [False] * (len(clauses) + 1)
    for index in range(len(clauses) - 1, -1, -1):
        flags[index] = flags[index + 1] or _is_returning(clauses[index])
    return flags[:-1]


def _scan(clauses: list[str]) -> CrisisSignal | None:
    found: dict[str, str] = {}
    returning = _returning_from(clauses)
    for index, clause in enumerate(clauses):
        # A past event counts only when the same or a later clause brings it back ("... and I want to
        # again"); an earlier "again" belongs to something else.
        counts_now = returning[index] or not _is_distant(clause)
        if counts_now:
            for kind, match in _matches(clause):
                found.setdefault(kind, match.group(0))
    for kind in KIND_PRIORITY:
        if kind in found:
            return CrisisSignal(kind, found[kind])
    return None


def detect_crisis(text: str) -> CrisisSignal | None:
    """Crisis language in `text`, if any: the most urgent kind found, or None.

    Errs towards recall: an extra crisis card costs the member a glance, a missed one can cost more.
    """
    for clauses in normalise(text):
        signal = _scan(clauses)
        if signal is not None:
            return signal
    return None
