"""The Spanish crisis rules: each kind, each family of exclusions, spelling variants, the loader's errors, any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.crisis import KIND_PRIORITY
from bot.services.crisis_es import LEXICON, detect_crisis_es, load_lexicon, normalise_es


def _kind(text: str) -> str | None:
    signal = detect_crisis_es(text)
    return None if signal is None else signal.kind


# --- each kind -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "me quiero morir",
        "quiero matarme",
        "me voy a matar esta noche",
        "tengo ganas de suicidarme",
        "ya no quiero vivir",
        "no quiero seguir viviendo",
        "ya no quiero estar aquí",
        "estoy pensando en quitarme la vida",
        "quiero acabar con todo de una vez",
        "sería mejor para todos si no estuviera",
        "mis hijos estarían mejor sin mí",
        "ojalá no despertar mañana",
        "quisiera dormirme y no despertar nunca",
        "quiero despedirme de todos, gracias por todo",
        "ya dejé todo arreglado",
        "regalé mis cosas, ya no las voy a necesitar",
        "ya tengo la soga lista para esta noche",
        "me voy a tirar del puente",
        "estoy en la azotea pensando en saltar",
        "me voy a aventar a las vías del metro",
        "no le veo sentido a la vida",
        "soy una carga para mi familia",
        "si no fuera por mi hija ya me habría matado",
        "estoy juntando pastillas desde hace semanas",
        "mi amiga dice que se quiere matar y no contesta",
    ],
)
def test_suicide(text: str) -> None:
    assert _kind(text) == "suicide", text


@pytest.mark.parametrize(
    "text",
    [
        "quiero cortarme",
        "me corté otra vez",
        "me he cortado los brazos",
        "tengo muchas ganas de hacerme daño",
        "me quemé a propósito con el encendedor",
        "volví a lastimarme",
        "recaí con la autolesión",
        "me estoy haciendo cortes en las piernas ahorita",
        "acabo de cortarme los brazos con una navaja",
        "no paro de golpearme",
    ],
)
def test_self_harm(text: str) -> None:
    assert _kind(text) == "self_harm", text


@pytest.mark.parametrize(
    "text",
    [
        "me tomé todas las pastillas",
        "me tomé todo el frasco de clonazepam",
        "me he tomado una caja entera de paracetamol",
        "creo que tengo una sobredosis",
        "mi amigo no respira, se metió fenta",
        "se puso morado y no despierta después de inyectarse",
        "me metí de más",
        "me tomé como 30 pastillas de paracetamol",
        "tiene los labios azules y no responde, estaba consumiendo",
        "voy a tomarme todas las pastillas, ya las tengo en la mano",
    ],
)
def test_overdose(text: str) -> None:
    assert _kind(text) == "overdose", text


@pytest.mark.parametrize(
    "text",
    [
        "mi ex me va a matar, tiene un cuchillo",
        "mi novio me está pegando",
        "alguien está intentando entrar a mi casa",
        "hay un tipo con una pistola afuera",
        "me amenazó con un cuchillo",
        "mi pareja me amenazó de muerte",
        "mi papá está borracho y me va a matar",
        "un carro me viene siguiendo desde hace rato",
        "mi padrastro me está ahorcando",
        "me tiene encerrada en el cuarto",
        "mi papá le está pegando a mi mamá",
        "dice que si no le pago hoy me matan",
    ],
)
def test_danger(text: str) -> None:
    assert _kind(text) == "danger", text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mi novio me está pegando y me quiero morir", "danger"),
        ("me tomé todas las pastillas, me quiero morir", "overdose"),
        ("me corté y ya no quiero vivir", "suicide"),
        ("quiero cortarme, tengo una sobredosis", "overdose"),
    ],
)
def test_the_most_urgent_kind_wins(text: str, kind: str) -> None:
    assert _kind(text) == kind


# --- how members write ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "me quiero matar, boludo",  # voseo regions
        "boluda, me re quiero morir",
        "neta wey ya no quiero vivir",
        "tío, no puedo más, me voy a quitar la vida esta noche",
        "parce, ya no quiero vivir más",
        "ya no doy más de vivir",
        "q ganas d morirme",  # chat spellings
        "me kiero matar",
        "toy harta d vivir",
        "xq no me muero ya, ojala q no despierte",
        "QUIERO MATARMEEEE",  # shouting and stretched letters
        "me quiero morirrrr",
        "quiero suisidarme",  # misspellings and slips
        "me quiero mtarme",
        "tengo una sobredocis",
        "quiero matarme",  # without accents, "matarme" written "matarme"
        "estoy bien suicidal hoy",  # Spanglish
        "bro, i want to kill myself, no aguanto",
        "mi amigo not breathing, se metió algo",
        "quiero kms",
    ],
)
def test_regional_chat_typo_and_spanglish_forms(text: str) -> None:
    assert _kind(text) is not None, text


def test_normalisation_writes_out_chat_spellings_and_drops_accents() -> None:
    readings = normalise_es("Q ganas d MORIRMEEE!!! xq nadie me kiere... ¿Qué hago?")
    assert readings[0] == ["que ganas de morirme", "porque nadie me quiere", "que hago"]
    # A stretched letter is read both ways: "cuchilllo" is "cuchillo", "morirmeee" is "morirme".
    assert ["tengo el cuchillo"] in normalise_es("tengo el cuchilllo")


# --- what sets a match aside ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "me muero de hambre, alguien pide pizza?",
        "me muero de risa con este meme 😂",
        "me muero de sueño, hoy no dormí nada",
        "me muero de ganas de verte el sábado",
        "me muero por verte",
        "me mata el calor",
        "me mata la espalda después del gym",
        "estoy muerto de cansancio, mañana hablamos",
        "me quiero morir de la vergüenza",
        "qué oso, me quiero morir",
        "se me murió el celular, me quiero morir jaja",
        "me voy a matar estudiando para el final",
        "me quiero matar de tanto laburar",
        "prefiero morir antes que volver a consumir",
        "me mataría por unos tacos ahorita",
        "tengo un hambre que me muero",
        "me dio una sobredosis de azúcar en la fiesta",
    ],
)
def test_hyperbole_and_idioms_are_not_a_crisis(text: str) -> None:
    assert detect_crisis_es(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "mi jefe me va a matar si llego tarde otra vez",
        "mi mamá me va a matar cuando vea la cuenta de la luz",
        "si mi mamá se entera me mata",
        "mis papás van a matarme cuando vean mis notas",
        "el examen me va a matar",
        "este tráfico me va a matar",
        "me amenazó con dejarme si sigo tomando",
        "mi hermano tiene un cuchillo nuevo para la cocina",
        "alguien quiere entrar al servidor?",
        "un tipo me sigue en instagram desde hace meses",
        "me pegó la cruda horrible",
    ],
)
def test_everyday_threats_are_not_danger(text: str) -> None:
    assert detect_crisis_es(text) is None, text


def test_an_idiomatic_threat_is_danger_when_something_else_signals_it() -> None:
    assert _kind("mi esposo me va a matar") is None
    assert _kind("mi esposo me va a matar, está borracho y tiene un cuchillo") == "danger"
    assert _kind("mi esposo me va a matar, me está pegando") == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "no me voy a hacer daño, solo necesitaba desahogarme",
        "nunca me mataría, tengo a mis hijos",
        "no pienso matarme, tranquilos, solo estoy triste",
        "jamás me quitaría la vida",
        "ni loca me mato, amo demasiado a mi perro",
        "no quiero morir",
        "no tengo pensamientos suicidas, solo cansancio",
        "ni se me pasa por la cabeza suicidarme",
        "no es que quiera matarme, es que estoy agotada",
    ],
)
def test_negation_and_reassurance_set_a_match_aside(text: str) -> None:
    assert detect_crisis_es(text) is None, text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A "no" that belongs to something else does not reach the wish.
        ("no puedo más, me quiero morir", "suicide"),
        ("no puedo mas me quiero morir", "suicide"),
        ("no sé, ya no quiero vivir", "suicide"),
        ("no duermo y quiero matarme", "suicide"),
        # Doubt in front of a denial turns it back into a warning.
        ("no te prometo que no me voy a cortar", "self_harm"),
        ("no sé si no me voy a matar", "suicide"),
    ],
)
def test_negation_stays_narrow(text: str, kind: str) -> None:
    assert _kind(text) == kind, text


@pytest.mark.parametrize(
    "text",
    [
        "hace un año tuve una sobredosis y hoy cumplo un año limpia",
        "antes me cortaba, ya no",
        "cuando era adolescente me quería morir todo el tiempo, ahora estoy mejor",
        "cuando consumía me quería morir todos los días, hoy tengo 2 años limpia",
        "hoy cumplo 6 meses sin cortarme 💪",
        "llevo 2 años sin autolesionarme",
        "la sobredosis del 2019 me cambió la vida",
        "de adolescente me hacía daño, ya lo superé",
    ],
)
def test_the_resolved_past_is_not_a_crisis(text: str) -> None:
    assert detect_crisis_es(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "hace un año intenté matarme y hoy quiero volver a hacerlo",
        "antes me cortaba y ahora quiero cortarme otra vez",
        "hace años que quiero morirme",  # "hace años que" is ongoing, not past
        "desde hace meses pienso en matarme",
    ],
)
def test_the_past_coming_back_or_still_going_is_a_crisis(text: str) -> None:
    assert detect_crisis_es(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "en la serie el protagonista dice que se quiere matar",
        "vi una película donde el personaje dice 'me quiero morir'",
        "en el videojuego me mataron como diez veces jaja",
        "lloré viendo el capítulo en que la protagonista se suicida",
        "leí en las noticias de una sobredosis en el centro, qué triste",
        "mi padrino me contó de su sobredosis de hace años",
        "el hermano de mi amiga se suicidó el año pasado, fuimos al velorio",
        "hoy en el taller de naloxona aprendimos qué hacer si alguien no respira",
        "qué hago si alguien tiene una sobredosis?",
        "hoy hubo una charla de prevención del suicidio en la escuela",
        "un paciente llegó con sobredosis a urgencias, soy enfermera",
    ],
)
def test_other_people_fiction_news_and_training_are_not_a_crisis(text: str) -> None:
    assert detect_crisis_es(text) is None, text


def test_a_story_that_the_member_says_is_their_own_is_a_crisis() -> None:
    assert _kind("en la serie el prota se quiere matar y yo también me quiero matar") == "suicide"
    assert _kind("es un chiste pero no es broma, me quiero morir") == "suicide"


@pytest.mark.parametrize(
    "text",
    [
        "me corté el pelo y quedé horrible",
        "me corté cocinando, nada grave",
        "acabo de cortarme con una hoja de papel",
        "me quemé con el sartén haciendo la cena",
        "me lastimé la rodilla jugando fútbol",
        "tomé mis pastillas de la mañana como siempre",
        "ya me tomé todas mis pastillas de hoy",
        "me tomo 10 pastillas al día por la presión",
        "quiero despedirme de todos, me mudo a Guadalajara la próxima semana",
        "vengo a despedirme, me voy a dormir, buenas noches",
        "ya dejé todo arreglado en la oficina para mañana",
        "escribí mi carta de despedida... a la cocaína, ejercicio del paso 1",
        "estoy en la azotea tomando el sol",
        "compré una soga para tender la ropa",
        "se tomó todo el bote de helado",
        "quiero terminar con todo el trabajo antes del viernes",
        "no quiero vivir en esta ciudad",
        "no respiro bien por la alergia",
        "me dio un ataque de pánico y sentía que no podía respirar",
    ],
)
def test_everyday_uses_of_crisis_words_are_not_a_crisis(text: str) -> None:
    assert detect_crisis_es(text) is None, text


# --- the lexicon file and its loader ----------------------------------------------------------------


def test_the_shipped_lexicon_has_every_kind() -> None:
    assert [kind.kind for kind in LEXICON.kinds] == list(KIND_PRIORITY)
    assert all(kind.rules for kind in LEXICON.kinds)


BROKEN = """
version = 1

[fragments]
pills = 'pastillas|(roto'
uses = '<nowhere>'

[rules.suicid.wish]
patterns = ['quiero morir']

[rules.suicide.wish]
patterns = ['quiero (morir', 'me quiero <missing>', 'con espacio ']
colour = "azul"

[exclusions.past]
scope = "sideways"
applies_to = ["suicide.nogroup"]
patterns = ['antes']
"""


def test_the_loader_reports_every_problem_with_its_place_at_once() -> None:
    with pytest.raises(ValueError) as raised:
        load_lexicon(BROKEN)
    message = str(raised.value)
    expected = [
        "fragments.pills: regex does not compile",
        "fragments.uses: unknown fragment <nowhere>",
        "rules.suicid: unknown kind 'suicid'",
        "rules.suicide.wish.patterns[0]: regex does not compile",
        "rules.suicide.wish.patterns[1]: unknown fragment <missing>",
        "rules.suicide.wish.patterns[2]: starts or ends with a space",
        "rules.suicide.wish.colour: unknown key 'colour'",
        "exclusions.past.scope:",
        "exclusions.past.applies_to[0]: no rule group 'suicide.nogroup'",
    ]
    for part in expected:
        assert part in message, (part, message)
    assert message.startswith(f"rules_es.toml: {len(expected)} problem(s):")


def test_the_loader_rejects_text_that_is_not_toml() -> None:
    with pytest.raises(ValueError, match="not valid TOML"):
        load_lexicon("version = 1\n[rules\n")


def test_the_loader_rejects_capturing_groups() -> None:
    with pytest.raises(ValueError, match=r"rules\.suicide\.wish\.patterns\[0\]: a capturing group"):
        load_lexicon("version = 1\n[rules.suicide.wish]\npatterns = ['quiero (morir|matarme)']\n")


def test_a_small_lexicon_loads_and_its_spellings_and_fragments_apply() -> None:
    lexicon = load_lexicon(
        """
        version = 1
        [fragments]
        verbs = 'morir|matarme'
        [spellings]
        kiero = "quiero"
        [rules.suicide.wish]
        patterns = ['quiero (?:<verbs>)']
        """
    )
    assert normalise_es("Kiero MORIR", lexicon) == [["quiero morir"]]
    assert [kind.kind for kind in lexicon.kinds] == ["suicide"]


# --- any text ----------------------------------------------------------------------------------------

_WORDS = [
    "me", "quiero", "morir", "matarme", "no", "nunca", "hace", "años", "antes", "jaja", "pastillas", "todas",
    "tomé", "sobredosis", "respira", "cortarme", "mi", "jefe", "va", "a", "matar", "cuchillo", "serie", "y",
    "pero", ",", ".", "¿", "!", "ya", "vivir", "de", "risa", "😂", "puente", "azotea", "q", "xq", "toy",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_any_text_gives_none_or_a_known_kind(text: str) -> None:
    signal = detect_crisis_es(text)
    assert signal is None or signal.kind in KIND_PRIORITY


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=80).map(" ".join))
def test_any_mix_of_crisis_words_gives_none_or_a_known_kind(text: str) -> None:
    signal = detect_crisis_es(text)
    assert signal is None or (signal.kind in KIND_PRIORITY and signal.matched)


@pytest.mark.parametrize(
    "text", ["", " ", "\n\n", "¿¡", "😂" * 50, "a" * 3000, "ñ" * 2000, "\x00\ufeff", "\ud800", "—" * 900]
)
def test_odd_inputs_are_handled(text: str) -> None:
    assert detect_crisis_es(text) is None


# --- a long note --------------------------------------------------------------------------------------

_DAY = (
    "Hoy me levanté temprano, desayuné con mi mamá y después fui a trabajar. En la oficina estuvo tranquilo, "
    "almorcé con una compañera y hablamos de la serie que estamos viendo. Mi jefe me va a matar si llego tarde "
    "otra vez jaja. Por la tarde fui a la reunión de AA y compartí un poco. Tengo ganas de tomar a veces pero "
    "llamo a mi madrina. Me muero de sueño. "
)


def test_a_long_ordinary_note_runs_and_stays_quiet() -> None:
    # A sanity check on the work done for a 2,000-character note, not a timing assertion.
    note = (_DAY * 8)[:2000]
    assert len(note) == 2000
    for _ in range(50):
        assert detect_crisis_es(note) is None


def test_one_line_that_matters_in_a_long_note_is_found() -> None:
    note = (_DAY * 6)[:1800] + " Ya tengo decidido que el domingo me cuelgo en la bodega."
    assert _kind(note) == "suicide"
