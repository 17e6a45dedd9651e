"""Spotting crisis language (suicide, self-harm, overdose, immediate danger) in text members write."""

from __future__ import annotations

import bisect
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

# Laughing emoji mark a joke the way "lol" does; they are turned into "lol" so the hyperbole checks
# below see them after symbols are stripped.
_LAUGHING = re.compile("[\U0001f602\U0001f923\U0001f606\U0001f639\U0001f480]")

_FAREWELL_EMOJI = re.compile("[\U0001faa6\u26b0\u26b1]")

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
    # "... so I never wake up" is the purpose of what came before, not a new thought.
    r"(?!\s+i (?:just |will |would |can |could )?(?:never|dont|wont|do not|will not) wake up\b)"
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
    "checkin": "check in",
    "ded": "dead",
}

# Slips of the finger on the few words every crisis phrase hangs on: two letters swapped, one dropped
# or one doubled ("wnat", "kll", "myslef"). Generated rather than listed so a new slip of the same kind
# is caught too; the slips that are real words of their own stay out ("ill" is "I'll", "dad", "ant").
_TYPO_TARGETS: tuple[str, ...] = ("want", "wanna", "kill", "die", "dead", "myself", "suicide", "suicidal", "overdose")
_REAL_WORDS = frozenset({"ant", "wan", "wat", "anna", "ill", "de", "di", "ie", "ide", "dad", "dea", "ead", "overdoes"})


def _slips(word: str) -> set[str]:
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    doubled = {word[:i] + word[i] + word[i:] for i in range(len(word))}
    return (swapped | dropped | doubled) - {word} - _REAL_WORDS


def _slip_fixes() -> dict[str, str]:
    """Each slip of a target word, mapped to what the target itself is rewritten to ("wnna" -> "want to")."""
    return {slip: _WORD_FIXES.get(target, target) for target in _TYPO_TARGETS for slip in sorted(_slips(target))}


_WORD_FIXES.update({slip: fix for slip, fix in _slip_fixes().items() if slip not in _WORD_FIXES})

# Multi-word rewrites, applied after the word fixes, so patterns see one spelling of each phrase.
_PHRASE_FIXES: tuple[tuple[str, str], ...] = (
    (r"\bsewer ?slid(?:e|ing)\b", "suicide"),
    (r"\bself ?harm", "self harm"),
    (r"\bmy self\b", "myself"),
    # "die my hair" is the dye; left alone it reads as a wish to die.
    (r"\bdie (my|her|his|your|the|it) (hair|beard|roots|clothes|shirt|jeans|shoes)\b", r"dye \1 \2"),
    # ... and the other way round: "want to dye" with nothing to dye is the misspelled wish.
    (r"\b(want to|going to|ready to|deserve to|need to) dye$", r"\1 die"),
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


# The labels of a form-like note: only these, so "check-in: 1/10" keeps its break.
_FORM_LABEL = re.compile(r"\b(plan|method|when|where|how|mood|time|place|date)[ \t]*:[ \t]*(?=[a-z0-9])")


def _prepare(text: str) -> str:
    """Lowercase, one kind of apostrophe, no accents on lookalike letters, symbols-as-letters undone."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = _LEET_RUN.sub(lambda m: m.group(0).translate(_LEET), text)
    # "never, ever" is one thought; without this the comma would cut "never" off from what it negates.
    text = re.sub(r",\s*ever\b", " ever", text)
    text = _LAUGHING.sub(" lol ", text)
    # A headstone, coffin or urn is a farewell said in one symbol; given a word, the rules can see it.
    text = _FAREWELL_EMOJI.sub(" tombstone ", text)
    # A trailing ", permanently" or ", tonight" belongs to the clause before it, and so does a
    # "permanently." standing alone after a full stop: members add it as its own sentence for weight.
    text = re.sub(r",\s*(permanently|forever|for good|tonight|right now)\b", r" \1", text)
    text = re.sub(r"[.!\u2026]+\s*(permanently|forever|for good)\s*(?=[.!?\u2026]|$)", r" \1", text)
    for pattern, replacement in _APOSTROPHE_FORMS:
        text = re.sub(pattern, replacement, text)
    # "plan: the bridge. when: tonight" answers each label after its colon. The colon would cut the label off from
    # its answer, and it is the pair that carries the meaning.
    text = _FORM_LABEL.sub(r"\1 ", text)
    return text.replace("'", "")


# Intrusive thoughts (OCD) are unwanted by definition; a member who says plainly they will not act on them has
# answered the question the card would ask. Said with doubt ("not sure I won't act on them") it is a warning.
_INTRUSIVE = re.compile(r"\b(?:intrusive|ocd)\b")
_WONT_ACT = re.compile(
    r"\b(?:i|id) (?:know i |would |will )?(?:would never|will never|never would|never will|wont|would not|will not|"
    r"wouldnt|never)(?: ever)? (?:act on (?:them|it|those|these|that|any of (?:them|it))|"
    r"do (?:it|that|this|anything))\b"
    r"|\bi know i (?:wont|would never|will never|wouldnt|never would)\b"
    r"|\b(?:they|it|these|those|the thoughts) (?:dont|doesnt|do not|does not) mean i (?:want|will|would)(?: to)?\b"
)
# A wish of the member's own in the same sentence stays, whatever the thoughts around it.
_OWN_WISH = re.compile(r"\bi(?: really| just)? (?:want|wanna|need|plan|am going|m going) to\b|\bim (?:going|gonna)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?\n])")


def _set_aside_reassured_intrusive_thoughts(prepared: str) -> str:
    """The text without the sentences about intrusive thoughts, when the member says undoubtingly they won't act."""
    if _INTRUSIVE.search(prepared) is None:
        return prepared
    reassurances = list(_WONT_ACT.finditer(prepared))
    if not reassurances or any(_DOUBT.search(_words_before(prepared, found.start(), 4)) for found in reassurances):
        return prepared
    kept = [
        sentence
        for sentence in _SENTENCE_END.split(prepared)
        if _INTRUSIVE.search(sentence) is None or _OWN_WISH.search(_WONT_ACT.sub(" ", sentence)) is not None
    ]
    return " ".join(kept)


def normalise(text: str) -> list[list[str]]:
    """The text as clauses, twice: once with letter runs collapsed to one letter, once to two.

    Both readings are needed because "diiie" is "die" but "killlll" is "kill"; a pattern only has to
    match one of them.
    """
    prepared = _set_aside_reassured_intrusive_thoughts(_prepare(text))
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
_RELATION = (
    r"(?:partner|husband|wife|boyfriend|girlfriend|bf|gf|ex|dad|father|mum|mom|mother|stepdad|"
    r"stepfather|stepmom|brother|sister|son|daughter|roommate|flatmate|housemate|friend|mate|buddy|"
    r"cousin|uncle|aunt|dealer|neighbou?r|landlord|fiance|fiancee|kid|baby)"
)
_OTHER = (
    r"(?:he|hes|she|shes|they|theyre|someone|somebody|him|her|them|"
    rf"my {_RELATION}|"
    # Members drop the "my" when the person opens the sentence ("bf choked me"); mid-clause a bare "friend"
    # is too often someone in a story, so only the opening word counts.
    rf"(?<![a-z0-9] ){_RELATION}|"
    r"(?:a|the|this|some) (?:guy|guys|man|men|woman|person|people))"
)
# Someone in the member's household on the receiving end of violence: "choking my mum".
_THIRD_PARTY = (
    rf"(?:(?:my|his|her|their) (?:little |baby |younger |older |big )?{_RELATION}|"
    r"(?:my|his|her|their) (?:kids|children|family|parents|wife|husband))"
)
# Another person saying what they will do: "he'll", "she'd", "they're going to".
_THEY_WILL = (
    r"(?:hell|hed|shell|shed|theyll|theyd|hes going to|hes gonna|shes going to|shes gonna|theyre going to|"
    r"theyre gonna|they are going to|he will|she will|they will|he would|she would|he is going to|she is going to)"
)
# Medicines a member could have at home in quantity, by kind and by the common names.
_MEDICINE = (
    r"(?:pills|oxy|oxys|oxycodone|xanax|xans|bars|benzos?|tramadol|morphine|methadone|percs?|percocet|vicodin|"
    r"tylenol|paracetamol|ibuprofen|insulin|klonopin|valium|ativan|sleeping pills|painkillers|antidepressants|"
    r"lithium|sertraline|zoloft|prozac|fluoxetine|citalopram|escitalopram|lexapro|venlafaxine|mirtazapine|"
    r"amitriptyline|trazodone|quetiapine|seroquel|gabapentin|pregabalin|lyrica|codeine|hydrocodone|diazepam|"
    r"zopiclone|zolpidem|ambien|acetaminophen|aspirin|adderall|antipsychotics|sleeping tablets|sleep aids|"
    # More benzodiazepines and opioids by their generic and street names.
    r"clonazepam|alprazolam|lorazepam|temazepam|librium|oxycontin|roxys?|roxies|norco|dilaudid|hydromorphone|"
    r"suboxone|buprenorphine|subutex|tapentadol|"
    # Heart and blood-thinning medicines: an older relative's supply is often the one within reach.
    r"heart pills|blood pressure pills|blood thinners?|warfarin|coumadin|apixaban|eliquis|rivaroxaban|xarelto|"
    r"clopidogrel|plavix|digoxin|beta blockers|propranolol|metoprolol|atenolol|amlodipine|"
    # Allergy and sleep-aid antihistamines, which members reach for when nothing else is in the house.
    r"allergy pills|antihistamines|benadryl|diphenhydramine|promethazine|phenergan|hydroxyzine)"
)
# The sedatives and opioids by name, for counted doses: five of these is already a risky amount, where five
# ibuprofen over a day is a bad back.
_SEDATIVE_NAME = (
    r"(?:xanax|xans|bars|benzos?|klonopin|clonazepam|valium|diazepam|ativan|lorazepam|alprazolam|temazepam|"
    r"oxy|oxys|oxycodone|oxycontin|roxys?|roxies|percs?|percocet|vicodin|norco|hydrocodone|morphine|methadone|"
    r"codeine|tramadol|dilaudid|hydromorphone|tapentadol|seroquel|quetiapine|zopiclone|zolpidem|ambien|"
    r"sleeping pills|sleeping tablets)"
)
_SUBSTANCE = (
    r"(?:heroin|fent|fentanyl|opioids?|opiates?|coke|cocaine|meth|crack|drugs|dope|alcohol|booze|vodka|ketamine|"
    rf"ghb|{_MEDICINE})"
)
_MEANS = r"(?:pills|knife|knives|blade|blades|razor|razors|gun|rope|noose|bottle of pills|lighter)"
# What may follow "wake up" when it means not waking at all: nothing, "ever", "again" or a bare
# "tomorrow". "wake up late", "wake up at 3am" and "wake up with a hangover" are about sleep.
_WAKE_TAIL = (
    r"(?=$| ever| this time| anymore| tonight$| in the morning$| (?:again|tomorrow)(?! (?:at|by|in|on|early|late|"
    r"before|for|with|feeling|hungover|during|until|till|til)\b))"
)
_NOT_WAKE = r"(?:not|never|dont|wont|didnt|do not) wake up" + _WAKE_TAIL
# Taking something in, for the overdose rules.
_INTAKE = (
    r"(?:take|taking|took|swallow|swallowing|swallowed|mix|mixing|mixed|use|using|used|drink|drinking|drank|"
    r"shoot up|shooting up|shoot|shooting|shot up|inject|injecting|injected|snort|snorting|snorted|pop|popping|"
    r"popped|downed)"
)

# Asking how to hold off an act ("how do I stop myself from", "tips to keep myself from"): the urge is live
# now, whatever the member hopes to do about it.
_HOLDING_OFF = (
    r"(?:how (?:do i|can i|do you|to)|help me|tips? (?:to|for|on)|ways? to|trying to|try to|need to|cant|"
    r"struggling to|hard to)(?: \w+)? (?:stop|keep) (?:myself|me) from"
)

# "the edge of my bed", "the ledge of the pool": furniture and leisure, not a drop.
_NOT_FURNITURE = (
    r"(?! of (?:my|the|a|our) (?:bed|pool|couch|sofa|seat|chair|desk|stage|dock|bath|bathtub|tub|sink|fountain)\b)"
)
# A supply carried somewhere ("to the pharmacy") or a supply of vitamins is not a supply swallowed.
_NOT_SWALLOWED = r"(?! (?:of (?:vitamins|supplements|water|food|snacks)|to (?:the|my|a)|back|with me|in)\b)"

# The member as the one not around much longer: the start of a clause or "I", with only fillers between, so
# "my nan won't be around much longer" stays about the nan.
_OWN_LEAD = (
    r"(?:^|\b(?:i|im|ill|id) )(?:(?:just|honestly|really|probably|prob|maybe|likely|tbh|think|know|guess|feel like|"
    r"feel|definitely|def|seriously|so|yeah|well|anyway|and) ){0,3}"
)

# The words "self harm" on their own; a joke about a haircut or a tattoo uses them too (see _set_aside).
_BARE_SELF_HARM = r"\bself harm(?:ing|ed)?\b"

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
        r"\b(?:want|going|planning|plan|ready|need|thinking about|tempted) (?:to )?end (?:it|things|everything)"
        r"(?! with| for| between)\b",
        # "drowning myself in work", "shoot myself in the foot" are figures of speech.
        r"\b(?:hang|hanging|shoot|shooting|drown|drowning) myself\b(?! in )",
        r"\b(?:slit|slitting|cut|cutting|open|opening|slash|slashing) (?:up )?my wrists?\b"
        r"(?! (?:brace|guard|splint|support|strap|watch|band)\b)",
        # A place to jump from, so "jump off the wagon" stays recovery slang.
        # A name may sit in front of the place ("the 5th st bridge", "the old rail bridge").
        r"\b(?:jump|jumping) (?:off|from|in front of) (?:a|the|my|this|that)(?: \w+){0,2}? "
        r"(?:bridge|building|roof|cliff|ledge|"
        r"balcony|train|bus|car|truck|tower|overpass|car park|parking garage)\b",
        r"\b(?:jump|jumping) out (?:of )?(?:a|the|my|this) window\b",
        # A bare "going to jump" at the end of a message; "going to jump in the shower" has more after it.
        r"\b(?:going to|gonna|about to|ready to|want to|will|ill) jump$",
        r"\bthrow(?:ing)? myself (?:off|from|in front of|under|into)\b",
        # Methods that need no words about dying: a vehicle, traffic, a train, the sea. "drove my car into
        # the garage" and "walking into traffic court" name no such place.
        r"\b(?:drive|driving|crash|crashing|steer|steering|swerve|swerving|wrap|wrapping) "
        r"(?:(?:my|the) (?:car|truck|bike|motorbike|motorcycle) )?(?:into|off) (?:a|the|some) "
        r"(?:tree|wall|pole|bridge|cliff|river|lake|truck|lorry|barrier|ditch|overpass|road|divider|median|guardrail|"
        r"guard rail|pillar|lamppost|lamp post|embankment)\b",
        r"\b(?:drive|driving|swerve|swerving|step|stepping|walk|walking|run|running|jump|jumping) (?:out )?into "
        r"(?:oncoming |the )?traffic\b(?! (?:court|school|jam|lights?|cones?)\b)",
        r"\b(?:drive|driving|swerve|swerving) off (?:a|the) (?:road|cliff|bridge)\b",
        r"\b(?:step|stepping|walk|walking|jump|jumping|throw myself|throwing myself|lie down|lying down|lay down) "
        r"(?:in front of|under|onto) (?:a|the|an|oncoming) (?:train|bus|car|truck|lorry|tracks|subway|tube|traffic)\b",
        r"\b(?:walk|walking|swim|swimming|wade|wading|drive|driving|go|going|head|heading) (?:out )?(?:into|in|to) "
        r"(?:the )?(?:ocean|sea|lake|river|water|woods|forest|desert)\b(?: \w+){0,3}? (?:and )?(?:not|never) "
        r"(?:come|coming) back\b",
        # Wanting to die, and the softer ways of saying it.
        # "I thought I was going to die" is how panic and withdrawal feel, so "going to" is left out.
        r"\b(?:want|wanted|ready|deserve|need) to die\b(?! of| laughing| from embarrassment)",
        r"\b(?:should just|could just|might as well|might as well just) die\b(?! of| laughing| from)",
        r"\bi (?:should|deserve to|ought to) (?:just )?die\b(?! of| laughing| from| a little| inside)",
        r"\blet me die\b",
        # Passive wishes: to be dead or gone, to not wake, for something else to do it. "wish I was gone on
        # holiday" and "disappear for a weekend" are a break, so "gone" and "disappear" count only for good
        # or on their own.
        r"\b(?:wish|wishing) (?:i|id)(?: (?:could|would|was|were|had|just|simply|already|be)){1,4} "
        r"(?:dead|died|die|gone(?= forever| for good| permanently|$)|not alive|not here anymore|stop existing|"
        r"not exist|cease to exist)\b",
        r"\bwish i (?:could|would) (?:just )?(?:die|not exist|(?:disappear|vanish|fade away)(?= forever| for good|"
        r" permanently| and never|$))",
        r"\bwish (?:i|id) (?:was|were|had) never (?:been )?born\b",
        r"\b(?:want|wanted|ready|need|going|wish i could) to (?:just )?be gone(?= forever| for good| permanently|$)",
        r"\b(?:hope|pray|praying|hoping) (?:that )?i (?:just )?die\b(?! of| laughing| from| when| before)",
        # Not waking, whatever words fall in between: "keep hoping I just don't wake up", "go to bed and
        # not wake up", "wish I'd never woken up this morning".
        rf"\b(?:hope|hoping|hoped|pray|praying|prayed|wish|wishing)\b(?: \w+){{0,3}}? (?:that )?i(?: \w+){{0,2}}? "
        rf"{_NOT_WAKE}",
        rf"\b(?:and|so|to|until|till|til|then)(?: that)?(?: i)?(?: (?:just|will|would|could|can|simply|finally)){{0,2}}"
        rf" {_NOT_WAKE}",
        r"\b(?<!what )if i (?:just )?(?:dont|never|didnt) wake up (?:tomorrow|again|ever)\b"
        r"(?! (?:at|by|in|on|early|late)\b)",
        r"\bwish i (?:didnt|wouldnt|dont) wake up\b",
        r"\b(?:wish|wishing) (?:i|id) (?:had )?(?:never|not|didnt) (?:woken|woke|wake) up"
        r"(?=$| this morning| today| again)",
        r"\b(?:dont|never) want to wake up" + _WAKE_TAIL,
        r"\b(?:disappointed|sad|upset|angry|annoyed|pissed|gutted|mad) (?:that )?i (?:woke up|am still alive|"
        r"im still alive|survived|didnt die|am still here|im still here|keep waking up)"
        r"(?=$| again| this morning| today| every)",
        # "I could sleep forever" is tiredness; wanting to sleep forever, or hoping it lasts, is not.
        r"\b(?:want to|wish i could|ready to|just want to) (?:go to )?sleep forever\b",
        r"\b(?:sleep|go to sleep|fall asleep) and (?:never|not) wake up\b",
        r"\b(?:sleep|asleep|bed|close my eyes)\b(?: \w+){0,3}? (?:hope|hoping|pray|praying|wish|wishing)(?: that)? "
        r"(?:its|it is|it will be|it lasts|this is|this is it|thats it|i stay asleep|i sleep) "
        r"(?:forever|for good|permanent)\b",
        r"\b(?:hope|hoping|pray|praying|wish|wishing)\b(?: \w+){0,3}? i (?:dont|wont|never|do not) make it "
        r"(?:through (?:the night|tonight|the week)|to (?:morning|tomorrow))\b",
        r"\b(?:wont|dont|never|not going to) (?:see|live to see) (?:the morning|tomorrow|another day|the sunrise|"
        r"next (?:week|month|year)|christmas|my (?:next )?birthday)$",
        r"\b(?:waiting|waiting around|just waiting) (?:to die|for death|for the end|to be dead)\b(?! of\b)",
        r"\bwhy (?:am i|do i keep|should i keep|do i even keep)(?: even| still| just){0,2} "
        r"(?:alive|living|breathing|waking up|here$)",
        r"\b(?:hope|hoping|pray|praying)(?: that)? (?:tonight|today|this) (?:is|will be) my last (?:night|day)\b"
        r"|\bmy last (?:night|day) (?:alive|on earth)\b",
        # Someone or something else doing it: a vehicle, an illness, an accident. A laugh after it ("hope
        # this workout kills me lol") leaves it a joke.
        r"\b(?:hopes?|hoping|prays?|praying|wish|wishes|wishing|wants?|wanting|wouldnt (?:mind|care) if|"
        r"dont (?:mind|care) if|waiting for)\b(?: \w+){0,3}? (?:(?:a|the|some) (?:car|truck|bus|train|lorry|van|semi|"
        r"drunk driver) (?:would |will |could |to |just |finally ){0,2}(?:hits? me|runs? me over|ran me over|"
        r"runs? over me|kills? me|takes? me out)|i (?:get|got|would get|was|were) (?:hit|run over|killed) by|"
        r"(?:ill|i|id)(?: \w+)? (?:get|be|am|die) (?:into|in) (?:a|an) (?:\w+ )?(?:accident|crash|wreck)|"
        r"(?:my|the) plane (?:crashes|goes down))\b",
        r"\b(?:hope|hopes|hoping|pray|prays|praying|wish|wishing)\b(?: \w+){1,6}? "
        r"(?:kills? me|takes? me(?: out| away)?|finish(?:es)? me off|(?:my )?heart (?:just )?(?:stops|gives out))"
        r"(?=$| already| soon| tonight| this time| for good| in my sleep)",
        r"\b(?:pray|praying|prayed|hope|hoping|wish|wishing) for (?:a|an) (?:heart attack|stroke|aneurysm|accident|"
        r"car crash|crash|overdose|fatal \w+)\b|\b(?:pray|praying|prayed|hope|hoping|wish|wishing) for "
        r"(?:death|the end|it to end)\b",
        # Not minding dying. "I don't care if I die trying" is a motto, so only a bare ending counts.
        r"\b(?:wouldnt|dont|do not|would not|couldnt) (?:mind|care)(?: \w+){0,2}? if i (?:\w+ ){0,4}?"
        r"(?:die|died|was dead|were dead|dropped dead|just died|didnt wake up|never woke up|got killed|wasnt here|"
        r"stopped existing)"
        r"(?=$| anymore| tonight| tomorrow| today| now| in my sleep| or (?:not|live)| at this point| honestly| tbh)",
        r"\b(?:wouldnt|would not|it wouldnt|it would not) be (?:the worst thing|so bad|that bad|a bad thing|a loss)"
        r"(?: \w+){0,2}? if i (?:died|was dead|were dead|didnt wake up|never woke up|wasnt here|didnt make it|"
        r"never made it|didnt come back|stopped existing)\b",
        r"\b(?:would|itd|id)(?: \w+)? be (?:\w+ )?(?:fine|ok|okay|a relief|a blessing|happy|glad|at peace|relieved)"
        r"(?: with it)? if i (?:died|was dead|were dead|didnt wake up|never woke up|wasnt here|stopped existing|"
        r"got (?:hit|run over|killed))\b",
        r"\b(?:being dead|dying|death|not existing|not being here|not being alive) (?:would be|is|seems|feels|sounds) "
        r"(?:so |much |a lot )?(?:easier|better|preferable|a relief|nicer|peaceful|more peaceful|kinder)\b",
        # "I'd rather die than go to that reunion" is hyperbole; rather dying than living is not. A bare
        # "I'd rather be dead" counts unless a laugh follows it.
        r"\bbetter off dead\b",
        r"\b(?:rather|prefer to) (?:just )?(?:be dead|die)\b(?! than| of| laughing| from)"
        r"(?!(?: \w+){0,6} (?:lol|lmao|lmfao|haha\w*|jk|rofl)\b)",
        r"\b(?:rather|prefer to) (?:just )?(?:be dead|die) than (?:live|living|go on|going on|keep (?:going|living|"
        r"fighting|feeling)|feel(?:ing)? (?:like )?this|face|facing|spend another|be alive|being alive|exist|existing|"
        r"wake up|waking up|go through (?:this|another|one more)|another day|one more day|deal with this|"
        r"keep doing this|carry on)\b",
        # Being a burden, or others being better off.
        r"\b(?:better|happier|easier) (?:off )?without me\b",
        # "better off if I was more organised" is about a habit, so what follows "was" must be an absence.
        r"\bbetter off if i (?:(?:was|were) (?:dead|gone|never born|not here|not around)|wasnt|werent|didnt|died|"
        r"disappeared|left(?=$| forever| for good))\b",
        r"\b(?:better|easier|happier)(?: off)?(?: for (?:everyone|everybody|them|all of you|my family|my kids))? if i "
        r"(?:wasnt (?:here|around|alive)|werent (?:here|around|alive)|was dead|were dead|was gone|were gone|"
        r"didnt exist|never existed|was never born|died|disappeared forever)\b",
        r"\bif i (?:was|were|wasnt|werent) (?:dead|gone|never born|not here anymore|not around anymore)\b",
        r"\b(?:im|feel like) (?:just )?a burden to (?:everyone|everybody|my family|them)\b",
        # "Nobody would care if I skipped the party" is about the party, so only dying or being gone counts.
        r"\bnoone (?:would|will|is going to|is gonna) (?:even |really |ever |actually )?(?:miss|notice|care)(?: me)?"
        r"(?= (?:if|when|once) i(?:m)? (?:just )?(?:died|die|was gone|were gone|wasnt here|werent here|disappeared|"
        r"vanished|was dead|were dead|didnt wake up|never woke up|stopped existing|killed myself|gone|dead)|$)",
        r"\b(?:suicide|dying|death|ending it|killing myself) (?:is|seems|feels|looks) (?:like )?(?:the|my)"
        r" only (?:option|way|answer|choice|way out|escape)\b",
        r"\b(?:dont see|cant see|cant find|theres no|there is no|no) (?:a |any |another |other )?(?:way out|escape)"
        r" (?:except|but|other than|apart from|besides) (?:dying|death|suicide|to die|ending it)\b",
        # Wanting it all to end. "I want this week to end" names something that ends anyway, so only "it all",
        # "everything" or a life counts without a "permanently".
        r"\bwant (?:it|it all|everything|this|the pain|all of it) (?:all )?to (?:stop|end|be over)"
        r"(?: \w+)? (?:permanently|forever|for good)\b",
        r"\bwant (?:it all|everything|all of it|all of this|all this) (?:just )?to end\b"
        r"(?! (?:up|well|happily|nicely|ok|okay|with|on|at|in)\b)",
        r"\bwant my life to (?:end|be over)\b",
        r"\bwant out (?:permanently|forever|for good|of (?:this life|life|existence|this world))\b",
        rf"\b{_HOLDING_OFF} (?:killing myself|ending it|ending my life|jumping)\b",
        # Looking for a method.
        r"\b(?:ways|how) to (?:die|kill myself|end (?:it|my life))\b",
        r"\b(?:how|ways?|methods?|best way|easiest way|quickest way) to (?:overdose|od|hang myself|tie a noose|"
        r"make a noose|bleed out|suffocate myself|poison myself)\b",
        # "the most painless way to quit smoking" has an aim of its own; a painless way to go does not.
        r"\bpainless (?:death|(?:way|ways) to (?:die|go|end it|do it|kill myself)|(?:way|ways)$)",
        # Looking up how much would be lethal. "How much does it take to get drunk" is not, so the amount
        # must be for dying, or nothing at all must follow.
        r"\bhow (?:many|much|long)\b(?: \w+){0,6}? (?:takes?|needed|would need|need|is enough|are enough) to "
        r"(?:die|kill (?:me|myself|a person|someone|you)|overdose|od|stop (?:my|your|a|the) heart|not wake up|"
        r"bleed out|end it)\b",
        r"\bhow (?:many|much)\b(?: \w+){0,5}? (?:is|are|would be|will be) (?:lethal|fatal|deadly|enough to die)\b",
        r"\bhow (?:many|much)\b(?: \w+){0,5}? (?:would|will|could|does|do|can|it would|it will|to) (?:it )?"
        r"(?:(?:kill|be enough to kill) (?:me|you|a person|someone)|stop (?:my|your|a persons) (?:breathing|heart))\b",
        r"\bhow many (?:of )?(?:my |the |these |those |his |her )?(?:\w+ )?" + _SUBSTANCE + r"(?: it)? "
        r"(?:would it|does it|will it|it would|it will|it) takes?$",
        r"\b(?:is|are|would be|would|will|be) (?:that |it |this )?(?:enough|a lethal dose|lethal|fatal) to "
        r"(?:die|kill (?:me|you|a person|someone)|overdose|od)\b",
        r"\b(?:looked up|looking up|look up|googled|googling|google|researched|researching|research|searched|"
        r"searching|search|checked|checking|find out|finding out|found out|figure out|figuring out|know|whats|what is|"
        r"how much is)(?: \w+){0,2}? (?:lethal|fatal|deadly) (?:dose|amount|overdose|quantity)\b",
        r"\b(?:dont know|not sure) how (?:much )?(?:longer|long) i can (?:keep going|go on|do this|hold on|"
        r"keep living|last|take (?:it|this)|keep doing this)\b",
        # Not wanting to be here or to go on.
        # "be here at this party" is about a place, so "here" followed by a place word does not count.
        # "don't want to be around drinkers" is about company, so "around" only counts on its own.
        r"\b(?:dont|no longer) want to (?:be here|be alive|live|exist|"
        r"be around(?=$| anymore| any ?longer| much longer)|go on|keep going|keep living)\b"
        r"(?! at| in| with| for| on| tonight with)",
        r"\bwant to (?:stop existing|stop being alive|stop living(?! in| like| with| for)|not exist|not be here|"
        r"not be alive|disappear forever|disappear for good|disappear permanently|disappear and never come back|"
        r"be dead|not wake up)\b",
        r"\bdisappear (?:forever|for good|permanently)\b",
        # "go on the trip" and "be here at work" are about plans and places.
        r"\b(?:not|dont know if i|not sure i|not sure if i|dont think i) (?:want to|can) "
        r"(?:live|be alive|go on|keep going|keep living|be here|stay alive|do this anymore|do life)\b"
        r"(?! (?:on|at|in|to|with|for) (?:the|a|an|this|that|my|your|his|her|our|their|work|school)\b)",
        r"\bcant (?:go on|keep going|keep living|do life|live like this)\b"
        r"(?= anymore| like this| any longer| living|$)",
        # "won't be around much longer at this job" is about a place, and "my nan won't be around much longer" about
        # someone else.
        _OWN_LEAD + r"(?:wont|not going to) (?:be here|be around|make it) (?:tomorrow|much longer|anymore|by)\b"
        r"(?! (?:at|in|on|with|for|tonight|today|this)\b)",
        r"\b(?:not going to|wont|dont think ill|not gonna|never going to) make it (?:through (?:the night|tonight|"
        r"the week|the weekend)|to (?:morning|tomorrow))\b(?! without\b)",
        r"\b(?:cant|dont) see myself (?:being alive|alive|living|still alive|making it|surviving) "
        r"(?:next|in|by|much|for|past|to|through)\b",
        # No point or reason to live. "no reason to keep living in this town" and "no point going on
        # holiday" are about a place or a plan, so a place or a plan after the verb rules them out.
        r"\bno (?:reason|point|purpose)(?: left| anymore)?(?: for me)? (?:to |in |of |for )?"
        r"(?:live|living|go on|going on|"
        r"being alive|being here|keep going|keeping going|existing|life|staying alive|wake up|waking up)\b",
        r"\b(?:(?:dont|cant|do not|no longer) see|see no|lost|theres no|there is no|is there|whats|what is|no|not any)"
        r"(?: \w+){0,2}? (?:point|reason|purpose|use) (?:for me )?(?:in |of |to )?"
        r"(?:me )?(?:even |still |keep |keeping |continuing |carry on )?(?:living|live|being alive|be alive|going on|"
        r"existing|staying alive|stay alive|waking up|wake up|being here|be here|carrying on|breathing|life)\b"
        r"(?! (?:in|at|with|to|here|there|the|a|holiday|vacation|this|that|without|early|late|before|on|near|sober|"
        r"clean|dry)\b)",
        r"\b(?:dont|cant|do not|cannot) (?:see|think of a reason|understand) why i (?:should|need to|have to|would) "
        r"(?:keep living|live|go on|be alive|stay alive|keep going|exist|be here)(?=$| anymore| any longer)",
        r"\bnothing (?:left )?to live for\b",
        r"\bwhats the point (?:of|in) (?:living|life|being alive|going on|existing|waking up|anything)\b",
        # Life itself without a point, as opposed to "everything feels pointless today".
        r"\b(?:my )?life (?:has|holds) no (?:point|purpose|meaning)\b",
        r"\b(?:living|being alive|existing|my life|my existence) (?:is|feels|seems) (?:so |completely |totally |just )?"
        r"(?:pointless|meaningless)\b",
        r"\b(?:life|living) (?:isnt|aint|not) worth (?:living|it)\b",
        r"\bnot worth living\b",
        r"\b(?:tired|sick) of (?:living|being alive|existing|life)\b(?! (?:on|in|with|as|without|paycheck)\b)",
        r"\b(?:done|finished) (?:with )?(?:living|life|being alive|existing)\b",
        r"\bgiv(?:e|ing|en) up on (?:life|living|everything)\b",
        r"\bhate being alive\b",
        r"\b(?:shouldnt|dont deserve to) (?:be alive|live|exist)\b",
        # The word itself. Someone else being suicidal still gets the card: the member may need the
        # numbers for them.
        r"\bsuicidal\b",
        r"\b(?:commit|committing|attempt|attempting) suicide\b",
        r"\b(?:thoughts?|thinking|think|thought|considering|contemplating|planning|plan|ideation|urges?)"
        r" (?:about |of |on )?(?:committing )?suicide\b",
        r"\bsuicide (?:thoughts?|ideation|plan|plans|note|urges?|feelings?|attempt)\b",
        r"\b(?:suicide|dying|death|killing myself|ending it|ending my life) (?:is|has been|keeps|keeps being) "
        r"(?:on my mind|in my head|all i (?:can )?think about|calling me)\b",
        # Notes, farewells and preparations.
        # A goodbye letter to a drink, a drug or the addiction is a recovery exercise, not a farewell.
        r"\b(?:writing|wrote|written|write|left|leaving) (?:a |my |some |the )?(?:goodbye|suicide) "
        rf"(?:notes?|letters?)\b(?! to (?:my )?(?:{_SUBSTANCE}|addiction|using|drinking|the bottle|weed|pot|gambling|"
        r"cigarettes|smoking|vaping|nicotine|my (?:addiction|habit|old life))\b)",
        # "wrote my note" with nothing after it; "wrote my note to the landlord" has an addressee.
        r"\b(?:wrote|written|writing|finished|left|typed) my (?:last |final )?note(?=$| and )",
        r"\bthis is (?:my )?goodbye\b(?! to (?!(?:everyone|you all|all of you|you guys|yall|the group)\b))",
        r"\b(?:last time|the last) (?:youll|you will|anyone will|anyone ll|yall will) (?:hear from|see) me\b",
        r"\b(?:wont|will never|will not) (?:ever )?(?:hear from|see) me (?:ever )?again\b"
        r"(?! (?:for|until|till|after|before|on|this|in|at)\b)",
        r"\b(?:ive |i )?(?:said|say) my goodbyes?(?: to (?:everyone|you all|all of you|you guys|my family|my kids))?$",
        r"\b(?:im|just|im just) saying (?:my )?goodbyes?(?: to (?:you all|everyone|all of you|you guys))?$",
        # "goodbye all" is also how a member signs off for the night, so it only counts with other signs.
        r"\bgoodbye forever\b",
        r"\b(?:want|wanted|going|planning|plan) to (?:overdose|od) and (?:die|not wake up)\b",
    ),
    "self_harm": (
        # "hurt myself at the gym" is an injury, so places and activities after the verb rule it out.
        r"\b(?:cut|cutting|burn|burning|burned|hurt|hurting|harm|harming|hit|hitting|injure|injuring|"
        r"scratch|scratching|punish|punishing|stab|stabbing) myself\b"
        # "on the stove" is an accident; "on purpose" is the opposite.
        r"(?! (?:at|in|on(?! purpose\b)|while|playing|lifting|running|cooking|working|moving|falling|shaving|skiing|"
        r"at the gym|badly at|in the kitchen))",
        # The words themselves; recovery milestones ("self harm free") are handled as past below.
        _BARE_SELF_HARM,
        r"\bself injur(?:y|e|ed|ing)\b",
        # "want to cut" is self-harm; "want to cut back / cut sugar / cut him off" is not.
        rf"\b{_INTENT} (?:cut|cutting|self harm|bleed|make myself bleed)\b"
        r"(?! (?:back|down|out|off|ties|it|my hair|carbs|sugar|corners|class|someone|people|them|him|"
        r"her|contact|loose|the|this|that|a|an|in|up|costs|calories|caffeine|ties|my losses|the cord)\b)"
        # "cut my nails" is grooming; "cut my arms" is not.
        r"(?! my (?!arms?|wrists?|legs?|thighs?|skin|stomach|hips?|body)\b)",
        # Bare "cut" only when nothing but a time or a body part follows: "i cut last night".
        r"(?:^|\b(?:i|still|been|keep|started|start|back to|used to|use to) )(?:cut|cutting)\b"
        r"(?= again| tonight| today| right now| deeper| last night| since| all (?:day|night)|"
        r" my (?:arms?|wrists?|legs?|thighs?|"
        # "cutting my legs workout short" is a shorter gym session.
        r"skin|stomach|hips?)\b(?! (?:workout|day|session|short|routine)\b)|$)",
        r"\b(?:cut|cutting) (?:again|deeper)\b",
        # Asking how to hold off is how a live urge is put: "how do I stop myself from cutting".
        rf"\b{_HOLDING_OFF} (?:cutting|self harming|hurting myself|harming myself|burning myself)\b",
        r"\bmake myself bleed\b",
        r"\b(?:until|till|til) (?:they|it|i|my \w+) (?:bleed|bleeds|bled|bleeding)\b",
        r"\b(?:relapsed?|relapsing) (?:on|with|into) (?:self harm|cutting)\b",
        r"\b(?:cutting|self harm) (?:relapse|urges?)\b",
        r"\burges? to (?:cut|self harm|hurt myself|harm myself|bleed|slice|carve|burn myself)\b",
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
        r"(?: (?:of )?(?:my |the |his |her |their |these |those )?(?:\w+s )?" + _SUBSTANCE + r"\b| again\b|"
        r" tonight\b| at once\b| on purpose\b| deliberately\b|(?= (?:i|im|and|now|so)\b)|$)",
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
        r"(?! on (?!purpose|" + _SUBSTANCE + r"))",
        # Someone else's overdose, described by what the member sees. A subject is required: "I can't
        # breathe" on its own is usually panic, which the check-in flow handles.
        # Only words for how the person looks may come between: "someone who isnt breathing" is a first-aid
        # question, not someone in the room.
        rf"\b{_OTHER} (?:(?:is|s|has|just|now|still|all|really|so|blue|grey|gray|pale|cold|purple|limp|and) ){{0,4}}"
        r"(?:isnt|not|stopped|barely|hardly) breathing\b",
        r"\b(?:turning|turned|going|lips are|lips going|lips turning) blue\b",
        # "is blue" of a person is a colour, not a mood: "feeling blue" has the verb of a mood in front.
        rf"\b{_OTHER} (?:is|s|looks|went|has gone) (?:all |really |so |completely )?(?:blue|grey|gray)\b",
        r"\b(?:cant|wont|cannot|wouldnt|couldnt) (?:wake (?:him|her|them|my \w+)(?: up)?|wake up)\b"
        r"(?= after| and| from|$)",
        rf"\b{_OTHER} (?:is |s |went |was |has gone |just went )?(?:totally |completely )?unresponsive\b",
        # "how to use narcan" is a member getting ready for a day that may never come.
        r"\b(?<!how to )(?<!how do i )(?<!how do you )(?<!learn to )(?<!learning to )"
        r"(?:need|needs|get|getting|use|using|where is (?:the|my)) narcan\b",
        # A plan to overdose on purpose: gathering the means.
        r"\b(?:saved up|saving up|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|"
        r"stashed) (?:all |some |enough )?(?:of )?(?:my |the |these )?" + _MEDICINE + r"\b",
        r"\b(?:saving|saved|stashing|stashed|stockpiling|hoarding|hiding) (?:them|my pills|the pills|pills)"
        r"(?: all)? up\b",
        # "saving my xanax for a bad day" is how an as-needed prescription is used, so saving counts only
        # over weeks or for a night.
        r"\b(?:saving|saved) (?:all )?(?:of )?(?:my |the |these |his |her )?" + _MEDICINE + r" (?:for "
        r"(?:weeks|months|days|a (?:week|month|while)|tonight|when im ready|the right time))\b",
        r"\b" + _MEDICINE + r" (?:saved|stashed|stockpiled|hoarded|hidden)(?: up)?\b",
        r"\benough pills to\b",
        r"\benough (?:of )?(?:my |the )?" + _MEDICINE + r"(?: \w+){0,3}? to "
        r"(?:do it|die|end it|kill|overdose|od|not wake up|be sure|finish)\b",
        # A whole supply at once. "drank a whole bottle of water" is thirst, so a container counts only with a
        # medicine in it.
        # The supply may be someone else's: "my mom's whole bottle".
        rf"\b{_INTAKE} (?:all of |all )?(?:my|the|a|his|her)(?: \w+s)? (?:whole|entire|full)(?: \w+)? "
        r"(?:prescription|script|supply|"
        r"stash|(?:bottle|pack|packet|box|strip) of (?:my |his |her )?" + _MEDICINE + r")\b" + _NOT_SWALLOWED,
        rf"\b{_INTAKE} (?:all|everything)(?: of (?:it|them)| i (?:have|had|got)| ive(?: got)?| i got)? at once\b",
        # Eating or chewing through a container counts only with a medicine named in it: "ate the whole box of
        # cookies" is a snack. The medicine is often someone else's ("my grandad's heart pills").
        rf"\b(?:{_INTAKE}|ate|eaten|eat|eating|chewed|chewing|chew|crushed) (?:all of |all )?(?:my|the|a|his|her)"
        r"(?: \w+s)? (?:whole|entire|full) (?:bottle|pack|packet|box|strip|sheet|blister pack|tub|jar|tube) of "
        r"(?:my |his |her |the |their )?(?:\w+s )?" + _MEDICINE + r"\b",
        # Hoping a drug is strong enough to kill: "hoping this batch is hot". The drug must be what "is" describes,
        # so "this batch of cookies is hot" and "the coffee is strong enough" are left alone.
        r"\b(?:hope|hoping|hopefully|pray|praying|wish|wishing)(?: that)? (?:this|the|my|that|this next|the next) "
        r"(?:batch|bag|dope|gear|shot|hit|bundle|point|stamp|fent|stuff|pill|press|bar|line) is (?:hot|laced|"
        r"too strong|cut with fent\w*|lethal|deadly|fatal|enough to (?:kill|end|do it))\b",
        # A lot of alcohol with pills on top, or the two mixed: the combinations that stop breathing.
        r"\b(?:drank|downed|finished) (?:a (?:whole |full |entire )?bottle|a fifth|a lot|too much|loads)\b"
        r"(?: \w+){0,4}? (?:and|then|with|plus) (?:took|swallowed|popped|downed|taking|swallowing) "
        r"(?:\w+ ){0,3}?" + _MEDICINE + r"\b",
        r"\bmix(?:ed|ing)? (?:my )?(?:xanax|xans|bars|benzos?|pills|opioids|fent|fentanyl|heroin|methadone|"
        r"sleeping pills) (?:with|and) (?:my )?(?:alcohol|booze|drinking|vodka|wine|beer|whiskey|fent|fentanyl|"
        r"heroin|benzos?|bars|xanax|xans|pills|sleeping pills|methadone|a fifth|a bottle|liquor|gin|rum|whiskey|wine|"
        r"beer|drinks)\b",
        # Taking something to not wake up, or until breathing stops.
        rf"\b{_INTAKE}\b(?: \w+){{0,8}}? (?:and|so|to|until|till|til|then)(?: that)?(?: i)?"
        rf"(?: (?:just|will|would|could|can|simply|finally)){{0,2}} {_NOT_WAKE}",
        r"\b(?:until|till|til) (?:i |my heart )?(?:stop breathing|stops|gives out|gives up|od|overdose|"
        r"(?:dont|never|cant) wake up)\b",
        rf"\b{_INTAKE} (?:every|each) (?:single )?(?:pill|tablet|one)(?: \w+){{0,2}}? (?:in|i|left|we)\b",
        rf"\b{_INTAKE} (?:(?:it|them|everything|all of it|all|more) )?(?:until|till|til) i (?:die|am dead|drop dead)\b",
        # "I was drinking myself to death" is how many recovery stories start, so only the present counts.
        r"(?<!was )(?<!were )(?<!been )\b(?:drink|drinking|use|using|shoot|shooting) myself to death\b",
    ),
    "danger": (
        # A person hurting or threatening the member. "hitting me" alone is left out: "it's hitting me
        # hard today" is about feelings, and "beating me at chess" is a game.
        rf"\b{_OTHER} (?:is |s |are |keeps |keep |just |has been |have been |started |is still )?"
        r"(?:hurting|hitting|beating|choking|strangling|attacking|threatening|punching|kicking|"
        r"following|stalking) me\b(?! (?:at|in|up|out|to|off)\b)",
        rf"\b{_OTHER} (?:just )?(?:hit|beat|choked|strangled|attacked|punched|kicked|raped|assaulted|pushed|shoved|"
        r"threw|slapped|stabbed|shot) me\b(?= again| tonight| today| just now| right now| and| now|$| down| into|"
        r" against| across| to the (?:floor|ground)| last night| this morning| earlier"
        # "hit me with a hard truth" is a way of talking; "hit me with a belt" is not.
        r"| with (?:a|the|his|her|their) (?:belt|bat|knife|bottle|pan|cord|fist|hammer|stick|chair|lamp|plate|bottle))",
        # The same violence against someone else in the home. "beating my brother at chess" and "hitting my
        # mum up for money" are not, so a following preposition rules it out.
        r"\b(?:choking|strangling|stabbing|punching|slapping|hitting|beating|beating up|kicking|attacking|"
        rf"smothering|throttling) {_THIRD_PARTY}\b(?! (?:out|up|off|at|in|on|with|to|over|back|for|by|online)\b)",
        r"\b(?:hands?|fingers|arm|knife|gun|blade) (?:is |are )?(?:around|on|to|against|at) my "
        r"(?:neck|throat|head)\b",
        rf"\b{_OTHER} (?:just )?(?:locked|trapped|is locking|is holding|tied|has tied|has locked) me "
        r"(?:in|inside|up|down)\b",
        # "won't let me leave dishes in the sink" is a house rule, so only leaving the place counts.
        rf"\b{_OTHER} (?:wont|will not|isnt|is not|doesnt|does not) (?:let|letting) me (?:leave|go|out|get out)"
        r"(?=$| the (?:house|room|flat|apartment|car)| home| and| alone| without)",
        # "hurt me" is usually about feelings, so only the here-and-now reading counts.
        rf"\b{_OTHER} (?:just )?hurt me (?:again|tonight|just now|right now)\b",
        r"\bthreat(?:en|ened|ening|ens) to (?:kill|hurt|stab|shoot) me\b",
        # Verbs nobody uses figuratively about themselves, whoever the subject is.
        r"\b(?:is|are|s|keeps|been|just) (?:threatening|choking|strangling|punching|kicking) me\b",
        r"\b(?:yelling|screaming|shouting|texting|texted|threatening) (?:that )?(?:hell|shell|theyll|he will|"
        r"she will|they will|hes going to|shes going to|theyre going to|going to) (?:kill|hurt|stab|shoot|"
        r"beat) me\b",
        # A reported threat, wherever the words fall: "he said if I leave he'll kill me". A trailing "if I'm
        # late" or "when she sees" is how the figurative "mum's going to kill me" goes.
        rf"\b{_OTHER} (?:is |s |keeps |just )?(?:said|says|saying|swears|swore|swearing|yelling|yelled|screaming|"
        r"screamed|shouting|shouted|threatening|threatened|texting|texted|telling me|told me)(?: that)?(?: \w+){0,4}? "
        rf"(?:{_THEY_WILL}|going to|gonna|will) (?:kill|murder|stab|shoot|strangle|hurt|beat) (?:me|us|my \w+)\b"
        r"(?! (?:if|when|for|because|bc|after|lol|haha)\b)",
        r"\b(?:said|says|saying|swears|swore|swearing|yelling|yelled|screaming|screamed|shouting|shouted|threatening|"
        rf"threatened|texting|texted)(?: that)?(?: \w+){{0,4}}? {_THEY_WILL} (?:kill|murder|stab|shoot|strangle|hurt|"
        r"beat) (?:me|us|my \w+)\b(?! (?:if|when|for|because|bc|after|lol|haha)\b)",
        rf"\b{_OTHER} (?:has|got|is holding|pulled|grabbed|is waving) (?:a|the|his|her|their) (?:gun|knife)\b"
        r"(?! (?:for|in|at|locked|safe|collection|set|block|license|licence|sharpening|sharpener)\b)",
        rf"\b(?:scared|afraid|terrified) {_OTHER} (?:is going to|will|ll|going to|might) "
        r"(?:kill|hurt|hit|beat) me\b",
        # Feeling unsafe, someone getting in.
        r"\b(?:afraid|scared|fear|fearing|terrified) for my life\b",
        r"\b(?:im not|not|dont feel|not feeling|never feel) safe(?= at home| here| right now| tonight|"
        r" anymore| with| around|$)",
        rf"\b{_OTHER} (?:just )?(?:broke|is breaking|breaking|trying to break|tried to break) in\b",
        rf"\b{_OTHER} (?:is |s |are )?(?:just broke|breaking|trying to break|tried to break|trying to get|"
        r"trying to force (?:his|her|their) way) (?:in|into)\b",
        r"\b(?:trying to|tried to) (?:break in|get in|break down the door|kick (?:in )?the door|"
        r"break into (?:my|the|our) (?:house|home|apartment|flat|room|place|bedroom))\b",
        r"\b(?:trying to (?:kick|break|bust|smash|force)|tried to (?:kick|break|bust|smash|force)|kicking|busting|"
        r"smashing|bashing) (?:in |down |open )?(?:my|the|our|his|her) (?:front |back |bedroom |bathroom |car )?"
        r"(?:doors?|windows?)\b",
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
        # A medicine by name counted out or lined up; "have my insulin ready" is an ordinary day, so only
        # the counting counts.
        r"\b" + _MEDICINE + r" (?:are |is )?(?:all )?(?:counted out|lined up|laid out|in front of me)\b",
        r"\b(?:counting|counted|lined up|lining up|laid out|laying out) (?:out )?(?:all |some |enough )?(?:\d+ )?"
        r"(?:of )?(?:my |the |these )?" + _MEDICINE + r"\b",
        r"\b(?:theres|there is|i have|ive|ive got|got|have|holding|with) (?:a|my|the) loaded "
        r"(?:gun|pistol|rifle|shotgun)\b",
        r"\bloaded (?:the|my|a) gun\b",
        # A noose has no other use. A rope tied to a boat or a tree swing is not one, so a rope only counts
        # tied up high or with nothing after it.
        r"\b(?:have|ive|ive got|got|bought|theres|there is) (?:a|the|my) noose\b",
        r"\b(?:tied|tying|made|making|hung|hanging) (?:a|the) noose\b",
        r"\b(?:tied|tying|hung|hanging) (?:a|the|my) rope(?=$| and| around my neck| up\b| to (?:the |a )?"
        r"(?:ceiling|beam|rafter|banister|bannister|door|railing|loft))",
        r"\b(?:rope|noose) (?:is |s )?(?:tied|hung|set up|ready)\b",
        # At a place or with a method, right now.
        r"\b(?:standing|sitting|stood|sat) on (?:the|a|top of the|the edge of the|the edge of a) "
        # The edge of a bed or the ledge of a pool is furniture and leisure, not a drop.
        r"(?:bridge|ledge|roof|rooftop|edge|tracks|railing|cliff)\b"
        + _NOT_FURNITURE
        # Up on the roof to fix it is a chore.
        + r"(?! (?:fixing|repairing|cleaning|painting|working|replacing|installing|clearing)\b)",
        r"\b(?:im|i am|standing|sitting|stood|sat)(?: right)? (?:at|on) (?:the )?(?:top|edge) of (?:the|a|this) "
        r"(?:parking garage|car park|multi storey|building|bridge|cliff|tower|roof|overpass)\b",
        r"\b(?:im|i am) (?:on|at) (?:the|a) (?:ledge|railing|tracks|edge of the roof)\b",
        r"\b(?:car|engine) (?:running |run |idling |on )?in (?:the|a) (?:closed |shut )?garage\b",
    ),
}

_COMPILED: tuple[_Pattern, ...] = tuple(
    _Pattern(kind, re.compile(source)) for kind in KIND_PRIORITY for source in _PATTERNS[kind]
)

# ---------------------------------------------------------------------------------------------------
# Cues: signs that mean little alone and a lot together. A goodbye alone is someone leaving the server
# and a rope alone is for a tent; a goodbye after giving the dog away, or a rope "and I know what it's
# for", is not. Each category lists its patterns; _combined_kind decides which mixes are a crisis.
# ---------------------------------------------------------------------------------------------------

_THREAT = (
    rf"\b(?:going to|gonna|will|ll|{_THEY_WILL}|wants to|trying to|tried to|threatened to|threatening to|"
    rf"swore to|coming to) (?:come |come and |come over and |come round and |come here and )?"
    rf"(?:kill|murder|stab|shoot|strangle|choke|hurt|beat|hit) (?:me|us|{_THIRD_PARTY})\b"
)

_CUES: dict[str, tuple[str, ...]] = {
    # The end of the rope, said outright. Most of these close a clause: "I'm done with this job" is not one.
    "despair": (
        r"\b(?:cant|can not) (?:do|take|handle|bear|stand) (?:this|it|any of this|the pain|life)"
        r"(?: anymore| any longer)\b",
        r"\b(?:cant|can not) (?:cope|take much more)(?: anymore| any longer)?$",
        r"\bim (?:so |just |completely |totally )?done$",
        r"\b(?:i give up|giving up|give up on everything)$",
        r"\b(?:tired|sick|exhausted) of (?:everything|it all|fighting|trying|the pain|hurting)$",
        r"\bnothing (?:left|matters)(?: anymore)?$",
        r"\bno (?:hope|way out)(?: left| anymore)?$",
        r"\b(?:noone|nothing) (?:cares|helps)(?: anymore)?$",
        r"\b(?:dont|do not) care (?:what happens(?: to me)?|anymore|if i live|whether i live)$",
    ),
    # Leave-taking. "said goodbye to my old using friends" is recovery; a goodbye to everyone is not.
    "farewell": (
        # "goodbye to my old using friends" and "goodbye night shift" name what is left behind, so a goodbye
        # counts only on its own or to people.
        r"\bgoodbyes?(?=$| (?:everyone|all|guys|friends|yall|you|world|forever|my (?:friends|family|loves?))\b| to "
        r"(?:everyone|you all|all of you|you guys|yall|the group|this group|my family|my kids)\b)",
        r"\bfarewell\b",
        r"\b(?:it was|its been|been) (?:nice|good|great|an honou?r|a pleasure) knowing "
        r"(?:you|yall|everyone|all of you)\b",
        r"\b(?:this is|this will be|heres|its) my (?:last|final) (?:check in|message|post|words|goodbye)\b",
        r"\b(?:last|final) (?:check in|message|post|goodbye)(?: \w+)? (?:ever|from me)\b",
        r"\bmy final (?:message|post|words|goodbye|check in)\b",
        r"^(?:my )?(?:last|final) (?:check in|message|post|goodbye)$",
        r"\b(?:said|say|saying) (?:everything|what) i (?:needed|wanted|had|have) to say\b",
        r"\b(?:sorry|apologies|forgive me) for everything(?: (?:guys|all|everyone|yall|you guys|friends))?$",
        r"^(?:im |i am )?(?:so )?sorry(?: (?:mum|mom|dad|everyone|guys|all|to everyone))?$",
        r"\b(?:the )?last time (?:ill|i will|im going to) (?:check in|post|message|write|talk to (?:you|anyone))"
        r"(?! (?:today|tonight|this|for|before|until|till)\b)",
        r"\btake care of (?:each other|yourselves)$",
        r"\bplease (?:take care of|look after|feed) my (?:\w+ )?(?:dog|dogs|cat|cats|pets?|kids|children|plants)$",
        r"\b(?:take care|look after) (?:of )?(?:my (?:\w+ )?(?:dog|cat|pets?|kids|children|son|daughter|rabbit|"
        r"bird|fish)|each other|yourselves|him|her|them) (?:for me|when im gone|after im gone|once im gone)\b",
        r"\b(?:when|after|once) im (?:gone|not here|not around|dead)\b(?! (?:for|on|to|next|this|at|from)\b)",
        r"\btell (?:my \w+|everyone|them|her|him|\w+) (?:that )?(?:i love|i loved|im sorry|i was sorry)\b",
        r"\b(?:theyll|theyd|youll|youd|everyone will|everyone would|they will|they would) (?:all )?be better off$",
        r"\b(?:wont|will not|dont|no longer) (?:need to|have to) worry about me"
        r"(?: anymore| soon| much longer| after)\b",
        r"\b(?:theyll|youll|shell|hell|everyone will|they will|you will) understand (?:one day|someday|some day|why)\b",
        r"\b(?:please )?(?:dont|try not to) be sad\b",
        r"\b(?:its|this is|it isnt|this isnt) (?:not )?(?:your|anyones) fault\b",
        r"\b(?:im )?(?:not|never) coming back\b",
        # Understated: "might not be around much longer". A place after it ("at this job", "in this server") is a
        # member moving on.
        _OWN_LEAD + r"(?:(?:might|may|probably|prob|likely|maybe)(?: not| wont)?|wont|will not|not going to) "
        r"(?:be around|be here) (?:for )?(?:much|any|very) longer\b(?! (?:at|in|on|with|for|tonight|today|this)\b)",
    ),
    # Thanks and love. Alone they are a milestone post, so they never add up on their own.
    "gratitude": (
        r"\bthank(?:s| you)(?: \w+){0,3}? for everything(?:$| you(?: all| guys)? (?:did|have done|ve done|done))",
        r"\b(?:i )?love (?:you all|you guys|yall|all of you|everyone here)$",
        r"\bthank(?:s| you)(?: all| everyone| guys)? for (?:trying|being there|putting up with me)$",
        r"^i love you(?: so much| all| guys| mum| mom| dad)?$",
    ),
    # Putting things in order: pets and belongings handed on, letters, a date, a will.
    "preparation": (
        # "gave my dog a bath" is care, not giving away, so something handed to the pet rules it out.
        r"\b(?:gave|giving|give|given|rehomed|rehoming|rehome|found (?:a )?(?:new )?homes? for) "
        r"(?:away )?(?:\w+ ){0,4}?my (?:\w+ )?(?:dog|dogs|cat|cats|pets?|puppy|kitten|rabbit|bird|birds|fish|"
        r"hamster|horse)\b(?! (?:a|an|her|his|its|their|some|the|food|treats|pills|medicine|bath|walk|dinner)\b)",
        r"\bmy (?:\w+ )?(?:dog|dogs|cat|cats|pets?) (?:is|are|will be) (?:with|taken care of by) "
        r"(?:my \w+|a friend|someone) now$",
        r"\b(?:gave|giving|give|given) (?:away )?(?:all (?:of )?my|everything i (?:own|have))(?! old\b)",
        # "gave away my old bike" is decluttering; what is given away still in use is not.
        r"\b(?:gave|giving|given) away my (?!old|spare|extra|unused|used|outgrown)\w+",
        r"\b(?:everything|things|it all|all my affairs) (?:is|are) (?:sorted|in order|taken care of|arranged|ready)$",
        r"\b(?:heading|going|walking|driving|on my way) (?:to|towards?) the (?:bridge|cliff|tracks|edge|roof|river|"
        r"overpass|train station platform)$",
        r"\b(?:leaving|left|leave) (?:everything|all my \w+|my \w+ and my \w+) to (?:my|her|him|them)\b",
        # Amends letters (step nine) are recovery work, so "amends" or "everyone I hurt" rules it out.
        r"\b(?<!amends )(?:letters|notes|a letter|a note|cards) (?:to|for) (?:everyone|each of|you all|"
        rf"the people i love|all of you|my (?:family|kids|children|parents|{_RELATION}))\b"
        r"(?! i (?:hurt|harmed|wronged|owe)\b)",
        r"\b(?:wrote|finished|left) (?:a|my) note\b",
        r"\bmy note is (?:written|done|ready|finished)\b",
        r"\b(?:tonights|tonight is|todays|today is|tomorrows|tomorrow is) the (?:night|day)\b",
        r"^its time$",
        r"\b(?:picked|chosen|chose|set|choose|pick|picking) (?:a|the) (?:date|day)\b",
        r"\b(?:made|making|make) (?:my )?peace\b(?! with\b)",
        r"\b(?:im |i am )?at peace (?:now|with (?:it|my decision|everything|what im going to do))$",
        r"\b(?:affairs|things|everything) in order\b",
        r"\b(?:updated|wrote|made|finished|signed) (?:my|a) will\b",
        r"\b(?:wont|dont|will not|not going to) need (?:it|them|this|these|that|those|my \w+|any of (?:it|this))"
        r"(?:(?: \w+)? (?:anymore|where im going|after (?:tonight|today|this week))\b|$)",
        r"\bwhere im going\b",
    ),
    # Means acquired or kept. Plain "got my pills" is a pharmacy run, so pills count only as a stash.
    "means": (
        r"\b(?:bought|buy|buying|got|get|getting|have|ive|ive got|found|ordered|order|picked up|took|grabbed|hid|"
        r"hiding|keep|kept|stole|borrowed|stockpiled|stockpiling|stashed|saved|got hold of|get hold of|"
        r"getting hold of)(?: (?:a|an|the|some|my|his|her|"
        r"their|a new|a bunch of|a pack of|a box of|\w+s|my \w+s))?(?: \w+)? (?:rope|noose|gun|pistol|handgun|"
        r"firearm|shotgun|rifle|bullets|ammo|blade|blades|razor blades|razors?|knife|helium|charcoal|poison|"
        r"enough pills|a (?:bottle|stash|lot|box) of pills)\b",
        r"\b(?:stockpiling|stockpiled|hoarding|hoarded|stashing|stashed|saving up|saved up)\b(?: \w+){0,3}? "
        r"(?:for weeks|for months|for a while|since)\b",
    ),
    # Intent or a plan, without naming what for.
    "intent": (
        r"\bi know (?:exactly )?what (?:its|it is|theyre|they are|thats|that is|this is) for\b",
        r"\bi know (?:exactly )?what (?:i need|ive|i have|i got|i must|im going|i should) to do\b",
        r"\bi know (?:exactly )?what (?:to do|im doing|ill do|i will do|im going to do) with (?:it|them|this|that)\b",
        r"^(?:im|i am) (?:so |finally |just )?ready(?: to go)?(?: now)?$",
        r"\b(?:and|with) a plan$",
        r"\b(?:keep|kept|been|cant stop) (?:looking at|staring at|holding|thinking about) "
        r"(?:it|them|the (?:rope|gun|knife|blade|pills|noose))\b",
        r"\b(?:have|ive|got|ive got) it (?:all )?(?:planned|figured)(?: out)?\b",
        r"\b(?:use|using|turn|turning|point|pointing|try|trying) (?:it|them|that|this|one) on myself\b",
        r"\b(?:going to|gonna|will|ill|planning to|plan to|about to|ready to|want to) (?:use|do) (?:it|them|this|that)"
        r"(?: tonight| today| now| soon| this weekend| tomorrow)?$",
        r"\b(?:thinking about|thinking of|think about) (?:using|doing) (?:it|them|that)\b",
        r"\b(?:for when|once) (?:im ready|i am ready|the time (?:comes|is right))\b|\bwhen the time comes\b",
        r"\b(?:have|ive|got|made|ive got|ive made) (?:a|the|my) plan\b(?! (?:for|with|to (?:stay|get|go|call|keep))\b)",
        r"\b(?:dont|please dont|no need to) (?:try to )?(?:stop|find|look for|come (?:looking for|after)|save) me\b",
        r"\b(?:dont|please dont|no need to|you cant) (?:try to )?talk me out of (?:it|this)\b",
        r"\b(?:noone|nothing) (?:can|will|is going to) stop me\b",
        # An exit, a when or a how with nothing after to say what for; "my exit from this job" names it.
        r"\b(?:planning|planned|plan|planing) (?:my|an|the) exit$",
        r"\b(?:figured|worked|figuring|working|sorted|sorting) out (?:the|a) (?:how|when|where)"
        r"(?: and (?:the )?(?:how|when|where))*$",
        r"\b(?:work|working|worked|build|building|get|getting|muster|mustering|find|finding) up (?:the )?"
        r"(?:nerve|courage|guts)$",
    ),
    # An overdose taken on purpose: "on purpose" plus a large or mixed dose.
    "on_purpose": (r"\b(?:on purpose|deliberately|intentionally|purposely|purposefully)\b",),
    "big_dose": (
        rf"\b{_INTAKE}\b(?: \w+){{0,5}}? (?:a (?:whole |full )?(?:bottle|pack|packet|box|handful|fistful|strip)|"
        r"(?:all|most|double|triple) (?:of )?(?:my|the|his|her)|too (?:much|many)|extra|everything|a lot of|"
        rf"a (?:bunch|load|handful|ton) of|so (?:much|many)|with (?:my |the |some )?{_SUBSTANCE})\b",
        rf"\b(?:drank|drinking|drink|mixed|mixing|mix)\b(?: \w+){{0,6}}? (?:after|with|on top of|while on|and) "
        rf"(?:taking )?(?:my |the |some )?{_MEDICINE}\b",
        r"\b(?:a|the) (?:whole|full|entire) (?:bottle|pack|packet|box|strip)\b",
    ),
    # Danger from another person, in parts: a threat, someone at the door, a weapon, fear, a plea.
    "threat": (
        rf"\b{_OTHER} (?:\w+ )?(?:followed me (?:home|here|to my)|is following me|s following me)\b",
        r"\b(?:have been|has been|been|are|keep|keeps|started) (?:following|chasing|stalking) me\b",
        _THREAT + r"(?! (?:if|when|for|because|bc|after|at|in|lol|haha)\b)",
    ),
    # "She'll kill me if I'm late" is how the figurative threat goes, so a threat with a condition only
    # counts when someone is at the door or armed.
    "conditional_threat": (_THREAT + r"(?= (?:if|when|unless)\b)",),
    "intruder": (
        r"\boutside (?:my|the|our) (?:door|window|house|home|apartment|flat|room|place|building|bedroom)\b",
        r"\b(?:someone|somebody|a (?:man|guy|stranger|woman)|theres (?:someone|somebody|a \w+)) (?:is )?in "
        r"(?:my|the|our) (?:backyard|yard|garden|house|home|flat|apartment|room|bedroom|hallway|driveway|kitchen)\b",
        r"\b(?:banging|pounding|hammering|kicking|knocking) (?:on |at |down )?(?:my|the|our) "
        r"(?:door|window|windows)\b",
        rf"\b{_OTHER} (?:is |s |are |just )?(?:showed up|turned up|came back|came over|came round|"
        r"coming (?:back|over|here|for me|home)|back|here|home|outside|"
        r"inside|in the house|downstairs|at the door|at my door|on (?:his|her|their) way)\b",
        rf"\b{_OTHER} (?:is |s |are |gets |got )?(?:so |really |very )?(?:drunk|high|wasted|raging|violent|"
        r"furious|out of control)\b",
        r"\b(?:took|taken|smashed|broke|grabbed|has) my (?:phone|keys)\b",
        r"\bwont (?:leave|go away)\b",
        r"\b(?:broke|broken|breaking) into (?:my|the|our) (?:house|home|apartment|flat|room|place|bedroom)\b",
    ),
    "weapon": (
        r"\b(?:with|has|got|holding|grabbed|pulled|waving) (?:a|the|his|her|their) (?:gun|knife|knives|weapon|bat|"
        r"machete|hammer|axe|blade)\b",
    ),
    "fear": (
        r"\b(?:scared|terrified|afraid|frightened|panicking)\b|\b(?:scaring|frightening) me\b",
        r"\bhiding (?:in|under|from|behind|inside)\b",
        # Where people hide when someone is in the house.
        r"\b(?:im|i am|hiding|hid|locked) (?:in|inside|under) (?:the|my) (?:closet|wardrobe|cupboard|attic|basement|"
        r"bathroom|bed)\b",
        r"\bcan hear (?:them|him|her|someone|somebody|footsteps)\b",
        r"\blocked (?:myself )?in\b",
        r"\b(?:call|called|calling|ring|rang) (?:the )?(?:police|cops|911|999|112|000)\b",
    ),
    # Asking what to do is how a frightened message often ends, and how a craving question ends too, so
    # it only adds to a threat or a weapon.
    "urgency": (
        r"\bwhat (?:do|should|can) (?:i|we) do\b",
        r"\b(?:help me|please help|send help|someone help)\b|^help\b|\bhelp$",
    ),
}

# Signs that mean something only in a particular pair (see _combined_kind). Alone each is an errand, a bath, a
# walk by the sea or a grumble about a partner; together they are the crisis the pair describes.
_PAIRED_CUES: dict[str, tuple[str, ...]] = {
    # Affairs put in order: accounts closed, bills paid, a pet now living elsewhere, notes written. Each is an
    # ordinary errand, so they count only three together (or with a calm or another sign).
    "errand": (
        r"\b(?:cancel\w*|closed|closing|close|shut down|deleted|deleting|ended|ending) (?:my |all my |all of my |the )?"
        r"(?:\w+ ){0,2}?(?:phone|contract|accounts?|subscriptions?|netflix|spotify|membership|lease|email|socials|"
        r"social media|profiles?)\b",
        r"\b(?:paid|paying|cleared|clearing|settled|settling) (?:off )?(?:all )?(?:of )?(?:my |the )?(?:bills|debts?|"
        r"rent|loans?|credit cards?|tabs?)\b|\b(?:bills|debts?|rent|loans?) (?:are |is |all )?(?:paid|cleared|"
        r"settled)\b",
        # Only "now", or nothing after: "my cat is with my neighbour this weekend" is a trip.
        r"(?:^|\b(?:and|now) )(?:my )?(?:dog|dogs|cat|cats|pets?|puppy|kitten|rabbit|bird|birds|hamster)"
        r"(?: is| are| s)? (?:with|living with|staying with|taken care of by) (?:my|the|a|our|her|his) \w+(?: now)?$",
        r"\b(?:notes?|letters?) (?:are |is )?(?:written|done|finished)$",
        r"\b(?:everything|everythings|it all|all) (?:is |s )?(?:sorted|sorted out|taken care of|squared away)$",
    ),
    # The calm that can follow a decision. Alone it is a good day.
    "calm": (
        r"\b(?:weirdly|strangely|oddly|surprisingly|eerily|unusually) (?:calm|peaceful|at peace)\b",
        # A plain "feel so calm" closing the message; "so calm about money now" says what about.
        r"\b(?:feel|feeling|im|i feel) (?:so |very |really |totally )?(?:calm|peaceful)(?: now| tonight| today)?$",
        r"\b(?:its|it is|this is|its just|it will be|itll be) (?:easier|better|for the best) (?:this way|like this)$",
    ),
    # A means in hand, said flatly at the end of a clause, and staying with it: "i have the gun here. sitting
    # with it". "sitting with it" alone is how members describe a feeling.
    "means_held": (
        r"\b(?:ive|ive got|got|i got|have|have got|holding) (?:the|my|a|some|all the|all my) (?:pills|gun|rope|noose|"
        r"knife|blade|blades|razor|razors|pistol|shotgun|rifle|belt)"
        r"(?: here| right here| with me| now| on me| ready)?$",
    ),
    "staying_with": (
        r"^(?:(?:im|just|im just|been|ive been|still|im still) )?(?:sitting|sat|staring|looking)(?: here)? (?:with|at) "
        r"(?:it|them)(?: now| again)?$",
    ),
    # A form-like plan: a method or place, and when or "ready to go". Outings are ruled out in _PAIRS.
    # Only a describing word or an owner may come before the method: "plan: refill pills" is an errand.
    "form_plan": (
        r"^(?:plan|method|how) (?:is )?(?:the |my |a |an |some |all |all my |all the )?(?:(?:old|big|high|local|train|"
        r"rail|railway|motorway|\w+s) )?(?:bridge|lake|river|ocean|sea|cliff|cliffs|tracks|train|rope|noose|gun|knife|"
        r"blade|razor|roof|rooftop|overpass|garage|overdose|hanging|jump|jumping|woods|ledge|car park|parking garage|"
        + _MEDICINE
        + r")$",
        # "where: the lake" is as often a day out, so a bare place counts only when it is a drop.
        r"^(?:where|place) (?:is )?(?:the |a )?(?:(?:old|big|high|local|train|rail|railway|motorway|\w+s) )?(?:bridge|"
        r"cliff|cliffs|tracks|roof|rooftop|overpass|ledge|car park|parking garage)$",
    ),
    "form_time": (
        r"^(?:when|time|date) (?:is )?(?:tonight|today|now|asap|soon|tomorrow|this \w+|next \w+|after \w+(?: \w+)?|"
        r"at \w+|before \w+(?: \w+)?|on \w+|monday|tuesday|wednesday|thursday|friday|saturday|sunday|midnight|"
        r"\d+\w*)\b",
        r"\bready to go$",
    ),
    # The easiest way to go, with the finding of the body thought through. "the easiest way to go to the
    # airport" has a destination.
    "way_to_go": (
        r"\b(?:easiest|quickest|fastest|simplest|best|least painful|cleanest|most peaceful) (?:way|ways|method) to go\b"
        r"(?! (?:to|home|back|out|for|about|from|into|there|here|with|through|up|down)\b)",
    ),
    "found_body": (
        r"\b(?:find|finds|found|finding) my body\b",
        r"\b(?:(?:doesnt|dont|wont|never|do not|does not) (?:have to|need to|want to) (?:be )?|having to (?:be )?|"
        r"without (?:anyone|anybody|someone|them|my \w+) having to (?:be )?)?"
        r"the (?:ones?|person|people) (?:who|that|to) (?:find|finds|found) me\b",
        r"\bwithout (?:anyone|anybody|someone|them|my \w+) having to (?:find|see) (?:me|my body)\b",
        # The "don't" belongs to the match, so the negation check does not read "so they don't have to find me" as
        # denying it.
        r"\b(?:(?:doesnt|dont|wont|never|do not|does not|shouldnt) )?(?:have|has|having|need|needs) to (?:find|see) "
        r"(?:me|my body)\b",
    ),
    # Walking into the sea with the phone turned off. A swim has a "for" after it, and a night off the phone
    # says for how long.
    "into_water": (
        r"\b(?:walk|walking|walked|wade|wading|waded|swim|swimming|go|going|head|heading|run|running)(?: out)? "
        r"(?:into|in to) (?:the )?(?:ocean|sea|river|lake|waves|water|surf)\b(?! (?:for|with|to)\b)",
    ),
    "phone_off": (
        r"\b(?:(?:turn|turning|turned|switch|switching|switched|getting|get|got) off (?:my |the )?phone|"
        r"(?:turn|turning|turned|switch|switching|switched|put|putting) (?:my |the )?phone (?:off|down|away))\b"
        r"(?! (?:for|at|until|till|to)\b)",
    ),
    # In the bath with a blade or pills and not coming out. "not coming out tonight" is a party missed, and
    # "coming out as" is something else entirely.
    "tub_means": (
        r"\b(?:in|into) (?:the|my|a) (?:bath|bathtub|tub|bathroom|shower)\b(?: \w+){0,2}? (?:with|and) "
        r"(?:a |the |my |some |all my |all the )?(?:blade|blades|razor|razors|knife|" + _MEDICINE + r")\b",
    ),
    "not_out": (
        r"\b(?:not|never) (?:coming|getting|going to come|going to get|planning on coming|planning on getting) out\b"
        r"(?! (?:to|as|tonight|for|of (?:bed|the closet)|with|at|today|until|till|til|yet|before|when|in time|on time|"
        r"this (?:weekend|week|evening|afternoon|morning|year))\b)",
    ),
    # A wound made on purpose, and wanting another now.
    "wound_on_purpose": (
        # "a cut on purpose in the fabric" is sewing; "in my arm" is not.
        r"\b(?:a|the|this|that) (?:cut|burn|wound|gash|slice)(?: (?:i|ive) (?:did|made|gave myself))? "
        r"(?:on purpose|deliberately|intentionally)\b(?! (?:in|into|through|to|on|of|for) (?:the|a|an|this|that)\b)",
        r"\b(?:cut|burned|sliced|carved|scratched) (?:my (?:arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|"
        r"hip|hips)|myself) (?:on purpose|deliberately|intentionally)\b",
    ),
    "another": (
        r"\b(?:want|need|going|about|ready|tempted|itching|urge) to (?:do|make) (?:another|one more|more|it again)"
        r"(?: one)?(?=$| now| tonight| right now)",
    ),
    # Violence that keeps happening, and its trigger under way or a threat for tonight. "beats me at mario
    # kart" and "hits me up for money" have a preposition after them.
    "habitual_violence": (
        rf"\b{_OTHER} (?:always |still |sometimes |usually |often |just )?(?:hits|beats|chokes|strangles|punches|"
        r"kicks|slaps|hurts|attacks|smacks|shoves|throttles|rapes) me\b(?! (?:at|in|up|on|out|off|to|with|over)\b)"
        # "when he's high", "when I talk back"; "when we play chess" is a game.
        r"(?: \w+){0,2}? (?:when|whenever|every time|if|after) (?:hes|shes|theyre|he|she|they|i|im|id)\b",
    ),
    "violence_trigger": (
        r"\b(?:hes|shes|theyre|he is|she is|they are) (?:\w+ )?(?:drinking|drunk|high|wasted|using|hammered|raging|"
        r"coked up)(?: \w+)? (?:right now|now|tonight|already|again)\b",
        r"\b(?:hes|shes|theyre|he is|she is|they are) (?:on (?:his|her|their) way (?:home|back|here|over)|"
        r"coming (?:home|back|over)|almost home|nearly home)\b",
    ),
    "threat_tonight": (
        r"\b(?:said|says|saying|texted|texting|told me|telling me|yelled|screamed|warned me|messaged)(?: that)? "
        r"(?:tonight|later) (?:im|i am|i was) (?:going to|gonna) get it\b",
        r"\b(?:im|i am) (?:going to|gonna) get it (?:tonight|later tonight)\b",
    ),
    # In a garage with the engine running, in either order and across clauses ("the engine's running and i'm in
    # the garage"). Warming the car up or fixing it is ruled out over the whole text (see _PAIRS).
    "in_garage": (
        r"\b(?:im|i am|sitting|sat|lying|locked|shut) (?:\w+ )?(?:in|inside) (?:the|my|a|our) "
        r"(?:closed |shut )?garage\b",
    ),
    "engine_on": (
        r"\b(?:car|engine|motor)s?(?: is| still| left)? (?:running|idling)\b"
        r"(?! (?:rough|fine|well|badly|late|low|out)\b)|\b(?:car|engine|motor)s? (?:is|still|left) on\b",
    ),
    # Waiting for pills to work, while asking that nobody be called.
    "waiting_dose": (
        r"\b(?:waiting|wait) for (?:the |my |these |those |all the )?(?:pills|them|it|they|stuff|dose|"
        + _MEDICINE
        + r") to (?:kick in|work|take effect|hit|do (?:their|its) (?:thing|job))\b",
    ),
    "secrecy": (
        r"\b(?:dont|do not|please dont|no need to) (?:call|ring|phone|tell|text|alert|get) (?:anyone|anybody|noone|"
        r"an ambulance|the ambulance|911|999|112|000|the police|the cops|for help|emergency\w*|ems|an ambo)"
        # Said as a plea on its own; "don't tell anyone I'm a baby about pain" goes on to say what not to tell.
        r"(?: please| pls| ok| okay| yet)?$",
    ),
    # Five to nine of a named sedative or opioid, and reaching for more.
    "counted_dose": (
        rf"\b(?:{_INTAKE}|had|ate|chewed) (?:like |about |around |maybe |probably |already |just )?(?:[5-9]|five|six|"
        r"seven|eight|nine) (?:of )?(?:my |the |his |her |these |those |their )?(?:\w+s )?" + _SEDATIVE_NAME + r"\b",
    ),
    "more": (
        r"\b(?:reaching for|going for|taking|grabbing|popping|swallowing|about to take|going to take|getting) "
        r"(?:some |a few |even |a couple )?more\b",
    ),
}

_COMPILED_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (category, re.compile(source))
    for cues in (_CUES, _PAIRED_CUES)
    for category, sources in cues.items()
    for source in sources
)

# Categories that add up to a suicide warning. Two of them never do on their own: despair alone is a
# hard week, thanks alone is a milestone post.
_SUICIDE_CUES = frozenset({"despair", "farewell", "gratitude", "preparation", "means", "intent"})
_DANGER_CUES = frozenset({"threat", "conditional_threat", "intruder", "weapon", "fear", "urgency"})

# A goodbye with a way back in it ("see you next week", "going on holiday") is a member leaving for a
# while, so its farewell and thanks do not count.
_LEAVING_FOR_A_WHILE = re.compile(
    r"\b(?:see you|see yall|talk (?:soon|later|tomorrow)|catch you|back (?:on|in|next|soon|tomorrow|after|when|"
    r"from|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|until next|till next|for (?:a while|now|"
    r"the (?:weekend|week|month|summer|holidays))|vacation|holiday|trip|moving|new (?:job|group|server|city|town)|"
    r"leaving (?:the|this) (?:server|group|chat|discord)|a break from|offline)\b"
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
    r"|(?:weeks|months|years|decades) ago"
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
    r"|passed away|(?<!my )(?<!my own )funeral|memorial|in memory|rest in peace|rip|lost (?:my|a|our|his|her|him|them) "
    r"\w*\s?(?:to|from)|killed (?:himself|herself|themselves)|took (?:his|her|their) (?:own )?life"
    r"|awareness|prevention|training|documentary|podcast|article|movie|film|book|episode|series"
    r"|show about|statistics|stats|lecture|class about|speaker|naloxone kit|narcan kit|carry narcan"
    r"|asked (?:me )?(?:if|whether)"
    # Someone else's attempt or overdose, told at a meeting or in a share.
    r"|(?:his|her|their|someones|a friends) (?:own |first |last )?"
    r"(?:suicide attempt|attempt|overdose|suicide|self harm))\b"
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


# A "not" inside a request for help or a struggle ("a tip for not killing myself", "trying not to cut",
# "how do I not") is the member naming the urge they are fighting, not denying it.
_ASKING_HOW_NOT_TO = re.compile(
    r"\b(?:for|how|how to|how do i|how can i|help me|helping me|trying|try|tips?|way to|ways to|fighting|"
    r"struggling|hard|hardest|keep myself|stop myself)(?: really| so| very| just)? (?:not|from)(?: to)?$"
)

# Words that put the act itself in the present or near future ("if im just going to kill myself anyway"),
# whatever past milestone shares the clause ("30 days sober"). "used to want to" and "was going to" keep
# their past: the anchor needs the member as the subject right in front of it.
_NOW_ANCHOR = re.compile(
    r"\b(?:im|i|ill)(?: just| really| so| still| literally| seriously| actually)? "
    r"(?:going to|about to|planning to|ready to|want to|need to)(?: just)?$"
)


def _anchored_now(clause: str, start: int) -> bool:
    return _NOW_ANCHOR.search(_words_before(clause, start, 6)) is not None


# An urge or a thought placed earlier in the day, and the later words saying it has passed.
_EARLIER_URGE = re.compile(
    r"\b(?:urges?|thoughts?|impulse|wanted to|felt like)\b(?: \w+){0,6}? "
    r"(?:earlier|this morning|last night|yesterday|at work|before)\b"
    r"|\b(?:earlier|this morning|last night|yesterday)\b(?: \w+){0,6}? "
    r"(?:urges?|thoughts?|impulse|wanted to|felt like)\b"
)
_RESOLVED = re.compile(
    # The word in between may be "really" or "finally", never "hasnt": "it hasn't passed" is the opposite.
    r"\b(?:its|it|they|the urge|the urges|urges?|thoughts?|it all)"
    r"(?: (?!(?:not|never|hasnt|havent|hadnt|isnt|arent|wasnt|werent|didnt|wont|doesnt|dont)\b)\w+)? "
    r"(?:is |are |has |have )?"
    r"(?:gone|passed|went away|faded|eased)\b"
    r"|\b(?:feeling|feel|im|doing) (?:ok|okay|alright|fine|better|safe)\b|\bbetter now\b"
)


def _words_before(clause: str, start: int, count: int) -> str:
    return " ".join(clause[:start].split()[-count:])


def _is_negated(clause: str, start: int) -> bool:
    window = _words_before(clause, start, NEGATION_WINDOW_WORDS)
    if _DOUBT.search(window) or _ASKING_HOW_NOT_TO.search(window):
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


def _cues(clause: str) -> Iterator[tuple[str, int, str]]:
    for number, (category, regex) in enumerate(_COMPILED_CUES):
        match = regex.search(clause)
        if match is not None and not _is_negated(clause, match.start()):
            yield category, number, match.group(0)


def _first_words(cues: dict[str, dict[int, str]], categories: list[str]) -> str:
    return " + ".join(next(iter(cues[category].values())) for category in categories)


# A plan for a day out names its company or its pastime, and a medicine schedule its prescriber or its meal; a
# plan for dying does neither.
_OUTING = re.compile(
    r"\b(?:fishing|fish|swim|swimming|picnic|boat|boating|kayak\w*|canoe\w*|paddl\w+|hike|hiking|camping|bbq|"
    r"barbecue|sunset|photos?|walk the dog|with (?:the|my) (?:kids|family|friends|dog|sponsor|group|wife|husband|"
    r"partner|girlfriend|boyfriend|mum|mom|dad)|with (?:breakfast|lunch|dinner|food|a meal)|prescribed|as directed|"
    r"(?:the |my )?(?:doctor|doc|gp|psychiatrist|pharmacist) (?:said|says|told|wants))\b"
)
# Antidepressants take weeks to work, and painkillers are taken for a pain: waiting for either is treatment, not
# a dose taking hold.
_TREATMENT_WAIT = re.compile(
    r"\b(?:antidepressants?|ssris?|sertraline|zoloft|prozac|fluoxetine|citalopram|escitalopram|lexapro|weeks now|"
    r"weeks to (?:work|kick in)|(?:few|couple of|couple|some) weeks|(?:after|for) (?:my |the |this )?(?:tooth|teeth|"
    r"surgery|op|operation|dentist|injury|back|headache|migraine|period|cramps|knee|shoulder|toothache|hangover))\b"
)
# An engine run in a garage to warm the car, with the door open or to fix it is a cold morning or a chore.
_WARMING_UP = re.compile(r"(?:\b(?:to )?warm\w*|\bdefrost\w*|\bdoor (?:is |s )?(?:open|up)|\bfix\w*|\brepair\w*)\b")

# Pairs of signs that are a crisis together: (kind, sign, any of these partners, unless this is in the text).
_PAIRS: tuple[tuple[str, str, frozenset[str], re.Pattern[str] | None], ...] = (
    # "he chokes me when he's drunk" and he is drinking now, or has said tonight is the night.
    ("danger", "habitual_violence", frozenset({"violence_trigger", "threat_tonight"}), None),
    ("danger", "in_garage", frozenset({"engine_on"}), _WARMING_UP),
    ("overdose", "waiting_dose", frozenset({"secrecy", "farewell", "big_dose"}), _TREATMENT_WAIT),
    ("overdose", "counted_dose", frozenset({"more", "on_purpose"}), None),
    ("suicide", "staying_with", frozenset({"means_held"}), None),
    ("suicide", "form_plan", frozenset({"form_time"}), _OUTING),
    ("suicide", "way_to_go", frozenset({"found_body"}), None),
    ("suicide", "into_water", frozenset({"phone_off", "farewell"}), None),
    ("suicide", "tub_means", frozenset({"not_out"}), None),
    ("self_harm", "wound_on_purpose", frozenset({"another"}), None),
)
_UNDONE_BY_LEAVING = frozenset({"farewell", "gratitude", "errand", "calm"})


def _combined_kind(cues: dict[str, dict[int, str]], text: str) -> tuple[str, str] | None:
    """The crisis a mix of cues adds up to, with the cue words for tests, or None."""
    danger = sorted(_DANGER_CUES & cues.keys())
    # Two parts are needed and one must be serious: a threat, a weapon, or someone at the door of a
    # frightened member. "My dad is drunk, what do I do" is a hard evening; "she'll kill me if I'm late"
    # is a figure of speech unless someone is at the door or armed.
    at_the_door = "intruder" in cues or "weapon" in cues
    serious = (
        "threat" in cues
        or "weapon" in cues
        or ("intruder" in cues and "fear" in cues)
        or ("conditional_threat" in cues and at_the_door)
    )
    if len(danger) >= 2 and serious:
        return "danger", _first_words(cues, danger)
    if _LEAVING_FOR_A_WHILE.search(text) is not None:
        # A goodbye before a holiday or a move, and the errands that go with it, are not a farewell.
        cues = {category: found for category, found in cues.items() if category not in _UNDONE_BY_LEAVING}
    paired = [
        (kind, [sign, *sorted(partners & cues.keys())])
        for kind, sign, partners, unless in _PAIRS
        if sign in cues and partners & cues.keys() and (unless is None or unless.search(text) is None)
    ]
    if paired:
        kind, categories = min(paired, key=lambda pair: KIND_PRIORITY.index(pair[0]))
        return kind, _first_words(cues, categories)
    if "on_purpose" in cues and "big_dose" in cues:
        return "overdose", _first_words(cues, ["big_dose", "on_purpose"])
    counted = {category: found for category, found in cues.items() if category in _SUICIDE_CUES}
    words = [word for category in sorted(counted) for word in counted[category].values()]
    if len(words) >= 2 and not counted.keys() <= {"despair"} and not counted.keys() <= {"gratitude"}:
        return "suicide", " + ".join(words)
    # Errands are everyday, so they need three signs in all: three errands, or errands with a calm or another sign.
    # An errand already seen as putting a pet in order is not counted twice.
    handed_on = list(cues.get("preparation", {}).values())
    errands = [word for word in cues.get("errand", {}).values() if not any(word in other for other in handed_on)]
    calm = list(cues.get("calm", {}).values())
    if errands and len(errands) + len(calm) + len(words) >= 3:
        return "suicide", " + ".join(errands + calm + words)
    return None


def _is_resolved(clause: str) -> bool:
    match = _RESOLVED.search(clause)
    return match is not None and not _is_negated(clause, match.start())


def _counting_now(clauses: list[str]) -> list[bool]:
    """For each clause: is it about the member now, rather than the past, someone else or an urge that passed?"""
    returning = _returning_from(clauses)
    counting = []
    resolved_later = False
    for index in range(len(clauses) - 1, -1, -1):
        clause = clauses[index]
        # A past event counts only when the same or a later clause brings it back ("... and I want to
        # again"); an earlier "again" belongs to something else.
        now = returning[index] or not _is_distant(clause)
        # "Had an urge to cut earlier ... it's gone now" reports an urge that passed. Only urges and thoughts
        # are let go this way: an overdose taken earlier can still be working while the member feels fine.
        if now and resolved_later and _EARLIER_URGE.search(clause):
            now = False
        counting.append(now)
        resolved_later = resolved_later or _is_resolved(clause)
    return counting[::-1]


_SHORTEST_CLAUSE = 3


# A laugh, in the spellings members use ("lmaooo", "lool", "hehe").
_LAUGHED = re.compile(r"\b(?:lo+l(?:ol)*z?|lmf?ao+|haha\w*|hehe\w*|jk|rofl|lul)\b")
# What "self harm" is the punchline about when it is a joke.
_JOKE_OBJECT = re.compile(
    r"\b(?:hair|haircut|fringe|bangs|tattoos?|piercings?|eyebrows|brows|waxing|wax|bleach\w*|dye\w*|nails)\b"
)
# Getting ready for someone else's overdose: "what do I do if I find someone overdosing", "how do I know if my
# friend is overdosing". The member is not the one overdosing, and nobody is in front of them yet.
_HYPOTHETICAL_OTHER = re.compile(
    r"\b(?:if (?:i|you|we) (?:ever |should |do |happen to )?(?:find|see|notice|come across|walk in on|found|saw)|"
    r"how (?:do|can|would|will|should|to) (?:i |you |we )?(?:know|tell|spot|recogni[sz]e) if)"
    # The person may be named inside the match itself ("if i see my dad not breathing"), but never the member.
    r"(?! (?:i|im|ive|me|myself)\b)(?: \w+){0,3}$"
)


def _set_aside(kind: str, match: re.Match[str], clause: str, joined: str) -> bool:
    """Is this precise match a joke or a question about what to do some day, rather than a crisis?"""
    if match.re.pattern == _BARE_SELF_HARM:
        # "cutting my own fringe is the only self harm i do lol": the bare words, a laugh and a haircut. An act
        # ("i cut myself again lol") is matched by other rules and stays.
        return _LAUGHED.search(joined) is not None and _JOKE_OBJECT.search(joined) is not None
    if kind == "overdose":
        return _HYPOTHETICAL_OTHER.search(_words_before(clause, match.start(), 8)) is not None
    return False


def _scan(clauses: list[str]) -> CrisisSignal | None:
    found: dict[str, str] = {}
    cues: dict[str, dict[int, str]] = {}
    joined = " ".join(clauses)
    for clause, counts_now in zip(clauses, _counting_now(clauses), strict=True):
        # No rule fits in under three letters ("od" and "sh" are spelled out by now), so a long run of
        # "a, a, a" costs nothing.
        if len(clause) < _SHORTEST_CLAUSE:
            continue
        for kind, match in _matches(clause):
            # A past marker elsewhere in the clause does not reach an act the member says they are about
            # to do: "what's the point of 30 days sober if I'm just going to kill myself anyway".
            if (counts_now or _anchored_now(clause, match.start())) and not _set_aside(kind, match, clause, joined):
                found.setdefault(kind, match.group(0))
        if counts_now:
            for category, number, words in _cues(clause):
                cues.setdefault(category, {}).setdefault(number, words)
    combined = _combined_kind(cues, joined)
    if combined is not None:
        found.setdefault(*combined)
    for kind in KIND_PRIORITY:
        if kind in found:
            return CrisisSignal(kind, found[kind])
    return None


# ---------------------------------------------------------------------------------------------------
# Second tier: a weighted risk lexicon. The rules above are precise and miss what they were not
# written for; this tier adds up many weaker signs (means, acts, farewells, danger, the present) so a
# message that says it in new words still gets the card. A missed crisis costs far more than an extra
# card, so this tier leans towards firing and is held back only by clear safety, the past and jokes.
# ---------------------------------------------------------------------------------------------------

# The score a text needs. A 3 is a sign that rarely means anything else (a noose, "not breathing",
# "broke in"); a 2 a strong sign that needs company; a 1 context that only tips a text already close.
# Every labelled set stays at or under a 5% false positive rate from 2 upwards, so the set alone would
# allow 2; 4 is the lowest value at which near-miss sentences written to trip it (knife sets, bridge walks,
# "sorry I couldn't make it") also stay under 5%. At 5 the labelled sets lose nothing but new wordings of
# a crisis are missed noticeably more often.
RISK_THRESHOLD = 4

# Most everyday uses of one sign family come with more of the same family ("bought a knife for the kitchen"
# is a means and a purchase); a crisis usually brings two families together (a means and a farewell, a
# dose and a symptom). So one family counts for at most FAMILY_CAP, and the present and the person add
# their point only when the signs already hang together (see risk_score).
FAMILY_CAP = 5
# Families too common or too weak to make a second family on their own, and capped lower: a drug named in
# a medication question, a low mood.
_WEAK_FAMILIES = frozenset({"substance", "despair"})
_WEAK_FAMILY_CAP = 2


@dataclass(frozen=True)
class _Risk:
    family: str
    kind: str
    weight: int
    regex: re.Pattern[str]


_ALCOHOL = (
    r"(?:vodka|whiskey|whisky|jack|gin|rum|tequila|wine|beer|beers|booze|alcohol|liquor|a fifth|a handle|drinks|"
    r"bottle of \w+)"
)
_SEDATIVE = (
    r"(?:xanax|xans|bars|benzos?|klonopin|valium|ativan|oxy|oxys|opioids?|fent|fentanyl|heroin|methadone|morphine|"
    r"sleeping pills|seroquel|pills|percs?|codeine|nyquil|zzzquil|benadryl|cough syrup|dxm|tylenol pm|clonazepam|"
    r"alprazolam|lorazepam|temazepam|diazepam|oxycodone|oxycontin|hydrocodone|tramadol|dilaudid|suboxone)"
)

# A goodbye to a drink, a drug, old using friends or the old life is a recovery milestone.
_NOT_TO_THE_OLD_LIFE = (
    rf"(?! to (?:my |the )?(?:old |former |ex )?(?:{_SUBSTANCE}|drinking|using|partying|dealer|addiction|the bottle|"
    r"(?:\w+ )?(?:buddies|friends|habits?|life|days|self)|20\d\d)\b)(?! 20\d\d\b)"
)

_MEANS_WORDS = (
    r"(?:noose|rope|gun|pistol|handgun|firearm|shotgun|rifle|revolver|blade|blades|razor|razors|box cutter|"
    r"boxcutter|scalpel|knife|knives|pills|belt|cord|cable|ligature)"
)

# (family, kind, weight, pattern). Patterns run over the clauses joined by " | ", so none may use ^ or $
# and none may reach across a " | " (only \w and spaces between words).
_RISK_SOURCES: tuple[tuple[str, str, int, str], ...] = (
    # Means: things to die by, places to die at, and having them to hand.
    ("means", "suicide", 3, r"\bnoose\b"),
    ("means", "suicide", 2, r"\brope\b"),
    ("means", "suicide", 2, r"\b(?:gun|guns|pistol|handgun|firearm|shotgun|rifle|revolver)\b"),
    ("means", "suicide", 1, r"\b(?:loaded|bullets?|ammo)\b"),
    # A set, block or collection of knives is kitchenware or a hobby.
    (
        "means",
        "self_harm",
        2,
        r"\b(?:blade|blades|razor|razors|box cutter|boxcutter|scalpel|knife|knives|needle|syringe)\b"
        r"(?! (?:set|block|collection|sharpener|drawer|skills))",
    ),
    # The means in hand, in a lap, against the body; a gun with its safety off.
    (
        "means",
        "suicide",
        2,
        # Only with the means named just before: "holding the chip in my hand" is a milestone.
        rf"\b{_MEANS_WORDS}(?: \w+){{0,3}}? (?:in my (?:hand|hands|lap|mouth|pocket)|to my (?:head|chest|throat|wrist)|"
        r"against my (?:skin|wrist|throat))\b|\bsafety (?:is |s )?off\b",
    ),
    ("means", "suicide", 3, r"\baround my (?:neck|throat)\b"),
    (
        "means",
        "overdose",
        2,
        r"\b(?:whole|entire|full|all)(?: \w+)? (?:supply|prescription|script|refill)\b"
        + _NOT_SWALLOWED
        + r"|\b(?:pills|them|meds|tablets) (?:are |is )?(?:all )?(?:counted|sorted|ready|lined up)\b",
    ),
    (
        "means",
        "suicide",
        2,
        r"\b(?:bridge|overpass|rooftop|ledge|cliff|cliffs|tracks|railway line|train line|parking garage|"
        r"parking structure|balcony)\b",
    ),
    ("means", "suicide", 1, r"\b(?:the edge|platform|really high up|so high up)\b"),
    # A window alone is a room; a window and a high floor is a drop.
    ("means", "suicide", 1, r"\bwindow\b"),
    ("means", "suicide", 1, r"\b(?:\d+(?:st|nd|rd|th)|top|high) floor\b|\bfloor \d+\b"),
    ("means", "suicide", 1, r"\bgarage\b"),
    ("means", "suicide", 1, r"\b(?:hose|tape|exhaust)\b"),
    ("means", "suicide", 1, r"\b(?:charcoal|helium)\b"),
    ("means", "suicide", 2, r"\bpoison\b(?! control| ivy)"),
    # "the spot" said with nothing to explain it is a place already chosen.
    ("means", "suicide", 2, r"\b(?:the|my) spot\b"),
    (
        "means",
        "suicide",
        1,
        r"\b(?:have|ive|ive got|got|bought|buy|holding|with|grabbed|found|picked up|ordered|staring at|looking at|"
        rf"going to|loaded|keeps|keep|kept)(?: \w+){{0,3}}? {_MEANS_WORDS}\b",
    ),
    (
        "means",
        "overdose",
        2,
        r"\b(?:\d\d+|twenty|thirty|forty|fifty|sixty|a hundred|hundred) (?:\w+ )?" + _MEDICINE + r"\b",
    ),
    ("means", "overdose", 2, r"\b\d\d+ of them\b"),
    (
        "means",
        "overdose",
        2,
        r"\b(?:all|bottle of|bottles of|handful of|stash of|bunch of|rest of|enough|"
        r"whole script of|whole prescription of|"
        r"whole supply of|(?:whole|entire|full) (?:bottle|pack|box) of) (?:of )?(?:my |the |his |her )?"
        r"(?:\w+ )?" + _MEDICINE + r"\b",
    ),
    (
        "means",
        "overdose",
        2,
        r"\b(?:saving|saved|stashing|stashed|hoarding|hoarded|stockpiling|stockpiled|collecting)\b(?: \w+){0,3}? "
        r"(?:pills|" + _MEDICINE + r"|them up|it up|for this|for tonight)\b",
    ),
    # Asking whether a count of pills is enough, with nothing to be enough for, is asking about a lethal dose.
    (
        "means",
        "overdose",
        2,
        r"\b(?:is|are|would|will) (?:\d+|\w+) (?:\w+ )?" + _MEDICINE + r" enough\b(?! (?:for|to (?:sleep|help)))",
    ),
    ("means", "overdose", 1, r"\bmedicine cabinet\b|\bafter (?:the|my|those|all the) pills\b"),
    # Something tied up high, where a rope has only one use.
    (
        "means",
        "suicide",
        4,
        r"\b(?:tied|tying|tie|hung|hanging|attached|fixed) (?:it|a (?:rope|cord|belt|sheet|scarf|cable)|"
        r"the (?:rope|cord|belt|sheet|scarf|cable)) (?:to|from|around|over) (?:the|a|my) (?:beam|rafter|rafters|"
        r"ceiling|banister|bannister|railing|doorknob|door|closet rod|pipe|hook|loft hatch)\b",
    ),
    # Substances named at all: weak on their own, since medication questions name them too.
    ("substance", "overdose", 1, r"\b" + _SUBSTANCE + r"\b"),
    # Acts under way: breathing, colour, consciousness, bleeding, a dose far over the usual.
    ("act", "overdose", 3, r"\b(?:not|isnt|stopped|barely|hardly) breathing\b"),
    # What an overdose looks like from outside.
    (
        "act",
        "overdose",
        3,
        r"\b(?:foaming|foam) at the mouth\b|\b(?:gurgling|gurgle|seizing|seizure|convulsing|fitting)\b"
        r"|\b(?:pinpoint|pinned) pupils\b"
        r"|\bbreathing (?:is |sounds |seems )?(?:slow|weird|funny|shallow|strange|rattly)\b|\bslow breathing\b",
    ),
    (
        "act",
        "overdose",
        1,
        r"\b(?:laced|pressed|fake (?:pill|bar)s?|chest (?:pain|hurts)|bad batch|"
        r"(?:sold|gave) (?:me|him|her) something)\b",
    ),
    ("act", "overdose", 1, r"\b(?:shot up|used together|used with|did a line|took something)\b"),
    ("act", "overdose", 2, r"\b(?:cant|can not|cannot|barely|hardly|struggling to|trouble|hard to) breathe?(?:ing)?\b"),
    (
        "act",
        "overdose",
        3,
        r"\b(?:lips|face|skin|fingers|fingertips|nails) (?:are |is |look |looks |going |turning |turned |gone )?"
        rf"(?:\w+ )?(?:blue|purple|grey|gray)\b|\b{_OTHER} (?:is |s |looks |went |turned |turning |going )?"
        r"(?:all |really )?(?:blue|purple|grey|gray)\b",
    ),
    (
        "act",
        "overdose",
        1,
        r"\b(?:lips|chest|heart|body|hands|legs|face)\b(?: \w+){0,2}? (?:weird|tight|heavy|numb|slow|slowing|funny|"
        r"tingly|tingling|racing|pounding|stopping)\b|\b(?:lightheaded|light headed|dizzy|fainting|vision is going)\b",
    ),
    (
        "act",
        "overdose",
        2,
        r"\b(?:unresponsive|passed out|wont wake|cant wake|nodding off|cant stay awake|slipping away|"
        r"getting (?:really |so |very )?(?:sleepy|drowsy))\b",
    ),
    (
        "act",
        "overdose",
        3,
        rf"\b{_OTHER}(?: \w+){{0,5}}? (?:not|isnt|wont|cant|wouldnt|wasnt) (?:wak(?:e|ing)|respond(?:ing)?|"
        # "won't wake up for her alarm" is a heavy sleeper.
        r"move|moving|get up|getting up)\b(?: up)?+(?! (?:for|to|on time|early|in time|till|until|before)\b)",
    ),
    # Enough taken to be sure, and saying so.
    ("act", "overdose", 2, r"\b(?:took|taken|swallowed|have|got|ive got|used) enough\b"),
    (
        "act",
        "overdose",
        2,
        r"\b(?:cold|clammy) (?:and|to the touch)\b|\b(?:feels|is|s) (?:so |really |ice )?cold and\b",
    ),
    # Alcohol on top of sedatives or opioids: the mix that stops breathing.
    (
        "act",
        "overdose",
        2,
        r"\b(?:drinking|drank|mixing|mixed|with)\b(?: \w+){0,3}? (?:with|and|on top of) (?:my |some |the )?"
        r"(?:xanax|xans|benzos?|bars|opioids?|oxy|pills|sleeping pills|methadone|fent|fentanyl|heroin|klonopin|"
        r"valium|ativan)\b",
    ),
    (
        "act",
        "self_harm",
        2,
        r"\b(?:scratching|scratch|scratched|carving|carve|carved|burning|burn|burned|picking at|digging into|slicing|"
        r"sliced|cutting|cut) (?:at |into )?my (?:arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|hip|hips)\b"
        r"(?! (?:workout|day|session|short|off)\b)",
    ),
    # Words for self-harm beyond "cut", and what members say it does for them.
    ("act", "self_harm", 2, r"\b(?:slice|slicing|carve|carving)\b"),
    ("act", "self_harm", 2, r"\bthe (?:pain|blood|sting) (?:helps|calms|works)\b"),
    (
        "act",
        "self_harm",
        2,
        r"\b(?:been|keep|kept|still|started|am|im) (?:cutting|burning|hurting|scratching) (?:myself )?"
        r"(?:for|since|all|again|and|until)\b",
    ),
    ("act", "overdose", 2, r"\boverdos(?:e|ed|ing)\b"),
    (
        "act",
        "overdose",
        2,
        r"\b(?:did|took|taken|shot up|snorted|smoked|swallowed|popped|used|injected|drank|mixed|downed|use|chugged|"
        r"necked|pushed|shot)\b(?: \w+){0,2}? (?:a bunch|a lot|a ton|too much|too many|way more|more than|all of|"
        r"everything|"
        r"the rest|double|triple|a handful|a whole|a bottle|half a bottle|a fifth)\b",
    ),
    ("act", "overdose", 1, r"\b(?:took|taken|had|did|swallowed|snorted|smoked|injected|shot) something\b"),
    (
        "act",
        "overdose",
        1,
        r"\b(?:found|hit|missed) (?:a|the) vein\b|\b(?:everything|the room|my head) (?:is )?spinning\b",
    ),
    # Everything there was, taken at once.
    (
        "act",
        "overdose",
        3,
        r"\b(?:swallowed|took|taken|downed|popped|drank|used|shot up) "
        r"(?:all of them|everything|the lot|every (?:pill|one))\b"
        r"|\b(?:swallowed|took|taken|downed|popped) (?:(?:my|the|her|his|a)(?: \w+s)? )?(?:whole|entire|full)(?: \w+)? "
        r"(?:supply|prescription|script|bottle|pack|box|packet|strip)\b" + _NOT_SWALLOWED,
    ),
    # Alcohol and a sedative or opioid named together, either way round.
    (
        "act",
        "overdose",
        2,
        rf"\b{_ALCOHOL}\b(?: \w+){{0,5}}? (?:and|with|plus) (?:my |some |the |a |all )?(?:\w+ ){{0,2}}?{_SEDATIVE}\b"
        rf"|\b{_SEDATIVE}\b(?: \w+){{0,4}}? (?:and|with|plus) (?:my |some |the |a )?(?:\w+ ){{0,2}}?{_ALCOHOL}\b",
    ),
    ("act", "overdose", 2, r"\b(?:dont|do not|cant|no) (?:have )?(?:any )?narcan\b"),
    ("act", "overdose", 1, r"\bat once\b"),
    ("act", "suicide", 2, r"\b(?:on purpose|deliberately|intentionally)\b"),
    ("act", "self_harm", 1, r"\b(?:cutting|cut)\b"),
    # Blood tests, blood pressure, blood thinners and giving blood are medicine, not wounds.
    (
        "act",
        "self_harm",
        1,
        r"(?<!gave )(?<!giving )\b(?:bleeding|blood)\b(?! (?:pressure|test|tests|work|sugar|donation|drive|bank|type|"
        r"levels?|results|panel|draw|orange|thinners?)\b)",
    ),
    (
        "act",
        "self_harm",
        3,
        r"\b(?:wont|doesnt|cant|not|will not) stop(?:ping)? bleeding\b|\bbleeding (?:wont|doesnt|will not) stop\b"
        r"|\b(?:went|cut|go|gone|going) (?:too |so |really )deep\b|\bneeds? stitches\b|\bso much blood\b"
        r"|\bblood everywhere\b",
    ),
    (
        "act",
        "self_harm",
        2,
        r"\b(?:hitting|banging|punching|slamming) (?:my head|myself)\b|\b(?:hitting|punching) my (?:face|legs|arms)\b",
    ),
    (
        "act",
        "suicide",
        3,
        r"\b(?:hung|hanged|shot|stabbed|cut) (?:himself|herself|themselves)\b",
    ),
    ("act", "overdose", 2, r"\bstill breathing\b|\bbarely (?:conscious|awake|alive)\b"),
    # Finality: farewells, apologies, belongings handed on, the burden belief, a plan with a date.
    ("final", "suicide", 2, r"\bmake sure\b(?: \w+)? this time\b|\bthis time for (?:real|good)\b"),
    ("final", "suicide", 2, r"\b(?:do it|get it right|finish (?:it|the job)|make sure)(?: \w+){0,3}? this time\b"),
    ("final", "suicide", 2, r"\brather be (?:there|dead|gone|buried|in the ground) than (?:here|alive|living)\b"),
    ("final", "suicide", 2, r"\bmy (?:own )?funeral\b"),
    ("final", "suicide", 2, r"\b(?:its|it is|it will be|itll be) (?:almost |nearly |all )?over\b"),
    ("final", "suicide", 2, r"\b(?:labeled|labelled|marked|set aside|left) for (?:my|her|his|the) \w+\b"),
    ("final", "suicide", 2, r"\bi (?:cant|cannot) anymore\b"),
    ("final", "suicide", 2, r"\btell (?:my )?\w+ (?:i love|i loved)\b"),
    (
        "final",
        "suicide",
        2,
        r"\b(?:its|it is|it was|it isnt|it wasnt|this isnt|this is) (?:not )?(?:your|their|his|her|anyones) fault\b",
    ),
    ("final", "suicide", 2, r"\bmy (?:last|final) (?:\w+ )?(?:entry|words|letter)\b"),
    (
        "final",
        "suicide",
        2,
        r"\b(?:tonight|today|now) i go\b|\btime (?:for me )?to go\b(?! (?:to|home|out|back|for)\b)",
    ),
    ("final", "suicide", 2, r"\b(?:pain|it|everything|it all) (?:stops|ends) (?:tonight|today|now|soon)\b"),
    ("final", "suicide", 2, r"\b(?:tonights|tonight is) it\b"),
    # Using alone, with someone told where to find them.
    (
        "final",
        "overdose",
        2,
        r"\b(?:in case|if) (?:anything|something) (?:happens|goes wrong)\b|\b(?:using|used|shot up|high) alone\b",
    ),
    ("final", "suicide", 2, r"\b(?:goodbye|goodbyes|farewell)\b" + _NOT_TO_THE_OLD_LIFE),
    ("final", "suicide", 1, r"\bbye\b"),
    ("final", "suicide", 3, r"\btombstone\b"),
    ("final", "suicide", 1, r"\bsorry\b"),
    (
        "final",
        "suicide",
        2,
        r"\bsorry (?:everyone|guys|all|yall|for everything|for being|for all|mum|mom|dad)\b"
        r"|\btell (?:\w+ ){1,2}(?:im |i am )?sorry\b",
    ),
    ("final", "suicide", 2, r"\bburden\b"),
    ("final", "suicide", 2, r"\bbetter off\b"),
    # Better off for the member's absence; "better off if I stopped micromanaging" is about a habit.
    (
        "final",
        "suicide",
        3,
        r"\b(?:better|happier|easier)(?: off)?(?: \w+){0,2}? "
        r"(?:without me|if i (?:just )?(?:was|were|wasnt|werent|died|"
        r"disappeared|vanished|left|was gone|was dead|didnt exist))\b",
    ),
    ("final", "suicide", 2, r"\bnoone (?:would|will|is going to) (?:even )?(?:care|notice|miss me)\b"),
    (
        "final",
        "suicide",
        3,
        r"\bgoodbye (?:texts?|messages?|letters?|notes?|emails?|videos?|posts?)\b"
        + _NOT_TO_THE_OLD_LIFE
        + r"|\bscheduled (?:them|the (?:texts|messages|emails|posts)|messages|texts|emails|posts)\b",
    ),
    ("final", "suicide", 2, r"\bdont wait (?:up|for me)\b"),
    ("final", "suicide", 2, r"\b(?:or|not) (?:anywhere|ever)\b(?! (?:else|near|since)\b)"),
    ("final", "suicide", 1, r"\blove (?:you|yall|you all|you guys|everyone)\b"),
    ("final", "suicide", 2, r"\b(?:said|say|saying) (?:bye|goodbye|goodbyes) to (?:everyone|all|my|the people)\b"),
    ("final", "suicide", 2, r"\bcouldnt make it(?= \||$)|\b(?:have|got|with) (?:what|everything) i need(?= \||$)"),
    ("final", "suicide", 1, r"\b(?:deciding|cant decide|still deciding)\b"),
    ("final", "suicide", 2, r"\b(?:tonights|tonight is|todays|today is) the (?:night|day)\b"),
    ("final", "suicide", 2, r"\bwant (?:it|this|it all) (?:all )?(?:over|to end|to stop|done)(?= \||$)"),
    (
        "final",
        "suicide",
        3,
        r"\b(?:dont|do not|please dont|no need to|you cant|noone can) (?:try to |come )?(?:look(?:ing)? for|find|save|"
        r"stop|come after|talk me out of) (?:me|it|this)\b",
    ),
    ("final", "suicide", 2, r"\b(?:dont|do not|please dont|no need to|try not to) worry about me\b"),
    ("final", "suicide", 2, r"\b(?:take care of|look after) (?:each other|yourselves|my \w+)\b"),
    (
        "final",
        "suicide",
        2,
        r"\b(?:wrote|made|updated|signed|finished|writing) (?:my|a) will\b|\bmy will (?:is|on|in)\b",
    ),
    (
        "final",
        "suicide",
        2,
        r"\b(?:wrote|writing|write|left|leaving|finished) (?:a |some |my |the )?(?:notes?|letters?)\b"
        r"|\b(?:notes?|letters?) (?:are|is) (?:written|done|ready|finished)\b",
    ),
    (
        "final",
        "suicide",
        2,
        r"\b(?:gave|giving|give|given) (?:\w+ ){0,3}?away\b|\b(?:rehomed|rehoming|found (?:a )?(?:new )?homes? for)\b"
        r"|\bmy (?:dog|dogs|cat|cats|pets?) (?:goes|go|will go|is going|are going) to\b",
    ),
    ("final", "suicide", 1, r"\b(?:a|the|my) plan\b(?! for (?:today|tonight|tomorrow|the|this|my|a)\b)"),
    (
        "final",
        "suicide",
        2,
        r"\bplan and a (?:date|time|place)\b|\b(?:picked|chose|chosen|set|have|ive|got) (?:a|the) (?:date|day|time|"
        r"spot|place)\b|\b(?:plan|date|day|it) is (?:set|ready|sorted|tonight)\b",
    ),
    ("final", "suicide", 2, r"\b(?:mean|meant) (?:a lot|so much|everything|the world) to me\b"),
    (
        "final",
        "suicide",
        1,
        r"\bthank (?:you|u)(?: all| guys| everyone| so much)? for (?:everything|the last|being|all)\b",
    ),
    (
        "final",
        "suicide",
        2,
        r"\bjust (?:want|wanted|need|needed) (?:someone|somebody|you|you all|yall|people) to know\b"
        r"|\bjust (?:want|wanted|need|needed) to tell (?:someone|somebody|you|you all|yall|people)\b",
    ),
    # Leaving the practical things in order for someone.
    (
        "final",
        "suicide",
        2,
        r"\b(?:passwords?|pin numbers?|bank (?:details|info)|life insurance|insurance (?:papers|policy)|my affairs)\b"
        r"|\bdeleted (?:everything|all my \w+|my accounts?)\b",
    ),
    ("final", "suicide", 2, r"\byou(?:ll|will)? (?:all )?know why\b"),
    (
        "final",
        "suicide",
        2,
        r"\bif i (?:dont|do not|never) (?:check in|show up|answer|reply|come back|post|message)\b",
    ),
    ("final", "suicide", 2, r"\blast thing (?:ill|i will|im going to|i) (?:post|say|write|send)\b"),
    (
        "final",
        "suicide",
        2,
        r"\b(?:will|would|gonna|going to) be (?:fine|ok|okay|better|happier) "
        r"(?:without me|with(?:out)? (?:their|his|her|my))\b",
    ),
    ("final", "suicide", 1, r"\b(?:have|got|its|it is|everything is|all) (?:\w+ )?planned\b"),
    (
        "final",
        "suicide",
        2,
        r"\bnot sure (?:if )?(?:im|i am|ill|i will|i can|i) (?:getting out|coming back|going to make it|make it|"
        r"making it|waking up|be here|be around|get out)\b",
    ),
    ("final", "suicide", 3, r"\b(?:dont|do not) want (?:another|one more|any more|to see another) day\b"),
    ("final", "suicide", 2, r"\b(?:not|wont) (?:going to )?be around\b"),
    ("final", "suicide", 1, r"\b(?:or|not|never) any (?:meeting|more)\b|\bever again\b"),
    (
        "final",
        "suicide",
        2,
        r"\b(?:if|when|once) i (?:just )?(?:disappear|vanish|die|dont wake up|dont make it|am gone|im gone|"
        r"was gone|wasnt here|wasnt around)\w*\b",
    ),
    ("final", "suicide", 1, r"\b(?:disappear|vanish)\w*\b"),
    ("final", "suicide", 2, r"\bnoone (?:knows|will know|would know|will find me|can find me)(?: where)?\b"),
    ("final", "suicide", 1, r"\b(?:home alone|all alone|by myself|live alone|alone (?:right now|tonight|now))\b"),
    (
        "final",
        "suicide",
        2,
        r"\bdone with (?:all of it|it all|everything|life|this life|all this|all of this|living)\b",
    ),
    ("final", "suicide", 1, r"\b(?:permanently|forever|for good)\b"),
    ("final", "suicide", 3, r"\bonly way out\b(?! is through)"),
    ("final", "suicide", 3, r"\b(?:texted|messaged|sent|dmd|wrote) (?:me|us|the group|everyone) (?:a )?goodbye\b"),
    (
        "final",
        "suicide",
        2,
        r"\b(?:not|isnt|wont|cant|stopped) (?:answering|picking up|responding|replying)\b"
        r"|\bcant (?:reach|get hold of)\b",
    ),
    ("final", "suicide", 1, r"\btalked about (?:pills|killing|suicide|ending it|dying|jumping)\b"),
    # What a weapon is not for is what it is for.
    (
        "final",
        "suicide",
        3,
        r"\bnot for (?:protection|hunting|self defen[cs]e|the range|sport|work|shooting|camping)\b",
    ),
    ("final", "suicide", 2, r"\b(?:decided|made (?:up )?my (?:mind|decision|choice))\b|\bim ready\b"),
    # A decision with nothing after it: what was decided goes unsaid.
    ("final", "suicide", 1, r"\b(?:ive|i) (?:decided|made my decision)(?= \||$)"),
    (
        "final",
        "suicide",
        1,
        r"\b(?:wont|not going to|will not) be (?:at|in) (?:group|the meeting|meetings|work|school)\b",
    ),
    ("final", "suicide", 2, r"\b(?:dont|do not) want to come back\b|\bnot coming back\b"),
    ("final", "suicide", 2, r"\b(?:its|it is) (?:happening|time)\b|\bthis is it\b"),
    ("final", "suicide", 3, r"\bif (?:youre|you are|anyone is|someone is) reading this\b"),
    ("final", "suicide", 2, r"\b(?:im|ill be|i will be|ill already be) (?:probably |already |long )?(?:gone|dead)\b"),
    ("final", "suicide", 2, r"\bat peace\b"),
    (
        "final",
        "suicide",
        2,
        r"\b(?:dont|do not) care (?:what happens|anymore|if i (?:wake|live|die|make it|come back))\b",
    ),
    ("final", "suicide", 1, r"\b(?:last|final) (?:message|post|check in|time)\b"),
    # Intent: planning, rehearsing, heading for a place, the act named, voices that command it.
    ("intent", "self_harm", 2, r"\b(?:do|try) something (?:to myself|stupid|drastic|permanent)\b"),
    ("intent", "suicide", 2, r"\bfinish (?:the job|it|what i started)\b(?! (?:at|for|by|before|today)\b)"),
    ("intent", "suicide", 2, r"\bshould (?:just )?die\b"),
    ("intent", "suicide", 1, r"\b(?:keep )?hearing (?:that i|voices)\b"),
    ("intent", "suicide", 1, r"\b(?:walking|walk|wading|wade|swimming|swim) (?:in|out)(?= \||$)"),
    ("intent", "suicide", 2, r"\b(?:not|stop|without) braking\b|\bfloor it\b|\b(?:drive|driving) off (?:the|a)\b"),
    ("intent", "suicide", 2, r"\bplanning it\b"),
    # Thinking about "it" all day, with nothing to say what "it" is.
    (
        "intent",
        "suicide",
        1,
        r"\b(?:been|keep|cant stop|cannot stop) thinking about (?:it|doing it|that)(?= \||$| all)",
    ),
    ("intent", "self_harm", 1, r"\bcant (?:make myself )?stop\b(?! (?:shaking|crying|laughing|eating|thinking))"),
    (
        "intent",
        "suicide",
        3,
        r"\b(?:planning|planned|plan|plans|rehearsing|practicing|practising|figured out|figuring out|worked out) "
        r"(?:how|when|where|exactly how) (?:id|i would|ill|i will|to|im going to) (?:do it|go|end it)\b",
    ),
    ("intent", "suicide", 2, r"\b(?:how|when|where) (?:id|i would|ill|i will|im going to) do it\b"),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:going to|about to|ready to|want to|need to) do it\b(?! (?:again|with|for|together|right)\b)",
    ),
    # "end this" at the end of a clause; "end this cycle" names what is ending.
    ("intent", "suicide", 2, r"\bend (?:this|it)(?= \||$| tonight| now| today| for good)"),
    (
        "intent",
        "suicide",
        1,
        r"\b(?:staring at|looking at|holding|cant stop looking at|keep touching) (?:them|it|the \w+)\b",
    ),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:googled|googling|looked up|looking up|searched|searching|researching|reading about) "
        r"(?:how|what|the|ways|methods)\b(?: \w+){0,4}? (?:die|dose|lethal|fatal|hang|overdose|kill|painless|"
        r"bleed|jump|hurt)\w*\b",
    ),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:drove|drive|driving|walked|walk|went|been|going) (?:past|by|to|back to) (?:the|my) spot\b",
    ),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:walk|walked|walking|swim|swimming|wade|wading|drive|driving|drove)(?: \w+)? (?:into|in) (?:the )?"
        r"(?:ocean|sea|lake|river|water|waves)\b",
    ),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:so |how |it would be |would be )?easy (?:it would be )?to (?:just )?"
        r"(?:step|jump|end|die|take|drive|let go|"
        r"fall|swallow|pull|go)\b",
    ),
    ("intent", "suicide", 1, r"\b(?:step|stepping|jump|jumping|fall|falling) (?:off|in front of|onto|under)\b"),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:crash|crashing|wreck|wrecking|drive|driving) (?:my|the) (?:car|truck)\b(?! (?:to|home|back|in)\b)",
    ),
    # Being at the place now, not only naming it.
    (
        "intent",
        "suicide",
        3,
        r"\b(?:standing|sitting|sat|stood|im|i am|climbing|climbed|leaning)(?: \w+){0,4}? (?:bridge|ledge|roof|rooftop|"
        r"the edge|tracks|railing|balcony|overpass|parking structure|parking garage|cliff)\b" + _NOT_FURNITURE,
    ),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:kill|hang|shoot|drown|hurt|cut|burn) myself\b|\bsuicid\w*|\bend (?:it|my life)\b(?! with)"
        r"|\b(?:want|wanted|ready|going) to die\b",
    ),
    (
        "intent",
        "suicide",
        1,
        r"\b(?:cant stop thinking about|keep thinking about|keep thinking|obsessing over|keep looking at|"
        r"keep going to|keeps going to|keep going back to|cant stop holding|keep holding)\b",
    ),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:walking|heading|going|driving|on my way|walked|drove)(?: out)? (?:to|toward|towards|down to) "
        # "for the sunset walk", "with my sponsor": a destination with a purpose or company is an outing.
        r"(?:the|a) (?:tracks|bridge|lake|river|cliff|ocean|sea|roof|overpass|edge|woods)\b"
        r"(?! (?:for|with|to (?:watch|see|meet|walk|run|fish|swim))\b)",
    ),
    (
        "intent",
        "suicide",
        2,
        r"\b(?:want to|going to|about to|ready to|urge to|thinking about|telling me to) jump\b"
        r"(?! (?:in|into|on|at|rope|start|ship)\b)",
    ),
    # Voices that tell the member to do something are a warning sign whatever they ask for.
    ("intent", "suicide", 3, r"\b(?:voices?|they|it) (?:are |is |keep |keeps )?(?:telling|tell|told) me to\b"),
    # Danger from someone else, now.
    (
        "danger",
        "danger",
        2,
        r"\b(?:hell|shell|theyll|he will|she will|hes going to|shes going to) (?:come|get|break) (?:in|back)\b",
    ),
    (
        "danger",
        "danger",
        3,
        r"\b(?:broke|breaking|broken|break) in(?:to)?\b(?! (?:tears|song|a sweat|laughter|a smile)\b)",
    ),
    (
        "danger",
        "danger",
        3,
        r"\btrying to (?:get in|open|break|force|kick|bust)\b(?: \w+){0,3}? (?:door|window|in)\b",
    ),
    ("danger", "danger", 2, r"\b(?:intruder|burglar|stranger)\b"),
    (
        "danger",
        "danger",
        2,
        r"\b(?:hiding|hid|hide) (?:in|from|under|behind|inside)\b|\blocked (?:myself )?in\b"
        r"|\bim (?:in|inside|under) (?:the|my) (?:closet|wardrobe|cupboard|attic|basement|bathroom|bed)\b",
    ),
    ("danger", "danger", 2, r"\bcan hear (?:them|him|her|someone|somebody|footsteps)\b"),
    ("danger", "danger", 2, r"\b(?:looking for|coming for|coming after|searching for) me\b"),
    (
        "danger",
        "danger",
        2,
        r"\b(?:restraining|protective|protection|no contact) order\b",
    ),
    ("danger", "danger", 2, r"\bwaiting (?:for me )?(?:by|outside|at) my\b"),
    (
        "danger",
        "danger",
        2,
        r"\b(?:wont|will not) let (?:go|me go)\b|\b(?:pinned|holding) me down\b|\btwisted behind\b",
    ),
    (
        "danger",
        "danger",
        2,
        r"\b(?:pounding|banging|hammering|knocking|scratching) (?:on|at) (?:my|the) (?:window|door|bedroom door)\b",
    ),
    ("danger", "danger", 2, r"\b(?:coming|came|comes) into my (?:room|bedroom)\b"),
    ("danger", "danger", 2, r"\b(?:im|i am|youre|you are|were|we are) next\b"),
    (
        "danger",
        "danger",
        3,
        r"\b(?:has|have|got) me (?:locked|trapped|tied)\b|\blocked me (?:in|inside)\b"
        r"|\b(?:wont|will not|doesnt|isnt) (?:let|letting) me (?:leave|go|out)\b",
    ),
    ("danger", "danger", 1, r"\b(?:took|taken|smashed|grabbed|has) my (?:phone|keys)\b"),
    ("danger", "danger", 2, r"\bon (?:his|her|their) way\b"),
    (
        "danger",
        "danger",
        3,
        r"\b(?:come|coming) (?:to |and |over and |here and |back and )?(?:kill|hurt|get|beat) (?:me|us)\b",
    ),
    # "Kill me" and "hurt me" are said in jest with a condition ("when she hears"); shooting and stabbing
    # are not.
    (
        "danger",
        "danger",
        2,
        rf"\b{_OTHER}(?: \w+){{0,4}}? (?:kill|hurt|beat) (?:me|us)\b(?! (?:if|when|for|lol|haha|at)\b)",
    ),
    ("danger", "danger", 4, rf"\b{_OTHER}(?: \w+){{0,4}}? (?:shoot|stab|strangle|choke|murder) (?:me|us)\b"),
    (
        "danger",
        "danger",
        3,
        r"\b(?:choked|strangled|punched|kicked|attacked|assaulted|slapped|shoved|pushed) "
        r"(?:me|my \w+)\b",
    ),
    # "stabbed me in the back" is a betrayal; any other stabbing or shooting is an emergency.
    ("danger", "danger", 4, r"\b(?:stabbed|shot|raped|strangled) me\b(?! in the back)"),
    (
        "danger",
        "danger",
        3,
        r"\b(?:threw|thrown|slammed|pushed|shoved) (?:me|her|him|them|my \w+(?: \w+)?) (?:against|into|down|across|"
        r"through|to the (?:floor|ground))\b",
    ),
    (
        "danger",
        "danger",
        2,
        r"\b(?:still|is still|s still) (?:in the house|here|inside|outside|downstairs|in my \w+)\b",
    ),
    (
        "danger",
        "danger",
        3,
        rf"\b{_OTHER}(?: \w+){{0,2}}? (?:has|got|is holding|grabbed|pulled|waving) (?:a|the|his|her|their) "
        r"(?:knife|gun|bat|weapon|machete)\b(?! (?:set|block|collection|safe|license|licence|for)\b)",
    ),
    (
        "danger",
        "danger",
        3,
        rf"\b(?:hitting|beating|choking|punching|kicking|attacking|strangling|hurting) {_THIRD_PARTY}\b"
        r"(?! (?:at|in|up|out|off|with|for|online)\b)",
    ),
    ("danger", "danger", 1, r"\b(?:next time|not stopping|wont stop)\b"),
    (
        "danger",
        "danger",
        2,
        r"\b(?:throwing|smashing|breaking|punching|kicking) (?:the |holes in the )?"
        r"(?:stuff|things|furniture|chairs|plates|bottles|glasses|holes|"
        r"walls|the door)\b",
    ),
    (
        "danger",
        "danger",
        2,
        rf"\b(?:hes|shes|he has|she has|they have|theyve|theyre) (?:got|grabbed|taken|holding) {_THIRD_PARTY}\b",
    ),
    (
        "danger",
        "danger",
        2,
        r"\b(?:need|needs|send|get) help (?:now|right now|asap|please|fast)\b|\bplease help\b|\bsomeone help\b"
        r"|\bcall (?:911|999|112|000|the police|the cops|an ambulance|ems)\b",
    ),
    ("danger", "danger", 2, r"\b(?:following|followed|chasing|stalking) me\b"),
    ("danger", "danger", 1, r"\b(?:scared|terrified|afraid|frightened|panicking|screaming)\b"),
    ("danger", "danger", 1, r"\b(?:drunk|wasted|raging|violent)\b"),
    # Despair: a low mood that only tips a text already close.
    (
        "despair",
        "suicide",
        2,
        r"\bcant (?:take|do|handle|bear) (?:it|this|any of this|much more)(?: anymore| any longer)\b",
    ),
    (
        "despair",
        "suicide",
        1,
        r"\b(?:whats the point|no point|no reason|numb|empty|far away|foggy|hopeless|nothing left|tired of fighting|"
        r"trapped|no way out|no future|(?:dont|cant) see (?:a|any) (?:future|way out)|im done(?= \||$)|"
        r"im (?:so |just )?tired)\b",
    ),
)

_RISKS: tuple[_Risk, ...] = tuple(
    _Risk(family, kind, weight, re.compile(source)) for family, kind, weight, source in _RISK_SOURCES
)

# The present, once per text: a crisis is about now, a story is about then.
_PRESENT = re.compile(
    r"\b(?:now|right now|tonight|today|currently|already|this (?:minute|second|time)|in the next (?:hour|few)|"
    r"at the moment|sitting|standing|lying|walking|heading|holding|driving)\b"
)
# The member, or someone with them, as the one the text is about.
_PERSON = re.compile(rf"\b(?:i|im|ive|id|ill|me|my|myself|we|us)\b|\b{_OTHER}\b")

# What holds a high score back, once per text: how much it takes away, the pattern, and whether a "not"
# in front cancels it ("not sure I'm safe" takes the safety back; a "lol" after "stopped" is still a laugh).
# A clear statement of safety outweighs any number of signs: the member has answered the question the
# card would ask.
_DAMPERS: tuple[tuple[int, re.Pattern[str], bool], ...] = (
    (
        6,
        re.compile(
            r"\b(?:im|shes|hes|theyre|were|i am) (?:safe|okay|ok|alright)\b|\b(?:feel|feeling) safe\b"
            r"|\bnot (?:going to|gonna) (?:hurt|kill|harm|do|use|act|drink)\b|\bno (?:plan|plans|intent|intention|"
            r"thoughts|urges?) (?:to|of)\b|\bnot suicidal\b|\bdont want to die\b"
            r"|\bi (?:wont|would never|will never) (?:hurt|kill|do)\b"
        ),
        True,
    ),
    # An urge that has passed.
    (4, _RESOLVED, True),
    # Recovery work and getting rid of the means.
    (
        4,
        re.compile(
            r"\b(?:step (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)|homework|assignment|"
            r"my story|shared at|sharing my story|(?:got|earned|picked up|received|took) my (?:\w+ )?chip|"
            r"anniversary|sponsor watching|flushed|threw out|thrown out|threw away|got rid of|poured (?:it|them)|"
            r"handed (?:the|my) \w+ to)\b"
        ),
        False,
    ),
    # Getting ready to help someone else: naloxone, a kit, a safety plan made as a precaution.
    (
        4,
        re.compile(
            r"\b(?:narcan|naloxone) (?:kit|training|class)\b|\bhow (?:to|do i|do you) use (?:narcan|naloxone)\b"
            r"|\bkit\b(?: \w+){0,6}? just in case\b|\bprecaution\b|\bsafety plan\b"
        ),
        False,
    ),
    (3, _LAUGHED, False),
    (3, _LEAVING_FOR_A_WHILE, False),
    (2, re.compile(r"\b(?:panic attack|anxious|anxiety)\b"), False),
    # Medicine taken or kept as a prescriber said is treatment.
    (
        3,
        re.compile(
            r"\b(?:prescribed|as directed|like the doctor said|for (?:flying|the flight|a flight|the trip|bad days)|"
            r"(?:my )?(?:doctor|doc|dr|psych|psychiatrist|prescriber|pharmacist|nurse) (?:said|says|knows|told|"
            r"prescribed|gave|changed|upped|bumped|wants|checks))\b"
        ),
        False,
    ),
)

# A nervous or embarrassed laugh after a remark. Looked for in the raw text, since the symbols are gone
# once the text is normalised.
_NERVOUS_LAUGH = re.compile("[\U0001f605\U0001f643\U0001f92a\U0001f61c]")


def _clause_at(starts: list[int], position: int) -> int:
    return bisect.bisect_right(starts, position) - 1


_CONDITIONAL_NOT = re.compile(r"\bif (?:i|you|we|he|she|they) (?:dont|do not|never|didnt|cant|wont)\b")


def _negated_sign(clause: str, start: int) -> bool:
    """Like _is_negated, but a "not" stops at "and"/"or": in "isnt waking up and his lips look blue" the
    "isnt" belongs to the waking, not to the lips."""
    before = clause[:start]
    # "if I don't check in tomorrow" is a condition, not a denial.
    if _CONDITIONAL_NOT.search(_words_before(clause, start, NEGATION_WINDOW_WORDS + 3)):
        return False
    cut = max(before.rfind(" and "), before.rfind(" or "))
    if cut >= 0:
        return _is_negated(clause[cut + 1 :], start - cut - 1)
    return _is_negated(clause, start)


def _risk_signal(clauses: list[str], raw: str) -> CrisisSignal | None:
    """The second tier: the weighted signs in the clauses that are about now, or None below the threshold."""
    score, kind, words = risk_score(clauses, raw)
    if score < RISK_THRESHOLD:
        return None
    return CrisisSignal(kind, " + ".join(words))


def risk_score(clauses: list[str], raw: str) -> tuple[int, str, list[str]]:
    """The second tier's score for normalised clauses, the kind its signs point to, and the signs seen.

    Public so the tests can show how far a text sits from RISK_THRESHOLD.
    """
    joined = " | ".join(clauses)
    starts = []
    position = 0
    for clause in clauses:
        starts.append(position)
        position += len(clause) + 3
    counting: list[bool] | None = None
    by_family: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    words: list[str] = []
    for risk in _RISKS:
        for match in risk.regex.finditer(joined):
            index = _clause_at(starts, match.start())
            clause, offset = clauses[index], match.start() - starts[index]
            if counting is None:
                # Worked out only once a sign is seen, so a long calm message pays nothing for it.
                counting = _counting_now(clauses)
            if (counting[index] or _anchored_now(clause, offset)) and not _negated_sign(clause, offset):
                by_family[risk.family] = by_family.get(risk.family, 0) + risk.weight
                by_kind[risk.kind] = by_kind.get(risk.kind, 0) + risk.weight
                words.append(match.group(0))
                # Each sign counts once, however often it is repeated.
                break
    if not words:
        return 0, KIND_PRIORITY[-1], []
    capped = {
        family: min(total, _WEAK_FAMILY_CAP if family in _WEAK_FAMILIES else FAMILY_CAP)
        for family, total in by_family.items()
    }
    score = sum(capped.values())
    # The present and the person add a point each when the signs already hang together: two strong families,
    # one strong family of 3 with anything beside it, or one family of 4. A lone means word ("bought a knife
    # for the kitchen") never gets them.
    strong = [total for family, total in capped.items() if family not in _WEAK_FAMILIES]
    if len(strong) >= 2 or (strong and max(strong) >= 3 and len(capped) >= 2) or max(capped.values()) >= 4:
        score += (_PRESENT.search(joined) is not None) + (_PERSON.search(joined) is not None)
    for amount, damper, can_be_negated in _DAMPERS:
        found = damper.search(joined)
        if found is not None:
            index = _clause_at(starts, found.start())
            # "not sure I'm safe" takes the safety back; a "lol" after "stopped" is still a laugh.
            if not (can_be_negated and _is_negated(clauses[index], found.start() - starts[index])):
                score -= amount
    if _NERVOUS_LAUGH.search(raw):
        score -= 3
    kind = max(KIND_PRIORITY, key=lambda name: (by_kind.get(name, 0), -KIND_PRIORITY.index(name)))
    return score, kind, words


def detect_crisis(text: str) -> CrisisSignal | None:
    """Crisis language in `text`, if any: the most urgent kind found, or None.

    Errs towards recall: an extra crisis card costs the member a glance, a missed one can cost more.
    """
    readings = normalise(text)
    for clauses in readings:
        signal = _scan(clauses)
        if signal is not None:
            return signal
    # The precise rules found nothing; the weighted signs get their say.
    for clauses in readings:
        signal = _risk_signal(clauses, text)
        if signal is not None:
            return signal
    return None
